"""The public statistics of petitions: per province and per commune, for a period.

The figures are those of the unit dashboard (`petitions.reports`), for the
petitions received in the period whatever the body handling them, grouped
by the commune where the matter happens (`Petition.commune`):

- received: all of them;
- resolved: those with a decision or answer (`resolved_on`);
- on time: resolved no later than their due date, as a share of the
  resolved ones;
- average days: from the day of receipt to the day of resolution.

The database aggregates the period in one query grouped by commune (at most
3,321 groups, never one row per petition); provinces are sums of their
communes, so the two levels always agree. The result of a period is kept
in the cache for `CACHE_SECONDS` (the page says so): at a million petitions
a year's query reads a few hundred thousand rows, and citizens asking for
the same period share one computation. Nothing here names a petitioner.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.core.cache import cache
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from danvan.geo.models import Commune, Province
from danvan.petitions.models import Petition
from danvan.petitions.reports import Figures

CACHE_SECONDS: Final = 600
_CACHE_VERSION: Final = "v1"
#: A chart shows at most this many bars (the table shows every row).
CHART_MAX_ROWS: Final = 40


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def _aggregates() -> dict[str, Any]:
    """The dashboard's counts (`reports`), as sums so that communes add up to provinces."""
    resolved = Q(resolved_on__isnull=False)
    days = ExpressionWrapper(
        F("resolved_on") - TruncDate("received_at", tzinfo=timezone.get_current_timezone()),
        output_field=DurationField(),
    )
    return {
        "received": Count("received_at"),
        "resolved": Count("received_at", filter=resolved),
        "on_time": Count(
            "received_at",
            filter=resolved
            & Q(expected_response_by__isnull=False, resolved_on__lte=F("expected_response_by")),
        ),
        "days": Sum(days, filter=resolved),
    }


def _microseconds(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.timedelta):
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    return int(value)


def _commune_rows(date_from: datetime.date, date_to: datetime.date) -> list[tuple[int, ...]]:
    """Return (commune, received, resolved, on time, microseconds) of the period, one query."""
    groups: Any = (
        Petition.objects.filter(
            received_at__gte=_start_of(date_from),
            received_at__lt=_start_of(date_to + datetime.timedelta(days=1)),
        )
        .order_by()
        .values("commune_id")
        .annotate(**_aggregates())
    )
    return [
        (
            group["commune_id"],
            group["received"],
            group["resolved"],
            group["on_time"],
            _microseconds(group["days"]),
        )
        for group in groups
    ]


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One province or commune and its figures."""

    code: int
    name: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class Statistics:
    """The statistics of a period, per province or per commune of one province."""

    date_from: datetime.date
    date_to: datetime.date
    computed_at: datetime.datetime
    total: Figures
    rows: list[UnitRow]
    province: Province | None = None


def _figures(rows: Iterable[tuple[int, ...]]) -> Figures:
    received = resolved = on_time = micro = 0
    for row in rows:
        received += row[1]
        resolved += row[2]
        on_time += row[3]
        micro += row[4]
    return Figures(
        received=received,
        resolved=resolved,
        on_time=on_time,
        average_days=micro / resolved / 86_400_000_000 if resolved else None,
    )


def _period(date_from: datetime.date, date_to: datetime.date) -> dict[str, Any]:
    """Return the cached rows of the period and when they were computed."""
    key = f"portal-stats:{_CACHE_VERSION}:{date_from.isoformat()}:{date_to.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = {"rows": _commune_rows(date_from, date_to), "computed_at": timezone.now()}
        cache.set(key, found, CACHE_SECONDS)
    return found


def _province_of_communes() -> dict[int, int]:
    key = f"portal-stats:{_CACHE_VERSION}:commune-province"
    found = cache.get(key)
    if found is None:
        found = dict(Commune.objects.values_list("code", "province_id"))
        cache.set(key, found, CACHE_SECONDS)
    return found


def statistics(
    *, date_from: datetime.date, date_to: datetime.date, province: Province | None = None
) -> Statistics:
    """Return the figures of the period for every province, or every commune of `province`."""
    period = _period(date_from, date_to)
    rows: list[tuple[int, ...]] = period["rows"]
    if province is None:
        of_commune = _province_of_communes()
        by_unit: dict[int, list[tuple[int, ...]]] = {}
        for row in rows:
            by_unit.setdefault(of_commune.get(row[0], 0), []).append(row)
        names = dict(Province.objects.values_list("code", "name"))
    else:
        names = dict(province.communes.values_list("code", "name"))
        by_unit = {}
        for row in rows:
            if row[0] in names:
                by_unit.setdefault(row[0], []).append(row)
    unit_rows = [
        UnitRow(code=code, name=names.get(code, str(code)), figures=_figures(members))
        for code, members in by_unit.items()
    ]
    unit_rows.sort(key=lambda r: (-r.figures.received, r.name))
    chosen = [row for members in by_unit.values() for row in members]
    return Statistics(
        date_from=date_from,
        date_to=date_to,
        computed_at=period["computed_at"],
        total=_figures(chosen),
        rows=unit_rows,
        province=province,
    )


def bar_chart_svg(rows: list[UnitRow], *, title: str, received: str, resolved: str) -> SafeString:
    """Return an SVG chart of received and resolved per unit (horizontal bars, labelled).

    Narrow enough for a phone (each unit's name above its two bars, the
    figures after them), with no script; its `<title>` names it for screen
    readers, and the table below holds the same figures.
    """
    rows = rows[:CHART_MAX_ROWS]
    width, bar_width, row_height, top = 400, 320, 44, 4
    height = top + row_height * max(len(rows), 1)
    largest = max((r.figures.received for r in rows), default=0) or 1

    def bars(index: int, row: UnitRow) -> tuple[Any, ...]:
        y = top + index * row_height
        got = round(bar_width * row.figures.received / largest, 1)
        done = round(bar_width * row.figures.resolved / largest, 1)
        return (
            y + 13,
            row.name,
            y + 18,
            got,
            got + 4,
            y + 27,
            row.figures.received,
            y + 30,
            done,
            done + 4,
            y + 39,
            row.figures.resolved,
        )

    body = format_html_join(
        "",
        '<text x="0" y="{}" font-weight="bold">{}</text>'
        '<rect x="0" y="{}" width="{}" height="10" fill="#a3150f"></rect>'
        '<text x="{}" y="{}">{}</text>'
        '<rect x="0" y="{}" width="{}" height="10" fill="#1e6b32"></rect>'
        '<text x="{}" y="{}">{}</text>',
        (bars(i, row) for i, row in enumerate(rows)),
    )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{}</title>'
        "<desc>{}: #a3150f; {}: #1e6b32</desc>{}</svg>",
        width,
        height,
        title,
        received,
        resolved,
        body,
    )
