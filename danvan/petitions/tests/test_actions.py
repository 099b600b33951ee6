"""The workflow service: `petition_act`."""

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from danvan.core.models import AuditEvent
from danvan.petitions import services
from danvan.petitions.actions import petition_act
from danvan.petitions.models import CaseEvent, Channel, Petition
from danvan.petitions.services import PetitionerInput
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.workflow import Action, InvalidTransition, PetitionKind, Status

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
D = datetime.date
#: Monday 3 March 2025, 10:00 in Việt Nam: no holiday within a month.
RECEIVED_AT = datetime.datetime(2025, 3, 3, 10, tzinfo=TZ)
PERSON = PetitionerInput(
    name="Nguyễn Văn An",
    identity_number="082123456789",
    phone="0912 345 678",
    email="an@example.vn",
    address="12 Lê Lợi",
)


@pytest.fixture
def officer(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="canbo", password="x")


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(RECEIVED_AT, tick=False):
        yield


def _receive(kind: PetitionKind) -> Petition:
    received = services.petition_receive(
        kind=kind,
        channel=Channel.PORTAL,
        title="Đường ngập nước",
        content="Đường Lê Lợi ngập sau mỗi trận mưa.",
        commune_code=COMMUNE,
        petitioners=[PERSON],
    )
    return Petition.objects.get(code=received.code)


def _act(petition: Petition, action: Action, actor: Any, on: D | None = None) -> Petition:
    """Act on the day of the decision, as an officer would (no future dates)."""
    if on is None:
        return petition_act(petition=petition, action=action, actor=actor)
    with time_machine.travel(datetime.datetime.combine(on, datetime.time(10), TZ), tick=False):
        return petition_act(petition=petition, action=action, actor=actor, on_date=on)


def _actions(petition: Petition) -> list[tuple[str, str, str]]:
    return list(
        CaseEvent.objects.filter(petition=petition)
        .order_by("occurred_at", "pk")
        .values_list("action", "from_status", "to_status")
    )


def test_feedback_walks_from_receipt_to_closing_within_its_answer_limit(officer: Any) -> None:
    petition = _receive(PetitionKind.FEEDBACK)
    # feedback.local_limit: 5 working days from Mon 3/3, that day not counted.
    assert petition.expected_response_by == D(2025, 3, 10)

    petition = _act(petition, Action.CLASSIFY, officer)
    petition = _act(petition, Action.ACCEPT, officer, on=D(2025, 3, 4))
    # The answer limit counts from receipt: acceptance does not move it.
    assert (petition.clock_rule_code, petition.clock_started_on) == (
        "feedback.local_limit",
        D(2025, 3, 3),
    )
    assert petition.expected_response_by == D(2025, 3, 10)
    for action in (Action.DECIDE, Action.NOTIFY, Action.CLOSE):
        petition = _act(petition, action, officer, on=D(2025, 3, 4))

    stored = Petition.objects.get(pk=petition.pk)
    assert stored.status == Status.CLOSED
    assert stored.expected_response_by == D(2025, 3, 10)
    assert _actions(petition) == [
        ("receive", "", "received"),
        ("classify", "received", "classified"),
        ("accept", "classified", "accepted"),
        ("decide", "accepted", "decided"),
        ("notify", "decided", "notified"),
        ("close", "notified", "closed"),
    ]
    accept = CaseEvent.objects.get(petition=petition, action=Action.ACCEPT)
    assert accept.actor == officer
    assert accept.is_public is True
    assert accept.data["clock"]["due"] == "2025-03-10"


def test_complaint_suspended_then_resumed_returns_to_its_status_with_the_days_left(
    officer: Any,
) -> None:
    petition = _receive(PetitionKind.COMPLAINT)
    petition = _act(petition, Action.CLASSIFY, officer)
    petition = _act(petition, Action.ACCEPT, officer, on=D(2025, 3, 3))
    # Luật Khiếu nại Art. 28: 30 days from Mon 3/3 -> Wed 2/4/2025.
    assert petition.expected_response_by == D(2025, 4, 2)
    petition = _act(petition, Action.VERIFY, officer, on=D(2025, 3, 5))

    petition = _act(petition, Action.SUSPEND, officer, on=D(2025, 3, 13))
    assert (petition.status, petition.previous_status) == (Status.SUSPENDED, Status.VERIFYING)
    assert petition.expected_response_by is None  # the clock is paused

    petition = _act(petition, Action.RESUME, officer, on=D(2025, 4, 14))
    # Decision 0006's example: 10 days used up to 13/3, 20 left from Mon
    # 14/4 -> Sun 4/5, rolled forward to Mon 5/5/2025.
    stored = Petition.objects.get(pk=petition.pk)
    assert (stored.status, stored.previous_status) == (Status.VERIFYING, "")
    assert stored.expected_response_by == D(2025, 5, 5)
    suspend = CaseEvent.objects.get(petition=petition, action=Action.SUSPEND)
    assert suspend.data["previous_status"] == "verifying"
    assert suspend.data["clock"]["effective_on"] == "2025-03-13"


def test_complex_complaint_gets_the_longer_limit(officer: Any) -> None:
    petition = _receive(PetitionKind.COMPLAINT)
    Petition.objects.filter(pk=petition.pk).update(is_complex=True)
    petition = _act(petition, Action.CLASSIFY, officer)
    petition = _act(petition, Action.ACCEPT, officer, on=D(2025, 3, 3))
    # Art. 28: 45 days for a complex case -> Thu 17/4/2025.
    assert petition.expected_response_by == D(2025, 4, 17)


def test_denunciation_extended_once_gets_thirty_more_days(officer: Any) -> None:
    petition = _receive(PetitionKind.DENUNCIATION)
    Petition.objects.filter(pk=petition.pk).update(is_complex=True)
    petition = _act(petition, Action.CLASSIFY, officer)
    petition = _act(petition, Action.ACCEPT, officer, on=D(2025, 3, 5))
    # Luật Tố cáo Art. 30: 30 days from Wed 5/3 -> Fri 4/4/2025.
    assert petition.expected_response_by == D(2025, 4, 4)

    petition = _act(petition, Action.EXTEND, officer, on=D(2025, 3, 20))
    # 60 days from 5/3 -> Sun 4/5, rolled forward to Mon 5/5/2025.
    stored = Petition.objects.get(pk=petition.pk)
    assert (stored.status, stored.extensions) == (Status.ACCEPTED, 1)
    assert stored.expected_response_by == D(2025, 5, 5)
    assert _actions(petition)[-1] == ("extend", "accepted", "accepted")


def test_an_especially_complex_denunciation_is_extended_twice_and_no_more(
    officer: Any,
) -> None:
    petition = _receive(PetitionKind.DENUNCIATION)
    Petition.objects.filter(pk=petition.pk).update(is_complex=True, is_especially_complex=True)
    petition = _act(petition, Action.CLASSIFY, officer)
    petition = _act(petition, Action.ACCEPT, officer, on=D(2025, 3, 5))
    petition = _act(petition, Action.EXTEND, officer)
    petition = _act(petition, Action.EXTEND, officer)
    events = CaseEvent.objects.filter(petition=petition).count()

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _act(petition, Action.EXTEND, officer)

    assert caught.value.message_dict == {
        "action": [
            "The time limit of this petition was already extended 2 times, "
            "the most the law allows."
        ]
    }
    assert Petition.objects.get(pk=petition.pk).extensions == 2
    assert CaseEvent.objects.filter(petition=petition).count() == events


def test_forbidden_action_raises_with_its_message_and_writes_nothing(officer: Any) -> None:
    petition = _receive(PetitionKind.FEEDBACK)
    audits = AuditEvent.objects.count()

    with translation.override("en"), pytest.raises(InvalidTransition) as caught:
        _act(petition, Action.EXTEND, officer)

    assert str(caught.value) == (
        "The action “Extend the time limit” is not allowed on a petition of kind "
        "“Feedback” in status “Received”."
    )
    assert Petition.objects.get(pk=petition.pk).status == Status.RECEIVED
    assert _actions(petition) == [("receive", "", "received")]
    assert AuditEvent.objects.count() == audits


def test_sequential_actions_see_each_others_status_through_the_row_lock(
    officer: Any,
) -> None:
    petition = _receive(PetitionKind.COMPLAINT)
    stale = Petition.objects.get(pk=petition.pk)

    _act(petition, Action.CLASSIFY, officer)
    with CaptureQueriesContext(connection) as queries:
        accepted = _act(stale, Action.ACCEPT, officer)

    assert stale.status == Status.RECEIVED  # the caller's copy is not used
    assert accepted.status == Status.ACCEPTED
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in query["sql"] for query in queries.captured_queries)
    with pytest.raises(InvalidTransition):
        _act(stale, Action.CLASSIFY, officer)
    assert _actions(petition) == [
        ("receive", "", "received"),
        ("classify", "received", "classified"),
        ("accept", "classified", "accepted"),
    ]


def test_case_event_keeps_note_and_data_and_audit_event_has_no_personal_data(
    officer: Any,
) -> None:
    petition = _receive(PetitionKind.COMPLAINT)
    note = "Đã gặp ông Nguyễn Văn An, số điện thoại 0912345678, tại 12 Lê Lợi."

    petition_act(
        petition=petition,
        action=Action.CLASSIFY,
        actor=officer,
        note=note,
        is_public=False,
        data={"contact": "an@example.vn"},
    )

    event = CaseEvent.objects.get(petition=petition, action=Action.CLASSIFY)
    assert (event.note, event.is_public, event.data) == (
        note,
        False,
        {"contact": "an@example.vn"},
    )
    audit = AuditEvent.objects.get(action="petition.classify", target_id=str(petition.pk))
    assert audit.actor == officer
    assert audit.data["from_status"] == "received"
    assert audit.data["to_status"] == "classified"
    flat = repr(audit.data) + audit.target_repr
    for personal in ("Nguyễn", "082123456789", "0912", "an@example.vn", "Lê Lợi"):
        assert personal not in flat


def test_reserved_data_keys_are_refused(officer: Any) -> None:
    petition = _receive(PetitionKind.FEEDBACK)

    with pytest.raises(ValueError, match="previous_status"):
        petition_act(
            petition=petition,
            action=Action.CLASSIFY,
            actor=officer,
            data={"previous_status": "accepted"},
        )
    assert _actions(petition) == [("receive", "", "received")]


def test_decision_dated_in_the_future_is_refused(officer: Any) -> None:
    petition = _receive(PetitionKind.FEEDBACK)
    _act(petition, Action.CLASSIFY, officer)
    with pytest.raises(ValidationError) as raised, translation.override("en"):
        petition_act(petition=petition, action=Action.ACCEPT, actor=officer, on_date=D(2025, 3, 4))
    assert raised.value.message_dict == {
        "on_date": ["The date of a decision cannot be in the future."]
    }
    assert Petition.objects.get(pk=petition.pk).status == Status.CLASSIFIED


def test_decision_dated_before_receipt_is_refused(officer: Any) -> None:
    petition = _receive(PetitionKind.FEEDBACK)
    with pytest.raises(ValidationError) as raised:
        petition_act(
            petition=petition, action=Action.CLASSIFY, actor=officer, on_date=D(2025, 3, 2)
        )
    assert raised.value.message_dict["on_date"] == [
        "Ngày ra quyết định không được trước ngày tiếp nhận đơn (3/3/2025)."
    ]
    assert not CaseEvent.objects.filter(petition=petition, action=Action.CLASSIFY).exists()


def test_a_resume_dated_before_the_suspension_is_refused_in_vietnamese(officer: Any) -> None:
    petition = _receive(PetitionKind.COMPLAINT)
    petition = _act(petition, Action.CLASSIFY, officer)
    petition = _act(petition, Action.ACCEPT, officer, on=D(2025, 3, 3))
    petition = _act(petition, Action.SUSPEND, officer, on=D(2025, 3, 13))
    with (
        time_machine.travel(datetime.datetime(2025, 3, 20, 10, tzinfo=TZ), tick=False),
        translation.override("vi"),
        pytest.raises(ValidationError) as error,
    ):
        petition_act(
            petition=petition, action=Action.RESUME, actor=officer, on_date=D(2025, 3, 10)
        )
    assert error.value.message_dict["on_date"] == [
        "Không thể tiếp tục giải quyết trước ngày tạm đình chỉ (13/3/2025)."
    ]
    stored = Petition.objects.get(pk=petition.pk)
    assert stored.status == Status.SUSPENDED
    assert not CaseEvent.objects.filter(petition=petition, action=Action.RESUME).exists()


@pytest.mark.parametrize(
    ("complex_", "especially", "allowed"), [(False, False, 0), (True, False, 1), (True, True, 2)]
)
def test_extensions_follow_how_complex_the_denunciation_is(
    officer: Any, complex_: bool, especially: bool, allowed: int
) -> None:
    """Luật Tố cáo 2018 Art. 30(1): none, once if complex, twice if especially complex."""
    petition = _receive(PetitionKind.DENUNCIATION)
    Petition.objects.filter(pk=petition.pk).update(
        is_complex=complex_, is_especially_complex=especially
    )
    petition = _act(petition, Action.CLASSIFY, officer)
    petition = _act(petition, Action.ACCEPT, officer, on=D(2025, 3, 5))
    for _ in range(allowed):
        petition = _act(petition, Action.EXTEND, officer)
    with pytest.raises(ValidationError) as caught:
        _act(petition, Action.EXTEND, officer)
    assert "action" in caught.value.message_dict
    assert Petition.objects.get(pk=petition.pk).extensions == allowed


def test_a_failure_after_the_status_change_leaves_nothing_changed(officer: Any) -> None:
    """The status, the case event and the audit event are one transaction."""
    from unittest import mock

    petition = _receive(PetitionKind.FEEDBACK)
    audits = AuditEvent.objects.count()
    with (
        mock.patch("danvan.petitions.actions.audit_record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        petition_act(petition=petition, action=Action.CLASSIFY, actor=officer)
    stored = Petition.objects.get(pk=petition.pk)
    assert stored.status == Status.RECEIVED
    assert not CaseEvent.objects.filter(petition=petition, action=Action.CLASSIFY).exists()
    assert AuditEvent.objects.count() == audits
