"""The unit dashboard: figures on a hand-computed data set, and its Excel export."""

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from danvan.orgs.models import Role
from danvan.petitions.forms_staff import half_year
from danvan.petitions.models import Petition
from danvan.petitions.reports import dashboard_figures
from danvan.petitions.services import PetitionerInput
from danvan.petitions.tests.factories import OrgTree, make_petition, org_tree, staff_user
from danvan.petitions.workflow import PetitionKind, Status

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
D = datetime.date
TODAY = D(2026, 4, 1)
DENOUNCER = PetitionerInput(name="Đỗ Thị Kín Đáo", phone="0911 222 333")


def _set(petition: Petition, received: D, **fields: Any) -> None:
    Petition.objects.filter(pk=petition.pk).update(
        received_at=datetime.datetime.combine(received, datetime.time(23, 30), TZ), **fields
    )


@pytest.fixture
def tree() -> OrgTree:
    tree = org_tree()
    office = tree.inspectorate
    on_time = make_petition(organization=office, category="Giao thông")
    _set(
        on_time,
        D(2026, 1, 10),  # 23:30 in Việt Nam: still 10 January there
        status=Status.DECIDED,
        clock_started_on=D(2026, 1, 10),
        resolved_on=D(2026, 1, 15),
        expected_response_by=D(2026, 1, 17),
    )
    late = make_petition(organization=office, kind=PetitionKind.COMPLAINT, category="Đất đai")
    _set(
        late,
        D(2026, 2, 1),
        status=Status.DECIDED,
        clock_started_on=D(2026, 2, 3),
        resolved_on=D(2026, 3, 20),
        expected_response_by=D(2026, 3, 3),
    )
    overdue = make_petition(
        organization=office, kind=PetitionKind.DENUNCIATION, petitioners=[DENOUNCER]
    )
    _set(
        overdue,
        D(2026, 3, 1),
        status=Status.ACCEPTED,
        clock_started_on=D(2026, 3, 2),
        expected_response_by=D(2026, 3, 10),
    )
    before = make_petition(organization=office)
    _set(before, D(2025, 12, 20), expected_response_by=D(2025, 12, 27))
    return tree


def test_figures_of_a_half_year_match_the_hand_count(
    tree: OrgTree, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    head = staff_user(tree.province, Role.HEAD, username="chutich")
    with django_assert_max_num_queries(4):
        board = dashboard_figures(
            user=head, date_from=D(2026, 1, 1), date_to=D(2026, 6, 30), today=TODAY
        )
    total = board.total
    assert (total.received, total.accepted, total.resolved) == (3, 3, 2)
    assert total.on_time == 1
    assert total.on_time_rate == pytest.approx(0.5)
    assert total.overdue == 1
    # (15/1 - 10/1) = 5 days and (20/3 - 1/2) = 47 days.
    assert total.average_days == pytest.approx(26.0)
    kinds = {row.value: row.figures for row in board.by_kind}
    assert kinds["feedback"].received == 1
    assert kinds["feedback"].on_time == 1
    assert kinds["complaint"].on_time_rate == pytest.approx(0.0)
    assert kinds["denunciation"].overdue == 1
    categories = {row.value: row.figures.received for row in board.by_category}
    assert categories == {"Giao thông": 1, "Đất đai": 1, "": 1}
    assert sum(row.figures.received for row in board.by_channel) == 3


def test_a_body_elsewhere_sees_none_of_it(tree: OrgTree) -> None:
    handler = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    stranger = staff_user(username="khach")
    mine = dashboard_figures(
        user=handler, date_from=D(2026, 1, 1), date_to=D(2026, 6, 30), today=TODAY
    )
    assert mine.total.received == 3
    none = dashboard_figures(
        user=stranger, date_from=D(2026, 1, 1), date_to=D(2026, 6, 30), today=TODAY
    )
    assert none.total.received == 0
    assert none.by_kind == []


def test_the_default_period_is_the_current_half_year() -> None:
    assert half_year(D(2026, 4, 1)) == (D(2026, 1, 1), D(2026, 6, 30))
    assert half_year(D(2026, 7, 1)) == (D(2026, 7, 1), D(2026, 12, 31))


def test_the_page_and_the_excel_export(tree: OrgTree) -> None:
    head = staff_user(tree.province, Role.HEAD, username="chutich")
    client = Client()
    client.force_login(head)
    url = reverse("petitions_staff:dashboard")
    page = client.get(url, {"date_from": "2026-01-01", "date_to": "2026-06-30"})
    assert page.status_code == 200
    assert 'data-testid="totals"' in page.text
    assert DENOUNCER.name not in page.text

    response = client.get(
        url, {"date_from": "2026-01-01", "date_to": "2026-06-30", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 4
    summary = workbook.worksheets[0]
    assert all(cell.font.bold for cell in summary[1])
    start = summary.cell(row=2, column=1).value
    assert isinstance(start, datetime.datetime)  # a real date, not text
    assert start.date() == D(2026, 1, 1)
    assert summary.cell(row=2, column=1).number_format == "DD/MM/YYYY"
    assert summary.cell(row=2, column=3).value == 3  # received
    assert summary.column_dimensions["A"].width == 14
    by_kind = workbook.worksheets[1]
    assert by_kind.max_row == 4  # the header and three kinds
    rate = summary.cell(row=2, column=7)
    assert rate.number_format == "0.0%"
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert DENOUNCER.name not in [str(value) for value in row]
