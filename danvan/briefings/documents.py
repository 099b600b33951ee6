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

from django.utils import timezone, translation
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from danvan.briefings import indicators
from danvan.briefings.models import Briefing, DocumentFormat, IssuingBody
from danvan.briefings.selectors import conclusion_items
from danvan.briefings.summary import Summary

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
        _font(cell.paragraphs[0].add_run(text), 11, bold=True)
    for indicator in indicators.INDICATORS:
        values = [m.figures.get(indicator.key) for m in members]
        if all(v is None for v in values):
            continue
        row = table.add_row().cells
        for cell, width in zip(
            row, [first] + [(165 - first) / (columns - 1)] * (columns - 1), strict=True
        ):
            cell.width = Mm(width)
        _font(row[0].paragraphs[0].add_run(str(indicator.label)), 11)
        cells = [*values, summary.totals.get(indicator.key)]
        for cell, value in zip(row[1:], cells, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(cell.paragraphs[0].add_run(indicators.number_text(value)), 11)


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
    """The cluster report: figures side by side, comparison, compiled narrative."""
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
    _para(
        document,
        "I. CÁC CHỈ TIÊU CHỦ YẾU",
        style.body_size,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        after=6,
    )
    _figures_table(document, summary)
    changes = [
        f"{str(ind.label).lower()} {_signed(summary.change(ind.key))}"
        for ind in indicators.INDICATORS
        if summary.change(ind.key)
    ]
    if summary.previous is not None and summary.previous.members and changes:
        _para(document, "", 6)
        _body(document, style, f"So với {summary.previous.period.label()}: {'; '.join(changes)}.")
    for number, section in enumerate(SECTION_TITLES, start=2):
        entries = summary.narrative(section)
        if not entries:
            continue
        _para(
            document,
            f"{ROMAN[number - 1]}. {SECTION_TITLES[section]}",
            style.body_size,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            after=6,
        )
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
    from danvan.core.periods import Period

    period = Period(briefing.period_start, briefing.period_end, briefing.period_code)
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
