"""Older periods: legacy members' figures add up on today's provinces, and
the legacy cluster keeps its own view (NQ 202/2025/QH15, from 2025-07-01)."""

import pytest

from danvan.briefings import services
from danvan.briefings.summary import cluster_summary
from danvan.briefings.tests.factories import (
    AN_GIANG,
    DONG_THAP,
    LEGACY_AN_GIANG,
    LEGACY_DONG_THAP,
    LEGACY_KIEN_GIANG,
    LEGACY_TIEN_GIANG,
    current_cluster,
    legacy_cluster,
)
from danvan.core.periods import period_parse

pytestmark = pytest.mark.django_db

PERIOD = period_parse("2024-H2")
FIGURES = {
    LEGACY_TIEN_GIANG: {"petitions_resolved": 100, "petitions_resolved_on_time": 90, "visits": 40},
    LEGACY_DONG_THAP: {"petitions_resolved": 50, "petitions_resolved_on_time": 30, "visits": 25},
    LEGACY_AN_GIANG: {"petitions_resolved": 80, "petitions_resolved_on_time": 80, "visits": 10},
    LEGACY_KIEN_GIANG: {"petitions_resolved": 20, "petitions_resolved_on_time": 10, "visits": 5},
}


@pytest.fixture
def clusters() -> tuple:
    old, new = legacy_cluster(), current_cluster()
    briefing = services.briefing_create(actor=None, cluster=old, period=PERIOD)
    services.reports_enter_legacy(
        actor=None,
        briefing=briefing,
        figures=[(code, values, "Báo cáo năm 2024 của tỉnh") for code, values in FIGURES.items()],
    )
    return old, new


def test_a_legacy_briefing_has_the_legacy_members(clusters: tuple) -> None:
    old, _ = clusters
    summary = cluster_summary(old, PERIOD, with_previous=False)
    assert summary.source == "briefing"
    assert [m.code for m in summary.members] == sorted(FIGURES)
    tien_giang = next(m for m in summary.members if m.code == LEGACY_TIEN_GIANG)
    assert tien_giang.name == "Tỉnh Tiền Giang"
    assert tien_giang.figures["petitions_on_time_percent"] == 90.0
    assert summary.totals["visits"] == 80


def test_legacy_figures_add_up_on_todays_provinces(clusters: tuple) -> None:
    _, new = clusters
    summary = cluster_summary(new, PERIOD, with_previous=False)
    assert summary.source == "legacy"
    by_code = {m.code: m for m in summary.members}
    assert set(by_code) == {DONG_THAP, AN_GIANG}
    dong_thap = by_code[DONG_THAP]
    assert sorted(dong_thap.merged_from) == ["Tỉnh Tiền Giang", "Tỉnh Đồng Tháp"]
    assert dong_thap.figures["petitions_resolved"] == 150
    assert dong_thap.figures["visits"] == 65
    # 120 of 150 on time: recomputed from the counts, not the mean of 90 % and 60 %.
    assert dong_thap.figures["petitions_on_time_percent"] == 80.0
    an_giang = by_code[AN_GIANG]
    assert an_giang.figures["petitions_resolved_on_time"] == 90
    assert an_giang.figures["petitions_on_time_percent"] == 90.0
    assert summary.totals["petitions_resolved"] == 250
    assert summary.totals["petitions_on_time_percent"] == 84.0
    # An Giang (90 %) ranks before Đồng Tháp (80 %).
    assert summary.rankings["petitions_on_time_percent"] == {AN_GIANG: 1, DONG_THAP: 2}


def test_the_next_period_compares_with_the_re_aggregated_one(clusters: tuple) -> None:
    _, new = clusters
    summary = cluster_summary(new, period_parse("2025-H1"))
    assert summary.previous is not None
    assert summary.previous.source == "legacy"
    assert summary.previous.totals["visits"] == 80


def test_the_legacy_cluster_has_no_members_after_the_merger(clusters: tuple) -> None:
    old, _ = clusters
    summary = cluster_summary(old, period_parse("2026-H1"), with_previous=False)
    assert summary.members == []
