"""The Excel lists of models (mô hình), exemplars (điển hình) and
communities, as the bytes of an .xlsx file.

One row per item the user reads, with the filters of the list applied.
Headers follow the active language (Vietnamese by default). Each export
writes one audit event (`movement.<list>.export`, kind view) with the
number of rows.

The files carry no more about people than the lists show: an exemplar's
name (the list shows it) but not its title, address, description or
people involved; a community's counts of members and meetings but not its
leader or its members' names.
"""

import io
from collections.abc import Iterable, Sequence
from typing import Any, Final

from django.db.models import QuerySet
from django.utils.translation import gettext, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from danvan.core.audit import audit_record
from danvan.core.models import AuditEvent
from danvan.movements.models import Community, Exemplar, MovementModel, ResultFigure
from danvan.movements.replications import adoption_counts

#: The width of each column of the models' list, in characters.
_WIDTHS: Final = (6, 40, 32, 22, 18, 22, 12, 12, 16, 14, 10, 12, 40)
_EXEMPLAR_WIDTHS: Final = (6, 36, 12, 32, 22, 18, 22, 12, 12, 16, 14, 10, 40)
_COMMUNITY_WIDTHS: Final = (6, 36, 20, 22, 24, 18, 32, 12, 10, 10, 12, 14)

#: The Excel format of a date column.
_DATE_FORMAT: Final = "DD/MM/YYYY"


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


def _sheet(
    title: str, headers: Sequence[str], widths: Sequence[int]
) -> tuple[Workbook, Worksheet]:
    """Return a workbook whose sheet has the bold, frozen header row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 (a new workbook has a sheet)
    sheet.title = title[:31]
    sheet.append(list(headers))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return workbook, sheet


def _finish(
    workbook: Workbook,
    sheet: Worksheet,
    *,
    date_columns: Iterable[int],
    user: Any,
    action: str,
    count: int,
) -> bytes:
    """Format the date columns, audit the export and return the file's bytes."""
    for column in date_columns:
        for row in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            for cell in row:
                cell.number_format = _DATE_FORMAT
    audit_record(actor=user, action=action, data={"rows": count}, kind=AuditEvent.Kind.VIEW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _results_of(ids: list[int]) -> dict[int, list[str]]:
    """Return each registration's results as "label: figure unit" (one query)."""
    results: dict[int, list[str]] = {}
    for figure in ResultFigure.objects.filter(registration_id__in=ids).order_by("pk"):
        assert figure.registration_id is not None  # noqa: S101 (filtered above)
        results.setdefault(figure.registration_id, []).append(
            f"{figure.label}: {_number(figure.value)} {figure.unit}"
        )
    return results


def models_xlsx(rows: QuerySet[MovementModel], *, user: Any) -> bytes:
    """Return the Excel file of `rows` (already filtered for `user`)."""
    workbook, sheet = _sheet(gettext("Models"), _headers(), _WIDTHS)
    models = list(rows)
    ids = [model.pk for model in models]
    counts = adoption_counts(ids)
    results = _results_of(ids)
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
    return _finish(
        workbook,
        sheet,
        date_columns=(7, 8),
        user=user,
        action="movement.models.export",
        count=len(models),
    )


def _exemplar_headers() -> list[str]:
    return [
        gettext("No."),
        gettext("Name of the exemplar"),
        gettext("Individual or collective"),
        gettext("Registering unit"),
        gettext("Field"),
        gettext("Province"),
        gettext("Commune"),
        gettext("Started on"),
        gettext("Registered on"),
        gettext("Status"),
        gettext("Recognition level"),
        gettext("Last reviewed in"),
        gettext("Results"),
    ]


def exemplars_xlsx(rows: QuerySet[Exemplar], *, user: Any) -> bytes:
    """Return the Excel file of `rows` (already filtered for `user`)."""
    workbook, sheet = _sheet(gettext("Exemplars"), _exemplar_headers(), _EXEMPLAR_WIDTHS)
    exemplars = list(rows)
    results = _results_of([exemplar.pk for exemplar in exemplars])
    for number, exemplar in enumerate(exemplars, start=1):
        sheet.append(
            [
                number,
                exemplar.name,
                exemplar.get_kind_display(),
                exemplar.organization.name,
                exemplar.get_field_display(),
                exemplar.province.name,
                exemplar.commune.name if exemplar.commune is not None else "",
                exemplar.started_on,
                exemplar.registered_on,
                exemplar.get_status_display(),
                exemplar.get_level_display() if exemplar.level else "",
                exemplar.last_reviewed_year,
                "; ".join(results.get(exemplar.pk, [])),
            ]
        )
    return _finish(
        workbook,
        sheet,
        date_columns=(8, 9),
        user=user,
        action="movement.exemplars.export",
        count=len(exemplars),
    )


def _community_headers() -> list[str]:
    return [
        gettext("No."),
        gettext("Name of the community"),
        pgettext("community", "Kind"),
        gettext("Hamlet or neighbourhood"),
        gettext("Commune"),
        gettext("Province"),
        gettext("Managing unit"),
        gettext("Founded on"),
        gettext("Active"),
        gettext("Members"),
        gettext("Meetings and activities"),
        gettext("Last meeting or activity"),
    ]


def communities_xlsx(rows: QuerySet[Community], *, user: Any) -> bytes:
    """Return the Excel file of `rows` (already filtered for `user`, with
    `member_count`, `event_count` and `last_event` annotated)."""
    workbook, sheet = _sheet(gettext("Communities"), _community_headers(), _COMMUNITY_WIDTHS)
    communities = list(rows)
    for number, community in enumerate(communities, start=1):
        sheet.append(
            [
                number,
                community.name,
                community.get_kind_display(),
                community.hamlet,
                community.commune.name,
                community.commune.province.name,
                community.organization.name,
                community.founded_on,
                gettext("Yes") if community.is_active else gettext("No"),
                community.member_count,  # type: ignore[attr-defined]
                community.event_count,  # type: ignore[attr-defined]
                community.last_event,  # type: ignore[attr-defined]
            ]
        )
    return _finish(
        workbook,
        sheet,
        date_columns=(8, 12),
        user=user,
        action="movement.communities.export",
        count=len(communities),
    )
