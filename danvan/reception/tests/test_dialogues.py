"""Dialogues and their commitments (`reception.dialogues`), and their place in the digest."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.core.models import AppendOnlyError, AuditEvent
from danvan.geo.models import Commune
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import organization_create
from danvan.petitions import handling
from danvan.petitions.models import CaseEvent, Petition
from danvan.petitions.notifications import DIGEST_ACTION, due_digests_send
from danvan.petitions.tests.conftest import COMMUNE, translated
from danvan.petitions.tests.factories import make_petition, staff_user
from danvan.petitions.workflow import Action, PetitionKind, Status
from danvan.reception import dialogues
from danvan.reception.dialogues import (
    CommitmentInput,
    IssueInput,
    ParticipantInput,
    commitment_done_on_time,
    commitment_update,
    commitments_of,
    commitments_overdue,
    communes_without_annual_dialogue,
    complaint_dialogue_missing,
    dialogue_cancel,
    dialogue_notice_due,
    dialogue_notice_late,
    dialogue_plan,
    dialogue_record_held,
    dialogue_send_notice,
)
from danvan.reception.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Dialogue,
    DialogueIssue,
    DialogueKind,
    DialogueParticipant,
    DialogueStatus,
    ParticipantSide,
    SignatureStatus,
)
from danvan.reception.tests.factories import ReceptionPlace, reception_place

pytestmark = pytest.mark.django_db

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=7))
#: Monday 3 August 2026, 09:00 in Việt Nam, after NĐ 155/2026 came into force.
NOW = datetime.datetime(2026, 8, 3, 9, tzinfo=TZ)
TODAY = NOW.date()


def at(day: D) -> Any:
    """Travel to 09:00 of `day` in Việt Nam."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=TZ))


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def place() -> ReceptionPlace:
    return reception_place()


@pytest.fixture
def root() -> Any:
    return staff_user(username="root", is_superuser=True)


def _steps(petition: Petition, actor: Any, *actions: str, **extra: Any) -> Petition:
    for action in actions:
        petition = handling.petition_perform(
            petition=petition, actor=actor, action=action, **extra
        )
    return petition


@pytest.fixture
def complaint(place: ReceptionPlace) -> Petition:
    """A first-instance complaint of the commune, received 1 July 2026, being verified."""
    with at(D(2026, 7, 1)):
        petition = make_petition(
            kind=PetitionKind.COMPLAINT,
            organization=place.commune,
            title="Khiếu nại quyết định thu hồi đất",
        )
        return _steps(petition, place.chairman, "classify", "accept", "verify")


@pytest.fixture
def appeal(place: ReceptionPlace) -> Petition:
    """A complaint decided by the commune after a dialogue, appealed, now verified by the
    province at the second instance."""
    with at(D(2026, 7, 1)):
        petition = make_petition(
            kind=PetitionKind.COMPLAINT,
            organization=place.commune,
            title="Khiếu nại việc bồi thường",
        )
        petition = _steps(
            petition,
            place.chairman,
            "classify",
            "accept",
            "verify",
            "hold_dialogue",
            "decide",
            "notify",
            "appeal",
        )
        petition = _steps(petition, place.province_chairman, "receive")
        petition = _steps(
            petition, place.province_chairman, "route", organization=place.province.code
        )
        petition = _steps(petition, place.province_chairman, "classify", "accept", "verify")
    assert (petition.instance, petition.status, petition.organization_id) == (
        2,
        Status.VERIFYING,
        place.province.pk,
    )
    return petition


def _plan_complaint(site: ReceptionPlace, case: Petition, **extra: Any) -> Dialogue:
    organization = extra.pop("organization", case.organization)
    values: dict[str, Any] = {
        "actor": site.chairman if organization == site.commune else site.province_chairman,
        "organization": organization,
        "kind": DialogueKind.COMPLAINT,
        "subject": "Đối thoại về việc thu hồi đất",
        "date": D(2026, 7, 31),
        "place": "Trụ sở Ủy ban nhân dân phường Mỹ Tho",
        "chair_name": "Trần Thị Tâm",
        "chair_title": "Chủ tịch",
        "petition": case,
        "notice_number": "12/TB-UBND",
        "notice_sent_on": D(2026, 7, 24),
    }
    values.update(extra)
    return dialogue_plan(**values)


def _plan_annual(site: ReceptionPlace, **extra: Any) -> Dialogue:
    values: dict[str, Any] = {
        "actor": site.chairman,
        "organization": site.commune,
        "kind": DialogueKind.ANNUAL,
        "subject": "Hội nghị đối thoại với Nhân dân năm 2026",
        "date": D(2026, 7, 28),
        "place": "Nhà văn hóa khu phố 3",
        "chair_name": "Trần Thị Tâm",
        "chair_title": "Chủ tịch",
        "fatherland_front": site.front,
    }
    values.update(extra)
    return dialogue_plan(**values)


CITIZEN = ParticipantInput(
    side=ParticipantSide.CITIZEN,
    name="Nguyễn Văn An",
    title="Người khiếu nại",
    signature=SignatureStatus.SIGNED,
)
OFFICIAL = ParticipantInput(
    side=ParticipantSide.OFFICIAL,
    name="Trần Thị Tâm",
    title="Chủ tịch UBND phường",
    signature=SignatureStatus.SIGNED,
)
ISSUE = IssueInput(
    question="Giá bồi thường thấp hơn giá thị trường.",
    answer="Sẽ rà soát lại bảng giá đất.",
    raised_by="Nguyễn Văn An",
    answered_by="Trần Thị Tâm",
)


def _hold(
    place: ReceptionPlace,
    dialogue: Dialogue,
    *,
    actor: Any = None,
    participants: list[ParticipantInput] | None = None,
    issues: list[IssueInput] | None = None,
    commitments: list[CommitmentInput] | None = None,
    minutes_summary: str = "Các bên thống nhất rà soát lại phương án bồi thường.",
) -> Dialogue:
    return dialogue_record_held(
        actor=actor or (place.chairman if dialogue.organization == place.commune else None),
        dialogue=dialogue,
        participants=[CITIZEN, OFFICIAL] if participants is None else participants,
        issues=[ISSUE] if issues is None else issues,
        minutes_summary=minutes_summary,
        commitments=commitments or [],
    )


def _errors(info: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return info.value.message_dict


# --- the notice rule ---------------------------------------------------------


def test_a_notice_five_days_before_is_on_time_and_four_days_before_is_late(
    place: ReceptionPlace, complaint: Petition
) -> None:
    dialogue = _plan_complaint(place, complaint, notice_number="", notice_sent_on=None)
    assert dialogue_notice_due(dialogue) == D(2026, 7, 26)  # 31 July − 5 calendar days
    assert not dialogue_notice_late(dialogue)  # nothing sent yet

    dialogue = dialogue_send_notice(
        actor=place.officer, dialogue=dialogue, number="15/TB-UBND", sent_on=D(2026, 7, 26)
    )
    assert (dialogue.notice_number, dialogue.notice_sent_on) == ("15/TB-UBND", D(2026, 7, 26))
    assert not dialogue_notice_late(dialogue)

    # Corrected while planned: sent one day later, it is accepted but flagged.
    dialogue = dialogue_send_notice(
        actor=place.officer, dialogue=dialogue, number="15/TB-UBND", sent_on=D(2026, 7, 27)
    )
    assert dialogue_notice_late(Dialogue.objects.get(pk=dialogue.pk))
    events = AuditEvent.objects.filter(action="dialogue.send_notice", target_id=str(dialogue.pk))
    assert [(e.data["sent_on"], e.data["notice_late"]) for e in events.order_by("pk")] == [
        ("2026-07-26", False),
        ("2026-07-27", True),
    ]
    assert events.order_by("pk").last().data["due"] == "2026-07-26"


def test_the_five_day_rule_applies_to_dialogues_from_1_july_2026(place: ReceptionPlace) -> None:
    # Before NĐ 155/2026: a notice is required but no figure is set, so none is late.
    before = _plan_annual(
        place, date=D(2026, 6, 30), notice_number="1/TB", notice_sent_on=D(2026, 6, 29)
    )
    assert dialogue_notice_due(before) is None
    assert not dialogue_notice_late(before)
    dialogue_cancel(actor=place.chairman, dialogue=before, reason="Dời lịch")
    # On the first day of the rule: 1 July needs a notice by 26 June.
    on_time = _plan_annual(
        place, date=D(2026, 7, 1), notice_number="2/TB", notice_sent_on=D(2026, 6, 26)
    )
    assert dialogue_notice_due(on_time) == D(2026, 6, 26)
    assert not dialogue_notice_late(on_time)
    late = _plan_annual(
        place, date=D(2026, 7, 1), notice_number="3/TB", notice_sent_on=D(2026, 6, 27)
    )
    assert dialogue_notice_late(late)
    event = AuditEvent.objects.get(action="dialogue.plan", target_id=str(late.pk))
    assert event.data["notice_late"] is True


def test_a_complaint_dialogue_without_a_notice_cannot_be_recorded_as_held(
    place: ReceptionPlace, complaint: Petition
) -> None:
    dialogue = _plan_complaint(place, complaint, notice_number="", notice_sent_on=None)
    with pytest.raises(ValidationError) as info:
        _hold(place, dialogue)
    assert list(_errors(info)) == ["notice_sent_on"]
    assert "124/2020" in _errors(info)["notice_sent_on"][0]  # NĐ 124/2020 Art. 28
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.PLANNED
    assert not DialogueParticipant.objects.filter(dialogue=dialogue).exists()
    # Late, but recorded: the dialogue may then be held.
    dialogue_send_notice(
        actor=place.chairman, dialogue=dialogue, number="20/TB", sent_on=D(2026, 7, 30)
    )
    assert _hold(place, dialogue).status == DialogueStatus.HELD
    event = AuditEvent.objects.get(action="dialogue.record_held", target_id=str(dialogue.pk))
    assert event.data["notice_late"] is True


def test_an_annual_dialogue_needs_no_notice_to_be_held(place: ReceptionPlace) -> None:
    dialogue = _hold(place, _plan_annual(place))
    assert dialogue.status == DialogueStatus.HELD
    assert dialogue.notice_sent_on is None


# --- complaints: the petition's timeline and the second instance -------------


def test_recording_a_complaint_dialogue_takes_the_hold_dialogue_step(
    place: ReceptionPlace, complaint: Petition
) -> None:
    dialogue = _plan_complaint(place, complaint)
    _hold(place, dialogue)
    complaint.refresh_from_db()
    assert complaint.status == Status.DIALOGUE
    event = CaseEvent.objects.filter(petition=complaint).order_by("pk").last()
    assert (event.action, event.from_status, event.to_status) == (
        Action.HOLD_DIALOGUE,
        Status.VERIFYING,
        Status.DIALOGUE,
    )
    assert event.actor == place.chairman
    assert "31/7/2026" in event.note
    audit = AuditEvent.objects.get(action="dialogue.record_held", target_id=str(dialogue.pk))
    assert audit.data["petition"] == complaint.code
    assert audit.data["petition_step"] is True
    assert AuditEvent.objects.filter(action="petition.hold_dialogue").count() == 1
    # Personal data stays out of the audit trail.
    assert "Nguyễn Văn An" not in str(audit.data)


def test_a_dialogue_recorded_while_the_status_does_not_allow_the_step_leaves_it(
    place: ReceptionPlace,
) -> None:
    with at(D(2026, 7, 1)):
        accepted = make_petition(kind=PetitionKind.COMPLAINT, organization=place.commune)
        accepted = _steps(accepted, place.chairman, "classify", "accept")
    dialogue = _plan_complaint(place, accepted)
    _hold(place, dialogue)
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED  # hold_dialogue is taken from "verifying" only
    assert not CaseEvent.objects.filter(petition=accepted, action=Action.HOLD_DIALOGUE).exists()
    audit = AuditEvent.objects.get(action="dialogue.record_held", target_id=str(dialogue.pk))
    assert audit.data["petition_step"] is False


def test_the_dialogue_and_the_petition_step_are_one_transaction(
    place: ReceptionPlace, complaint: Petition, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialogue = _plan_complaint(place, complaint)

    def refuse(**kwargs: Any) -> None:
        raise PermissionDenied("no")

    monkeypatch.setattr(handling, "petition_perform", refuse)
    with pytest.raises(PermissionDenied):
        _hold(
            place,
            dialogue,
            commitments=[
                CommitmentInput(description="Rà soát", owner=place.commune, due_on=D(2026, 8, 30))
            ],
        )
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.PLANNED
    assert not DialogueParticipant.objects.filter(dialogue=dialogue).exists()
    assert not Commitment.objects.exists()
    assert not AuditEvent.objects.filter(action="dialogue.record_held").exists()


def test_second_instance_complaints_without_a_dialogue_are_listed(
    place: ReceptionPlace, complaint: Petition, appeal: Petition
) -> None:
    # The first-instance dialogue of `appeal` does not count at the second instance;
    # `complaint` is at the first instance, where a dialogue is not mandatory.
    with CaptureQueriesContext(connection) as queries:
        missing = list(complaint_dialogue_missing())
    assert len(queries) == 1
    assert missing == [appeal]
    assert list(complaint_dialogue_missing(organizations=[place.commune])) == []
    assert list(
        complaint_dialogue_missing(organizations=Organization.objects.filter(pk=place.province.pk))
    ) == [appeal]
    assert appeal.expected_response_by is not None
    assert list(complaint_dialogue_missing(due_by=appeal.expected_response_by)) == [appeal]
    day_before = appeal.expected_response_by - datetime.timedelta(days=1)
    assert list(complaint_dialogue_missing(due_by=day_before)) == []

    # A dialogue planned or cancelled is not a dialogue held.
    dialogue = _plan_complaint(place, appeal, date=D(2026, 7, 30))
    dialogue_cancel(actor=place.province_chairman, dialogue=dialogue, reason="Đương sự ốm")
    assert list(complaint_dialogue_missing()) == [appeal]
    dialogue = _plan_complaint(place, appeal, date=D(2026, 7, 31))
    assert list(complaint_dialogue_missing()) == [appeal]
    _hold(place, dialogue, actor=place.province_chairman)
    assert list(complaint_dialogue_missing()) == []
    # Back to verification after the dialogue: still held at this instance.
    _steps(appeal, place.province_chairman, "verify")
    assert list(complaint_dialogue_missing()) == []


def test_a_held_dialogue_counts_even_when_the_step_could_not_be_taken(
    place: ReceptionPlace, appeal: Petition
) -> None:
    with at(D(2026, 7, 1)):
        # A second appeal, accepted at the second instance and not yet verified.
        other = make_petition(kind=PetitionKind.COMPLAINT, organization=place.commune)
        other = _steps(other, place.chairman, "classify", "accept", "decide", "notify", "appeal")
        other = _steps(other, place.province_chairman, "receive")
        other = _steps(other, place.province_chairman, "route", organization=place.province.code)
        other = _steps(other, place.province_chairman, "classify", "accept")
    assert set(complaint_dialogue_missing()) == {appeal, other}
    _hold(place, _plan_complaint(place, other), actor=place.province_chairman)
    assert Petition.objects.get(pk=other.pk).status == Status.ACCEPTED
    assert list(complaint_dialogue_missing()) == [appeal]


# --- minutes -------------------------------------------------------------------


def test_a_refused_signature_needs_its_reason(place: ReceptionPlace, complaint: Petition) -> None:
    dialogue = _plan_complaint(place, complaint)
    refused = ParticipantInput(
        side=ParticipantSide.CITIZEN,
        name="Lê Văn Bình",
        title="Người có quyền, nghĩa vụ liên quan",
        signature=SignatureStatus.REFUSED,
    )
    with pytest.raises(ValidationError) as info:
        _hold(place, dialogue, participants=[CITIZEN, refused])
    assert _errors(info) == {
        "participants[1].refusal_reason": [
            translated("The minutes must record why this party refused to sign.")
        ]
    }
    reason_without_refusal = ParticipantInput(
        side=ParticipantSide.OFFICIAL,
        name="Phạm Văn Cường",
        signature=SignatureStatus.SIGNED,
        refusal_reason="Không đồng ý",
    )
    pending = ParticipantInput(
        side=ParticipantSide.OFFICIAL, name="Võ Thị Dung", signature=SignatureStatus.PENDING
    )
    with pytest.raises(ValidationError) as info:
        _hold(place, dialogue, participants=[CITIZEN, reason_without_refusal, pending])
    assert set(_errors(info)) == {"participants[1].refusal_reason", "participants[2].signature"}

    finger = ParticipantInput(
        side=ParticipantSide.CITIZEN, name="Đỗ Thị Em", signature=SignatureStatus.FINGER_PRINTED
    )
    absent = ParticipantInput(
        side=ParticipantSide.ORGANIZATION,
        name="Hội Nông dân phường",
        organization=place.front,
        signature=SignatureStatus.ABSENT,
    )
    refused_with_reason = ParticipantInput(
        side=ParticipantSide.CITIZEN,
        name="Lê Văn Bình",
        signature=SignatureStatus.REFUSED,
        refusal_reason="  Không đồng ý với kết luận về giá đất  ",
    )
    _hold(place, dialogue, participants=[CITIZEN, refused_with_reason, finger, absent])
    rows = list(
        DialogueParticipant.objects.filter(dialogue=dialogue).values_list(
            "position", "name", "signature", "refusal_reason", "organization"
        )
    )
    assert rows == [
        (0, "Nguyễn Văn An", SignatureStatus.SIGNED, "", None),
        (1, "Lê Văn Bình", SignatureStatus.REFUSED, "Không đồng ý với kết luận về giá đất", None),
        (2, "Đỗ Thị Em", SignatureStatus.FINGER_PRINTED, "", None),
        (3, "Hội Nông dân phường", SignatureStatus.ABSENT, "", place.front.pk),
    ]
    audit = AuditEvent.objects.get(action="dialogue.record_held", target_id=str(dialogue.pk))
    assert audit.data["signatures"] == {
        "signed": 1,
        "refused": 1,
        "finger_printed": 1,
        "absent": 1,
    }


def test_recording_replaces_the_participants_and_issues_of_a_draft(
    place: ReceptionPlace,
) -> None:
    dialogue = _plan_annual(place)
    DialogueParticipant.objects.create(
        dialogue=dialogue, side=ParticipantSide.CITIZEN, name="Khách mời dự kiến"
    )
    DialogueIssue.objects.create(dialogue=dialogue, question="Câu hỏi gửi trước")
    second = IssueInput(question="Đường ngập khi mưa", answer="Sẽ nạo vét cống trong tháng 8.")
    _hold(place, dialogue, issues=[ISSUE, second])
    assert list(dialogue.participants.values_list("name", flat=True)) == [
        "Nguyễn Văn An",
        "Trần Thị Tâm",
    ]
    assert list(dialogue.issues.values_list("position", "question")) == [
        (0, ISSUE.question),
        (1, "Đường ngập khi mưa"),
    ]
    dialogue.refresh_from_db()
    assert dialogue.minutes_summary == "Các bên thống nhất rà soát lại phương án bồi thường."


# --- commitments -----------------------------------------------------------------


def _annual_with_commitments(place: ReceptionPlace) -> tuple[Dialogue, Commitment, Commitment]:
    second = IssueInput(question="Đường ngập khi mưa")
    dialogue = _hold(
        place,
        _plan_annual(place),
        issues=[ISSUE, second],
        commitments=[
            CommitmentInput(
                description="Nạo vét cống đường Lê Lợi",
                owner=place.commune,
                due_on=D(2026, 8, 10),
                issue=1,
            ),
            CommitmentInput(
                description="  Rà soát bảng giá đất khu phố 3  ",
                owner=place.department,
                due_on=D(2026, 7, 28),  # the day of the dialogue itself
            ),
        ],
    )
    drain, prices = Commitment.objects.filter(dialogue=dialogue).order_by("pk")
    return dialogue, drain, prices


def test_commitments_are_created_and_followed_up_to_done(place: ReceptionPlace) -> None:
    dialogue, drain, prices = _annual_with_commitments(place)
    assert (drain.owner, drain.due_on, drain.status, drain.issue.position) == (
        place.commune,
        D(2026, 8, 10),
        CommitmentStatus.OPEN,
        1,
    )
    assert (prices.description, prices.owner, prices.issue) == (
        "Rà soát bảng giá đất khu phố 3",
        place.department,
        None,
    )
    assert commitment_done_on_time(drain) is None

    # Progress, then done on time by the owner's staff.
    commitment_update(
        actor=place.officer, commitment=drain, status=CommitmentStatus.OPEN, note="Đã khảo sát."
    )
    drain = commitment_update(
        actor=place.chairman,
        commitment=drain,
        status=CommitmentStatus.DONE,
        note="Đã nạo vét 300 m cống.",
        done_on=D(2026, 8, 3),
    )
    assert (drain.status, drain.done_on, drain.result) == (
        CommitmentStatus.DONE,
        D(2026, 8, 3),
        "Đã nạo vét 300 m cống.",
    )
    assert commitment_done_on_time(drain) is True
    # Done late, by the department that owns it.
    prices = commitment_update(
        actor=place.department_head,
        commitment=prices,
        status=CommitmentStatus.DONE,
        done_on=D(2026, 7, 30),
    )
    assert commitment_done_on_time(prices) is False

    updates = CommitmentUpdate.objects.filter(commitment=drain).order_by("pk")
    assert [(u.status, u.actor) for u in updates] == [
        (CommitmentStatus.OPEN, place.officer),
        (CommitmentStatus.DONE, place.chairman),
    ]
    with pytest.raises(AppendOnlyError):
        updates.update(note="sửa")
    with pytest.raises(AppendOnlyError):
        updates.first().delete()
    audit = AuditEvent.objects.filter(action="commitment.update", target_id=str(prices.pk)).get()
    assert audit.data == {
        "dialogue": dialogue.pk,
        "owner": place.department.pk,
        "from_status": "open",
        "to_status": "done",
        "due_on": "2026-07-28",
        "done_on": "2026-07-30",
        "on_time": False,
        "has_note": False,
    }

    # Reopened, it is open again, without its done date; then cancelled.
    drain = commitment_update(
        actor=place.chairman,
        commitment=drain,
        status=CommitmentStatus.OPEN,
        note="Cống lại tắc sau trận mưa.",
    )
    assert (drain.status, drain.done_on, commitment_done_on_time(drain)) == (
        CommitmentStatus.OPEN,
        None,
        None,
    )
    drain = commitment_update(
        actor=place.chairman,
        commitment=drain,
        status=CommitmentStatus.CANCELLED,
        note="Chuyển sang dự án chống ngập của tỉnh.",
    )
    assert drain.status == CommitmentStatus.CANCELLED
    assert CommitmentUpdate.objects.filter(commitment=drain).count() == 4


def test_only_the_owner_or_the_dialogue_organization_follow_a_commitment_up(
    place: ReceptionPlace, root: Any
) -> None:
    _dialogue, drain, prices = _annual_with_commitments(place)
    outsider = staff_user(place.department, Role.HANDLER, username="cv-so")
    commission = staff_user(username="ban-dan-van")
    inactive = staff_user(place.commune, Role.HEAD, username="cu", is_active=False)
    for actor in (
        place.department_head,  # another body's head: the commune owns the drain
        outsider,
        place.province_chairman,  # a head above does not act for the commune
        commission,
        inactive,
        None,
    ):
        with pytest.raises(PermissionDenied):
            commitment_update(
                actor=actor, commitment=drain, status=CommitmentStatus.OPEN, note="Tiến độ"
            )
    assert not CommitmentUpdate.objects.filter(commitment=drain).exists()
    # The dialogue's organization may follow up the department's commitment, and so may
    # the department (any role) and a superuser.
    for actor in (place.officer, outsider, root):
        commitment_update(
            actor=actor, commitment=prices, status=CommitmentStatus.OPEN, note="Đang làm"
        )
    assert CommitmentUpdate.objects.filter(commitment=prices).count() == 3


def test_commitment_update_refuses_bad_input(place: ReceptionPlace) -> None:
    _dialogue, drain, _prices = _annual_with_commitments(place)

    def refused(**values: Any) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as info:
            commitment_update(actor=place.chairman, commitment=drain, **values)
        return _errors(info)

    assert set(refused(status="finished")) == {"status"}
    assert set(refused(status=CommitmentStatus.DONE)) == {"done_on"}
    assert set(refused(status=CommitmentStatus.DONE, done_on="2026-08-01")) == {"done_on"}
    assert set(refused(status=CommitmentStatus.DONE, done_on=D(2026, 8, 4))) == {"done_on"}
    assert set(refused(status=CommitmentStatus.DONE, done_on=D(2026, 7, 27))) == {"done_on"}
    assert set(refused(status=CommitmentStatus.OPEN)) == {"note"}
    assert set(refused(status=CommitmentStatus.OPEN, note="x", done_on=TODAY)) == {"done_on"}
    assert set(refused(status=CommitmentStatus.CANCELLED, note="  ")) == {"note"}
    assert set(refused(status=CommitmentStatus.OPEN, note="x" * 10_001)) == {"note"}
    assert not CommitmentUpdate.objects.exists()
    commitment_update(
        actor=place.chairman, commitment=drain, status=CommitmentStatus.DONE, done_on=TODAY
    )
    assert set(refused(status=CommitmentStatus.DONE, done_on=TODAY)) == {"status"}


def test_commitment_reads(place: ReceptionPlace, django_assert_num_queries: Any) -> None:
    _dialogue, drain, prices = _annual_with_commitments(place)
    with django_assert_num_queries(1):
        rows = list(commitments_of(organizations=[place.commune, place.department]))
        assert [(c.description, c.dialogue.subject, c.owner.code) for c in rows] == [
            (
                "Rà soát bảng giá đất khu phố 3",
                "Hội nghị đối thoại với Nhân dân năm 2026",
                "t-so-tnmt-dong-thap",
            ),
            (
                "Nạo vét cống đường Lê Lợi",
                "Hội nghị đối thoại với Nhân dân năm 2026",
                "t-ubnd-my-tho",
            ),
        ]
    assert list(commitments_of(organizations=[place.commune])) == [drain]
    assert list(
        commitments_of(
            organizations=Organization.objects.filter(pk=place.department.pk),
            status=CommitmentStatus.OPEN,
        )
    ) == [prices]
    assert list(commitments_of(organizations=[place.commune], status=CommitmentStatus.DONE)) == []
    with pytest.raises(ValueError, match="Unknown commitment status"):
        commitments_of(organizations=[place.commune], status="late")

    both = [place.commune, place.department]
    assert list(commitments_overdue(organizations=both, today=D(2026, 7, 28))) == []
    assert list(commitments_overdue(organizations=both, today=D(2026, 7, 29))) == [prices]
    assert list(commitments_overdue(organizations=both, today=D(2026, 8, 11))) == [prices, drain]
    commitment_update(
        actor=place.chairman, commitment=drain, status=CommitmentStatus.DONE, done_on=TODAY
    )
    assert list(commitments_overdue(organizations=both, today=D(2026, 8, 11))) == [prices]


# --- the annual-dialogue flag ------------------------------------------------------


def _commune_committee(
    code: str, commune: Commune, **extra: Any
) -> tuple[Organization, Organization]:
    committee = organization_create(
        actor=None,
        code=f"ubnd-{code}",
        name=f"Ủy ban nhân dân {commune.name}",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.COMMUNE,
        province=commune.province,
        commune=commune,
        **extra,
    )
    front = organization_create(
        actor=None,
        code=f"mttq-{code}",
        name=f"Ủy ban MTTQ {commune.name}",
        kind=OrganizationKind.FATHERLAND_FRONT,
        level=OrganizationLevel.COMMUNE,
        province=commune.province,
        commune=commune,
    )
    return committee, front


def test_communes_without_an_annual_dialogue_are_flagged(
    place: ReceptionPlace, root: Any, django_assert_num_queries: Any
) -> None:
    a, b, c = Commune.objects.filter(province_id=82).exclude(code=COMMUNE).order_by("code")[:3]
    cancelled, cancelled_front = _commune_committee("b", a)
    held, held_front = _commune_committee("c", b)
    merged, _merged_front = _commune_committee("d", c, valid_to=D(2026, 6, 30))
    far = Commune.objects.exclude(province_id=82).order_by("code").first()
    elsewhere, _front = _commune_committee("e", far)

    def annual(organization: Organization, front: Organization, day: D) -> Dialogue:
        return _plan_annual(
            place, actor=root, organization=organization, fatherland_front=front, date=day
        )

    # Mỹ Tho held one last year, none this year (one is only planned).
    _hold(place, annual(place.commune, place.front, D(2025, 12, 10)))
    annual(place.commune, place.front, D(2026, 12, 10))
    # B's dialogue of this year was cancelled; C held one; D was merged away mid-year.
    dialogue_cancel(
        actor=root, dialogue=annual(cancelled, cancelled_front, D(2026, 5, 5)), reason="Bão"
    )
    _hold(place, annual(held, held_front, D(2026, 3, 15)), actor=root)

    with django_assert_num_queries(1):
        flagged = communes_without_annual_dialogue(year=2026)
        names = [(o.code, o.province.name, o.commune.name) for o in flagged]
    assert {code for code, _p, _c in names} == {
        place.commune.code,
        cancelled.code,
        elsewhere.code,
    }
    assert [o.name for o in flagged] == sorted(o.name for o in flagged)
    assert {o.code for o in communes_without_annual_dialogue(year=2026, province=82)} == {
        place.commune.code,
        cancelled.code,
    }
    assert {
        o.code
        for o in communes_without_annual_dialogue(year=2025, province=place.commune.province)
    } == {cancelled.code, held.code, merged.code}
    # The number of queries does not grow with the communes.
    with django_assert_num_queries(1):
        communes_without_annual_dialogue(year=2025)
    with pytest.raises(ValueError, match="Not a year"):
        communes_without_annual_dialogue(year="2026")  # type: ignore[arg-type]


# --- permissions -------------------------------------------------------------------


def test_only_the_organization_staff_organize_its_dialogues(
    place: ReceptionPlace, complaint: Petition, root: Any
) -> None:
    commission = staff_user(place.commune, Role.COMMISSION_STAFF, username="dv-xa")
    inactive = staff_user(place.commune, Role.HEAD, username="cu", is_active=False)
    for actor in (place.department_head, place.province_chairman, commission, inactive, None):
        with pytest.raises(PermissionDenied):
            _plan_annual(place, actor=actor)
    assert not Dialogue.objects.exists()
    dialogue = _plan_complaint(place, complaint, actor=place.officer)
    for actor in (place.department_head, commission, None):
        with pytest.raises(PermissionDenied):
            dialogue_send_notice(actor=actor, dialogue=dialogue, number="1", sent_on=TODAY)
        with pytest.raises(PermissionDenied):
            _hold(place, dialogue, actor=actor or commission)
        with pytest.raises(PermissionDenied):
            dialogue_cancel(actor=actor, dialogue=dialogue, reason="Không")
    assert Dialogue.objects.get(pk=dialogue.pk).status == DialogueStatus.PLANNED
    assert _hold(place, dialogue, actor=root).status == DialogueStatus.HELD


# --- bad input ---------------------------------------------------------------------


def test_planning_refuses_bad_input(
    place: ReceptionPlace, complaint: Petition, appeal: Petition
) -> None:
    def refused(plan: Any = _plan_annual, *args: Any, **values: Any) -> set[str]:
        with pytest.raises(ValidationError) as info:
            plan(place, *args, **values)
        return set(_errors(info))

    assert refused(kind="meeting") == {"kind"}
    assert refused(subject="   ") == {"subject"}
    assert refused(subject="x" * 256) == {"subject"}
    assert refused(subject=None) == {"subject"}
    assert refused(place="") == {"place"}
    assert refused(chair_name="") == {"chair_name"}
    assert refused(chair_title="x" * 256) == {"chair_title"}
    assert refused(date="2026-07-28") == {"date"}
    assert refused(date=datetime.datetime(2026, 7, 28, 8, tzinfo=TZ)) == {"date"}
    assert refused(starts_at="08:00") == {"starts_at"}
    assert refused(notice_number="5/TB") == {"notice_sent_on"}
    assert refused(notice_sent_on=D(2026, 7, 20)) == {"notice_number"}
    assert refused(notice_number="x" * 51, notice_sent_on=D(2026, 7, 20)) == {"notice_number"}
    assert refused(notice_number="5/TB", notice_sent_on=D(2026, 7, 29)) == {"notice_sent_on"}
    assert refused(date=D(2026, 8, 20), notice_number="5/TB", notice_sent_on=D(2026, 8, 4)) == {
        "notice_sent_on"
    }  # in the future
    assert refused(notice_number="5/TB", notice_sent_on="2026-07-20") == {"notice_sent_on"}

    # The annual dialogue: a commune people's committee with its own Front committee.
    assert refused(organization=place.department, actor=place.department_head) == {"organization"}
    assert refused(fatherland_front=None) == {"fatherland_front"}
    assert refused(fatherland_front=place.department) == {"fatherland_front"}
    _other, other_front = _commune_committee(
        "khac", Commune.objects.filter(province_id=82).exclude(code=COMMUNE).first()
    )
    assert refused(fatherland_front=other_front) == {"fatherland_front"}
    assert refused(petition=complaint) == {"petition"}
    place.commune.valid_to = D(2026, 6, 30)
    place.commune.save()
    assert refused() == {"organization"}
    place.commune.valid_to = None
    place.commune.save()

    # The complaint dialogue: a complaint its organization holds and is resolving.
    assert refused(_plan_complaint, complaint, petition=None) == {"petition"}
    assert refused(_plan_complaint, complaint, fatherland_front=place.front) == {
        "fatherland_front"
    }
    with at(D(2026, 7, 1)):
        feedback = make_petition(kind=PetitionKind.FEEDBACK, organization=place.commune)
        fresh = make_petition(kind=PetitionKind.COMPLAINT, organization=place.commune)
    assert refused(_plan_complaint, feedback) == {"petition"}
    assert refused(_plan_complaint, fresh) == {"petition"}  # received, not accepted
    assert refused(_plan_complaint, appeal, organization=place.commune, actor=place.chairman) == {
        "petition"
    }  # held by the province now
    assert refused(
        _plan_complaint, complaint, date=D(2026, 6, 30), notice_sent_on=None, notice_number=""
    ) == {"date"}
    _plan_complaint(place, complaint)
    assert refused(_plan_complaint, complaint, date=D(2026, 8, 20)) == {"petition"}
    assert Dialogue.objects.count() == 1


def test_recording_refuses_bad_input(place: ReceptionPlace, complaint: Petition) -> None:
    dialogue = _plan_complaint(place, complaint)

    def refused(**values: Any) -> set[str]:
        with pytest.raises(ValidationError) as info:
            _hold(place, dialogue, **values)
        return set(_errors(info))

    assert refused(minutes_summary=" ") == {"minutes_summary"}
    assert refused(minutes_summary="x" * 10_001) == {"minutes_summary"}
    assert refused(participants=[]) == {"participants"}
    assert refused(participants=[OFFICIAL]) == {"participants"}  # no complainant
    assert refused(
        participants=[
            CITIZEN,
            ParticipantInput(side="press", name="", signature=SignatureStatus.SIGNED),
        ]
    ) == {"participants[1].side", "participants[1].name"}
    assert refused(
        participants=[
            ParticipantInput(
                side=ParticipantSide.CITIZEN, name="An", title="x" * 256, signature="stamped"
            )
        ]
    ) == {"participants[0].title", "participants[0].signature"}
    assert refused(issues=[]) == {"issues"}
    assert refused(issues=[IssueInput(question=" ", answer="x" * 10_001)]) == {
        "issues[0].question",
        "issues[0].answer",
    }
    assert refused(issues=[IssueInput(question="Hỏi", raised_by="x" * 256)]) == {
        "issues[0].raised_by"
    }
    closed = Organization.objects.create(
        code="da-giai-the",
        name="Phòng đã giải thể",
        kind=OrganizationKind.DEPARTMENT,
        level=OrganizationLevel.COMMUNE,
        valid_to=D(2026, 6, 30),
    )
    assert refused(
        commitments=[
            CommitmentInput(description=" ", owner=place.commune, due_on=D(2026, 8, 30)),
            CommitmentInput(description="Làm", owner=place.commune, due_on=D(2026, 7, 30)),
            CommitmentInput(description="Làm", owner=closed, due_on=D(2026, 8, 30)),
            CommitmentInput(description="Làm", owner=None, due_on="2026-08-30"),  # type: ignore[arg-type]
            CommitmentInput(
                description="Làm", owner=place.commune, due_on=D(2026, 8, 30), issue=1
            ),
            CommitmentInput(
                description="Làm",
                owner=place.commune,
                due_on=D(2026, 8, 30),
                issue=True,  # type: ignore[arg-type]
            ),
        ]
    ) == {
        "commitments[0].description",
        "commitments[1].due_on",
        "commitments[2].owner",
        "commitments[3].owner",
        "commitments[3].due_on",
        "commitments[4].issue",
        "commitments[5].issue",
    }
    assert Dialogue.objects.get(pk=dialogue.pk).status == DialogueStatus.PLANNED
    assert not Commitment.objects.exists()

    # Not before the day of the dialogue.
    tomorrow = _plan_annual(place, date=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as info:
        _hold(place, tomorrow)
    assert set(_errors(info)) == {"date"}

    # Only a planned dialogue is held or cancelled.
    _hold(place, dialogue)
    assert refused() == {"status"}
    with pytest.raises(ValidationError) as info:
        dialogue_cancel(actor=place.chairman, dialogue=dialogue, reason="Nhầm")
    assert set(_errors(info)) == {"status"}
    with pytest.raises(ValidationError) as info:
        dialogue_send_notice(actor=place.chairman, dialogue=dialogue, number="1", sent_on=TODAY)
    assert set(_errors(info)) == {"status"}


def test_cancel_and_notice_refuse_bad_input(place: ReceptionPlace) -> None:
    dialogue = _plan_annual(place, date=D(2026, 8, 20))
    for reason in ("", "  ", "x" * 256):
        with pytest.raises(ValidationError) as info:
            dialogue_cancel(actor=place.chairman, dialogue=dialogue, reason=reason)
        assert set(_errors(info)) == {"reason"}
    for number, sent_on, fields in [
        ("", TODAY, {"notice_number"}),
        ("x" * 51, TODAY, {"notice_number"}),
        ("1/TB", None, {"notice_sent_on"}),
        ("1/TB", "2026-08-01", {"notice_sent_on"}),
        ("1/TB", D(2026, 8, 4), {"notice_sent_on"}),  # in the future
    ]:
        with pytest.raises(ValidationError) as info:
            dialogue_send_notice(
                actor=place.chairman, dialogue=dialogue, number=number, sent_on=sent_on
            )
        assert set(_errors(info)) == fields, (number, sent_on)
    dialogue = dialogue_cancel(actor=place.chairman, dialogue=dialogue, reason=" Mưa bão ")
    assert (dialogue.status, dialogue.cancel_reason) == (DialogueStatus.CANCELLED, "Mưa bão")
    with pytest.raises(ValidationError):
        _hold(place, dialogue)
    audit = AuditEvent.objects.get(action="dialogue.cancel", target_id=str(dialogue.pk))
    assert "Mưa bão" not in str(audit.data)


# --- query counts --------------------------------------------------------------------


def test_recording_costs_the_same_whatever_the_number_of_rows(
    place: ReceptionPlace,
) -> None:
    def cost(people: int, issues: int) -> int:
        dialogue = _plan_annual(place)
        with CaptureQueriesContext(connection) as queries:
            _hold(
                place,
                dialogue,
                participants=[CITIZEN] * people,
                issues=[ISSUE] * issues,
            )
        return len(queries)

    assert cost(1, 1) == cost(12, 9)


def test_recording_costs_the_same_whatever_the_number_of_commitments(
    place: ReceptionPlace,
) -> None:
    def cost(count: int) -> int:
        dialogue = _plan_annual(place)
        with CaptureQueriesContext(connection) as queries:
            _hold(
                place,
                dialogue,
                commitments=[
                    CommitmentInput(
                        description=f"Việc {n}", owner=place.department, due_on=D(2026, 8, 30)
                    )
                    for n in range(count)
                ],
            )
        return len(queries)

    assert cost(1) == cost(10)
    assert Commitment.objects.count() == 11


# --- the digest ------------------------------------------------------------------------


def test_overdue_commitments_reach_the_heads_of_their_owners(place: ReceptionPlace) -> None:
    for user in (place.chairman, place.officer, place.department_head, place.province_chairman):
        user.email = f"{user.username}@example.vn"
        user.save()
    _dialogue, _drain, prices = _annual_with_commitments(place)
    # 3 August: the price review (due 28 July) is overdue, the drain (10 August) is not.
    assert due_digests_send() == 2
    sent = {message.to[0]: message.body for message in mail.outbox}
    assert set(sent) == {"t-gd-so@example.vn", "t-ct-tinh@example.vn"}
    body = sent["t-gd-so@example.vn"]
    assert "Rà soát bảng giá đất khu phố 3" in body
    assert "Hội nghị đối thoại với Nhân dân năm 2026" in body
    assert "28/7/2026" in body  # the dialogue's date
    assert "Thứ Ba, 28/7/2026" in body  # the due date, as a page date line
    assert "Nạo vét cống" not in body
    assert "Nạo vét cống" not in sent["t-ct-tinh@example.vn"]
    event = AuditEvent.objects.get(action=DIGEST_ACTION, target_id=str(place.department_head.pk))
    assert event.data["commitments"] == 1

    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2026, 8, 12, 9, tzinfo=TZ), tick=False):
        commitment_update(
            actor=place.department_head,
            commitment=prices,
            status=CommitmentStatus.DONE,
            done_on=D(2026, 8, 11),
        )
        assert due_digests_send() == 2  # the commune's head and the province's
    sent = {message.to[0]: message.body for message in mail.outbox}
    assert set(sent) == {"t-ct-xa@example.vn", "t-ct-tinh@example.vn"}
    assert "Nạo vét cống đường Lê Lợi" in sent["t-ct-xa@example.vn"]
    assert "Rà soát bảng giá" not in sent["t-ct-tinh@example.vn"]  # done


def test_the_digest_costs_the_same_whatever_the_number_of_commitments(
    place: ReceptionPlace,
) -> None:
    place.department_head.email = "so@example.vn"
    place.department_head.save()

    def cost(count: int, day: D) -> int:
        _hold(
            place,
            _plan_annual(place),
            commitments=[
                CommitmentInput(
                    description=f"Việc {n}", owner=place.department, due_on=D(2026, 7, 29)
                )
                for n in range(count)
            ],
        )
        with at(day), CaptureQueriesContext(connection) as queries:
            assert due_digests_send() == 1
        return len(queries)

    assert cost(1, D(2026, 8, 3)) == cost(15, D(2026, 8, 4))
    assert "Việc 14" in mail.outbox[-1].body


def test_the_digest_section_is_registered_by_the_app() -> None:
    from danvan.petitions.notifications import digest_sections

    assert dialogues.DIGEST_SECTION in digest_sections()
