"""Wagtail's back-office sidebar, built once per user and language a minute.

Every back-office page draws the sidebar's menu: Wagtail asks each menu item
whether the user may see it (`is_shown`, a few permission queries) and packs
the whole menu as JSON (`sidebar_props`). That costs 9–14 ms of CPU on
every page on this project's machines, about a quarter of the inbox page
(docs/benchmarks.md, issue 3). The menu of a user changes when their roles
change or a menu badge's count does, which is rare next to page views, so
the packed menu is kept in the default cache for `SIDEBAR_CACHE_SECONDS`,
keyed by the user, their session, the language and the host.

What this trades (docs/decisions/0014-cached-admin-sidebar.md): a user
whose roles change sees the new menu up to a minute later (every page still
checks its own permissions), and a count shown on a menu item may lag by as
much. Signing in again starts a new session, hence a new menu.
"""

import hashlib
from typing import Any

from django.core.cache import cache
from django.template import Library
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

#: How long a packed menu is kept.
SIDEBAR_CACHE_SECONDS = 60
_CACHE_PREFIX = "admin-sidebar:v1"


def sidebar_cache_key(request: Any) -> str | None:
    """Return the cache key of the user's menu, or None if it must not be cached."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session_key = getattr(getattr(request, "session", None), "session_key", None) or ""
    raw = f"{user.pk}|{session_key}|{get_language()}|{request.get_host()}"
    return f"{_CACHE_PREFIX}:{hashlib.sha256(raw.encode()).hexdigest()}"


def install(library: Library, original: Any) -> None:
    """Register a caching `sidebar_props` in Wagtail's tag `library`.

    `original` is Wagtail's own tag function, which renders the menu when
    the cache has none.
    """

    def sidebar_props(context: Any) -> SafeString:
        key = sidebar_cache_key(context["request"])
        if key is None:
            return original(context)
        html = cache.get(key)
        if html is None:
            html = str(original(context))
            cache.set(key, html, SIDEBAR_CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 - Wagtail's own json_script output

    library.simple_tag(takes_context=True, name="sidebar_props")(sidebar_props)
