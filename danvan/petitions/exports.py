"""The unit dashboard as an Excel workbook (openpyxl).

One sheet for the totals and one per breakdown (kind, category, channel),
with headers in the active language, a bold header row, set column widths,
dates as real dates and percentages as numbers formatted as such. No
petitioner appears anywhere: the figures are counts.
"""

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from danvan.petitions.reports import Dashboard, Figures, Row

DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.0%"
DAYS_FORMAT = "0.0"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _figure_headers() -> list[str]:
    return [
        gettext("Received"),
        gettext("Accepted"),
        gettext("Resolved"),
        gettext("Resolved on time"),
        gettext("On-time rate"),
        gettext("Overdue now"),
        gettext("Average days to resolve"),
    ]


def _figure_values(figures: Figures) -> list[Any]:
    average = round(figures.average_days, 1) if figures.average_days is not None else None
    return [
        figures.received,
        figures.accepted,
        figures.resolved,
        figures.on_time,
        figures.on_time_rate,
        figures.overdue,
        average,
    ]


def _header(sheet: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    sheet.append(list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"


def _format_figures(sheet: Worksheet, first_column: int) -> None:
    """Format the rate and the days columns of the data rows."""
    for row in sheet.iter_rows(min_row=2):
        row[first_column + 4].number_format = PERCENT_FORMAT
        row[first_column + 6].number_format = DAYS_FORMAT


def _breakdown_sheet(workbook: Workbook, title: str, group: str, rows: list[Row]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    _header(sheet, [group, *_figure_headers()], [32, 12, 12, 12, 16, 14, 14, 20])
    for row in rows:
        sheet.append([row.label, *_figure_values(row.figures)])
    _format_figures(sheet, 1)


def dashboard_workbook(dashboard: Dashboard, *, title: str = "") -> Workbook:
    """Return the workbook of `dashboard`."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # noqa: S101 (a new workbook has a sheet)
    summary.title = gettext("Summary")[:31]
    _header(
        summary,
        [gettext("From"), gettext("To"), *_figure_headers()],
        [14, 14, 12, 12, 12, 16, 14, 14, 20],
    )
    summary.append([dashboard.date_from, dashboard.date_to, *_figure_values(dashboard.total)])
    for row in summary.iter_rows(min_row=2):
        row[0].number_format = DATE_FORMAT
        row[1].number_format = DATE_FORMAT
    _format_figures(summary, 2)
    if title:
        summary.oddHeader.center.text = title
    _breakdown_sheet(workbook, gettext("By kind"), gettext("Kind"), dashboard.by_kind)
    _breakdown_sheet(workbook, gettext("By category"), gettext("Category"), dashboard.by_category)
    _breakdown_sheet(workbook, gettext("By channel"), gettext("Channel"), dashboard.by_channel)
    return workbook


def dashboard_xlsx(dashboard: Dashboard, *, title: str = "") -> bytes:
    """Return `dashboard` as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    dashboard_workbook(dashboard, title=title).save(buffer)
    return buffer.getvalue()
