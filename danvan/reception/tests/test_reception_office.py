"""A Ban Tiếp công dân keeps its committee chairman's duty days (Luật TCD Art. 12).

The provincial reception office sits below the provincial people's
committee: its reception officers enter and publish the chairman's days,
and the visits it logs on those days belong to them. An officer of another
body may not.
"""

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.orgs.models import OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import membership_grant, organization_create
from danvan.petitions.tests.factories import staff_user
from danvan.reception import schedules, visits
from danvan.reception.models import ScheduleStatus, VisitKind, VisitOutcome
from danvan.reception.tests.factories import ReceptionPlace, reception_place

pytestmark = pytest.mark.django_db

D = datetime.date
VN = datetime.timezone(datetime.timedelta(hours=7))
DAY = D(2026, 12, 17)


@pytest.fixture
def place() -> ReceptionPlace:
    return reception_place()


@pytest.fixture
def office_officer(place: ReceptionPlace) -> Any:
    office = organization_create(
        actor=None,
        code="t-bantcd-dong-thap",
        name="Ban Tiếp công dân tỉnh Đồng Tháp",
        kind=OrganizationKind.RECEPTION_OFFICE,
        level=OrganizationLevel.PROVINCE,
        province=place.province.province,
        parent=place.province,
    )
    officer = staff_user(office, Role.RECEPTION_OFFICER, username="t-bantcd")
    officer.office = office
    return officer


def _chairman_day(place: ReceptionPlace, actor: Any) -> Any:
    return schedules.schedule_create(
        actor=actor,
        organization=place.province,
        leader=place.province_chairman,
        leader_title="Chủ tịch UBND tỉnh Đồng Tháp",
        date=DAY,
        starts_at=datetime.time(8),
        ends_at=datetime.time(11),
        place="Trụ sở Ban Tiếp công dân tỉnh",
    )


def test_the_reception_office_keeps_the_chairmans_days(place, office_officer) -> None:
    keeps = set(schedules.organizations_keeping_schedules(office_officer))
    assert keeps == {office_officer.office, place.province}
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=VN), tick=False):
        day = _chairman_day(place, office_officer)
        published = schedules.schedule_publish(actor=office_officer, schedule=day)
    assert published.status == ScheduleStatus.PUBLISHED
    assert not published.published_late


def test_an_officer_of_another_body_may_not(place) -> None:
    assert place.province not in set(schedules.organizations_keeping_schedules(place.officer))
    with (
        time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=VN), tick=False),
        pytest.raises(PermissionDenied),
    ):
        _chairman_day(place, place.officer)


def test_office_visits_belong_to_the_chairmans_day(place, office_officer) -> None:
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=VN), tick=False):
        day = _chairman_day(place, office_officer)
        schedules.schedule_publish(actor=office_officer, schedule=day)
    with time_machine.travel(datetime.datetime(2026, 12, 17, 10, tzinfo=VN), tick=False):
        recorded = visits.visit_record(
            actor=office_officer,
            organization=office_officer.office,
            received_on=DAY,
            people=[visits.VisitPersonInput(name="Lê Văn Tư", address="Ấp 3, xã Tân Phú")],
            summary="Hỏi về tiến độ bồi thường dự án đường tỉnh.",
            kind=VisitKind.RECOMMENDATION,
            outcome=VisitOutcome.INFORMED,
            schedule=day,
        )
        assert recorded.visit.schedule == day
        # The commune's own visits may not claim the province chairman's day.
        with pytest.raises(ValidationError) as caught:
            visits.visit_record(
                actor=place.officer,
                organization=place.commune,
                received_on=DAY,
                people=[visits.VisitPersonInput(name="Lê Văn Tư")],
                summary="Hỏi về tiến độ bồi thường dự án đường tỉnh.",
                kind=VisitKind.RECOMMENDATION,
                outcome=VisitOutcome.INFORMED,
                schedule=day,
            )
    assert "schedule" in caught.value.message_dict


def test_a_deputy_head_is_not_a_leader_who_must_receive(place) -> None:
    """Luật TCD Art. 15(2)(d): the chairman receives; a vice-chairman holding
    the HEAD role is not counted, and no duty day is entered for him."""
    deputy = staff_user(username="t-pct-xa", first_name="Phó")
    membership_grant(
        actor=None, user=deputy, organization=place.commune, role=Role.HEAD, is_deputy=True
    )
    rows = schedules.leader_compliance(organizations=[place.commune], year=2026, month=12)
    assert [row.leader for row in rows] == [place.chairman]
    with (
        time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=VN), tick=False),
        pytest.raises(ValidationError) as caught,
    ):
        schedules.schedule_create(
            actor=place.officer,
            organization=place.commune,
            leader=deputy,
            leader_title="Phó Chủ tịch UBND phường",
            date=DAY,
            starts_at=datetime.time(8),
            ends_at=datetime.time(11),
            place="Trụ sở UBND phường",
        )
    assert "leader" in caught.value.message_dict
