"""Reads of briefings, member reports and tasks, each in a fixed number of queries."""

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from danvan.briefings.models import (
    OPEN_TASK_STATUSES,
    Briefing,
    ConclusionItem,
    ConclusionTask,
    IndicatorCorrection,
    MemberReport,
    ReportStatus,
)
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


def briefing_list(*, cluster: Cluster | None = None) -> QuerySet[Briefing]:
    """Return briefings with their cluster, host and report counts (one query)."""
    briefings = Briefing.objects.select_related("cluster", "host_province").annotate(
        reports_total=Count("reports", distinct=True),
        reports_accepted=Count(
            "reports", filter=Q(reports__status=ReportStatus.ACCEPTED), distinct=True
        ),
    )
    if cluster is not None:
        briefings = briefings.filter(cluster=cluster)
    return briefings.order_by("-period_start", "cluster__code")


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


def open_tasks_for(province: Province | int, *, before: datetime.date) -> list[ConclusionTask]:
    """Return the open tasks of `province` from briefings of periods ending before `before`.

    They show in the member's report of the next period.
    """
    code = province if isinstance(province, int) else province.code
    return list(
        ConclusionTask.objects.filter(
            province_id=code,
            status__in=OPEN_TASK_STATUSES,
            item__briefing__period_end__lt=before,
        )
        .select_related("item__briefing")
        .order_by("due_on", "pk")
    )
