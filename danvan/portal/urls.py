"""Wagtail's page URLs with the anonymous page cache in front (`danvan.portal.cache`).

Included in `config.urls` in place of `wagtail.urls`: the same patterns,
the catch-all page route served by `cached_serve`.
"""

from django.urls import re_path
from wagtail import urls as wagtail_urls
from wagtail.urls import serve_pattern

from danvan.portal.cache import cached_serve

urlpatterns = [
    *[p for p in wagtail_urls.urlpatterns if getattr(p, "name", None) != "wagtail_serve"],
    re_path(serve_pattern, cached_serve, name="wagtail_serve"),
]
