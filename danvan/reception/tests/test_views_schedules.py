"""The leaders' duty days in the back-office: list, calendar, forms and steps."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from danvan.geo.models import Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import organization_create
from danvan.petitions.tests.factories import PASSWORD, staff_user
from danvan.reception import schedules
from danvan.reception.models import ReceptionSchedule, ScheduleStatus
from danvan.reception.tests.factories import ReceptionPlace, reception_place

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
#: A Monday, in the time when leaders may no longer send a deputy.
TODAY = datetime.date(2026, 9, 14)
AN_GIANG = 91


def vi(msgid: str, **params: Any) -> str:
    """Return `msgid` as the back-office shows it (Vietnamese once translated)."""
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % params if params else text


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(9), TZ), tick=False):
        yield


@dataclass
class World:
    place: ReceptionPlace
    other: Organization
    outsider: Any
    nobody: Any


@pytest.fixture
def world() -> World:
    place = reception_place()
    other = organization_create(
        actor=None,
        code="t-ubnd-an-giang",
        name="Ủy ban nhân dân tỉnh An Giang",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.PROVINCE,
        province=Province.objects.get(code=AN_GIANG),
    )
    return World(
        place=place,
        other=other,
        outsider=staff_user(other, Role.HEAD, username="angiang"),
        nobody=staff_user(username="khongai"),
    )


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def duty_day(world: World, **kwargs: Any) -> ReceptionSchedule:
    place = world.place
    values: dict[str, Any] = {
        "actor": place.officer,
        "organization": place.commune,
        "leader": place.chairman,
        "leader_title": "Chủ tịch UBND phường",
        "date": TODAY + datetime.timedelta(days=10),
        "starts_at": datetime.time(8),
        "ends_at": datetime.time(11, 30),
        "place": "Trụ sở tiếp công dân phường Mỹ Tho",
    }
    values.update(kwargs)
    return schedules.schedule_create(**values)


LIST = "/admin/reception/"


# List and calendar -------------------------------------------------------------


def test_list_shows_the_duty_days_of_the_organizations_read(world: World) -> None:
    schedule = duty_day(world)
    for user in (world.place.officer, world.place.chairman, world.place.province_chairman):
        response = login(user).get(LIST)
        assert response.status_code == 200, user.username
        assert reverse("reception_staff:schedule", args=[schedule.pk]) in response.text
        assert "24/09/2026" in response.text  # dd/mm/yyyy
    response = login(world.outsider).get(LIST)
    assert response.status_code == 200
    assert reverse("reception_staff:schedule", args=[schedule.pk]) not in response.text


#: Every page of the back-office part, without an object.
PAGES = (
    LIST,
    "/admin/reception/calendar/",
    "/admin/reception/schedules/new/",
    "/admin/reception/dashboard/",
    "/admin/reception/log/",
    "/admin/reception/log/export/",
    "/admin/reception/visits/new/",
    "/admin/reception/dialogues/",
    "/admin/reception/dialogues/new/",
    "/admin/reception/commitments/",
)


@pytest.mark.parametrize("url", PAGES)
def test_pages_refuse_who_works_for_no_body_and_send_strangers_to_sign_in(
    world: World, url: str
) -> None:
    refused = login(world.nobody).get(url)
    assert refused.status_code in (302, 403)
    if refused.status_code == 302:
        assert not refused["Location"].startswith(url)
    response = Client().get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("url", [page for page in PAGES if "export" not in page])
def test_pages_render_for_a_reception_officer(world: World, url: str) -> None:
    response = login(world.place.officer).get(url)
    assert response.status_code == 200
    assert 'class="dv-subnav"' in response.text


def test_list_filters_the_days_published_late_or_overdue(world: World) -> None:
    on_time = duty_day(world, date=TODAY + datetime.timedelta(days=14))
    overdue = duty_day(
        world,
        date=TODAY + datetime.timedelta(days=2),
        starts_at=datetime.time(14),
        ends_at=datetime.time(16),
    )
    response = login(world.place.officer).get(LIST, {"late": "on"})
    assert reverse("reception_staff:schedule", args=[overdue.pk]) in response.text
    assert reverse("reception_staff:schedule", args=[on_time.pk]) not in response.text
    assert vi("Not published in time") in response.text


def test_list_queries_do_not_grow_with_rows(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    duty_day(world)
    client = login(world.place.chairman)
    client.get(LIST)
    with django_assert_max_num_queries(40) as few:
        client.get(LIST)
    baseline = len(few.captured_queries)
    for index in range(1, 9):
        duty_day(world, date=TODAY + datetime.timedelta(days=10 + index))
    with django_assert_max_num_queries(baseline):
        response = client.get(LIST)
    assert response.text.count('data-testid="schedule-row"') == 9


def test_calendar_shows_the_month_grid_with_its_sessions(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    duty_day(world)
    client = login(world.place.officer)
    response = client.get("/admin/reception/calendar/", {"month": "2026-09"})
    assert response.status_code == 200
    html = response.text
    assert 'data-testid="session"' in html
    assert "Chủ tịch UBND phường" in html
    assert "08:00–11:30" in html
    # Monday first, and links to the months around.
    assert html.index(vi("Monday")) < html.index(vi("Sunday"))
    assert "month=2026-08" in html
    assert "month=2026-10" in html
    with django_assert_max_num_queries(40) as few:
        client.get("/admin/reception/calendar/", {"month": "2026-09"})
    baseline = len(few.captured_queries)
    for index in range(1, 6):
        duty_day(world, date=TODAY + datetime.timedelta(days=3 + index))
    with django_assert_max_num_queries(baseline):
        response = client.get("/admin/reception/calendar/", {"month": "2026-09"})
    assert response.text.count('data-testid="session"') == 6
    other_month = client.get("/admin/reception/calendar/", {"month": "2026-12"})
    assert 'data-testid="session"' not in other_month.text


# Create and edit ---------------------------------------------------------------------


def schedule_form(world: World, **changes: str) -> dict[str, str]:
    data = {
        "organization": str(world.place.commune.pk),
        "leader": str(world.place.chairman.pk),
        "leader_title": "Chủ tịch UBND phường",
        "date": "2026-09-28",
        "starts_at": "08:00",
        "ends_at": "11:00",
        "place": "Trụ sở UBND phường",
        "mode": "in_person",
        "online_link": "",
        "expected_content": "",
        "attendees": "",
    }
    data.update(changes)
    return data


def test_create_stores_a_draft_and_opens_it(world: World) -> None:
    client = login(world.place.officer)
    assert client.get("/admin/reception/schedules/new/").status_code == 200
    response = client.post("/admin/reception/schedules/new/", schedule_form(world), follow=True)
    schedule = ReceptionSchedule.objects.get()
    assert schedule.status == ScheduleStatus.DRAFT
    assert schedule.leader == world.place.chairman
    assert response.redirect_chain[-1][0] == reverse(
        "reception_staff:schedule", args=[schedule.pk]
    )
    assert (
        vi(
            "Duty day of %(date)s entered as a draft: publish it by %(publish_by)s.",
            date="28/09/2026",
            publish_by=f"{schedule.publish_by:%d/%m/%Y}",
        )
        in response.text
    )


def test_create_shows_the_service_errors_beside_their_fields(world: World) -> None:
    client = login(world.place.officer)
    response = client.post(
        "/admin/reception/schedules/new/",
        schedule_form(world, starts_at="11:00", ends_at="08:00", mode="online"),
    )
    assert response.status_code == 200
    assert not ReceptionSchedule.objects.exists()
    html = response.text
    assert vi("The reception must end after it starts.") in html
    assert vi("Enter the link of the online reception.") in html
    # Beside the field: inside its wrapper.
    wrapper = html.index('data-field="ends_at"')
    assert html.index(vi("The reception must end after it starts."), wrapper) < html.index(
        'data-field="place"'
    )


def test_create_refuses_a_leader_who_is_not_head(world: World) -> None:
    response = login(world.place.officer).post(
        "/admin/reception/schedules/new/",
        schedule_form(world, leader=str(world.place.officer.pk)),
    )
    assert response.status_code == 200
    assert not ReceptionSchedule.objects.exists()
    assert 'data-field="leader"' in response.text


def test_create_is_for_those_who_act_for_the_organization(world: World) -> None:
    response = login(world.outsider).post("/admin/reception/schedules/new/", schedule_form(world))
    assert response.status_code == 200
    assert not ReceptionSchedule.objects.exists()


def test_edit_changes_the_day_and_unknown_days_are_404(world: World) -> None:
    schedule = duty_day(world)
    client = login(world.place.officer)
    url = reverse("reception_staff:schedule_edit", args=[schedule.pk])
    assert client.get(url).status_code == 200
    data = schedule_form(world, place="Hội trường UBND phường")
    del data["organization"]
    data["date"] = f"{schedule.date:%Y-%m-%d}"
    response = client.post(url, data)
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.place == "Hội trường UBND phường"
    assert login(world.outsider).get(url).status_code == 404
    assert (
        login(world.outsider)
        .get(reverse("reception_staff:schedule", args=[schedule.pk]))
        .status_code
        == 404
    )


# Steps ------------------------------------------------------------------------------------


def step(schedule: ReceptionSchedule, name: str) -> str:
    return reverse("reception_staff:schedule_step", args=[schedule.pk, name])


def test_publish_then_the_page_shows_the_published_day(world: World) -> None:
    schedule = duty_day(world)
    client = login(world.place.officer)
    response = client.post(step(schedule, "publish"), follow=True)
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.PUBLISHED
    assert vi("The duty day was published on the portal.") in response.text
    assert 'data-testid="late"' not in response.text


def test_record_held_refuses_a_deputy_from_july_2026(world: World) -> None:
    schedule = duty_day(world, date=TODAY)
    client = login(world.place.officer)
    response = client.post(
        step(schedule, "held"),
        {"held-held_by_deputy": "on", "held-deputy_name": "Phó Chủ tịch Lê Văn Phó"},
    )
    assert response.status_code == 200
    assert (
        vi(
            "From %(date)s the leader must receive citizens in person and may not send a deputy "
            "(Luật 136/2025/QH15).",
            date="1/7/2026",
        )
        in response.text
    )
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.DRAFT
    response = client.post(step(schedule, "held"), {"held-conclusion_notice_number": "12/TB"})
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.HELD
    assert schedule.conclusion_notice_number == "12/TB"


def test_cancel_needs_a_reason(world: World) -> None:
    schedule = duty_day(world)
    client = login(world.place.officer)
    response = client.post(step(schedule, "cancel"), {"cancel-reason": ""})
    assert response.status_code == 200
    assert 'data-step="cancel" open' in response.text
    response = client.post(step(schedule, "cancel"), {"cancel-reason": "Lãnh đạo đi công tác"})
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.CANCELLED
    assert schedule.cancel_reason == "Lãnh đạo đi công tác"


def test_connection_test_of_an_online_day(world: World) -> None:
    schedule = duty_day(world, mode="online", online_link="https://meet.example.vn/tcd-my-tho")
    client = login(world.place.officer)
    page = client.get(reverse("reception_staff:schedule", args=[schedule.pk]))
    assert 'data-step="test"' in page.text
    response = client.post(step(schedule, "test"), {"test-on": "2026-09-30"})
    assert response.status_code == 200
    assert vi("The test cannot be dated in the future.") in response.text
    response = client.post(step(schedule, "test"), {"test-on": "2026-09-14"})
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.connection_tested_on == TODAY


def test_a_reader_who_does_not_act_for_the_body_is_refused_the_steps(world: World) -> None:
    schedule = duty_day(world)
    client = login(world.place.province_chairman)
    page = client.get(reverse("reception_staff:schedule", args=[schedule.pk]))
    assert page.status_code == 200
    assert 'data-step="publish"' not in page.text
    response = client.post(step(schedule, "publish"), follow=True)
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.DRAFT
    assert response.status_code == 200
    outsider = login(world.outsider).post(step(schedule, "publish"))
    assert outsider.status_code == 404
