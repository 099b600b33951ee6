"""Benchmark: due-date computations per second through `danvan.core.calendar`.

Run with `DEBUG=1 .venv/bin/python bench/bench_deadlines.py`. It sets up
Django on a temporary SQLite database that holds only the calendar override
table (with a few overrides), then times the module functions a service
calls, `add_calendar_days` and `add_working_days`, half and half, from
random start dates in 2020–2030 with statutory lengths (5 to 90 days).
Each call goes through `get_calendar()`, version check included. Target:
at least 200,000 computations per second.
"""

import datetime
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 200_000
COMPUTATIONS = 400_000
ROUNDS = 5


def setup_django(database: Path) -> None:
    """Configure Django on an empty SQLite file and create the override table."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.db import connection

    from danvan.core.models import CalendarOverride

    with connection.schema_editor() as editor:
        editor.create_model(CalendarOverride)
    day_off, working = CalendarOverride.Kind.DAY_OFF, CalendarOverride.Kind.WORKING_DAY
    CalendarOverride.objects.bulk_create(
        [
            CalendarOverride(date=datetime.date(2026, 1, 2), kind=day_off, reason="Tết 2026"),
            CalendarOverride(date=datetime.date(2026, 1, 10), kind=working, reason="Làm bù"),
            CalendarOverride(date=datetime.date(2027, 3, 3), kind=day_off, reason="Thử"),
        ]
    )


def main() -> None:
    """Time the computations and print the figure."""
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from danvan.core import calendar

        started = time.perf_counter()
        calendar.get_calendar()
        built = time.perf_counter() - started

        rng = random.Random(2026)
        first = datetime.date(2020, 1, 1).toordinal()
        last = datetime.date(2030, 12, 31).toordinal()
        lengths = (5, 7, 10, 15, 30, 45, 60, 90)
        cases = [
            (
                datetime.date.fromordinal(rng.randint(first, last)),
                rng.choice(lengths),
                rng.random() < 0.5,
            )
            for _ in range(COMPUTATIONS)
        ]
        add_calendar_days, add_working_days = calendar.add_calendar_days, calendar.add_working_days

        rates = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            for start, days, working in cases:
                if working:
                    add_working_days(start, days)
                else:
                    add_calendar_days(start, days)
            rates.append(COMPUTATIONS / (time.perf_counter() - started))

    best, median = max(rates), sorted(rates)[len(rates) // 2]
    print(f"machine: {platform.machine()} {platform.processor() or ''}".rstrip())
    print(f"python: {platform.python_version()}")
    print(f"calendar built in {built * 1000:.1f} ms (years {calendar.get_calendar().years})")
    print(
        f"{COMPUTATIONS:,} due dates x {ROUNDS} rounds "
        "(half calendar days, half working days, starts 2020-2030)"
    )
    print(f"median: {median:,.0f} computations/s; best: {best:,.0f}/s")
    print(f"target {TARGET:,}/s: {'met' if median >= TARGET else 'NOT met'}")
    if median < TARGET:
        sys.exit(1)


if __name__ == "__main__":
    main()
