"""The back-office lists: briefings (filters, search, pages, who sees what)
and the conclusion tasks followed up across briefings, with their Excel export."""

import datetime
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils.translation import gettext
from openpyxl import load_workbook

from danvan.briefings import services
from danvan.briefings.models import Briefing, BriefingStatus, TaskStatus
from danvan.briefings.tests.factories import AN_GIANG, DONG_THAP, commission, current_cluster
from danvan.core.periods import period_parse
from danvan.geo.models import Cluster, Province
from danvan.orgs.models import Organization, Role
from danvan.petitions.tests.factories import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

LIST = "/admin/briefings/"
TASKS = "/admin/briefings/tasks/"
EXPORT = "/admin/briefings/tasks/export/"
TZ = datetime.timezone(datetime.timedelta(hours=7))
TODAY = datetime.date(2026, 8, 10)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 8, 10, 9, tzinfo=TZ), tick=False):
        yield


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def rows(response: Any, testid: str = "briefing-row") -> int:
    assert response.status_code == 200
    return int(response.text.count(f'data-testid="{testid}"'))


def other_cluster() -> tuple[Cluster, list[int]]:
    """A cluster of two provinces that are neither Đồng Tháp nor An Giang."""
    codes = list(
        Province.objects.exclude(code__in=[DONG_THAP, AN_GIANG])
        .order_by("code")
        .values_list("code", flat=True)[:2]
    )
    cluster = Cluster.objects.create(
        code="tnb-t", name="Cụm Tây Nguyên thử", valid_from=datetime.date(2025, 7, 1)
    )
    cluster.provinces.set(codes)
    return cluster, codes


@pytest.fixture
def world() -> dict[str, Any]:
    dong_thap, an_giang = commission(DONG_THAP), commission(AN_GIANG)
    cluster = current_cluster()
    far, far_codes = other_cluster()
    far_body = commission(far_codes[0])
    host_province = Province.objects.get(code=AN_GIANG)
    made = {
        code: services.briefing_create(
            actor=None, cluster=cluster, period=period_parse(code), host_province=host_province
        )
        for code in ("2026-H1", "2025-H2", "2027", "2026-01-01..2026-03-31")
    }
    Briefing.objects.filter(pk=made["2025-H2"].pk).update(status=BriefingStatus.CONCLUDED)
    far_briefing = services.briefing_create(
        actor=None, cluster=far, period=period_parse("2026-H1")
    )
    return {
        "cluster": cluster,
        "far": far,
        "briefings": made,
        "far_briefing": far_briefing,
        "member": staff_user(dong_thap, Role.COMMISSION_STAFF, username="dt"),
        "host": staff_user(an_giang, Role.HEAD, username="ag"),
        "far_member": staff_user(far_body, Role.HEAD, username="far"),
        "central": staff_user(username="tw", is_superuser=True),
    }


# The list of briefings ----------------------------------------------------------


def test_each_filter_of_the_list_narrows_it(world: dict) -> None:
    client = login(world["central"])
    assert rows(client.get(LIST)) == 5
    assert rows(client.get(LIST, {"cluster": world["cluster"].pk})) == 4
    assert rows(client.get(LIST, {"cluster": world["far"].pk})) == 1
    assert rows(client.get(LIST, {"year": 2027})) == 1
    assert rows(client.get(LIST, {"year": 2026})) == 3  # H1, the quarter, the far cluster's H1
    assert rows(client.get(LIST, {"kind": "custom"})) == 1
    assert rows(client.get(LIST, {"kind": "half_year"})) == 3
    assert rows(client.get(LIST, {"status": "concluded"})) == 1
    assert rows(client.get(LIST, {"status": "preparing", "kind": "year"})) == 1
    # The search folds accents: “tay nguyen” finds “Cụm Tây Nguyên thử”.
    assert rows(client.get(LIST, {"q": "tay nguyen"})) == 1
    assert rows(client.get(LIST, {"q": "2025-H2"})) == 1


def test_a_wrong_filter_is_said_beside_it_and_the_others_still_apply(world: dict) -> None:
    response = login(world["central"]).get(LIST, {"year": "1999", "kind": "year"})
    assert rows(response) == 1
    assert 'class="dv-filter-year"' in response.text
    year_box = response.text.split('class="dv-filter-year"')[1].split("</div>\n")[0]
    assert "dv-errors" in year_box


def test_the_list_shows_only_the_briefings_of_the_users_bodies(world: dict) -> None:
    member = login(world["member"])
    assert rows(member.get(LIST)) == 4
    # Naming the other cluster in the address shows nothing of it.
    assert rows(member.get(LIST, {"cluster": world["far"].pk})) == 4
    assert world["far"].name not in member.get(LIST).text
    far = login(world["far_member"])
    assert rows(far.get(LIST)) == 1
    assert world["cluster"].name not in far.get(LIST).text
    assert rows(far.get(LIST, {"q": "2027"})) == 0


def test_the_list_is_paged(world: dict, django_assert_max_num_queries: Any) -> None:
    Briefing.objects.bulk_create(
        Briefing(
            cluster=world["far"],
            period_code=f"{year}",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            kind="year",
        )
        for year in range(2028, 2053)
    )
    client = login(world["central"])
    with django_assert_max_num_queries(20):
        first = client.get(LIST)
    assert rows(first) == 25
    assert "page=2" in first.text
    second = client.get(LIST, {"page": 2})
    assert rows(second) == 30 - 25
    assert "page=3" not in second.text


# The conclusion tasks -------------------------------------------------------------


@pytest.fixture
def tasks(world: dict) -> dict[str, Any]:
    """Two items of 2026-H1 (one overdue), one of 2025-H2 for Đồng Tháp only, one far."""
    h1, h2 = world["briefings"]["2026-H1"], world["briefings"]["2025-H2"]
    late = services.conclusion_item_add(
        actor=None, briefing=h1, text="Rà soát đơn quá hạn", due_on=datetime.date(2026, 8, 1)
    )
    later = services.conclusion_item_add(
        actor=None, briefing=h1, text="Nhân rộng mô hình", due_on=datetime.date(2026, 12, 31)
    )
    only = services.conclusion_item_add(
        actor=None,
        briefing=h2,
        text="Tổ chức đối thoại",
        due_on=datetime.date(2026, 3, 31),
        provinces=[Province.objects.get(code=DONG_THAP)],
    )
    far = services.conclusion_item_add(
        actor=None, briefing=world["far_briefing"], text="Việc của cụm khác"
    )
    done = late.tasks.get(province_id=AN_GIANG)
    services.task_follow_up(actor=None, task=done, note="Đã rà soát xong", status="done")
    return {"late": late, "later": later, "only": only, "far": far, "done": done}


def test_a_member_sees_its_provinces_tasks_a_host_every_task_of_its_briefings(
    world: dict, tasks: dict
) -> None:
    assert rows(login(world["member"]).get(TASKS), "task-row") == 3  # late, later, only
    assert rows(login(world["host"]).get(TASKS), "task-row") == 5  # 2 + 2 + 1
    assert rows(login(world["far_member"]).get(TASKS), "task-row") == 2
    assert rows(login(world["central"]).get(TASKS), "task-row") == 7
    page = login(world["member"]).get(TASKS).text
    assert "Việc của cụm khác" not in page
    assert "Tỉnh An Giang" not in page


def test_each_filter_of_the_tasks_narrows_them(world: dict, tasks: dict) -> None:
    client = login(world["host"])
    assert rows(client.get(TASKS, {"status": "done"}), "task-row") == 1
    assert rows(client.get(TASKS, {"status": "unfinished"}), "task-row") == 4
    # Overdue: unfinished and due before today (10/8/2026): Đồng Tháp's two.
    overdue = client.get(TASKS, {"overdue": "on"})
    assert rows(overdue, "task-row") == 2
    assert overdue.text.count('data-testid="overdue"') == 2
    h1 = world["briefings"]["2026-H1"]
    assert rows(client.get(TASKS, {"briefing": h1.pk}), "task-row") == 4
    assert rows(client.get(TASKS, {"cluster": world["cluster"].pk}), "task-row") == 5
    assert rows(client.get(TASKS, {"province": DONG_THAP}), "task-row") == 3
    assert rows(client.get(TASKS, {"province": DONG_THAP, "overdue": "on"}), "task-row") == 2
    assert rows(client.get(TASKS, {"q": "mô hình"}), "task-row") == 2
    # A briefing the host does not read is no choice: said, not shown.
    refused = client.get(TASKS, {"briefing": world["far_briefing"].pk})
    assert rows(refused, "task-row") == 5
    assert "dv-errors" in refused.text


def test_tasks_rows_link_to_the_task_on_its_briefing(world: dict, tasks: dict) -> None:
    task = tasks["later"].tasks.get(province_id=DONG_THAP)
    page = login(world["member"]).get(TASKS, {"q": "mô hình"}).text
    link = f"{LIST}{world['briefings']['2026-H1'].pk}/#task-{task.pk}"
    assert link in page
    briefing_page = login(world["member"]).get(link.split("#")[0]).text
    assert f'id="task-{task.pk}"' in briefing_page


def test_the_tasks_page_costs_a_fixed_number_of_queries(
    world: dict, tasks: dict, django_assert_max_num_queries: Any
) -> None:
    client = login(world["host"])
    with django_assert_max_num_queries(25):
        response = client.get(TASKS)
    assert rows(response, "task-row") == 5


def test_the_briefings_list_links_to_the_tasks(world: dict) -> None:
    page = login(world["member"]).get(LIST).text
    assert re.search(r'href="/admin/briefings/tasks/"[^>]*data-testid="tasks-link"', page)


def test_the_export_has_the_filtered_tasks_read_back(world: dict, tasks: dict) -> None:
    client = login(world["member"])
    response = client.get(EXPORT, {"overdue": "on"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('nhiem-vu-giao-ban-20260810.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][0] == gettext("No.")
    assert len(table[0]) == 11
    body = table[1:]
    assert [(r[0], r[1], r[5]) for r in body] == [
        (1, "Tỉnh Đồng Tháp", "Tổ chức đối thoại"),
        (2, "Tỉnh Đồng Tháp", "Rà soát đơn quá hạn"),
    ]
    first = body[0]
    assert first[2] == world["cluster"].name
    assert first[3] == "2025-H2"
    assert first[6].date() == datetime.date(2026, 3, 31)
    assert first[7] == str(TaskStatus.OPEN.label)
    assert first[8] == gettext("Overdue")
    # Every task the member follows, without a filter; a follow-up in its columns.
    everything = load_workbook(io.BytesIO(client.get(EXPORT).content)).active
    assert everything.max_row == 1 + 3
    hosted = load_workbook(io.BytesIO(login(world["host"]).get(EXPORT).content)).active
    done = next(
        r for r in hosted.iter_rows(values_only=True) if r[7] == str(TaskStatus.DONE.label)
    )
    assert done[1] == "Tỉnh An Giang"
    assert done[8] is None  # done: not overdue
    assert done[9].date() == datetime.date(2026, 8, 10)
    assert done[10] == "Đã rà soát xong"


def test_the_tasks_and_their_export_are_refused_without_a_reading_role(
    world: dict, tasks: dict
) -> None:
    body = Organization.objects.get(code=f"b-bantgdv-{DONG_THAP}")
    handler = staff_user(body, Role.HANDLER, username="handler")
    client = login(handler)
    for url in (TASKS, EXPORT):
        response = client.get(url)
        # Wagtail answers a refused page with a redirect to the dashboard.
        assert response.status_code == 403 or (
            response.status_code == 302 and response.url == "/admin/"
        )
        assert not response.content.startswith(b"PK")
