"""Vietnamese formats for dates and numbers.

- page date line: "Thứ Sáu, 21/6/2024" (weekday capitalized, no leading
  zeros), as Vietnamese portals print under their header;
- document place-date line: "Đồng Tháp, ngày 21 tháng 6 năm 2024", per
  NĐ 30/2020/NĐ-CP Phụ lục I (days below 10 and months below 3 are written
  with a leading zero in documents: "ngày 05 tháng 02 năm 2024");
- numbers: "1.234.567" (dot for thousands, comma for decimals).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def today_vn() -> datetime.date:
    """Return today's date in Vietnam (Asia/Ho_Chi_Minh)."""
    return timezone.localdate(timezone=datetime.timezone(datetime.timedelta(hours=7)))


def page_date_line(day: datetime.date, language: str = "vi") -> str:
    """Return the page date line, e.g. "Thứ Sáu, 21/6/2024"."""
    if language.startswith("en"):
        return f"{WEEKDAYS_EN[day.weekday()]}, {day.day}/{day.month}/{day.year}"
    return f"{WEEKDAYS_VI[day.weekday()]}, {day.day}/{day.month}/{day.year}"


def document_date_line(day: datetime.date, place: str = "") -> str:
    """Return the place-date line of an official document.

    NĐ 30/2020 Phụ lục I, mục II.5: "ngày" below 10 and "tháng" 1 and 2
    take a leading zero; the place name comes first, then a comma.
    """
    day_part = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_part = f"{day.month:02d}" if day.month < 3 else str(day.month)
    line = f"ngày {day_part} tháng {month_part} năm {day.year}"
    return f"{place}, {line}" if place else line


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """Return `value` with Vietnamese separators: 1234567.5 → "1.234.567,5"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
