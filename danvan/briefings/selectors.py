"""Reads of briefings, member reports and tasks, each in a fixed number of queries."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from danvan.briefings.models import (
    OPEN_TASK_STATUSES,
    Briefing,
    ConclusionItem,
    ConclusionTask,
    IndicatorCorrection,
    MemberReport,
    ReportStatus,
    TaskUpdate,
)
from danvan.core.periods import Period
from danvan.core.text import fold_cached
from danvan.geo.models import Cluster, Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel
from danvan.orgs.selectors import valid_on_q


def member_organization(province: Province | int, on_date: datetime.date) -> Organization | None:
    """Return the body that reports for `province` on `on_date`.

    The provincial Party commission (the mobilization commission) when
    there is one, else the provincial people's committee.
    """
    code = province if isinstance(province, int) else province.code
    bodies = Organization.objects.filter(
        valid_on_q(on_date),
        province_id=code,
        level=OrganizationLevel.PROVINCE,
        kind__in=[OrganizationKind.PARTY_COMMISSION, OrganizationKind.PEOPLES_COMMITTEE],
    ).order_by("kind", "pk")
    found = list(bodies)
    for kind in (OrganizationKind.PARTY_COMMISSION, OrganizationKind.PEOPLES_COMMITTEE):
        for body in found:
            if body.kind == kind:
                return body
    return None


def briefings_visible(org_ids: Collection[int] | None) -> QuerySet[Briefing]:
    """Return the briefings hosted by one of `org_ids` or with a member report of one.

    None stands for every briefing (central staff, a superuser).
    """
    briefings = Briefing.objects.all()
    if org_ids is None:
        return briefings
    return briefings.filter(
        Q(host_organization_id__in=org_ids)
        | Q(pk__in=MemberReport.objects.filter(organization_id__in=org_ids).values("briefing_id"))
    )


def briefing_list(
    *,
    org_ids: Collection[int] | None = None,
    cluster: Cluster | None = None,
    search: str = "",
    year: int | None = None,
    kind: str = "",
    status: str = "",
) -> QuerySet[Briefing]:
    """Return the briefings `org_ids` read (None: all), filtered, with their counts (one query).

    `search` looks in the cluster's name (accents may be left out) and the
    period's code; `year` is the year the period starts in.
    """
    briefings = briefings_visible(org_ids)
    if cluster is not None:
        briefings = briefings.filter(cluster=cluster)
    if year is not None:
        briefings = briefings.filter(period_start__year=year)
    if kind:
        briefings = briefings.filter(kind=kind)
    if status:
        briefings = briefings.filter(status=status)
    search = search.strip()
    if search:
        folded = fold_cached(search)
        clusters = [
            c.pk for c in Cluster.objects.only("pk", "name") if folded in fold_cached(c.name)
        ]
        briefings = briefings.filter(Q(cluster_id__in=clusters) | Q(period_code__icontains=search))
    return (
        briefings.select_related("cluster", "host_province")
        .annotate(
            reports_total=Count("reports", distinct=True),
            reports_accepted=Count(
                "reports", filter=Q(reports__status=ReportStatus.ACCEPTED), distinct=True
            ),
        )
        .order_by("-period_start", "cluster__code")
    )


def briefing_years(org_ids: Collection[int] | None) -> list[int]:
    """Return the years the briefings `org_ids` read start in, latest first."""
    return [
        day.year for day in briefings_visible(org_ids).dates("period_start", "year", order="DESC")
    ]


def briefing_clusters(org_ids: Collection[int] | None) -> QuerySet[Cluster]:
    """Return the clusters of the briefings `org_ids` read, by name."""
    return Cluster.objects.filter(pk__in=briefings_visible(org_ids).values("cluster_id")).order_by(
        "name"
    )


def briefing_get(pk: int) -> Briefing | None:
    """Return the briefing with its cluster, host and reports, or None."""
    return (
        Briefing.objects.select_related("cluster", "host_province", "host_organization")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=MemberReport.objects.select_related(
                    "province", "legacy_province", "organization"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )


def briefing_for(cluster: Cluster, period_code: str) -> Briefing | None:
    """Return the briefing of `cluster` for the period written `period_code`, or None."""
    return briefing_get_by(cluster=cluster, period_code=period_code)


def briefing_get_by(**filters: Any) -> Briefing | None:
    found = Briefing.objects.filter(**filters).values_list("pk", flat=True).first()
    return briefing_get(found) if found is not None else None


def report_get(pk: int) -> MemberReport | None:
    """Return a member report with its briefing and units, or None."""
    return (
        MemberReport.objects.select_related(
            "briefing__cluster",
            "briefing__host_organization",
            "province",
            "legacy_province",
            "organization",
        )
        .filter(pk=pk)
        .first()
    )


def report_corrections(report: MemberReport) -> list[IndicatorCorrection]:
    """Return the corrections of a report, oldest first, with who made them."""
    return list(report.corrections.select_related("corrected_by").order_by("corrected_at", "pk"))


def conclusion_items(briefing: Briefing) -> list[ConclusionItem]:
    """Return the conclusion's items with their tasks and the tasks' updates."""
    return list(
        briefing.conclusion_items.prefetch_related(
            Prefetch(
                "tasks",
                queryset=ConclusionTask.objects.select_related("province").prefetch_related(
                    "updates"
                ),
            )
        ).order_by("number")
    )


def carried_over_q(before: datetime.date) -> Q:
    """The tasks still open from briefings of periods ending before `before`.

    The member report page (`open_tasks_for`) and the cluster report's
    follow-up section (`conclusion_follow_up`) both select with it, so that
    they show the same open tasks.
    """
    return Q(status__in=OPEN_TASK_STATUSES, item__briefing__period_end__lt=before)


def open_tasks_for(
    province: Province | int,
    *,
    before: datetime.date,
    cluster: Cluster | int | None = None,
) -> list[ConclusionTask]:
    """Return the open tasks of `province` from briefings of periods ending before `before`.

    They show in the member's report of the next period. With `cluster`,
    only that cluster's briefings count, as in the cluster report's
    follow-up section (`conclusion_follow_up`): a province that sits in two
    clusters sees each cluster's tasks in that cluster's report.
    """
    code = province if isinstance(province, int) else province.code
    tasks = ConclusionTask.objects.filter(carried_over_q(before), province_id=code)
    if cluster is not None:
        cluster_id = cluster if isinstance(cluster, int) else cluster.pk
        tasks = tasks.filter(item__briefing__cluster_id=cluster_id)
    return list(tasks.select_related("item__briefing").order_by("due_on", "pk"))


@dataclass(frozen=True)
class ConclusionFollowUp:
    """What became of a cluster's earlier conclusions, for its report of a period."""

    #: The previous period's briefing, when its conclusion gave tasks; its
    #: host organization's issuing body is loaded (`briefing_issuer`).
    previous: Briefing | None = None
    #: The previous briefing's tasks, whatever their status, by item then member.
    tasks: list[ConclusionTask] = field(default_factory=list)
    #: The tasks of the cluster's older briefings still open, oldest first.
    older: list[ConclusionTask] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.tasks or self.older)


def conclusion_follow_up(cluster: Cluster, period: Period) -> ConclusionFollowUp:
    """Return the tasks of `cluster`'s earlier conclusions to report on for `period`.

    Every task of the previous period's briefing (`Period.previous`, as the
    summary compares with), and the tasks of the cluster's older briefings
    still open (`carried_over_q`, as the member report page selects them).
    Only this cluster's briefings count. Each task comes with its item, its
    briefing, its province and its follow-ups (oldest first): two queries.
    """
    if cluster.pk is None:  # a summary built in memory: no briefing of its own
        return ConclusionFollowUp()
    previous_code = period.previous().code
    tasks = list(
        ConclusionTask.objects.filter(item__briefing__cluster=cluster)
        .filter(Q(item__briefing__period_code=previous_code) | carried_over_q(period.start))
        .select_related("item__briefing__host_organization__briefing_issuer", "province")
        .prefetch_related(
            Prefetch("updates", queryset=TaskUpdate.objects.order_by("created_at", "pk"))
        )
        .order_by("item__briefing__period_start", "item__number", "province_id", "pk")
    )
    recent = [t for t in tasks if t.item.briefing.period_code == previous_code]
    return ConclusionFollowUp(
        previous=recent[0].item.briefing if recent else None,
        tasks=recent,
        older=[t for t in tasks if t.item.briefing.period_code != previous_code],
    )


#: The `status` filter of `task_list` meaning "open or in progress".
UNFINISHED = "unfinished"


def tasks_visible(org_ids: Collection[int] | None) -> QuerySet[ConclusionTask]:
    """Return the tasks followed by `org_ids` (None: every task).

    Of the briefings they read (`briefings_visible`), a body follows the
    tasks given to it, the tasks of its province (a provincial body) and
    every task of a briefing it hosts.
    """
    tasks = ConclusionTask.objects.all()
    if org_ids is None:
        return tasks
    provinces = Organization.objects.filter(
        pk__in=org_ids, level=OrganizationLevel.PROVINCE, province__isnull=False
    ).values("province_id")
    return tasks.filter(item__briefing__in=briefings_visible(org_ids).values("pk")).filter(
        Q(organization_id__in=org_ids)
        | Q(province_id__in=provinces)
        | Q(item__briefing__host_organization_id__in=org_ids)
    )


def task_list(
    *,
    org_ids: Collection[int] | None,
    today: datetime.date,
    status: str = "",
    overdue: bool = False,
    briefing: Briefing | None = None,
    cluster: Cluster | None = None,
    province: Province | None = None,
    search: str = "",
) -> QuerySet[ConclusionTask]:
    """Return the tasks `org_ids` follow, filtered, soonest due first, with their follow-ups.

    `status` is a `TaskStatus` or `UNFINISHED` (open or in progress);
    `overdue` keeps the unfinished tasks due before `today`.
    """
    tasks = tasks_visible(org_ids)
    if status == UNFINISHED:
        tasks = tasks.filter(status__in=OPEN_TASK_STATUSES)
    elif status:
        tasks = tasks.filter(status=status)
    if overdue:
        tasks = tasks.filter(status__in=OPEN_TASK_STATUSES, due_on__lt=today)
    if briefing is not None:
        tasks = tasks.filter(item__briefing=briefing)
    if cluster is not None:
        tasks = tasks.filter(item__briefing__cluster=cluster)
    if province is not None:
        tasks = tasks.filter(province=province)
    search = search.strip()
    if search:
        tasks = tasks.filter(item__text__icontains=search)
    return (
        tasks.select_related("item__briefing__cluster", "province", "organization")
        .prefetch_related(
            Prefetch("updates", queryset=TaskUpdate.objects.order_by("created_at", "pk"))
        )
        .order_by(
            F("due_on").asc(nulls_last=True),
            "-item__briefing__period_start",
            "item__number",
            "province_id",
            "pk",
        )
    )


def task_filter_choices(
    org_ids: Collection[int] | None,
) -> tuple[QuerySet[Briefing], QuerySet[Cluster], QuerySet[Province]]:
    """Return the briefings, clusters and provinces of the tasks `org_ids` follow."""
    tasks = tasks_visible(org_ids)
    briefings = (
        Briefing.objects.filter(pk__in=tasks.values("item__briefing_id"))
        .select_related("cluster")
        .order_by("-period_start", "cluster__name")
    )
    clusters = Cluster.objects.filter(pk__in=briefings.values("cluster_id")).order_by("name")
    provinces = Province.objects.filter(code__in=tasks.values("province_id")).order_by("name")
    return briefings, clusters, provinces
