"""The petition generator: rows that obey the model and the workflow, codes, secrecy, seeds."""

import datetime
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from danvan.core.models import AuditEvent
from danvan.core.text import fold
from danvan.demo import data as demo_data
from danvan.demo import reception as reception_demo
from danvan.demo.loader import load_demo
from danvan.petitions import generator
from danvan.petitions.models import CaseEvent, Channel, Petition, PetitionCodeSequence
from danvan.petitions.services import PetitionerInput, petition_receive, petition_search_text
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.workflow import (
    KIND_ACTIONS,
    TERMINAL,
    TRANSITIONS,
    Action,
    PetitionKind,
    Status,
)

NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
START = NOW - datetime.timedelta(days=3 * 365)


def fake_context() -> generator.GeneratorContext:
    """A context without a database: two provinces, made-up ids."""
    bodies = {
        prefix: generator.OrganizationRef(pk, f"{prefix}-x", f"Body {prefix}", (7,))
        for pk, prefix in enumerate(("ubnd", "bantcd", "thanhtra", "sonnmt", "soxd"), 1)
    }
    return generator.GeneratorContext(
        provinces=(
            generator.ProvinceContext(
                code=82,
                communes=((28261, "Phường Mỹ Tho"), (28262, "Xã Tân Hương")),
                bodies=bodies,
                commune_bodies={28261: generator.OrganizationRef(9, "ubnd-my-tho", "UBND", ())},
            ),
            generator.ProvinceContext(
                code=91, communes=((30001, "Phường Long Xuyên"),), bodies=bodies
            ),
        ),
        start=START,
        end=NOW,
    )


def rows(count: int, seed: int = 3) -> list[generator.GeneratedPetition]:
    return [
        item
        for batch in generator.generate(
            fake_context(), count=count, seed=seed, numbers={}, batch_size=97
        )
        for item in batch
    ]


# rows only (the calendar of days off is read from the database) ------------


def test_every_status_is_reachable_through_the_transitions() -> None:
    reached: set[Status] = set()
    for kind in PetitionKind:
        for status in Status:
            path = generator.path_for(kind, status)
            try:
                statuses = generator.path_statuses(kind, path)
            except ValueError:
                continue
            assert statuses[-1] == status
            reached.add(status)
    assert reached == set(Status)
    # Every kind reaches the common statuses.
    for kind in PetitionKind:
        for status in (Status.CLOSED, Status.FILED, Status.TRANSFERRED, Status.WITHDRAWN):
            generator.path_statuses(kind, generator.path_for(kind, status))


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows_and_another_seed_others() -> None:
    first, second, other = rows(200), rows(200), rows(200, seed=4)
    assert [g.petition for g in first] == [g.petition for g in second]
    assert [g.events for g in first] == [g.events for g in second]
    assert [g.petitioners for g in first] == [g.petitioners for g in second]
    assert [g.petition["title"] for g in first] != [g.petition["title"] for g in other]


@pytest.mark.django_db
def test_events_follow_the_workflow_and_dates_are_consistent() -> None:
    generated = rows(1500)
    statuses = Counter(g.petition["status"] for g in generated)
    kinds = Counter(g.petition["kind"] for g in generated)
    assert kinds["feedback"] > kinds["complaint"] > kinds["denunciation"] > 0
    assert statuses["closed"] > len(generated) / 3
    for item in generated:
        p, events = item.petition, item.events
        kind = PetitionKind(p["kind"])
        assert events[0]["action"] == Action.RECEIVE
        assert events[0]["occurred_at"] == p["received_at"]
        status = Status.RECEIVED
        for event in events[1:]:
            action = Action(event["action"])
            assert action in KIND_ACTIONS[kind]
            assert event["from_status"] == status
            status = TRANSITIONS[status][action]
            assert event["to_status"] == status
        assert p["status"] == status
        times = [e["occurred_at"] for e in events]
        assert times == sorted(times)
        assert times[-1] <= NOW
        actions = [e["action"] for e in events]
        decided = [e for e in events if e["action"] == Action.DECIDE]
        closed = [e for e in events if e["action"] == Action.CLOSE]
        assert p["resolved_on"] == (
            timezone.localdate(decided[0]["occurred_at"]) if decided else None
        )
        assert p["closed_at"] == (closed[0]["occurred_at"] if closed else None)
        if p["resolved_on"]:
            assert p["resolved_on"] >= timezone.localdate(p["received_at"])
        if Action.ACCEPT in actions:
            assert p["clock_rule_code"]
            assert p["clock_started_on"]
            assert p["eligibility"] == "eligible"
        if p["status"] == Status.SUSPENDED:
            assert p["expected_response_by"] is None
            assert p["previous_status"] == Status.VERIFYING
        else:
            assert p["expected_response_by"] is not None
        assert p["people_count"] >= 1
        assert p["search_text"] == petition_search_text(
            code=p["code"],
            title=p["title"],
            content=p["content"],
            kind=p["kind"],
            names=[person["name"] for person in item.petitioners],
        )
        assert p["is_anonymous"] == (not item.petitioners)
        if p["is_anonymous"] and kind == PetitionKind.DENUNCIATION:
            assert p["status"] in (Status.FILED, Status.RECEIVED)
    # Open petitions are recent, and some are overdue.
    open_ages = [
        (NOW - g.petition["received_at"]).days
        for g in generated
        if g.petition["status"] not in TERMINAL
    ]
    assert sorted(open_ages)[len(open_ages) // 2] < 120
    assert any(
        g.petition["status"] not in TERMINAL
        and g.petition["expected_response_by"] is not None
        and g.petition["expected_response_by"] < NOW.date()
        for g in generated
    )


@pytest.mark.django_db
def test_denouncers_names_are_never_in_the_search_text() -> None:
    checked = 0
    for item in rows(1500):
        if item.petition["kind"] != PetitionKind.DENUNCIATION:
            continue
        for person in item.petitioners:
            assert person["name_folded"] == fold(person["name"])
            assert person["name_folded"] not in item.petition["search_text"]
            checked += 1
    assert checked > 10


# stored ---------------------------------------------------------------------

#: The demo's generated petitions and those its reception visits bring.
DEMO_TOTAL = demo_data.DEMO_PETITIONS + (
    reception_demo.PETITIONS_PER_PROVINCE * reception_demo.PROVINCE_COUNT
)


@pytest.mark.django_db(transaction=False)
def test_demo_adds_petitions_once_and_they_obey_the_model() -> None:
    load_demo()
    demo = Petition.objects.count()
    assert demo == DEMO_TOTAL
    report = load_demo()
    assert Petition.objects.count() == demo
    assert not report.changed
    for petition in Petition.objects.order_by("?")[:40]:
        petition.full_clean()
        assert petition.organization is not None
        assert petition.organization.code.split("-")[0] in {
            "ubnd",
            "bantgdv",
            "mttq",
            "bantcd",
            "thanhtra",
            "sonnmt",
            "soxd",
        }
    assert CaseEvent.objects.filter(action=Action.RECEIVE).count() == demo
    assert Petition.objects.exclude(assigned_to=None).exists()


@pytest.mark.django_db(transaction=False)
def test_codes_are_unique_and_intake_continues_after_them() -> None:
    load_demo()
    end = timezone.now().replace(microsecond=0)
    context = generator.demo_context(start=end - datetime.timedelta(days=400), end=end)
    stored = generator.petitions_generate(context, count=250, seed=11, batch_size=60)
    assert stored == 250
    codes = list(Petition.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 250 + DEMO_TOTAL
    assert all(re.fullmatch(r"PA-\d{4}-\d{6}", code) for code in codes)
    year = timezone.localdate().year
    last = max(int(c.rsplit("-", 1)[1]) for c in codes if c.startswith(f"PA-{year}-"))
    assert PetitionCodeSequence.objects.get(year=year).last_number == last
    received = petition_receive(
        kind=PetitionKind.FEEDBACK,
        channel=Channel.PORTAL,
        title="Đèn đường hỏng",
        content="Đèn đường trước nhà hỏng đã lâu.",
        commune_code=COMMUNE,
        petitioners=[PetitionerInput(name="Nguyễn Văn An")],
    )
    assert received.code == f"PA-{year}-{last + 1:06d}"


@pytest.mark.django_db(transaction=False)
def test_a_second_run_with_the_same_seed_is_refused_unless_forced() -> None:
    load_demo()
    end = timezone.now().replace(microsecond=0)
    context = generator.demo_context(
        start=end - datetime.timedelta(days=100), end=end, organizations=["thanhtra-can-tho"]
    )
    assert generator.petitions_generate(context, count=20, seed=5) == 20
    assert set(Petition.objects.values_list("organization__code", flat=True).distinct()) >= {
        "thanhtra-can-tho"
    }
    with pytest.raises(generator.AlreadyGenerated):
        generator.petitions_generate(context, count=20, seed=5)
    assert generator.petitions_generate(context, count=20, seed=5, force=True) == 20
    assert AuditEvent.objects.filter(action=generator.GENERATE_ACTION).count() == 3


@pytest.mark.django_db(transaction=False)
@override_settings(DANVAN_DEMO=False, DEBUG=False)
def test_the_command_refuses_without_the_demo_setting() -> None:
    with pytest.raises(CommandError, match="DANVAN_DEMO"):
        call_command("generate_petitions", count=5, skip_checks=True)


@pytest.mark.django_db(transaction=False)
@override_settings(DANVAN_DEMO=True)
def test_the_command_limits_to_the_organizations_given() -> None:
    load_demo()
    before = Petition.objects.count()
    call_command(
        "generate_petitions",
        count=30,
        seed=8,
        years=1,
        organizations="thanhtra-ca-mau,ubnd-phuong-bac-lieu",
        verbosity=0,
        skip_checks=True,
    )
    new = Petition.objects.order_by("-id")[:30]
    assert Petition.objects.count() == before + 30
    assert {p.organization.code for p in new if p.organization} <= {
        "thanhtra-ca-mau",
        "ubnd-phuong-bac-lieu",
    }
    assert all(p.organization for p in new)
    with pytest.raises(CommandError, match="Already generated"):
        call_command(
            "generate_petitions",
            count=30,
            seed=8,
            years=1,
            organizations="thanhtra-ca-mau,ubnd-phuong-bac-lieu",
            verbosity=0,
            skip_checks=True,
        )
