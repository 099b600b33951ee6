"""Classification: eligible or not, with the reason; duplicates and groups.

TT 05/2021/TT-TTCP Art. 6–11 has the receiving body enter a petition in its
register, classify it by content and decide whether it is handled. The
reasons a petition is not handled, each with its basis:

- an anonymous denunciation, or one under a false name (Luật Tố cáo 2018
  Art. 25(1));
- a complaint not signed or finger-printed (Luật Khiếu nại 2011 Art. 8(2),
  Art. 11(4) as the form is incomplete);
- a complaint filed after the 90-day limit without a legitimate reason
  (Luật Khiếu nại 2011 Art. 9, Art. 11(3));
- a complaint already decided at the second instance (Art. 11(7));
- a duplicate of a petition already handled (TT 05/2021 Art. 6(2)).

`ineligibility_suggestions` proposes the reasons the data shows;
`petition_classify` records the handler's decision: eligible (status
"classified") or not (classified, then filed away with the reason). The
same content from the same person is linked to the first petition
(`petition_mark_duplicate`); petitions on one matter from many people are
handled together in a `PetitionGroup` (`petitions_group`).
"""

import datetime
import re
from collections.abc import Sequence
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from danvan.core.audit import Actor, audit_record
from danvan.core.text import fold
from danvan.petitions.actions import petition_act, user_or_none
from danvan.petitions.models import (
    TITLE_MAX_LENGTH,
    Eligibility,
    IneligibilityReason,
    Petition,
    Petitioner,
    PetitionGroup,
)
from danvan.petitions.rules import due_date, rules_in_force
from danvan.petitions.workflow import TERMINAL, Action, PetitionKind

#: The legal basis shown with each reason a petition is not handled.
REASON_BASIS: Final[dict[IneligibilityReason, str]] = {
    IneligibilityReason.ANONYMOUS_DENUNCIATION: "Luật Tố cáo 2018 Art. 25(1)",
    IneligibilityReason.UNSIGNED_COMPLAINT: "Luật Khiếu nại 2011 Art. 8(2), 11",
    IneligibilityReason.COMPLAINT_TIME_LIMIT: "Luật Khiếu nại 2011 Art. 9, 11(3)",
    IneligibilityReason.ALREADY_DECIDED_SECOND: "Luật Khiếu nại 2011 Art. 11(7)",
    IneligibilityReason.DUPLICATE_HANDLED: "TT 05/2021/TT-TTCP Art. 6",
    IneligibilityReason.NOT_COMPETENT: "TT 05/2021/TT-TTCP Art. 6",
    IneligibilityReason.OTHER: "TT 05/2021/TT-TTCP Art. 6",
}

#: Reasons after which the citizen is told in writing why (Luật Khiếu nại
#: 2011 Art. 27: notice of non-acceptance, with the reason).
REASONS_TOLD_TO_CITIZEN: Final = frozenset(
    {
        IneligibilityReason.UNSIGNED_COMPLAINT,
        IneligibilityReason.COMPLAINT_TIME_LIMIT,
        IneligibilityReason.ALREADY_DECIDED_SECOND,
        IneligibilityReason.DUPLICATE_HANDLED,
    }
)

_DIGITS = re.compile(r"\D")


def complaint_limit_end(known_on: datetime.date) -> datetime.date:
    """Return the last day to complain about a decision known on `known_on` (Art. 9)."""
    rule = rules_in_force("complaint.limitation", known_on)
    end = due_date(rule, known_on)
    assert end is not None  # noqa: S101 (a calendar-day rule always has an end)
    return end


def ineligibility_suggestions(petition: Petition) -> list[IneligibilityReason]:
    """Return the reasons the petition's own data gives for not handling it.

    Only suggestions: the handler decides, and a legitimate reason for a
    late complaint (`late_reason`) silences the time-limit reason.
    """
    reasons: list[IneligibilityReason] = []
    if petition.kind == PetitionKind.DENUNCIATION and petition.is_anonymous:
        reasons.append(IneligibilityReason.ANONYMOUS_DENUNCIATION)
    if petition.kind == PetitionKind.COMPLAINT:
        if not petition.is_signed:
            reasons.append(IneligibilityReason.UNSIGNED_COMPLAINT)
        known_on = petition.decision_known_on
        received_on = timezone.localdate(petition.received_at)
        if (
            known_on is not None
            and not petition.late_reason
            and received_on > complaint_limit_end(known_on)
        ):
            reasons.append(IneligibilityReason.COMPLAINT_TIME_LIMIT)
    original = petition.duplicate_of
    if original is not None and original.status in {s.value for s in TERMINAL}:
        reasons.append(IneligibilityReason.DUPLICATE_HANDLED)
    return reasons


def _person_keys(people: Sequence[Petitioner]) -> Q | None:
    condition = Q()
    found = False
    for person in people:
        if person.identity_number:
            condition |= Q(petitioners__identity_number=person.identity_number)
            found = True
        phone = _DIGITS.sub("", person.phone)
        if len(phone) >= 8:
            condition |= Q(petitioners__phone=person.phone)
            found = True
        if person.email:
            condition |= Q(petitioners__email__iexact=person.email)
            found = True
    return condition if found else None


def duplicate_candidates(petition: Petition, *, limit: int = 10) -> QuerySet[Petition]:
    """Return earlier petitions from the same person with the same title or content.

    The same person: a petitioner with the same identity number, phone or
    email. The same content: the same folded title, or the same folded
    content. Anonymous petitions have no candidates.
    """
    people = list(petition.petitioners.all())
    person_q = _person_keys(people)
    if person_q is None:
        return Petition.objects.none()
    title = fold(petition.title).strip()
    content_start = fold(petition.content)[:200]
    earlier = (
        Petition.objects.filter(
            person_q, kind=petition.kind, received_at__lte=petition.received_at
        )
        .exclude(pk=petition.pk)
        .distinct()
    )
    same = [
        candidate.pk
        for candidate in earlier.order_by("received_at", "pk")[:200]
        if fold(candidate.title).strip() == title or fold(candidate.content)[:200] == content_start
    ]
    return Petition.objects.filter(pk__in=same[:limit]).order_by("received_at", "pk")


@transaction.atomic
def petition_mark_duplicate(
    *, petition: Petition, original: Petition, actor: Actor, note: str = ""
) -> Petition:
    """Link `petition` to the first petition with the same content from the same person."""
    if original.pk == petition.pk:
        raise ValidationError({"duplicate_of": gettext("A petition cannot duplicate itself.")})
    root = original.duplicate_of or original
    if root.pk == petition.pk:
        raise ValidationError(
            {"duplicate_of": gettext("That petition is already a duplicate of this one.")}
        )
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    locked.duplicate_of = root
    locked.save(update_fields=["duplicate_of", "updated_at"])
    audit_record(
        actor=actor,
        action="petition.mark_duplicate",
        target=locked,
        data={"code": locked.code, "duplicate_of": root.code, "note_given": bool(note)},
    )
    return locked


@transaction.atomic
def petitions_group(
    *, petitions: Sequence[Petition], title: str, actor: Actor, group: PetitionGroup | None = None
) -> PetitionGroup:
    """Put petitions on one matter from many people into one group, handled together.

    Every petition must be held by the same organization as the group.
    """
    title = title.strip()
    if group is None and not title:
        raise ValidationError({"title": gettext("Give the group a title.")})
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {"title": gettext("At most %(max)d characters.") % {"max": TITLE_MAX_LENGTH}}
        )
    if not petitions:
        raise ValidationError({"petitions": gettext("Choose at least one petition.")})
    organizations = {petition.organization_id for petition in petitions}
    if group is not None:
        organizations.add(group.organization_id)
    if len(organizations) != 1 or None in organizations:
        raise ValidationError(
            {"petitions": gettext("Only petitions held by one organization can be grouped.")}
        )
    if group is None:
        organization = petitions[0].organization
        assert organization is not None  # noqa: S101 (checked above)
        group = PetitionGroup.objects.create(
            organization=organization, title=title, created_by=user_or_none(actor)
        )
    Petition.objects.filter(pk__in=[p.pk for p in petitions]).update(
        group=group, updated_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="petition.group",
        target=group,
        data={"codes": sorted(p.code for p in petitions)},
    )
    return group


def _reason(value: str) -> IneligibilityReason | None:
    if not value:
        return None
    try:
        return IneligibilityReason(value)
    except ValueError:
        raise ValidationError(
            {
                "reason": gettext("Choose one of: %(choices)s.")
                % {"choices": ", ".join(IneligibilityReason.values)}
            }
        ) from None


@transaction.atomic
def petition_classify(
    *,
    petition: Petition,
    actor: Actor,
    reason: str = "",
    category: str | None = None,
    field: str | None = None,
    is_complex: bool | None = None,
    is_especially_complex: bool | None = None,
    is_remote: bool | None = None,
    note: str = "",
) -> Petition:
    """Record the classification of a received petition.

    Without `reason` the petition is eligible and becomes "classified",
    ready to be accepted, transferred or guided. With a reason it is not
    eligible: classified, then filed away with the reason; the citizen sees
    the reason where the law has them told (`REASONS_TOLD_TO_CITIZEN`).
    """
    chosen = _reason(reason)
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    changed: dict[str, Any] = {}
    for name, value in (
        ("category", category),
        ("field", field),
        ("is_complex", is_complex),
        ("is_especially_complex", is_especially_complex),
        ("is_remote", is_remote),
    ):
        if value is not None and getattr(locked, name) != value:
            setattr(locked, name, value)
            changed[name] = value
    if locked.is_especially_complex and not locked.is_complex:
        locked.is_complex = True
        changed["is_complex"] = True
    locked.eligibility = Eligibility.INELIGIBLE if chosen else Eligibility.ELIGIBLE
    locked.ineligibility_reason = chosen.value if chosen else ""
    locked.save(
        update_fields=[*changed.keys(), "eligibility", "ineligibility_reason", "updated_at"]
    )
    details: dict[str, Any] = {"eligibility": locked.eligibility, **changed}
    if chosen:
        details["reason"] = chosen.value
        details["legal_basis"] = REASON_BASIS[chosen]
    locked = petition_act(
        petition=locked,
        action=Action.CLASSIFY,
        actor=actor,
        note=note,
        is_public=False,
        data=details,
    )
    if chosen:
        locked = petition_act(
            petition=locked,
            action=Action.FILE,
            actor=actor,
            note=f"{chosen.label} ({REASON_BASIS[chosen]})",
            is_public=chosen in REASONS_TOLD_TO_CITIZEN,
            data={"reason": chosen.value, "legal_basis": REASON_BASIS[chosen]},
        )
    return locked
