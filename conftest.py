"""Fixtures shared by every app's tests.

The test database is built once per run with the reference data that every
app relies on: the administrative units (`load_units`). Tasks run
immediately (`config.test_settings`), email stays in memory
(pytest-django's default).
"""

import os

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the administrative units once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_calendar():  # type: ignore[no-untyped-def]
    """Drop the per-process calendar, routing suggestions, limits and communes around each test.

    Tests roll their database changes back, but the calendar built from the
    override table lives in memory; without this, one test's override would
    leak into the next.
    """
    from danvan.core.calendar import reset_calendar_cache
    from danvan.petitions.limits import local_limits_cache_clear
    from danvan.petitions.routing import routing_cache_clear
    from danvan.petitions.services import communes_cache_clear

    clears = (
        reset_calendar_cache,
        routing_cache_clear,
        local_limits_cache_clear,
        communes_cache_clear,
    )
    for clear in clears:
        clear()
    yield
    for clear in clears:
        clear()


# Browser tests (Playwright against pytest-django's `live_server`): the
# system Chromium, and Django's ORM from the test's own thread, which
# Playwright's sync API runs inside an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: The Chromium the browser tests drive; they are skipped when it is missing.
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    """Launch the system Chromium, headless-friendly in containers."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    }


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """Empty the cache around each test: rate-limit counters must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Start every test in the default language (Vietnamese).

    Django keeps the active language per thread; a test that answers an
    English request leaves it active for the next test in the same thread.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def units_loaded(transactional_db, django_db_blocker):  # type: ignore[no-untyped-def]
    """Make sure the administrative units are there for a transactional test.

    A `transaction=True` test (the browser tests, with `live_server`) empties
    every table when it ends, the units loaded once for the session included.
    pytest-django runs those tests after all the others, so each one loads
    the units again if an earlier one removed them.
    """
    from danvan.geo.models import Province

    with django_db_blocker.unblock():
        if not Province.objects.exists():
            call_command("load_units", verbosity=0)
