"""The reception dashboard: leaders' compliance, annual dialogues, commitments, figures."""

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from danvan.geo.models import Province
from danvan.orgs.models import OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import organization_create
from danvan.petitions.tests.factories import PASSWORD, staff_user
from danvan.reception import dialogues, schedules
from danvan.reception.tests.factories import ReceptionPlace, reception_place

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
TODAY = datetime.date(2026, 9, 14)
DASHBOARD = "/admin/reception/dashboard/"


def vi(msgid: str, **params: Any) -> str:
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % params if params else text


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(9), TZ), tick=False):
        yield


@pytest.fixture
def place() -> ReceptionPlace:
    return reception_place()


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def held_day(place: ReceptionPlace, day: datetime.date) -> None:
    schedule = schedules.schedule_create(
        actor=place.officer,
        organization=place.commune,
        leader=place.chairman,
        leader_title="Chủ tịch UBND phường",
        date=day,
        starts_at=datetime.time(8),
        ends_at=datetime.time(11),
        place="Trụ sở UBND phường",
    )
    schedules.schedule_record_held(actor=place.officer, schedule=schedule)


def compliance_row(html: str) -> str:
    start = html.index('data-testid="compliance-row"')
    return html[start : html.index("</tr>", start)]


def test_compliance_shows_required_held_and_the_shortfall(place: ReceptionPlace) -> None:
    held_day(place, datetime.date(2026, 9, 7))
    response = login(place.chairman).get(DASHBOARD, {"month": "2026-09"})
    assert response.status_code == 200
    row = compliance_row(response.text)
    assert "Tâm" in row
    assert "Art. 15(2)(d)" in row  # the rule's legal basis
    # September 2026 has 4 Mondays; 1 day held: a shortfall of 3, highlighted.
    cells = re.findall(r'<td class="dv-num">(?:<[^>]*>)?(\d+)', row)
    assert cells == ["4", "1", "1", "0", "3"]  # required, scheduled, held, deputy, shortfall
    assert "<strong>3</strong>" in row
    assert 'class="dv-shortfall"' in response.text


def test_communes_without_an_annual_dialogue_until_one_is_held(place: ReceptionPlace) -> None:
    client = login(place.chairman)
    response = client.get(DASHBOARD)
    assert 'data-testid="communes"' in response.text
    assert place.commune.name in response.text.split('data-testid="communes"', 1)[1]
    dialogue = dialogues.dialogue_plan(
        actor=place.officer,
        organization=place.commune,
        kind="annual",
        subject="Đối thoại năm 2026",
        date=TODAY,
        place="Hội trường",
        chair_name="Nguyễn Văn Tâm",
        fatherland_front=place.front,
    )
    dialogues.dialogue_record_held(
        actor=place.officer,
        dialogue=dialogue,
        participants=[
            dialogues.ParticipantInput(side="citizen", name="Lê Văn Hùng", signature="signed")
        ],
        issues=[dialogues.IssueInput(question="Đường sụt lún")],
        minutes_summary="Kết luận.",
        commitments=[
            dialogues.CommitmentInput(
                description="Sửa đường ngõ 12", owner=place.commune, due_on=TODAY
            )
        ],
    )
    response = client.get(DASHBOARD)
    assert 'data-testid="communes"' not in response.text
    assert vi("Every commune has held its annual dialogue.") in response.text
    indicators = response.text.split('data-testid="indicators"', 1)[1]
    assert (
        "<strong>1</strong><span>"
        + vi(
            "Dialogues held (%(annual)s annual, %(complaint)s on complaints)",
            annual=1,
            complaint=0,
        )
        in indicators
    )


def test_overdue_commitments_are_listed(place: ReceptionPlace) -> None:
    dialogue = dialogues.dialogue_plan(
        actor=place.officer,
        organization=place.commune,
        kind="annual",
        subject="Đối thoại quý III",
        date=TODAY - datetime.timedelta(days=30),
        place="Hội trường",
        chair_name="Nguyễn Văn Tâm",
        fatherland_front=place.front,
    )
    dialogues.dialogue_record_held(
        actor=place.officer,
        dialogue=dialogue,
        participants=[
            dialogues.ParticipantInput(side="citizen", name="Lê Văn Hùng", signature="signed")
        ],
        issues=[dialogues.IssueInput(question="Đường sụt lún")],
        minutes_summary="Kết luận.",
        commitments=[
            dialogues.CommitmentInput(
                description="Sửa đường ngõ 12",
                owner=place.commune,
                due_on=TODAY - datetime.timedelta(days=5),
            )
        ],
    )
    response = login(place.chairman).get(DASHBOARD)
    overdue = response.text.split('data-testid="overdue"', 1)[1]
    assert "Sửa đường ngõ 12" in overdue
    assert "09/09/2026" in overdue


def test_an_outsider_sees_none_of_the_commune(place: ReceptionPlace) -> None:
    held_day(place, datetime.date(2026, 9, 7))
    other = organization_create(
        actor=None,
        code="t-ubnd-an-giang",
        name="Ủy ban nhân dân tỉnh An Giang",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.PROVINCE,
        province=Province.objects.get(code=91),
    )
    outsider = staff_user(other, Role.HEAD, username="angiang")
    response = login(outsider).get(DASHBOARD, {"month": "2026-09"})
    assert response.status_code == 200
    assert place.commune.name not in response.text
    assert "Tâm" not in response.text
    # Another body's organization cannot be chosen: the filter is ignored.
    response = login(outsider).get(DASHBOARD, {"organization": place.commune.pk})
    assert place.commune.name not in response.text


def test_dashboard_queries_do_not_grow_with_rows(
    place: ReceptionPlace, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(place.province_chairman)
    query = {"month": "2026-09", "date_from": "2026-09-01", "date_to": "2026-09-30"}
    client.get(DASHBOARD, query)
    with django_assert_max_num_queries(60) as few:
        client.get(DASHBOARD, query)
    baseline = len(few.captured_queries)
    for day in (7, 8, 9, 10):
        held_day(place, datetime.date(2026, 9, day))
    staff_user(place.department, Role.HEAD, username="t-pho-gd", first_name="Phó")
    with django_assert_max_num_queries(baseline):
        response = client.get(DASHBOARD, query)
    assert response.text.count('data-testid="compliance-row"') == 4
