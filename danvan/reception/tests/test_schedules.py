"""Leaders' duty days: `schedules.py` writes, reads and compliance.

Every expected figure is worked out by hand in the test: publication dates
from the working days (Sat/Sun off, and the holidays of `core.calendar`,
e.g. Tết 2027 off Thu 4/2 – Wed 10/2/2027), required days from the Mondays
of the month and the minimums seeded by `0002_duty_rules` (commune
chairman 1 day a week, Luật TCD Art. 15(2)(d); provincial chairman and
agency heads 1 day a month, Art. 12(5) and 18(2)).
"""

import datetime
from contextlib import AbstractContextManager
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.core.models import AuditEvent
from danvan.geo.models import Commune, Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import membership_grant, organization_create
from danvan.petitions.tests.conftest import COMMUNE, translated
from danvan.petitions.tests.factories import DONG_THAP, staff_user
from danvan.reception import schedules
from danvan.reception.models import (
    DutyPeriod,
    DutyRule,
    LeaderCategory,
    ReceptionMode,
    ReceptionSchedule,
    ScheduleStatus,
)
from danvan.reception.tests.factories import ReceptionPlace, reception_place

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.time
VN = datetime.timezone(datetime.timedelta(hours=7))
LINK = "https://meet.example.vn/tiep-cong-dan"


def at(day: D, hour: int = 9) -> AbstractContextManager[Any]:
    """Freeze the clock on `day` at `hour` in Vietnam."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=VN), tick=False
    )


@pytest.fixture
def place() -> ReceptionPlace:
    return reception_place()


@pytest.fixture
def root() -> Any:
    """A superuser, who may keep every organization's schedule."""
    return staff_user(username="root", is_superuser=True)


def _create(place: ReceptionPlace, /, **overrides: Any) -> ReceptionSchedule:
    fields: dict[str, Any] = {
        "actor": place.officer,
        "organization": place.commune,
        "leader": place.chairman,
        "leader_title": "Chủ tịch UBND phường Mỹ Tho",
        "date": D(2026, 12, 14),
        "starts_at": T(8, 0),
        "ends_at": T(11, 30),
        "place": "Trụ sở UBND phường Mỹ Tho",
    }
    fields.update(overrides)
    return schedules.schedule_create(**fields)


def _errors(place: ReceptionPlace, /, **overrides: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        _create(place, **overrides)
    return caught.value.message_dict


def _name(user: Any) -> str:
    return user.get_full_name()


# --- creation ------------------------------------------------------------------------


def test_create_stores_a_draft_with_category_publish_by_and_audit_event(place) -> None:
    with at(D(2026, 12, 1)):
        schedule = _create(place, expected_content="Đất đai", attendees="Phòng Kinh tế")

    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.DRAFT
    assert schedule.category == LeaderCategory.COMMUNE_CHAIRMAN
    # Mon 14/12/2026, no holiday that fortnight: the 5 working days up to and
    # including the day are Tue 8, Wed 9, Thu 10, Fri 11 and Mon 14, so the
    # last day to publish is Mon 7/12/2026.
    assert schedule.publish_by == D(2026, 12, 7)
    assert schedule.created_by == place.officer
    assert schedule.published_at is None
    event = AuditEvent.objects.get(action="schedule.create", target_id=str(schedule.pk))
    assert event.actor == place.officer
    assert event.data["date"] == "2026-12-14"
    assert event.data["publish_by"] == "2026-12-07"
    assert event.data["leader_id"] == place.chairman.pk
    flat = repr(event.data)
    for personal in (_name(place.chairman), "Đất đai", "Phòng Kinh tế"):
        assert personal not in flat


def test_category_follows_the_organization(place) -> None:
    with at(D(2026, 12, 1)):
        province_day = _create(
            place,
            actor=place.province_chairman,
            organization=place.province,
            leader=place.province_chairman,
        )
        department_day = _create(
            place,
            actor=place.department_head,
            organization=place.department,
            leader=place.department_head,
        )
    assert province_day.category == LeaderCategory.PROVINCE_CHAIRMAN
    assert department_day.category == LeaderCategory.AGENCY_HEAD


def test_unscheduled_reception_is_due_on_its_own_day(place) -> None:
    with at(D(2026, 12, 14)):
        schedule = _create(place, date=D(2026, 12, 14), is_unscheduled=True)
    assert schedule.is_unscheduled
    assert schedule.publish_by == D(2026, 12, 14)


# --- permissions ---------------------------------------------------------------------


def _refusal(organization: Organization) -> str:
    return translated(
        "Only a reception officer, a head or an administrator of %(organization)s "
        "may change its reception schedule.",
        organization=organization.name,
    )


def test_officer_head_administrator_and_superuser_may_enter_a_day(place) -> None:
    admin = staff_user(place.commune, Role.ADMINISTRATOR, username="qt-xa")
    superuser = staff_user(username="root", is_superuser=True)
    with at(D(2026, 12, 1)):
        for hour, actor in enumerate((place.officer, place.chairman, admin, superuser)):
            _create(place, actor=actor, starts_at=T(7 + 2 * hour), ends_at=T(8 + 2 * hour))
    assert ReceptionSchedule.objects.filter(organization=place.commune).count() == 4


@pytest.mark.parametrize("who", ["handler", "other_head", "parent_head", "inactive", "none"])
def test_others_may_not_enter_a_day(place, who) -> None:
    actors = {
        "handler": lambda: staff_user(place.commune, Role.HANDLER, username="xl-xa"),
        "other_head": lambda: place.department_head,
        # A head of the province reads the commune but does not keep its schedule.
        "parent_head": lambda: place.province_chairman,
        "inactive": lambda: staff_user(
            place.commune, Role.RECEPTION_OFFICER, username="nghi", is_active=False
        ),
        "none": lambda: None,
    }
    with at(D(2026, 12, 1)), pytest.raises(PermissionDenied) as caught:
        _create(place, actor=actors[who]())
    assert str(caught.value) == _refusal(place.commune)
    assert not ReceptionSchedule.objects.exists()


def test_an_ended_membership_no_longer_allows_writes(place) -> None:
    former = staff_user(username="cu")
    membership_grant(
        actor=None,
        user=former,
        organization=place.commune,
        role=Role.RECEPTION_OFFICER,
        valid_to=D(2026, 11, 30),
    )
    with at(D(2026, 11, 30)):
        _create(place, actor=former)
    with at(D(2026, 12, 1)), pytest.raises(PermissionDenied):
        _create(place, actor=former, starts_at=T(14), ends_at=T(16))


def test_outsiders_may_not_publish_hold_update_cancel_or_test(place) -> None:
    with at(D(2026, 12, 1)):
        schedule = _create(place, mode=ReceptionMode.ONLINE, online_link=LINK)
        outsider = place.department_head
        calls = [
            lambda: schedules.schedule_publish(actor=outsider, schedule=schedule),
            lambda: schedules.schedule_update(actor=outsider, schedule=schedule, place="Khác"),
            lambda: schedules.schedule_cancel(actor=outsider, schedule=schedule, reason="X"),
            lambda: schedules.schedule_record_connection_test(
                actor=outsider, schedule=schedule, on=D(2026, 12, 1)
            ),
        ]
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()
    with at(D(2026, 12, 14)), pytest.raises(PermissionDenied):
        schedules.schedule_record_held(actor=outsider, schedule=schedule)
    schedule.refresh_from_db()
    assert (schedule.status, schedule.place, schedule.connection_tested_on) == (
        ScheduleStatus.DRAFT,
        "Trụ sở UBND phường Mỹ Tho",
        None,
    )
    assert AuditEvent.objects.filter(action__startswith="schedule.").count() == 1


# --- the leader ----------------------------------------------------------------------


def test_leader_must_be_a_head_of_the_organization_on_the_day(place) -> None:
    message = "%(name)s is not a head of %(organization)s on %(date)s."
    with at(D(2026, 12, 1)):
        # The reception officer is not a head.
        errors = _errors(place, leader=place.officer)
        assert errors == {
            "leader": [
                translated(
                    message,
                    name=_name(place.officer),
                    organization=place.commune.name,
                    date="14/12/2026",
                )
            ]
        }
        # Head of another body (the department), not of the commune.
        assert "leader" in _errors(place, leader=place.department_head)
        # A superuser holds every role for permissions, but is no leader.
        root = staff_user(username="root", is_superuser=True)
        assert "leader" in _errors(place, leader=root)
        assert _errors(place, leader=None) == {"leader": [translated("Choose the leader.")]}


def test_leader_head_only_until_a_date_may_not_be_scheduled_after_it(place) -> None:
    outgoing = staff_user(username="ct-cu", first_name="Cũ")
    membership_grant(
        actor=None,
        user=outgoing,
        organization=place.commune,
        role=Role.HEAD,
        valid_to=D(2026, 12, 10),
    )
    with at(D(2026, 12, 1)):
        _create(place, leader=outgoing, date=D(2026, 12, 10))
        errors = _errors(place, leader=outgoing, date=D(2026, 12, 14))
    assert errors["leader"] == [
        translated(
            "%(name)s is not a head of %(organization)s on %(date)s.",
            name=_name(outgoing),
            organization=place.commune.name,
            date="14/12/2026",
        )
    ]


# --- bad input, field by field --------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"leader_title": "  "},
            "leader_title",
            "Enter the leader's title, e.g. Chairman of the commune.",
        ),
        ({"leader_title": 42}, "leader_title", "Enter a text."),
        ({"place": ""}, "place", "Enter where citizens are received."),
        ({"date": "2026-12-14"}, "date", "Enter a valid date."),
        (
            {"date": datetime.datetime(2026, 12, 14, 8, tzinfo=VN)},
            "date",
            "Enter a valid date.",
        ),
        ({"starts_at": "08:00"}, "starts_at", "Enter a valid time."),
        ({"ends_at": None}, "ends_at", "Enter a valid time."),
        ({"ends_at": T(8, 0)}, "ends_at", "The reception must end after it starts."),
        ({"ends_at": T(7, 0)}, "ends_at", "The reception must end after it starts."),
        ({"mode": ReceptionMode.ONLINE}, "online_link", "Enter the link of the online reception."),
        (
            {"mode": ReceptionMode.ONLINE, "online_link": "meet.example.vn"},
            "online_link",
            "Enter a full web address, starting with https://.",
        ),
        (
            {"mode": ReceptionMode.ONLINE, "online_link": "ftp://example.vn/x"},
            "online_link",
            "Enter a full web address, starting with https://.",
        ),
        ({"online_link": LINK}, "online_link", "Only an online reception has a link."),
        ({"is_unscheduled": "yes"}, "is_unscheduled", "Enter a valid value."),
    ],
)
def test_bad_input_is_refused_field_by_field(place, overrides, field, message) -> None:
    with at(D(2026, 12, 1)):
        errors = _errors(place, **overrides)
    assert errors == {field: [translated(message)]}
    assert not ReceptionSchedule.objects.exists()


def test_texts_too_long_are_refused(place) -> None:
    with at(D(2026, 12, 1)):
        errors = _errors(
            place,
            leader_title="x" * 256,
            place="y" * 256,
            expected_content="z" * 10_001,
            attendees="a" * 10_001,
            mode=ReceptionMode.ONLINE,
            online_link="https://example.vn/" + "b" * 190,
        )
    too_long = "Enter at most %(max)d characters (%(length)d given)."
    assert errors == {
        "leader_title": [translated(too_long, max=255, length=256)],
        "place": [translated(too_long, max=255, length=256)],
        "expected_content": [translated(too_long, max=10_000, length=10_001)],
        "attendees": [translated(too_long, max=10_000, length=10_001)],
        "online_link": [translated(too_long, max=200, length=209)],
    }


def test_bad_mode_lists_the_choices(place) -> None:
    with at(D(2026, 12, 1)):
        errors = _errors(place, mode="phone")
    assert list(errors) == ["mode"]
    assert str(ReceptionMode.ONLINE.label) in errors["mode"][0]


def test_several_errors_come_together(place) -> None:
    with at(D(2026, 12, 1)):
        errors = _errors(place, leader_title="", place="", ends_at=T(7))
    assert set(errors) == {"leader_title", "place", "ends_at"}


def test_date_window_past_and_ahead(place) -> None:
    # Today 1/12/2026: 31 days back is 31/10/2026, 366 days ahead 2/12/2027.
    with at(D(2026, 12, 1)):
        _create(place, date=D(2026, 10, 31), starts_at=T(8), ends_at=T(9))
        _create(place, date=D(2027, 12, 2), starts_at=T(8), ends_at=T(9))
        past = _errors(place, date=D(2026, 10, 30))
        ahead = _errors(place, date=D(2027, 12, 3))
    assert past == {
        "date": [
            translated(
                "A duty day can be entered at most %(days)d days after it: "
                "%(date)s is too far in the past.",
                days=31,
                date="30/10/2026",
            )
        ]
    }
    assert ahead == {
        "date": [translated("A duty day can be planned at most %(days)d days ahead.", days=366)]
    }


def test_date_must_be_in_the_life_of_the_organization(place) -> None:
    Organization.objects.filter(pk=place.commune.pk).update(valid_to=D(2026, 12, 31))
    place.commune.refresh_from_db()
    with at(D(2026, 12, 1)):
        _create(place, date=D(2026, 12, 31))
        errors = _errors(place, date=D(2027, 1, 4))
    assert errors == {
        "date": [
            translated(
                "%(organization)s does not exist on %(date)s.",
                organization=place.commune.name,
                date="4/1/2027",
            )
        ]
    }


def test_same_leader_cannot_have_overlapping_hours_on_one_day(place) -> None:
    message = "%(name)s already has a duty day on %(date)s from %(start)s to %(end)s."
    with at(D(2026, 12, 1)):
        first = _create(place)  # 8:00–11:30
        errors = _errors(place, starts_at=T(11, 0), ends_at=T(12, 0))
        # Touching hours do not overlap; another day does not clash.
        _create(place, starts_at=T(11, 30), ends_at=T(12, 0))
        _create(place, date=D(2026, 12, 15))
        # The same leader in another body at the same hours: still a clash.
        membership_grant(actor=None, user=place.chairman, organization=place.front, role=Role.HEAD)
        elsewhere = _errors(place, organization=place.front, actor=place.chairman)
        schedules.schedule_cancel(actor=place.officer, schedule=first, reason="Đi công tác")
        again = _create(place)
    expected = translated(
        message, name=_name(place.chairman), date="14/12/2026", start="08:00", end="11:30"
    )
    assert errors == {"starts_at": [expected]}
    assert elsewhere == {"starts_at": [expected]}
    assert again.status == ScheduleStatus.DRAFT


# --- online reception ----------------------------------------------------------------


def test_online_reception_only_from_2026_07_01(place) -> None:
    with at(D(2026, 6, 15)):
        errors = _errors(place, date=D(2026, 6, 30), mode=ReceptionMode.ONLINE, online_link=LINK)
        online = _create(place, date=D(2026, 7, 1), mode=ReceptionMode.ONLINE, online_link=LINK)
    assert errors == {
        "mode": [
            translated(
                "Citizens can be received online only from %(date)s "
                "(Luật 136/2025/QH15, Luật Tiếp công dân Art. 3a).",
                date="1/7/2026",
            )
        ]
    }
    assert (online.mode, online.online_link) == (ReceptionMode.ONLINE, LINK)


def test_connection_test_on_time_and_late(place) -> None:
    # Wed 16/12/2026 online. At least 1 working day before: Wed itself is
    # the 1 working day after Tue 15/12, so the last day to test is Tue 15/12.
    with at(D(2026, 12, 1)):
        day = _create(place, date=D(2026, 12, 16), mode=ReceptionMode.ONLINE, online_link=LINK)
        other = _create(
            place,
            date=D(2026, 12, 16),
            starts_at=T(14),
            ends_at=T(16),
            mode=ReceptionMode.ONLINE,
            online_link=LINK,
        )
    with at(D(2026, 12, 16)):
        on_time = schedules.schedule_record_connection_test(
            actor=place.officer, schedule=day, on=D(2026, 12, 15)
        )
        late = schedules.schedule_record_connection_test(
            actor=place.officer, schedule=other, on=D(2026, 12, 16)
        )
    assert on_time.connection_tested_on == D(2026, 12, 15)
    assert not schedules.connection_test_late(on_time)
    assert schedules.connection_test_late(late)
    events = {
        event.target_id: event.data
        for event in AuditEvent.objects.filter(action="schedule.record_connection_test")
    }
    assert events[str(day.pk)]["test_late"] is False
    assert events[str(day.pk)]["test_by"] == "2026-12-15"
    assert events[str(other.pk)]["test_late"] is True


def test_connection_test_refusals(place) -> None:
    with at(D(2026, 12, 1)):
        in_person = _create(place)
        online = _create(place, date=D(2026, 12, 16), mode=ReceptionMode.ONLINE, online_link=LINK)

        def refused(schedule: ReceptionSchedule, on: Any) -> dict[str, list[str]]:
            with pytest.raises(ValidationError) as caught:
                schedules.schedule_record_connection_test(
                    actor=place.officer, schedule=schedule, on=on
                )
            return caught.value.message_dict

        assert refused(in_person, D(2026, 12, 1)) == {
            "mode": [translated("Only an online reception has a connection to test.")]
        }
        assert refused(online, D(2026, 12, 2)) == {
            "on": [translated("The test cannot be dated in the future.")]
        }
        assert refused(online, "2026-12-01") == {"on": [translated("Enter a valid date.")]}
    with at(D(2026, 12, 18)):
        assert refused(online, D(2026, 12, 17)) == {
            "on": [
                translated(
                    "The connection must be tested by the day of the reception, %(date)s.",
                    date="16/12/2026",
                )
            ]
        }
    online.refresh_from_db()
    assert online.connection_tested_on is None


# --- publication ---------------------------------------------------------------------


def test_publication_lead_around_tet_2027(place) -> None:
    # Mon 15/2/2027. Tết 2027 (core.calendar): Thu 4/2 – Wed 10/2 off, and
    # Sat 13, Sun 14 off. Counting back the 5 working days up to and
    # including the day: Mon 15 (1), Fri 12 (2), Thu 11 (3), Wed 3/2 (4),
    # Tue 2/2 (5). So the last day to publish is Mon 1/2/2027 (without Tết
    # it would have been Mon 8/2).
    with at(D(2027, 1, 20)):
        on_time = _create(place, date=D(2027, 2, 15))
        late = _create(place, date=D(2027, 2, 15), starts_at=T(14), ends_at=T(16))
    assert on_time.publish_by == late.publish_by == D(2027, 2, 1)
    with at(D(2027, 2, 1), hour=16):
        on_time = schedules.schedule_publish(actor=place.officer, schedule=on_time)
    with at(D(2027, 2, 2), hour=8):
        late = schedules.schedule_publish(actor=place.chairman, schedule=late)
    assert on_time.status == ScheduleStatus.PUBLISHED
    assert on_time.published_at == datetime.datetime(2027, 2, 1, 16, tzinfo=VN)
    assert not on_time.published_late
    assert late.published_late
    data = {
        event.target_id: event.data
        for event in AuditEvent.objects.filter(action="schedule.publish")
    }
    assert data[str(on_time.pk)]["published_late"] is False
    assert data[str(late.pk)]["published_late"] is True
    assert data[str(late.pk)]["published_on"] == "2027-02-02"


def test_publication_refusals(place) -> None:
    with at(D(2026, 12, 1)):
        day = _create(place)
        schedules.schedule_publish(actor=place.officer, schedule=day)
        with pytest.raises(ValidationError) as again:
            schedules.schedule_publish(actor=place.officer, schedule=day)
        passed = _create(place, date=D(2026, 11, 30))
        with pytest.raises(ValidationError) as too_late:
            schedules.schedule_publish(actor=place.officer, schedule=passed)
    assert again.value.message_dict == {
        "status": [
            translated(
                "The duty day of %(date)s is %(status)s: only a draft can be published.",
                date="14/12/2026",
                status=str(ScheduleStatus.PUBLISHED.label),
            )
        ]
    }
    assert too_late.value.message_dict == {
        "date": [
            translated(
                "The duty day of %(date)s has passed: record it as held or cancel it.",
                date="30/11/2026",
            )
        ]
    }


def test_late_list(place) -> None:
    # Mon 14/12/2026: publish by Mon 7/12 (see the first test).
    with at(D(2026, 11, 20)):
        on_time = _create(place)
        published_late = _create(place, starts_at=T(13), ends_at=T(14))
        unpublished = _create(place, starts_at=T(14), ends_at=T(15))
        unpublished_not_yet_due = _create(place, date=D(2026, 12, 21))
        cancelled = _create(place, starts_at=T(15), ends_at=T(16))
        unscheduled = _create(place, starts_at=T(16), ends_at=T(17), is_unscheduled=True)
        elsewhere = _create(
            place,
            actor=place.department_head,
            organization=place.department,
            leader=place.department_head,
        )
    with at(D(2026, 12, 7), hour=17):
        schedules.schedule_publish(actor=place.officer, schedule=on_time)
    with at(D(2026, 12, 8)):
        schedules.schedule_publish(actor=place.officer, schedule=published_late)
        schedules.schedule_cancel(actor=place.officer, schedule=cancelled, reason="Ốm")
        late = schedules.schedules_late(organizations=[place.commune])
        late_ids = [schedule.pk for schedule in late]
        everywhere = schedules.schedules_late(
            organizations=Organization.objects.filter(
                pk__in=[place.commune.pk, place.department.pk]
            )
        )
        assert {schedule.pk for schedule in everywhere} == {
            published_late.pk,
            unpublished.pk,
            elsewhere.pk,
        }
    assert late_ids == [published_late.pk, unpublished.pk]
    for absent in (on_time, unpublished_not_yet_due, cancelled, unscheduled):
        assert absent.pk not in late_ids
    # On the last day to publish, the unpublished day is not late yet; the
    # day published late stays late.
    with at(D(2026, 12, 7)):
        late_then = schedules.schedules_late(organizations=[place.commune])
        assert [schedule.pk for schedule in late_then] == [published_late.pk]


# --- changes -------------------------------------------------------------------------


def test_update_of_a_draft_recomputes_publish_by_and_is_audited(place) -> None:
    with at(D(2026, 12, 1)):
        day = _create(place)
        changed = schedules.schedule_update(
            actor=place.officer, schedule=day, date=D(2026, 12, 16), place="Hội trường"
        )
    # Wed 16/12: 5 working days Thu 10, Fri 11, Mon 14, Tue 15, Wed 16 → Wed 9/12.
    assert (changed.date, changed.publish_by, changed.place) == (
        D(2026, 12, 16),
        D(2026, 12, 9),
        "Hội trường",
    )
    assert changed.published_at is None
    event = AuditEvent.objects.get(action="schedule.update")
    assert event.data["changed"] == ["date", "place"]
    assert event.data["republished"] is False


def test_update_with_nothing_new_writes_nothing(place) -> None:
    with at(D(2026, 12, 1)):
        day = _create(place)
        schedules.schedule_update(actor=place.officer, schedule=day, place=" " + day.place)
    assert not AuditEvent.objects.filter(action="schedule.update").exists()


def test_moving_a_published_day_publishes_it_again(place) -> None:
    with at(D(2026, 12, 1)):
        day = _create(place)  # Mon 14/12, publish by Mon 7/12
        schedules.schedule_publish(actor=place.officer, schedule=day)
        retitled = schedules.schedule_update(
            actor=place.officer, schedule=day, leader_title="Chủ tịch UBND"
        )
    assert retitled.published_at == datetime.datetime(2026, 12, 1, 9, tzinfo=VN)
    with at(D(2026, 12, 10)):
        moved = schedules.schedule_update(
            actor=place.officer, schedule=day, starts_at=T(13), ends_at=T(16)
        )
    assert moved.status == ScheduleStatus.PUBLISHED
    assert moved.published_at == datetime.datetime(2026, 12, 10, 9, tzinfo=VN)
    assert moved.published_late  # 10/12 is after 7/12
    event = AuditEvent.objects.filter(action="schedule.update").latest("id")
    assert event.data["republished"] is True
    assert event.data["published_late"] is True
    # A published day cannot be moved to a day already passed.
    with at(D(2026, 12, 10)), pytest.raises(ValidationError) as caught:
        schedules.schedule_update(actor=place.officer, schedule=day, date=D(2026, 12, 9))
    assert caught.value.message_dict == {
        "date": [
            translated(
                "The duty day of %(date)s has passed: record it as held or cancel it.",
                date="9/12/2026",
            )
        ]
    }


def test_changing_the_link_forgets_the_connection_test(place) -> None:
    with at(D(2026, 12, 1)):
        day = _create(place, date=D(2026, 12, 16), mode=ReceptionMode.ONLINE, online_link=LINK)
        schedules.schedule_record_connection_test(
            actor=place.officer, schedule=day, on=D(2026, 12, 1)
        )
        relinked = schedules.schedule_update(
            actor=place.officer, schedule=day, online_link="https://meet.example.vn/moi"
        )
        assert relinked.connection_tested_on is None
        in_person = schedules.schedule_update(
            actor=place.officer, schedule=day, mode=ReceptionMode.IN_PERSON
        )
    assert (in_person.mode, in_person.online_link) == (ReceptionMode.IN_PERSON, "")


def test_update_is_validated_like_creation(place) -> None:
    with at(D(2026, 6, 10)):
        day = _create(place, date=D(2026, 6, 29))
        with pytest.raises(ValidationError) as online:
            schedules.schedule_update(
                actor=place.officer, schedule=day, mode=ReceptionMode.ONLINE, online_link=LINK
            )
        with pytest.raises(ValidationError) as leader:
            schedules.schedule_update(actor=place.officer, schedule=day, leader=place.officer)
        with pytest.raises(ValidationError) as hours:
            schedules.schedule_update(actor=place.officer, schedule=day, ends_at=T(7))
    assert list(online.value.message_dict) == ["mode"]
    assert list(leader.value.message_dict) == ["leader"]
    assert list(hours.value.message_dict) == ["ends_at"]
    day.refresh_from_db()
    assert (day.mode, day.leader_id, day.ends_at) == (
        ReceptionMode.IN_PERSON,
        place.chairman.pk,
        T(11, 30),
    )


def test_an_old_day_can_still_be_corrected_without_moving_it(place) -> None:
    with at(D(2026, 12, 1)):
        day = _create(place, date=D(2026, 11, 2))
    with at(D(2026, 12, 20)):  # 48 days after the day
        fixed = schedules.schedule_update(actor=place.officer, schedule=day, place="Hội trường")
        with pytest.raises(ValidationError) as moved:
            schedules.schedule_update(actor=place.officer, schedule=day, date=D(2026, 11, 3))
    assert fixed.place == "Hội trường"
    assert list(moved.value.message_dict) == ["date"]


# --- held, deputies, cancelled --------------------------------------------------------


def test_a_deputy_may_hold_the_day_before_2026_07_01(place) -> None:
    with at(D(2026, 6, 1)):
        day = _create(place, date=D(2026, 6, 15))
        schedules.schedule_publish(actor=place.officer, schedule=day)
    with at(D(2026, 6, 16)):
        held = schedules.schedule_record_held(
            actor=place.officer,
            schedule=day,
            held_by_deputy=True,
            deputy_name="Phó Chủ tịch Lê Văn Ba",
            conclusion_notice_number="12/TB-UBND",
        )
    assert (held.status, held.held_by_deputy, held.deputy_name) == (
        ScheduleStatus.HELD,
        True,
        "Phó Chủ tịch Lê Văn Ba",
    )
    assert held.conclusion_notice_number == "12/TB-UBND"
    event = AuditEvent.objects.get(action="schedule.record_held")
    assert event.data["held_by_deputy"] is True
    assert event.data["has_conclusion_notice"] is True
    assert "Lê Văn Ba" not in repr(event.data)


def test_a_deputy_may_not_hold_the_day_from_2026_07_01(place) -> None:
    with at(D(2026, 6, 20)):
        day = _create(place, date=D(2026, 7, 6))
    with at(D(2026, 7, 6), hour=17):
        with pytest.raises(ValidationError) as caught:
            schedules.schedule_record_held(
                actor=place.officer, schedule=day, held_by_deputy=True, deputy_name="Phó CT"
            )
        held = schedules.schedule_record_held(actor=place.officer, schedule=day)
    assert caught.value.message_dict == {
        "held_by_deputy": [
            translated(
                "From %(date)s the leader must receive citizens in person and may not "
                "send a deputy (Luật 136/2025/QH15).",
                date="1/7/2026",
            )
        ]
    }
    assert "136/2025" in caught.value.message_dict["held_by_deputy"][0]
    assert (held.status, held.held_by_deputy) == (ScheduleStatus.HELD, False)


def test_held_refusals(place) -> None:
    with at(D(2026, 6, 1)):
        day = _create(place, date=D(2026, 6, 15))
        with pytest.raises(ValidationError) as future:
            schedules.schedule_record_held(actor=place.officer, schedule=day)
    with at(D(2026, 6, 15)):
        with pytest.raises(ValidationError) as unnamed:
            schedules.schedule_record_held(actor=place.officer, schedule=day, held_by_deputy=True)
        with pytest.raises(ValidationError) as stray_name:
            schedules.schedule_record_held(actor=place.officer, schedule=day, deputy_name="X")
        with pytest.raises(ValidationError) as long_number:
            schedules.schedule_record_held(
                actor=place.officer, schedule=day, conclusion_notice_number="9" * 51
            )
    assert future.value.message_dict == {
        "date": [
            translated(
                "The duty day of %(date)s has not come yet: it cannot be recorded as held.",
                date="15/6/2026",
            )
        ]
    }
    assert unnamed.value.message_dict == {
        "deputy_name": [translated("Enter the name of the deputy who received citizens.")]
    }
    assert stray_name.value.message_dict == {
        "deputy_name": [translated("A deputy is named only when one held the day.")]
    }
    assert list(long_number.value.message_dict) == ["conclusion_notice_number"]
    day.refresh_from_db()
    assert day.status == ScheduleStatus.DRAFT


def test_held_and_cancelled_days_are_final(place) -> None:
    with at(D(2026, 12, 1)):
        held = _create(place, date=D(2026, 12, 1))
        schedules.schedule_record_held(actor=place.officer, schedule=held)
        cancelled = _create(place, date=D(2026, 12, 2))
        with pytest.raises(ValidationError) as no_reason:
            schedules.schedule_cancel(actor=place.officer, schedule=cancelled, reason=" ")
        schedules.schedule_cancel(actor=place.officer, schedule=cancelled, reason="Họp đột xuất")
        for call in (
            lambda: schedules.schedule_update(actor=place.officer, schedule=held, place="X"),
            lambda: schedules.schedule_cancel(actor=place.officer, schedule=held, reason="X"),
            lambda: schedules.schedule_record_held(actor=place.officer, schedule=held),
            lambda: schedules.schedule_publish(actor=place.officer, schedule=cancelled),
            lambda: schedules.schedule_update(actor=place.officer, schedule=cancelled, place="X"),
        ):
            with pytest.raises(ValidationError) as caught:
                call()
            assert list(caught.value.message_dict) == ["status"]
    with at(D(2026, 12, 3)), pytest.raises(ValidationError) as hold_cancelled:
        schedules.schedule_record_held(actor=place.officer, schedule=cancelled)
    assert no_reason.value.message_dict == {
        "reason": [translated("Give the reason for cancelling the duty day.")]
    }
    assert hold_cancelled.value.message_dict == {
        "status": [
            translated(
                "The duty day of %(date)s is %(status)s: it cannot be recorded as held.",
                date="2/12/2026",
                status=str(ScheduleStatus.CANCELLED.label),
            )
        ]
    }
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.cancel_reason) == (
        ScheduleStatus.CANCELLED,
        "Họp đột xuất",
    )


def test_every_write_leaves_one_audit_event(place) -> None:
    with at(D(2026, 12, 1)):
        day = _create(place, date=D(2026, 12, 16), mode=ReceptionMode.ONLINE, online_link=LINK)
        schedules.schedule_update(actor=place.officer, schedule=day, attendees="Phòng Tư pháp")
        schedules.schedule_publish(actor=place.officer, schedule=day)
        schedules.schedule_record_connection_test(
            actor=place.officer, schedule=day, on=D(2026, 12, 1)
        )
        other = _create(place, date=D(2026, 12, 17))
        schedules.schedule_cancel(actor=place.chairman, schedule=other, reason="Đi họp tỉnh")
    with at(D(2026, 12, 16), hour=17):
        schedules.schedule_record_held(actor=place.chairman, schedule=day)
    actions = list(
        AuditEvent.objects.filter(target_type="reception.receptionschedule")
        .order_by("id")
        .values_list("action", "target_id", "actor_username")
    )
    assert actions == [
        ("schedule.create", str(day.pk), place.officer.username),
        ("schedule.update", str(day.pk), place.officer.username),
        ("schedule.publish", str(day.pk), place.officer.username),
        ("schedule.record_connection_test", str(day.pk), place.officer.username),
        ("schedule.create", str(other.pk), place.officer.username),
        ("schedule.cancel", str(other.pk), place.chairman.username),
        ("schedule.record_held", str(day.pk), place.chairman.username),
    ]
    cancel = AuditEvent.objects.get(action="schedule.cancel")
    assert cancel.data["previous_status"] == ScheduleStatus.DRAFT
    assert "Đi họp tỉnh" not in repr(cancel.data)


# --- reads ---------------------------------------------------------------------------


def _other_province_org() -> tuple[Organization, Any]:
    hanoi = Province.objects.get(code=1)
    org = organization_create(
        actor=None,
        code="t-ubnd-ha-noi",
        name="Ủy ban nhân dân thành phố Hà Nội",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.PROVINCE,
        province=hanoi,
    )
    return org, staff_user(org, Role.HEAD, username="ct-hn")


def test_portal_shows_published_and_held_days_of_a_province(
    place, root, django_assert_num_queries
) -> None:
    hanoi, hanoi_head = _other_province_org()
    with at(D(2026, 12, 1)):
        published = _create(place, attendees="Ông Nguyễn Văn Tư", expected_content="Khiếu nại")
        draft = _create(place, date=D(2026, 12, 15))
        cancelled = _create(place, date=D(2026, 12, 16))
        province_day = _create(
            place,
            actor=place.province_chairman,
            organization=place.province,
            leader=place.province_chairman,
            leader_title="Chủ tịch UBND tỉnh",
            date=D(2026, 12, 10),
        )
        held = _create(place, date=D(2026, 12, 2))
        outside = _create(
            place, actor=hanoi_head, organization=hanoi, leader=hanoi_head, date=D(2026, 12, 10)
        )
        for day in (published, cancelled, province_day, held, outside):
            schedules.schedule_publish(actor=root, schedule=day)
        schedules.schedule_cancel(actor=place.officer, schedule=cancelled, reason="X")
        after_range = _create(place, date=D(2027, 1, 4))
        schedules.schedule_publish(actor=place.officer, schedule=after_range)
    with at(D(2026, 12, 2), hour=17):
        schedules.schedule_record_held(actor=place.officer, schedule=held)

    with django_assert_num_queries(1):
        shown = schedules.schedules_published(
            province=DONG_THAP, date_from=D(2026, 12, 1), date_to=D(2026, 12, 31)
        )
    assert [(row.date, row.leader_title, row.is_held) for row in shown] == [
        (D(2026, 12, 2), "Chủ tịch UBND phường Mỹ Tho", True),
        (D(2026, 12, 10), "Chủ tịch UBND tỉnh", False),
        (D(2026, 12, 14), "Chủ tịch UBND phường Mỹ Tho", False),
    ]
    row = shown[2]
    assert row.leader_name == _name(place.chairman)
    assert row.organization_name == place.commune.name
    assert (row.starts_at, row.ends_at, row.place) == (T(8), T(11, 30), published.place)
    assert not hasattr(row, "attendees")
    assert not hasattr(row, "expected_content")
    assert draft.date not in [r.date for r in shown]
    commune_only = schedules.schedules_published(
        province=Province.objects.get(code=DONG_THAP),
        commune_org=place.commune,
        date_from=D(2026, 12, 1),
        date_to=D(2027, 1, 31),
    )
    assert [r.date for r in commune_only] == [D(2026, 12, 2), D(2026, 12, 14), D(2027, 1, 4)]
    with pytest.raises(ValueError, match="before"):
        schedules.schedules_published(date_from=D(2026, 12, 2), date_to=D(2026, 12, 1))


def test_month_calendar_lists_every_status_of_the_month(place, django_assert_num_queries):
    with at(D(2026, 11, 20)):
        december = [
            _create(place, date=D(2026, 12, 14)),
            _create(place, date=D(2026, 12, 1), starts_at=T(14), ends_at=T(16)),
            _create(place, date=D(2026, 12, 1)),
            _create(place, date=D(2026, 12, 31)),
        ]
        schedules.schedule_cancel(actor=place.officer, schedule=december[0], reason="X")
        _create(place, date=D(2026, 11, 30))
        _create(place, date=D(2027, 1, 1))
        _create(
            place,
            actor=place.department_head,
            organization=place.department,
            leader=place.department_head,
        )
    with django_assert_num_queries(1):
        listed = [
            (day.date, day.starts_at, day.organization.code, day.leader.username)
            for day in schedules.schedules_month(
                organizations=[place.commune], year=2026, month=12
            )
        ]
    assert listed == [
        (D(2026, 12, 1), T(8), place.commune.code, place.chairman.username),
        (D(2026, 12, 1), T(14), place.commune.code, place.chairman.username),
        (D(2026, 12, 14), T(8), place.commune.code, place.chairman.username),
        (D(2026, 12, 31), T(8), place.commune.code, place.chairman.username),
    ]
    both = schedules.schedules_month(
        organizations=Organization.objects.filter(pk__in=[place.commune.pk, place.department.pk]),
        year=2026,
        month=12,
    )
    assert len(both) == 5


# --- compliance ----------------------------------------------------------------------


def _hold(day: ReceptionSchedule, **kwargs: Any) -> None:
    actor = staff_user(username=f"holder-{day.pk}", is_superuser=True)
    schedules.schedule_record_held(actor=actor, schedule=day, **kwargs)


def _rows(organizations: Any, year: int, month: int) -> dict[tuple[str, str], Any]:
    return {
        (row.organization.code, row.leader.username): row
        for row in schedules.leader_compliance(organizations=organizations, year=year, month=month)
    }


def test_compliance_weekly_and_monthly_in_a_month_of_five_mondays(place, root) -> None:
    # November 2026 has five Mondays: 2, 9, 16, 23 and 30.
    with at(D(2026, 10, 20)):
        days = {n: _create(place, date=D(2026, 11, n)) for n in (2, 9, 16, 23, 25, 27)}
        afternoon = _create(place, date=D(2026, 11, 9), starts_at=T(14), ends_at=T(16))
        unscheduled = _create(place, date=D(2026, 11, 10), is_unscheduled=True)
        province_day = _create(
            place,
            actor=place.province_chairman,
            organization=place.province,
            leader=place.province_chairman,
            date=D(2026, 11, 20),
        )
        for day in (*[days[n] for n in (2, 9, 16, 23, 25)], afternoon, province_day):
            schedules.schedule_publish(actor=root, schedule=day)
        schedules.schedule_cancel(actor=place.officer, schedule=days[25], reason="Ốm")
        # 27/11 stays a draft: not on the published schedule.
    with at(D(2026, 11, 30)):
        for day in (days[2], days[9], afternoon, days[16], unscheduled, province_day):
            _hold(day)
        rows = _rows([place.commune, place.province, place.department], 2026, 11)

    chairman = rows[(place.commune.code, place.chairman.username)]
    assert chairman.category == LeaderCategory.COMMUNE_CHAIRMAN
    assert chairman.rule.period == DutyPeriod.WEEK
    assert "Art. 15(2)(d)" in chairman.rule.legal_basis
    # 5 Mondays × 1 day; scheduled (published or held): 2, 9, 16, 23;
    # held: 2, 9 (twice, one date), 16; the unscheduled 10/11 does not count.
    assert (
        chairman.days_required,
        chairman.days_scheduled,
        chairman.days_held,
        chairman.days_held_by_deputy,
        chairman.shortfall,
    ) == (5, 4, 3, 0, 2)

    governor = rows[(place.province.code, place.province_chairman.username)]
    assert governor.category == LeaderCategory.PROVINCE_CHAIRMAN
    assert "Art. 12(5)" in governor.rule.legal_basis
    assert (governor.days_required, governor.days_held, governor.shortfall) == (1, 1, 0)

    # No duty day at all: the shortfall shows.
    director = rows[(place.department.code, place.department_head.username)]
    assert director.category == LeaderCategory.AGENCY_HEAD
    assert "Art. 18(2)" in director.rule.legal_basis
    assert (director.days_required, director.days_scheduled, director.shortfall) == (1, 0, 1)

    # Only heads are listed: not the reception officer.
    assert set(rows) == {
        (place.commune.code, place.chairman.username),
        (place.province.code, place.province_chairman.username),
        (place.department.code, place.department_head.username),
    }


def test_compliance_counts_weeks_by_their_monday(place) -> None:
    # February 2027: Mondays 1, 8, 15, 22 → 4. March 2027: 1, 8, 15, 22, 29
    # → 5 (the week of Mon 29/3 – Sun 4/4 counts for March). April 2027:
    # 5, 12, 19, 26 → 4 (Thu 1/4 belongs to the week of 29/3).
    required = {
        month: _rows([place.commune], 2027, month)[
            (place.commune.code, place.chairman.username)
        ].days_required
        for month in (2, 3, 4)
    }
    assert required == {2: 4, 3: 5, 4: 4}


def test_compliance_follows_a_rule_changed_mid_year(place) -> None:
    # An administrator closes the 2014 figure on 30/6/2027 and adds 2 days a
    # week from 1/7/2027. June 2027: Mondays 7, 14, 21, 28 → 4 × 1 = 4.
    # July 2027: Mondays 5, 12, 19, 26 → 4 × 2 = 8.
    DutyRule.objects.filter(category=LeaderCategory.COMMUNE_CHAIRMAN).update(
        valid_to=D(2027, 6, 30)
    )
    new = DutyRule.objects.create(
        category=LeaderCategory.COMMUNE_CHAIRMAN,
        days=2,
        period=DutyPeriod.WEEK,
        legal_basis="Luật 136/2025/QH15 (giả định cho kiểm thử)",
        valid_from=D(2027, 7, 1),
    )
    key = (place.commune.code, place.chairman.username)
    june = _rows([place.commune], 2027, 6)[key]
    july = _rows([place.commune], 2027, 7)[key]
    assert (june.days_required, june.shortfall) == (4, 4)
    assert "42/2013/QH13" in june.rule.legal_basis
    assert (july.days_required, july.rule) == (8, new)
    # A monthly figure for agency heads from August 2027: 3 days.
    DutyRule.objects.create(
        category=LeaderCategory.AGENCY_HEAD,
        days=3,
        period=DutyPeriod.MONTH,
        legal_basis="Quyết định giả định",
        valid_from=D(2027, 8, 1),
    )
    director = (place.department.code, place.department_head.username)
    assert _rows([place.department], 2027, 7)[director].days_required == 1
    assert _rows([place.department], 2027, 8)[director].days_required == 3


def test_compliance_of_a_head_for_part_of_the_month(place) -> None:
    # A new chairman from Wed 18/11/2026: Mondays 23 and 30 → 2 days; the
    # outgoing one until Tue 17/11: Mondays 2, 9, 16 → 3 days.
    newcomer = staff_user(username="ct-moi")
    membership_grant(
        actor=None,
        user=newcomer,
        organization=place.commune,
        role=Role.HEAD,
        valid_from=D(2026, 11, 18),
    )
    outgoing = staff_user(username="ct-cu")
    membership_grant(
        actor=None,
        user=outgoing,
        organization=place.commune,
        role=Role.HEAD,
        valid_to=D(2026, 11, 17),
    )
    gone = staff_user(username="ct-xua")
    membership_grant(
        actor=None,
        user=gone,
        organization=place.commune,
        role=Role.HEAD,
        valid_to=D(2026, 10, 31),
    )
    rows = _rows([place.commune], 2026, 11)
    assert rows[(place.commune.code, "ct-moi")].days_required == 2
    assert rows[(place.commune.code, "ct-cu")].days_required == 3
    assert (place.commune.code, "ct-xua") not in rows


def test_compliance_counts_a_deputy_only_before_2026_07_01(place) -> None:
    # June 2026: Mondays 1, 8, 15, 22, 29 → 5 required.
    with at(D(2026, 6, 1)):
        by_leader = _create(place, date=D(2026, 6, 8))
        by_deputy = _create(place, date=D(2026, 6, 15))
    with at(D(2026, 6, 16)):
        _hold(by_leader)
        _hold(by_deputy, held_by_deputy=True, deputy_name="Phó Chủ tịch")
    june = _rows([place.commune], 2026, 6)[(place.commune.code, place.chairman.username)]
    assert (june.days_held, june.days_held_by_deputy, june.shortfall) == (2, 1, 3)

    # July 2026 (Mondays 6, 13, 20, 27 → 4): a day marked held by a deputy
    # (as data from before the rule was enforced) does not count.
    with at(D(2026, 6, 20)):
        july_day = _create(place, date=D(2026, 7, 6))
    ReceptionSchedule.objects.filter(pk=july_day.pk).update(
        status=ScheduleStatus.HELD, held_by_deputy=True, deputy_name="Phó Chủ tịch"
    )
    july = _rows([place.commune], 2026, 7)[(place.commune.code, place.chairman.username)]
    assert (july.days_required, july.days_scheduled, july.days_held) == (4, 1, 0)
    assert (july.days_held_by_deputy, july.shortfall) == (1, 4)


def test_compliance_lists_a_leader_with_days_but_no_longer_head(place) -> None:
    with at(D(2026, 11, 2)):
        day = _create(place, date=D(2026, 11, 2))
        _hold(day)
    # The membership is later corrected to have started in December.
    place.chairman.memberships.filter(organization=place.commune, role=Role.HEAD).update(
        valid_from=D(2026, 12, 1)
    )
    row = _rows([place.commune], 2026, 11)[(place.commune.code, place.chairman.username)]
    assert (row.days_required, row.days_held, row.shortfall) == (0, 1, 0)


def _communes(count: int) -> list[Organization]:
    """Create `count` more commune people's committees of Đồng Tháp, each with a head
    and a held duty day in November 2026."""
    communes = Commune.objects.filter(province_id=DONG_THAP).exclude(code=COMMUNE)[:count]
    made = []
    for index, commune in enumerate(communes):
        org = organization_create(
            actor=None,
            code=f"q-ubnd-{index}",
            name=f"Ủy ban nhân dân {commune.name}",
            kind=OrganizationKind.PEOPLES_COMMITTEE,
            level=OrganizationLevel.COMMUNE,
            province=commune.province,
            commune=commune,
        )
        head = staff_user(org, Role.HEAD, username=f"q-ct-{index}")
        with at(D(2026, 11, 2)):
            day = schedules.schedule_create(
                actor=head,
                organization=org,
                leader=head,
                leader_title="Chủ tịch",
                date=D(2026, 11, 2),
                starts_at=T(8),
                ends_at=T(11),
                place="Trụ sở",
            )
            schedules.schedule_record_held(actor=head, schedule=day)
        made.append(org)
    return made


def test_compliance_costs_a_fixed_number_of_queries(place, django_assert_num_queries) -> None:
    one = [place.commune]
    many = [place.commune, *_communes(4)]
    # The heads, the commune chairmen's rule, the duty days.
    with django_assert_num_queries(3):
        assert len(schedules.leader_compliance(organizations=one, year=2026, month=11)) == 1
    with django_assert_num_queries(3):
        rows = schedules.leader_compliance(organizations=many, year=2026, month=11)
    assert len(rows) == 5
    assert sum(row.days_held for row in rows) == 4
    # A queryset costs one more query; each further leader category one rule.
    mixed = Organization.objects.filter(
        pk__in=[org.pk for org in (*many, place.province, place.department)]
    )
    with django_assert_num_queries(1 + 1 + 3 + 1):
        rows = schedules.leader_compliance(organizations=mixed, year=2026, month=11)
    assert len(rows) == 7
    with django_assert_num_queries(0):
        assert schedules.leader_compliance(organizations=[], year=2026, month=11) == []
