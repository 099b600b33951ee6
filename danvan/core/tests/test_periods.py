"""Reporting periods: the forms the commands and pages accept, and the period before."""

import datetime

import pytest

from danvan.core.periods import PeriodError, period_parse

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-H1", D(2026, 1, 1), D(2026, 6, 30)),
        ("2026-H2", D(2026, 7, 1), D(2026, 12, 31)),
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
        ("2024-02-01..2024-02-29", D(2024, 2, 1), D(2024, 2, 29)),
        (" 2026-H1 ", D(2026, 1, 1), D(2026, 6, 30)),
    ],
)
def test_accepted_forms(text: str, start: datetime.date, end: datetime.date) -> None:
    period = period_parse(text)
    assert (period.start, period.end) == (start, end)
    assert period.contains(start)
    assert period.contains(end)
    assert not period.contains(end + datetime.timedelta(days=1))


@pytest.mark.parametrize(
    ("text", "previous"),
    [
        ("2026-H1", (D(2025, 7, 1), D(2025, 12, 31))),
        ("2026-H2", (D(2026, 1, 1), D(2026, 6, 30))),
        ("2026", (D(2025, 1, 1), D(2025, 12, 31))),
        ("2026-03-01..2026-03-31", (D(2026, 1, 29), D(2026, 2, 28))),
    ],
)
def test_previous_period(text: str, previous: tuple[datetime.date, datetime.date]) -> None:
    before = period_parse(text).previous()
    assert (before.start, before.end) == previous


def test_a_range_is_compared_with_as_many_days_before() -> None:
    period = period_parse("2026-03-01..2026-03-31")
    assert period.previous().days == period.days == 31


@pytest.mark.parametrize(
    "text", ["", "2026-H3", "26-H1", "2026-02-30..2026-03-01", "2026-05-01..2026-04-01", "1899"]
)
def test_bad_periods_say_what_to_write(text: str) -> None:
    with pytest.raises(PeriodError) as error:
        period_parse(text)
    assert text.strip() in str(error.value)


def test_labels_in_vietnamese() -> None:
    assert period_parse("2026-H1").label() == "6 tháng đầu năm 2026"
    assert period_parse("2026-H2").label() == "6 tháng cuối năm 2026"
    assert period_parse("2026").label() == "năm 2026"
