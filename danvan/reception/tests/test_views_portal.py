"""The portal's page of leaders' duty days: /lich-tiep-cong-dan/."""

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from danvan.reception import schedules
from danvan.reception.models import ReceptionSchedule
from danvan.reception.tests.factories import ReceptionPlace, reception_place

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
TODAY = datetime.date(2026, 9, 14)
PAGE = "/lich-tiep-cong-dan/"
DONG_THAP = 82


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(9), TZ), tick=False):
        yield


@pytest.fixture
def place() -> ReceptionPlace:
    return reception_place()


def duty_day(at: ReceptionPlace, day: datetime.date, **kwargs: object) -> ReceptionSchedule:
    values: dict[str, object] = {
        "actor": at.officer,
        "organization": at.commune,
        "leader": at.chairman,
        "leader_title": "Chủ tịch UBND phường Mỹ Tho",
        "date": day,
        "starts_at": datetime.time(8),
        "ends_at": datetime.time(11),
        "place": "Trụ sở UBND phường Mỹ Tho",
        "expected_content": "Ông Nguyễn Văn Bí mật về đất đai",
        "attendees": "Bà Trần Thị Riêng tư",
    }
    values.update(kwargs)
    return schedules.schedule_create(**values)  # type: ignore[arg-type]


def test_page_asks_for_a_province_first() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 200
    assert 'name="province"' in response.text
    assert 'data-testid="duty-days"' not in response.text
    assert '<meta name="viewport"' in response.text


def test_published_days_of_the_province_without_personal_data(
    place: ReceptionPlace, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    published = duty_day(place, TODAY + datetime.timedelta(days=7))
    schedules.schedule_publish(actor=place.officer, schedule=published)
    online = duty_day(
        place,
        TODAY + datetime.timedelta(days=9),
        mode="online",
        online_link="https://meet.example.vn/tcd-my-tho",
        place="Trực tuyến",
    )
    schedules.schedule_publish(actor=place.officer, schedule=online)
    duty_day(place, TODAY + datetime.timedelta(days=14), place="Phòng họp nháp")  # a draft
    client = Client()
    with django_assert_max_num_queries(12):
        response = client.get(PAGE, {"province": DONG_THAP})
    assert response.status_code == 200
    html = response.text
    assert html.count('data-testid="duty-day"') == 2
    assert "21/09/2026" in html
    assert "08:00–11:00" in html
    assert "Chủ tịch UBND phường Mỹ Tho" in html
    assert "Tâm" in html  # the leader's name
    assert "https://meet.example.vn/tcd-my-tho" in html
    assert "Phòng họp nháp" not in html
    assert "Bí mật" not in html
    assert "Riêng tư" not in html


def test_a_commune_keeps_its_own_days_and_another_province_none(place: ReceptionPlace) -> None:
    day = duty_day(place, TODAY + datetime.timedelta(days=7))
    schedules.schedule_publish(actor=place.officer, schedule=day)
    response = Client().get(PAGE, {"province": DONG_THAP, "commune": place.commune.pk})
    assert response.text.count('data-testid="duty-day"') == 1
    assert f'value="{place.commune.pk}" selected' in response.text
    other = Client().get(PAGE, {"province": 91})
    assert 'data-testid="duty-day"' not in other.text
    # A commune of another province is forgotten, not an error.
    mixed = Client().get(PAGE, {"province": 91, "commune": place.commune.pk})
    assert mixed.status_code == 200
    assert 'data-testid="duty-day"' not in mixed.text


def test_the_page_is_in_english_under_en() -> None:
    response = Client().get("/en" + PAGE, {"province": DONG_THAP})
    assert response.status_code == 200
    assert "Leaders' citizen reception schedule" in response.text
