"""Working days, statutory periods and the calendar override table.

Vectors are worked out by hand from the official calendars (Tết 2025:
civil servants off Sat 25/1 – Sun 2/2/2025; Tết 2026: Mon 16/2 – Fri
20/2/2026 official days; swaps 26/4 ↔ 2/5/2025 and 22/8 ↔ 31/8/2026) and
from BLDS 2015 Art. 147–148 (start day not counted, a period ending on a
day off ends on the next working day).
"""

import datetime
from collections.abc import Iterator
from types import ModuleType

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import include, path, reverse
from django.utils import translation

from danvan.core import calendar as calendar_module
from danvan.core.calendar import DayOverride, WorkingCalendar
from danvan.core.models import AuditEvent, CalendarOverride
from danvan.core.services import calendar_override_delete, calendar_override_set

D = datetime.date
DAY_OFF = CalendarOverride.Kind.DAY_OFF
WORKING_DAY = CalendarOverride.Kind.WORKING_DAY


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    """A calendar without overrides: what the law and the library say."""
    return WorkingCalendar(years=(2024, 2027))


@pytest.fixture(autouse=True)
def _fresh_process_calendar() -> Iterator[None]:
    """Each test sees its own database, so forget the process's calendar."""
    calendar_module.reset_calendar_cache()
    yield
    calendar_module.reset_calendar_cache()


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(calendar_module, "_clock", fake)
    return fake


# --- Tết, swaps and the library ------------------------------------------------


def test_five_working_days_from_friday_before_tet_2025_end_on_friday_after_it(
    cal: WorkingCalendar,
) -> None:
    # Fri 24/1 not counted; Sat 25/1 – Sun 2/2 off (weekend, 29 Tết moved to
    # Mon 27/1, Giao thừa to Mùng ba, Mùng bốn on Sat 1/2); then Mon 3/2 = 1,
    # Tue 4/2 = 2, Wed 5/2 = 3, Thu 6/2 = 4, Fri 7/2 = 5.
    assert cal.add_working_days(D(2025, 1, 24), 5) == D(2025, 2, 7)
    assert cal.add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert cal.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)


def test_tet_2025_weekdays_are_days_off_and_work_resumes_on_3_february(
    cal: WorkingCalendar,
) -> None:
    for day in range(27, 32):
        assert not cal.is_working_day(D(2025, 1, day)), day
    assert cal.is_working_day(D(2025, 1, 24))
    assert cal.is_working_day(D(2025, 2, 3))


def test_tet_2026_monday_to_friday_are_days_off(cal: WorkingCalendar) -> None:
    for day in range(16, 21):
        assert not cal.is_working_day(D(2026, 2, day)), day
    assert cal.is_working_day(D(2026, 2, 13))
    assert cal.is_working_day(D(2026, 2, 23))
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    # Tue 10/2: Wed 11 = 1, Thu 12 = 2, Fri 13 = 3, Mon 23 = 4, Tue 24 = 5.
    assert cal.add_working_days(D(2026, 2, 10), 5) == D(2026, 2, 24)


def test_working_saturday_26_april_2025_counts_and_2_may_is_off(cal: WorkingCalendar) -> None:
    assert cal.is_working_day(D(2025, 4, 26))
    assert not cal.is_working_day(D(2025, 5, 2))
    # Fri 25/4: Sat 26 = 1, Mon 28 = 2, Tue 29 = 3, (30/4, 1/5, 2/5 off) Mon 5/5 = 4.
    assert cal.add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert cal.add_working_days(D(2025, 4, 25), 2) == D(2025, 4, 28)
    assert cal.add_working_days(D(2025, 4, 25), 4) == D(2025, 5, 5)


def test_national_day_2026_swap_makes_31_august_off_and_22_august_a_working_saturday(
    cal: WorkingCalendar,
) -> None:
    assert not cal.is_working_day(D(2026, 8, 31))
    assert cal.is_working_day(D(2026, 8, 22))
    assert cal.add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)
    # Fri 28/8: weekend, Mon 31/8 (swap), Tue 1/9 and Wed 2/9 (Quốc khánh) off.
    assert cal.add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)


def test_observed_day_of_a_holiday_on_saturday_is_off(cal: WorkingCalendar) -> None:
    # 1/5/2027 is a Saturday: Mon 3/5/2027 is the compensatory day (BLLĐ Art. 111(3)).
    assert not cal.is_working_day(D(2027, 5, 3))
    assert cal.holiday_name(D(2027, 5, 3)) == "Ngày Quốc tế Lao động (nghỉ bù)"


def test_library_cross_year_working_saturdays_stay_in_their_own_year() -> None:
    # The library reports 2014-12-27 and 2019-01-05 in `weekend_workdays`
    # whatever years are asked for; they are real (swapped with 2015-01-02
    # and 2018-12-31) and must not leak into other years.
    cal = WorkingCalendar(years=(2020, 2030))
    assert not cal.is_working_day(D(2025, 12, 27))  # a Saturday
    assert not cal.is_working_day(D(2026, 12, 27))  # a Sunday
    assert not cal.is_working_day(D(2025, 1, 4))  # a Saturday
    assert cal.is_working_day(D(2014, 12, 27))  # extends the calendar to 2014
    assert not cal.is_working_day(D(2015, 1, 2))
    assert cal.is_working_day(D(2019, 1, 5))
    assert not cal.is_working_day(D(2018, 12, 31))
    assert cal.years == (2014, 2030)


def test_library_does_not_know_the_new_year_2026_swap_so_it_is_an_override() -> None:
    # Văn bản 12729/VPCP-KGVX (25/12/2025): Fri 2/1/2026 off, Sat 10/1/2026 worked.
    plain = WorkingCalendar(years=(2025, 2026))
    assert plain.is_working_day(D(2026, 1, 2))
    assert not plain.is_working_day(D(2026, 1, 10))
    assert plain.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)

    swapped = WorkingCalendar(
        {
            D(2026, 1, 2): DayOverride(working=False, reason="Nghỉ Tết Dương lịch 2026"),
            D(2026, 1, 10): DayOverride(working=True, reason="Làm bù cho 2/1/2026"),
        },
        years=(2025, 2026),
    )
    assert not swapped.is_working_day(D(2026, 1, 2))
    assert swapped.is_working_day(D(2026, 1, 10))
    # Wed 31/12: Thu 1/1 holiday, Fri 2/1 off, weekend, Mon 5/1 = 1.
    assert swapped.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert swapped.holiday_name(D(2026, 1, 2)) == "Nghỉ Tết Dương lịch 2026"
    assert swapped.holiday_name(D(2026, 1, 10)) is None
    assert swapped.base_is_working_day(D(2026, 1, 2))


# --- calendar days (BLDS 2015 Art. 147–148) -------------------------------------


def test_calendar_day_period_ending_on_sunday_ends_on_monday(cal: WorkingCalendar) -> None:
    assert cal.add_calendar_days(D(2025, 3, 6), 3) == D(2025, 3, 10)  # 9/3 is a Sunday


def test_calendar_day_period_ending_in_tet_ends_on_the_first_working_day_after_it(
    cal: WorkingCalendar,
) -> None:
    assert cal.add_calendar_days(D(2025, 1, 20), 7) == D(2025, 2, 3)  # 27/1 is 29 Tết


def test_calendar_day_period_ending_on_a_swapped_day_off_rolls_forward(
    cal: WorkingCalendar,
) -> None:
    assert cal.add_calendar_days(D(2025, 4, 25), 7) == D(2025, 5, 5)  # 2/5/2025


def test_calendar_day_period_ending_on_a_working_saturday_does_not_roll(
    cal: WorkingCalendar,
) -> None:
    assert cal.add_calendar_days(D(2025, 4, 16), 10) == D(2025, 4, 26)


def test_start_day_is_not_counted(cal: WorkingCalendar) -> None:
    assert cal.add_calendar_days(D(2025, 3, 3), 1) == D(2025, 3, 4)
    assert cal.add_calendar_days(D(2025, 3, 3), 10) == D(2025, 3, 13)
    assert cal.add_working_days(D(2025, 3, 3), 1) == D(2025, 3, 4)
    # Starting on a Saturday: the first working day after it is day 1.
    assert cal.add_working_days(D(2025, 3, 8), 1) == D(2025, 3, 10)
    assert cal.working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0


def test_period_of_zero_days_ends_on_the_start_day_rolled_for_calendar_days(
    cal: WorkingCalendar,
) -> None:
    assert cal.add_working_days(D(2025, 3, 8), 0) == D(2025, 3, 8)
    assert cal.add_calendar_days(D(2025, 3, 8), 0) == D(2025, 3, 10)


def test_negative_period_is_refused_with_a_message(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match=r"A period cannot be negative \(-1 days\)"):
        cal.add_working_days(D(2025, 3, 3), -1)
    with pytest.raises(ValueError, match="cannot be negative"):
        cal.add_calendar_days(D(2025, 3, 3), -5)


def test_datetime_is_refused_because_its_day_depends_on_the_time_zone(
    cal: WorkingCalendar,
) -> None:
    moment = datetime.datetime(2025, 3, 3, 20, tzinfo=datetime.UTC)
    with pytest.raises(TypeError, match="not a datetime"):
        cal.add_working_days(moment, 1)


# --- the other helpers ------------------------------------------------------------


def test_working_days_between_counts_end_not_start_and_inverts_add_working_days(
    cal: WorkingCalendar,
) -> None:
    assert cal.working_days_between(D(2025, 1, 24), D(2025, 2, 7)) == 5
    assert cal.working_days_between(D(2025, 2, 7), D(2025, 1, 24)) == -5
    start = D(2024, 12, 1)
    for offset in range(0, 400, 7):
        day = start + datetime.timedelta(days=offset)
        for days in (1, 5, 10, 15, 30, 45, 60):
            due = cal.add_working_days(day, days)
            assert cal.working_days_between(day, due) == days, (day, days)
            assert cal.is_working_day(due)


def test_next_working_day_is_strictly_after_and_roll_forward_keeps_a_working_day(
    cal: WorkingCalendar,
) -> None:
    assert cal.next_working_day(D(2025, 3, 3)) == D(2025, 3, 4)
    assert cal.next_working_day(D(2025, 1, 24)) == D(2025, 2, 3)
    assert cal.roll_forward(D(2025, 3, 3)) == D(2025, 3, 3)
    assert cal.roll_forward(D(2025, 1, 25)) == D(2025, 2, 3)


def test_days_off_between_lists_every_non_working_day_after_start(
    cal: WorkingCalendar,
) -> None:
    days_off = cal.days_off_between(D(2025, 1, 24), D(2025, 2, 7))
    assert days_off == [D(2025, 1, 25) + datetime.timedelta(days=n) for n in range(9)]


def test_holiday_names_are_vietnamese_by_default_and_english_on_request(
    cal: WorkingCalendar,
) -> None:
    assert cal.holiday_name(D(2025, 1, 29)) == "Tết Nguyên Đán"
    assert cal.holiday_name(D(2025, 1, 29), language="en") == "Lunar New Year"
    assert cal.holiday_name(D(2025, 5, 2)) == "Ngày nghỉ (thay cho ngày 26/04/2025)"
    assert cal.holiday_name(D(2025, 5, 2), "en") == "Day off (substituted from 04/26/2025)"
    assert cal.holiday_name(D(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert cal.holiday_name(D(2025, 3, 5)) is None
    assert cal.holiday_name(D(2025, 3, 8)) is None  # an ordinary Saturday
    with pytest.raises(ValueError, match="No holiday names in language 'fr'"):
        cal.holiday_name(D(2025, 1, 29), language="fr")


def test_calendar_grows_past_its_years_when_asked() -> None:
    cal = WorkingCalendar(years=(2025, 2025))
    # Tue 30/12/2025: Wed 31/12 = 1, (1/1 holiday) Fri 2/1 = 2, Mon 5/1 = 3.
    assert cal.add_working_days(D(2025, 12, 30), 3) == D(2026, 1, 5)
    assert cal.years[1] >= 2026
    assert cal.add_working_days(D(2025, 1, 2), 2000) > D(2032, 1, 1)
    assert cal.is_working_day(D(2012, 3, 1))
    assert cal.years[0] == 2012


def test_dates_the_library_does_not_cover_are_refused_with_a_message() -> None:
    cal = WorkingCalendar(years=(2025, 2025))
    with pytest.raises(ValueError, match="covers the years 1901–2100"):
        cal.is_working_day(D(2101, 1, 3))
    with pytest.raises(ValueError, match="covers the years 1901–2100"):
        cal.add_working_days(D(2100, 12, 1), 100)


# --- the process calendar and the override table -----------------------------------


def _set(day: datetime.date, kind: str, reason: str = "Quyết định thử", **kwargs: str) -> None:
    calendar_override_set(actor=None, date=day, kind=kind, reason=reason, **kwargs)


@pytest.mark.django_db
def test_added_day_off_shifts_a_due_date_and_deleting_it_restores_it(
    django_capture_on_commit_callbacks,
) -> None:
    start = D(2027, 3, 1)  # Monday
    assert calendar_module.add_working_days(start, 5) == D(2027, 3, 8)
    with django_capture_on_commit_callbacks(execute=True):
        _set(D(2027, 3, 3), DAY_OFF)
    assert not calendar_module.is_working_day(D(2027, 3, 3))
    assert calendar_module.add_working_days(start, 5) == D(2027, 3, 9)
    assert calendar_module.holiday_name(D(2027, 3, 3)) == "Quyết định thử"

    with django_capture_on_commit_callbacks(execute=True):
        calendar_override_delete(
            actor=None, override=CalendarOverride.objects.get(date=D(2027, 3, 3))
        )
    assert calendar_module.add_working_days(start, 5) == D(2027, 3, 8)
    assert calendar_module.is_working_day(D(2027, 3, 3))


@pytest.mark.django_db
def test_added_working_saturday_shortens_a_due_date(
    django_capture_on_commit_callbacks,
) -> None:
    assert calendar_module.add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 8)
    assert calendar_module.add_calendar_days(D(2027, 3, 1), 5) == D(2027, 3, 8)
    with django_capture_on_commit_callbacks(execute=True):
        _set(D(2027, 3, 6), WORKING_DAY)
    assert calendar_module.add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 6)
    assert calendar_module.add_calendar_days(D(2027, 3, 1), 5) == D(2027, 3, 6)
    assert calendar_module.working_days_between(D(2027, 3, 5), D(2027, 3, 8)) == 2
    assert calendar_module.next_working_day(D(2027, 3, 5)) == D(2027, 3, 6)


@pytest.mark.django_db
def test_new_year_2026_swap_entered_as_overrides_moves_due_dates(
    django_capture_on_commit_callbacks,
) -> None:
    basis = "Văn bản 12729/VPCP-KGVX ngày 25/12/2025"
    with django_capture_on_commit_callbacks(execute=True):
        _set(D(2026, 1, 2), DAY_OFF, "Nghỉ Tết Dương lịch 2026", legal_basis=basis)
        _set(D(2026, 1, 10), WORKING_DAY, "Làm bù cho thứ Sáu 2/1/2026", legal_basis=basis)
    assert calendar_module.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    # Fri 9/1: Sat 10/1 is worked, so one working day later is 10/1.
    assert calendar_module.add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)


@pytest.mark.django_db
def test_calendar_changes_only_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
) -> None:
    assert calendar_module.is_working_day(D(2027, 3, 3))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _set(D(2027, 3, 3), DAY_OFF)
        assert calendar_module.is_working_day(D(2027, 3, 3))
    assert callbacks == [calendar_module.invalidate_calendar]
    callbacks[0]()
    assert not calendar_module.is_working_day(D(2027, 3, 3))


@pytest.mark.django_db
def test_change_made_by_another_process_is_noticed_after_at_most_one_second(
    clock: FakeClock,
) -> None:
    assert calendar_module.is_working_day(D(2027, 3, 3))
    # Another process commits an override and bumps the shared version.
    CalendarOverride.objects.create(date=D(2027, 3, 3), kind=DAY_OFF, reason="Khác")
    cache.set(calendar_module.VERSION_CACHE_KEY, 123456789)
    clock.now += 0.5
    assert calendar_module.is_working_day(D(2027, 3, 3))  # not looked at yet
    clock.now += 0.6
    assert not calendar_module.is_working_day(D(2027, 3, 3))


@pytest.mark.django_db
def test_version_is_read_at_most_once_per_second_and_no_query_per_computation(
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries,
) -> None:
    calendar_module.get_calendar()
    reads: list[object] = []
    real_read = calendar_module._read_version
    monkeypatch.setattr(calendar_module, "_read_version", lambda: reads.append(1) or real_read())
    with django_assert_num_queries(0):
        for offset in range(1500):
            calendar_module.add_working_days(D(2025, 1, 1) + datetime.timedelta(offset), 10)
            clock.now += 0.001
    assert len(reads) == 1  # 1.5 s of fake time: looked at once, after 1 s


@pytest.mark.django_db
def test_calendar_is_rebuilt_after_max_age_even_without_a_shared_cache(
    clock: FakeClock,
) -> None:
    assert calendar_module.is_working_day(D(2027, 3, 3))
    CalendarOverride.objects.create(date=D(2027, 3, 3), kind=DAY_OFF, reason="Khác")
    clock.now += 10
    assert calendar_module.is_working_day(D(2027, 3, 3))  # version unchanged
    clock.now += calendar_module.MAX_AGE
    assert not calendar_module.is_working_day(D(2027, 3, 3))


def test_invalidate_calendar_changes_the_version_even_when_the_key_was_evicted() -> None:
    cache.delete(calendar_module.VERSION_CACHE_KEY)
    calendar_module.invalidate_calendar()
    first = cache.get(calendar_module.VERSION_CACHE_KEY)
    assert first is not None
    calendar_module.invalidate_calendar()
    assert cache.get(calendar_module.VERSION_CACHE_KEY) not in (None, first)


@pytest.mark.django_db
def test_calendar_keeps_the_years_it_grew_to_when_rebuilt(
    django_capture_on_commit_callbacks,
) -> None:
    calendar_module.is_working_day(D(2040, 1, 2))
    with django_capture_on_commit_callbacks(execute=True):
        _set(D(2027, 3, 3), DAY_OFF)
    assert calendar_module.get_calendar().years[1] >= 2040


@time_machine.travel(datetime.datetime(2031, 7, 1, 9, tzinfo=datetime.UTC), tick=False)
@pytest.mark.django_db
def test_due_dates_do_not_depend_on_today() -> None:
    assert calendar_module.add_working_days(D(2025, 1, 24), 5) == D(2025, 2, 7)
    assert calendar_module.add_calendar_days(D(2025, 4, 25), 7) == D(2025, 5, 5)


# --- the services ------------------------------------------------------------------


@pytest.mark.django_db
def test_setting_an_override_records_an_audit_event(django_user_model: type) -> None:
    admin = django_user_model.objects.create_user(username="quantri", password="x")
    override = calendar_override_set(
        actor=admin,
        date=D(2027, 3, 3),
        kind=DAY_OFF,
        reason="  Nghỉ thêm  ",
        legal_basis="Thông báo 1/TB-BNV",
    )
    assert override.reason == "Nghỉ thêm"
    event = AuditEvent.objects.get(action="calendaroverride.set")
    assert event.actor == admin
    assert event.target_id == str(override.pk)
    assert event.data == {
        "created": True,
        "date": "2027-03-03",
        "kind": "day_off",
        "reason": "Nghỉ thêm",
        "legal_basis": "Thông báo 1/TB-BNV",
        "previous": None,
    }


@pytest.mark.django_db
def test_setting_an_override_again_updates_it_and_records_the_previous_values() -> None:
    first = calendar_override_set(actor=None, date=D(2027, 3, 3), kind=DAY_OFF, reason="Cũ")
    second = calendar_override_set(actor=None, date=D(2027, 3, 3), kind=DAY_OFF, reason="Mới")
    assert second.pk == first.pk
    assert CalendarOverride.objects.get(date=D(2027, 3, 3)).reason == "Mới"
    assert CalendarOverride.objects.filter(date=D(2027, 3, 3)).count() == 1
    event = AuditEvent.objects.filter(action="calendaroverride.set").order_by("id").last()
    assert event is not None
    assert event.data["created"] is False
    assert event.data["previous"]["reason"] == "Cũ"


@pytest.mark.django_db
def test_deleting_an_override_records_an_audit_event() -> None:
    override = calendar_override_set(actor=None, date=D(2027, 3, 3), kind=DAY_OFF, reason="X")
    calendar_override_delete(actor=None, override=override)
    assert not CalendarOverride.objects.filter(date__year=2027).exists()
    event = AuditEvent.objects.get(action="calendaroverride.delete")
    assert event.data["date"] == "2027-03-03"
    assert event.target_type == "core.calendaroverride"


@pytest.mark.django_db
def test_override_without_a_reason_is_refused() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        calendar_override_set(actor=None, date=D(2027, 3, 3), kind=DAY_OFF, reason="  ")
    assert raised.value.message_dict == {
        "reason": ["Give the reason for this day off or working day."]
    }
    assert not CalendarOverride.objects.filter(date__year=2027).exists()


@pytest.mark.django_db
def test_extra_working_day_on_a_working_day_is_refused() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        calendar_override_set(actor=None, date=D(2027, 3, 3), kind=WORKING_DAY, reason="X")
    assert raised.value.message_dict == {
        "kind": [
            "3/3/2027 is already a working day; only a weekend day or a holiday "
            "can be made a working day."
        ]
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [D(2027, 3, 6), D(2025, 1, 29), D(2025, 5, 2)],
    ids=["saturday", "tet", "swapped-day-off"],
)
def test_extra_day_off_on_a_day_off_is_refused(day: datetime.date) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        calendar_override_set(actor=None, date=day, kind=DAY_OFF, reason="X")
    expected = f"{day.day}/{day.month}/{day.year} is already a day off; "
    assert raised.value.message_dict["kind"] == [
        expected + "only a working day can be made a day off."
    ]


@pytest.mark.django_db
def test_working_saturday_of_the_library_cannot_be_made_a_working_day_again() -> None:
    with pytest.raises(ValidationError) as raised:
        calendar_override_set(actor=None, date=D(2025, 4, 26), kind=WORKING_DAY, reason="X")
    assert "kind" in raised.value.message_dict


@pytest.mark.django_db
def test_override_beyond_the_years_the_library_knows_is_refused() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        calendar_override_set(actor=None, date=D(2101, 3, 3), kind=DAY_OFF, reason="X")
    assert raised.value.message_dict == {"date": ["Choose a date in the years 1901 to 2100."]}


@pytest.mark.django_db
def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        calendar_override_set(actor=None, date=D(2027, 3, 3), kind="holiday", reason="X")
    assert "kind" in raised.value.message_dict
    assert not CalendarOverride.objects.filter(date__year=2027).exists()


# --- the back-office pages ---------------------------------------------------------


@pytest.fixture
def override_admin(client, django_user_model, settings):
    """A superuser's client, with the override pages reachable.

    The pages are registered in the back-office menu by `wagtail_hooks`; until
    they are, they are mounted here the same way Wagtail mounts them.
    """
    from wagtail.admin.viewsets import viewsets

    from config import urls as project_urls
    from danvan.core.viewsets_calendar import calendar_override_viewset

    patterns = list(project_urls.urlpatterns)
    if not any(viewset.name == "calendar_overrides" for viewset in viewsets.viewsets):
        patterns.insert(
            0,
            path(
                "admin/calendar_overrides/",
                include(
                    (calendar_override_viewset.get_urlpatterns(), "calendar_overrides"),
                    namespace="calendar_overrides",
                ),
            ),
        )
    urlconf = ModuleType("calendar_override_test_urls")
    urlconf.urlpatterns = patterns  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = urlconf
    admin = django_user_model.objects.create_superuser(username="admin", password="x")
    client.force_login(admin)
    client.user = admin
    return client


@pytest.mark.django_db
def test_admin_adds_an_override_through_the_service(override_admin) -> None:
    response = override_admin.post(
        reverse("calendar_overrides:add"),
        {"date": "2027-03-03", "kind": "day_off", "reason": "Nghỉ thêm", "legal_basis": ""},
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get(date__year=2027)
    assert override.date == D(2027, 3, 3)
    event = AuditEvent.objects.get(action="calendaroverride.set")
    assert event.actor == override_admin.user


@pytest.mark.django_db
def test_admin_sees_the_service_refusal_on_the_form(override_admin) -> None:
    response = override_admin.post(
        reverse("calendar_overrides:add"),
        {"date": "2027-03-03", "kind": "working_day", "reason": "X", "legal_basis": ""},
    )
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert "3/3/2027" in response.context["form"].errors["kind"][0]
    assert not CalendarOverride.objects.filter(date__year=2027).exists()


@pytest.mark.django_db
def test_admin_moves_an_override_to_another_date(override_admin) -> None:
    override = calendar_override_set(actor=None, date=D(2027, 3, 3), kind=DAY_OFF, reason="X")
    response = override_admin.post(
        reverse("calendar_overrides:edit", args=[override.pk]),
        {"date": "2027-03-04", "kind": "day_off", "reason": "Y", "legal_basis": ""},
    )
    assert response.status_code == 302
    moved = CalendarOverride.objects.filter(date__year=2027).values_list("date", "reason")
    assert list(moved) == [(D(2027, 3, 4), "Y")]
    actions = list(
        AuditEvent.objects.filter(action__startswith="calendaroverride.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["calendaroverride.set", "calendaroverride.delete", "calendaroverride.set"]


@pytest.mark.django_db
def test_admin_deletes_an_override_through_the_service(override_admin) -> None:
    override = calendar_override_set(actor=None, date=D(2027, 3, 3), kind=DAY_OFF, reason="X")
    response = override_admin.post(reverse("calendar_overrides:delete", args=[override.pk]))
    assert response.status_code == 302
    assert not CalendarOverride.objects.filter(date__year=2027).exists()
    assert AuditEvent.objects.filter(action="calendaroverride.delete").count() == 1


@pytest.mark.django_db
def test_admin_list_filters_by_kind_and_year_and_searches_the_reason(override_admin) -> None:
    CalendarOverride.objects.all().delete()  # whatever reference data was loaded
    calendar_override_set(actor=None, date=D(2027, 3, 3), kind=DAY_OFF, reason="Nghỉ lễ A")
    calendar_override_set(actor=None, date=D(2028, 3, 4), kind=WORKING_DAY, reason="Làm bù B")
    url = reverse("calendar_overrides:index")

    def listed(**params: str) -> list[str]:
        response = override_admin.get(url, params)
        assert response.status_code == 200
        return [str(obj.reason) for obj in response.context["object_list"]]

    assert listed() == ["Làm bù B", "Nghỉ lễ A"]
    assert listed(kind="day_off") == ["Nghỉ lễ A"]
    assert listed(year="2028") == ["Làm bù B"]
    assert listed(q="bù") == ["Làm bù B"]


@pytest.mark.django_db
def test_admin_pages_render(override_admin) -> None:
    override = calendar_override_set(actor=None, date=D(2027, 3, 3), kind=DAY_OFF, reason="X")
    for url in (
        reverse("calendar_overrides:index"),
        reverse("calendar_overrides:add"),
        reverse("calendar_overrides:edit", args=[override.pk]),
        reverse("calendar_overrides:delete", args=[override.pk]),
    ):
        assert override_admin.get(url).status_code == 200, url


@pytest.mark.django_db
def test_override_pages_are_closed_to_staff_without_permission(
    client, django_user_model, override_admin
) -> None:
    from django.contrib.auth.models import Permission

    officer = django_user_model.objects.create_user(username="canbo", password="x")
    officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(officer)
    response = client.get(reverse("calendar_overrides:add"))
    assert response.status_code in (302, 403)
    assert not CalendarOverride.objects.filter(date__year=2027).exists()
