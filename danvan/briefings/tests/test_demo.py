"""The demo's briefings load once, through the services, and add up."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from danvan.briefings.models import Briefing, BriefingStatus, ReportStatus
from danvan.briefings.summary import cluster_summary
from danvan.core.periods import period_parse
from danvan.demo.briefings import load_briefings
from danvan.demo.loader import DemoReport
from danvan.geo.selectors import cluster_get
from danvan.portal.models import ArticlePage

pytestmark = pytest.mark.django_db


@override_settings(DANVAN_DEMO=True)
def test_demo_briefings_load_once(django_capture_on_commit_callbacks: Any) -> None:
    # load_demo loads the briefings last; the portal's draft is written on commit.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    briefing = Briefing.objects.get(cluster__code="dbscl", period_code="2026-H1")
    assert briefing.status == BriefingStatus.CONCLUDED
    statuses = sorted(briefing.reports.values_list("status", flat=True))
    assert statuses.count(ReportStatus.ACCEPTED) == 4
    assert ReportStatus.RETURNED in statuses
    assert briefing.conclusion_items.count() == 3
    assert ArticlePage.objects.filter(slug="giao-ban-dbscl-2026-h1", live=False).exists()
    # The old cluster's half-year adds up on today's six provinces.
    summary = cluster_summary(cluster_get("dbscl"), period_parse("2025-H1"), with_previous=False)
    assert summary.source == "legacy"
    assert summary.totals["petitions_received"] == 5230
    dong_thap = next(m for m in summary.members if m.code == 82)
    assert dong_thap.figures["visits"] == 300 + 240
    again = DemoReport()
    load_briefings(again)
    assert not again.changed
    assert Briefing.objects.count() == 2
