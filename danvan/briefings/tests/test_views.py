"""The back-office pages of briefings: rights, forms, transitions, downloads, queries."""

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from docx import Document

from danvan.briefings import services
from danvan.briefings.models import IndicatorCorrection, ReportStatus
from danvan.briefings.tests.factories import AN_GIANG, DONG_THAP, commission, current_cluster
from danvan.core.periods import period_parse
from danvan.geo.models import Province
from danvan.orgs.models import Role
from danvan.petitions.tests.factories import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

LIST = "/admin/briefings/"


def denied(response: Any) -> bool:
    """Wagtail answers a refused action with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == "/admin/"
    )


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def world() -> dict[str, Any]:
    dong_thap, an_giang = commission(DONG_THAP), commission(AN_GIANG)
    outsider_body = commission(1)
    cluster = current_cluster()
    briefing = services.briefing_create(
        actor=None,
        cluster=cluster,
        period=period_parse("2026-H1"),
        host_province=Province.objects.get(code=AN_GIANG),
    )
    return {
        "cluster": cluster,
        "briefing": briefing,
        "report": briefing.reports.get(province_id=DONG_THAP),
        "member": staff_user(dong_thap, Role.COMMISSION_STAFF, username="dt"),
        "host": staff_user(an_giang, Role.HEAD, username="ag"),
        "outsider": staff_user(outsider_body, Role.HEAD, username="hn"),
    }


def test_list_shows_the_briefings_of_the_users_bodies(world: dict) -> None:
    response = login(world["member"]).get(LIST)
    assert response.status_code == 200
    assert response.text.count('data-testid="briefing-row"') == 1
    response = login(world["outsider"]).get(LIST)
    assert response.text.count('data-testid="briefing-row"') == 0


def test_list_costs_a_fixed_number_of_queries(
    world: dict, django_assert_max_num_queries: Any
) -> None:
    for code in ("2025-H2", "2026-H2", "2027"):
        services.briefing_create(actor=None, cluster=world["cluster"], period=period_parse(code))
    client = login(world["member"])
    with django_assert_max_num_queries(20):
        response = client.get(LIST)
    assert response.text.count('data-testid="briefing-row"') == 4


def test_an_outsider_cannot_open_a_briefing(world: dict) -> None:
    client = login(world["outsider"])
    assert client.get(f"{LIST}{world['briefing'].pk}/").status_code == 404
    assert client.get(f"{LIST}reports/{world['report'].pk}/").status_code == 404


def test_briefing_page_shows_summary_and_charts(
    world: dict, django_assert_max_num_queries: Any
) -> None:
    client = login(world["host"])
    with django_assert_max_num_queries(120):
        response = client.get(f"{LIST}{world['briefing'].pk}/")
    assert response.status_code == 200
    assert 'data-testid="summary-table"' in response.text
    assert response.text.count('data-testid="report-row"') == 2


def test_create_form_keeps_a_bad_period_and_says_why(world: dict) -> None:
    client = login(world["host"])
    response = client.post(
        f"{LIST}new/", {"cluster": world["cluster"].pk, "period": "2026-H9", "host_province": ""}
    )
    assert response.status_code == 200
    assert 'value="2026-H9"' in response.text
    assert 'data-field="period"' in response.text
    assert "dv-errors" in response.text


def test_create_form_makes_a_briefing(world: dict) -> None:
    client = login(world["host"])
    response = client.post(
        f"{LIST}new/", {"cluster": world["cluster"].pk, "period": "2026-H2", "host_province": ""}
    )
    assert response.status_code == 302
    assert world["cluster"].briefings.filter(period_code="2026-H2").exists()


def test_member_corrects_writes_and_submits_host_accepts(world: dict) -> None:
    report, url = world["report"], f"{LIST}reports/{world['report'].pk}/"
    member = login(world["member"])
    bad = member.post(url, {"action": "correct", "key": "visits", "value": "5", "reason": ""})
    assert bad.status_code == 400
    assert not IndicatorCorrection.objects.exists()
    ok = member.post(
        url, {"action": "correct", "key": "visits", "value": "5", "reason": "Sổ tiếp dân"}
    )
    assert ok.status_code == 302
    report.refresh_from_db()
    assert (report.system_figures["visits"], report.figures["visits"]) == (0, 5)
    # The host may not correct a member's figures.
    refused = login(world["host"]).post(
        url, {"action": "correct", "key": "visits", "value": "9", "reason": "x"}
    )
    assert denied(refused)
    report.refresh_from_db()
    assert report.figures["visits"] == 5
    empty = member.post(url, {"action": "submit", "results": ""})
    assert empty.status_code == 400
    sent = member.post(url, {"action": "submit", "results": "Kết quả tốt", "lessons": "Bám dân"})
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert denied(member.post(url, {"action": "accept"}))
    assert login(world["host"]).post(url, {"action": "accept"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_host_records_meeting_items_and_follow_up(world: dict) -> None:
    briefing = world["briefing"]
    url = f"{LIST}{briefing.pk}/"
    host = login(world["host"])
    bad = host.post(url, {"action": "meeting", "date": "", "place": "", "chair": ""})
    assert bad.status_code == 400
    assert (
        host.post(
            url,
            {
                "action": "meeting",
                "date": "2026-07-08",
                "place": "Rạch Giá",
                "chair": "Trưởng ban",
                "conclusion": "Thống nhất nhiệm vụ.",
            },
        ).status_code
        == 302
    )
    assert (
        host.post(
            url, {"action": "item", "text": "Rà soát đơn quá hạn", "due_on": "2026-09-30"}
        ).status_code
        == 302
    )
    task = briefing.conclusion_items.get().tasks.get(province_id=DONG_THAP)
    assert denied(login(world["member"]).post(url, {"action": "item", "text": "Không được"}))
    assert briefing.conclusion_items.count() == 1
    follow = login(world["member"]).post(
        url, {"action": "follow_up", "task": task.pk, "note": "Đang làm", "status": "in_progress"}
    )
    assert follow.status_code == 302
    task.refresh_from_db()
    assert task.status == "in_progress"
    assert host.post(url, {"action": "conclude", "notice_number": "3"}).status_code == 302
    briefing.refresh_from_db()
    assert briefing.status == "concluded"
    assert briefing.meeting.date == datetime.date(2026, 7, 8)


def test_downloads(world: dict) -> None:
    client = login(world["member"])
    base = f"{LIST}{world['briefing'].pk}/files/"
    word = client.get(base + "report.docx")
    assert word.status_code == 200
    assert "BÁO CÁO" in [p.text for p in Document(io.BytesIO(word.content)).paragraphs]
    assert client.get(base + "indicators.xlsx").content[:2] == b"PK"
    assert client.get(base + "notice.docx").status_code == 200
    assert client.get(base + "other.txt").status_code == 404
    assert login(world["outsider"]).get(base + "report.docx").status_code == 404


def test_the_page_warns_when_the_host_has_no_document_format(
    world: dict, django_user_model: Any
) -> None:
    from django.utils import translation

    from danvan.briefings.models import DocumentFormat, IssuingBody

    url = f"{LIST}{world['briefing'].pk}/"
    page = login(world["host"]).get(url).text
    assert 'data-testid="issuer-missing"' in page
    assert "/admin/briefings/issuing-bodies/" not in page  # not theirs to set
    admin = django_user_model.objects.create_superuser("quantri", password=PASSWORD)
    with translation.override("vi"):
        link = translation.gettext("Set the document formats of issuing bodies")
    assert link in login(admin).get(url).text
    IssuingBody.objects.create(
        organization=world["briefing"].host_organization,
        document_format=DocumentFormat.PARTY,
        parent_name="TỈNH ỦY AN GIANG",
        body_name="BAN TUYÊN GIÁO VÀ DÂN VẬN",
        symbol="BTGDVTU",
        place_name="An Giang",
    )
    assert 'data-testid="issuer-missing"' not in login(world["host"]).get(url).text
