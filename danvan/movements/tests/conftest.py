"""Fixtures of the movement tests: a fixed today, and the bodies and people."""

import datetime
from collections.abc import Iterator

import pytest
import time_machine

from danvan.movements.tests.factories import MovementWorld, movement_world

TZ = datetime.timezone(datetime.timedelta(hours=7))
TODAY = datetime.date(2026, 9, 14)


@pytest.fixture
def today() -> Iterator[datetime.date]:
    """Travel to `TODAY`, 9:00 in Vietnam."""
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(9), TZ), tick=False):
        yield TODAY


@pytest.fixture
def world(db: None, today: datetime.date) -> MovementWorld:
    """The bodies and people of `factories.movement_world`."""
    return movement_world()


#: The migrations whose rows the movement relies on, and the function of
#: each that writes them (each adds nothing twice).
SEEDING_MIGRATIONS = (
    ("0002_default_criteria", "seed"),
    ("0003_role_permissions", "grant"),
    ("0005_default_pass_mark", "forwards"),
)


@pytest.fixture
def seeded_rows(transactional_db: None) -> None:
    """Write again the rows the movement's migrations seed: the default
    criteria and themes, the default pass mark, and the administrators'
    rights on them.

    A transactional test (`live_server`) empties every table when it ends,
    the rows that migrations wrote included; the next transactional test
    asks for this fixture to have them back.
    """
    import importlib

    from django.apps import apps

    for name, function in SEEDING_MIGRATIONS:
        migration = importlib.import_module(f"danvan.movements.migrations.{name}")
        getattr(migration, function)(apps, None)
