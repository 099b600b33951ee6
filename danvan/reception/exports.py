"""The documents of citizen reception, as the bytes of Excel and Word files.

- `reception_log_xlsx` / `reception_log_docx`: the reception log of one
  organization for a period (Sổ tiếp công dân, Mẫu 03/TCD of NĐ 154/2026),
  one row per `Visit` in the 13 columns of the template, numbered 1–13
  under their titles, on A4 landscape;
- `receipt_docx`: the receipt for documents received (Giấy biên nhận,
  Mẫu 02/TCD, NĐ 154/2026 Art. 14(4));
- `dialogue_minutes_docx`: the minutes of a dialogue (Biên bản đối thoại,
  NĐ 124/2020 Art. 28 as amended; Luật Thực hiện dân chủ ở cơ sở Art. 32),
  with each party's acknowledgement (signed, finger-printed, refused with
  the reason, absent).

The Word files follow NĐ 30/2020 Phụ lục I: A4, margins 20/20/30/15 mm,
Times New Roman, the issuing body top left (its parent above it, not bold,
for a body that is not a people's committee) and the national motto top
right, each with its short line below, the place-date line in italics, page
numbers centred in the top margin from page 2 on. The texts of the forms are
Vietnamese whatever the active language: they are legal forms.

A denouncer who came in person is protected (Luật Tố cáo 2018 Art. 47(1)(a),
decision 0009): columns 3 and 4 of a visit with `identity_protected` show
its people only to those `visits.visit_people_visible_to` allows (the same
rule, read here for a whole log at once: `_IdentityRule`); everybody else,
the superuser and a scheduled job included, reads `PROTECTED_IDENTITY_TEXT`.
Each export of the log writes one audit event (`LOG_EXPORT_ACTION`, kind
view) with what was exported and how many protected identities were shown,
never a name.

The log streams, so that a province's year (≈ 50,000 visits) exports in a
few seconds with a bounded memory: the visits are read as tuples from one
cursor (`.iterator(chunk_size=…)`) with the people of each chunk in one
more query, and each row is written as XML in place of a prototype row of
the file that openpyxl (`write_only`) or python-docx made, as the package
is copied (`_splice`). Going through their cell and paragraph objects,
a year took 70 s (Excel) and 160 s (Word) on a shared 2-core machine;
this way, 5–7 s and 8–19 s, for the same files.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final
from xml.sax.saxutils import escape as xml_escape

from django.db.models import QuerySet
from django.utils import timezone, translation
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from danvan.core.audit import audit_record
from danvan.core.formats import document_date_line
from danvan.core.models import AuditEvent
from danvan.orgs.models import Organization, OrganizationKind, Role
from danvan.orgs.selectors import user_memberships
from danvan.petitions.confidentiality import organization_ancestor_ids
from danvan.petitions.workflow import PetitionKind
from danvan.reception.models import (
    Dialogue,
    DialogueKind,
    DialogueParticipant,
    ParticipantSide,
    Receipt,
    RefusalGround,
    SignatureStatus,
    Visit,
    VisitKind,
    VisitOutcome,
    VisitPerson,
)

XLSX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE: Final = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

#: The audit action of an export of the reception log.
LOG_EXPORT_ACTION: Final = "visit.log_export"
#: The audit action of printed dialogue minutes.
MINUTES_EXPORT_ACTION: Final = "dialogue.minutes_export"

#: Columns 1–13 of Mẫu 03/TCD (NĐ 154/2026), as the template titles them
#: (legal-rules.md §3.2).
LOG_COLUMNS: Final[tuple[str, ...]] = (
    "STT",
    "Ngày tiếp",
    "Họ tên, địa chỉ",
    "CCCD/Hộ chiếu",
    "Tóm tắt nội dung vụ việc",
    "Loại đơn",
    "Số người cùng nội dung",
    "Cơ quan đã giải quyết",
    "Thuộc thẩm quyền",
    "Hướng dẫn công dân đến cơ quan nào, số văn bản hướng dẫn",
    "Cơ quan, đơn vị thụ lý, số văn bản chuyển đơn",
    "Theo dõi kết quả giải quyết",
    "Ghi chú",
)
LOG_TITLE: Final = "SỔ TIẾP CÔNG DÂN"
#: What columns 3 and 4 show of a protected visit to those who may not see it.
PROTECTED_IDENTITY_TEXT: Final = "(Thông tin người tố cáo được giữ bí mật)"
#: Column 9 of a visit within the organization's competence.
COMPETENCE_MARK: Final = "x"

#: Column 6 (Loại đơn): the template's own words, whatever the language.
KIND_LABELS: Final[dict[str, str]] = {
    VisitKind.FEEDBACK: "Phản ánh",
    VisitKind.RECOMMENDATION: "Kiến nghị",
    VisitKind.COMPLAINT: "Khiếu nại",
    VisitKind.DENUNCIATION: "Tố cáo",
    VisitKind.MIXED: "Nhiều nội dung",
}

NATIONAL_NAME: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO: Final = "Độc lập - Tự do - Hạnh phúc"
FONT_NAME: Final = "Times New Roman"

#: NĐ 30/2020 Phụ lục I: top and bottom 20–25 mm, left 30–35, right 15–20.
MARGIN_TOP_MM: Final = 20
MARGIN_BOTTOM_MM: Final = 20
MARGIN_LEFT_MM: Final = 30
MARGIN_RIGHT_MM: Final = 15

#: NĐ 124/2020 Art. 28 (as amended): the minutes are made in at least 3 copies.
MINUTES_MIN_COPIES: Final = 3

#: The widths (mm) of the 13 columns of the log on A4 landscape: 252 mm,
#: the page less the margins.
_LOG_WIDTHS_MM: Final = (10, 21, 35, 28, 41, 15, 13, 16, 14, 16, 16, 14, 13)
#: The widths (characters) of the same columns in Excel: at 12 points, the
#: sheet prints on the page's width at about 85 %.
_LOG_WIDTHS_XLSX: Final = (5, 10.5, 22, 14, 30, 9, 7, 11, 7, 12, 12, 10, 9)
#: The height (points) of one line of 12-point text in Excel.
_XLSX_LINE_HEIGHT: Final = 15.75
#: The columns whose cells are centred (number, date, kind, count, competence).
_CENTERED: Final = frozenset({1, 2, 6, 7, 9})
#: Rows of the Excel header block; the column titles and their numbers follow.
_XLSX_TITLE_ROW: Final = 7
_XLSX_FIRST_DATA_ROW: Final = 9

#: Control characters that XML 1.0 forbids (a pasted summary may hold some).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_COPY_LABELS: Final[dict[str, str]] = {
    "original": "Bản chính",
    "copy": "Bản sao",
    "certified_copy": "Bản sao có chứng thực",
}
_SIDE_HEADINGS: Final[dict[str, str]] = {
    ParticipantSide.OFFICIAL: "Đại diện cơ quan, người có thẩm quyền",
    ParticipantSide.CITIZEN: "Công dân",
    ParticipantSide.ORGANIZATION: "Cơ quan, tổ chức, cá nhân có liên quan",
}
_SIDE_LABELS: Final[dict[str, str]] = {
    ParticipantSide.OFFICIAL: "Cơ quan có thẩm quyền",
    ParticipantSide.CITIZEN: "Công dân",
    ParticipantSide.ORGANIZATION: "Cơ quan, tổ chức liên quan",
}
_SIGNATURE_LABELS: Final[dict[str, str]] = {
    SignatureStatus.SIGNED: "Đã ký",
    SignatureStatus.FINGER_PRINTED: "Đã điểm chỉ",
    SignatureStatus.REFUSED: "Không ký",
    SignatureStatus.ABSENT: "Vắng mặt",
    SignatureStatus.PENDING: "",
}
_DIALOGUE_KIND_TEXT: Final[dict[str, str]] = {
    DialogueKind.COMPLAINT: "đối thoại trong quá trình giải quyết khiếu nại",
    DialogueKind.ANNUAL: "hội nghị đối thoại định kỳ hằng năm với Nhân dân",
}
#: Administrative-unit words left out of the place of a place-date line.
_UNIT_PREFIXES: Final = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ")
#: Places named after a person keep their full name (NĐ 30/2020 Phụ lục I).
_FULL_NAME_PLACES: Final = frozenset({"Hồ Chí Minh"})


# --- who may see a protected visitor ------------------------------------------


class _IdentityRule:
    """Who may see the people of the protected visits of one organization's log.

    The rule of `visits.visit_people_visible_to` (decision 0009), read for
    a whole log in a fixed number of queries instead of several per visit:
    the officer who received the visit while they still work for the
    organization, a head of the organization or of a body above it, and
    whoever may see the denouncer of a denunciation the visit brought (its
    assigned handler, a head of the body holding it or above,
    `confidentiality.may_see_protected_identity`). Nobody else: the
    superuser and a scheduled job (no user) included.
    """

    def __init__(self, user: Any, organization: Organization) -> None:
        self.user_id: int | None = None
        self.sees_all = False
        self.member = False
        self.head_of: frozenset[int] = frozenset()
        self._ancestors: dict[int, frozenset[int]] = {}
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return
        self.user_id = user.pk
        memberships = list(user_memberships(user).values_list("organization_id", "role"))
        self.member = any(org_id == organization.pk for org_id, _role in memberships)
        self.head_of = frozenset(org_id for org_id, role in memberships if role == Role.HEAD)
        if self.head_of:
            self.sees_all = bool(self.head_of & self._ancestors_of(organization.pk))

    def _ancestors_of(self, organization_id: int) -> frozenset[int]:
        if organization_id not in self._ancestors:
            organization = Organization.objects.select_related("parent").get(pk=organization_id)
            self._ancestors[organization_id] = frozenset(organization_ancestor_ids(organization))
        return self._ancestors[organization_id]

    def visible(self, visits: Sequence[Any]) -> set[int]:
        """Return the ids of the protected `visits` whose people the user may see.

        `visits` have `id`, `identity_protected` and `received_by_id`; at
        most one query (the denunciations they brought).
        """
        protected = [visit for visit in visits if visit.identity_protected]
        if self.user_id is None or not protected:
            return set()
        if self.sees_all:
            return {visit.id for visit in protected}
        shown = {
            visit.id for visit in protected if self.member and visit.received_by_id == self.user_id
        }
        others = [visit.id for visit in protected if visit.id not in shown]
        if others:
            links = Visit.petitions.through.objects.filter(
                visit_id__in=others, petition__kind=PetitionKind.DENUNCIATION
            ).values_list("visit_id", "petition__assigned_to_id", "petition__organization_id")
            for visit_id, assigned_to_id, organization_id in links:
                if assigned_to_id == self.user_id or (
                    self.head_of
                    and organization_id is not None
                    and self.head_of & self._ancestors_of(organization_id)
                ):
                    shown.add(visit_id)
        return shown


class _ShowAll(_IdentityRule):
    """Every identity: `manage.py reception_log --with-protected-identities` only."""

    def __init__(self) -> None:
        super().__init__(None, Organization())

    def visible(self, visits: Sequence[Any]) -> set[int]:
        return {visit.id for visit in visits if visit.identity_protected}


# --- the rows of the log ------------------------------------------------------

#: The columns of `Visit` the log prints, read as tuples (`values_list`).
_VISIT_FIELDS: Final = (
    "id",
    "number",
    "received_on",
    "received_by_id",
    "summary",
    "kind",
    "people_count",
    "previously_handled_by",
    "within_competence",
    "outcome",
    "guided_to",
    "guidance_document_number",
    "accepted_by__name",
    "transfer_document_number",
    "result_follow_up",
    "notes",
    "refusal_ground",
    "refusal_notice_number",
    "identity_protected",
)
#: The columns of `VisitPerson` columns 3 and 4 print.
_PERSON_FIELDS: Final = ("visit_id", "name", "address", "identity_document", "is_representative")


def _clean(text: str) -> str:
    """Return `text` without the control characters XML cannot hold, with plain newlines."""
    if not text:
        return ""
    return _ILLEGAL_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _date_text(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _with_number(name: str, number: str) -> str:
    """Return a body and the number of its document, one per line."""
    lines = [name.strip()]
    if number.strip():
        lines.append(f"Văn bản số {number.strip()}")
    return "\n".join(line for line in lines if line)


def _person_line(name: str, address: str, is_representative: bool) -> str:
    name = name.strip()
    if is_representative:
        name += " (người đại diện)"
    address = address.strip()
    return f"{name}, {address}" if address else name


def _refusal_grounds_vi() -> dict[str, str]:
    with translation.override("vi"):
        return {value: str(label) for value, label in RefusalGround.choices}


def _notes(visit: Any, grounds: dict[str, str]) -> str:
    """Column 13: a refusal and its notice come first, then the notes."""
    parts = []
    if visit.outcome == VisitOutcome.REFUSED:
        refusal = "Từ chối tiếp công dân"
        if visit.refusal_ground:
            refusal += f": {grounds.get(visit.refusal_ground, visit.refusal_ground)}"
        if visit.refusal_notice_number:
            refusal += f"; thông báo số {visit.refusal_notice_number}"
        parts.append(refusal)
    if visit.notes.strip():
        parts.append(visit.notes.strip())
    return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class LogRow:
    """The 13 values of one row of the log (column 2 a date, 1 and 7 numbers)."""

    values: tuple[Any, ...]
    protected: bool
    shown: bool


def log_row(
    visit: Any,
    people: Sequence[tuple[str, str, str, bool]],
    *,
    may_see: bool,
    grounds: dict[str, str] | None = None,
) -> LogRow:
    """Return the 13 columns of a visit of the log.

    `visit` has the attributes of `_VISIT_FIELDS` (a `Visit`, or a row of
    `log_visits`); `people` are its (name, address, identity document,
    representative) with the representatives first. A protected visit's
    people are written only when `may_see`.
    """
    shown = may_see or not visit.identity_protected
    if shown:
        names = "\n".join(_person_line(name, address, rep) for name, address, _d, rep in people)
        documents = "\n".join(document.strip() for _n, _a, document, _r in people).strip()
    else:
        names = documents = PROTECTED_IDENTITY_TEXT
    values = (
        visit.number,
        visit.received_on,
        _clean(names),
        _clean(documents),
        _clean(visit.summary),
        KIND_LABELS.get(visit.kind, visit.kind),
        visit.people_count,
        _clean(visit.previously_handled_by),
        COMPETENCE_MARK if visit.within_competence else "",
        _clean(_with_number(visit.guided_to, visit.guidance_document_number)),
        _clean(_with_number(visit.accepted_by__name or "", visit.transfer_document_number)),
        _clean(visit.result_follow_up),
        _clean(_notes(visit, grounds if grounds is not None else _refusal_grounds_vi())),
    )
    return LogRow(values=values, protected=visit.identity_protected, shown=shown)


def log_visits(
    *, organization: Organization, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Visit, Any]:
    """Return the visits of the log of `organization` from `date_from` to `date_to`.

    Ordered by date and number, as named tuples of the columns the log
    prints (`_VISIT_FIELDS`, the accepting body's name included): the
    export reads tens of thousands, and tuples cost a tenth of models.
    """
    return (
        Visit.objects.filter(
            organization=organization, received_on__gte=date_from, received_on__lte=date_to
        )
        .order_by("received_on", "number", "id")
        .values_list(*_VISIT_FIELDS, named=True)
    )


def _people_of(visit_ids: list[int]) -> dict[int, list[tuple[str, str, str, bool]]]:
    """Return the people of these visits, representatives first, in one query."""
    people: dict[int, list[tuple[str, str, str, bool]]] = {}
    rows = (
        VisitPerson.objects.filter(visit_id__in=visit_ids)
        .order_by("visit_id", "-is_representative", "position", "id")
        .values_list(*_PERSON_FIELDS)
    )
    for visit_id, name, address, document, representative in rows:
        people.setdefault(visit_id, []).append((name, address, document, representative))
    return people


class _LogRows:
    """The rows of a log export, read by chunks and counted as they stream.

    The visits come from one cursor (`.iterator(chunk_size=CHUNK_SIZE)`);
    the people of each chunk of visits in one more query, and the
    denunciations its protected visits brought in another when the rule
    needs them (`_IdentityRule.visible`). A year of a province (≈ 50,000
    visits) is about 75 queries and never in memory at once.
    """

    CHUNK_SIZE: Final = 2000

    def __init__(
        self,
        *,
        organization: Organization,
        date_from: datetime.date,
        date_to: datetime.date,
        user: Any,
        reveal_protected: bool,
    ) -> None:
        self.visits = log_visits(organization=organization, date_from=date_from, date_to=date_to)
        self.rule = _ShowAll() if reveal_protected else _IdentityRule(user, organization)
        self.grounds = _refusal_grounds_vi()
        self.count = 0
        self.protected_shown = 0
        self.protected_hidden = 0

    def _rows(self, chunk: list[Any]) -> Iterator[LogRow]:
        people = _people_of([visit.id for visit in chunk])
        visible = self.rule.visible(chunk)
        for visit in chunk:
            row = log_row(
                visit, people.get(visit.id, ()), may_see=visit.id in visible, grounds=self.grounds
            )
            self.count += 1
            if row.protected:
                if row.shown:
                    self.protected_shown += 1
                else:
                    self.protected_hidden += 1
            yield row

    def __iter__(self) -> Iterator[LogRow]:
        chunk: list[Any] = []
        for visit in self.visits.iterator(chunk_size=self.CHUNK_SIZE):
            chunk.append(visit)
            if len(chunk) == self.CHUNK_SIZE:
                yield from self._rows(chunk)
                chunk = []
        if chunk:
            yield from self._rows(chunk)


def _record_log_export(
    rows: _LogRows,
    *,
    user: Any,
    organization: Organization,
    date_from: datetime.date,
    date_to: datetime.date,
    file_format: str,
    reveal_protected: bool,
) -> None:
    audit_record(
        actor=user,
        action=LOG_EXPORT_ACTION,
        target=organization,
        kind=AuditEvent.Kind.VIEW,
        data={
            "format": file_format,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "visits": rows.count,
            "protected_shown": rows.protected_shown,
            "protected_hidden": rows.protected_hidden,
            "reveal_protected": reveal_protected,
        },
    )


def period_text(date_from: datetime.date, date_to: datetime.date) -> str:
    """Return the period line of the log: "Từ ngày 01/01/2026 đến ngày 31/12/2026"."""
    return f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"


def reception_log_filename(
    organization: Organization, date_from: datetime.date, date_to: datetime.date, extension: str
) -> str:
    """Return a download name: so-tiep-cong-dan-<code>-<from>-<to>.<extension>."""
    return f"so-tiep-cong-dan-{organization.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{extension}"


def _splice(
    skeleton: bytes, member: str, start: int, end: int, rows: Iterator[str], text: str
) -> bytes:
    """Return the package `skeleton` with `text[start:end]` of `member` replaced by `rows`.

    Every other part is copied as it is; `member` is written as a stream,
    a few hundred rows at a time.
    """
    source = zipfile.ZipFile(io.BytesIO(skeleton))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info.filename))
                continue
            entry = zipfile.ZipInfo(member, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with target.open(entry, "w") as stream:
                stream.write(text[:start].encode())
                batch: list[str] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= 500:
                        stream.write("".join(batch).encode())
                        batch = []
                stream.write("".join(batch).encode())
                stream.write(text[end:].encode())
    return buffer.getvalue()


# --- the log in Excel ---------------------------------------------------------

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_XLSX_FONT_SIZE = 12
_XLSX_SHEET: Final = "xl/worksheets/sheet1.xml"
#: Day 0 of Excel's serial dates (for every date after 1900-03-01).
_EXCEL_EPOCH: Final = datetime.date(1899, 12, 30)
#: Text that marks each cell of the prototype row (replaced by the rows).
_PROTOTYPE: Final = "@@prototype@@"


def _xlsx_cell(
    sheet: Any,
    value: Any = None,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: int = _XLSX_FONT_SIZE,
    horizontal: str = "left",
    border: bool = False,
    number_format: str | None = None,
) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(
        name=FONT_NAME,
        size=size,
        bold=bold,
        italic=italic,
        underline="single" if underline else None,
    )
    cell.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=True)
    if border:
        cell.border = _BORDER
    if number_format:
        cell.number_format = number_format
    return cell


def _xlsx_page_setup(sheet: Any) -> None:
    """A4 landscape, NĐ 30/2020 margins, fit to the page's width."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    inch = 25.4
    sheet.page_margins.top = MARGIN_TOP_MM / inch
    sheet.page_margins.bottom = MARGIN_BOTTOM_MM / inch
    sheet.page_margins.left = MARGIN_LEFT_MM / inch
    sheet.page_margins.right = MARGIN_RIGHT_MM / inch
    sheet.page_margins.header = 8 / inch
    sheet.page_margins.footer = 8 / inch
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddFooter.center.font = FONT_NAME
    sheet.oddFooter.center.size = 11


def _xlsx_skeleton(
    organization: Organization, date_from: datetime.date, date_to: datetime.date
) -> bytes:
    """Return the workbook of the log without its rows (openpyxl, `write_only`).

    The header block, the titles and their numbers, the page setup, and
    one prototype row (row 9) whose cells carry the styles of the data
    cells, to be replaced by the rows.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="So tiep cong dan")
    last = len(LOG_COLUMNS)
    for index, width in enumerate(_LOG_WIDTHS_XLSX, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _xlsx_page_setup(sheet)
    sheet.freeze_panes = f"A{_XLSX_FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{_XLSX_TITLE_ROW}:{_XLSX_TITLE_ROW + 1}"
    sheet.row_dimensions[_XLSX_TITLE_ROW].height = _xlsx_height(LOG_COLUMNS) + 4
    split = 5  # the issuing body over columns 1–5, the motto over 6–13
    for row, first, end in (
        (1, 1, split),
        (2, 1, split),
        (1, split + 1, last),
        (2, split + 1, last),
        (4, 1, last),
        (5, 1, last),
    ):
        sheet.merged_cells.add(f"{get_column_letter(first)}{row}:{get_column_letter(end)}{row}")

    def banner(left: Any, right: Any) -> list[Any]:
        return [left, *([None] * (split - 1)), right]

    parent = _parent_name(organization)
    center = "center"
    sheet.append(
        banner(
            _xlsx_cell(
                sheet,
                (parent or organization.name).upper(),
                bold=not parent,
                underline=not parent,
                horizontal=center,
            ),
            _xlsx_cell(sheet, NATIONAL_NAME, bold=True, horizontal=center),
        )
    )
    sheet.append(
        banner(
            _xlsx_cell(
                sheet,
                organization.name.upper() if parent else None,
                bold=True,
                underline=True,
                horizontal=center,
            ),
            _xlsx_cell(
                sheet, NATIONAL_MOTTO, bold=True, underline=True, size=13, horizontal=center
            ),
        )
    )
    sheet.append([])
    sheet.append([_xlsx_cell(sheet, LOG_TITLE, bold=True, size=14, horizontal=center)])
    sheet.append(
        [
            _xlsx_cell(
                sheet, period_text(date_from, date_to), italic=True, size=13, horizontal=center
            )
        ]
    )
    sheet.append([])
    sheet.append(
        [
            _xlsx_cell(sheet, title, bold=True, horizontal=center, border=True)
            for title in LOG_COLUMNS
        ]
    )
    sheet.append(
        [
            _xlsx_cell(sheet, index, italic=True, horizontal=center, border=True)
            for index in range(1, last + 1)
        ]
    )
    sheet.append(
        [
            _xlsx_cell(
                sheet,
                _PROTOTYPE,
                horizontal=center if index in _CENTERED else "left",
                border=True,
                number_format="DD/MM/YYYY" if index == 2 else None,
            )
            for index in range(1, last + 1)
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


#: About how many characters of 12-point Times New Roman a line of each
#: column holds, word wrapping included (a width counts digits of the
#: default font, wider than the average letter of Times New Roman).
_XLSX_CAPACITY: Final = tuple(max(1, int(width * 1.2)) for width in _LOG_WIDTHS_XLSX)


def _xlsx_height(values: Sequence[Any]) -> float:
    """Return a row's height (points) for its longest wrapped cell.

    Written into each row, since neither Excel nor LibreOffice fits a row
    to its wrapped text when it opens a file.
    """
    lines = 1
    for value, capacity in zip(values, _XLSX_CAPACITY, strict=True):
        if isinstance(value, str) and value:
            count = sum(max(1, -(-len(line) // capacity)) for line in value.split("\n"))
            lines = max(lines, count)
    return lines * _XLSX_LINE_HEIGHT + 2


def _xlsx_rows(rows: Iterator[LogRow], styles: Sequence[str]) -> Iterator[str]:
    """Yield the XML of each row of the log (cells of inline strings, numbers, dates)."""
    letters = [get_column_letter(index) for index in range(1, len(LOG_COLUMNS) + 1)]
    for number, row in enumerate(rows, start=_XLSX_FIRST_DATA_ROW):
        cells = []
        for letter, style, value in zip(letters, styles, row.values, strict=True):
            ref = f'r="{letter}{number}" s="{style}"'
            if value is None or value == "":
                cells.append(f"<c {ref}/>")
            elif isinstance(value, datetime.date):
                cells.append(f"<c {ref}><v>{(value - _EXCEL_EPOCH).days}</v></c>")
            elif isinstance(value, int):
                cells.append(f"<c {ref}><v>{value}</v></c>")
            else:
                cells.append(
                    f'<c {ref} t="inlineStr"><is><t xml:space="preserve">'
                    f"{xml_escape(str(value))}</t></is></c>"
                )
        height = _xlsx_height(row.values)
        yield f'<row r="{number}" ht="{height:g}" customHeight="1">{"".join(cells)}</row>'


def reception_log_xlsx(
    *,
    organization: Organization,
    date_from: datetime.date,
    date_to: datetime.date,
    user: Any,
    reveal_protected: bool = False,
) -> bytes:
    """Return the reception log of `organization` for the period as an .xlsx file.

    Mẫu 03/TCD: the header block, the 13 column titles and their numbers
    (repeated on every printed page, frozen on screen), then one row per
    visit. `user` decides what columns 3 and 4 show of a protected visit
    (see the module's docstring); `reveal_protected` shows every identity
    and is only for `manage.py reception_log --with-protected-identities`,
    which the audit event records.

    openpyxl (`write_only`) writes the workbook with a prototype row; the
    rows are then written in its place as XML, with the prototype's styles,
    as the workbook is copied: openpyxl's cell objects cost about 20 µs a
    cell, three times the budget of a year of a province.
    """
    rows = _LogRows(
        organization=organization,
        date_from=date_from,
        date_to=date_to,
        user=user,
        reveal_protected=reveal_protected,
    )
    skeleton = _xlsx_skeleton(organization, date_from, date_to)
    with zipfile.ZipFile(io.BytesIO(skeleton)) as archive:
        sheet = archive.read(_XLSX_SHEET).decode()
    prototype = re.search(rf'<row r="{_XLSX_FIRST_DATA_ROW}"[^>]*>.*?</row>', sheet)
    if prototype is None:  # pragma: no cover (openpyxl always writes the row)
        raise RuntimeError("The prototype row of the log is missing.")
    styles = re.findall(r'<c r="[A-Z]+\d+" s="(\d+)"', prototype.group(0))
    content = _splice(
        skeleton,
        _XLSX_SHEET,
        prototype.start(),
        prototype.end(),
        _xlsx_rows(iter(rows), styles),
        sheet,
    )
    _record_log_export(
        rows,
        user=user,
        organization=organization,
        date_from=date_from,
        date_to=date_to,
        file_format="xlsx",
        reveal_protected=reveal_protected,
    )
    return content


# --- Word: the common parts ---------------------------------------------------


def _parent_name(organization: Organization) -> str:
    """Return the name of the body above `organization` for its header, or "".

    NĐ 30/2020: the parent body (cơ quan chủ quản) is written above the
    issuing body; a people's committee is its own issuing body.
    """
    if organization.kind == OrganizationKind.PEOPLES_COMMITTEE:
        return ""
    parent = organization.parent
    return parent.name if parent is not None else ""


def place_name(organization: Organization) -> str:
    """Return the place of the place-date line: the unit where the body sits.

    NĐ 30/2020 Phụ lục I: the official name of the administrative unit,
    without "Tỉnh", "Thành phố", "Xã" or "Phường" unless the name is a
    person's or a number ("Thành phố Hồ Chí Minh", "Phường 1").
    """
    unit = organization.commune or organization.province
    if unit is None:
        return ""
    name = unit.name.strip()
    for prefix in _UNIT_PREFIXES:
        if name.startswith(prefix):
            rest = name[len(prefix) :].strip()
            if rest and not rest[0].isdigit() and rest not in _FULL_NAME_PLACES:
                return rest
            return name
    return name


def _set_run_font(
    run: Any, *, size: float | None = None, bold: bool | None = None, italic: bool | None = None
) -> None:
    run.font.name = FONT_NAME
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_NAME)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic


def _paragraph(
    container: Any,
    text: str = "",
    *,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.LEFT,
    indent_first: bool = False,
    space_after: float = 0,
    space_before: float = 0,
) -> Paragraph:
    """Add a paragraph of one run; a newline in `text` breaks the line."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(space_before)
    fmt.line_spacing = 1.0
    if indent_first:
        fmt.first_line_indent = Mm(10)
    lines = _clean(text).split("\n")
    run = paragraph.add_run(lines[0])
    for line in lines[1:]:
        run.add_break()
        run.add_text(line)
    _set_run_font(run, size=size, bold=bold, italic=italic)
    return paragraph


def _labelled(container: Any, label: str, value: str, *, size: float = 13) -> Paragraph:
    """Add "label value", the label upright and the value as given."""
    paragraph = _paragraph(container, label, size=size, space_after=3)
    run = paragraph.add_run(_clean(value))
    _set_run_font(run, size=size)
    return paragraph


def _rule(container: Any, *, width_mm: float, cell_width_mm: float) -> None:
    """Add a short solid line, centred in a cell (a bottom-bordered empty paragraph)."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((cell_width_mm - width_mm) / 2, 0)
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(0)
    fmt.line_spacing = Pt(5)  # the line a little below the text above
    run = paragraph.add_run()
    _set_run_font(run, size=1)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    p_pr.append(borders)


def _new_document(*, landscape: bool) -> Any:
    """Return an empty A4 document with NĐ 30/2020 margins and fonts."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(13)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_NAME)
    normal.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # Page numbers centred in the top margin, not on page 1.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(header)
    return document


def _page_field(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    _set_run_font(run, size=13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _content_width_mm(landscape: bool) -> float:
    return (297 if landscape else 210) - MARGIN_LEFT_MM - MARGIN_RIGHT_MM


#: The order of a table's properties (ECMA-376 CT_TblPr): Word and
#: LibreOffice ignore some of them when they come out of order.
_TBL_PR_ORDER: Final = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
)


def _set_table_property(table: Table, element: Any) -> None:
    """Put `element` in the table's properties, in its place, replacing its like."""
    tbl_pr = table._tbl.tblPr
    name = element.tag.rsplit("}", 1)[-1]
    for existing in tbl_pr.findall(element.tag):
        tbl_pr.remove(existing)
    later = _TBL_PR_ORDER[_TBL_PR_ORDER.index(name) + 1 :]
    for child in tbl_pr:
        if child.tag.rsplit("}", 1)[-1] in later:
            child.addprevious(element)
            return
    tbl_pr.append(element)


def _borders(table: Table, *, visible: bool) -> None:
    """Give the table thin black borders everywhere, or none."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if visible:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        else:
            element.set(qn("w:val"), "nil")
        borders.append(element)
    _set_table_property(table, borders)


def _no_borders(table: Table) -> None:
    _borders(table, visible=False)


def _table_borders(table: Table) -> None:
    _borders(table, visible=True)


def _cell_margins(table: Table, *, left_right_mm: float) -> None:
    """Set the table's left and right cell margins (Word's default is 1.9 mm)."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(left_right_mm * 56.7)))  # twentieths of a point
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _set_table_property(table, margins)


def _fixed_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Give the table a fixed layout with these column widths (Word and LibreOffice)."""
    table.autofit = False  # w:tblLayout w:type="fixed"
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _clear(cell: _Cell) -> _Cell:
    """Return the cell with its first (empty) paragraph removed."""
    for paragraph in list(cell.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    return cell


#: Where a body's name breaks when it is too long for one line: before the
#: administrative unit it serves ("ỦY BAN NHÂN DÂN / PHƯỜNG MỸ THO").
_UNIT_WORDS: Final = re.compile(
    r"\s(?=(?:tỉnh|thành phố|phường|xã|đặc khu|thị trấn)\s)", re.IGNORECASE
)


def _body_lines(name: str, fits: int) -> str:
    """Return a body's name in capitals, on two lines when longer than `fits`."""
    name = " ".join(name.split())
    if len(name) > fits:
        match = _UNIT_WORDS.search(name)
        if match is not None and match.start() > 0:
            name = f"{name[: match.start()]}\n{name[match.end() :]}"
    return name.upper()


def _header_block(
    document: Any,
    organization: Organization,
    *,
    landscape: bool,
    number_line: str = "",
    date_line: str = "",
) -> None:
    """Add the issuing body (left) and the national motto (right), NĐ 30/2020."""
    total = _content_width_mm(landscape)
    left_width = 100 if landscape else 72
    widths = (left_width, total - left_width)
    fits = 34 if landscape else 25  # capitals of 12 points on one line of the left cell
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _cell_margins(table, left_right_mm=0.5)  # the motto on one line in portrait
    _fixed_widths(table, widths)
    left, right = (_clear(cell) for cell in table.rows[0].cells)
    parent = _parent_name(organization)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if parent:
        _paragraph(left, _body_lines(parent, fits), size=12, align=center)
    _paragraph(left, _body_lines(organization.name, fits), size=12, bold=True, align=center)
    _rule(left, width_mm=widths[0] / 3, cell_width_mm=widths[0])
    if number_line:
        _paragraph(left, number_line, size=13, align=center, space_before=6)
    _paragraph(right, NATIONAL_NAME, size=12, bold=True, align=center)
    _paragraph(right, NATIONAL_MOTTO, size=13, bold=True, align=center)
    _rule(right, width_mm=56, cell_width_mm=widths[1])  # as long as the motto
    if date_line:
        _paragraph(right, date_line, size=13, italic=True, align=center, space_before=6)


def _repeat_as_header(row: Any) -> None:
    """Mark a table row to be repeated at the top of each page, never split."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _cell_text(
    cell: _Cell,
    text: str,
    *,
    size: float = 12,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.LEFT,
) -> None:
    _clear(cell)
    _paragraph(cell, text, size=size, bold=bold, italic=italic, align=align)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _document_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _time_and_day(moment: datetime.datetime) -> str:
    """Return "09 giờ 30 phút, ngày 05 tháng 01 năm 2026"."""
    moment = _local(moment)
    return f"{moment:%H} giờ {moment:%M} phút, {document_date_line(moment.date())}"


def _user_name(user: Any) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (full or user.get_username()).strip()


# --- the log in Word ----------------------------------------------------------

_DOCX_BODY: Final = "word/document.xml"
_DOCX_MARKER: Final = re.compile(r"@@C(\d\d)@@")
_DOCX_BREAK: Final = '</w:t><w:br/><w:t xml:space="preserve">'


def _docx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return _date_text(value)
    return xml_escape(str(value)).replace("\n", _DOCX_BREAK)


def _docx_rows(rows: Iterator[LogRow], template: list[str]) -> Iterator[str]:
    """Yield the XML of each row: the prototype row with each cell's text put in."""
    for row in rows:
        parts = [template[0]]
        for value, after in zip(row.values, template[1:], strict=True):
            parts.append(_docx_text(value))
            parts.append(after)
        yield "".join(parts)


def reception_log_docx(
    *,
    organization: Organization,
    date_from: datetime.date,
    date_to: datetime.date,
    user: Any,
    reveal_protected: bool = False,
) -> bytes:
    """Return the reception log of `organization` for the period as a .docx file.

    A4 landscape, NĐ 30/2020 margins and header block, the title and the
    period, then the table of Mẫu 03/TCD: the 13 column titles and their
    numbers repeated at the top of every page, one row per visit. The same
    rows and the same protection of identities as `reception_log_xlsx`,
    and the same way of writing them: python-docx makes the document with
    a prototype row, which the rows replace as the package is copied.
    """
    rows = _LogRows(
        organization=organization,
        date_from=date_from,
        date_to=date_to,
        user=user,
        reveal_protected=reveal_protected,
    )
    document = _new_document(landscape=True)
    _header_block(document, organization, landscape=True)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, LOG_TITLE, size=14, bold=True, align=center, space_before=12)
    _paragraph(document, period_text(date_from, date_to), italic=True, align=center, space_after=8)
    table = document.add_table(rows=3, cols=len(LOG_COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(table)
    _cell_margins(table, left_right_mm=0.8)
    _fixed_widths(table, _LOG_WIDTHS_MM)
    titles, numbers, prototype = table.rows
    for cell, title in zip(titles.cells, LOG_COLUMNS, strict=True):
        _cell_text(cell, title, bold=True, align=center)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for index, cell in enumerate(numbers.cells, start=1):
        _cell_text(cell, str(index), italic=True, align=center)
    _repeat_as_header(titles)
    _repeat_as_header(numbers)
    for index, cell in enumerate(prototype.cells, start=1):
        align = center if index in _CENTERED else WD_ALIGN_PARAGRAPH.LEFT
        _cell_text(cell, f"@@C{index:02d}@@", align=align)
    if not rows.visits.exists():
        _paragraph(
            document,
            "(Không có lượt tiếp công dân nào trong kỳ.)",
            italic=True,
            align=center,
            space_before=6,
        )
    skeleton = _document_bytes(document)
    with zipfile.ZipFile(io.BytesIO(skeleton)) as archive:
        body = archive.read(_DOCX_BODY).decode()
    marker = body.index("@@C01@@")
    start = max(body.rfind("<w:tr>", 0, marker), body.rfind("<w:tr ", 0, marker))
    end = body.index("</w:tr>", marker) + len("</w:tr>")
    row_xml = re.sub(
        r"<w:t(?: [^>]*)?>(@@C\d\d@@)</w:t>",
        r'<w:t xml:space="preserve">\1</w:t>',
        body[start:end],
    )
    template = _DOCX_MARKER.split(row_xml)[::2]  # the text between the 13 markers
    content = _splice(skeleton, _DOCX_BODY, start, end, _docx_rows(iter(rows), template), body)
    _record_log_export(
        rows,
        user=user,
        organization=organization,
        date_from=date_from,
        date_to=date_to,
        file_format="docx",
        reveal_protected=reveal_protected,
    )
    return content


# --- the receipt (Mẫu 02/TCD) -------------------------------------------------


def receipt_number_line(receipt: Receipt) -> str:
    """Return "Số: 05/GBN" (numbers below 10 with a leading 0, NĐ 30/2020)."""
    return f"Số: {receipt.number:02d}/GBN"


def _signature_pair(
    document: Any, left: tuple[str, str], right: tuple[str, str], *, landscape: bool = False
) -> None:
    """Add two signature blocks side by side: (title, name) each."""
    total = _content_width_mm(landscape)
    # A paragraph between two tables keeps them apart: Word and LibreOffice
    # join adjacent tables into one, with the second one's borders.
    _paragraph(document, "", size=6)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, (total / 2, total / 2))
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, (title, name) in zip(table.rows[0].cells, (left, right), strict=True):
        _clear(cell)
        _paragraph(cell, title, size=13, bold=True, align=center, space_before=12)
        _paragraph(cell, "(Ký, ghi rõ họ tên)", size=13, italic=True, align=center)
        for _ in range(4):
            _paragraph(cell, "", size=13)
        _paragraph(cell, name, size=13, bold=True, align=center)


def receipt_docx(receipt: Receipt) -> bytes:
    """Return the receipt for documents received as a .docx file (Mẫu 02/TCD).

    Who handed the documents over (with their address and identity paper
    when they are one of the visit's people), when and where, the table of
    documents (title, pages, original or copy), who received them, and the
    two signatures. The receipt is handed to the citizen who brought the
    documents, so it names them even on a protected visit: printing it is
    for those who may see the visit's people (the view checks).
    """
    visit = (
        Visit.objects.select_related(
            "organization__parent", "organization__province", "organization__commune"
        )
        .prefetch_related("people")
        .get(pk=receipt.visit_id)
    )
    organization = visit.organization
    issued = _local(receipt.issued_at)
    document = _new_document(landscape=False)
    place = place_name(organization)
    _header_block(
        document,
        organization,
        landscape=False,
        number_line=receipt_number_line(receipt),
        date_line=document_date_line(issued.date(), place),
    )
    center = WD_ALIGN_PARAGRAPH.CENTER
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph(document, "GIẤY BIÊN NHẬN", size=14, bold=True, align=center, space_before=18)
    _paragraph(
        document,
        "Về việc tiếp nhận thông tin, tài liệu, bằng chứng",
        size=14,
        bold=True,
        align=center,
        space_after=12,
    )
    where = organization.address.strip() or organization.name
    _paragraph(
        document,
        f"Vào hồi {_time_and_day(receipt.issued_at)}, tại {where}.",
        align=justify,
        indent_first=True,
        space_after=6,
    )
    officer = receipt.received_by
    _paragraph(
        document,
        f"Người nhận: {_user_name(officer) or '…'}, cán bộ tiếp công dân, {organization.name}.",
        align=justify,
        indent_first=True,
        space_after=6,
    )
    person = next(
        (p for p in visit.people.all() if p.name.strip() == receipt.handed_over_by.strip()),
        None,
    )
    _paragraph(
        document,
        f"Đã nhận của ông (bà): {receipt.handed_over_by}",
        align=justify,
        indent_first=True,
        space_after=6,
    )
    if person is not None and person.address.strip():
        _paragraph(document, f"Địa chỉ: {person.address}", indent_first=True, space_after=6)
    if person is not None and person.identity_document.strip():
        _paragraph(
            document,
            f"Số CCCD/Hộ chiếu: {person.identity_document}",
            indent_first=True,
            space_after=6,
        )
    _paragraph(
        document,
        "Các thông tin, tài liệu, bằng chứng sau đây:",
        align=justify,
        indent_first=True,
        space_after=6,
    )
    documents = [item for item in receipt.documents if isinstance(item, dict)]
    total = _content_width_mm(False)
    widths = (14, total - 14 - 24 - 40, 24, 40)
    table = document.add_table(rows=1 + max(len(documents), 1), cols=4)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(table)
    _fixed_widths(table, widths)
    for cell, title in zip(
        table.rows[0].cells,
        ("STT", "Tên thông tin, tài liệu, bằng chứng", "Số trang", "Bản chính/bản sao"),
        strict=True,
    ):
        _cell_text(cell, title, size=13, bold=True, align=center)
    _repeat_as_header(table.rows[0])
    total_pages = 0
    for number, (row, item) in enumerate(zip(table.rows[1:], documents, strict=False), start=1):
        pages = item.get("pages")
        if isinstance(pages, int):
            total_pages += pages
        cells = row.cells
        _cell_text(cells[0], str(number), size=13, align=center)
        _cell_text(cells[1], str(item.get("title", "")), size=13)
        _cell_text(cells[2], str(pages) if pages is not None else "", size=13, align=center)
        copy_kind = str(item.get("copy", ""))
        _cell_text(cells[3], _COPY_LABELS.get(copy_kind, copy_kind), size=13, align=center)
    if not documents:
        _cell_text(table.rows[1].cells[1], "(Không có tài liệu)", size=13, italic=True)
    _paragraph(
        document,
        f"Tổng số: {len(documents):02d} tài liệu, {total_pages:02d} trang.",
        indent_first=True,
        space_before=6,
        space_after=6,
    )
    _paragraph(
        document,
        "Giấy biên nhận được lập thành 02 bản, mỗi bên giữ 01 bản.",
        align=justify,
        indent_first=True,
        space_after=6,
    )
    _signature_pair(
        document,
        ("NGƯỜI NỘP THÔNG TIN, TÀI LIỆU", receipt.handed_over_by),
        ("NGƯỜI NHẬN", _user_name(officer)),
    )
    return _document_bytes(document)


# --- the minutes of a dialogue ------------------------------------------------


def signature_text(participant: DialogueParticipant) -> str:
    """Return what the minutes record of a party's acknowledgement.

    Luật Khiếu nại Art. 30 and NĐ 124/2020 Art. 28: the minutes bear the
    signature or finger-print of each party; when one does not sign, the
    minutes say so with the reason. Pending: left blank, to be signed.
    """
    label = _SIGNATURE_LABELS.get(participant.signature, "")
    if participant.signature == SignatureStatus.REFUSED:
        reason = participant.refusal_reason.strip()
        return f"{label}. Lý do: {reason}" if reason else f"{label} (không nêu lý do)"
    return label


def dialogue_minutes_docx(
    dialogue: Dialogue, user: Any, *, copies: int = MINUTES_MIN_COPIES
) -> bytes:
    """Return the minutes of `dialogue` as a .docx file (Biên bản đối thoại).

    Time, place, the notice, the chair, the participants by side, each
    issue and its answer, the conclusion, the commitments (owner and due
    date), the number of copies (NĐ 124/2020 Art. 28: at least 3, so a
    smaller `copies` becomes 3) and the table of acknowledgements with each
    party's status. `user` is who prepares the minutes (named as the
    recorder) and is recorded in the audit event.
    """
    dialogue = (
        Dialogue.objects.select_related(
            "organization__parent",
            "organization__province",
            "organization__commune",
            "fatherland_front",
            "petition",
        )
        .prefetch_related("participants", "issues", "commitments__owner")
        .get(pk=dialogue.pk)
    )
    organization = dialogue.organization
    copies = max(copies, MINUTES_MIN_COPIES)
    document = _new_document(landscape=False)
    _header_block(
        document,
        organization,
        landscape=False,
        date_line=document_date_line(dialogue.date, place_name(organization)),
    )
    center = WD_ALIGN_PARAGRAPH.CENTER
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph(document, "BIÊN BẢN ĐỐI THOẠI", size=14, bold=True, align=center, space_before=18)
    _paragraph(document, dialogue.subject, size=14, bold=True, align=center)
    _rule(document, width_mm=40, cell_width_mm=_content_width_mm(False))
    _paragraph(document, "", space_after=6)

    def body(text: str) -> None:
        _paragraph(document, text, align=justify, indent_first=True, space_after=6)

    def heading(text: str) -> None:
        _paragraph(document, text, bold=True, space_before=6, space_after=6)

    when = (
        f"Vào hồi {dialogue.starts_at:%H} giờ {dialogue.starts_at:%M} phút, "
        if dialogue.starts_at
        else "Vào "
    )
    body(
        f"{when}{document_date_line(dialogue.date)}, tại {dialogue.place}, "
        f"{organization.name} tổ chức {_DIALOGUE_KIND_TEXT.get(dialogue.kind, 'đối thoại')}"
        + (
            f", phối hợp với {dialogue.fatherland_front.name}"
            if dialogue.fatherland_front is not None
            else ""
        )
        + "."
    )
    if dialogue.kind == DialogueKind.COMPLAINT and dialogue.petition is not None:
        body(f"Vụ việc: đơn khiếu nại mã số {dialogue.petition.code}.")
    if dialogue.notice_number or dialogue.notice_sent_on:
        notice = "Thông báo về việc đối thoại"
        if dialogue.notice_number:
            notice += f" số {dialogue.notice_number}"
        if dialogue.notice_sent_on:
            notice += f", gửi ngày {_date_text(dialogue.notice_sent_on)}"
        body(notice + ".")

    heading("I. THÀNH PHẦN THAM DỰ")
    chair = dialogue.chair_name + (f", {dialogue.chair_title}" if dialogue.chair_title else "")
    body(f"Chủ trì: {chair}.")
    recorder = _user_name(user)
    if recorder:
        body(f"Người ghi biên bản: {recorder}.")
    participants = list(dialogue.participants.all())
    for number, side in enumerate(
        (ParticipantSide.OFFICIAL, ParticipantSide.CITIZEN, ParticipantSide.ORGANIZATION),
        start=1,
    ):
        members = [p for p in participants if p.side == side]
        if not members:
            continue
        body(f"{number}. {_SIDE_HEADINGS[side]}:")
        for person in members:
            body(f"- {person.name}" + (f", {person.title}" if person.title else "") + ".")

    heading("II. NỘI DUNG ĐỐI THOẠI")
    issues = list(dialogue.issues.all())
    if not issues:
        body("(Không có ý kiến.)")
    for number, issue in enumerate(issues, start=1):
        raised = f" ({issue.raised_by})" if issue.raised_by else ""
        body(f"{number}. Ý kiến{raised}: {issue.question}")
        if issue.answer.strip():
            answered = f" ({issue.answered_by})" if issue.answered_by else ""
            body(f"Trả lời{answered}: {issue.answer}")
        else:
            body("Trả lời: (chưa trả lời)")

    heading("III. KẾT LUẬN")
    body(dialogue.minutes_summary.strip() or "(Chưa ghi kết luận.)")

    heading("IV. CÁC NỘI DUNG CAM KẾT")
    commitments = list(dialogue.commitments.all())
    if not commitments:
        body("(Không có cam kết.)")
    else:
        total = _content_width_mm(False)
        commitment_widths = (12, total - 12 - 50 - 30, 50, 30)
        table = document.add_table(rows=1 + len(commitments), cols=4)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_borders(table)
        _fixed_widths(table, commitment_widths)
        for cell, title in zip(
            table.rows[0].cells,
            ("STT", "Nội dung cam kết", "Cơ quan, đơn vị thực hiện", "Thời hạn"),
            strict=True,
        ):
            _cell_text(cell, title, bold=True, align=center)
        _repeat_as_header(table.rows[0])
        for number, (row, item) in enumerate(
            zip(table.rows[1:], commitments, strict=True), start=1
        ):
            cells = row.cells
            _cell_text(cells[0], str(number), align=center)
            _cell_text(cells[1], item.description)
            _cell_text(cells[2], item.owner.name)
            _cell_text(cells[3], _date_text(item.due_on), align=center)

    _paragraph(document, "", space_after=6)
    body(
        "Biên bản đã được đọc lại cho những người tham gia đối thoại nghe và cùng ký xác "
        "nhận; trường hợp không ký hoặc không điểm chỉ thì ghi rõ lý do."
    )
    body(
        f"Biên bản được lập thành {copies:02d} bản, có giá trị như nhau, mỗi bên tham gia "
        "đối thoại giữ 01 bản, 01 bản lưu hồ sơ."
    )

    heading("XÁC NHẬN CỦA NHỮNG NGƯỜI THAM GIA ĐỐI THOẠI")
    total = _content_width_mm(False)
    widths = (12, 52, 38, total - 12 - 52 - 38)
    table = document.add_table(rows=1 + max(len(participants), 1), cols=4)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(table)
    _fixed_widths(table, widths)
    for cell, title in zip(
        table.rows[0].cells, ("STT", "Họ và tên", "Thành phần", "Ký xác nhận"), strict=True
    ):
        _cell_text(cell, title, bold=True, align=center)
    _repeat_as_header(table.rows[0])
    for number, (row, person) in enumerate(
        zip(table.rows[1:], participants, strict=False), start=1
    ):
        cells = row.cells
        _cell_text(cells[0], str(number), align=center)
        _cell_text(cells[1], person.name + (f"\n{person.title}" if person.title else ""))
        _cell_text(cells[2], _SIDE_LABELS.get(person.side, person.side))
        _cell_text(cells[3], signature_text(person), align=center)
        row.height = Mm(14)  # room for a signature or a finger-print

    _signature_pair(
        document,
        ("NGƯỜI GHI BIÊN BẢN", recorder),
        ("NGƯỜI CHỦ TRÌ", dialogue.chair_name),
    )
    content = _document_bytes(document)
    audit_record(
        actor=user,
        action=MINUTES_EXPORT_ACTION,
        target=dialogue,
        kind=AuditEvent.Kind.VIEW,
        data={"participants": len(participants), "copies": copies},
    )
    return content
