"""The Word documents in both formats (NĐ 30/2020 and 36-HD/VPTW), read
back with python-docx, and the Excel indicator table with openpyxl."""

import datetime
import io
from typing import Any

import pytest
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from danvan.briefings import documents, indicators, services
from danvan.briefings.models import DocumentFormat, IssuingBody
from danvan.briefings.summary import cluster_summary
from danvan.briefings.tests.factories import AN_GIANG, DONG_THAP, commission, current_cluster
from danvan.core.periods import period_parse
from danvan.geo.models import Province

pytestmark = pytest.mark.django_db

PERIOD = period_parse("2026-H1")
DAY = datetime.date(2026, 7, 5)


@pytest.fixture
def briefing() -> Any:
    cluster = current_cluster()
    commission(DONG_THAP)
    host = commission(AN_GIANG)
    briefing = services.briefing_create(
        actor=None,
        cluster=cluster,
        period=PERIOD,
        host_province=Province.objects.get(code=AN_GIANG),
    )
    briefing.report_number = "5"
    briefing.save()
    IssuingBody.objects.create(
        organization=host,
        document_format=DocumentFormat.PARTY,
        parent_name="Tỉnh ủy An Giang",
        body_name="Ban Tuyên giáo và Dân vận",
        symbol="BTGDVTU",
        place_name="An Giang",
        signer_authority="K/T Trưởng ban",
        signer_title="Phó Trưởng ban",
        signer_name="Lê Văn Minh",
    )
    report = briefing.reports.get(province_id=DONG_THAP)
    services.report_correct(actor=None, report=report, key="visits", value=12, reason="Sổ")
    services.report_write(actor=None, report=report, results="Đối thoại 14 cuộc với nhân dân.")
    return briefing


def _read(content: bytes) -> Any:
    return Document(io.BytesIO(content))


def _cell_runs(cell: Any) -> list[Any]:
    return [run for p in cell.paragraphs for run in p.runs]


def _check_page(document: Any) -> None:
    section = document.sections[0]
    # Word stores twentieths of a point: compare to a tenth of a millimetre.
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(size.mm, 1) for size in sizes] == [210, 297, 20, 20, 30, 15]
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name == "Times New Roman"


def test_party_report_header_fonts_margins_and_table(briefing: Any) -> None:
    summary = cluster_summary(briefing.cluster, PERIOD)
    style = documents.style_for(briefing)
    assert style.is_party
    document = _read(documents.report_docx(summary, style, day=DAY))
    _check_page(document)
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "TỈNH ỦY AN GIANG",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "*",
        "Số 05-BC/BTGDVTU",
    ]
    body_run = left.paragraphs[1].runs[0]
    assert body_run.bold
    assert body_run.font.size == Pt(14)
    assert not left.paragraphs[0].runs[0].bold
    party = right.paragraphs[0].runs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert party.bold
    assert party.font.size == Pt(15)
    date = right.paragraphs[-1].runs[0]
    assert date.text == "An Giang, ngày 05 tháng 7 năm 2026"
    assert date.italic
    assert date.font.size == Pt(14)
    for run in _cell_runs(left) + _cell_runs(right):
        assert run.font.name == "Times New Roman"
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO").runs[0]
    assert title.bold
    assert title.font.size == Pt(15)
    # The indicator table: a header row, members side by side, the cluster's total.
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == [
        "Chỉ tiêu",
        "Tỉnh Đồng Tháp",
        "Tỉnh An Giang",
        "Toàn cụm",
    ]
    visits = next(
        r for r in table.rows if r.cells[0].text == str(indicators.BY_KEY["visits"].label)
    )
    assert [c.text for c in visits.cells[1:]] == ["12", "0", "12"]
    assert "Đối thoại 14 cuộc với nhân dân." in texts
    signature = document.tables[-1].rows[0].cells[1]
    assert [p.text for p in signature.paragraphs if p.text] == [
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Lê Văn Minh",
    ]


def test_state_report_has_the_national_header_and_motto(briefing: Any) -> None:
    issuer = IssuingBody.objects.get()
    issuer.document_format = DocumentFormat.STATE
    issuer.parent_name = "Ủy ban nhân dân tỉnh An Giang"
    issuer.body_name = "Ban Tiếp công dân"
    issuer.symbol = "BTCD"
    issuer.save()
    summary = cluster_summary(briefing.cluster, PERIOD, with_previous=False)
    document = _read(documents.report_docx(summary, documents.style_for(briefing), day=DAY))
    _check_page(document)
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "ỦY BAN NHÂN DÂN TỈNH AN GIANG",
        "BAN TIẾP CÔNG DÂN",
        "Số: 05/BC-BTCD",
    ]
    assert left.paragraphs[0].runs[0].bold is False
    assert left.paragraphs[1].runs[0].bold
    assert left.paragraphs[1].runs[0].font.size == Pt(12)
    national, motto = right.paragraphs[0].runs[0], right.paragraphs[1].runs[0]
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert national.bold
    assert national.font.size == Pt(12)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert motto.bold
    assert motto.font.size == Pt(14)
    assert right.paragraphs[-1].runs[0].italic
    recipients = document.tables[-1].rows[0].cells[0].paragraphs
    assert recipients[0].text == "Nơi nhận:"
    assert recipients[0].runs[0].bold
    assert recipients[0].runs[0].italic
    assert recipients[0].runs[0].font.size == Pt(12)
    assert recipients[1].runs[0].font.size == Pt(11)


def test_conclusion_notice_lists_the_items(briefing: Any) -> None:
    services.meeting_save(
        actor=None,
        briefing=briefing,
        date=datetime.date(2026, 7, 3),
        place="Rạch Giá",
        chair="Trưởng ban",
        conclusion="Hội nghị đánh giá cao kết quả của các tỉnh.",
    )
    services.conclusion_item_add(
        actor=None, briefing=briefing, text="Đẩy mạnh đối thoại.", due_on=datetime.date(2026, 9, 1)
    )
    document = _read(documents.notice_docx(briefing, documents.style_for(briefing), day=DAY))
    _check_page(document)
    texts = [p.text for p in document.paragraphs]
    assert "THÔNG BÁO" in texts
    assert "1. Đẩy mạnh đối thoại. (hoàn thành trước ngày 01/09/2026)" in texts
    left = document.tables[0].rows[0].cells[0]
    assert left.paragraphs[-1].text == "Số      -TB/BTGDVTU"


def test_number_and_date_lines() -> None:
    state = documents.Style("state", "", "X", "UBND", "Cần Thơ")
    party = documents.Style("party", "", "X", "BTGDVTU", "Cần Thơ")
    assert documents.number_line(state, "7", "TB") == "Số: 07/TB-UBND"
    assert documents.number_line(party, "12", "BC") == "Số 12-BC/BTGDVTU"
    assert documents.date_line("Cần Thơ", datetime.date(2026, 2, 3)) == (
        "Cần Thơ, ngày 03 tháng 02 năm 2026"
    )
    assert documents.date_line("Cần Thơ", datetime.date(2026, 11, 23)) == (
        "Cần Thơ, ngày 23 tháng 11 năm 2026"
    )


def test_excel_has_members_totals_and_ranks(briefing: Any) -> None:
    report = briefing.reports.get(province_id=DONG_THAP)
    services.report_correct(actor=None, report=report, key="dialogues_held", value=3, reason="Sổ")
    summary = cluster_summary(briefing.cluster, PERIOD)
    workbook = load_workbook(io.BytesIO(documents.indicators_xlsx(summary)))
    sheet = workbook["Chỉ tiêu"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][:4] == ("Chỉ tiêu", "Tỉnh Đồng Tháp", "Tỉnh An Giang", "Toàn cụm")
    visits = next(r for r in rows if r[0] == str(indicators.BY_KEY["visits"].label))
    assert visits[1:4] == (12, 0, 12)
    assert len(rows) == 1 + len(indicators.INDICATORS)
    ranks = list(workbook["Xếp hạng"].iter_rows(values_only=True))
    dialogues = next(r for r in ranks if r[0] == str(indicators.BY_KEY["dialogues_held"].label))
    assert dialogues[1:] == (1, 2)


# Charts in the Word report ----------------------------------------------------


def _figures(report: Any, **values: float) -> None:
    for key, value in values.items():
        services.report_correct(actor=None, report=report, key=key, value=value, reason="Sổ")


def _captions(document: Any) -> list[Any]:
    return [p for p in document.paragraphs if p.text.startswith("Biểu đồ ")]


def test_report_has_charts_within_the_column_each_with_its_caption(briefing: Any) -> None:
    _figures(
        briefing.reports.get(province_id=DONG_THAP),
        petitions_received=1250,
        petitions_resolved=1100,
        petitions_resolved_on_time=990,
    )
    _figures(
        briefing.reports.get(province_id=AN_GIANG),
        petitions_received=860,
        petitions_resolved=700,
        petitions_resolved_on_time=560,
        visits=40,
    )
    summary = cluster_summary(briefing.cluster, PERIOD)
    document = _read(documents.report_docx(summary, documents.style_for(briefing), day=DAY))
    _check_page(document)
    shapes = document.inline_shapes
    # Petitions by member, on-time rate, visits, the cluster against the previous period.
    assert len(shapes) == 4
    section = document.sections[0]
    column = section.page_width - section.left_margin - section.right_margin
    for shape in shapes:
        assert 0.9 * column <= shape.width <= column
        assert shape.height > 0
    captions = _captions(document)
    assert [c.text.split(".")[0] for c in captions] == [f"Biểu đồ {n}" for n in range(1, 5)]
    for caption in captions:
        assert all(run.italic for run in caption.runs)
        assert len(caption.text) > len("Biểu đồ 1. ")
    # Each caption sits right under its picture.
    paragraphs = document.paragraphs
    for caption in captions:
        above = paragraphs[[p._p for p in paragraphs].index(caption._p) - 1]
        assert above._p.xpath(".//w:drawing")
    # The pictures come after the indicator table, before the narrative.
    texts = [p.text for p in paragraphs]
    assert texts.index(captions[0].text) < texts.index("Đối thoại 14 cuộc với nhân dân.")


def test_no_chart_when_no_member_has_figures(briefing: Any) -> None:
    # The system gave zeros (nothing happened in the test database) and no
    # correction brought a figure to draw: the table says it, no chart.
    briefing.reports.filter(province_id=DONG_THAP).update(figures={}, system_figures={})
    summary = cluster_summary(briefing.cluster, PERIOD, with_previous=False)
    document = _read(documents.report_docx(summary, documents.style_for(briefing), day=DAY))
    assert len(document.inline_shapes) == 0
    assert _captions(document) == []


def _member(code: int, name: str, **values: float) -> Any:
    from danvan.briefings.summary import Member

    return Member(code=code, name=name, figures=indicators.derive(values))


def _summary(members: list[Any], previous: list[Any] | None = None) -> Any:
    from danvan.briefings.summary import Summary
    from danvan.geo.models import Cluster

    cluster = Cluster(code="t", name="Cụm thi đua thử")

    def make(period: Any, rows: list[Any]) -> Summary:
        return Summary(
            cluster=cluster,
            period=period,
            source="briefing",
            briefing=None,
            members=rows,
            totals=indicators.add_up(m.figures for m in rows),
            rankings={},
        )

    summary = make(PERIOD, members)
    if previous is not None:
        summary.previous = make(PERIOD.previous(), previous)
    return summary


def test_a_member_without_figures_does_not_break_the_charts() -> None:
    from PIL import Image

    from danvan.briefings import chart

    counted = {
        "petitions_received": 300,
        "petitions_resolved": 250,
        "petitions_resolved_on_time": 240,
        "visits": 12,
    }
    summary = _summary(
        [
            _member(82, "Tỉnh Đồng Tháp", **counted),
            _member(91, "Tỉnh An Giang"),  # nothing at all: drawn as “–”
            _member(92, "Thành phố Cần Thơ", petitions_received=0, petitions_resolved=0),
        ],
        previous=[_member(82, "Tỉnh Đồng Tháp", **counted)],
    )
    pictures = chart.report_charts(summary)
    assert len(pictures) == 4
    for picture in pictures:
        image = Image.open(io.BytesIO(picture.png))
        assert image.format == "PNG"
        # As wide as the picture is meant to print at 150 dpi.
        assert abs(image.width - round(chart.WIDTH_MM / 25.4 * chart.DPI)) <= 1
    document = _read(documents.report_docx(summary, documents.Style("party", "", "X", "", "")))
    assert len(document.inline_shapes) == 4


def test_charts_draw_every_vietnamese_letter_in_their_font() -> None:
    """No “Glyph … missing from font(s)” warning: DejaVu Sans has them all."""
    import unicodedata
    import warnings

    from danvan.briefings import chart

    letters = "Ắằẳẵặ ấầẩẫậ Đđ ếềểễệ ỉịĩ ốồổỗộ ớờởỡợ ứừửữự ỳỵỷỹ"
    summary = _summary(
        [
            _member(82, f"Tỉnh {letters}", petitions_received=5, petitions_resolved=4),
            # Decomposed letters (a base and its marks) are drawn composed.
            _member(91, unicodedata.normalize("NFD", "Thành phố Hồ Chí Minh"), visits=3),
        ],
        previous=[_member(82, "Tỉnh Đồng Tháp", petitions_received=2)],
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pictures = chart.report_charts(summary)
    assert pictures
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
