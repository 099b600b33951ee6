"""Fixtures shared by every app's tests.

The test database is built once per run with the reference data that every
app relies on: the administrative units (`load_units`). Tasks run
immediately, email stays in memory (pytest-django's default).
"""

import os

os.environ.setdefault("DANVAN_TESTING", "1")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the administrative units once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0)
