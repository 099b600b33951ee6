"""The Excel list of models (mô hình), as the bytes of an .xlsx file.

One row per model the user reads, with the filters of the list applied:
its registering unit, field, place, dates, status, level, last yearly
review, how many units adopted it and its results ("120 hộ; 3 tỷ đồng").
Headers follow the active language (Vietnamese by default). Each export
writes one audit event (`movement.models.export`, kind view) with the
number of rows.
"""

import io
from typing import Any, Final

from django.db.models import QuerySet
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from danvan.core.audit import audit_record
from danvan.core.models import AuditEvent
from danvan.movements.models import MovementModel, ResultFigure
from danvan.movements.replications import adoption_counts

#: The width of each column, in characters.
_WIDTHS: Final = (6, 40, 32, 22, 18, 22, 12, 12, 16, 14, 10, 12, 40)

#: Rows read at a time.
_CHUNK: Final = 500


def _headers() -> list[str]:
    return [
        gettext("No."),
        gettext("Name of the model"),
        gettext("Registering unit"),
        gettext("Field"),
        gettext("Province"),
        gettext("Commune"),
        gettext("Started on"),
        gettext("Registered on"),
        gettext("Status"),
        gettext("Recognition level"),
        gettext("Last reviewed in"),
        gettext("Adopting units"),
        gettext("Results"),
    ]


def _number(value: Any) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def models_xlsx(rows: QuerySet[MovementModel], *, user: Any) -> bytes:
    """Return the Excel file of `rows` (already filtered for `user`)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 (a new workbook has a sheet)
    sheet.title = gettext("Models")[:31]
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
    models = list(rows)
    ids = [model.pk for model in models]
    counts = adoption_counts(ids)
    results: dict[int, list[str]] = {}
    for figure in ResultFigure.objects.filter(registration_id__in=ids).order_by("pk"):
        assert figure.registration_id is not None  # noqa: S101 (filtered above)
        results.setdefault(figure.registration_id, []).append(
            f"{figure.label}: {_number(figure.value)} {figure.unit}"
        )
    for number, model in enumerate(models, start=1):
        sheet.append(
            [
                number,
                model.name,
                model.organization.name,
                model.get_field_display(),
                model.province.name,
                model.commune.name if model.commune is not None else "",
                model.started_on,
                model.registered_on,
                model.get_status_display(),
                model.get_level_display() if model.level else "",
                model.last_reviewed_year,
                counts.get(model.pk, 0),
                "; ".join(results.get(model.pk, [])),
            ]
        )
    for row in sheet.iter_rows(min_row=2, min_col=7, max_col=8):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"
    audit_record(
        actor=user,
        action="movement.models.export",
        data={"rows": len(models)},
        kind=AuditEvent.Kind.VIEW,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
