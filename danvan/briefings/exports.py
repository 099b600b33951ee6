"""The back-office exports of briefings: the conclusion tasks as an Excel file.

The official documents (the cluster report, the conclusion notice, the
indicator table) are in `documents`, in Vietnamese whatever the reader's
language; this list is a working file, in the reader's language like the
page it comes from.
"""

import datetime
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from danvan.briefings.models import OPEN_TASK_STATUSES, ConclusionTask

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Column widths, in characters, in the order of `_headers`.
_WIDTHS = (6, 22, 28, 12, 8, 60, 14, 16, 10, 14, 50)


def _headers() -> list[str]:
    return [
        gettext("No."),
        gettext("Member"),
        gettext("Cluster"),
        gettext("Period"),
        gettext("Item no."),
        gettext("Conclusion item"),
        gettext("Due date"),
        gettext("Status"),
        gettext("Overdue"),
        gettext("Last follow-up"),
        gettext("Follow-up note"),
    ]


def is_overdue(task: ConclusionTask, today: datetime.date) -> bool:
    """Whether the task is unfinished past its due date."""
    return task.status in OPEN_TASK_STATUSES and task.due_on is not None and task.due_on < today


def tasks_xlsx(tasks: Iterable[ConclusionTask], *, today: datetime.date) -> bytes:
    """Return the Excel file of `tasks` (already filtered for the reader), one row each.

    Each task needs its item, briefing, cluster, province and follow-ups
    read with it (`selectors.task_list`).
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 (a new workbook has a sheet)
    sheet.title = gettext("Conclusion tasks")[:31]
    sheet.append(_headers())
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    overdue_text = gettext("Overdue")
    for number, task in enumerate(tasks, start=1):
        item, briefing = task.item, task.item.briefing
        updates = list(task.updates.all())
        last = updates[-1] if updates else None
        sheet.append(
            [
                number,
                task.province.name,
                briefing.cluster.name,
                briefing.period_code,
                item.number,
                item.text,
                task.due_on,
                task.get_status_display(),
                overdue_text if is_overdue(task, today) else "",
                timezone.localdate(last.created_at) if last is not None else None,
                last.note if last is not None else "",
            ]
        )
        row = sheet.max_row
        for column in (7, 10):
            sheet.cell(row=row, column=column).number_format = "DD/MM/YYYY"
        for column in (6, 11):
            sheet.cell(row=row, column=column).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
