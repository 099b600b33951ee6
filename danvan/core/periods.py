"""Reporting periods (kỳ báo cáo): first six months, second six months, a year, or a range.

Periods are written `YYYY-H1` (1 January to 30 June), `YYYY-H2` (1 July to
31 December), `YYYY` (the whole year) or `YYYY-MM-DD..YYYY-MM-DD` (both days
included), on the command line (`manage.py indicators --period 2026-H1`) and
in addresses. Every app's `selectors.indicators(org, period)` takes a
`Period`; `previous()` gives the period a summary compares with.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_HALF = re.compile(r"^(\d{4})-H([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
#: The years a period may fall in.
FIRST_YEAR = 2000
LAST_YEAR = 2100


class PeriodError(ValueError):
    """A period that cannot be read; the message says what to write instead."""


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date
    code: str

    @property
    def days(self) -> int:
        """How many days the period holds."""
        return (self.end - self.start).days + 1

    def contains(self, day: datetime.date) -> bool:
        """Tell whether `day` falls in the period."""
        return self.start <= day <= self.end

    def label(self) -> str:
        """Say the period in the active language, e.g. "6 tháng đầu năm 2026"."""
        half = _HALF.match(self.code)
        if half:
            year, which = half.groups()
            if which == "1":
                return _("first six months of %(year)s") % {"year": year}
            return _("last six months of %(year)s") % {"year": year}
        if _YEAR.match(self.code):
            return _("year %(year)s") % {"year": self.code}
        return _("%(start)s to %(end)s") % {
            "start": f"{self.start.day}/{self.start.month}/{self.start.year}",
            "end": f"{self.end.day}/{self.end.month}/{self.end.year}",
        }

    def previous(self) -> "Period":
        """Return the period before this one: the other half, last year, or as many days before."""
        half = _HALF.match(self.code)
        if half:
            year, which = int(half.group(1)), half.group(2)
            return period_parse(f"{year}-H1" if which == "2" else f"{year - 1}-H2")
        if _YEAR.match(self.code):
            return period_parse(str(int(self.code) - 1))
        end = self.start - datetime.timedelta(days=1)
        start = end - datetime.timedelta(days=self.days - 1)
        return period_parse(f"{start.isoformat()}..{end.isoformat()}")


def _check_year(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            _("The year of “%(text)s” must be between %(first)s and %(last)s.")
            % {"text": text, "first": FIRST_YEAR, "last": LAST_YEAR}
        )


def period_parse(text: str) -> Period:
    """Read a period written `YYYY-H1`, `YYYY-H2`, `YYYY` or `YYYY-MM-DD..YYYY-MM-DD`.

    Raises `PeriodError` with a message that shows the accepted forms.
    """
    text = (text or "").strip()
    half = _HALF.match(text)
    if half:
        year = int(half.group(1))
        _check_year(year, text)
        if half.group(2) == "1":
            return Period(datetime.date(year, 1, 1), datetime.date(year, 6, 30), text)
        return Period(datetime.date(year, 7, 1), datetime.date(year, 12, 31), text)
    if _YEAR.match(text):
        year = int(text)
        _check_year(year, text)
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), text)
    dates = _RANGE.match(text)
    if dates:
        try:
            start = datetime.date.fromisoformat(dates.group(1))
            end = datetime.date.fromisoformat(dates.group(2))
        except ValueError as error:
            raise PeriodError(
                _("“%(text)s” holds a day that does not exist.") % {"text": text}
            ) from error
        _check_year(start.year, text)
        _check_year(end.year, text)
        if end < start:
            raise PeriodError(
                _("In “%(text)s” the last day comes before the first.") % {"text": text}
            )
        return Period(start, end, text)
    raise PeriodError(
        _(
            "“%(text)s” is not a period. Write 2026-H1 (first six months), 2026-H2 (last six "
            "months), 2026 (the year) or 2026-01-01..2026-03-31 (from a day to a day)."
        )
        % {"text": text}
    )
