"""The workflow service: apply one action of `workflow.TRANSITIONS` to a petition.

`petition_act` is the only writer of a petition's status after intake. It
locks the row, asks `workflow.require` whether the action is allowed, moves
the status, keeps the resolution clock (`expected_response_by`) in step
with decision 0006, and writes one case event and one audit event, all in
one transaction.

The clock: `ACCEPT` starts the resolution period of the kind and instance
(Luật Khiếu nại 2011 Art. 28, 37; Luật Tố cáo 2018 Art. 30; for feedback
and recommendations the answer limit counted from receipt, NĐ 20/2008);
`EXTEND` adds one extension (Luật Tố cáo 2018 Art. 30); `SUSPEND` pauses
it (no due date) and `RESUME` lets the days left run again from the resume
decision (NĐ 124/2020 Art. 28b as amended by NĐ 155/2026). The days of each
suspension are read back from the case events, which record the decision
dates, so the due date is always recomputed from the start of the clock.
"""

import datetime
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from danvan.core.audit import Actor, audit_record
from danvan.petitions import workflow
from danvan.petitions.limits import LOCAL_LIMIT_RULE, expected_response_date, local_limit_for
from danvan.petitions.models import CaseEvent, Petition
from danvan.petitions.notifications import citizen_notify_on_commit
from danvan.petitions.rules import (
    ClockOverride,
    StartEvent,
    Suspension,
    due_date,
    rules_in_force,
)
from danvan.petitions.workflow import Action, PetitionKind, Status

#: The resolution clock started by `ACCEPT`, per kind and instance.
RESOLUTION_RULES: Final[dict[tuple[PetitionKind, int], str]] = {
    # NĐ 20/2008 leaves the limit to each body: the local default, counted
    # from receipt (its start event), so acceptance does not move it.
    (PetitionKind.FEEDBACK, 1): "feedback.local_limit",
    (PetitionKind.RECOMMENDATION, 1): "feedback.local_limit",
    # Luật Khiếu nại 2011 Art. 28 (first instance), Art. 37 (second).
    (PetitionKind.COMPLAINT, 1): "complaint.resolution.first",
    (PetitionKind.COMPLAINT, 2): "complaint.resolution.second",
    # Luật Tố cáo 2018 Art. 30.
    (PetitionKind.DENUNCIATION, 1): "denunciation.resolution",
}

#: Keys of a case event's `data` that the service writes itself.
RESERVED_DATA_KEYS: Final = frozenset({"clock", "previous_status"})

_CLOCK_ACTIONS: Final = frozenset({Action.ACCEPT, Action.EXTEND, Action.SUSPEND, Action.RESUME})


def user_or_none(actor: Actor) -> Any:
    """Return the user behind `actor`, or None for an anonymous or missing one."""
    return actor if actor is not None and actor.is_authenticated else None


def _rule_code(petition: Petition) -> str:
    kind = PetitionKind(petition.kind)
    code = RESOLUTION_RULES.get((kind, petition.instance))
    if code is None:
        raise ValueError(
            f"No resolution clock is defined for a {kind.value} at instance {petition.instance}."
        )
    return code


def _suspensions(
    petition: Petition, *, action: Action, on_date: datetime.date
) -> list[Suspension]:
    """Return the suspensions of the running clock, the current action included.

    Read from the SUSPEND and RESUME case events written since the last
    acceptance, each holding the date of its decision. An acceptance
    starts a new clock, with none.
    """
    if action is Action.ACCEPT:
        return []
    accepted = (
        CaseEvent.objects.filter(petition=petition, action=Action.ACCEPT)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    events = CaseEvent.objects.filter(
        petition=petition, action__in=[Action.SUSPEND, Action.RESUME], pk__gt=accepted or 0
    ).order_by("pk")
    steps = [
        (Action(event.action), datetime.date.fromisoformat(event.data["clock"]["effective_on"]))
        for event in events
    ]
    if action in (Action.SUSPEND, Action.RESUME):
        steps.append((action, on_date))
    suspensions: list[Suspension] = []
    for step, day in steps:
        if step is Action.SUSPEND:
            suspensions.append(Suspension(suspended_on=day))
        elif suspensions and suspensions[-1].resumed_on is None:
            suspensions[-1] = Suspension(suspended_on=suspensions[-1].suspended_on, resumed_on=day)
    return suspensions


def _override(petition: Petition, code: str, on_date: datetime.date) -> ClockOverride | None:
    """The holding organization's own limit, for the local-default rule only."""
    if code != LOCAL_LIMIT_RULE:
        return None
    return local_limit_for(petition.organization, petition.category, on_date)


def allowed_extensions(petition: Petition, rule_code: str) -> int:
    """Return how many extensions the law allows this case (Luật Tố cáo 2018 Art. 30(1)).

    None for a case that is not complex, one for a complex case, and the
    rule's maximum (two) for an especially complex one.
    """
    rule = rules_in_force(rule_code, petition.clock_started_on or timezone.localdate())
    if petition.is_especially_complex:
        return rule.max_extensions
    if petition.is_complex:
        return min(1, rule.max_extensions)
    return 0


def extension_refusal(petition: Petition) -> str | None:
    """Return why the time limit of `petition` may not be extended now, or None."""
    if not petition.clock_rule_code:
        return None
    allowed = allowed_extensions(petition, petition.clock_rule_code)
    if allowed == 0:
        return gettext(
            "Only a complex denunciation may have its time limit extended "
            "(Luật Tố cáo 2018 Art. 30)."
        )
    if petition.extensions >= allowed:
        if allowed == 1:
            return gettext(
                "A complex denunciation is extended only once; a second extension is only for "
                "an especially complex case (Luật Tố cáo 2018 Art. 30)."
            )
        return gettext(
            "The time limit of this petition was already extended %(count)d times, "
            "the most the law allows."
        ) % {"count": petition.extensions}
    return None


def _check_extension(petition: Petition) -> None:
    refusal = extension_refusal(petition)
    if refusal is not None:
        raise ValidationError({"action": refusal}, code="extension_limit")


def _move_clock(petition: Petition, *, action: Action, on_date: datetime.date) -> dict[str, Any]:
    """Update the clock fields of `petition` for `action`; return what the event records."""
    if action is Action.ACCEPT:
        code = _rule_code(petition)
        rule = rules_in_force(code, on_date, override=_override(petition, code, on_date))
        if rule.start_event is StartEvent.RECEIPT:
            start = timezone.localdate(petition.received_at)
        else:
            start = on_date
        petition.clock_rule_code = code
        petition.clock_started_on = start
        petition.extensions = 0
    elif not petition.clock_rule_code or petition.clock_started_on is None:
        # Accepted before clocks were recorded: nothing to recompute.
        return {"effective_on": on_date.isoformat()}
    elif action is Action.EXTEND:
        _check_extension(petition)
        petition.extensions += 1
    start = petition.clock_started_on
    code = petition.clock_rule_code
    rule = rules_in_force(code, start, override=_override(petition, code, start))
    petition.expected_response_by = due_date(
        rule,
        start,
        complex=petition.is_complex,
        remote=petition.is_remote,
        extensions=petition.extensions,
        suspensions=_suspensions(petition, action=action, on_date=on_date),
    )
    return {
        "effective_on": on_date.isoformat(),
        "rule": rule.code,
        "started_on": start.isoformat(),
        "extensions": petition.extensions,
        "due": (
            petition.expected_response_by.isoformat() if petition.expected_response_by else None
        ),
    }


def _record_outcome(
    petition: Petition, *, action: Action, from_status: Status, on_date: datetime.date
) -> list[str]:
    """Keep the dates the dashboard and the next body read; return the fields set.

    RECEIVE after a transfer or an appeal starts the receiving body's own
    first clock from that day (for an appeal, at the second instance, Luật
    Khiếu nại 2011 Art. 33, 36). DECIDE records the day of the decision,
    CLOSE the closing time; REOPEN clears both.
    """
    if action is Action.RECEIVE and from_status in (Status.TRANSFERRED, Status.APPEALED):
        if from_status is Status.APPEALED:
            petition.instance = 2
        petition.clock_rule_code = ""
        petition.clock_started_on = None
        petition.extensions = 0
        petition.resolved_on = None
        petition.expected_response_by = expected_response_date(
            PetitionKind(petition.kind),
            on_date,
            organization=petition.organization,
            category=petition.category,
        )
        return [
            "instance",
            "clock_rule_code",
            "clock_started_on",
            "extensions",
            "resolved_on",
            "expected_response_by",
        ]
    if action is Action.DECIDE:
        petition.resolved_on = on_date
        return ["resolved_on"]
    if action is Action.CLOSE:
        petition.closed_at = timezone.now()
        return ["closed_at"]
    if action is Action.REOPEN:
        petition.closed_at = None
        petition.resolved_on = None
        return ["closed_at", "resolved_on"]
    return []


def _check_resume_date(petition: Petition, *, on_date: datetime.date) -> None:
    """Refuse a resume decision dated before the suspension it ends."""
    suspended = (
        CaseEvent.objects.filter(petition=petition, action=Action.SUSPEND).order_by("-pk").first()
    )
    if suspended is None or "clock" not in suspended.data:
        return
    suspended_on = datetime.date.fromisoformat(suspended.data["clock"]["effective_on"])
    if on_date < suspended_on:
        raise ValidationError(
            {
                "on_date": gettext("The case cannot resume before it was suspended (%(date)s).")
                % {"date": f"{suspended_on.day}/{suspended_on.month}/{suspended_on.year}"}
            }
        )


def _check_decision_date(
    petition: Petition, *, on_date: datetime.date, today: datetime.date
) -> None:
    """Refuse a decision dated in the future or before the petition arrived."""
    if on_date > today:
        raise ValidationError(
            {"on_date": gettext("The date of a decision cannot be in the future.")}
        )
    received_on = timezone.localdate(petition.received_at)
    if on_date < received_on:
        raise ValidationError(
            {
                "on_date": gettext(
                    "The date of a decision cannot be before the petition was received (%(date)s)."
                )
                % {"date": f"{received_on.day}/{received_on.month}/{received_on.year}"}
            }
        )


@transaction.atomic
def petition_act(
    *,
    petition: Petition,
    action: Action,
    actor: Actor,
    note: str = "",
    is_public: bool = True,
    data: dict[str, Any] | None = None,
    on_date: datetime.date | None = None,
) -> Petition:
    """Apply `action` to `petition` and return the petition as stored.

    The row is locked and read again, so two concurrent actions are applied
    one after the other, each on the status the other left. Raise
    `workflow.InvalidTransition` when the workflow does not allow the action
    (an API answers 409), `ValidationError` when a denunciation has had all
    the extensions the law allows (Luật Tố cáo 2018 Art. 30). `on_date` is
    the date of the decision (today by default): it starts, pauses or
    resumes the clock. `data` is stored on the case event, never in the
    audit trail, and must not use the keys in `RESERVED_DATA_KEYS`.
    """
    details = dict(data or {})
    reserved = RESERVED_DATA_KEYS & details.keys()
    if reserved:
        raise ValueError(f"Case event data keys {sorted(reserved)} are set by the service.")
    action = Action(action)
    today = timezone.localdate()
    on_date = on_date or today
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    _check_decision_date(petition, on_date=on_date, today=today)
    if action is Action.RESUME:
        _check_resume_date(petition, on_date=on_date)
    from_status = Status(petition.status)
    previous = Status(petition.previous_status) if petition.previous_status else None
    to_status = workflow.require(
        from_status, action, PetitionKind(petition.kind), previous=previous
    )

    fields = ["status", "updated_at"]
    if action is Action.SUSPEND:
        petition.previous_status = from_status
        details["previous_status"] = from_status.value
        fields.append("previous_status")
    elif action is Action.RESUME:
        petition.previous_status = ""
        fields.append("previous_status")
    if action in _CLOCK_ACTIONS:
        details["clock"] = _move_clock(petition, action=action, on_date=on_date)
        fields += [
            "expected_response_by",
            "clock_rule_code",
            "clock_started_on",
            "extensions",
        ]
    fields += _record_outcome(petition, action=action, from_status=from_status, on_date=on_date)
    petition.status = to_status
    petition.full_clean(validate_unique=False, validate_constraints=False)
    petition.save(update_fields=fields)

    event = CaseEvent.objects.create(
        petition=petition,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=user_or_none(actor),
        note=note,
        is_public=is_public,
        data=details,
    )
    citizen_notify_on_commit(event)
    due = petition.expected_response_by
    audit_record(
        actor=actor,
        action=f"petition.{action.value}",
        target=petition,
        data={
            "code": petition.code,
            "kind": petition.kind,
            "from_status": from_status.value,
            "to_status": to_status.value,
            "is_public": is_public,
            "on_date": on_date.isoformat(),
            "expected_response_by": due.isoformat() if due else None,
            "extensions": petition.extensions,
        },
    )
    return petition
