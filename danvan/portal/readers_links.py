"""Absolute links to articles, for emails sent by the readers' features.

Emails need the full address. It is built from the setting `SITE_URL`
(the address the public knows), not from the request's Host header, so a
forged header can never put another site's link into a message.
"""

from django.conf import settings

from danvan.portal.models import ArticlePage


def article_absolute_url(article: ArticlePage) -> str:
    """Return the article's address with scheme and host."""
    base = settings.SITE_URL.rstrip("/")
    url = article.get_url()
    if not url:  # not under any site: the portal's home at least
        return f"{base}/"
    if url.startswith(("http://", "https://")):
        return url
    return f"{base}{url}"
