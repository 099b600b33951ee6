"""`manage.py deadline`: its last line is the due date, other tools rely on it."""

import datetime
import os
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from danvan.core import calendar as calendar_module
from danvan.core.services import calendar_override_set

ROOT = Path(__file__).resolve().parents[3]
FROZEN = datetime.datetime(2030, 6, 1, 9, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today_and_fresh_calendar(time_machine) -> Iterator[None]:
    """Due dates must not depend on today: run every case in mid-2030."""
    time_machine.move_to(FROZEN, tick=False)
    calendar_module.reset_calendar_cache()
    yield
    calendar_module.reset_calendar_cache()


def deadline(*args: str) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def test_last_line_is_the_due_date_of_working_days_across_tet_2025() -> None:
    lines = deadline("--start", "2025-01-24", "--working-days", "5")
    assert lines[-1] == "2025-02-07"
    assert lines[0] == "Start: 2025-01-24 (Friday), not counted (BLDS 2015 Art. 147(2))."
    assert "  2025-01-27 (Monday): 29 of Lunar New Year" in lines
    assert "Days off skipped: 9, of which 6 are public holidays or official days off." in lines


def test_last_line_is_the_due_date_of_calendar_days_rolled_past_a_day_off() -> None:
    lines = deadline("--start", "2025-04-25", "--days", "7")
    assert lines[-1] == "2025-05-05"
    assert lines[-2] == "Due: end of 2025-05-05 (Monday) (BLDS 2015 Art. 148(1))."
    assert any("2025-05-02 (Friday) is not a working day" in line for line in lines)
    assert any("Art. 148(5)" in line for line in lines)


def test_calendar_days_ending_on_a_working_day_are_not_rolled() -> None:
    lines = deadline("--start", "2025-03-03", "--days", "10")
    assert lines[-1] == "2025-03-13"
    assert not any("148(5)" in line for line in lines)


def test_working_saturday_counts_in_the_command() -> None:
    assert deadline("--start", "2025-04-25", "--working-days", "1")[-1] == "2025-04-26"


def test_zero_working_days_end_on_the_start_day() -> None:
    assert deadline("--start", "2025-03-03", "--working-days", "0")[-1] == "2025-03-03"


def test_command_applies_the_override_table(django_capture_on_commit_callbacks) -> None:
    # Mon 1/3/2027: 5 working days end on Mon 8/3; a day off on Wed 3/3 adds one.
    assert deadline("--start", "2027-03-01", "--working-days", "5")[-1] == "2027-03-08"
    with django_capture_on_commit_callbacks(execute=True):
        calendar_override_set(
            actor=None,
            date=datetime.date(2027, 3, 3),
            kind="day_off",
            reason="Nghỉ thêm theo quyết định thử",
            legal_basis="Quyết định 1/QĐ-TTg",
        )
    lines = deadline("--start", "2027-03-01", "--working-days", "5")
    assert lines[-1] == "2027-03-09"
    assert "  2027-03-03 (Wednesday): Nghỉ thêm theo quyết định thử" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--start", "2025-02-30", "--days", "3"],
            "Invalid --start '2025-02-30': expected a date in the form YYYY-MM-DD",
        ),
        (
            ["--start", "24/01/2025", "--days", "3"],
            "Invalid --start '24/01/2025': expected a date in the form YYYY-MM-DD",
        ),
        (
            ["--start", "2025-01-24", "--days", "-3"],
            "Invalid --days '-3': expected a whole number of days, 0 or more.",
        ),
        (
            ["--start", "2025-01-24", "--working-days", "five"],
            "Invalid --working-days 'five': expected a whole number of days, 0 or more.",
        ),
        (
            ["--start", "2025-01-24", "--days", "3", "--working-days", "3"],
            "Give either --days or --working-days, not both.",
        ),
        (
            ["--start", "2025-01-24"],
            "Give the length of the period with --days N (calendar days) "
            "or --working-days N (working days).",
        ),
        (["--days", "3"], "Give the start date with --start YYYY-MM-DD."),
        (
            ["--start", "2100-12-01", "--working-days", "100"],
            "The working calendar covers the years 1901–2100",
        ),
    ],
    ids=[
        "impossible-date",
        "not-iso",
        "negative",
        "not-a-number",
        "both",
        "neither",
        "no-start",
        "beyond-2100",
    ],
)
def test_bad_input_is_refused_with_a_clear_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        deadline(*args)
    assert str(raised.value).startswith(message)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DANVAN_TESTING": "1", "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), "deadline", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2025-13-01", "--days", "3"], "Invalid --start '2025-13-01'"),
        (["--start", "2025-01-24", "--working-days", "-1"], "Invalid --working-days '-1'"),
        (["--start", "2025-01-24"], "Give the length of the period"),
    ],
    ids=["bad-date", "negative", "neither"],
)
def test_bad_input_exits_non_zero_from_the_shell(args: list[str], message: str) -> None:
    result = _run(*args)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert result.stdout == ""
