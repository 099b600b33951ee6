"""The indicator table equals what the petitions and reception data say.

The data are built through the apps' own services (and, for dates a
service sets to today, moved with an update), the figures computed by hand
from them, and compared with `indicators.collect` and the command.
"""

import datetime
import io
import json
from collections.abc import Iterator

import pytest
import time_machine
from django.core.management import CommandError, call_command

from danvan.briefings import indicators
from danvan.briefings.tests.factories import DONG_THAP, commission
from danvan.core.periods import period_parse
from danvan.orgs.models import Organization
from danvan.petitions.models import Petition
from danvan.petitions.tests.factories import make_petition
from danvan.reception import schedules
from danvan.reception.models import Visit, VisitKind, VisitOutcome
from danvan.reception.selectors import reception_indicators
from danvan.reception.tests.factories import ReceptionPlace, reception_place

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
TODAY = datetime.date(2026, 9, 14)
PERIOD = period_parse("2026-H2")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(9), TZ), tick=False):
        yield


@pytest.fixture
def place() -> ReceptionPlace:
    return reception_place()


def _petitions(place: ReceptionPlace) -> None:
    """Five petitions received in the period by bodies of Đồng Tháp, one before it.

    Resolved: two (one on time, one late); open and past due today: one.
    """
    made = [make_petition(organization=place.department) for _ in range(5)]
    older = make_petition(organization=place.province)
    Petition.objects.filter(pk=older.pk).update(
        received_at=datetime.datetime(2026, 6, 20, 9, tzinfo=TZ)
    )
    day = datetime.date
    Petition.objects.filter(pk=made[0].pk).update(
        resolved_on=day(2026, 9, 10), expected_response_by=day(2026, 9, 12)
    )
    Petition.objects.filter(pk=made[1].pk).update(
        resolved_on=day(2026, 9, 13), expected_response_by=day(2026, 9, 11)
    )
    Petition.objects.filter(pk=made[2].pk).update(expected_response_by=day(2026, 9, 1))
    Petition.objects.filter(pk__in=[made[3].pk, made[4].pk]).update(
        expected_response_by=day(2026, 10, 30)
    )


def _visits(place: ReceptionPlace) -> None:
    """Three visits in the period (1 + 4 + 2 people), one in June."""
    for number, (received_on, people) in enumerate(
        [
            (datetime.date(2026, 7, 2), 1),
            (datetime.date(2026, 8, 5), 4),
            (datetime.date(2026, 9, 7), 2),
            (datetime.date(2026, 6, 29), 9),
        ],
        start=1,
    ):
        Visit.objects.create(
            organization=place.commune,
            year=2026,
            number=number,
            received_on=received_on,
            summary="Hỏi về bồi thường đất làm đường",
            kind=VisitKind.FEEDBACK,
            people_count=people,
            outcome=VisitOutcome.GUIDED,
        )
    schedule = schedules.schedule_create(
        actor=place.officer,
        organization=place.commune,
        leader=place.chairman,
        leader_title="Chủ tịch UBND phường",
        date=datetime.date(2026, 9, 7),
        starts_at=datetime.time(8),
        ends_at=datetime.time(11),
        place="Trụ sở UBND phường",
    )
    schedules.schedule_record_held(actor=place.officer, schedule=schedule)


def test_petition_figures_equal_the_petitions_of_the_province(place: ReceptionPlace) -> None:
    _petitions(place)
    body = commission(DONG_THAP)
    table = indicators.collect(body, PERIOD)
    assert table["petitions_received"] == 5
    assert table["petitions_resolved"] == 2
    assert table["petitions_resolved_on_time"] == 1
    assert table["petitions_on_time_percent"] == 50.0
    assert table["petitions_overdue"] == 1


def test_reception_figures_equal_the_visits_and_duty_days(place: ReceptionPlace) -> None:
    _visits(place)
    table = indicators.collect(commission(DONG_THAP), PERIOD)
    assert table["visits"] == 3
    assert table["people_received"] == 7
    assert table["leader_days_held"] == 1
    bodies = Organization.objects.filter(province_id=DONG_THAP)
    expected = reception_indicators(
        organizations=bodies, date_from=PERIOD.start, date_to=PERIOD.end
    )
    assert table["leader_days_required"] == expected.leader_days_required > 0
    assert table["leader_days_percent"] == round(100 / expected.leader_days_required, 1)
    assert table["dialogues_held"] == 0


def test_a_body_of_another_province_sees_none_of_it(place: ReceptionPlace) -> None:
    _petitions(place)
    _visits(place)
    table = indicators.collect(commission(91), PERIOD)
    assert table["petitions_received"] == 0
    assert table["visits"] == 0
    assert table["petitions_on_time_percent"] is None


def test_the_table_has_every_key_in_order(place: ReceptionPlace) -> None:
    table = indicators.collect(commission(DONG_THAP), PERIOD)
    assert tuple(table) == indicators.KEYS
    movement_keys = {
        "campaigns_active",
        "models_registered",
        "models_recognized",
        "models_replicated",
        "exemplars_recognized",
        "communities_active",
    }
    assert movement_keys <= set(table)


def test_a_missing_provider_leaves_its_keys_empty(place: ReceptionPlace) -> None:
    _visits(place)
    table = indicators.collect(
        commission(DONG_THAP), PERIOD, providers=("danvan.reception.selectors", "no.such.app")
    )
    assert table["visits"] == 3
    assert table["petitions_received"] is None


def test_add_up_adds_counts_and_derives_percentages() -> None:
    total = indicators.add_up(
        [
            {"petitions_resolved": 4, "petitions_resolved_on_time": 4, "visits": 2},
            {"petitions_resolved": 6, "petitions_resolved_on_time": 3, "visits": None},
        ]
    )
    assert total["petitions_resolved"] == 10
    assert total["petitions_on_time_percent"] == 70.0  # not (100 + 50) / 2
    assert total["visits"] == 2
    assert total["models_registered"] is None


def test_command_prints_the_table_as_json(place: ReceptionPlace) -> None:
    _petitions(place)
    _visits(place)
    body = commission(DONG_THAP)
    out = io.StringIO()
    call_command("indicators", "--org", body.code, "--period", "2026-H2", "--json", stdout=out)
    table = json.loads(out.getvalue())
    assert table == indicators.collect(body, PERIOD)
    assert table["petitions_received"] == 5
    assert table["people_received"] == 7


def test_command_text_output_lists_every_indicator(place: ReceptionPlace) -> None:
    body = commission(DONG_THAP)
    out = io.StringIO()
    call_command("indicators", "--org", body.code, "--period", "2026-H2", stdout=out)
    assert len(out.getvalue().splitlines()) == 1 + len(indicators.INDICATORS)


@pytest.mark.parametrize("period", ["2026-H3", "26-H1", "2026-02-30..2026-03-01", ""])
def test_command_refuses_a_bad_period(period: str, place: ReceptionPlace) -> None:
    with pytest.raises(CommandError, match=period or "là"):
        call_command("indicators", "--org", place.province.code, "--period", period)


def test_command_refuses_an_unknown_org() -> None:
    with pytest.raises(CommandError, match="no-such-body"):
        call_command("indicators", "--org", "no-such-body", "--period", "2026-H1")


def test_indicators_cost_the_same_queries_whatever_the_bodies(place: ReceptionPlace) -> None:
    """The queries do not grow with the bodies of the province (a fixed number a month)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _petitions(place)
    _visits(place)
    body = commission(DONG_THAP)
    with CaptureQueriesContext(connection) as before:
        indicators.collect(body, PERIOD)
    for n in range(3):
        commission(DONG_THAP, prefix=f"x{n}")
    with CaptureQueriesContext(connection) as after:
        indicators.collect(body, PERIOD)
    assert len(after) == len(before) <= 45
