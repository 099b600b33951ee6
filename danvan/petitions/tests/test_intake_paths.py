"""Intake's two ways of storing: two statements on PostgreSQL, the ORM elsewhere.

On PostgreSQL a petition of one part without attachments is stored with its
case event and one statement for the rest (`services._store_one_postgresql`);
several parts, attachments and SQLite go through the ORM (`services._store`).
Both must write the same rows. Also: the per-process caches intake reads through (communes, an
organization's own limits), the code sequence, and the statements intake
costs.
"""

import datetime
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from wagtail.models import ReferenceIndex

from danvan.core.models import AuditEvent
from danvan.petitions import limits, services
from danvan.petitions.models import (
    CaseEvent,
    Channel,
    LocalTimeLimit,
    Petition,
    PetitionCodeSequence,
    Petitioner,
)
from danvan.petitions.services import PetitionerInput
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.tests.factories import org_tree
from danvan.petitions.workflow import PetitionKind

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement intake is PostgreSQL's"
)

PEOPLE = [
    PetitionerInput(
        name="  Đặng   Thị Mai ",
        identity_number="082123456789",
        phone="0912345678",
        email="mai@example.vn",
        address="12 Lê Lợi",
        is_representative=True,
    ),
    PetitionerInput(name="Lê Văn Đức", phone="0987654321", protection_waived=True),
]


def _receive(**overrides: Any) -> services.ReceivedPetition:
    fields: dict[str, Any] = {
        "kind": PetitionKind.FEEDBACK,
        "channel": Channel.API,
        "title": "  Đường   NGẬP nước\tsau mưa ",
        "content": "Đường Lê Lợi ngập,\n\nxe không qua được (50%).",
        "commune_code": COMMUNE,
        "petitioners": PEOPLE,
        "address": "Hẻm 3",
        "category": "Giao thông",
        "field": "Hạ tầng",
        "people_count": 3,
        "is_signed": True,
    }
    fields.update(overrides)
    return services.petition_receive(**fields)


def _through_the_orm(**overrides: Any) -> services.ReceivedPetition:
    with mock.patch.object(services, "_in_one_statement", return_value=False):
        return _receive(**overrides)


def _rows(code: str) -> dict[str, Any]:
    """The rows one intake wrote, without what differs by nature (ids, code, times, key)."""
    petition = Petition.objects.get(code=code)
    skip = {"id", "code", "lookup_key_hash", "search_text", "created_at", "updated_at"}
    return {
        "petition": {
            field.attname: getattr(petition, field.attname)
            for field in Petition._meta.concrete_fields
            if field.attname not in skip
        },
        "search_text": petition.search_text.removeprefix(code.lower()),
        "petitioners": list(
            Petitioner.objects.filter(petition=petition)
            .order_by("pk")
            .values(
                "name",
                "name_folded",
                "identity_number",
                "phone",
                "email",
                "address",
                "is_representative",
                "protection_waived",
            )
        ),
        "events": list(
            CaseEvent.objects.filter(petition=petition).values(
                "action", "from_status", "to_status", "actor_id", "note", "is_public", "data"
            )
        ),
        "audit": [
            {**event, "data": {**event["data"], "code": "…"}}
            for event in AuditEvent.objects.filter(
                action="petition.receive", target_id=str(petition.pk)
            ).values(
                "kind",
                "action",
                "actor_id",
                "actor_username",
                "target_type",
                "target_repr",
                "data",
                "ip_address",
                "request_id",
            )
        ],
    }


@postgresql_only
@pytest.mark.parametrize("kind", [PetitionKind.FEEDBACK, PetitionKind.DENUNCIATION])
def test_one_statement_and_the_orm_store_the_same_rows(kind: PetitionKind) -> None:
    tree = org_tree()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        fast = _receive(kind=kind, organization=tree.inspectorate)
        slow = _through_the_orm(kind=kind, organization=tree.inspectorate)

    fast_rows, slow_rows = _rows(fast.code), _rows(slow.code)
    for rows, code in ((fast_rows, fast.code), (slow_rows, slow.code)):
        assert rows["audit"][0]["target_repr"] == code
        rows["audit"][0]["target_repr"] = "…"
    assert fast_rows == slow_rows
    assert fast_rows["petition"]["organization_id"] == tree.inspectorate.pk
    assert len(fast_rows["petitioners"]) == 2
    assert (fast.expected_response_by, fast.status) == (slow.expected_response_by, slow.status)
    assert AuditEvent.objects.get(target_repr=fast.code).data["code"] == fast.code


@pytest.mark.parametrize("kind", [PetitionKind.FEEDBACK, PetitionKind.DENUNCIATION])
def test_search_text_is_what_petition_search_text_makes(kind: PetitionKind) -> None:
    received = _receive(kind=kind)

    petition = Petition.objects.get(code=received.code)
    assert petition.search_text == services.petition_search_text(
        code=received.code,
        title=petition.title,
        content=petition.content,
        kind=kind,
        names=[person.name.strip() for person in PEOPLE],
    )
    assert ("dang thi mai" in petition.search_text) is (kind != PetitionKind.DENUNCIATION)


@pytest.mark.parametrize("orm", [False, True])
def test_codes_follow_each_other_and_a_new_year_starts_at_one(orm: bool) -> None:
    receive = _through_the_orm if orm else _receive
    with time_machine.travel(datetime.datetime(2031, 1, 1, 1, tzinfo=datetime.UTC)):
        assert not PetitionCodeSequence.objects.filter(year=2031).exists()
        first, second = receive(), receive()

    assert (first.code, second.code) == ("PA-2031-000001", "PA-2031-000002")
    assert PetitionCodeSequence.objects.get(year=2031).last_number == 2


@pytest.mark.parametrize("orm", [False, True])
def test_a_code_past_six_digits_keeps_every_digit(orm: bool) -> None:
    receive = _through_the_orm if orm else _receive
    with time_machine.travel(datetime.datetime(2032, 6, 1, 3, tzinfo=datetime.UTC)):
        PetitionCodeSequence.objects.create(year=2032, last_number=999_999)
        received = receive()

    assert received.code == "PA-2032-1000000"
    assert Petition.objects.get(code=received.code).search_text.startswith("pa-2032-1000000 ")


@postgresql_only
def test_one_petition_costs_its_case_event_then_one_statement_that_takes_the_code() -> None:
    _receive()  # the commune, the routing and the limit are cached from here
    with CaptureQueriesContext(connection) as queries:
        received = _receive(petitioners=PEOPLE[:1])

    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 4, statements  # savepoint, case event, the statement, release
    assert statements[1].startswith('INSERT INTO "petitions_caseevent"')
    # The year's number is locked by the last statement before the commit.
    assert statements[2].startswith("WITH number AS (INSERT INTO petitions_petitioncodesequence")
    petition = Petition.objects.get(code=received.code)
    assert CaseEvent.objects.get(petition=petition).action == "receive"
    assert Petitioner.objects.filter(petition=petition).count() == 1


def test_an_idempotent_intake_takes_no_savepoint_of_its_own() -> None:
    with CaptureQueriesContext(connection) as queries:
        received, replayed = services.petition_receive_idempotent(
            idempotency_key="k-1", request_hash="h", receive=_receive
        )

    savepoints = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 1  # the idempotent block's own, inside the test's transaction
    assert not replayed
    assert Petition.objects.filter(code=received.code).exists()


def test_an_invalid_intake_writes_nothing_and_opens_no_transaction() -> None:
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError):
        _receive(title="")

    assert not [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]
    assert not Petition.objects.exists()


def test_communes_are_read_once_per_process_until_one_changes() -> None:
    _receive()
    with CaptureQueriesContext(connection) as queries:
        _receive()
    assert not [q for q in queries.captured_queries if "geo_commune" in q["sql"]]

    from danvan.geo.models import Commune

    commune = Commune.objects.get(code=COMMUNE)
    commune.save()  # any change forgets what was read
    with CaptureQueriesContext(connection) as queries:
        _receive()
    assert [q for q in queries.captured_queries if "geo_commune" in q["sql"]]


def test_an_unknown_commune_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValidationError) as caught:
            _receive(commune_code=99_999_999)
        assert "commune_code" in caught.value.message_dict


def test_intake_reads_an_organizations_limit_once_until_it_changes() -> None:
    tree = org_tree()
    on = datetime.date(2026, 3, 2)  # a Monday
    limit = LocalTimeLimit.objects.create(
        organization=tree.inspectorate,
        category="Giao thông",
        days=2,
        working_days=True,
        legal_basis="QĐ 01",
        valid_from=datetime.date(2025, 1, 1),
    )

    def due() -> datetime.date | None:
        return limits.expected_response_date(
            PetitionKind.FEEDBACK,
            on,
            organization=tree.inspectorate,
            category="Giao thông",
            cached=True,
        )

    assert due() == datetime.date(2026, 3, 4)
    with CaptureQueriesContext(connection) as queries:
        assert due() == datetime.date(2026, 3, 4)
    assert not queries.captured_queries

    limit.days = 5
    limit.save()
    assert due() == datetime.date(2026, 3, 9)
    # Without `cached` (case pages, actions) the table is always read.
    LocalTimeLimit.objects.filter(pk=limit.pk).update(days=3)
    assert limits.local_limit_for(tree.inspectorate, "Giao thông", on).days == 3  # type: ignore[union-attr]
    tree.inspectorate.save()  # a body's change forgets its limits too
    assert due() == datetime.date(2026, 3, 5)


def test_audit_events_are_not_queued_for_the_reference_index() -> None:
    """Else every audit event, of every service, queues a task to index it."""
    get_resolver().url_patterns  # noqa: B018 (loads the admin, which registers the viewsets)

    assert AuditEvent not in ReferenceIndex.tracked_models
    with mock.patch("wagtail.signal_handlers.update_reference_index_task") as task:
        _receive()
    task.enqueue.assert_not_called()
