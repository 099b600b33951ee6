"""Working days of Vietnamese state agencies and the counting of periods.

A working day is Monday to Friday (QĐ 188/1999/QĐ-TTg Art. 1: a 40-hour
week, Saturday and Sunday off) that is not a public holiday or an official
day off, plus the official working Saturdays (*ngày làm bù*):

1. public holidays of Bộ luật Lao động 2019 Art. 112(1) and their
   compensatory days (Art. 111(3)), as the `holidays` library computes them
   (country VN, lunar dates on the Vietnamese calendar);
2. the Prime Minister's yearly swaps (Art. 112(3)), which the library knows
   up to its release, with the swapped Saturdays in `weekend_workdays`;
3. the `CalendarOverride` table on top, where an administrator enters what
   the library does not know yet (an extra day off, an extra working day).

Periods are counted as Bộ luật Dân sự 2015 (91/2015/QH13) says: the start
day is not counted (Art. 147(2)), a period ends at the end of its last day
(Art. 148(1)), and when that day is a weekend day or a holiday the period
ends at the end of the next working day (Art. 148(5)). A period in working
days skips every non-working day.

`WorkingCalendar` holds a sorted array of the ordinals of working days over
a range of years and answers with `bisect`, so a due date costs about a
microsecond. `get_calendar()` returns this process's calendar, rebuilt when
another process bumps the override version in Django's cache (checked at
most once a second) and at least every few minutes, so no computation
queries the database.
"""

import bisect
import datetime
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from holidays import country_holidays
from holidays.countries.vietnam import Vietnam

logger = logging.getLogger(__name__)

#: Years covered when no setting says otherwise; later years are added lazily.
DEFAULT_YEARS: Final = (2010, 2035)
#: The years for which the `holidays` library knows Vietnam's holidays.
MIN_YEAR: Final[int] = int(getattr(Vietnam, "start_year", 1901))
MAX_YEAR: Final[int] = int(getattr(Vietnam, "end_year", 2100))
#: Django cache key of the override version, bumped by `invalidate_calendar`.
VERSION_CACHE_KEY: Final = "danvan:calendar:version"
#: Seconds between two looks at the override version.
CHECK_INTERVAL: Final = 1.0
#: Seconds after which the calendar is rebuilt anyway (a safety net for a
#: cache that other processes do not share, such as the local-memory one).
MAX_AGE: Final = 300.0
#: Years added beyond the one asked for when the range has to grow.
_EXTEND_MARGIN: Final = 5
#: The least number of working days in a year, to size an extension.
_MIN_WORKING_DAYS_PER_YEAR: Final = 200

_LIBRARY_LANGUAGES: Final = {"vi": "vi", "en": "en_US", "th": "th"}


@dataclass(frozen=True, slots=True)
class DayOverride:
    """An administrator's decision about one day, layered on the library.

    `working` is True for an extra working day (a swapped Saturday), False
    for an extra day off; `reason` names the decision, e.g. "Nghỉ Tết Dương
    lịch 2026 (hoán đổi với thứ Bảy 10/01/2026)".
    """

    working: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class _LibraryYear:
    """What the `holidays` library says about one year, as day ordinals."""

    days_off: frozenset[int]
    weekend_workdays: frozenset[int]
    names: Mapping[int, str]


@dataclass(frozen=True, slots=True)
class _Table:
    """The working days of a contiguous range of whole years."""

    first_year: int
    last_year: int
    first_ordinal: int
    flags: bytes  # flags[o - first_ordinal] == 1 when day o is a working day
    base_flags: bytes  # the same before the override table is applied
    working: list[int]  # sorted ordinals of the working days


_library_lock = threading.Lock()
_library_years: dict[int, _LibraryYear] = {}
_library_names: dict[tuple[int, str], Mapping[int, str]] = {}


def _library_language(language: str) -> str:
    """Return the `holidays` language code for a Django language code."""
    code = _LIBRARY_LANGUAGES.get(language.lower().replace("_", "-").split("-")[0])
    if code is None:
        raise ValueError(f"No holiday names in language {language!r}; use 'vi' or 'en'.")
    return code


def _check_year_range(first_year: int, last_year: int) -> None:
    if first_year < MIN_YEAR or last_year > MAX_YEAR:
        raise ValueError(
            f"The working calendar covers the years {MIN_YEAR}–{MAX_YEAR} "
            f"(those the holidays library knows); {first_year}–{last_year} was asked for."
        )


def _load_library_years(first_year: int, last_year: int) -> dict[int, _LibraryYear]:
    """Return the library's data for the years, computing missing ones once.

    The library lists the working Saturdays of cross-year swaps (2014-12-27
    for the day off of 2015-01-02, 2019-01-05 for 2018-12-31) in
    `weekend_workdays` whatever years were asked for. The dates themselves
    are right, so each is kept only under its own year, and only if it falls
    on a weekend, which is the only case where it changes anything.
    """
    _check_year_range(first_year, last_year)
    wanted = range(first_year, last_year + 1)
    with _library_lock:
        missing = [year for year in wanted if year not in _library_years]
        if missing:
            calendar = country_holidays("VN", years=missing, language="vi")
            missing_set = set(missing)
            days_off: dict[int, set[int]] = {year: set() for year in missing}
            names: dict[int, dict[int, str]] = {year: {} for year in missing}
            for day, name in calendar.items():
                if day.year in missing_set:
                    days_off[day.year].add(day.toordinal())
                    names[day.year][day.toordinal()] = name
            workdays: dict[int, set[int]] = {year: set() for year in missing}
            for day in calendar.weekend_workdays:
                if day.year in missing_set and day.weekday() >= 5:
                    workdays[day.year].add(day.toordinal())
            for year in missing:
                _library_years[year] = _LibraryYear(
                    days_off=frozenset(days_off[year]),
                    weekend_workdays=frozenset(workdays[year]),
                    names=names[year],
                )
                _library_names[(year, "vi")] = names[year]
        return {year: _library_years[year] for year in wanted}


def _load_library_names(year: int, language: str) -> Mapping[int, str]:
    """Return the library's holiday names of `year` in `language`."""
    code = _library_language(language)
    key = (year, code)
    with _library_lock:
        names = _library_names.get(key)
    if names is None:
        _check_year_range(year, year)
        calendar = country_holidays("VN", years=year, language=code)
        names = {day.toordinal(): name for day, name in calendar.items() if day.year == year}
        with _library_lock:
            _library_names[key] = names
    return names


def _build_table(first_year: int, last_year: int, overrides: Mapping[int, DayOverride]) -> _Table:
    """Compute the working days of the years, then apply the overrides."""
    library = _load_library_years(first_year, last_year)
    first_ordinal = datetime.date(first_year, 1, 1).toordinal()
    base = bytearray()
    for year in range(first_year, last_year + 1):
        data = library[year]
        start = datetime.date(year, 1, 1).toordinal()
        end = datetime.date(year, 12, 31).toordinal() + 1
        for ordinal in range(start, end):
            # date.fromordinal(1) is a Monday, so the weekday is (o - 1) % 7.
            if (ordinal - 1) % 7 < 5:
                base.append(0 if ordinal in data.days_off else 1)
            else:
                base.append(1 if ordinal in data.weekend_workdays else 0)
    flags = bytearray(base)
    for ordinal, override in overrides.items():
        index = ordinal - first_ordinal
        if 0 <= index < len(flags):
            flags[index] = 1 if override.working else 0
    working = [first_ordinal + index for index, flag in enumerate(flags) if flag]
    return _Table(
        first_year=first_year,
        last_year=last_year,
        first_ordinal=first_ordinal,
        flags=bytes(flags),
        base_flags=bytes(base),
        working=working,
    )


_DATE: Final = datetime.date
_from_ordinal: Final = datetime.date.fromordinal
_bisect_right: Final = bisect.bisect_right


def _ordinal(day: datetime.date) -> int:
    if isinstance(day, datetime.datetime):
        raise TypeError(
            "Pass a date (e.g. timezone.localdate(value)), not a datetime: "
            "the day depends on the time zone."
        )
    return day.toordinal()


def _check_days(days: int) -> None:
    if days < 0:
        raise ValueError(f"A period cannot be negative ({days} days).")


class WorkingCalendar:
    """The working days over a range of years, with overrides applied.

    Built once from the `holidays` library and a mapping of overrides; grows
    lazily (thread-safely) when asked about a day outside its years. Has no
    database or cache access: `get_calendar()` feeds it the override table.
    """

    __slots__ = ("_lock", "_overrides", "_table")

    def __init__(
        self,
        overrides: Mapping[datetime.date, DayOverride] | None = None,
        *,
        years: tuple[int, int] = DEFAULT_YEARS,
    ) -> None:
        """Build the calendar for `years` (both included)."""
        first_year, last_year = years
        if first_year > last_year:
            raise ValueError(f"Empty range of years: {first_year}–{last_year}.")
        self._lock = threading.Lock()
        self._overrides: dict[int, DayOverride] = {
            _ordinal(day): override for day, override in (overrides or {}).items()
        }
        self._table = _build_table(first_year, last_year, self._overrides)

    def __repr__(self) -> str:
        first, last = self.years
        return f"<WorkingCalendar {first}–{last}, {len(self._overrides)} overrides>"

    @property
    def years(self) -> tuple[int, int]:
        """Return the first and last year computed so far."""
        table = self._table
        return table.first_year, table.last_year

    @property
    def overrides(self) -> dict[datetime.date, DayOverride]:
        """Return the overrides applied on top of the library, by date."""
        return {
            datetime.date.fromordinal(ordinal): override
            for ordinal, override in sorted(self._overrides.items())
        }

    def _extend(self, first_year: int, last_year: int) -> _Table:
        """Return a table covering the years, rebuilding it if needed."""
        _check_year_range(first_year, last_year)
        with self._lock:
            table = self._table
            if table.first_year <= first_year and last_year <= table.last_year:
                return table
            if last_year > table.last_year:
                # Grow by a few years at once rather than one year at a time.
                last_year = min(MAX_YEAR, last_year + _EXTEND_MARGIN)
            table = _build_table(
                min(first_year, table.first_year),
                max(last_year, table.last_year),
                self._overrides,
            )
            self._table = table
            return table

    def _table_for(self, ordinal: int) -> _Table:
        """Return a table covering the day `ordinal`."""
        table = self._table
        if 0 <= ordinal - table.first_ordinal < len(table.flags):
            return table
        return self._table_covering(ordinal, ordinal)

    def _table_covering(self, first: int, last: int) -> _Table:
        """Return a table covering the days `first` to `last` (ordinals)."""
        table = self._table
        size = len(table.flags)
        if 0 <= first - table.first_ordinal < size and 0 <= last - table.first_ordinal < size:
            return table
        if not 1 <= first <= last <= datetime.date.max.toordinal():
            raise ValueError(
                f"The working calendar covers the years {MIN_YEAR}–{MAX_YEAR} "
                "(those the holidays library knows); the date is outside them."
            )
        return self._extend(
            datetime.date.fromordinal(first).year, datetime.date.fromordinal(last).year
        )

    def _on_or_after(self, ordinal: int) -> datetime.date:
        """Return the first working day on or after the day `ordinal`."""
        table = self._table_for(ordinal)
        index = bisect.bisect_left(table.working, ordinal)
        while index == len(table.working):
            table = self._extend(table.last_year + 1, table.last_year + 1)
            index = bisect.bisect_left(table.working, ordinal)
        return datetime.date.fromordinal(table.working[index])

    def is_working_day(self, day: datetime.date) -> bool:
        """Return whether state agencies work on `day`.

        Monday to Friday unless a public holiday or an official day off
        (BLLĐ 2019 Art. 111–112; QĐ 188/1999/QĐ-TTg Art. 1), plus official
        working Saturdays, with the override table applied.
        """
        ordinal = _ordinal(day)
        table = self._table_for(ordinal)
        return table.flags[ordinal - table.first_ordinal] == 1

    def base_is_working_day(self, day: datetime.date) -> bool:
        """Return whether `day` is a working day before any override.

        This is what the law and the `holidays` library say; an override is
        meaningful only where it differs from this.
        """
        ordinal = _ordinal(day)
        table = self._table_for(ordinal)
        return table.base_flags[ordinal - table.first_ordinal] == 1

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """Return the first working day strictly after `day`.

        This is "ngày làm việc tiếp theo" of BLDS 2015 Art. 148(5).
        """
        return self._on_or_after(_ordinal(day) + 1)

    def roll_forward(self, day: datetime.date) -> datetime.date:
        """Return `day` if it is a working day, else the next working day.

        BLDS 2015 Art. 148(5): a period whose last day is a weekend day or a
        holiday ends at the end of the next working day.
        """
        ordinal = _ordinal(day)
        table = self._table_for(ordinal)
        if table.flags[ordinal - table.first_ordinal]:
            return day
        return self._on_or_after(ordinal)

    def add_calendar_days(self, start: datetime.date, days: int) -> datetime.date:
        """Return the last day of a period of `days` calendar days.

        BLDS 2015 Art. 147(2): the start day is not counted, so the period
        ends on `start + days`; Art. 148(5): if that day is a weekend day or
        a holiday, the period ends on the next working day. With `days` 0
        the period ends on `start`, rolled forward the same way.
        """
        if days < 0 or type(start) is not _DATE:
            _check_days(days)
            _ordinal(start)
        ordinal = start.toordinal() + days
        table = self._table
        index = ordinal - table.first_ordinal
        if 0 <= index < len(table.flags) and table.flags[index]:
            return _from_ordinal(ordinal)
        return self._on_or_after(ordinal)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """Return the last day of a period of `days` working days.

        The start day is not counted (BLDS 2015 Art. 147(2)); weekend days,
        public holidays and official days off are skipped and official
        working Saturdays count. With `days` 0 the result is `start`.
        """
        if days < 1 or type(start) is not _DATE:
            _check_days(days)
            _ordinal(start)
            if days == 0:
                return start
        ordinal = start.toordinal()
        table = self._table
        working = table.working
        if 0 <= ordinal - table.first_ordinal < len(table.flags):
            index = _bisect_right(working, ordinal) + days - 1
            if index < len(working):
                return _from_ordinal(working[index])
        table = self._table_for(ordinal)
        index = _bisect_right(table.working, ordinal) + days - 1
        while index >= len(table.working):
            missing = index - len(table.working) + 1
            years = math.ceil(missing / _MIN_WORKING_DAYS_PER_YEAR)
            table = self._extend(table.last_year + 1, table.last_year + years)
            index = _bisect_right(table.working, ordinal) + days - 1
        return _from_ordinal(table.working[index])

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Return the number of working days after `start`, up to `end`.

        `start` is not counted and `end` is, so that
        `working_days_between(s, add_working_days(s, n)) == n`. When `end` is
        before `start` the count is negative.
        """
        start_ordinal, end_ordinal = _ordinal(start), _ordinal(end)
        table = self._table_covering(
            min(start_ordinal, end_ordinal), max(start_ordinal, end_ordinal)
        )
        return bisect.bisect_right(table.working, end_ordinal) - bisect.bisect_right(
            table.working, start_ordinal
        )

    def holiday_name(self, day: datetime.date, language: str = "vi") -> str | None:
        """Return the name of the holiday or official day off on `day`.

        Names come from the `holidays` library in Vietnamese ("vi", the
        default) or English ("en"); a day off from the override table is
        named by its reason, as entered. Return None for a working day that
        is not a holiday and for an ordinary weekend day.
        """
        ordinal = _ordinal(day)
        override = self._overrides.get(ordinal)
        if override is not None:
            return None if override.working else (override.reason or None)
        return _load_library_names(day.year, language).get(ordinal)

    def days_off_between(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """Return the non-working days after `start`, up to `end` included."""
        first, last = _ordinal(start) + 1, _ordinal(end)
        if last < first:
            return []
        table = self._table_covering(first, last)
        offset = table.first_ordinal
        return [
            datetime.date.fromordinal(ordinal)
            for ordinal in range(first, last + 1)
            if not table.flags[ordinal - offset]
        ]


class _ProcessCalendar:
    """This process's calendar and what is known about its freshness."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calendar: WorkingCalendar | None = None
        self.version: object = None
        self.checked_at = -math.inf
        self.built_at = -math.inf


_process = _ProcessCalendar()
_UNAVAILABLE: Final = object()
_STALE: Final = object()
#: The clock used to space the version checks (replaceable in tests).
_clock: Callable[[], float] = time.monotonic


def _configured_years() -> tuple[int, int]:
    from django.conf import settings

    first, last = getattr(settings, "DANVAN_CALENDAR_YEARS", DEFAULT_YEARS)
    return int(first), int(last)


def _read_version() -> object:
    from django.core.cache import cache

    try:
        return cache.get(VERSION_CACHE_KEY)
    except Exception:
        logger.warning("Cannot read the calendar version from the cache", exc_info=True)
        return _UNAVAILABLE


def _load_overrides() -> dict[datetime.date, DayOverride]:
    from danvan.core.models import CalendarOverride

    rows = CalendarOverride.objects.values_list("date", "kind", "reason")
    return {
        day: DayOverride(working=kind == CalendarOverride.Kind.WORKING_DAY, reason=reason)
        for day, kind, reason in rows
    }


def _refresh(now: float) -> WorkingCalendar:
    state = _process
    with state.lock:
        calendar = state.calendar
        if calendar is not None and now - state.checked_at < CHECK_INTERVAL:
            return calendar
        # Read the version before the table: a change committed after the
        # read bumps the version again, so it is seen at the next check.
        version = _read_version()
        if (
            calendar is None
            or version is _UNAVAILABLE
            or version != state.version
            or now - state.built_at >= MAX_AGE
        ):
            first, last = _configured_years()
            if calendar is not None:
                first, last = min(first, calendar.years[0]), max(last, calendar.years[1])
            calendar = WorkingCalendar(_load_overrides(), years=(first, last))
            state.calendar, state.version, state.built_at = calendar, version, now
        state.checked_at = now
        return calendar


def get_calendar() -> WorkingCalendar:
    """Return this process's calendar, with the override table applied.

    Built from `settings.DANVAN_CALENDAR_YEARS` (extended lazily) and the
    `CalendarOverride` rows; rebuilt when the override version in Django's
    cache changes (looked at no more than once per `CHECK_INTERVAL`) and
    every `MAX_AGE` seconds. Other processes notice a change only through a
    cache they share (Redis, a database or file cache); with a local-memory
    cache they notice it within `MAX_AGE`.
    """
    calendar = _process.calendar
    now = _clock()
    if calendar is not None and now - _process.checked_at < CHECK_INTERVAL:
        return calendar
    return _refresh(now)


def reset_calendar_cache() -> None:
    """Forget this process's calendar; the next `get_calendar()` rebuilds it.

    Tests call this between cases, since each one rolls the database back.
    """
    state = _process
    with state.lock:
        state.calendar = None
        state.version = None
        state.checked_at = -math.inf
        state.built_at = -math.inf


def invalidate_calendar() -> None:
    """Tell every process that the override table changed.

    Bumps the version in Django's cache and marks this process's calendar
    stale. Services call it with `transaction.on_commit`, so that other
    processes rebuild only once the change is visible to them.
    """
    from django.core.cache import cache

    try:
        try:
            cache.incr(VERSION_CACHE_KEY)
        except (ValueError, TypeError):
            # Missing (never set, evicted or cleared) or not a number: start
            # from a value no process can have seen before.
            cache.set(VERSION_CACHE_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.warning("Cannot bump the calendar version in the cache", exc_info=True)
    state = _process
    with state.lock:
        # Keep the calendar (and the years it grew to) but rebuild it next time.
        state.version = _STALE
        state.checked_at = -math.inf


def is_working_day(day: datetime.date) -> bool:
    """Return whether state agencies work on `day` (see `WorkingCalendar`)."""
    return get_calendar().is_working_day(day)


def next_working_day(day: datetime.date) -> datetime.date:
    """Return the first working day after `day` (BLDS 2015 Art. 148(5))."""
    return get_calendar().next_working_day(day)


def roll_forward(day: datetime.date) -> datetime.date:
    """Return `day`, or the next working day if it is a day off (Art. 148(5))."""
    return get_calendar().roll_forward(day)


def add_calendar_days(start: datetime.date, days: int) -> datetime.date:
    """Return the due date of `days` calendar days from `start`.

    BLDS 2015 Art. 147(2): the start day is not counted; Art. 148(5): a due
    date on a weekend day or holiday moves to the next working day.
    """
    return get_calendar().add_calendar_days(start, days)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """Return the due date of `days` working days from `start` (start excluded)."""
    return get_calendar().add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Return the number of working days after `start`, up to `end` included."""
    return get_calendar().working_days_between(start, end)


def holiday_name(day: datetime.date, language: str = "vi") -> str | None:
    """Return the holiday's name on `day` in Vietnamese, or English ("en")."""
    return get_calendar().holiday_name(day, language)
