"""The anonymous page cache of the news pages (docs/decisions/0011).

`cached_serve` stands in front of Wagtail's `serve` view: an anonymous
GET (or HEAD) of a news page is answered from Django's default cache
without touching the database; on a miss Wagtail serves the page and the
answer is stored when the page said it may be (`CacheablePageMixin`: a
live news page served by its own `serve`, never a page behind a password
or a sign-in).

A request is anonymous when it carries no session cookie and no messages
cookie: nothing in the answer can then depend on who asks. The cached
pages hold no CSRF token: the header has no form that posts (the language
choice is a pair of links), and the readers' forms on an article are
fetched by a request of their own, never cached.

The key holds the language, the host, the path, the page number (the only
query parameter cached: any other query string is served uncached), today's
date in Vietnam (the header's date line) and a generation number. Publishing,
unpublishing, moving or deleting any page bumps the generation, so every
cached news page is dropped at once (a home page and its sections list the
articles of each other); `PORTAL_PAGE_CACHE_SECONDS` (default 300) bounds
how stale the "most viewed" lists may get.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail import views as wagtail_views

from danvan.core.formats import today_vn

GENERATION_KEY = "portal:pages:generation"
#: Query parameters a cached page may carry.
CACHED_PARAMETERS = frozenset({"page"})


def cache_seconds() -> int:
    """Return how long a page stays cached; 0 switches the cache off."""
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 300))


def generation() -> int:
    """Return the current generation of the cached pages."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, timeout=None)
    return int(value)


def clear_pages(**kwargs: Any) -> None:
    """Drop every cached news page (bump the generation).

    Connected to Wagtail's publish and unpublish signals and to page
    moves and deletions; other modules call it when what a page shows
    changes outside a publication (e.g. approved reader feedback).
    """
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def is_anonymous(request: HttpRequest) -> bool:
    """Tell whether the request can have nothing personal in its answer."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
    )


def page_cache_key(request: HttpRequest) -> str | None:
    """Return the cache key of the request's page, or None when not cacheable."""
    if request.method not in ("GET", "HEAD") or not cache_seconds():
        return None
    if set(request.GET) - CACHED_PARAMETERS or not is_anonymous(request):
        return None
    page_number = request.GET.get("page", "")
    if page_number and not page_number.isdigit():
        return None
    path = hashlib.sha256(
        f"{request.get_host()}|{request.path}|{page_number}".encode()
    ).hexdigest()[:32]
    return f"portal:page:{generation()}:{today_vn().isoformat()}:{get_language()}:{path}"


def cached_serve(request: HttpRequest, path: str) -> HttpResponse:
    """Serve a Wagtail page, from the cache for anonymous readers."""
    key = page_cache_key(request)
    if key is not None:
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response["X-Portal-Cache"] = "hit"
            return response
    response = wagtail_views.serve(request, path)
    if key is not None and getattr(response, "portal_cacheable", False):
        if hasattr(response, "render"):
            response.render()
        if _may_store(request, response):
            cache.set(key, (response.content, response["Content-Type"]), cache_seconds())
            response["X-Portal-Cache"] = "miss"
    return response


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    """Store only a plain 200 whose rendering used no CSRF token and set no cookie."""
    return (
        response.status_code == 200
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.cookies
        and not getattr(response, "streaming", False)
    )
