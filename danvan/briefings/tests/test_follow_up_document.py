"""The cluster report's section on the previous conclusion: what became of its
tasks (and of older tasks still open), read back with python-docx."""

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from docx.shared import Pt

from danvan.briefings import documents, services
from danvan.briefings.models import (
    OPEN_TASK_STATUSES,
    Briefing,
    DocumentFormat,
    IssuingBody,
    TaskStatus,
)
from danvan.briefings.selectors import conclusion_follow_up, open_tasks_for
from danvan.briefings.summary import cluster_summary
from danvan.briefings.tests.factories import AN_GIANG, DONG_THAP, commission, current_cluster
from danvan.core.periods import period_parse
from danvan.geo.models import Province

pytestmark = pytest.mark.django_db

OLDER = period_parse("2025-H2")
PREVIOUS = period_parse("2026-H1")
CURRENT = period_parse("2026-H2")
DAY = datetime.date(2027, 1, 10)
TITLE = "TÌNH HÌNH THỰC HIỆN THÔNG BÁO KẾT LUẬN KỲ TRƯỚC"
HEADS = [
    "TT",
    "Nội dung kết luận",
    "Thành viên",
    "Thời hạn",
    "Tình trạng",
    "Kết quả theo dõi gần nhất",
]
ITEM_DEBTS = "Rà soát, giải quyết dứt điểm đơn thư tồn đọng."
ITEM_DIALOGUE = "Tổ chức đối thoại với nông dân về thu hồi đất."
ITEM_OLD = "Sơ kết mô hình “Dân vận khéo”."
OTHER_TEXT = "Việc riêng của cụm khác."


def _create(cluster: Any, period: Any, host: int) -> Briefing:
    return services.briefing_create(
        actor=None, cluster=cluster, period=period, host_province=Province.objects.get(code=host)
    )


def _item(briefing: Briefing, text: str, due: datetime.date, *codes: int) -> Any:
    provinces = list(Province.objects.filter(code__in=codes)) if codes else None
    return services.conclusion_item_add(
        actor=None, briefing=briefing, text=text, due_on=due, provinces=provinces
    )


def _follow(item: Any, code: int, note: str, status: str) -> None:
    services.task_follow_up(
        actor=None, task=item.tasks.get(province_id=code), note=note, status=status
    )


def _conclude(briefing: Briefing, number: str, day: datetime.date) -> None:
    services.meeting_save(
        actor=None,
        briefing=briefing,
        date=day,
        place="Long Xuyên",
        chair="Trưởng ban",
        conclusion="Hội nghị thống nhất các nhiệm vụ.",
    )
    services.briefing_conclude(actor=None, briefing=briefing, notice_number=number)
    moment = datetime.datetime.combine(
        day, datetime.time(9), tzinfo=timezone.get_current_timezone()
    )
    Briefing.objects.filter(pk=briefing.pk).update(concluded_at=moment)


@pytest.fixture
def cluster() -> Any:
    cluster = current_cluster()
    commission(DONG_THAP)
    host = commission(AN_GIANG)
    IssuingBody.objects.create(
        organization=host,
        document_format=DocumentFormat.PARTY,
        parent_name="Tỉnh ủy An Giang",
        body_name="Ban Tuyên giáo và Dân vận",
        symbol="BTGDVTU",
        place_name="An Giang",
    )
    return cluster


@pytest.fixture
def other_cluster(cluster: Any) -> Any:
    """Another cluster of the same provinces, with open tasks of its own."""
    other = current_cluster("khac-t")
    for period in (OLDER, PREVIOUS):
        _item(_create(other, period, AN_GIANG), OTHER_TEXT, datetime.date(2026, 1, 1))
    return other


@pytest.fixture
def current(cluster: Any, other_cluster: Any) -> Briefing:
    older = _create(cluster, OLDER, AN_GIANG)
    old = _item(older, ITEM_OLD, datetime.date(2026, 3, 31))
    _follow(old, DONG_THAP, "Đã sơ kết 12 mô hình.", TaskStatus.DONE)  # done: not carried over
    _conclude(older, "3", datetime.date(2026, 1, 12))
    previous = _create(cluster, PREVIOUS, AN_GIANG)
    debts = _item(previous, ITEM_DEBTS, datetime.date(2027, 3, 31))
    _item(previous, ITEM_DIALOGUE, datetime.date(2026, 9, 30), DONG_THAP)
    _follow(debts, DONG_THAP, "Đã giải quyết 45/45 đơn.", TaskStatus.DONE)
    _follow(debts, AN_GIANG, "Chưa bắt đầu.", TaskStatus.OPEN)
    _follow(debts, AN_GIANG, "Còn 3 đơn đang xác minh.", TaskStatus.IN_PROGRESS)
    _conclude(previous, "7", datetime.date(2026, 7, 15))
    current = _create(cluster, CURRENT, DONG_THAP)
    report = current.reports.get(province_id=DONG_THAP)
    services.report_write(actor=None, report=report, results="Đối thoại 14 cuộc với nhân dân.")
    return current


def _document(briefing: Briefing) -> Any:
    summary = cluster_summary(briefing.cluster, CURRENT)
    style = documents.style_for(briefing)
    return Document(io.BytesIO(documents.report_docx(summary, style, day=DAY)))


def _task_tables(document: Any) -> list[Any]:
    return [t for t in document.tables if [c.text for c in t.rows[0].cells] == HEADS]


def _all_text(document: Any) -> str:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def test_report_follows_up_the_previous_conclusion_task_by_task(current: Briefing) -> None:
    document = _document(current)
    texts = [p.text for p in document.paragraphs]
    # After the indicators, before the narrative, numbered in turn.
    heading = f"II. {TITLE}"
    assert heading in texts
    assert texts.index(heading) < texts.index("III. KẾT QUẢ THỰC HIỆN")
    assert document.paragraphs[texts.index(heading)].runs[0].bold
    opening = texts[texts.index(heading) + 1]
    assert opening.startswith(
        "Thực hiện Thông báo số 07-TB/BTGDVTU ngày 15/07/2026 kết luận hội nghị giao ban "
        "công tác dân vận 6 tháng đầu năm 2026, các thành viên của cụm được giao 3 nhiệm vụ; "
        "đến ngày 10/01/2027: đã hoàn thành 1, đang thực hiện 1, chưa thực hiện 1 "
        "(1 nhiệm vụ quá hạn)."
    )
    previous, older = _task_tables(document)
    on = f"{timezone.localdate():%d/%m/%Y}: "
    dt, ag = "Tỉnh Đồng Tháp", "Tỉnh An Giang"
    # One row per task: the item, the member, the due date, the status, the last note.
    assert [tuple(c.text for c in row.cells) for row in previous.rows[1:]] == [
        ("1", ITEM_DEBTS, dt, "31/03/2027", "Đã hoàn thành", on + "Đã giải quyết 45/45 đơn."),
        ("1", ITEM_DEBTS, ag, "31/03/2027", "Đang thực hiện", on + "Còn 3 đơn đang xác minh."),
        ("2", ITEM_DIALOGUE, dt, "30/09/2026", "Chưa thực hiện (quá hạn)", "–"),
    ]
    # The item's number and text are one cell spanning its members' rows.
    first, second = previous.rows[1].cells, previous.rows[2].cells
    assert first[1]._tc is second[1]._tc
    assert first[0]._tc is second[0]._tc
    # The older briefing's task still open, with the period it came from;
    # the one done is not carried over.
    assert [tuple(c.text for c in row.cells) for row in older.rows[1:]] == [
        (
            "1",
            f"{ITEM_OLD}\n(Kết luận 6 tháng cuối năm 2025, mục 1)",
            "Tỉnh An Giang",
            "31/03/2026",
            "Chưa thực hiện (quá hạn)",
            "–",
        )
    ]
    everything = _all_text(document)
    assert "Đã sơ kết 12 mô hình." not in everything
    assert OTHER_TEXT not in everything
    # The indicator table's look: its grid style, Times New Roman, its size, a bold header.
    for table in (previous, older):
        assert table.style.name == document.tables[1].style.name == "Table Grid"
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
        for row in table.rows:
            for cell in row.cells:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    assert run.font.name == "Times New Roman"
                    assert run.font.size == Pt(documents.TABLE_SIZE)


def test_state_notice_number_reads_in_the_sentence(current: Briefing) -> None:
    IssuingBody.objects.update(document_format=DocumentFormat.STATE, symbol="BTCD")
    texts = [p.text for p in _document(current).paragraphs]
    assert any(t.startswith("Thực hiện Thông báo số 07/TB-BTCD ngày 15/07/2026 ") for t in texts)


def test_no_section_without_an_earlier_conclusion_of_the_cluster(
    cluster: Any, other_cluster: Any
) -> None:
    # The other cluster's members are the same provinces and have open
    # tasks; this cluster has no earlier conclusion: the section is left out.
    current = _create(cluster, CURRENT, DONG_THAP)
    report = current.reports.get(province_id=DONG_THAP)
    services.report_write(actor=None, report=report, results="Đối thoại 14 cuộc với nhân dân.")
    document = _document(current)
    texts = [p.text for p in document.paragraphs]
    assert not any(TITLE in t for t in texts)
    assert _task_tables(document) == []
    assert OTHER_TEXT not in _all_text(document)
    # The sections after it are numbered without a gap.
    assert "II. KẾT QUẢ THỰC HIỆN" in texts


def test_document_and_report_page_show_the_same_open_tasks(
    current: Briefing, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        follow_up = conclusion_follow_up(current.cluster, CURRENT)
        notes = [t.updates.all() for t in follow_up.tasks + follow_up.older]
    shown = {t.pk for t in follow_up.tasks + follow_up.older if t.status in OPEN_TASK_STATUSES}
    on_pages = {
        t.pk
        for code in (DONG_THAP, AN_GIANG)
        for t in open_tasks_for(code, before=current.period_start, cluster=current.cluster)
    }
    assert shown == on_pages
    assert len(shown) == 3
    # Without the cluster, the other cluster's open tasks of the same provinces come too.
    everywhere = {
        t.pk
        for code in (DONG_THAP, AN_GIANG)
        for t in open_tasks_for(code, before=current.period_start)
    }
    assert everywhere > on_pages
    assert sum(len(n) for n in notes) == 3


def test_member_report_page_shows_only_this_clusters_open_tasks(current: Briefing) -> None:
    from django.test import Client

    from danvan.orgs.models import Organization, Role
    from danvan.petitions.tests.factories import PASSWORD, staff_user

    body = Organization.objects.filter(province_id=AN_GIANG).first() or commission(AN_GIANG)
    staff_user(body, Role.COMMISSION_STAFF, username="ag-staff")
    client = Client()
    assert client.login(username="ag-staff", password=PASSWORD)
    report = current.reports.get(province_id=AN_GIANG)
    page = client.get(f"/admin/briefings/reports/{report.pk}/").text
    # An Giang's open tasks of this cluster (the debts, the older item),
    # never the other cluster's task of the same province.
    assert page.count('data-testid="open-task"') == 2
    assert ITEM_DEBTS in page
    assert ITEM_OLD in page
    assert OTHER_TEXT not in page
