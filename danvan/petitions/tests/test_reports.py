"""The dashboard's figures come from one pass over the period and equal a count by hand."""

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext
from pytest_django import DjangoAssertNumQueries

from danvan.orgs.models import Role
from danvan.petitions import reports
from danvan.petitions.models import Channel, Petition
from danvan.petitions.reports import Figures, dashboard_figures
from danvan.petitions.selectors import OPEN_STATUSES
from danvan.petitions.tests.factories import OrgTree, make_petition, org_tree, staff_user
from danvan.petitions.workflow import PetitionKind, Status

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
D = datetime.date
TODAY = D(2026, 4, 1)
FROM, TO = D(2026, 1, 1), D(2026, 6, 30)

#: The columns migration 0010 puts in `petition_org_received_idx` on PostgreSQL.
PERIOD_INDEX_COLUMNS = {
    "received_at",
    "organization_id",
    "kind",
    "category",
    "channel",
    "status",
    "clock_started_on",
    "resolved_on",
    "expected_response_by",
}


def _set(petition: Petition, received: D, **fields: Any) -> None:
    Petition.objects.filter(pk=petition.pk).update(
        received_at=datetime.datetime.combine(received, datetime.time(9, 0), TZ), **fields
    )


@pytest.fixture
def tree() -> OrgTree:
    """Petitions spread over kinds, categories and channels, with uneven delays."""
    tree = org_tree()
    feedback, complaint, other = (
        PetitionKind.FEEDBACK,
        PetitionKind.COMPLAINT,
        PetitionKind.RECOMMENDATION,
    )
    traffic, land = "Giao thông", "Đất đai"
    portal, phone, paper, email = Channel.PORTAL, Channel.PHONE, Channel.PAPER, Channel.EMAIL
    decided, open_, gone = Status.DECIDED, Status.ACCEPTED, Status.WITHDRAWN
    rows = [
        # kind, category, channel, received, resolved, due, status
        (feedback, traffic, portal, D(2026, 1, 5), D(2026, 1, 8), D(2026, 1, 20), decided),
        (feedback, traffic, portal, D(2026, 1, 6), D(2026, 2, 25), D(2026, 1, 21), decided),
        (feedback, land, phone, D(2026, 2, 1), D(2026, 2, 2), D(2026, 2, 16), Status.CLOSED),
        (complaint, land, paper, D(2026, 2, 3), D(2026, 3, 30), D(2026, 3, 5), decided),
        (complaint, land, paper, D(2026, 2, 10), None, D(2026, 3, 12), open_),
        (complaint, "", portal, D(2026, 3, 1), None, D(2026, 4, 30), Status.VERIFYING),
        (other, traffic, phone, D(2026, 3, 15), D(2026, 3, 16), None, decided),
        (other, "", email, D(2026, 3, 20), None, D(2026, 3, 25), gone),
        (feedback, traffic, portal, D(2025, 12, 31), D(2026, 1, 2), D(2026, 1, 10), decided),
    ]  # fmt: skip
    for index, (kind, category, channel, received, resolved, due, status) in enumerate(rows):
        petition = make_petition(
            organization=tree.inspectorate if index % 2 else tree.province,
            kind=kind,
            category=category,
            channel=channel,
            title=f"Đơn số {index}",
        )
        _set(
            petition,
            received,
            status=status,
            resolved_on=resolved,
            expected_response_by=due,
            clock_started_on=received if index % 3 else None,
        )
    return tree


def _by_hand(petitions: list[Petition]) -> Figures:
    resolved = [p for p in petitions if p.resolved_on is not None]
    days = [
        (p.resolved_on - p.received_at.astimezone(TZ).date()).days
        for p in resolved
        if p.resolved_on is not None
    ]
    return Figures(
        received=len(petitions),
        accepted=sum(p.clock_started_on is not None for p in petitions),
        resolved=len(resolved),
        on_time=sum(
            p.expected_response_by is not None
            and p.resolved_on is not None
            and p.resolved_on <= p.expected_response_by
            for p in resolved
        ),
        overdue=sum(
            p.status in OPEN_STATUSES
            and p.resolved_on is None
            and p.expected_response_by is not None
            and p.expected_response_by < TODAY
            for p in petitions
        ),
        average_days=sum(days) / len(days) if days else None,
    )


def _same(figures: Figures, expected: Figures) -> None:
    assert (
        figures.received,
        figures.accepted,
        figures.resolved,
        figures.on_time,
        figures.overdue,
    ) == (
        expected.received,
        expected.accepted,
        expected.resolved,
        expected.on_time,
        expected.overdue,
    )
    if expected.average_days is None:
        assert figures.average_days is None
    else:
        assert figures.average_days == pytest.approx(expected.average_days)


def test_every_figure_in_one_pass_equals_the_count_by_hand(
    tree: OrgTree, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    head = staff_user(tree.province, Role.HEAD, username="chutich")
    with django_assert_num_queries(2):  # the bodies, then every figure
        board = dashboard_figures(user=head, date_from=FROM, date_to=TO, today=TODAY)

    period = [
        p for p in Petition.objects.all() if FROM <= p.received_at.astimezone(TZ).date() <= TO
    ]
    assert len(period) == 8  # the last one was received before the period
    _same(board.total, _by_hand(period))
    # The average of the period, not the average of the groups' averages
    # (the groups hold one or two resolved petitions).
    assert board.total.average_days == pytest.approx((3 + 50 + 1 + 55 + 1) / 5)
    for rows, column in (
        (board.by_kind, "kind"),
        (board.by_category, "category"),
        (board.by_channel, "channel"),
    ):
        assert {row.value for row in rows} == {getattr(p, column) for p in period}
        order = [(-row.figures.received, row.label) for row in rows]
        assert order == sorted(order)
        for row in rows:
            _same(row.figures, _by_hand([p for p in period if getattr(p, column) == row.value]))
    labels = {row.value: row.label for row in board.by_category}
    assert labels[""] == gettext("Not given")
    assert {row.value: row.label for row in board.by_kind}["complaint"] == str(
        PetitionKind.COMPLAINT.label
    )


def test_the_superuser_reads_every_body_and_no_petition_without_one(tree: OrgTree) -> None:
    admin = staff_user(username="quantri", is_superuser=True)
    head = staff_user(tree.province, Role.HEAD, username="chutich")
    orphan = Petition.objects.filter(received_at__date__gte=FROM).order_by("pk").first()
    assert orphan is not None
    Petition.objects.filter(pk=orphan.pk).update(organization=None)

    everything = dashboard_figures(user=admin, date_from=FROM, date_to=TO, today=TODAY)
    readable = dashboard_figures(user=head, date_from=FROM, date_to=TO, today=TODAY)
    assert everything.total.received == readable.total.received == 7
    assert everything.by_kind == readable.by_kind


def test_an_empty_period_has_no_rows_and_no_average(tree: OrgTree) -> None:
    head = staff_user(tree.province, Role.HEAD, username="chutich")
    board = dashboard_figures(
        user=head, date_from=D(2024, 1, 1), date_to=D(2024, 6, 30), today=TODAY
    )
    assert board.total == Figures()
    assert board.total.average_days is None
    assert board.by_kind == board.by_category == board.by_channel == []


def test_the_query_reads_only_columns_of_the_period_index(tree: OrgTree) -> None:
    """PostgreSQL answers from `petition_org_received_idx` alone (0010) only
    if every column the query reads is in it."""
    admin = staff_user(username="quantri", is_superuser=True)
    with CaptureQueriesContext(connection) as queries:
        dashboard_figures(user=admin, date_from=FROM, date_to=TO, today=TODAY)
    bodies, query = queries.captured_queries
    assert "petitions_petition" not in bodies["sql"]
    table = re.escape(connection.ops.quote_name(Petition._meta.db_table))
    columns = set(re.findall(table + r'\."(\w+)"', query["sql"]))
    assert columns
    assert columns <= PERIOD_INDEX_COLUMNS


def test_sums_of_durations_are_read_in_microseconds_or_timedeltas() -> None:
    assert reports._microseconds(None) == 0
    assert reports._microseconds(datetime.timedelta(days=2, seconds=3)) == 172_803_000_000
    assert reports._microseconds(86_400_000_000) == 86_400_000_000
