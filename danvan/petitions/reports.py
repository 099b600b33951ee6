"""Figures of the unit dashboard: petitions received in a period, and their fate.

Every figure is aggregated by the database in one query (after one that
reads the bodies the user may read), never by looping over petitions: the
petitions of the period are read once, grouped by kind, category and
channel together (a few hundred groups at most), and the totals and the
three breakdowns are sums of those groups. Each figure is a count (or a sum
of days), so the sums are exact; the average is the sum of the days over
the number resolved. On PostgreSQL the query reads only
`petition_org_received_idx`, which holds every column it needs (migration
0010): one range of the index per body, no row of the table (1M petitions:
docs/benchmarks.md). The figures, for the petitions received in the period
by the organizations the user may read:

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

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
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


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Return the first instant of `day` in the current time zone (a
    period's bounds: received on or after the first day's start, before the
    start of the day after the last)."""
    return datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def dashboard_petitions(
    user: Any, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Petition]:
    """Return the petitions received in the period by bodies `user` may read.

    The bodies are read first (one query), so that the planner knows them:
    a subquery of the hierarchy hides how few they are, and PostgreSQL then
    reads the whole period instead of one range of the index per body.
    """
    readable = list(organizations_user_can_read(user).order_by().values_list("pk", flat=True))
    return Petition.objects.filter(
        organization__in=readable,
        received_at__gte=start_of_day(date_from),
        received_at__lt=start_of_day(date_to + datetime.timedelta(days=1)),
    ).order_by()


#: The columns the breakdowns are made of: each group of the one query is a
#: (kind, category, channel) triple.
_GROUPS = ("kind", "category", "channel")
#: What the counts count: a column never empty, and in the covering index
#: (the primary key is not: counting it would read the table).
_ROW = "received_at"
#: The counts of a group, summed into the totals and the breakdowns.
_COUNTS = ("received", "accepted", "resolved", "on_time", "overdue")


def period_aggregates(today: datetime.date) -> dict[str, Any]:
    """Return the aggregates that count a set of petitions: received,
    accepted, resolved, resolved on time, overdue on `today`, and the sum of
    days to resolve (for the average). The dashboard groups them by kind,
    category and channel; the briefings' indicators take one row."""
    resolved = Q(resolved_on__isnull=False)
    days = ExpressionWrapper(
        F("resolved_on") - TruncDate("received_at", tzinfo=timezone.get_current_timezone()),
        output_field=DurationField(),
    )
    return {
        "received": Count(_ROW),
        "accepted": Count(_ROW, filter=Q(clock_started_on__isnull=False)),
        "resolved": Count(_ROW, filter=resolved),
        "on_time": Count(
            _ROW,
            filter=resolved
            & Q(expected_response_by__isnull=False, resolved_on__lte=F("expected_response_by")),
        ),
        "overdue": Count(
            _ROW,
            filter=Q(
                status__in=OPEN_STATUSES,
                resolved_on__isnull=True,
                expected_response_by__lt=today,
            ),
        ),
        # A sum, not an average, so that groups add up; divided at the end.
        "days": Sum(days, filter=resolved),
    }


def _microseconds(value: Any) -> int:
    """Return a sum of durations (a timedelta, or microseconds) in microseconds."""
    if value is None:
        return 0
    if isinstance(value, datetime.timedelta):
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    if isinstance(value, int | float | Decimal):
        return int(value)
    return 0


def figures_of(groups: list[dict[str, Any]]) -> Figures:
    """Return the figures of the petitions of `groups`, summed."""
    sums = {name: sum(group[name] or 0 for group in groups) for name in _COUNTS}
    days = sum(_microseconds(group["days"]) for group in groups)
    resolved = sums["resolved"]
    return Figures(
        **sums,
        average_days=days / resolved / 86_400_000_000 if resolved else None,
    )


def _breakdown(groups: list[dict[str, Any]], column: str, labels: dict[str, str]) -> list[Row]:
    by_value: dict[str, list[dict[str, Any]]] = {}
    for group in groups:
        by_value.setdefault(group[column] or "", []).append(group)
    result = [
        Row(
            value=value,
            label=labels.get(value, value) or gettext("Not given"),
            figures=figures_of(members),
        )
        for value, members in sorted(by_value.items())
    ]
    return sorted(result, key=lambda r: (-r.figures.received, r.label))


def dashboard_figures(
    *,
    user: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    today: datetime.date | None = None,
) -> Dashboard:
    """Return the dashboard of the period for `user`, in two queries."""
    today = today or timezone.localdate()
    groups = list(
        dashboard_petitions(user, date_from, date_to)
        .values(*_GROUPS)
        .annotate(**period_aggregates(today))
        .order_by()
    )
    kinds = {value: str(label) for value, label in PetitionKind.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    return Dashboard(
        date_from=date_from,
        date_to=date_to,
        today=today,
        total=figures_of(groups),
        by_kind=_breakdown(groups, "kind", kinds),
        by_category=_breakdown(groups, "category", {}),
        by_channel=_breakdown(groups, "channel", channels),
    )
