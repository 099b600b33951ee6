"""The site's URLs.

Vietnamese pages sit at the root and English ones under `/en/`
(`i18n_patterns` with `prefix_default_language=False`). The API, the
health check and the back-offices are not translated by prefix.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from danvan.api.urls import api
from danvan.core.views.health import healthz
from danvan.petitions.views_files import petition_attachment

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "files/petitions/<str:code>/<int:pk>/",
        petition_attachment,
        name="petition_attachment",
    ),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += i18n_patterns(
    path("", include("danvan.core.urls")),
    path("phan-anh-kien-nghi/", include("danvan.petitions.urls_portal")),
    path("lich-tiep-cong-dan/", include("danvan.reception.urls_portal")),
    path("mo-hinh-dan-van-kheo/", include("danvan.movements.urls_portal")),
    path("thong-ke/", include("danvan.portal.urls_stats")),
    path("ban-doc/", include("danvan.portal.urls_readers")),
    # Wagtail's pages (the news portal at "/"), anonymous readers served from a cache.
    path("", include("danvan.portal.urls")),
    prefix_default_language=False,
)
