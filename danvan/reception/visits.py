"""The reception log: visits, their people, refusals, receipts, and the
petitions a visit brings.

`visit_record` writes one entry of the log (Mẫu 03/TCD of NĐ 154/2026, the
13 columns of `models.Visit`) with the people who came, and, when the
content is within the organization's competence (outcome RECORDED), the
petition(s) it brought through the petitions intake
(`petitions.services.petition_receive`, or `petition_receive_mixed` for a
visit of several kinds, split one petition per kind: Luật Tiếp công dân
Art. 25(3), NĐ 154/2026 Art. 14(4)). Everything is stored in one
transaction: the visit's number, the visit, its people, the petitions and
the audit events, or nothing. The petitions' clocks then run in the
petitions app from the day of the visit.

The rules checked here: a group's representatives (Luật TCD Art. 29,
`rules.representative_limits`), the refusal grounds valid on the day and
the written refusal notice (Art. 9, NĐ 154/2026 Art. 4,
`rules.refusal_ground_valid_on`, `rules.refusal_notice_due`), online
reception only from 2026-07-01, and what each outcome needs (guidance:
where to; transfer: the body and the transfer document).

A denouncer who came in person is protected like one who wrote (Luật Tố
cáo 2018 Art. 8(3), 47(1)(a); decision 0009): for a visit that brought a
denunciation (`Visit.identity_protected`) the log, its search and its
exports never carry a name (`listed_name` and `search_text` are made
without them), and its people are shown only to those
`visit_people_visible_to` allows, each showing audited.

Numbers (column 1, STT, and the receipts' numbers) come from
`ReceptionSequence`, per organization, register and year, under a row lock
held until the commit, as the petition codes (`petitions.services`).
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.audit import Actor, audit_record, audit_record_view
from danvan.core.text import fold
from danvan.geo.models import Commune
from danvan.orgs.models import Organization, OrganizationKind, Role
from danvan.orgs.selectors import organizations_user_can_read, user_has_role, user_memberships
from danvan.petitions import services as petition_services
from danvan.petitions.confidentiality import (
    REDACTED,
    may_see_protected_identity,
    organization_ancestor_ids,
)
from danvan.petitions.models import CONTENT_MAX_LENGTH, TITLE_MAX_LENGTH, Channel, Petition
from danvan.petitions.rules import due_date, rules_in_force
from danvan.petitions.services import PetitionerInput, PetitionPart, ReceivedPetition
from danvan.petitions.workflow import PetitionKind
from danvan.reception import rules
from danvan.reception.models import (
    LONG_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Receipt,
    ReceptionMode,
    ReceptionSchedule,
    ReceptionSequence,
    RefusalGround,
    ScheduleStatus,
    Visit,
    VisitKind,
    VisitOutcome,
    VisitPerson,
)

Errors = dict[str, list[str]]

#: Roles that may write the reception log of the organization they act for
#: (a superuser may too).
RECORDING_ROLES: Final = (Role.RECEPTION_OFFICER, Role.HANDLER, Role.HEAD, Role.ADMINISTRATOR)

#: The clock of the answer a visitor is owed (Luật TCD Art. 28(1): 10
#: working days to say whether the content was accepted, refused or
#: transferred).
RESULT_NOTICE_RULE: Final = "reception.result_notice"

#: The identity fields of a visitor, hidden together.
PERSON_FIELDS: Final = ("name", "address", "identity_document", "phone")

#: Where the log is shown from (`visit_people_for`'s audit event).
VIEW_WHERE_VISIT: Final = "visit"

#: The most people one visit may count: a guard against a mistyped figure.
PEOPLE_COUNT_MAX: Final = 10_000
#: The most documents and pages one receipt may list.
RECEIPT_DOCUMENTS_MAX: Final = 100
RECEIPT_PAGES_MAX: Final = 10_000
#: The document numbers (guidance, transfer, refusal notice): `Visit` fields.
DOCUMENT_NUMBER_MAX_LENGTH: Final = 50
IDENTITY_DOCUMENT_MAX_LENGTH: Final = 50
LOG_PAGE_MAX: Final = 100
#: The order of the log: newest day first, then the latest number. For one
#: organization it is the order of `visit_org_log_idx`, read backwards.
LOG_ORDERING: Final = ("-received_on", "-number", "-id")

_PHONE_DIGITS = re.compile(r"^\+?[0-9]{8,15}$")
_PHONE_SEPARATORS = re.compile(r"[\s.()-]")
_IDENTITY_TOKEN = re.compile(r"[0-9A-Za-z]+")

#: Outcomes of content outside the organization's competence (columns 10, 11).
_OUTSIDE_COMPETENCE: Final = frozenset({VisitOutcome.GUIDED, VisitOutcome.TRANSFERRED})
#: Outcomes after which the visitor is owed the Art. 28(1) answer in writing
#: or in person: the content was accepted here, or transferred.
_RESULT_NOTICE_OUTCOMES: Final = frozenset({VisitOutcome.RECORDED, VisitOutcome.TRANSFERRED})
#: Refusal grounds tied to kinds: Art. 9(3) concerns complaints and
#: denunciations already resolved; NĐ 154/2026 Art. 4(h) feedback and
#: recommendations already answered.
_GROUND_KINDS: Final[dict[str, frozenset[str]]] = {
    RefusalGround.ALREADY_RESOLVED: frozenset({VisitKind.COMPLAINT, VisitKind.DENUNCIATION}),
    RefusalGround.ANSWERED_NO_NEW_FACTS: frozenset({VisitKind.FEEDBACK, VisitKind.RECOMMENDATION}),
}


class DocumentCopy(TextChoices):
    """What kind of paper a document handed over is (Mẫu 02/TCD)."""

    ORIGINAL = "original", _("Original document")
    COPY = "copy", _("Plain copy")
    CERTIFIED_COPY = "certified_copy", _("Certified copy")


class RefusalNoticeState(TextChoices):
    """Where the written refusal notice (Mẫu 01/TCD) of a refused visit stands."""

    NOT_REQUIRED = "not_required", _("No notice required")
    PENDING = "pending", _("Notice due")
    OVERDUE = "overdue", _("Notice overdue")
    SENT = "sent", _("Notice sent")
    SENT_LATE = "sent_late", _("Notice sent late")


@dataclass(frozen=True, slots=True, kw_only=True)
class VisitPersonInput:
    """One citizen who came, as the officer enters them (columns 3 and 4).

    `identity_document` is the paper and its number as written in the log
    ("CCCD 082123456789"); the petitions get its number. `email` and
    `protection_waived` are not part of the log: they go to the
    petitioners of the petitions the visit creates (a denouncer who waives
    the protection of their identity, Luật Tố cáo Art. 47(1)).
    """

    name: str
    address: str = ""
    identity_document: str = ""
    phone: str = ""
    email: str = ""
    is_representative: bool = False
    protection_waived: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedVisit:
    """A stored visit, and what the officer hands to the citizen.

    `petitions` are the petitions the visit created (one, or one per part
    of a mixed visit, in the order of the parts), all with the same secret
    `lookup_key`, which exists only here. `result_notice_due` is the last
    day of the answer the visitor is owed (Luật TCD Art. 28(1), 10 working
    days), for a visit recorded or transferred; `refusal_notice_due`, that
    of the written refusal notice when the ground requires one.
    """

    visit: Visit
    petitions: tuple[ReceivedPetition, ...] = ()
    result_notice_due: datetime.date | None = None

    @property
    def codes(self) -> list[str]:
        """The codes of the petitions created, first part first."""
        return [received.code for received in self.petitions]

    @property
    def lookup_key(self) -> str:
        """The secret key of the petitions ("" when the visit created none)."""
        return self.petitions[0].lookup_key if self.petitions else ""

    @property
    def refusal_notice_due(self) -> datetime.date | None:
        """The last day to send the written refusal notice, if one is required."""
        return self.visit.refusal_notice_due


# --- validation helpers -------------------------------------------------------


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _required() -> str:
    return gettext("This field is required.")


def _too_long(max_length: int, length: int) -> str:
    return gettext("Too long: at most %(max)d characters (%(length)d given).") % {
        "max": max_length,
        "length": length,
    }


def _check_text(
    errors: Errors, field: str, value: Any, max_length: int, *, required: bool = False
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        _add(errors, field, gettext("Enter text."))
        return ""
    text: str = value.strip()
    if required and not text:
        _add(errors, field, _required())
    elif len(text) > max_length:
        _add(errors, field, _too_long(max_length, len(text)))
    return text


def _check_choice(errors: Errors, field: str, value: Any, choices: type[TextChoices]) -> str:
    if value not in choices.values:
        _add(
            errors,
            field,
            gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
        )
        return ""
    return str(value)


def _check_date(errors: Errors, field: str, value: Any, *, today: datetime.date) -> bool:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        _add(errors, field, gettext("Enter a date."))
        return False
    if value > today:
        _add(errors, field, gettext("The date cannot be in the future."))
        return False
    return True


def _check_count(errors: Errors, field: str, value: Any, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _add(errors, field, gettext("Enter a whole number."))
        return minimum
    if not minimum <= value <= maximum:
        _add(
            errors,
            field,
            gettext("Enter a number from %(min)d to %(max)d.") % {"min": minimum, "max": maximum},
        )
    return value


def _identity_number(document: str) -> str:
    """Return the number in an identity document as written ("CCCD 0821…" → "0821…").

    The last run of 6 to 20 letters or digits that holds a digit, as
    `petitions.services` accepts; "" when there is none.
    """
    tokens = [
        token
        for token in _IDENTITY_TOKEN.findall(document)
        if 6 <= len(token) <= 20 and any(ch.isdigit() for ch in token)
    ]
    return tokens[-1] if tokens else ""


def _check_person(errors: Errors, prefix: str, person: Any) -> VisitPersonInput | None:
    if not isinstance(person, VisitPersonInput):
        _add(
            errors,
            prefix,
            gettext("Give each person with their name, address and identity document."),
        )
        return None
    name = _check_text(errors, f"{prefix}.name", person.name, TEXT_MAX_LENGTH, required=True)
    address = _check_text(errors, f"{prefix}.address", person.address, TEXT_MAX_LENGTH)
    document = _check_text(
        errors,
        f"{prefix}.identity_document",
        person.identity_document,
        IDENTITY_DOCUMENT_MAX_LENGTH,
    )
    phone = _PHONE_SEPARATORS.sub("", person.phone or "")
    if phone and not _PHONE_DIGITS.match(phone):
        _add(errors, f"{prefix}.phone", gettext("Enter a phone number of 8 to 15 digits."))
    email = (person.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, f"{prefix}.email", gettext("Enter a valid email address."))
    return VisitPersonInput(
        name=name,
        address=address,
        identity_document=document,
        phone=phone,
        email=email,
        is_representative=bool(person.is_representative),
        protection_waived=bool(person.protection_waived),
    )


def _check_representatives(
    errors: Errors, people: Sequence[VisitPersonInput], people_count: int
) -> None:
    """Luật TCD Art. 29: 5–10 people choose 1 or 2 representatives, more than 10 at most 5."""
    limits = rules.representative_limits(people_count)
    if limits is None:
        return
    chosen = sum(1 for person in people if person.is_representative)
    if limits.minimum <= chosen <= limits.maximum:
        return
    _add(
        errors,
        "people",
        gettext(
            "A group of %(count)d people chooses %(min)d to %(max)d representatives (Luật Tiếp "
            "công dân Art. 29): list them among the people and mark %(min)d to %(max)d of them "
            "as representatives (%(chosen)d marked)."
        )
        % {
            "count": people_count,
            "min": limits.minimum,
            "max": limits.maximum,
            "chosen": chosen,
        },
    )


def _check_parts(
    errors: Errors, parts: Sequence[Any], kind: str, outcome: str
) -> list[PetitionPart]:
    """Check the petition(s) a visit brings: one of the visit's kind, or a mixed set."""
    if outcome != VisitOutcome.RECORDED:
        if parts:
            _add(
                errors,
                "parts",
                gettext(
                    "Only a visit recorded as petition creates petitions: remove the parts "
                    "or record the visit as a petition."
                ),
            )
        return []
    if not parts:
        _add(
            errors,
            "parts",
            gettext("A visit recorded as petition needs the petition it brought: give its part."),
        )
        return []
    checked: list[PetitionPart] = []
    for index, part in enumerate(parts):
        prefix = f"parts[{index}]"
        if not isinstance(part, PetitionPart):
            _add(errors, prefix, gettext("Give each part with its kind, title and content."))
            continue
        part_kind = _check_choice(errors, f"{prefix}.kind", part.kind, PetitionKind)
        if part_kind and kind and kind != VisitKind.MIXED and part_kind != kind:
            _add(
                errors,
                f"{prefix}.kind",
                gettext(
                    "The petition's kind must be the visit's (%(kind)s); a visit that brings "
                    "several kinds is recorded as several kinds."
                )
                % {"kind": VisitKind(kind).label},
            )
        checked.append(
            PetitionPart(
                kind=PetitionKind(part_kind) if part_kind else part.kind,
                title=_check_text(
                    errors, f"{prefix}.title", part.title, TITLE_MAX_LENGTH, required=True
                ),
                content=_check_text(
                    errors, f"{prefix}.content", part.content, CONTENT_MAX_LENGTH, required=True
                ),
                field=_check_text(errors, f"{prefix}.field", part.field, 100),
                category=_check_text(errors, f"{prefix}.category", part.category, 100),
            )
        )
    if kind and kind != VisitKind.MIXED and len(parts) > 1:
        _add(
            errors,
            "parts",
            gettext(
                "A visit of one kind brings one petition; record a visit of several kinds as "
                "several kinds, one part per kind."
            ),
        )
    if kind == VisitKind.MIXED and len({part.kind for part in checked}) < 2:
        _add(
            errors,
            "parts",
            gettext(
                "A visit of several kinds is split into one part per kind: give at least two "
                "parts of different kinds, or choose the one kind."
            ),
        )
    return checked


def _remap_intake_errors(error: ValidationError, *, single: bool) -> ValidationError:
    """Name the intake's errors after the visit's inputs (people, parts)."""
    remapped: Errors = {}
    for field, messages in error.message_dict.items():
        name = field
        if name.startswith("petitioners"):
            name = "people" + name[len("petitioners") :]
            name = name.replace(".identity_number", ".identity_document")
        elif single and name in {"kind", "title", "content", "field", "category"}:
            name = f"parts[0].{name}"
        elif name.startswith("parts[") and "]." in name:
            index, rest = name[len("parts[") :].split("].", 1)
            name = f"parts[{index}].{rest}"
        remapped.setdefault(name, []).extend(messages)
    return ValidationError(remapped)


# --- permission and numbering ------------------------------------------------


def _office_parent(organization: Organization) -> int | None:
    """Return the body above `organization` when it is a citizen reception office.

    A Ban Tiếp công dân receives citizens on its committee chairman's duty
    days (Luật TCD Art. 12): its visits may belong to the chairman's days.
    """
    if organization.kind == OrganizationKind.RECEPTION_OFFICE:
        return organization.parent_id
    return None


def may_record_visits(user: Actor, organization: Organization) -> bool:
    """Tell whether `user` may write the reception log of `organization` today.

    A reception officer, handler, head or administrator of the organization
    itself, or a superuser.
    """
    return user_has_role(user, organization, *RECORDING_ROLES)


def _require_recorder(user: Actor, organization: Organization) -> None:
    if not may_record_visits(user, organization):
        raise PermissionDenied(
            gettext(
                "Only a reception officer, handler, head or administrator of %(organization)s "
                "may write its reception log."
            )
            % {"organization": organization.name}
        )


def _issue_number(organization: Organization, register: str, year: int) -> int:
    """Return the next number of `register` for `organization` and `year`.

    The sequence row stays locked until the commit, so numbers follow each
    other without gaps; a rolled-back transaction gives its number back.
    """
    sequence, _created = ReceptionSequence.objects.select_for_update().get_or_create(
        organization=organization, register=register, year=year
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def visit_search_text(
    *,
    number: int,
    year: int,
    summary: str,
    people: Iterable[VisitPersonInput | VisitPerson],
    protected: bool,
) -> str:
    """Return what the log search matches, folded: the number, the summary, and
    the names and addresses, which are left out of a protected visit (a match
    would tell who came to denounce)."""
    words = [f"{number}/{year}", summary]
    if not protected:
        for person in people:
            words.extend([person.name, person.address])
    return " ".join(fold(" ".join(words)).split())


def _listed_name(people: Sequence[VisitPersonInput], *, protected: bool) -> str:
    if protected or not people:
        return ""
    chosen = next((person for person in people if person.is_representative), people[0])
    return chosen.name


def _is_protected(kind: str, parts: Sequence[PetitionPart]) -> bool:
    """A denunciation, or several kinds one of which is (or may be) a denunciation.

    A visit of several kinds that created no petition does not say which
    kinds it held: it is protected, as it may have brought a denunciation.
    """
    if kind == VisitKind.DENUNCIATION:
        return True
    if kind == VisitKind.MIXED:
        return not parts or any(part.kind == PetitionKind.DENUNCIATION for part in parts)
    return False


# --- services ---------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    actor: Actor,
    organization: Organization,
    received_on: datetime.date,
    people: Sequence[VisitPersonInput],
    summary: str,
    kind: str,
    outcome: str,
    people_count: int = 1,
    mode: str = ReceptionMode.IN_PERSON,
    schedule: ReceptionSchedule | None = None,
    previously_handled_by: str = "",
    within_competence: bool | None = None,
    guided_to: str = "",
    guidance_document_number: str = "",
    accepted_by: Organization | None = None,
    transfer_document_number: str = "",
    notes: str = "",
    refusal_ground: str = "",
    parts: Sequence[PetitionPart] = (),
    commune_code: int | None = None,
    is_signed: bool = False,
) -> RecordedVisit:
    """Write one entry of the reception log, and the petitions the visit brought.

    Check every field (raise `ValidationError` with a dict of field to
    messages in the active language; fields of a person are
    `people[<i>].<field>`, of a petition `parts[<i>].<field>`), then, in
    one transaction: issue the visit's number (per organization and year
    of `received_on`), store the visit and its people, create the
    petitions of a visit RECORDED within competence (`parts`: one part of
    the visit's kind, or for a visit of several kinds one part per kind,
    split and linked by the intake to the first one; `channel` in person,
    held by `organization`, the people as petitioners, in `commune_code`,
    by default the commune the organization serves), link them to the
    visit, and write the `visit.record` audit event (no personal data).
    Any failure leaves nothing, not even a used number.

    `within_competence` (column 9) follows the outcome when not given:
    true for RECORDED, false for GUIDED and TRANSFERRED (contents outside
    the competence), true otherwise. GUIDED needs `guided_to`;
    TRANSFERRED `accepted_by` and `transfer_document_number`; REFUSED a
    `refusal_ground` valid on `received_on`, and sets `refusal_notice_due`
    when the ground requires a written notice. Fewer than 5 people may mark
    representatives or not; 5–10 mark 1 or 2; more than 10, 1 to 5 (not
    checked for a refused visit: a group may be refused for coming without
    lawful representatives, NĐ 154/2026 Art. 4(e), (g)).

    Petitions are received on the day they are stored (the intake dates
    them now), so a visit that creates petitions is recorded on its day:
    `received_on` must then be today. Raise `PermissionDenied` unless
    `actor` may write the organization's log (`may_record_visits`).
    """
    _require_recorder(actor, organization)
    today = timezone.localdate()
    errors: Errors = {}

    kind = _check_choice(errors, "kind", kind, VisitKind)
    outcome = _check_choice(errors, "outcome", outcome, VisitOutcome)
    mode = _check_choice(errors, "mode", mode, ReceptionMode)
    date_ok = _check_date(errors, "received_on", received_on, today=today)
    summary = _check_text(errors, "summary", summary, LONG_TEXT_MAX_LENGTH, required=True)
    previously_handled_by = _check_text(
        errors, "previously_handled_by", previously_handled_by, TEXT_MAX_LENGTH
    )
    guided_to = _check_text(errors, "guided_to", guided_to, TEXT_MAX_LENGTH)
    guidance_document_number = _check_text(
        errors, "guidance_document_number", guidance_document_number, DOCUMENT_NUMBER_MAX_LENGTH
    )
    transfer_document_number = _check_text(
        errors, "transfer_document_number", transfer_document_number, DOCUMENT_NUMBER_MAX_LENGTH
    )
    notes = _check_text(errors, "notes", notes, LONG_TEXT_MAX_LENGTH)
    refusal_ground = _check_text(errors, "refusal_ground", refusal_ground, 32)
    people_count = _check_count(errors, "people_count", people_count, 1, PEOPLE_COUNT_MAX)

    checked_people: list[VisitPersonInput] = []
    if isinstance(people, str) or not isinstance(people, Sequence):
        _add(errors, "people", gettext("Give the people who came as a list."))
    elif not people:
        _add(errors, "people", gettext("Give at least one person who came."))
    else:
        for index, person in enumerate(people):
            checked = _check_person(errors, f"people[{index}]", person)
            if checked is not None:
                checked_people.append(checked)
        if isinstance(people_count, int) and len(people) > people_count:
            _add(
                errors,
                "people",
                gettext(
                    "%(listed)d people are listed but the number of people with the same content "
                    "is %(count)d: raise the number or remove people."
                )
                % {"listed": len(people), "count": people_count},
            )
        elif outcome and outcome != VisitOutcome.REFUSED and isinstance(people_count, int):
            _check_representatives(errors, checked_people, people_count)

    if date_ok and mode == ReceptionMode.ONLINE and received_on < rules.ONLINE_RECEPTION_FROM:
        _add(
            errors,
            "mode",
            gettext("Online reception is possible only from %(date)s.")
            % {"date": rules.ONLINE_RECEPTION_FROM.strftime("%d/%m/%Y")},
        )

    if schedule is not None:
        if not isinstance(schedule, ReceptionSchedule):
            _add(errors, "schedule", gettext("Choose a leader's duty day."))
        elif schedule.organization_id not in (organization.pk, _office_parent(organization)):
            _add(
                errors,
                "schedule",
                gettext("This duty day is another organization's: choose one of %(organization)s.")
                % {"organization": organization.name},
            )
        elif date_ok and schedule.date != received_on:
            _add(
                errors,
                "schedule",
                gettext("This duty day is on %(date)s, not on the day of the visit.")
                % {"date": schedule.date.strftime("%d/%m/%Y")},
            )
        elif schedule.status == ScheduleStatus.CANCELLED:
            _add(errors, "schedule", gettext("This duty day was cancelled."))

    # Column 9, and what each outcome needs (columns 10 and 11, refusal).
    if within_competence is None:
        within_competence = outcome not in _OUTSIDE_COMPETENCE
    elif not isinstance(within_competence, bool):
        _add(errors, "within_competence", gettext("Answer yes or no."))
    elif outcome in _OUTSIDE_COMPETENCE and within_competence:
        _add(
            errors,
            "within_competence",
            gettext(
                "A visit guided or transferred elsewhere is outside the competence: untick "
                "'within competence' or record the petition here."
            ),
        )
    elif outcome == VisitOutcome.RECORDED and not within_competence:
        _add(
            errors,
            "within_competence",
            gettext(
                "Only content within the competence is recorded as a petition here: guide the "
                "citizen or transfer it."
            ),
        )

    if outcome == VisitOutcome.GUIDED:
        if not guided_to:
            _add(errors, "guided_to", gettext("Say which body the citizen was guided to."))
    else:
        for field, value in (
            ("guided_to", guided_to),
            ("guidance_document_number", guidance_document_number),
        ):
            if value:
                _add(errors, field, gettext("Only a visit guided elsewhere has guidance."))

    if outcome == VisitOutcome.TRANSFERRED:
        if accepted_by is None:
            _add(
                errors, "accepted_by", gettext("Choose the body the petition was transferred to.")
            )
        elif not isinstance(accepted_by, Organization):
            _add(errors, "accepted_by", gettext("Choose an organization."))
        elif accepted_by.pk == organization.pk:
            _add(
                errors,
                "accepted_by",
                gettext("A petition is transferred to another body: choose the competent one."),
            )
        if not transfer_document_number:
            _add(
                errors,
                "transfer_document_number",
                gettext("Give the number of the transfer document."),
            )
    else:
        if accepted_by is not None:
            _add(errors, "accepted_by", gettext("Only a transferred visit has a receiving body."))
        if transfer_document_number:
            _add(
                errors,
                "transfer_document_number",
                gettext("Only a transferred visit has a transfer document."),
            )

    refusal_notice_due: datetime.date | None = None
    if outcome == VisitOutcome.REFUSED:
        if not refusal_ground:
            _add(errors, "refusal_ground", gettext("Choose the legal ground of the refusal."))
        elif refusal_ground not in RefusalGround.values:
            _check_choice(errors, "refusal_ground", refusal_ground, RefusalGround)
        elif date_ok and not rules.refusal_ground_valid_on(refusal_ground, received_on):
            _add(
                errors,
                "refusal_ground",
                gettext(
                    "This ground (NĐ 154/2026 Art. 4) did not apply yet on the day of the visit: "
                    "choose a ground of Luật Tiếp công dân Art. 9."
                ),
            )
        elif (
            kind
            and kind != VisitKind.MIXED
            and kind not in _GROUND_KINDS.get(refusal_ground, frozenset(VisitKind.values))
        ):
            _add(
                errors,
                "refusal_ground",
                gettext("This ground does not apply to a visit of this kind (%(kind)s).")
                % {"kind": VisitKind(kind).label},
            )
        elif date_ok:
            refusal_notice_due = rules.refusal_notice_due(refusal_ground, received_on)
    elif refusal_ground:
        _add(errors, "refusal_ground", gettext("Only a refused visit has a refusal ground."))

    checked_parts = _check_parts(errors, parts, kind, outcome)
    commune: Commune | None = None
    if outcome == VisitOutcome.RECORDED:
        if date_ok and received_on != today:
            _add(
                errors,
                "received_on",
                gettext(
                    "A visit that creates petitions is recorded on its day, when the petitions' "
                    "time limits start: record it today, or record the petitions through the "
                    "intake of petitions."
                ),
            )
        code = commune_code if commune_code is not None else organization.commune_id
        if code is None:
            _add(errors, "commune_code", gettext("Choose the commune the petition concerns."))
        else:
            commune = Commune.objects.filter(code=code).first()
            if commune is None:
                _add(
                    errors,
                    "commune_code",
                    gettext("No current commune has the code %(code)s.") % {"code": code},
                )
    elif commune_code is not None:
        _add(
            errors,
            "commune_code",
            gettext("Only a visit recorded as petition has the petition's commune."),
        )

    if errors:
        raise ValidationError(errors)

    protected = _is_protected(kind, checked_parts)
    # The organization's number first, the petitions' codes last: the
    # petition code sequence is one row per year for the whole country, so
    # its lock (taken by the intake, held until the commit) is held for as
    # short a time as possible. Always in this order: no deadlock.
    year = received_on.year
    number = _issue_number(organization, ReceptionSequence.Register.VISIT, year)
    result_notice_due = None
    if outcome in _RESULT_NOTICE_OUTCOMES:
        try:
            rule = rules_in_force(RESULT_NOTICE_RULE, received_on)
        except LookupError:
            pass  # Before Luật Tiếp công dân was in force (2014-07-01).
        else:
            result_notice_due = due_date(rule, received_on)
    visit = Visit.objects.create(
        result_notice_due=result_notice_due,
        organization=organization,
        year=year,
        number=number,
        received_on=received_on,
        schedule=schedule,
        received_by=_user_or_none(actor),
        mode=mode,
        summary=summary,
        kind=kind,
        people_count=people_count,
        previously_handled_by=previously_handled_by,
        within_competence=within_competence,
        outcome=outcome,
        guided_to=guided_to,
        guidance_document_number=guidance_document_number,
        accepted_by=accepted_by,
        transfer_document_number=transfer_document_number,
        notes=notes,
        refusal_ground=refusal_ground,
        refusal_notice_due=refusal_notice_due,
        identity_protected=protected,
        listed_name=_listed_name(checked_people, protected=protected),
        search_text=visit_search_text(
            number=number, year=year, summary=summary, people=checked_people, protected=protected
        ),
    )
    VisitPerson.objects.bulk_create(
        [
            VisitPerson(
                visit=visit,
                position=position,
                name=person.name,
                address=person.address,
                identity_document=person.identity_document,
                phone=person.phone,
                is_representative=person.is_representative,
            )
            for position, person in enumerate(checked_people)
        ]
    )
    received: list[ReceivedPetition] = []
    if checked_parts and commune is not None:
        received = _receive_petitions(
            actor=actor,
            organization=organization,
            kind=kind,
            parts=checked_parts,
            people=checked_people,
            people_count=people_count,
            commune_code=commune.code,
            is_signed=is_signed,
        )
    codes = [item.code for item in received]
    if codes:
        visit.petitions.set(Petition.objects.filter(code__in=codes))
    audit_record(
        actor=actor,
        action="visit.record",
        target=visit,
        data={
            "organization": organization.code,
            "number": number,
            "year": year,
            "received_on": received_on.isoformat(),
            "kind": kind,
            "outcome": outcome,
            "mode": mode,
            "people_count": people_count,
            "person_count": len(checked_people),
            "representative_count": sum(1 for p in checked_people if p.is_representative),
            "within_competence": within_competence,
            "identity_protected": protected,
            "schedule": schedule.pk if schedule is not None else None,
            "accepted_by": accepted_by.code if accepted_by is not None else None,
            "refusal_ground": refusal_ground or None,
            "refusal_notice_due": refusal_notice_due.isoformat() if refusal_notice_due else None,
            "petitions": codes,
        },
    )
    return RecordedVisit(
        visit=visit, petitions=tuple(received), result_notice_due=result_notice_due
    )


def _user_or_none(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _receive_petitions(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    parts: list[PetitionPart],
    people: list[VisitPersonInput],
    people_count: int,
    commune_code: int,
    is_signed: bool,
) -> list[ReceivedPetition]:
    """Create the visit's petition(s) through the petitions intake."""
    petitioners = [
        PetitionerInput(
            name=person.name,
            identity_number=_identity_number(person.identity_document),
            phone=person.phone,
            email=person.email,
            address=person.address,
            is_representative=person.is_representative,
            protection_waived=person.protection_waived,
        )
        for person in people
    ]
    common: dict[str, Any] = {
        "channel": Channel.IN_PERSON,
        "commune_code": commune_code,
        "petitioners": petitioners,
        "people_count": people_count,
        "is_signed": is_signed,
        "actor": actor,
        "organization": organization,
    }
    single = kind != VisitKind.MIXED
    try:
        if single:
            (part,) = parts
            return [
                petition_services.petition_receive(
                    kind=PetitionKind(part.kind),
                    title=part.title,
                    content=part.content,
                    field=part.field,
                    category=part.category,
                    **common,
                )
            ]
        return petition_services.petition_receive_mixed(parts=parts, **common)
    except ValidationError as error:
        raise _remap_intake_errors(error, single=single) from error


def _lock(visit: Visit) -> Visit:
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=visit.pk)
    )


@transaction.atomic
def visit_update_follow_up(
    *, actor: Actor, visit: Visit, result_follow_up: str, notes: str | None = None
) -> Visit:
    """Record the follow-up of the result (column 12) and, if given, the notes (13).

    The texts replace the previous ones; the `visit.follow_up` audit event
    names the columns changed, not their text.
    """
    _require_recorder(actor, visit.organization)
    errors: Errors = {}
    result_follow_up = _check_text(
        errors, "result_follow_up", result_follow_up, LONG_TEXT_MAX_LENGTH
    )
    if notes is not None:
        notes = _check_text(errors, "notes", notes, LONG_TEXT_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    locked = _lock(visit)
    changed = []
    if locked.result_follow_up != result_follow_up:
        locked.result_follow_up = result_follow_up
        changed.append("result_follow_up")
    if notes is not None and locked.notes != notes:
        locked.notes = notes
        changed.append("notes")
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="visit.follow_up",
            target=locked,
            data={"number": locked.number, "year": locked.year, "fields": changed},
        )
    return locked


def refusal_notice_state(visit: Visit, *, today: datetime.date | None = None) -> str:
    """Return where the written refusal notice of `visit` stands (`RefusalNoticeState`)."""
    if visit.outcome != VisitOutcome.REFUSED or visit.refusal_notice_due is None:
        if visit.refusal_notice_sent_on is not None:
            return RefusalNoticeState.SENT
        return RefusalNoticeState.NOT_REQUIRED
    if visit.refusal_notice_sent_on is not None:
        if visit.refusal_notice_sent_on > visit.refusal_notice_due:
            return RefusalNoticeState.SENT_LATE
        return RefusalNoticeState.SENT
    today = today or timezone.localdate()
    if today > visit.refusal_notice_due:
        return RefusalNoticeState.OVERDUE
    return RefusalNoticeState.PENDING


@transaction.atomic
def visit_record_refusal_notice(
    *, actor: Actor, visit: Visit, number: str, sent_on: datetime.date
) -> Visit:
    """Record the written refusal notice (Mẫu 01/TCD) sent for a refused visit.

    Lateness is against `refusal_notice_due` (3 working days for the
    grounds of Art. 9(3) and NĐ 154/2026 Art. 4(h), from 2026-07-01); it is
    in the audit event and `refusal_notice_state`. A notice is recorded
    once.
    """
    _require_recorder(actor, visit.organization)
    locked = _lock(visit)
    errors: Errors = {}
    if locked.outcome != VisitOutcome.REFUSED:
        _add(errors, "visit", gettext("Only a refused visit has a refusal notice."))
    elif locked.refusal_notice_sent_on is not None:
        _add(
            errors,
            "visit",
            gettext("The refusal notice %(number)s was already recorded.")
            % {"number": locked.refusal_notice_number},
        )
    number = _check_text(errors, "number", number, DOCUMENT_NUMBER_MAX_LENGTH, required=True)
    if _check_date(errors, "sent_on", sent_on, today=timezone.localdate()) and (
        sent_on < locked.received_on
    ):
        _add(errors, "sent_on", gettext("A refusal notice is sent on or after the visit."))
    if errors:
        raise ValidationError(errors)
    locked.refusal_notice_number = number
    locked.refusal_notice_sent_on = sent_on
    locked.save(update_fields=["refusal_notice_number", "refusal_notice_sent_on", "updated_at"])
    due = locked.refusal_notice_due
    audit_record(
        actor=actor,
        action="visit.refusal_notice",
        target=locked,
        data={
            "number": locked.number,
            "year": locked.year,
            "notice_number": number,
            "sent_on": sent_on.isoformat(),
            "due": due.isoformat() if due else None,
            "late": bool(due and sent_on > due),
        },
    )
    return locked


def _check_documents(errors: Errors, documents: Any) -> list[dict[str, Any]]:
    if isinstance(documents, str | bytes | dict) or not isinstance(documents, Sequence):
        _add(errors, "documents", gettext("Give the documents as a list."))
        return []
    if not documents:
        _add(errors, "documents", gettext("List at least one document received."))
        return []
    if len(documents) > RECEIPT_DOCUMENTS_MAX:
        _add(
            errors,
            "documents",
            gettext("At most %(max)d documents on one receipt.") % {"max": RECEIPT_DOCUMENTS_MAX},
        )
        return []
    checked: list[dict[str, Any]] = []
    for index, document in enumerate(documents):
        prefix = f"documents[{index}]"
        if not isinstance(document, dict):
            _add(errors, prefix, gettext("Give each document with its title, pages and copy."))
            continue
        unknown = sorted(set(document) - {"title", "pages", "copy"})
        if unknown:
            _add(
                errors,
                prefix,
                gettext("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)},
            )
        title = _check_text(
            errors, f"{prefix}.title", document.get("title"), TEXT_MAX_LENGTH, required=True
        )
        pages = _check_count(
            errors, f"{prefix}.pages", document.get("pages"), 1, RECEIPT_PAGES_MAX
        )
        copy = _check_choice(errors, f"{prefix}.copy", document.get("copy"), DocumentCopy)
        checked.append({"title": title, "pages": pages, "copy": copy})
    return checked


@transaction.atomic
def receipt_issue(
    *, actor: Actor, visit: Visit, handed_over_by: str, documents: Sequence[dict[str, Any]]
) -> Receipt:
    """Issue a receipt for the documents a visitor handed over (Mẫu 02/TCD).

    NĐ 154/2026 Art. 14(4). `documents` is a list of `{"title", "pages",
    "copy"}` (`copy` one of `DocumentCopy`); the receipt is numbered per
    organization and year of issue (`ReceptionSequence` register RECEIPT).
    The `receipt.issue` audit event holds the counts, not the titles or
    the name.
    """
    _require_recorder(actor, visit.organization)
    errors: Errors = {}
    handed_over_by = _check_text(
        errors, "handed_over_by", handed_over_by, TEXT_MAX_LENGTH, required=True
    )
    checked = _check_documents(errors, documents)
    if errors:
        raise ValidationError(errors)
    issued_at = timezone.now()
    year = timezone.localdate(issued_at).year
    number = _issue_number(visit.organization, ReceptionSequence.Register.RECEIPT, year)
    receipt = Receipt.objects.create(
        visit=visit,
        year=year,
        number=number,
        issued_at=issued_at,
        handed_over_by=handed_over_by,
        received_by=_user_or_none(actor),
        documents=checked,
    )
    audit_record(
        actor=actor,
        action="receipt.issue",
        target=receipt,
        data={
            "organization": visit.organization.code,
            "visit": f"{visit.number}/{visit.year}",
            "number": number,
            "year": year,
            "documents": len(checked),
            "pages": sum(document["pages"] for document in checked),
        },
    )
    return receipt


# --- who sees a visitor --------------------------------------------------------


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def visit_people_visible_to(user: Any, visit: Visit) -> bool:
    """Tell whether `user` may see who came on `visit` (names, addresses, papers).

    A visit that brought no denunciation: whoever reads the organization's
    records today (`organizations_user_can_read`). A protected visit
    (decision 0009): only the officer who received it, while they still
    work for the organization; a head of the organization or of a body
    above it; and whoever may see the denouncer of a linked denunciation
    (`confidentiality.may_see_protected_identity`). Nobody else, the
    superuser included.
    """
    if not _is_active(user):
        return False
    if not visit.identity_protected:
        return organizations_user_can_read(user).filter(pk=visit.organization_id).exists()
    memberships = user_memberships(user)
    if (
        visit.received_by_id == user.pk
        and memberships.filter(organization_id=visit.organization_id).exists()
    ):
        return True
    ancestors = organization_ancestor_ids(visit.organization)
    if memberships.filter(role=Role.HEAD, organization_id__in=ancestors).exists():
        return True
    return any(
        petition.kind == PetitionKind.DENUNCIATION and may_see_protected_identity(user, petition)
        for petition in visit.petitions.select_related("organization")
    )


def visit_person_as_dict(person: VisitPerson) -> dict[str, Any]:
    """Return a visitor as the back-office shows them (columns 3 and 4)."""
    return {
        "name": person.name,
        "address": person.address,
        "identity_document": person.identity_document,
        "phone": person.phone,
        "is_representative": person.is_representative,
    }


def visit_people_for(
    user: Any, visit: Visit, *, where: str = VIEW_WHERE_VISIT
) -> list[dict[str, Any]]:
    """Return the people of `visit` as `user` may see them, in their order.

    Each is `visit_person_as_dict` or, for a user who may not see them,
    `confidentiality.REDACTED`. Showing the people of a protected visit
    writes a view audit event (`audit_record_view`, action
    `visit.view_protected`).
    """
    people = list(visit.people.all())
    if not visit_people_visible_to(user, visit):
        return [dict(REDACTED) for _person in people]
    if visit.identity_protected and people:
        audit_record_view(actor=user, target=visit, fields=list(PERSON_FIELDS), reason=where)
    return [visit_person_as_dict(person) for person in people]


# --- the log ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VisitLogPerson:
    """A visitor as a log row shows them (never one of a protected visit)."""

    name: str
    address: str
    identity_document: str
    is_representative: bool


@dataclass(frozen=True, slots=True)
class VisitLogRow:
    """One row of the reception log, in the columns of Mẫu 03/TCD.

    `people` is empty for a protected visit and `listed_name` blank: the
    list never shows who came to denounce, whoever looks.
    """

    id: int
    organization_id: int
    organization_name: str
    number: int
    year: int
    received_on: datetime.date
    listed_name: str
    people: tuple[VisitLogPerson, ...]
    identity_protected: bool
    summary: str
    kind: str
    kind_label: str
    people_count: int
    previously_handled_by: str
    within_competence: bool
    outcome: str
    outcome_label: str
    guided_to: str
    guidance_document_number: str
    accepted_by_name: str
    transfer_document_number: str
    result_follow_up: str
    notes: str
    refusal_ground: str
    petition_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VisitLogPage:
    """One page of the log, read without counting the whole log.

    One row more than asked tells whether there is a next page
    (`has_more`), as `petitions.selectors.inbox_page`.
    """

    rows: list[VisitLogRow]
    offset: int
    limit: int
    has_more: bool


def visits_visible_to(user: Any) -> QuerySet[Visit]:
    """Return the visits of the organizations `user` may read today."""
    if not _is_active(user):
        return Visit.objects.none()
    if user.is_superuser:
        return Visit.objects.all()
    return Visit.objects.filter(organization__in=organizations_user_can_read(user).values("pk"))


def _row(
    visit: Visit,
    people: Sequence[VisitPerson],
    petition_codes: Sequence[str],
    labels: dict[str, str],
) -> VisitLogRow:
    organization = visit.organization
    return VisitLogRow(
        id=visit.pk,
        organization_id=organization.pk,
        organization_name=organization.short_name or organization.name,
        number=visit.number,
        year=visit.year,
        received_on=visit.received_on,
        listed_name="" if visit.identity_protected else visit.listed_name,
        people=()
        if visit.identity_protected
        else tuple(
            VisitLogPerson(
                name=person.name,
                address=person.address,
                identity_document=person.identity_document,
                is_representative=person.is_representative,
            )
            for person in people
        ),
        identity_protected=visit.identity_protected,
        summary=visit.summary,
        kind=visit.kind,
        kind_label=labels.get(visit.kind, visit.kind),
        people_count=visit.people_count,
        previously_handled_by=visit.previously_handled_by,
        within_competence=visit.within_competence,
        outcome=visit.outcome,
        outcome_label=labels.get(visit.outcome, visit.outcome),
        guided_to=visit.guided_to,
        guidance_document_number=visit.guidance_document_number,
        accepted_by_name=visit.accepted_by.name if visit.accepted_by is not None else "",
        transfer_document_number=visit.transfer_document_number,
        result_follow_up=visit.result_follow_up,
        notes=visit.notes,
        refusal_ground=visit.refusal_ground,
        petition_codes=tuple(petition_codes),
    )


def visits_log(
    *,
    user: Any,
    organizations: Iterable[Organization] | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    kind: str | None = None,
    outcome: str | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int = 25,
) -> VisitLogPage:
    """Return a page of the reception log `user` may read, newest first.

    Narrowed to `organizations` (among those the user reads today; others
    are left out), the days from `date_from` to `date_to` (inclusive),
    `kind`, `outcome`, and `q` (diacritics and case ignored) in the number,
    the summary, and the names and addresses of visits that brought no
    denunciation. Never a count: `limit` + 1 rows are read.

    At most five queries whatever the page size: the ids of the
    organizations the user reads (none for a superuser), so that the
    planner sees the list and one organization's log is read backwards on
    `visit_org_log_idx`; the ids of the page's visits (`LOG_ORDERING`); the
    visits with their organizations;
    the people of the visits that are not protected (those of a protected
    visit are never read); the codes of the petitions of recorded visits.
    """
    offset = max(0, int(offset))
    limit = min(max(1, int(limit)), LOG_PAGE_MAX)
    empty = VisitLogPage(rows=[], offset=offset, limit=limit, has_more=False)
    if not _is_active(user):
        return empty
    wanted = None if organizations is None else {org.pk for org in organizations}
    if not user.is_superuser:
        readable = set(organizations_user_can_read(user).values_list("pk", flat=True))
        wanted = readable if wanted is None else wanted & readable
    visits = Visit.objects.all()
    if wanted is not None:
        if not wanted:
            return empty
        visits = visits.filter(organization_id__in=sorted(wanted))
    if date_from is not None:
        visits = visits.filter(received_on__gte=date_from)
    if date_to is not None:
        visits = visits.filter(received_on__lte=date_to)
    if kind:
        visits = visits.filter(kind=kind)
    if outcome:
        visits = visits.filter(outcome=outcome)
    folded = " ".join(fold(q or "").split())
    if folded:
        visits = visits.filter(search_text__contains=folded)
    # The page's ids first, then their rows: skipping `offset` rows reads
    # only the index (`visit_org_log_idx` holds the whole order), not the
    # rows themselves, so a page deep in a year costs little more.
    ids = list(
        visits.order_by(*LOG_ORDERING).values_list("pk", flat=True)[offset : offset + limit + 1]
    )
    position = {pk: index for index, pk in enumerate(ids)}
    found = sorted(
        Visit.objects.filter(pk__in=ids)
        .select_related("organization", "accepted_by")
        .defer("search_text"),
        key=lambda visit: position[visit.pk],
    )
    page = found[:limit]

    people: dict[int, list[VisitPerson]] = {}
    shown = [visit.pk for visit in page if not visit.identity_protected]
    if shown:
        for person in VisitPerson.objects.filter(visit_id__in=shown).order_by(
            "visit_id", "position", "id"
        ):
            people.setdefault(person.visit_id, []).append(person)
    codes: dict[int, list[str]] = {}
    recorded = [visit.pk for visit in page if visit.outcome == VisitOutcome.RECORDED]
    if recorded:
        links = (
            Visit.petitions.through.objects.filter(visit_id__in=recorded)
            .order_by("petition_id")
            .values_list("visit_id", "petition__code")
        )
        for visit_id, code in links:
            codes.setdefault(visit_id, []).append(code)
    # The labels in the active language once a page: `get_FOO_display`
    # translates every choice on each call (a third of the time of a page).
    labels = {
        str(value): str(label) for value, label in [*VisitKind.choices, *VisitOutcome.choices]
    }
    return VisitLogPage(
        rows=[
            _row(visit, people.get(visit.pk, ()), codes.get(visit.pk, ()), labels)
            for visit in page
        ],
        offset=offset,
        limit=limit,
        has_more=len(found) > limit,
    )
