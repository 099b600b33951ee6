"""Fixtures of the geo tests."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Start every test with an empty cache, so answers come from the database."""
    cache.clear()
    yield
    cache.clear()


def translated(message: str, language: str = "vi") -> str:
    """Return `message` (an English msgid, placeholders filled) as shown in `language`."""
    with translation.override(language):
        return translation.gettext(message)


def has_vietnamese(msgid: str) -> bool:
    """Return whether the Vietnamese catalog translates `msgid`."""
    return translated(msgid) != msgid
