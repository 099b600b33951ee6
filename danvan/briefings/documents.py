"""The briefing's documents: the cluster report (Báo cáo) and the conclusion
notice (Thông báo kết luận) in Word, the indicator table in Excel, a PDF.

Each document follows the rules of its issuing body, chosen per body in
`IssuingBody.document_format` (docs/decisions/0017-briefing-documents.md):

- State bodies, NĐ 30/2020/NĐ-CP Appendix I: the national name (capitals,
  bold, 13) and motto (bold, 14, a line below as long as the motto) at the
  top right; the parent body (capitals, not bold) and the issuing body
  (capitals, bold, a short line below) at the top left, 13; "Số: 12/BC-X"
  under it; the place-date line in italics (14) under the motto; type 14
  bold, summary 14 bold; body 14, justified, first-line indent 1 cm, 6 pt
  after; signature block bold; "Nơi nhận:" bold italic 12, its list 11.
- Party bodies, Hướng dẫn 36-HD/VPTW (2018), Appendix 3: "ĐẢNG CỘNG SẢN
  VIỆT NAM" (capitals, bold, 15) at the top right with a line as long as
  it; the parent body (capitals, 14) and the issuing body (capitals, bold,
  14) with an asterisk below at the top left; "Số 12-BC/BTGDVTU" (14, no
  colon); the place-date line in italics (14); type 15–16 bold, summary
  14–15 bold; body 14–15.

Both: A4 portrait, Times New Roman (Liberation Serif has the same metrics
and stands in where Times New Roman is not installed), margins top and
bottom 20 mm, left 30 mm, right 15 mm (NĐ 30/2020; the Party guidance's own
margins could not be read in full and are the same here: decision 0017).

The cluster report carries charts after its indicator table
(`chart.report_charts`): PNG pictures drawn by matplotlib, 160 mm wide (the
165 mm text column less a margin), centred, each with its caption under it,
"Biểu đồ 1. …", italic, a point smaller than the body.

After them, "TÌNH HÌNH THỰC HIỆN THÔNG BÁO KẾT LUẬN KỲ TRƯỚC": a sentence
naming the previous period's notice with its tasks counted by status, and a
table of those tasks (item, member, due date, status, last follow-up), then
the cluster's older tasks still open in a second table
(`selectors.conclusion_follow_up`). With nothing to follow up the section is
left out, as an official report leaves out what does not apply.
"""

import datetime
import functools
import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone, translation
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from danvan.briefings import chart, indicators
from danvan.briefings.models import (
    Briefing,
    ConclusionTask,
    DocumentFormat,
    IssuingBody,
    TaskStatus,
)
from danvan.briefings.selectors import (
    ConclusionFollowUp,
    conclusion_follow_up,
    conclusion_items,
)
from danvan.briefings.summary import Summary
from danvan.core.periods import Period

FONT_NAME = "Times New Roman"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
#: The type codes of Appendix III of NĐ 30/2020, also used by the Party.
TYPE_REPORT = "BC"
TYPE_NOTICE = "TB"


class DocumentUnavailable(RuntimeError):
    """A format that cannot be made on this machine (no converter)."""


@dataclass(frozen=True)
class Style:
    """The issuing body's format and header lines."""

    document_format: str
    parent_name: str
    body_name: str
    symbol: str
    place_name: str
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    header_size: float = 12
    body_size: float = 14

    @property
    def is_party(self) -> bool:
        return self.document_format == DocumentFormat.PARTY


def style_for(briefing: Briefing) -> Style:
    """Return the style of the briefing's host body (its `IssuingBody`, or defaults)."""
    org = briefing.host_organization
    issuer = IssuingBody.objects.filter(organization=org).first() if org else None
    return _style_of(briefing, issuer)


def _loaded_style(briefing: Briefing) -> Style:
    """The style of a briefing whose host's issuing body was selected with it (no query)."""
    try:
        issuer = briefing.host_organization.briefing_issuer if briefing.host_organization else None
    except ObjectDoesNotExist:
        issuer = None
    return _style_of(briefing, issuer)


def _style_of(briefing: Briefing, issuer: IssuingBody | None) -> Style:
    org = briefing.host_organization
    if issuer is not None:
        return Style(
            document_format=issuer.document_format,
            parent_name=issuer.parent_name,
            body_name=issuer.body_name,
            symbol=issuer.symbol,
            place_name=issuer.place_name,
            signer_authority=issuer.signer_authority,
            signer_title=issuer.signer_title,
            signer_name=issuer.signer_name,
            header_size=float(issuer.header_size),
            body_size=float(issuer.body_size),
        )
    name = org.name if org else briefing.cluster.name
    place = briefing.host_province.name if briefing.host_province else ""
    for prefix in ("Tỉnh ", "Thành phố "):
        place = place.removeprefix(prefix)
    return Style(
        document_format=DocumentFormat.PARTY,
        parent_name="",
        body_name=name.upper(),
        symbol="",
        place_name=place,
    )


def date_line(place: str, day: datetime.date) -> str:
    """ "Đồng Tháp, ngày 05 tháng 01 năm 2026": days below 10 and months 1–2 with a 0."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    prefix = f"{place}, " if place else ""
    return f"{prefix}ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(style: Style, number: str, type_code: str) -> str:
    """ "Số: 05/BC-BTGDV" (state) or "Số 05-BC/BTGDVTU" (Party); blank number → space."""
    number = number.strip()
    if number.isdigit() and int(number) < 10:
        number = f"{int(number):02d}"
    shown = number or "     "
    if style.is_party:
        return (
            f"Số {shown}-{type_code}/{style.symbol}" if style.symbol else f"Số {shown}-{type_code}"
        )
    return (
        f"Số: {shown}/{type_code}-{style.symbol}" if style.symbol else f"Số: {shown}/{type_code}"
    )


def _in_vietnamese[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Write a document in Vietnamese whatever the reader's language: it is official."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override("vi"):
            return function(*args, **kwargs)

    return wrapper


# Word helpers --------------------------------------------------------------


def _font(run: Any, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT_NAME)


def _para(
    container: Any,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    indent: bool = False,
    after: float = 0,
) -> Any:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Mm(10)
    if text:
        run = paragraph.add_run(text)
        _font(run, size, bold=bold, italic=italic)
        run.font.underline = underline
    return paragraph


def _rule_below(paragraph: Any) -> None:
    """Draw a solid line under a header line (a bottom border on the paragraph)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(name), value)
    borders.append(bottom)
    p_pr.append(borders)


def _widths(table: Any, widths_mm: list[float]) -> None:
    """Fix the column widths (the grid LibreOffice reads and each cell Word reads)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(int(width * 56.7)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _rule(container: Any, *, width_mm: float, cell_width_mm: float) -> None:
    """A solid line `width_mm` long, centred in a cell `cell_width_mm` wide."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max(0.0, (cell_width_mm - width_mm) / 2)
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.space_after = Pt(6)
    fmt.space_before = Pt(0)
    fmt.line_spacing = Pt(2)
    _rule_below(paragraph)


def _no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _grid(table: Any) -> None:
    table.style = "Table Grid"


def _new_document(style: Style) -> Any:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(style.body_size)
    normal.element.get_or_add_rPr()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    return document


#: The header's two columns, in millimetres (165 mm between the margins).
HEADER_LEFT_MM = 70
HEADER_RIGHT_MM = 95


def _header(
    document: Any, style: Style, *, number: str, type_code: str, day: datetime.date
) -> None:
    """The header table: issuing body left, national or Party header right."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, [HEADER_LEFT_MM, HEADER_RIGHT_MM])
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    if style.is_party:
        size = 14.0
        if style.parent_name:
            _para(left, style.parent_name.upper(), size)
        _para(left, style.body_name.upper(), size, bold=True)
        _para(left, "*", size)
        _para(left, number_line(style, number, type_code), size)
        _para(right, PARTY_NAME, 15, bold=True)
        # As long as the title (about 2.2 mm a capital at 15 pt).
        _rule(right, width_mm=len(PARTY_NAME) * 3.0, cell_width_mm=HEADER_RIGHT_MM)
        _para(right, date_line(style.place_name, day), 14, italic=True)
    else:
        size = style.header_size
        if style.parent_name:
            _para(left, style.parent_name.upper(), size)
        _para(left, style.body_name.upper(), size, bold=True)
        # A third to a half of the name (NĐ 30/2020, Appendix I).
        _rule(left, width_mm=HEADER_LEFT_MM * 0.4, cell_width_mm=HEADER_LEFT_MM)
        _para(left, number_line(style, number, type_code), 13)
        _para(right, NATIONAL_NAME, size, bold=True)
        _para(right, NATIONAL_MOTTO, 14, bold=True)
        # As long as the motto (about 2.1 mm a letter at 14 pt bold).
        _rule(right, width_mm=len(NATIONAL_MOTTO) * 2.1, cell_width_mm=HEADER_RIGHT_MM)
        _para(right, date_line(style.place_name, day), 14, italic=True)


def _title(document: Any, style: Style, kind: str, summary_line: str) -> None:
    _para(document, "", 12)
    _para(document, kind, 15 if style.is_party else 14, bold=True)
    _para(document, summary_line, 14, bold=True, after=12)


def _body(document: Any, style: Style, text: str, *, bold: bool = False) -> None:
    for line in (text or "").splitlines():
        if line.strip():
            _para(
                document,
                line.strip(),
                style.body_size,
                bold=bold,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                indent=True,
                after=6,
            )


def _signature(document: Any, style: Style, recipients: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [80, 85])
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    if style.is_party:
        _para(left, "Nơi nhận:", 14, underline=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for line in recipients:
            _para(left, f"- {line}", 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    else:
        _para(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for line in recipients:
            _para(left, f"- {line}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    size = 14.0
    if style.signer_authority:
        _para(right, style.signer_authority.upper(), size, bold=True)
    if style.signer_title:
        _para(right, style.signer_title.upper(), size, bold=True)
    for _ in range(4):
        _para(right, "", size)
    if style.signer_name:
        _para(right, style.signer_name, size, bold=True)


#: The text of the tables, header bold and centred (the indicator table's size).
TABLE_SIZE = 11


def _row_flag(row: Any, name: str) -> None:
    """Set a row property: `tblHeader` (repeat the row at the top of every page the
    table runs onto) or `cantSplit` (keep the row whole on one page)."""
    flag = OxmlElement(f"w:{name}")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _figures_table(document: Any, summary: Summary) -> None:
    members = summary.members
    columns = 2 + len(members)
    table = document.add_table(rows=1, cols=columns)
    _grid(table)
    first = 55.0
    _widths(table, [first] + [(165 - first) / (columns - 1)] * (columns - 1))
    heads = ["Chỉ tiêu", *[m.name for m in members], "Toàn cụm"]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), TABLE_SIZE, bold=True)
    for indicator in indicators.INDICATORS:
        values = [m.figures.get(indicator.key) for m in members]
        if all(v is None for v in values):
            continue
        row = table.add_row().cells
        for cell, width in zip(
            row, [first] + [(165 - first) / (columns - 1)] * (columns - 1), strict=True
        ):
            cell.width = Mm(width)
        _font(row[0].paragraphs[0].add_run(str(indicator.label)), TABLE_SIZE)
        cells = [*values, summary.totals.get(indicator.key)]
        for cell, value in zip(row[1:], cells, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(cell.paragraphs[0].add_run(indicators.number_text(value)), TABLE_SIZE)


#: The caption under a chart: italic, a point below the body (13 for a 14 pt body).
CAPTION_SIZE_DELTA = 1


def _chart(document: Any, style: Style, picture: chart.Picture, number: int) -> None:
    """A chart centred in the column, its caption “Biểu đồ 1. …” under it."""
    paragraph = _para(document, "", style.body_size)
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(6)
    fmt.keep_with_next = True
    run = paragraph.add_run()
    shape = run.add_picture(io.BytesIO(picture.png), width=Mm(picture.width_mm))
    # The caption as the picture's description, for screen readers.
    shape._inline.docPr.set("descr", picture.caption)
    _font(run, style.body_size)
    caption = _para(document, "", style.body_size, after=6)
    size = style.body_size - CAPTION_SIZE_DELTA
    _font(caption.add_run(f"Biểu đồ {number}. "), size, bold=True, italic=True)
    _font(caption.add_run(picture.caption), size, italic=True)


# The follow-up of the previous conclusion ------------------------------------

#: A task's status as the document writes it (as the back office says it).
TASK_STATUS_TEXT: dict[str, str] = {
    TaskStatus.OPEN: "Chưa thực hiện",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.DONE: "Đã hoàn thành",
    TaskStatus.CANCELLED: "Đã hủy",
}
#: Said after the status of an unfinished task whose due date has passed.
OVERDUE_TEXT = "quá hạn"
FOLLOW_UP_TITLE = "TÌNH HÌNH THỰC HIỆN THÔNG BÁO KẾT LUẬN KỲ TRƯỚC"
FOLLOW_UP_HEADS = (
    "TT",
    "Nội dung kết luận",
    "Thành viên",
    "Thời hạn",
    "Tình trạng",
    "Kết quả theo dõi gần nhất",
)
#: The columns, in millimetres: the 165 mm column.
FOLLOW_UP_WIDTHS_MM = (9.0, 48.0, 24.0, 24.0, 25.0, 35.0)


def _is_overdue(task: ConclusionTask, day: datetime.date) -> bool:
    return task.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS) and bool(
        task.due_on and task.due_on < day
    )


def _status_text(task: ConclusionTask, day: datetime.date) -> str:
    text = TASK_STATUS_TEXT.get(task.status, task.status)
    return f"{text} ({OVERDUE_TEXT})" if _is_overdue(task, day) else text


def _last_note(task: ConclusionTask) -> str:
    updates = list(task.updates.all())  # prefetched, oldest first
    if not updates:
        return "–"
    last = updates[-1]
    return f"{timezone.localdate(last.created_at):%d/%m/%Y}: {last.note.strip()}"


def _period_of(briefing: Briefing) -> Period:
    return Period(briefing.period_start, briefing.period_end, briefing.period_code)


def _cell_text(cell: Any, text: str, *, align: Any = WD_ALIGN_PARAGRAPH.LEFT, **kw: Any) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    _font(paragraph.add_run(text), TABLE_SIZE, **kw)


def _tasks_table(
    document: Any, tasks: list[ConclusionTask], day: datetime.date, *, older: bool
) -> None:
    """One row per task; an item's number and text span the rows of its members.

    `older`: the tasks come from several briefings, each item says its period.
    """
    table = document.add_table(rows=1, cols=len(FOLLOW_UP_HEADS))
    _grid(table)
    _row_flag(table.rows[0], "tblHeader")
    for cell, text in zip(table.rows[0].cells, FOLLOW_UP_HEADS, strict=True):
        _cell_text(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    groups: list[list[Any]] = []  # the rows of one item
    for task in tasks:
        row = table.add_row()
        _row_flag(row, "cantSplit")
        cells = row.cells
        if groups and groups[-1][0][1].item_id == task.item_id:
            groups[-1].append((row, task))
        else:
            groups.append([(row, task)])
            item = task.item
            number = str(len(groups)) if older else str(item.number)
            _cell_text(cells[0], number, align=WD_ALIGN_PARAGRAPH.CENTER)
            _cell_text(cells[1], item.text.strip())
            if older:
                source = _period_of(item.briefing).label()
                paragraph = cells[1].add_paragraph()
                _font(
                    paragraph.add_run(f"(Kết luận {source}, mục {item.number})"),
                    TABLE_SIZE,
                    italic=True,
                )
        _cell_text(cells[2], task.province.name)
        due = f"{task.due_on:%d/%m/%Y}" if task.due_on else "–"
        _cell_text(cells[3], due, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell_text(cells[4], _status_text(task, day))
        _cell_text(cells[5], _last_note(task))
    _widths(table, list(FOLLOW_UP_WIDTHS_MM))
    # The item's number and text span its members' rows.
    for group in groups:
        if len(group) > 1:
            first, last = group[0][0].cells, group[-1][0].cells
            first[0].merge(last[0])
            first[1].merge(last[1])


def _counted(tasks: list[ConclusionTask], day: datetime.date) -> str:
    """ "đã hoàn thành 2, đang thực hiện 1 (1 nhiệm vụ quá hạn)"."""
    parts = []
    for status in (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.OPEN, TaskStatus.CANCELLED):
        count = sum(1 for t in tasks if t.status == status)
        if count:
            parts.append(
                f"{TASK_STATUS_TEXT[status][:1].lower()}{TASK_STATUS_TEXT[status][1:]} {count}"
            )
    overdue = sum(1 for t in tasks if _is_overdue(t, day))
    text = ", ".join(parts)
    return f"{text} ({overdue} nhiệm vụ quá hạn)" if overdue else text


def _follow_up(
    document: Any, style: Style, follow_up: ConclusionFollowUp, day: datetime.date, heading: str
) -> None:
    # It follows a table or a chart: some space above.
    title = _heading(document, style, f"{heading}. {FOLLOW_UP_TITLE}")
    title.paragraph_format.space_before = Pt(6)
    title.paragraph_format.keep_with_next = True
    previous = follow_up.previous
    if previous is not None:
        notice = "Thông báo"
        if previous.notice_number.strip():
            # "Số 05-TB/X" or "Số: 05/TB-X" read "số 05-TB/X", "số 05/TB-X" in a sentence.
            number = number_line(_loaded_style(previous), previous.notice_number, TYPE_NOTICE)
            notice += " số " + number.removeprefix("Số").lstrip(": ")
        if previous.concluded_at is not None:
            notice += f" ngày {timezone.localdate(previous.concluded_at):%d/%m/%Y}"
        tasks = follow_up.tasks
        _lead(
            document,
            style,
            f"Thực hiện {notice} kết luận hội nghị giao ban công tác dân vận "
            f"{_period_of(previous).label()}, các thành viên của cụm được giao {len(tasks)} "
            f"nhiệm vụ; đến ngày {day:%d/%m/%Y}: {_counted(tasks, day)}. "
            "Cụ thể như sau:",
        )
        _tasks_table(document, tasks, day, older=False)
    if follow_up.older:
        if previous is not None:
            _para(document, "", 6)
        _lead(
            document,
            style,
            f"{'Ngoài ra, còn' if previous is not None else 'Còn'} {len(follow_up.older)} "
            "nhiệm vụ theo kết luận giao ban các kỳ trước chưa hoàn thành:",
        )
        _tasks_table(document, follow_up.older, day, older=True)
    _para(document, "", 6)


def _lead(document: Any, style: Style, text: str) -> None:
    """A body paragraph that stays on the page of the table it introduces."""
    paragraph = _para(
        document,
        text,
        style.body_size,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=True,
        after=6,
    )
    paragraph.paragraph_format.keep_with_next = True


def _heading(document: Any, style: Style, text: str) -> Any:
    """A section's heading, "II. …": bold, at the left."""
    return _para(
        document, text, style.body_size, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=6
    )


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


ROMAN = ("I", "II", "III", "IV", "V", "VI")
SECTION_TITLES = {
    "results": "KẾT QUẢ THỰC HIỆN",
    "limitations": "HẠN CHẾ VÀ NGUYÊN NHÂN",
    "lessons": "BÀI HỌC KINH NGHIỆM",
    "proposals": "ĐỀ XUẤT, KIẾN NGHỊ",
}


@_in_vietnamese
def report_docx(summary: Summary, style: Style, *, day: datetime.date | None = None) -> bytes:
    """The cluster report: figures side by side, comparison, charts, compiled narrative."""
    day = day or timezone.localdate()
    briefing = summary.briefing
    document = _new_document(style)
    _header(
        document,
        style,
        number=briefing.report_number if briefing else "",
        type_code=TYPE_REPORT,
        day=day,
    )
    _title(
        document,
        style,
        "BÁO CÁO",
        f"kết quả công tác dân vận {summary.period.label()} của {summary.cluster.name[:1].lower()}"
        f"{summary.cluster.name[1:]}",
    )
    headings = iter(ROMAN)
    _heading(document, style, f"{next(headings)}. CÁC CHỈ TIÊU CHỦ YẾU")
    _figures_table(document, summary)
    changes = [
        f"{str(ind.label).lower()} {_signed(summary.change(ind.key))}"
        for ind in indicators.INDICATORS
        if summary.change(ind.key)
    ]
    if summary.previous is not None and summary.previous.members and changes:
        _para(document, "", 6)
        _body(document, style, f"So với {summary.previous.period.label()}: {'; '.join(changes)}.")
    for number, picture in enumerate(chart.report_charts(summary), start=1):
        _chart(document, style, picture, number)
    follow_up = conclusion_follow_up(summary.cluster, summary.period)
    if follow_up:
        _follow_up(document, style, follow_up, day, next(headings))
    for section, title in SECTION_TITLES.items():
        entries = summary.narrative(section)
        if not entries:
            continue
        # Numbered as they come: a section left out leaves no gap.
        _heading(document, style, f"{next(headings)}. {title}")
        for name, text in entries:
            _body(document, style, f"{name}:", bold=True)
            _body(document, style, text)
    _para(document, "", 12)
    _signature(document, style, [m.name for m in summary.members] + ["Lưu VT."])
    return _save(document)


def _signed(value: float | None) -> str:
    if value is None:
        return ""
    text = indicators.number_text(abs(value))
    return f"tăng {text}" if value > 0 else (f"giảm {text}" if value < 0 else "không đổi")


@_in_vietnamese
def notice_docx(briefing: Briefing, style: Style, *, day: datetime.date | None = None) -> bytes:
    """The conclusion notice: the meeting and the conclusion's items with their due dates."""
    day = day or timezone.localdate()
    period = _period_of(briefing)
    document = _new_document(style)
    _header(document, style, number=briefing.notice_number, type_code=TYPE_NOTICE, day=day)
    _title(
        document,
        style,
        "THÔNG BÁO",
        f"kết luận hội nghị giao ban công tác dân vận {period.label()}",
    )
    meeting = getattr(briefing, "meeting", None)
    if meeting is not None:
        _body(
            document,
            style,
            f"Ngày {meeting.date:%d/%m/%Y}, tại {meeting.place}, {briefing.cluster.name} "
            f"tổ chức hội nghị giao ban công tác dân vận {period.label()}. "
            f"Chủ trì hội nghị: {meeting.chair}.",
        )
        _body(document, style, meeting.conclusion)
    for item in conclusion_items(briefing):
        due = f" (hoàn thành trước ngày {item.due_on:%d/%m/%Y})" if item.due_on else ""
        _body(document, style, f"{item.number}. {item.text}{due}")
    _para(document, "", 12)
    members = [r.member_name for r in briefing.reports.all()]
    _signature(document, style, [*members, "Lưu VT."])
    return _save(document)


# Excel -----------------------------------------------------------------------


@_in_vietnamese
def indicators_xlsx(summary: Summary) -> bytes:
    """The indicator table: one row per indicator, one column per member, totals, ranks."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chỉ tiêu"
    bold = Font(name=FONT_NAME, bold=True, size=12)
    plain = Font(name=FONT_NAME, size=12)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([summary.cluster.name])
    sheet.append([summary.period.label()])
    sheet["A1"].font = bold
    sheet["A2"].font = plain
    sheet.append([])
    heads = ["Chỉ tiêu", *[m.name for m in summary.members], "Toàn cụm"]
    if summary.previous is not None:
        heads += ["Kỳ trước", "Tăng/giảm"]
    sheet.append(heads)
    for cell in sheet[4]:
        cell.font = bold
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for indicator in indicators.INDICATORS:
        row = [
            str(indicator.label),
            *[m.figures.get(indicator.key) for m in summary.members],
            summary.totals.get(indicator.key),
        ]
        if summary.previous is not None:
            row += [summary.previous.totals.get(indicator.key), summary.change(indicator.key)]
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.font = plain
            cell.border = border
            if isinstance(cell.value, float | int | Decimal):
                cell.number_format = "0.0" if indicator.is_percent else "#,##0"
    sheet.column_dimensions["A"].width = 40
    for letter in "BCDEFGHIJKLMNOPQ":
        sheet.column_dimensions[letter].width = 14
    if summary.rankings:
        ranks = workbook.create_sheet("Xếp hạng")
        ranks.append(["Chỉ tiêu", *[m.name for m in summary.members]])
        for cell in ranks[1]:
            cell.font = bold
        for key, by_member in summary.rankings.items():
            ranks.append(
                [
                    str(indicators.BY_KEY[key].label),
                    *[by_member.get(m.code) for m in summary.members],
                ]
            )
        ranks.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# PDF -------------------------------------------------------------------------


def pdf_converter() -> str | None:
    """Return the LibreOffice program that converts Word to PDF, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    """Convert a Word file to PDF with LibreOffice headless.

    Raises `DocumentUnavailable` when LibreOffice is not installed.
    """
    program = pdf_converter()
    if program is None:
        raise DocumentUnavailable("LibreOffice (soffice) is not installed: no PDF.")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(docx)
        subprocess.run(  # noqa: S603 (a fixed program and our own file)
            [
                program,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return (Path(folder) / "document.pdf").read_bytes()
