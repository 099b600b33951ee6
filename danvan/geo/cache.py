"""Cached answers of the public unit endpoints.

Units change only by law, so answers are kept for hours. Keys carry a
namespace stamp: `invalidate` replaces it, which orphans every cached answer
at once (the cache backend drops them when they expire). If the stamp itself
is evicted, a new one is made, so an eviction can never bring back answers
from before a reload.
"""

import hashlib
import time
from collections.abc import Callable

from django.core.cache import cache

TIMEOUT = 6 * 60 * 60
"""Seconds an answer stays in Django's cache."""

HTTP_MAX_AGE = 60 * 60
"""Seconds browsers and proxies may keep an answer (Cache-Control max-age)."""

_STAMP_KEY = "geo:units:stamp"


def _stamp() -> str:
    return str(cache.get_or_set(_STAMP_KEY, time.time_ns(), timeout=None))


def key(*parts: str) -> str:
    """Return a cache key for `parts`, safe for every backend (hashed, short)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return f"geo:units:{_stamp()}:{digest}"


def get_or_compute[T](parts: tuple[str, ...], compute: Callable[[], T | None]) -> T | None:
    """Return the cached value for `parts`, computing and storing it if absent.

    `compute` returns None for "not found", which is not stored: unknown
    codes must not fill the cache.
    """
    cache_key = key(*parts)
    value: T | None = cache.get(cache_key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(cache_key, value, TIMEOUT)
    return value


def invalidate() -> None:
    """Forget every cached answer (called after a load that changed units)."""
    cache.set(_STAMP_KEY, time.time_ns(), timeout=None)
