"""The cluster summary: the members side by side, rankings, totals, the
compiled narrative and the comparison with the previous period.

Where the figures come from, for a cluster and a period:

1. the briefing of that cluster and period, when there is one: each
   member report's `figures` (after corrections);
2. for a cluster of today's provinces and a period before 2025-07-01
   (NQ 202/2025/QH15: 63 provinces became 34 on that day): the briefing of
   the legacy cluster for the same period, each legacy province's figures
   added up on the current province it became part of
   (`LegacyProvince.current_provinces`), so that 13 legacy members become
   6 current ones; the legacy cluster keeps its own 13-member view;
3. otherwise the figures read live from the system (`indicators.collect`)
   for each member's reporting body.

Counts are added; percentages are computed again from the added counts
(`indicators.add_up`).
"""

from dataclasses import dataclass, field
from typing import Any

from danvan.briefings import indicators
from danvan.briefings.models import Briefing, MemberReport
from danvan.briefings.selectors import member_organization
from danvan.core.periods import Period
from danvan.geo.models import REFORM_DATE, Cluster, LegacyProvince, Province
from danvan.geo.selectors import cluster_province_codes

SECTIONS: tuple[str, ...] = ("results", "limitations", "lessons", "proposals")


@dataclass
class Member:
    """One column of the summary."""

    code: int
    name: str
    figures: dict[str, Any]
    status: str = ""
    #: Narrative sections of the member's report (empty when computed live).
    sections: dict[str, str] = field(default_factory=dict)
    #: Legacy provinces whose figures were added up here.
    merged_from: list[str] = field(default_factory=list)


@dataclass
class Summary:
    cluster: Cluster
    period: Period
    source: str  # "briefing", "legacy", "live"
    briefing: Briefing | None
    members: list[Member]
    totals: dict[str, Any]
    #: indicator key → {member code: rank (1 = best)}
    rankings: dict[str, dict[int, int]]
    previous: "Summary | None" = None

    def narrative(self, section: str) -> list[tuple[str, str]]:
        """Return (member name, text) for every member that wrote `section`."""
        return [(m.name, m.sections[section]) for m in self.members if m.sections.get(section)]

    def change(self, key: str) -> float | None:
        """Return the change of a total since the previous period, or None."""
        if self.previous is None:
            return None
        now, before = self.totals.get(key), self.previous.totals.get(key)
        if now is None or before is None:
            return None
        return round(now - before, 1)


def _rankings(members: list[Member]) -> dict[str, dict[int, int]]:
    result: dict[str, dict[int, int]] = {}
    for indicator in indicators.INDICATORS:
        if not indicator.rank:
            continue
        scored = [(m.figures.get(indicator.key), m.code) for m in members]
        values = [v for v, _ in scored if v is not None]
        if len(values) < 2 or len(set(values)) < 2:  # nothing to tell apart
            continue
        ordered = sorted(set(values), reverse=indicator.rank > 0)
        # Competition ranking: equal values share a rank.
        rank_of = {}
        position = 1
        for value in ordered:
            rank_of[value] = position
            position += values.count(value)
        result[indicator.key] = {code: rank_of[v] for v, code in scored if v is not None}
    return result


def _from_reports(reports: list[MemberReport]) -> list[Member]:
    members = []
    for report in reports:
        unit = report.province or report.legacy_province
        assert unit is not None  # noqa: S101 (a check constraint)
        members.append(
            Member(
                code=unit.code,
                name=unit.name,
                figures=indicators.derive(report.figures),
                status=report.status,
                sections={s: getattr(report, s) for s in SECTIONS},
            )
        )
    return sorted(members, key=lambda m: m.code)


def _briefing(cluster: Cluster, period: Period) -> Briefing | None:
    return Briefing.objects.filter(cluster=cluster, period_code=period.code).first()


def _reports(briefing: Briefing) -> list[MemberReport]:
    return list(briefing.reports.select_related("province", "legacy_province"))


def _legacy(cluster: Cluster, period: Period) -> tuple[Briefing, list[Member]] | None:
    """Add up the legacy cluster's member reports on the cluster's current provinces."""
    current = {p.code: p for p in cluster.provinces.all()}
    if not current:
        return None
    legacy_briefings = Briefing.objects.filter(
        period_code=period.code, cluster__legacy_provinces__current_provinces__in=list(current)
    ).distinct()
    found = legacy_briefings.first()
    if found is None:
        return None
    targets: dict[int, list[int]] = {}
    for legacy in LegacyProvince.objects.filter(
        code__in=found.reports.values("legacy_province")
    ).prefetch_related("current_provinces"):
        targets[legacy.code] = sorted(p.code for p in legacy.current_provinces.all())
    tables: dict[int, list[dict[str, Any]]] = {code: [] for code in current}
    merged: dict[int, list[str]] = {code: [] for code in current}
    for report in _reports(found):
        unit = report.legacy_province
        if unit is None:
            continue
        # A province merged whole: one current province. Were one ever split,
        # its figures would go to the first current member, by code.
        into = [code for code in targets.get(unit.code, []) if code in current]
        if not into:
            continue
        tables[into[0]].append(report.figures)
        merged[into[0]].append(unit.name)
    members = [
        Member(
            code=code,
            name=province.name,
            figures=indicators.add_up(tables[code]) if tables[code] else indicators.derive({}),
            merged_from=merged[code],
        )
        for code, province in sorted(current.items())
    ]
    return found, members


def _live(cluster: Cluster, period: Period) -> list[Member]:
    codes = cluster_province_codes(cluster, period.end)
    members = []
    for province in Province.objects.filter(code__in=codes).order_by("code"):
        body = member_organization(province, period.end)
        figures = indicators.collect(body, period) if body is not None else indicators.derive({})
        members.append(Member(code=province.code, name=province.name, figures=figures))
    return members


def cluster_summary(cluster: Cluster, period: Period, *, with_previous: bool = True) -> Summary:
    """Return the summary of `cluster` for `period` (and the previous period's)."""
    briefing = _briefing(cluster, period)
    source = "briefing"
    if briefing is not None:
        members = _from_reports(_reports(briefing))
    else:
        legacy = None
        if period.end < REFORM_DATE and cluster.provinces.exists():
            legacy = _legacy(cluster, period)
        if legacy is not None:
            source = "legacy"
            briefing, members = legacy
            briefing = None
        else:
            source = "live"
            members = _live(cluster, period)
    summary = Summary(
        cluster=cluster,
        period=period,
        source=source,
        briefing=briefing,
        members=members,
        totals=indicators.add_up(m.figures for m in members),
        rankings=_rankings(members),
    )
    if with_previous:
        summary.previous = cluster_summary(cluster, period.previous(), with_previous=False)
    return summary
