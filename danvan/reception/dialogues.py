"""Dialogues with citizens and the commitments made in them.

Two kinds (`DialogueKind`):

- a dialogue in resolving a complaint (Luật Khiếu nại 2011 Art. 30 at the
  first instance, Art. 38 at the second; NĐ 124/2020 Art. 28 as amended by
  NĐ 155/2026 from 2026-07-01: written notice at least 5 days before, and
  mandatory at the second instance). It is held by the body that holds the
  complaint, while the complaint is being resolved (accepted, verifying or
  already in dialogue). Recording it as held takes the petition's
  `hold_dialogue` step through `petitions.handling.petition_perform` in the
  same transaction, so that the case timeline shows it.
  `complaint_dialogue_missing` lists the second-instance complaints that
  could be decided now without a dialogue held at that instance;
- the commune's annual dialogue with the people, organized by the commune
  people's committee with the commune's Fatherland Front committee (Luật
  Thực hiện dân chủ ở cơ sở 2022 Art. 32, at least once a year).
  `communes_without_annual_dialogue` flags the communes without one.

The notice rule is `rules.dialogue_notice_by`: a notice sent after that day
is accepted and flagged (`dialogue_notice_late`); a complaint dialogue with
no notice recorded cannot be recorded as held. The minutes record how each
party acknowledged them (signed, finger-printed, refused with the reason,
absent).

Each commitment is a task for an owner organization with a due date,
followed by append-only `CommitmentUpdate` rows until it is done or
cancelled. Overdue commitments reach the digest of the owner's heads
through the digest hook of `petitions.notifications` (`DIGEST_SECTION`,
registered by `ReceptionConfig.ready`).

Writes are keyword-only functions in a transaction, raising
`ValidationError` (field to messages, in the active language) or
`PermissionDenied`, each writing one audit event without personal data:
no names, subjects, places or notes, only codes, dates, kinds and counts.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from danvan.core.audit import Actor, audit_record
from danvan.geo.models import Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel
from danvan.orgs.selectors import organizations_user_acts_for, user_has_role, valid_on_q
from danvan.petitions import handling, workflow
from danvan.petitions.actions import user_or_none
from danvan.petitions.models import CaseEvent, Petition
from danvan.petitions.notifications import DigestItem, DigestSection
from danvan.petitions.workflow import Action, PetitionKind, Status
from danvan.reception import rules
from danvan.reception.models import (
    LONG_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
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

Errors = dict[str, list[str]]

#: The length of `Dialogue.notice_number` and `cancel_reason`.
NOTICE_NUMBER_MAX_LENGTH: Final = 50
CANCEL_REASON_MAX_LENGTH: Final = 255

#: The statuses of a complaint in which its holder may plan a dialogue: it
#: is accepted (thụ lý) and not yet decided (Luật Khiếu nại Art. 30, 38:
#: the dialogue follows verification and precedes the decision).
DIALOGUE_STATUSES: Final = frozenset({Status.ACCEPTED, Status.VERIFYING, Status.DIALOGUE})

#: The statuses from which a complaint may be decided without having taken
#: the `hold_dialogue` step (in `DIALOGUE` it has been taken).
DECIDABLE_WITHOUT_DIALOGUE: Final = frozenset(
    {
        status
        for status, row in workflow.TRANSITIONS.items()
        if Action.DECIDE in row and status is not Status.DIALOGUE
    }
)

#: The roles that organize dialogues for their own organization (as those
#: that act on its petitions, `petitions.handling.ACTING_ROLES`).
ORGANIZING_ROLES: Final = handling.ACTING_ROLES

#: The signatures a held dialogue's minutes record (not "not yet").
RECORDED_SIGNATURES: Final = tuple(
    status.value for status in SignatureStatus if status is not SignatureStatus.PENDING
)

#: The key of the overdue commitments in the digest's audit event.
DIGEST_KEY: Final = "commitments"

#: How much of a commitment's text a digest line shows.
DIGEST_TEXT_CHARS: Final = 160


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantInput:
    """A party to the dialogue and how they acknowledged the minutes.

    `refusal_reason` is required when `signature` is REFUSED: the minutes
    record why a party refused to sign (Luật Khiếu nại Art. 30(2)).
    """

    side: str
    name: str
    signature: str
    title: str = ""
    organization: Organization | None = None
    refusal_reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IssueInput:
    """An issue raised in the dialogue and the answer given."""

    question: str
    answer: str = ""
    raised_by: str = ""
    answered_by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CommitmentInput:
    """A commitment made in the dialogue.

    `issue` is the position (from 0) of the issue it answers in the
    `issues` given with it, if any.
    """

    description: str
    owner: Organization
    due_on: datetime.date
    issue: int | None = None


# --- checks ------------------------------------------------------------------


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_text(
    errors: Errors, field: str, value: object, max_length: int, *, required: bool = False
) -> str:
    if not isinstance(value, str):
        _add(errors, field, gettext("Enter text."))
        return ""
    value = value.strip()
    if required and not value:
        _add(errors, field, gettext("This field is required."))
    elif len(value) > max_length:
        _add(
            errors,
            field,
            gettext("Too long: at most %(max)d characters (%(length)d given).")
            % {"max": max_length, "length": len(value)},
        )
    return value


def _is_date(value: object) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _check_date(errors: Errors, field: str, value: object, *, required: bool = True) -> bool:
    """Tell whether `value` is a date; record an error unless it is (or may be None)."""
    if value is None and not required:
        return False
    if not _is_date(value):
        _add(errors, field, gettext("Enter a valid date."))
        return False
    return True


def _check_choice(errors: Errors, field: str, value: object, choices: Sequence[str]) -> bool:
    if value not in choices:
        _add(
            errors,
            field,
            gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)},
        )
        return False
    return True


def _day(day: datetime.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _check_organizer(actor: Actor, organization: Organization) -> None:
    """Refuse anyone but a reception officer, handler or head of `organization`."""
    if not _is_active(actor) or not user_has_role(actor, organization, *ORGANIZING_ROLES):
        raise PermissionDenied(
            gettext("Only the staff of %(organization)s may organize its dialogues.")
            % {"organization": organization.name}
        )


def _lock(dialogue: Dialogue) -> Dialogue:
    return (
        Dialogue.objects.select_for_update(of=("self",))
        .select_related("organization", "petition")
        .get(pk=dialogue.pk)
    )


def _require_planned(dialogue: Dialogue) -> None:
    if dialogue.status != DialogueStatus.PLANNED:
        raise ValidationError(
            {
                "status": gettext("The dialogue is already %(status)s.")
                % {"status": DialogueStatus(dialogue.status).label.lower()}
            }
        )


def _check_notice(
    errors: Errors,
    *,
    number: object,
    sent_on: object,
    date: datetime.date | None,
    today: datetime.date,
    required: bool,
) -> str:
    """Check a notice's number and date (both or neither); return the number."""
    number = _check_text(errors, "notice_number", number, NOTICE_NUMBER_MAX_LENGTH)
    has_date = _check_date(errors, "notice_sent_on", sent_on, required=required)
    if has_date:
        assert isinstance(sent_on, datetime.date)  # noqa: S101 (checked)
        if not number and "notice_number" not in errors:
            _add(errors, "notice_number", gettext("Give the number of the written notice."))
        if sent_on > today:
            _add(errors, "notice_sent_on", gettext("A notice cannot be sent in the future."))
        elif date is not None and sent_on > date:
            _add(
                errors,
                "notice_sent_on",
                gettext("The notice cannot be sent after the dialogue (%(date)s).")
                % {"date": _day(date)},
            )
    elif number and sent_on is None:
        _add(errors, "notice_sent_on", gettext("Give the day the notice was sent."))
    return number


# --- the notice rule ---------------------------------------------------------


def dialogue_notice_due(dialogue: Dialogue) -> datetime.date | None:
    """Return the last day to send the dialogue's notice, or None if no figure applies.

    NĐ 124/2020 Art. 28(1) as amended by NĐ 155/2026: at least 5 days
    before a dialogue held from 2026-07-01 (`rules.dialogue_notice_by`).
    """
    return rules.dialogue_notice_by(dialogue.date)


def dialogue_notice_late(dialogue: Dialogue) -> bool:
    """Tell whether the notice was sent after `dialogue_notice_due` (accepted, flagged)."""
    if dialogue.notice_sent_on is None:
        return False
    due = dialogue_notice_due(dialogue)
    return due is not None and dialogue.notice_sent_on > due


# --- dialogues ---------------------------------------------------------------


def _check_complaint(
    errors: Errors,
    *,
    organization: Organization,
    petition: Petition | None,
    fatherland_front: Organization | None,
    date: datetime.date | None,
) -> None:
    if fatherland_front is not None:
        _add(
            errors,
            "fatherland_front",
            gettext(
                "Only the annual dialogue is organized with the Fatherland Front "
                "(Luật Thực hiện dân chủ ở cơ sở Art. 32)."
            ),
        )
    if petition is None:
        _add(errors, "petition", gettext("Choose the complaint the dialogue is about."))
        return
    if petition.kind != PetitionKind.COMPLAINT:
        _add(
            errors,
            "petition",
            gettext("%(code)s is not a complaint: only a complaint is resolved by dialogue.")
            % {"code": petition.code},
        )
        return
    if petition.organization_id != organization.pk:
        _add(
            errors,
            "petition",
            gettext("%(code)s is not held by %(organization)s.")
            % {"code": petition.code, "organization": organization.name},
        )
        return
    if petition.status not in DIALOGUE_STATUSES:
        _add(
            errors,
            "petition",
            gettext(
                "A dialogue is held while the complaint is being resolved (accepted, "
                "verifying or in dialogue); %(code)s is “%(status)s”."
            )
            % {"code": petition.code, "status": Status(petition.status).label},
        )
        return
    received_on = timezone.localdate(petition.received_at)
    if date is not None and date < received_on:
        _add(
            errors,
            "date",
            gettext("The dialogue cannot be before the complaint was received (%(date)s).")
            % {"date": _day(received_on)},
        )
    planned = (
        Dialogue.objects.filter(petition=petition, status=DialogueStatus.PLANNED)
        .values_list("date", flat=True)
        .first()
    )
    if planned is not None:
        _add(
            errors,
            "petition",
            gettext("A dialogue on %(code)s is already planned for %(date)s.")
            % {"code": petition.code, "date": _day(planned)},
        )


def _check_annual(
    errors: Errors,
    *,
    organization: Organization,
    petition: Petition | None,
    fatherland_front: Organization | None,
    date: datetime.date | None,
) -> None:
    if petition is not None:
        _add(
            errors,
            "petition",
            gettext("The annual dialogue is with the people, not about one complaint."),
        )
    is_commune_committee = (
        organization.kind == OrganizationKind.PEOPLES_COMMITTEE
        and organization.level == OrganizationLevel.COMMUNE
    )
    if not is_commune_committee:
        _add(
            errors,
            "organization",
            gettext(
                "The annual dialogue is organized by a commune people's committee "
                "(Luật Thực hiện dân chủ ở cơ sở Art. 32)."
            ),
        )
    if fatherland_front is None:
        _add(
            errors,
            "fatherland_front",
            gettext(
                "Choose the commune's Fatherland Front committee, which organizes the annual "
                "dialogue with the people's committee."
            ),
        )
        return
    if (
        fatherland_front.kind != OrganizationKind.FATHERLAND_FRONT
        or fatherland_front.level != OrganizationLevel.COMMUNE
        or (is_commune_committee and fatherland_front.commune_id != organization.commune_id)
    ):
        _add(
            errors,
            "fatherland_front",
            gettext("Choose the Fatherland Front committee of the same commune."),
        )
    elif date is not None and not fatherland_front.is_valid_on(date):
        _add(
            errors,
            "fatherland_front",
            gettext("%(organization)s does not exist on %(date)s.")
            % {"organization": fatherland_front.name, "date": _day(date)},
        )


@transaction.atomic
def dialogue_plan(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    subject: str,
    date: datetime.date,
    place: str,
    chair_name: str,
    chair_title: str = "",
    starts_at: datetime.time | None = None,
    petition: Petition | None = None,
    fatherland_front: Organization | None = None,
    notice_number: str = "",
    notice_sent_on: datetime.date | None = None,
) -> Dialogue:
    """Plan a dialogue of `organization` and return it (status PLANNED).

    A COMPLAINT dialogue is about `petition`, a complaint that
    `organization` holds and is resolving (`DIALOGUE_STATUSES`), with no
    other dialogue planned on it. An ANNUAL dialogue is organized by a
    commune people's committee with `fatherland_front`, the Fatherland
    Front committee of the same commune. The notice may be given now or
    later (`dialogue_send_notice`); a late one is accepted and flagged.
    Only a reception officer, handler or head of `organization` (or a
    superuser) may plan.
    """
    _check_organizer(actor, organization)
    if petition is not None:
        # Judged on the petition as stored, not on a stale copy; locked, so that
        # two officers cannot plan two dialogues on it at once.
        petition = Petition.objects.select_for_update().get(pk=petition.pk)
    today = timezone.localdate()
    errors: Errors = {}
    kind_ok = _check_choice(errors, "kind", kind, DialogueKind.values)
    subject = _check_text(errors, "subject", subject, TEXT_MAX_LENGTH, required=True)
    place = _check_text(errors, "place", place, TEXT_MAX_LENGTH, required=True)
    chair_name = _check_text(errors, "chair_name", chair_name, TEXT_MAX_LENGTH, required=True)
    chair_title = _check_text(errors, "chair_title", chair_title, TEXT_MAX_LENGTH)
    day: datetime.date | None = date if _check_date(errors, "date", date) else None
    if day is not None and not organization.is_valid_on(day):
        _add(
            errors,
            "organization",
            gettext("%(organization)s does not exist on %(date)s.")
            % {"organization": organization.name, "date": _day(day)},
        )
    if starts_at is not None and not isinstance(starts_at, datetime.time):
        _add(errors, "starts_at", gettext("Enter a valid time."))
    notice_number = _check_notice(
        errors,
        number=notice_number,
        sent_on=notice_sent_on,
        date=day,
        today=today,
        required=False,
    )
    if kind_ok:
        check = _check_complaint if kind == DialogueKind.COMPLAINT else _check_annual
        check(
            errors,
            organization=organization,
            petition=petition,
            fatherland_front=fatherland_front,
            date=day,
        )
    if errors:
        raise ValidationError(errors)
    assert day is not None  # noqa: S101 (checked)
    dialogue = Dialogue(
        organization=organization,
        kind=kind,
        petition=petition,
        fatherland_front=fatherland_front,
        subject=subject,
        notice_number=notice_number,
        notice_sent_on=notice_sent_on,
        date=day,
        starts_at=starts_at,
        place=place,
        chair_name=chair_name,
        chair_title=chair_title,
        status=DialogueStatus.PLANNED,
        created_by=user_or_none(actor),
    )
    dialogue.full_clean()
    dialogue.save(force_insert=True)
    audit_record(
        actor=actor,
        action="dialogue.plan",
        target=dialogue,
        data={
            "organization": organization.code,
            "kind": kind,
            "date": day.isoformat(),
            "petition": petition.code if petition is not None else None,
            "instance": petition.instance if petition is not None else None,
            "fatherland_front": fatherland_front.code if fatherland_front is not None else None,
            "notice_sent_on": notice_sent_on.isoformat() if notice_sent_on else None,
            "notice_late": dialogue_notice_late(dialogue),
        },
    )
    return dialogue


@transaction.atomic
def dialogue_send_notice(
    *, actor: Actor, dialogue: Dialogue, number: str, sent_on: datetime.date
) -> Dialogue:
    """Record the written notice of a planned dialogue (number and day sent).

    A notice sent after `dialogue_notice_due` is accepted and flagged
    (`dialogue_notice_late`, and `notice_late` in the audit event). A
    second call corrects the notice while the dialogue is still planned.
    """
    dialogue = _lock(dialogue)
    _check_organizer(actor, dialogue.organization)
    _require_planned(dialogue)
    errors: Errors = {}
    if not isinstance(number, str) or not number.strip():
        _add(errors, "notice_number", gettext("Give the number of the written notice."))
    number = _check_notice(
        errors,
        number=number,
        sent_on=sent_on,
        date=dialogue.date,
        today=timezone.localdate(),
        required=True,
    )
    if errors:
        raise ValidationError(errors)
    previous = dialogue.notice_sent_on
    dialogue.notice_number = number
    dialogue.notice_sent_on = sent_on
    dialogue.save(update_fields=["notice_number", "notice_sent_on", "updated_at"])
    due = dialogue_notice_due(dialogue)
    audit_record(
        actor=actor,
        action="dialogue.send_notice",
        target=dialogue,
        data={
            "sent_on": sent_on.isoformat(),
            "previous_sent_on": previous.isoformat() if previous else None,
            "due": due.isoformat() if due else None,
            "notice_late": dialogue_notice_late(dialogue),
        },
    )
    return dialogue


def _check_participants(
    errors: Errors, participants: Sequence[ParticipantInput], kind: str
) -> list[DialogueParticipant]:
    rows: list[DialogueParticipant] = []
    if not participants:
        _add(errors, "participants", gettext("Give at least one participant."))
        return rows
    for index, person in enumerate(participants):
        prefix = f"participants[{index}]."
        _check_choice(errors, f"{prefix}side", person.side, ParticipantSide.values)
        name = _check_text(errors, f"{prefix}name", person.name, TEXT_MAX_LENGTH, required=True)
        title = _check_text(errors, f"{prefix}title", person.title, TEXT_MAX_LENGTH)
        reason = _check_text(
            errors, f"{prefix}refusal_reason", person.refusal_reason, TEXT_MAX_LENGTH
        )
        if person.organization is not None and not isinstance(person.organization, Organization):
            _add(errors, f"{prefix}organization", gettext("Choose an organization."))
        if person.signature == SignatureStatus.PENDING:
            _add(
                errors,
                f"{prefix}signature",
                gettext(
                    "Record how this party acknowledged the minutes: signed, finger-printed, "
                    "refused or absent."
                ),
            )
        elif _check_choice(errors, f"{prefix}signature", person.signature, RECORDED_SIGNATURES):
            if person.signature == SignatureStatus.REFUSED and not reason:
                _add(
                    errors,
                    f"{prefix}refusal_reason",
                    gettext("The minutes must record why this party refused to sign."),
                )
            elif person.signature != SignatureStatus.REFUSED and reason:
                _add(
                    errors,
                    f"{prefix}refusal_reason",
                    gettext("A reason is recorded only for a party who refused to sign."),
                )
        rows.append(
            DialogueParticipant(
                position=index,
                side=person.side,
                name=name,
                title=title,
                organization=person.organization,
                signature=person.signature,
                refusal_reason=reason,
            )
        )
    if kind == DialogueKind.COMPLAINT and not any(
        person.side == ParticipantSide.CITIZEN for person in participants
    ):
        _add(
            errors,
            "participants",
            gettext("Record the complainant among the participants, even if absent."),
        )
    return rows


def _check_issues(errors: Errors, issues: Sequence[IssueInput]) -> list[DialogueIssue]:
    rows: list[DialogueIssue] = []
    if not issues:
        _add(errors, "issues", gettext("Give at least one issue raised in the dialogue."))
    for index, issue in enumerate(issues):
        prefix = f"issues[{index}]."
        rows.append(
            DialogueIssue(
                position=index,
                question=_check_text(
                    errors,
                    f"{prefix}question",
                    issue.question,
                    LONG_TEXT_MAX_LENGTH,
                    required=True,
                ),
                answer=_check_text(errors, f"{prefix}answer", issue.answer, LONG_TEXT_MAX_LENGTH),
                raised_by=_check_text(
                    errors, f"{prefix}raised_by", issue.raised_by, TEXT_MAX_LENGTH
                ),
                answered_by=_check_text(
                    errors, f"{prefix}answered_by", issue.answered_by, TEXT_MAX_LENGTH
                ),
            )
        )
    return rows


def _check_commitments(
    errors: Errors,
    commitments: Sequence[CommitmentInput],
    *,
    date: datetime.date,
    issues: int,
) -> list[tuple[CommitmentInput, str]]:
    checked: list[tuple[CommitmentInput, str]] = []
    for index, commitment in enumerate(commitments):
        prefix = f"commitments[{index}]."
        description = _check_text(
            errors,
            f"{prefix}description",
            commitment.description,
            LONG_TEXT_MAX_LENGTH,
            required=True,
        )
        owner = commitment.owner
        if not isinstance(owner, Organization) or owner.pk is None:
            _add(errors, f"{prefix}owner", gettext("Choose the organization that owns it."))
        elif not owner.is_valid_on(date):
            _add(
                errors,
                f"{prefix}owner",
                gettext("%(organization)s does not exist on %(date)s.")
                % {"organization": owner.name, "date": _day(date)},
            )
        if _check_date(errors, f"{prefix}due_on", commitment.due_on) and commitment.due_on < date:
            _add(
                errors,
                f"{prefix}due_on",
                gettext("A commitment cannot be due before the dialogue (%(date)s).")
                % {"date": _day(date)},
            )
        position = commitment.issue
        if position is not None and (
            isinstance(position, bool)
            or not isinstance(position, int)
            or not 0 <= position < issues
        ):
            _add(errors, f"{prefix}issue", gettext("Choose one of the issues raised."))
        checked.append((commitment, description))
    return checked


def _hold_dialogue_step(*, actor: Actor, dialogue: Dialogue) -> bool:
    """Take the petition's `hold_dialogue` step if its status allows it; tell whether taken.

    Only while the dialogue's organization still holds the complaint;
    `petition_perform` judges the actor's right to act on the petition.
    """
    assert dialogue.petition_id is not None  # noqa: S101 (a complaint dialogue has one)
    petition = Petition.objects.get(pk=dialogue.petition_id)
    if petition.organization_id != dialogue.organization_id:
        return False
    allowed = workflow.allowed_actions(Status(petition.status), PetitionKind(petition.kind))
    if Action.HOLD_DIALOGUE not in allowed:
        return False
    handling.petition_perform(
        petition=petition,
        actor=actor,
        action=Action.HOLD_DIALOGUE.value,
        note=gettext("Dialogue held on %(date)s at %(place)s.")
        % {"date": _day(dialogue.date), "place": dialogue.place},
        on_date=dialogue.date,
    )
    return True


@transaction.atomic
def dialogue_record_held(
    *,
    actor: Actor,
    dialogue: Dialogue,
    participants: Sequence[ParticipantInput],
    issues: Sequence[IssueInput],
    minutes_summary: str,
    commitments: Sequence[CommitmentInput],
) -> Dialogue:
    """Record the minutes of a planned dialogue and mark it HELD; return it.

    Replaces the participants and issues, records each party's signature
    (a refusal with its reason), creates the commitments (an owner, a due
    date on or after the dialogue, a description), and for a COMPLAINT
    dialogue takes the petition's `hold_dialogue` step when its status
    allows it. A complaint dialogue needs its written notice recorded; the
    dialogue's day must not be in the future.
    """
    dialogue = _lock(dialogue)
    _check_organizer(actor, dialogue.organization)
    _require_planned(dialogue)
    errors: Errors = {}
    if dialogue.date > timezone.localdate():
        _add(
            errors,
            "date",
            gettext("A dialogue planned for %(date)s cannot be recorded as held before that day.")
            % {"date": _day(dialogue.date)},
        )
    if dialogue.kind == DialogueKind.COMPLAINT and dialogue.notice_sent_on is None:
        _add(
            errors,
            "notice_sent_on",
            gettext(
                "Record the written notice of the dialogue first: the parties must be told "
                "the time, place and content in writing (NĐ 124/2020 Art. 28)."
            ),
        )
    summary = _check_text(
        errors, "minutes_summary", minutes_summary, LONG_TEXT_MAX_LENGTH, required=True
    )
    people = _check_participants(errors, participants, dialogue.kind)
    raised = _check_issues(errors, issues)
    promised = _check_commitments(errors, commitments, date=dialogue.date, issues=len(raised))
    if errors:
        raise ValidationError(errors)

    dialogue.participants.all().delete()
    dialogue.issues.all().delete()
    for person in people:
        person.dialogue = dialogue
    DialogueParticipant.objects.bulk_create(people)
    for issue in raised:
        issue.dialogue = dialogue
    saved_issues = DialogueIssue.objects.bulk_create(raised)
    created = Commitment.objects.bulk_create(
        Commitment(
            dialogue=dialogue,
            issue=saved_issues[commitment.issue] if commitment.issue is not None else None,
            description=description,
            owner=commitment.owner,
            due_on=commitment.due_on,
            status=CommitmentStatus.OPEN,
        )
        for commitment, description in promised
    )
    dialogue.minutes_summary = summary
    dialogue.status = DialogueStatus.HELD
    dialogue.save(update_fields=["minutes_summary", "status", "updated_at"])

    step_taken = False
    if dialogue.kind == DialogueKind.COMPLAINT:
        step_taken = _hold_dialogue_step(actor=actor, dialogue=dialogue)
    signatures: dict[str, int] = {}
    for person in people:
        signatures[person.signature] = signatures.get(person.signature, 0) + 1
    audit_record(
        actor=actor,
        action="dialogue.record_held",
        target=dialogue,
        data={
            "kind": dialogue.kind,
            "date": dialogue.date.isoformat(),
            "petition": dialogue.petition.code if dialogue.petition is not None else None,
            "petition_step": step_taken,
            "participants": len(people),
            "signatures": signatures,
            "issues": len(raised),
            "commitments": len(created),
            "notice_late": dialogue_notice_late(dialogue),
        },
    )
    return dialogue


@transaction.atomic
def dialogue_cancel(*, actor: Actor, dialogue: Dialogue, reason: str) -> Dialogue:
    """Cancel a planned dialogue, with the reason; return it."""
    dialogue = _lock(dialogue)
    _check_organizer(actor, dialogue.organization)
    _require_planned(dialogue)
    errors: Errors = {}
    reason = _check_text(errors, "reason", reason, CANCEL_REASON_MAX_LENGTH, required=True)
    if errors:
        raise ValidationError(errors)
    dialogue.status = DialogueStatus.CANCELLED
    dialogue.cancel_reason = reason
    dialogue.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="dialogue.cancel",
        target=dialogue,
        data={"kind": dialogue.kind, "date": dialogue.date.isoformat()},
    )
    return dialogue


# --- commitments -------------------------------------------------------------


def _may_follow_up(actor: Actor, commitment: Commitment) -> bool:
    organizations = {commitment.owner_id, commitment.dialogue.organization_id}
    return organizations_user_acts_for(actor).filter(pk__in=organizations).exists()


@transaction.atomic
def commitment_update(
    *,
    actor: Actor,
    commitment: Commitment,
    status: str,
    note: str = "",
    done_on: datetime.date | None = None,
) -> Commitment:
    """Record one step of a commitment's follow-up and return the commitment.

    OPEN with a note records progress (or reopens a done or cancelled
    commitment, clearing its done date); DONE needs `done_on`, not in the
    future nor before the dialogue, and keeps the note as its result;
    CANCELLED needs a note (the reason). Each step appends a
    `CommitmentUpdate`. Only a user who acts for the owner organization or
    for the dialogue's organization (or a superuser) may update.
    """
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("dialogue")
        .get(pk=commitment.pk)
    )
    if not _may_follow_up(actor, commitment):
        raise PermissionDenied(
            gettext(
                "Only the staff of the organization that owns the commitment, or of the one "
                "that held the dialogue, may follow it up."
            )
        )
    today = timezone.localdate()
    errors: Errors = {}
    status_ok = _check_choice(errors, "status", status, CommitmentStatus.values)
    note = _check_text(errors, "note", note, LONG_TEXT_MAX_LENGTH)
    if status_ok:
        if status == CommitmentStatus.DONE:
            if done_on is None:
                _add(errors, "done_on", gettext("Give the day the commitment was done."))
            elif _check_date(errors, "done_on", done_on):
                if done_on > today:
                    _add(
                        errors, "done_on", gettext("The day it was done cannot be in the future.")
                    )
                elif done_on < commitment.dialogue.date:
                    _add(
                        errors,
                        "done_on",
                        gettext("It cannot be done before the dialogue (%(date)s).")
                        % {"date": _day(commitment.dialogue.date)},
                    )
        elif done_on is not None:
            _add(errors, "done_on", gettext("A day is given only for a commitment done."))
        if status != CommitmentStatus.DONE and not note and "note" not in errors:
            _add(
                errors,
                "note",
                gettext("Say what was done, or why the commitment is cancelled or reopened."),
            )
        if status == commitment.status and status != CommitmentStatus.OPEN:
            _add(
                errors,
                "status",
                gettext("The commitment is already %(status)s.")
                % {"status": CommitmentStatus(status).label.lower()},
            )
    if errors:
        raise ValidationError(errors)
    previous = commitment.status
    commitment.status = status
    fields = ["status", "updated_at"]
    if status == CommitmentStatus.DONE:
        commitment.done_on = done_on
        commitment.result = note
        fields += ["done_on", "result"]
    elif commitment.done_on is not None:
        commitment.done_on = None
        fields.append("done_on")
    commitment.save(update_fields=fields)
    CommitmentUpdate.objects.create(
        commitment=commitment,
        status=status,
        note=note,
        actor=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="commitment.update",
        target=commitment,
        data={
            "dialogue": commitment.dialogue_id,
            "owner": commitment.owner_id,
            "from_status": previous,
            "to_status": status,
            "due_on": commitment.due_on.isoformat(),
            "done_on": done_on.isoformat() if done_on else None,
            "on_time": commitment_done_on_time(commitment),
            "has_note": bool(note),
        },
    )
    return commitment


def commitment_done_on_time(commitment: Commitment) -> bool | None:
    """Tell whether a done commitment was done by its due date; None if not done."""
    if commitment.status != CommitmentStatus.DONE or commitment.done_on is None:
        return None
    return commitment.done_on <= commitment.due_on


def _owned_by(organizations: Iterable[Organization] | QuerySet[Organization]) -> Q:
    if isinstance(organizations, QuerySet):
        return Q(owner__in=organizations)
    return Q(owner_id__in=[organization.pk for organization in organizations])


def commitments_of(
    *,
    organizations: Iterable[Organization] | QuerySet[Organization],
    status: str | None = None,
) -> QuerySet[Commitment]:
    """Return the commitments owned by `organizations` (of `status` if given), due first.

    With their dialogue and owner loaded: one query when evaluated.
    """
    if status is not None and status not in CommitmentStatus.values:
        raise ValueError(f"Unknown commitment status {status!r}.")
    commitments = Commitment.objects.filter(_owned_by(organizations))
    if status is not None:
        commitments = commitments.filter(status=status)
    return commitments.select_related("dialogue", "owner").order_by("due_on", "pk")


def commitments_overdue(
    *,
    organizations: Iterable[Organization] | QuerySet[Organization],
    today: datetime.date,
) -> QuerySet[Commitment]:
    """Return the open commitments of `organizations` due before `today`, earliest first."""
    return commitments_of(organizations=organizations, status=CommitmentStatus.OPEN).filter(
        due_on__lt=today
    )


def _digest_heading(count: int) -> str:
    return ngettext(
        "Overdue commitment made in a dialogue, in the units you lead:",
        "%(count)d overdue commitments made in dialogues, in the units you lead:",
        count,
    ) % {"count": count}


def _digest_items(today: datetime.date) -> list[DigestItem]:
    """Every open commitment due before `today`, as digest lines (one query)."""
    items = []
    overdue = (
        Commitment.objects.filter(status=CommitmentStatus.OPEN, due_on__lt=today)
        .select_related("dialogue", "owner")
        .order_by("due_on", "pk")
    )
    for commitment in overdue:
        owner = commitment.owner
        items.append(
            DigestItem(
                organization_id=commitment.owner_id,
                due=commitment.due_on,
                text=gettext("%(commitment)s · %(owner)s · dialogue “%(dialogue)s” of %(date)s")
                % {
                    "commitment": Truncator(" ".join(commitment.description.split())).chars(
                        DIGEST_TEXT_CHARS
                    ),
                    "owner": owner.short_name or owner.name,
                    "dialogue": commitment.dialogue.subject,
                    "date": _day(commitment.dialogue.date),
                },
            )
        )
    return items


#: The overdue commitments in the heads' daily digest (registered by
#: `ReceptionConfig.ready` with `notifications.digest_section_register`).
DIGEST_SECTION: Final = DigestSection(key=DIGEST_KEY, heading=_digest_heading, items=_digest_items)


# --- reads ---------------------------------------------------------------------


def complaint_dialogue_missing(
    *,
    organizations: Iterable[Organization] | QuerySet[Organization] | None = None,
    due_by: datetime.date | None = None,
) -> QuerySet[Petition]:
    """Return the second-instance complaints that could be decided without a dialogue.

    NĐ 124/2020 Art. 28 as amended: a dialogue is mandatory at the second
    instance. Listed: complaints at instance 2 in a status from which the
    workflow allows the decision (`DECIDABLE_WITHOUT_DIALOGUE`: accepted,
    verifying) with neither a `hold_dialogue` step since they reached the
    second instance nor a dialogue recorded as held by the body that holds
    them now. `organizations` keeps those they hold; `due_by` those due by
    that day. Soonest due first; one query.
    """
    second_instance_since = Coalesce(
        Subquery(
            CaseEvent.objects.filter(
                petition=OuterRef("pk"), action=Action.RECEIVE, from_status=Status.APPEALED
            )
            .order_by("-pk")
            .values("pk")[:1]
        ),
        Value(0),
    )
    step_taken = CaseEvent.objects.filter(
        petition=OuterRef("pk"),
        action=Action.HOLD_DIALOGUE,
        pk__gt=OuterRef("second_instance_since"),
    )
    held = Dialogue.objects.filter(
        petition=OuterRef("pk"),
        kind=DialogueKind.COMPLAINT,
        status=DialogueStatus.HELD,
        organization=OuterRef("organization"),
    )
    petitions = Petition.objects.filter(
        kind=PetitionKind.COMPLAINT,
        instance=2,
        status__in=sorted(DECIDABLE_WITHOUT_DIALOGUE),
    )
    if organizations is not None:
        if isinstance(organizations, QuerySet):
            petitions = petitions.filter(organization__in=organizations)
        else:
            petitions = petitions.filter(
                organization_id__in=[organization.pk for organization in organizations]
            )
    if due_by is not None:
        petitions = petitions.filter(expected_response_by__lte=due_by)
    return (
        petitions.annotate(second_instance_since=second_instance_since)
        .filter(~Exists(step_taken), ~Exists(held))
        .select_related("organization")
        .order_by(F("expected_response_by").asc(nulls_last=True), "pk")
    )


def communes_without_annual_dialogue(
    *, year: int, province: Province | int | None = None
) -> list[Organization]:
    """Return the commune people's committees with no annual dialogue held in `year`.

    Luật Thực hiện dân chủ ở cơ sở 2022 Art. 32: at least once a year. A
    committee counts when it exists on 31 December of `year` (a commune
    merged away during the year answers for nothing; its successor does);
    a dialogue counts when it is ANNUAL, HELD and dated in `year` (a
    planned or cancelled one does not). `province` keeps those serving
    that province. Ordered by name; one query.
    """
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise ValueError(f"Not a year: {year!r}")
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    held = Dialogue.objects.filter(
        organization=OuterRef("pk"),
        kind=DialogueKind.ANNUAL,
        status=DialogueStatus.HELD,
        date__gte=first,
        date__lte=last,
    )
    communes = Organization.objects.filter(
        valid_on_q(last),
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.COMMUNE,
    )
    if province is not None:
        code = province.pk if isinstance(province, Province) else province
        communes = communes.filter(province_id=code)
    return list(
        communes.filter(~Exists(held)).select_related("province", "commune").order_by("name", "pk")
    )
