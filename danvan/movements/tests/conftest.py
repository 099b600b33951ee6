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
