"""Figures of citizen reception for a period, for dashboards and briefings.

`reception_indicators` is what the cluster briefings (issue 6) read for a
member and a period: visits and people received, leaders' duty days held
against the minimum (`schedules.leader_compliance`, month by month),
dialogues held, and commitments due in the period and done on time.
Every figure is computed in a fixed number of queries, whatever the number
of organizations.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from danvan.orgs.models import Organization
from danvan.reception.models import (
    Commitment,
    CommitmentStatus,
    Dialogue,
    DialogueKind,
    DialogueStatus,
    Visit,
    VisitOutcome,
)
from danvan.reception.schedules import leader_compliance


@dataclass(frozen=True, slots=True)
class ReceptionIndicators:
    """The reception figures of some organizations over a period."""

    date_from: datetime.date
    date_to: datetime.date
    visits: int
    people_received: int
    visits_recorded: int
    visits_guided: int
    visits_transferred: int
    visits_refused: int
    group_visits: int
    leader_days_required: int
    leader_days_scheduled: int
    leader_days_held: int
    dialogues_held: int
    annual_dialogues_held: int
    complaint_dialogues_held: int
    commitments_due: int
    commitments_done_on_time: int
    commitments_done_late: int
    commitments_open_overdue: int

    @property
    def leader_days_held_percent(self) -> float | None:
        """Days held as a share of days required (None when none were required)."""
        if not self.leader_days_required:
            return None
        return round(100 * self.leader_days_held / self.leader_days_required, 1)

    @property
    def commitments_on_time_percent(self) -> float | None:
        """Commitments due in the period and done by their date, in percent."""
        if not self.commitments_due:
            return None
        return round(100 * self.commitments_done_on_time / self.commitments_due, 1)


def _months(date_from: datetime.date, date_to: datetime.date) -> list[tuple[int, int]]:
    """Return the (year, month) pairs the period touches, in order."""
    months = []
    year, month = date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def reception_indicators(
    *,
    organizations: Iterable[Organization],
    date_from: datetime.date,
    date_to: datetime.date,
    today: datetime.date | None = None,
) -> ReceptionIndicators:
    """Return the reception figures of `organizations` from `date_from` to `date_to`.

    Leaders' days are counted over the whole months the period touches
    (the minimums are per week or per month). A commitment counts when its
    due date is in the period: done on time when done on or before it;
    "open overdue" when still open and its due date is before `today`.
    """
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    today = today or timezone.localdate()
    orgs = list(organizations)
    org_ids = [org.pk for org in orgs]

    visits = Visit.objects.filter(
        organization_id__in=org_ids, received_on__gte=date_from, received_on__lte=date_to
    ).aggregate(
        total=Count("id"),
        people=Sum("people_count"),
        recorded=Count("id", filter=Q(outcome=VisitOutcome.RECORDED)),
        guided=Count("id", filter=Q(outcome=VisitOutcome.GUIDED)),
        transferred=Count("id", filter=Q(outcome=VisitOutcome.TRANSFERRED)),
        refused=Count("id", filter=Q(outcome=VisitOutcome.REFUSED)),
        groups=Count("id", filter=Q(people_count__gte=5)),
    )
    dialogues = Dialogue.objects.filter(
        organization_id__in=org_ids,
        status=DialogueStatus.HELD,
        date__gte=date_from,
        date__lte=date_to,
    ).aggregate(
        total=Count("id"),
        annual=Count("id", filter=Q(kind=DialogueKind.ANNUAL)),
        complaint=Count("id", filter=Q(kind=DialogueKind.COMPLAINT)),
    )
    commitments = (
        Commitment.objects.filter(owner_id__in=org_ids, due_on__gte=date_from, due_on__lte=date_to)
        .exclude(status=CommitmentStatus.CANCELLED)
        .aggregate(
            due=Count("id"),
            on_time=Count("id", filter=Q(status=CommitmentStatus.DONE, done_on__lte=F("due_on"))),
            late=Count("id", filter=Q(status=CommitmentStatus.DONE, done_on__gt=F("due_on"))),
            overdue=Count("id", filter=Q(status=CommitmentStatus.OPEN, due_on__lt=today)),
        )
    )
    required = scheduled = held = 0
    for year, month in _months(date_from, date_to):
        for row in leader_compliance(organizations=orgs, year=year, month=month):
            required += row.days_required
            scheduled += row.days_scheduled
            held += row.days_held
    return ReceptionIndicators(
        date_from=date_from,
        date_to=date_to,
        visits=visits["total"],
        people_received=visits["people"] or 0,
        visits_recorded=visits["recorded"],
        visits_guided=visits["guided"],
        visits_transferred=visits["transferred"],
        visits_refused=visits["refused"],
        group_visits=visits["groups"],
        leader_days_required=required,
        leader_days_scheduled=scheduled,
        leader_days_held=held,
        dialogues_held=dialogues["total"],
        annual_dialogues_held=dialogues["annual"],
        complaint_dialogues_held=dialogues["complaint"],
        commitments_due=commitments["due"],
        commitments_done_on_time=commitments["on_time"],
        commitments_done_late=commitments["late"],
        commitments_open_overdue=commitments["overdue"],
    )


def indicators(
    org: Organization, period: Any, *, today: datetime.date | None = None
) -> dict[str, Any]:
    """Return the reception figures of the province `org` reports for, over `period`.

    For the cluster briefings (issue 6), a thin wrapper over
    `reception_indicators` for every body of the province (any validity),
    or for `org` and the bodies below it when it serves no province.
    """
    from danvan.orgs.selectors import organization_descendant_ids

    if org.province_id is None:
        bodies = Organization.objects.filter(pk__in=organization_descendant_ids([org.pk]))
    else:
        bodies = Organization.objects.filter(province_id=org.province_id)
    figures = reception_indicators(
        organizations=bodies.order_by("pk"),
        date_from=period.start,
        date_to=period.end,
        today=today,
    )
    return {
        "visits": figures.visits,
        "people_received": figures.people_received,
        "leader_days_held": figures.leader_days_held,
        "leader_days_required": figures.leader_days_required,
        "dialogues_held": figures.dialogues_held,
        "commitments_due": figures.commitments_due,
        "commitments_done": figures.commitments_done_on_time + figures.commitments_done_late,
    }
