"""`manage.py deadline`: compute a statutory due date from the command line.

The due date, in ISO form, is always the last line of the output; other
tools read it (docs: architecture, "Contracts other tools rely on").
"""

import datetime
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from danvan.core.calendar import WorkingCalendar, get_calendar

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")
_LISTED_DAYS_OFF = 6


def _parse_start(value: str | None) -> datetime.date:
    if value is None:
        raise CommandError("Give the start date with --start YYYY-MM-DD.")
    try:
        if not _ISO_DATE.fullmatch(value.strip()):
            raise ValueError(value)
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"Invalid --start {value!r}: expected a date in the form YYYY-MM-DD, e.g. 2025-01-24."
        ) from None


def _parse_days(option: str, value: str) -> int:
    if not _WHOLE_NUMBER.fullmatch(value.strip()) or int(value) < 0:
        raise CommandError(
            f"Invalid {option} {value!r}: expected a whole number of days, 0 or more."
        )
    return int(value)


def _describe(day: datetime.date) -> str:
    return f"{day.isoformat()} ({day:%A})"


def _days_off_lines(
    calendar: WorkingCalendar, start: datetime.date, due: datetime.date
) -> list[str]:
    """Describe the days off skipped between `start` and `due`."""
    days_off = calendar.days_off_between(start, due)
    if not days_off:
        return ["Days off skipped: none."]
    named = [
        (day, name)
        for day in days_off
        if (name := calendar.holiday_name(day, language="en")) is not None
    ]
    lines = [
        f"Days off skipped: {len(days_off)}, of which {len(named)} are public holidays "
        "or official days off."
    ]
    for day, name in named[:_LISTED_DAYS_OFF]:
        lines.append(f"  {_describe(day)}: {name}")
    if len(named) > _LISTED_DAYS_OFF:
        lines.append(f"  and {len(named) - _LISTED_DAYS_OFF} more.")
    return lines


class Command(BaseCommand):
    help = (
        "Print the due date of a period that starts on --start, in calendar days "
        "(BLDS 2015 Art. 147-148: start day not counted, a due date on a day off moves "
        "to the next working day) or in working days. The last line is the due date "
        "in ISO form (YYYY-MM-DD)."
    )
    # Input is checked before anything touches the database; the system checks
    # would open a connection first and hide a bad date behind a database error.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--start", metavar="YYYY-MM-DD", help="the day the period starts from (not counted)"
        )
        parser.add_argument("--days", metavar="N", help="length of the period in calendar days")
        parser.add_argument(
            "--working-days",
            dest="working_days",
            metavar="N",
            help="length of the period in working days",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days, working_days = options["days"], options["working_days"]
        if days is None and working_days is None:
            raise CommandError(
                "Give the length of the period with --days N (calendar days) "
                "or --working-days N (working days)."
            )
        if days is not None and working_days is not None:
            raise CommandError("Give either --days or --working-days, not both.")
        start = _parse_start(options["start"])
        if days is not None:
            count, in_working_days = _parse_days("--days", days), False
        else:
            count, in_working_days = _parse_days("--working-days", working_days), True
        try:
            calendar = get_calendar()
        except DatabaseError as error:
            raise CommandError(
                f"Cannot read the calendar overrides ({error}); run `manage.py migrate` first."
            ) from error
        lines = [f"Start: {_describe(start)}, not counted (BLDS 2015 Art. 147(2))."]
        try:
            if in_working_days:
                due = calendar.add_working_days(start, count)
                lines.append(
                    f"Period: {count} working days; weekends, public holidays and official "
                    "days off are skipped, official working Saturdays count."
                )
                lines.extend(_days_off_lines(calendar, start, due))
            else:
                due = calendar.add_calendar_days(start, count)
                end = start + datetime.timedelta(days=count)
                lines.append(f"Period: {count} calendar days, to {_describe(end)}.")
                if due != end:
                    name = calendar.holiday_name(end, language="en")
                    what = f"not a working day ({name})" if name else "not a working day"
                    lines.append(
                        f"{_describe(end)} is {what}, so the period ends on the next "
                        "working day (BLDS 2015 Art. 148(5))."
                    )
        except (ValueError, OverflowError) as error:
            raise CommandError(str(error)) from error
        lines.append(f"Due: end of {_describe(due)} (BLDS 2015 Art. 148(1)).")
        lines.append(due.isoformat())
        for line in lines:
            self.stdout.write(line)
