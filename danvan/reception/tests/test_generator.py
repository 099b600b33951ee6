"""The visit generator: counts, numbers, the rules of the log, secrecy, seeds."""

import datetime
import io
from collections import Counter

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings

from danvan.core.models import AuditEvent
from danvan.core.text import fold
from danvan.reception import generator, rules
from danvan.reception.models import (
    ReceptionMode,
    ReceptionSequence,
    Visit,
    VisitKind,
    VisitOutcome,
    VisitPerson,
)
from danvan.reception.tests.factories import ReceptionPlace, reception_place

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
CONTEXT = generator.GeneratorContext(
    organization_id=1, officer_ids=(7, 8), transfer_ids=(3, 4), transfer_names={3: "A", 4: "B"}
)


def made(count: int, seed: int = 5, year: int = 2026) -> list[generator.GeneratedVisit]:
    return list(
        generator.generate(
            CONTEXT,
            count=count,
            year=year,
            seed=seed,
            first_number=1,
            place="Phường Mỹ Tho",
            today=D(2026, 11, 20),
        )
    )


@pytest.mark.django_db(False)
def test_the_same_seed_makes_the_same_visits_and_another_seed_others() -> None:
    def key(items: list[generator.GeneratedVisit]) -> list[tuple[object, ...]]:
        return [
            (i.visit.received_on, i.visit.summary, tuple(p.name for p in i.people)) for i in items
        ]

    assert key(made(50)) == key(made(50))
    assert key(made(50)) != key(made(50, seed=6))


@pytest.mark.django_db(False)
def test_dates_are_working_days_of_the_year_up_to_today_in_number_order() -> None:
    items = made(800)
    days = [item.visit.received_on for item in items]

    assert [item.visit.number for item in items] == list(range(1, 801))
    assert days == sorted(days)
    assert all(D(2026, 1, 1) <= day <= D(2026, 11, 20) for day in days)
    assert all(day.weekday() < 5 or (day.weekday() == 5 and day.day <= 7) for day in days)
    for item in items:
        visit = item.visit
        assert visit.received_at.date() == visit.received_on
        if visit.mode == ReceptionMode.ONLINE:
            assert visit.received_on >= rules.ONLINE_RECEPTION_FROM


@pytest.mark.django_db(False)
def test_groups_choose_representatives_within_the_law() -> None:
    items = made(1500)
    groups = [i for i in items if i.visit.people_count >= 5]

    assert groups, "some visits are groups"
    for item in groups:
        limits = rules.representative_limits(item.visit.people_count)
        assert limits is not None
        chosen = sum(p.is_representative for p in item.people)
        assert limits.minimum <= chosen <= limits.maximum
        assert item.people[0].is_representative
    for item in items:
        if item.visit.people_count < 5:
            assert len(item.people) == item.visit.people_count
            assert not any(p.is_representative for p in item.people)


@pytest.mark.django_db(False)
def test_a_denunciation_is_protected_and_never_listed_nor_searchable_by_name() -> None:
    items = made(1500)
    protected = [i for i in items if i.visit.identity_protected]

    assert {i.visit.kind for i in protected} == {VisitKind.DENUNCIATION, VisitKind.MIXED}
    # Several kinds with no petition may hold a denunciation (visits._is_protected).
    assert all(
        i.visit.identity_protected
        for i in items
        if i.visit.kind in (VisitKind.DENUNCIATION, VisitKind.MIXED)
    )
    for item in protected:
        assert item.visit.listed_name == ""
        for person in item.people:
            assert fold(person.name) not in item.visit.search_text
    open_visit = next(i for i in items if not i.visit.identity_protected)
    assert open_visit.visit.listed_name == open_visit.people[0].name
    assert fold(open_visit.people[0].name) in open_visit.visit.search_text
    assert fold(open_visit.visit.summary) in open_visit.visit.search_text
    assert open_visit.visit.search_text.startswith(f"{open_visit.visit.number}/2026 ")


@pytest.mark.django_db(False)
def test_outcomes_carry_what_the_log_needs() -> None:
    items = made(1500)
    outcomes = Counter(i.visit.outcome for i in items)

    assert set(outcomes) == set(VisitOutcome.values)
    for item in items:
        visit = item.visit
        if visit.outcome == VisitOutcome.GUIDED:
            assert visit.guided_to
            assert not visit.within_competence
        if visit.outcome == VisitOutcome.TRANSFERRED:
            assert visit.accepted_by_id in (3, 4)
            assert visit.transfer_document_number
        if visit.outcome == VisitOutcome.REFUSED:
            assert rules.refusal_ground_valid_on(visit.refusal_ground, visit.received_on)
            assert visit.refusal_notice_due == rules.refusal_notice_due(
                visit.refusal_ground, visit.received_on
            )
        else:
            assert visit.refusal_ground == ""
        if visit.outcome in (VisitOutcome.RECORDED, VisitOutcome.TRANSFERRED):
            assert visit.result_notice_due == generator.result_notice_due(visit.received_on)
            assert visit.result_notice_due > visit.received_on
        else:
            assert visit.result_notice_due is None


@pytest.mark.django_db(False)
def test_a_year_not_begun_has_no_day() -> None:
    with pytest.raises(ValueError, match="No day of 2027"):
        list(
            generator.generate(
                CONTEXT, count=1, year=2027, seed=1, first_number=1, today=D(2026, 11, 20)
            )
        )


@pytest.fixture
def place() -> ReceptionPlace:
    return reception_place()


@time_machine.travel(NOW, tick=False)
def test_visits_generate_stores_the_count_with_numbers_after_the_last(
    place: ReceptionPlace,
) -> None:
    Visit.objects.create(
        organization=place.commune,
        year=2026,
        number=4,
        received_on=D(2026, 1, 2),
        summary="x",
        kind=VisitKind.FEEDBACK,
        outcome=VisitOutcome.INFORMED,
    )

    stored = generator.visits_generate(
        organization=place.commune, count=250, year=2026, seed=3, batch_size=60
    )

    generated = Visit.objects.filter(organization=place.commune).exclude(number=4)
    assert stored == 250
    assert generated.count() == 250
    assert sorted(generated.values_list("number", flat=True)) == list(range(5, 255))
    sequence = ReceptionSequence.objects.get(
        organization=place.commune, register=ReceptionSequence.Register.VISIT, year=2026
    )
    assert sequence.last_number == 254
    assert VisitPerson.objects.filter(visit__in=generated).count() >= 250
    assert set(generated.values_list("received_by", flat=True)) <= {
        place.chairman.pk,
        place.officer.pk,
    }
    event = AuditEvent.objects.get(action=generator.GENERATE_ACTION)
    assert event.data == {"count": 250, "year": 2026, "seed": 3, "first_number": 5}


@time_machine.travel(NOW, tick=False)
def test_generate_visits_command_adds_n_visits(place: ReceptionPlace) -> None:
    out = io.StringIO()

    call_command(
        "generate_visits",
        "--org",
        place.commune.code,
        "--count",
        "40",
        "--year",
        "2026",
        "--seed",
        "9",
        stdout=out,
    )
    call_command(
        "generate_visits", "--org", place.commune.code, "--count", "10", "--year", "2025",
        stdout=out,
    )  # fmt: skip

    assert Visit.objects.filter(organization=place.commune, year=2026).count() == 40
    assert Visit.objects.filter(organization=place.commune, year=2025).count() == 10
    assert "Stored 40 visits" in out.getvalue()


def test_generate_visits_refuses_an_unknown_organization() -> None:
    with pytest.raises(CommandError, match="Unknown organization code 'khong-co'"):
        call_command("generate_visits", "--org", "khong-co", "--count", "1", "--year", "2025")


@override_settings(DANVAN_DEMO=False, DEBUG=False)
def test_generate_visits_refuses_outside_the_demo(place: ReceptionPlace) -> None:
    with pytest.raises(CommandError, match="DANVAN_DEMO=true"):
        call_command(
            "generate_visits", "--org", place.commune.code, "--count", "1", "--year", "2025"
        )
    assert not Visit.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_generate_visits_refuses_a_future_year(place: ReceptionPlace) -> None:
    with pytest.raises(CommandError, match="2027 has not started"):
        call_command(
            "generate_visits", "--org", place.commune.code, "--count", "1", "--year", "2027"
        )
