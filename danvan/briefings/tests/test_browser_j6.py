"""J6 in a browser: the host opens the cluster briefing for the first six
months of 2026, a member's report arrives with the system's figures, the
member corrects one with a reason, writes the narrative and submits, the
host accepts, sees the summary with its table and charts, records the
meeting and a conclusion item that becomes a task per member, issues the
conclusion (a draft article goes to the portal's editors) and downloads
the report in Word.
"""

import io
import os
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from danvan.briefings.models import Briefing, BriefingStatus, ReportStatus
from danvan.briefings.tests.factories import AN_GIANG, DONG_THAP, commission, current_cluster
from danvan.orgs.models import Role
from danvan.petitions.tests.factories import PASSWORD, make_petition, staff_user
from danvan.portal.models import ArticlePage, SectionPage

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}"
    ),
]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"j6-{name}.png"), full_page=True)


def _login(browser: Any, url: str, user: Any) -> Any:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_load_state()
    return page


def test_j6_from_the_briefing_to_the_word_report(units_loaded, live_server, browser) -> None:
    dong_thap, an_giang = commission(DONG_THAP), commission(AN_GIANG)
    cluster = current_cluster()
    member = staff_user(dong_thap, Role.COMMISSION_STAFF, username="dt.danvan")
    host = staff_user(an_giang, Role.HEAD, username="ag.lanhdao")
    make_petition(organization=dong_thap)  # received today: inside 2026-H2 at the latest
    url = live_server.url

    # The host opens the briefing.
    hosting = _login(browser, url, host)
    hosting.goto(f"{url}/admin/briefings/new/")
    hosting.select_option("#id_cluster", str(cluster.pk))
    hosting.fill("#id_period", "2026-H1")
    hosting.select_option("#id_host_province", str(AN_GIANG))
    hosting.locator("[data-testid=briefing-create-form] button[type=submit]").click()
    hosting.wait_for_selector("[data-testid=summary-table]")
    briefing = Briefing.objects.get()
    assert briefing.host_province_id == AN_GIANG
    _shot(hosting, "1-briefing")

    # The member's report arrives pre-filled; one figure corrected, the narrative written.
    report = briefing.reports.get(province_id=DONG_THAP)
    writing = _login(browser, url, member)
    writing.goto(f"{url}/admin/briefings/reports/{report.pk}/")
    writing.wait_for_selector("[data-testid=figures]")
    writing.select_option("#id_key", "dialogues_held")
    writing.fill("#id_value", "7")
    writing.fill("#id_reason", "Bổ sung các cuộc đối thoại của xã chưa nhập vào hệ thống.")
    writing.locator("[data-testid=correction-form] button[type=submit]").click()
    writing.wait_for_selector("[data-testid=correction]")
    writing.fill("#id_results", "Tổ chức 7 cuộc đối thoại; duy trì 46 hội quán nông dân.")
    writing.fill("#id_proposals", "Thống nhất bộ chỉ tiêu báo cáo của cụm.")
    _shot(writing, "2-report")
    writing.locator("[data-testid=narrative-form] button[value=submit]").click()
    writing.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert (report.system_figures["dialogues_held"], report.figures["dialogues_held"]) == (0, 7)

    # The host accepts it and looks at the summary.
    hosting.goto(f"{url}/admin/briefings/reports/{report.pk}/")
    hosting.click("button[value=accept]")
    hosting.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    hosting.goto(f"{url}/admin/briefings/{briefing.pk}/")
    assert hosting.locator("[data-testid=chart-dialogues_held]").count() == 1
    table = hosting.locator("[data-testid=summary-table]").inner_text()
    assert "Tỉnh Đồng Tháp" in table
    assert "Tỉnh An Giang" in table

    # The meeting, a conclusion item with a task per member, the conclusion issued.
    hosting.fill("#id_date", "2026-07-16")
    hosting.fill("#id_place", "Hội trường Tỉnh ủy An Giang")
    hosting.fill("#id_chair", "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy An Giang")
    hosting.fill("#id_conclusion", "Hội nghị thống nhất ba nhiệm vụ trọng tâm.")
    hosting.locator("form:has(input[value=meeting]) button[type=submit]").click()
    hosting.wait_for_load_state()
    hosting.fill("#id_text", "Rà soát, giải quyết dứt điểm đơn quá hạn.")
    hosting.fill("#id_due_on", "2026-09-30")
    hosting.locator("form:has(input[value=item]) button[type=submit]").click()
    hosting.wait_for_selector("[data-testid=task-row]")
    assert hosting.locator("[data-testid=task-row]").count() == 2
    hosting.fill("#id_notice_number", "31")
    hosting.locator("form:has(input[value=conclude]) button[type=submit]").click()
    hosting.wait_for_load_state()
    _shot(hosting, "3-concluded")
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.CONCLUDED
    if SectionPage.objects.filter(slug="cong-tac-dan-van").exists():
        assert ArticlePage.objects.filter(slug="giao-ban-dbscl-t-2026-h1", live=False).exists()

    # The report in Word, in the host's format.
    with hosting.expect_download() as download:
        hosting.click("a[href$='report.docx']")
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "BÁO CÁO" in [p.text for p in document.paragraphs]
    assert document.tables[1].rows[0].cells[1].text == "Tỉnh Đồng Tháp"
    hosting.context.close()
    writing.context.close()
