"""The reception log in Excel and Word, the receipt and the dialogue minutes.

Each test opens the file it got (openpyxl, python-docx) and reads its cells,
paragraphs and page setup, as a person printing it would see them.
"""

import datetime
import functools
import io
import zipfile
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from danvan.core.models import AuditEvent
from danvan.orgs.models import Organization, Role
from danvan.petitions.tests.factories import make_petition, staff_user
from danvan.petitions.workflow import PetitionKind
from danvan.reception import exports
from danvan.reception.exports import (
    LOG_COLUMNS,
    PROTECTED_IDENTITY_TEXT,
    dialogue_minutes_docx,
    place_name,
    receipt_docx,
    reception_log_docx,
    reception_log_xlsx,
)
from danvan.reception.models import (
    Commitment,
    Dialogue,
    DialogueIssue,
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
from danvan.reception.tests.factories import ReceptionPlace, reception_place
from danvan.reception.visits import visit_people_visible_to

pytestmark = pytest.mark.django_db

D = datetime.date
FROM, TO = D(2026, 1, 1), D(2026, 3, 31)
#: How openpyxl reads a date cell back: a naive datetime at midnight.
MIDNIGHT = functools.partial(datetime.datetime.combine, time=datetime.time())
DENOUNCER = "Đỗ Thị Kín Đáo"
DENOUNCER_ID = "CCCD 082199000777"


def make_visit(
    organization: Organization,
    number: int,
    received_on: D,
    *,
    people: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Visit:
    """Store a visit and its people as the log holds them (no service involved)."""
    fields.setdefault("kind", VisitKind.FEEDBACK)
    fields.setdefault("outcome", VisitOutcome.RECORDED)
    fields.setdefault("summary", f"Nội dung lượt tiếp số {number}")
    fields.setdefault("identity_protected", fields["kind"] == VisitKind.DENUNCIATION)
    visit = Visit.objects.create(
        organization=organization,
        year=received_on.year,
        number=number,
        received_on=received_on,
        **fields,
    )
    for position, person in enumerate(people or [{"name": f"Công dân {number}"}]):
        VisitPerson.objects.create(visit=visit, position=position, **person)
    return visit


@pytest.fixture
def place() -> ReceptionPlace:
    return reception_place()


@pytest.fixture
def log(place: ReceptionPlace) -> dict[str, Visit]:
    """Four visits of the commune in the period, one outside it, one of another body."""
    commune = place.commune
    group = make_visit(
        commune,
        2,
        D(2026, 2, 3),
        kind=VisitKind.COMPLAINT,
        summary="Khiếu nại việc bồi thường khi thu hồi đất làm đường",
        people_count=7,
        previously_handled_by="UBND phường đã giải quyết lần đầu",
        within_competence=False,
        outcome=VisitOutcome.TRANSFERRED,
        accepted_by=place.department,
        transfer_document_number="12/PC-TCD",
        guided_to="Sở Xây dựng",
        guidance_document_number="05/HD-TCD",
        result_follow_up="Đang xác minh",
        notes="Có đơn kèm theo",
        received_by=place.officer,
        people=[
            {"name": "Trần Văn Thành", "address": "ấp Phú Hòa", "identity_document": "CCCD 1"},
            {
                "name": "Lê Thị Mai",
                "address": "khóm 3",
                "identity_document": "CCCD 2",
                "is_representative": True,
            },
        ],
    )
    first = make_visit(commune, 1, D(2026, 1, 5), within_competence=True)
    protected = make_visit(
        commune,
        3,
        D(2026, 3, 31),
        kind=VisitKind.DENUNCIATION,
        summary="Tố cáo cán bộ thu tiền ngoài quy định",
        received_by=place.chairman,
        people=[{"name": DENOUNCER, "address": "ấp Kín", "identity_document": DENOUNCER_ID}],
    )
    refused = make_visit(
        commune,
        4,
        D(2026, 3, 31),
        outcome=VisitOutcome.REFUSED,
        refusal_ground=RefusalGround.DISORDERLY,
        refusal_notice_number="03/TB-TCD",
        notes="Đã lập biên bản",
    )
    make_visit(commune, 9, D(2026, 4, 1))
    make_visit(place.department, 1, D(2026, 2, 1))
    return {"group": group, "first": first, "protected": protected, "refused": refused}


def _sheet(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content)).active


def _data_rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [
        row
        for row in sheet.iter_rows(min_row=9, values_only=True)
        if any(v is not None for v in row)
    ]


def _xlsx(place: ReceptionPlace, user: Any) -> bytes:
    return reception_log_xlsx(organization=place.commune, date_from=FROM, date_to=TO, user=user)


def _docx(place: ReceptionPlace, user: Any) -> Any:
    content = reception_log_docx(organization=place.commune, date_from=FROM, date_to=TO, user=user)
    return Document(io.BytesIO(content))


def _table_texts(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


# --- Excel --------------------------------------------------------------------


def test_xlsx_has_the_13_titles_of_the_template_numbered_1_to_13(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    sheet = _sheet(_xlsx(place, place.chairman))

    assert [c.value for c in sheet[7]] == list(LOG_COLUMNS)
    assert [c.value for c in sheet[8]] == list(range(1, 14))
    assert sheet["A4"].value == "SỔ TIẾP CÔNG DÂN"
    assert sheet["A5"].value == "Từ ngày 01/01/2026 đến ngày 31/03/2026"
    assert sheet["A1"].value == "ỦY BAN NHÂN DÂN PHƯỜNG MỸ THO"
    assert sheet["F1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["F2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert LOG_COLUMNS[2] == "Họ tên, địa chỉ"
    assert LOG_COLUMNS[3] == "CCCD/Hộ chiếu"


def test_xlsx_rows_are_the_period_of_the_organization_by_date_and_number(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    rows = _data_rows(_sheet(_xlsx(place, place.chairman)))

    assert [row[0] for row in rows] == [1, 2, 3, 4]
    assert rows[0][1] == MIDNIGHT(D(2026, 1, 5))  # a real date, shown DD/MM/YYYY


def test_xlsx_row_holds_the_13_columns_of_a_visit(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    sheet = _sheet(_xlsx(place, place.officer))
    row = _data_rows(sheet)[1]

    assert row == (
        2,
        MIDNIGHT(D(2026, 2, 3)),
        # The representative first.
        "Lê Thị Mai (người đại diện), khóm 3\nTrần Văn Thành, ấp Phú Hòa",
        "CCCD 2\nCCCD 1",
        "Khiếu nại việc bồi thường khi thu hồi đất làm đường",
        "Khiếu nại",
        7,
        "UBND phường đã giải quyết lần đầu",
        None,  # column 9: outside competence
        "Sở Xây dựng\nVăn bản số 05/HD-TCD",
        "Sở Nông nghiệp và Môi trường tỉnh Đồng Tháp\nVăn bản số 12/PC-TCD",
        "Đang xác minh",
        "Có đơn kèm theo",
    )
    first = _data_rows(sheet)[0]
    assert first[5] == "Phản ánh"
    assert first[8] == "x"
    assert sheet.cell(row=10, column=2).number_format == "DD/MM/YYYY"


def test_xlsx_refusal_is_noted_in_column_13(place: ReceptionPlace, log: dict[str, Visit]) -> None:
    refused = _data_rows(_sheet(_xlsx(place, place.chairman)))[3]

    assert refused[12].startswith("Từ chối tiếp công dân")
    assert "thông báo số 03/TB-TCD" in refused[12]
    assert refused[12].endswith("Đã lập biên bản")


def test_xlsx_prints_on_a4_landscape_fit_to_width_with_repeated_titles(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    sheet = _sheet(_xlsx(place, place.chairman))

    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(sheet.page_setup.fitToWidth) == 1
    assert int(sheet.page_setup.fitToHeight) == 0
    assert sheet.print_title_rows == "$7:$8"
    assert sheet.freeze_panes == "A9"
    assert round(sheet.page_margins.left * 25.4) == 30
    assert sheet.cell(row=9, column=5).font.name == "Times New Roman"


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")
        )


def test_xlsx_withholds_a_denouncer_from_an_officer_who_did_not_receive_the_visit(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    content = _xlsx(place, place.officer)  # received the group, not the denunciation
    row = _data_rows(_sheet(content))[2]

    assert row[2] == PROTECTED_IDENTITY_TEXT
    assert row[3] == PROTECTED_IDENTITY_TEXT
    assert row[4] == "Tố cáo cán bộ thu tiền ngoài quy định"
    assert DENOUNCER not in _xlsx_text(content)
    assert DENOUNCER_ID not in _xlsx_text(content)


def test_xlsx_withholds_a_denouncer_from_the_superuser(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    admin = staff_user(username="root", is_superuser=True)

    assert _data_rows(_sheet(_xlsx(place, admin)))[2][2] == PROTECTED_IDENTITY_TEXT
    assert _data_rows(_sheet(_xlsx(place, None)))[2][2] == PROTECTED_IDENTITY_TEXT


def test_xlsx_shows_a_denouncer_to_the_heads_and_to_the_officer_who_received_them(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    other_officer = staff_user(place.commune, Role.RECEPTION_OFFICER, username="lan2")
    Visit.objects.filter(pk=log["protected"].pk).update(received_by=other_officer)

    # The commune's head, the head of the province above it, the officer.
    for user in (place.chairman, place.province_chairman, other_officer):
        row = _data_rows(_sheet(_xlsx(place, user)))[2]
        assert row[2] == f"{DENOUNCER}, ấp Kín"
        assert row[3] == DENOUNCER_ID


def test_an_officer_who_left_the_organization_no_longer_sees_whom_they_received(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    former = staff_user(username="lan-cu")  # no membership any more
    Visit.objects.filter(pk=log["protected"].pk).update(received_by=former)

    assert _data_rows(_sheet(_xlsx(place, former)))[2][2] == PROTECTED_IDENTITY_TEXT


def test_the_handler_of_the_denunciation_a_visit_brought_sees_its_people(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    handler = staff_user(place.department, Role.HANDLER, username="xuly")
    petition = make_petition(
        organization=place.department, kind=PetitionKind.DENUNCIATION, assigned_to=handler
    )
    log["protected"].petitions.add(petition)

    assert _data_rows(_sheet(_xlsx(place, handler)))[2][2] == f"{DENOUNCER}, ấp Kín"
    assert _data_rows(_sheet(_xlsx(place, place.officer)))[2][2] == PROTECTED_IDENTITY_TEXT


def test_the_log_rule_is_the_rule_of_the_visit_page(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    """`_IdentityRule` reads a whole log; `visits.visit_people_visible_to` one visit."""
    handler = staff_user(place.department, Role.HANDLER, username="xuly")
    denunciation = make_petition(
        organization=place.department, kind=PetitionKind.DENUNCIATION, assigned_to=handler
    )
    brought = make_visit(
        place.commune,
        5,
        D(2026, 3, 2),
        kind=VisitKind.MIXED,
        identity_protected=True,
        received_by=place.department_head,
    )
    brought.petitions.add(denunciation)
    Visit.objects.filter(pk=log["group"].pk).update(identity_protected=True)
    visits = list(Visit.objects.filter(identity_protected=True).select_related("organization"))
    users = [
        None,
        place.chairman,
        place.officer,
        place.province_chairman,
        place.department_head,
        handler,
        staff_user(username="root", is_superuser=True),
        staff_user(username="nobody"),
    ]
    for user in users:
        visible = exports._IdentityRule(user, place.commune).visible(visits)
        for visit in visits:
            expected = visit_people_visible_to(user, visit)
            assert (visit.pk in visible) is expected, (user, visit.number)


def test_export_writes_one_audit_event_without_names(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    _xlsx(place, place.officer)

    event = AuditEvent.objects.get(action=exports.LOG_EXPORT_ACTION)
    assert event.kind == AuditEvent.Kind.VIEW
    assert event.actor == place.officer
    assert event.target_id == str(place.commune.pk)
    assert event.data == {
        "format": "xlsx",
        "from": "2026-01-01",
        "to": "2026-03-31",
        "visits": 4,
        "protected_shown": 0,
        "protected_hidden": 1,
        "reveal_protected": False,
    }


def test_xlsx_keeps_a_text_that_looks_like_a_formula_as_text(place: ReceptionPlace) -> None:
    make_visit(place.commune, 1, D(2026, 1, 6), summary='=HYPERLINK("http://x","bấm")')

    cell = _sheet(_xlsx(place, place.chairman)).cell(row=9, column=5)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x","bấm")'


def test_xlsx_drops_control_characters_that_xml_cannot_hold(place: ReceptionPlace) -> None:
    make_visit(place.commune, 1, D(2026, 1, 6), summary="Đường\x0bngập\x1f nước")

    cell = _sheet(_xlsx(place, place.chairman)).cell(row=9, column=5)
    assert cell.value == "Đườngngập nước"


def test_an_empty_period_gives_the_titles_and_no_row(place: ReceptionPlace) -> None:
    sheet = _sheet(_xlsx(place, place.chairman))

    assert [c.value for c in sheet[8]] == list(range(1, 14))
    assert _data_rows(sheet) == []


def test_export_reads_in_a_fixed_number_of_queries(
    place: ReceptionPlace, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(1, 31):
        make_visit(
            place.commune,
            number,
            D(2026, 1, 5),
            kind=VisitKind.DENUNCIATION if number % 3 == 0 else VisitKind.COMPLAINT,
            outcome=VisitOutcome.TRANSFERRED,
            accepted_by=place.department,
            people=[{"name": f"A {number}"}, {"name": f"B {number}", "is_representative": True}],
        )
    # The memberships, the visits (one chunk), their people, the denunciations
    # the protected ones brought, the audit event (and, for Word, whether
    # there is any visit).
    with django_assert_max_num_queries(5):
        content = _xlsx(place, place.officer)
    assert len(_data_rows(_sheet(content))) == 30
    with django_assert_max_num_queries(6):
        reception_log_docx(
            organization=place.commune, date_from=FROM, date_to=TO, user=place.officer
        )


# --- Word ---------------------------------------------------------------------


def test_docx_is_a4_landscape_with_decree_30_margins_and_font(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    document = _docx(place, place.chairman)
    section = document.sections[0]

    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert [
        round(m.mm)
        for m in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ] == [20, 20, 30, 15]
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 13)


def test_docx_has_the_header_block_title_and_period(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    document = _docx(place, place.chairman)
    header = _table_texts(document.tables[0])[0]
    paragraphs = [p.text for p in document.paragraphs]

    assert "ỦY BAN NHÂN DÂN PHƯỜNG MỸ THO" in header[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert "SỔ TIẾP CÔNG DÂN" in paragraphs
    assert "Từ ngày 01/01/2026 đến ngày 31/03/2026" in paragraphs


def test_docx_table_has_titles_numbers_repeated_on_each_page_and_the_rows(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    table = _docx(place, place.officer).tables[1]
    texts = _table_texts(table)

    assert texts[0] == list(LOG_COLUMNS)
    assert texts[1] == [str(n) for n in range(1, 14)]
    for row in table.rows[:2]:
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[2]._tr.trPr is None or table.rows[2]._tr.trPr.find(qn("w:tblHeader")) is None
    assert [row[0] for row in texts[2:]] == ["1", "2", "3", "4"]
    group = texts[3]
    assert group[1] == "03/02/2026"
    assert group[2] == "Lê Thị Mai (người đại diện), khóm 3\nTrần Văn Thành, ấp Phú Hòa"
    assert group[5:9] == ["Khiếu nại", "7", "UBND phường đã giải quyết lần đầu", ""]
    assert group[10] == "Sở Nông nghiệp và Môi trường tỉnh Đồng Tháp\nVăn bản số 12/PC-TCD"
    assert texts[2][8] == "x"
    # The denunciation, seen by an officer who did not receive it.
    assert texts[4][2:4] == [PROTECTED_IDENTITY_TEXT, PROTECTED_IDENTITY_TEXT]
    assert round(sum(c.width.mm for c in table.rows[0].cells)) == 297 - 30 - 15


def test_docx_never_carries_a_withheld_denouncer(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    content = reception_log_docx(
        organization=place.commune, date_from=FROM, date_to=TO, user=place.officer
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert DENOUNCER not in xml
    assert DENOUNCER_ID not in xml
    head = _table_texts(_docx(place, place.chairman).tables[1])
    assert head[4][2] == f"{DENOUNCER}, ấp Kín"


# --- places -------------------------------------------------------------------


def test_place_of_the_date_line_drops_the_unit_word_but_not_a_persons_name(
    place: ReceptionPlace,
) -> None:
    assert place_name(place.commune) == "Mỹ Tho"
    assert place_name(place.province) == "Đồng Tháp"
    hcm = Organization(name="x", province=place.province.province)
    hcm.province.name = "Thành phố Hồ Chí Minh"
    assert place_name(hcm) == "Thành phố Hồ Chí Minh"
    hcm.province.name = "Phường 1"
    assert place_name(hcm) == "Phường 1"


# --- the receipt --------------------------------------------------------------


def test_receipt_names_who_handed_what_over_and_who_received_it(
    place: ReceptionPlace, log: dict[str, Visit]
) -> None:
    receipt = Receipt.objects.create(
        visit=log["group"],
        year=2026,
        number=5,
        issued_at=datetime.datetime(2026, 2, 3, 2, 30, tzinfo=datetime.UTC),  # 09:30 in VN
        handed_over_by="Lê Thị Mai",
        received_by=place.officer,
        documents=[
            {"title": "Đơn khiếu nại", "pages": 2, "copy": "original"},
            {"title": "Quyết định thu hồi đất", "pages": 3, "copy": "certified_copy"},
        ],
    )

    document = Document(io.BytesIO(receipt_docx(receipt)))
    text = "\n".join(p.text for p in document.paragraphs)
    header = _table_texts(document.tables[0])[0]
    items = _table_texts(document.tables[1])
    signatures = _table_texts(document.tables[2])[0]

    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert round(document.sections[0].page_width.mm) == 210
    assert "Số: 05/GBN" in header[0]
    assert "Mỹ Tho, ngày 03 tháng 02 năm 2026" in header[1]
    assert "GIẤY BIÊN NHẬN" in text
    assert "Vào hồi 09 giờ 30 phút, ngày 03 tháng 02 năm 2026" in text
    assert "Đã nhận của ông (bà): Lê Thị Mai" in text
    assert "Địa chỉ: khóm 3" in text
    assert "Số CCCD/Hộ chiếu: CCCD 2" in text
    assert "Lan" in text  # the officer who received
    assert items[1] == ["1", "Đơn khiếu nại", "2", "Bản chính"]
    assert items[2] == ["2", "Quyết định thu hồi đất", "3", "Bản sao có chứng thực"]
    assert "Tổng số: 02 tài liệu, 05 trang." in text
    assert "NGƯỜI NỘP THÔNG TIN, TÀI LIỆU" in signatures[0]
    assert "Lê Thị Mai" in signatures[0]
    assert "NGƯỜI NHẬN" in signatures[1]


def test_receipt_of_a_department_puts_its_people_s_committee_above_it(
    place: ReceptionPlace,
) -> None:
    visit = make_visit(place.department, 1, D(2026, 2, 1))
    receipt = Receipt.objects.create(
        visit=visit, year=2026, number=12, handed_over_by="Người lạ", documents=[]
    )

    header = _table_texts(Document(io.BytesIO(receipt_docx(receipt))).tables[0])[0][0]

    # Each name on two lines, broken before the unit it serves.
    assert header.splitlines()[:4] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH ĐỒNG THÁP",
        "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        "TỈNH ĐỒNG THÁP",
    ]
    assert "Số: 12/GBN" in header


# --- the dialogue minutes -----------------------------------------------------


@pytest.fixture
def dialogue(place: ReceptionPlace) -> Dialogue:
    dialogue = Dialogue.objects.create(
        organization=place.commune,
        kind=DialogueKind.ANNUAL,
        fatherland_front=place.front,
        subject="Đối thoại định kỳ năm 2026 với Nhân dân phường Mỹ Tho",
        notice_number="15/TB-UBND",
        notice_sent_on=D(2026, 5, 4),
        date=D(2026, 5, 15),
        starts_at=datetime.time(8, 0),
        place="Hội trường UBND phường Mỹ Tho",
        chair_name="Nguyễn Văn Tâm",
        chair_title="Chủ tịch UBND phường",
        minutes_summary="UBND phường tiếp thu các ý kiến và giao cơ quan chuyên môn xử lý.",
    )
    for position, (side, name, title, signature, reason) in enumerate(
        [
            (ParticipantSide.OFFICIAL, "Nguyễn Văn Tâm", "Chủ tịch UBND", "signed", ""),
            (ParticipantSide.CITIZEN, "Phạm Thị Hoa", "ấp Phú Hòa", "finger_printed", ""),
            (ParticipantSide.CITIZEN, "Võ Văn Lợi", "khóm 3", "refused", "Không đồng ý kết luận"),
            (ParticipantSide.ORGANIZATION, "Hội Nông dân phường", "", "absent", ""),
            (ParticipantSide.CITIZEN, "Lý Thị Nga", "", "pending", ""),
        ]
    ):
        DialogueParticipant.objects.create(
            dialogue=dialogue,
            position=position,
            side=side,
            name=name,
            title=title,
            signature=signature,
            refusal_reason=reason,
        )
    issue = DialogueIssue.objects.create(
        dialogue=dialogue,
        raised_by="Phạm Thị Hoa",
        question="Đường liên ấp ngập nước mỗi khi triều cường.",
        answer="Phường sẽ nâng cấp tuyến đường trong năm 2026.",
        answered_by="Nguyễn Văn Tâm",
    )
    Commitment.objects.create(
        dialogue=dialogue,
        issue=issue,
        description="Nâng cấp tuyến đường liên ấp Phú Hòa",
        owner=place.commune,
        due_on=D(2026, 12, 31),
    )
    return dialogue


def test_minutes_record_time_place_chair_and_participants_by_side(
    place: ReceptionPlace, dialogue: Dialogue
) -> None:
    document = Document(io.BytesIO(dialogue_minutes_docx(dialogue, place.officer)))
    text = "\n".join(p.text for p in document.paragraphs)

    assert "BIÊN BẢN ĐỐI THOẠI" in text
    assert "Vào hồi 08 giờ 00 phút, ngày 15 tháng 5 năm 2026, tại Hội trường UBND phường" in text
    assert "phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam phường Mỹ Tho" in text
    assert "Thông báo về việc đối thoại số 15/TB-UBND, gửi ngày 04/05/2026." in text
    assert "Chủ trì: Nguyễn Văn Tâm, Chủ tịch UBND phường." in text
    assert "Người ghi biên bản: Trần Thị Lan." in text
    lines = text.splitlines()
    official = lines.index("1. Đại diện cơ quan, người có thẩm quyền:")
    citizens = lines.index("2. Công dân:")
    organizations = lines.index("3. Cơ quan, tổ chức, cá nhân có liên quan:")
    assert official < citizens < organizations
    assert lines[citizens + 1 : citizens + 4] == [
        "- Phạm Thị Hoa, ấp Phú Hòa.",
        "- Võ Văn Lợi, khóm 3.",
        "- Lý Thị Nga.",
    ]
    assert "1. Ý kiến (Phạm Thị Hoa): Đường liên ấp ngập nước mỗi khi triều cường." in text
    assert "Trả lời (Nguyễn Văn Tâm): Phường sẽ nâng cấp tuyến đường trong năm 2026." in text
    assert "UBND phường tiếp thu các ý kiến" in text
    assert "Mỹ Tho, ngày 15 tháng 5 năm 2026" in _table_texts(document.tables[0])[0][1]


def test_minutes_list_commitments_with_owner_and_due_date(
    place: ReceptionPlace, dialogue: Dialogue
) -> None:
    document = Document(io.BytesIO(dialogue_minutes_docx(dialogue, place.officer)))
    commitments = _table_texts(document.tables[1])

    assert commitments[0] == ["STT", "Nội dung cam kết", "Cơ quan, đơn vị thực hiện", "Thời hạn"]
    assert commitments[1] == [
        "1",
        "Nâng cấp tuyến đường liên ấp Phú Hòa",
        "Ủy ban nhân dân phường Mỹ Tho",
        "31/12/2026",
    ]


def test_minutes_record_each_party_s_signature_status_and_the_copies(
    place: ReceptionPlace, dialogue: Dialogue
) -> None:
    document = Document(io.BytesIO(dialogue_minutes_docx(dialogue, place.officer, copies=2)))
    signatures = _table_texts(document.tables[2])
    text = "\n".join(p.text for p in document.paragraphs)

    status = {row[1].splitlines()[0]: row[3] for row in signatures[1:]}
    assert status == {
        "Nguyễn Văn Tâm": "Đã ký",
        "Phạm Thị Hoa": "Đã điểm chỉ",
        "Võ Văn Lợi": "Không ký. Lý do: Không đồng ý kết luận",
        "Hội Nông dân phường": "Vắng mặt",
        "Lý Thị Nga": "",  # to be signed on paper
    }
    # NĐ 124/2020 Art. 28: at least three copies, even when fewer are asked.
    assert "Biên bản được lập thành 03 bản" in text
    assert "Biên bản được lập thành 05 bản" in "\n".join(
        p.text
        for p in Document(
            io.BytesIO(dialogue_minutes_docx(dialogue, place.officer, copies=5))
        ).paragraphs
    )
    event = AuditEvent.objects.filter(action=exports.MINUTES_EXPORT_ACTION).first()
    assert event is not None
    assert event.actor == place.officer


def test_signature_text_of_a_refusal_without_a_reason_says_so() -> None:
    participant = DialogueParticipant(name="X", signature=SignatureStatus.REFUSED)

    assert exports.signature_text(participant) == "Không ký (không nêu lý do)"


def test_user_model_full_name_is_family_first() -> None:
    user = get_user_model()(username="u", first_name="Lan", last_name="Trần Thị")

    assert exports._user_name(user) == "Trần Thị Lan"
