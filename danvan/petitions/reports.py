"""Figures of the unit dashboard: petitions received in a period, and their fate.

Every figure is aggregated by the database (one query for the totals and
one GROUP BY query per breakdown), never by looping over petitions, so the
dashboard stays fast on a million rows. The figures, for the petitions
received in the period by the organizations the user may read:

- received: all of them;
- accepted: those whose resolution clock was started by acceptance
  (`clock_started_on`, set only by `ACCEPT`);
- resolved: those with a decision or answer (`resolved_on`);
- on time: resolved no later than the due date (`resolved_on <=
  expected_response_by`), as a share of the resolved ones;
- overdue now: still open, not yet resolved, and past their due date today;
- average days: from the day of receipt to the day of resolution.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from danvan.orgs.selectors import organizations_user_can_read
from danvan.petitions.models import Channel, Petition
from danvan.petitions.selectors import OPEN_STATUSES
from danvan.petitions.workflow import PetitionKind


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one row of the dashboard."""

    received: int = 0
    accepted: int = 0
    resolved: int = 0
    on_time: int = 0
    overdue: int = 0
    average_days: float | None = None

    @property
    def on_time_rate(self) -> float | None:
        """Return the share of resolved petitions resolved on time (0–1), or None."""
        if not self.resolved:
            return None
        return self.on_time / self.resolved


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a breakdown: its value, its label and its figures."""

    value: str
    label: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The dashboard of a period: totals and three breakdowns."""

    date_from: datetime.date
    date_to: datetime.date
    today: datetime.date
    total: Figures
    by_kind: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    by_channel: list[Row] = field(default_factory=list)


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def dashboard_petitions(
    user: Any, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Petition]:
    """Return the petitions received in the period by bodies `user` may read."""
    return Petition.objects.filter(
        organization__in=organizations_user_can_read(user).values("pk"),
        received_at__gte=_start_of(date_from),
        received_at__lt=_start_of(date_to + datetime.timedelta(days=1)),
    ).order_by()


def _aggregates(today: datetime.date) -> dict[str, Any]:
    resolved = Q(resolved_on__isnull=False)
    days = ExpressionWrapper(
        F("resolved_on") - TruncDate("received_at", tzinfo=timezone.get_current_timezone()),
        output_field=DurationField(),
    )
    return {
        "received": Count("pk"),
        "accepted": Count("pk", filter=Q(clock_started_on__isnull=False)),
        "resolved": Count("pk", filter=resolved),
        "on_time": Count(
            "pk",
            filter=resolved
            & Q(expected_response_by__isnull=False, resolved_on__lte=F("expected_response_by")),
        ),
        "overdue": Count(
            "pk",
            filter=Q(
                status__in=OPEN_STATUSES,
                resolved_on__isnull=True,
                expected_response_by__lt=today,
            ),
        ),
        "average": Avg(days, filter=resolved),
    }


def _days(value: Any) -> float | None:
    """Return an average duration (a timedelta, or microseconds) in days."""
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, int | float | Decimal):
        return float(value) / 86_400_000_000
    return None


def _figures(values: dict[str, Any]) -> Figures:
    return Figures(
        received=values["received"] or 0,
        accepted=values["accepted"] or 0,
        resolved=values["resolved"] or 0,
        on_time=values["on_time"] or 0,
        overdue=values["overdue"] or 0,
        average_days=_days(values["average"]),
    )


def _breakdown(
    petitions: QuerySet[Petition],
    column: str,
    today: datetime.date,
    labels: dict[str, str],
) -> list[Row]:
    rows = petitions.values(column).annotate(**_aggregates(today)).order_by(column)
    result = [
        Row(
            value=row[column] or "",
            label=labels.get(row[column], row[column]) or gettext("Not given"),
            figures=_figures(row),
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (-r.figures.received, r.label))


def dashboard_figures(
    *,
    user: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    today: datetime.date | None = None,
) -> Dashboard:
    """Return the dashboard of the period for `user`, in four queries."""
    today = today or timezone.localdate()
    petitions = dashboard_petitions(user, date_from, date_to)
    total = _figures(petitions.aggregate(**_aggregates(today)))
    kinds = {value: str(label) for value, label in PetitionKind.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    return Dashboard(
        date_from=date_from,
        date_to=date_to,
        today=today,
        total=total,
        by_kind=_breakdown(petitions, "kind", today, kinds),
        by_category=_breakdown(petitions, "category", today, {}),
        by_channel=_breakdown(petitions, "channel", today, channels),
    )
