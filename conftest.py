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
