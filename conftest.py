"""Fixtures shared by every app's tests.

The test database is built once per run with the reference data that every
app relies on: the administrative units (`load_units`). Tasks run
immediately (`config.test_settings`), email stays in memory
(pytest-django's default).
"""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the administrative units once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_calendar():  # type: ignore[no-untyped-def]
    """Drop the per-process working-day calendar around each test.

    Tests roll their database changes back, but the calendar built from the
    override table lives in memory; without this, one test's override would
    leak into the next.
    """
    from danvan.core.calendar import reset_calendar_cache

    reset_calendar_cache()
    yield
    reset_calendar_cache()
