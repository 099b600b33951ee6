"""In a browser: a unit corrects its model's file and results, the lists
are filtered and exported, and an administrator sets a province's pass
mark, which the model's page then shows.

Screenshots go to /tmp/shots/mv-*.png.
"""

import datetime
import io
import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from danvan.movements import communities, registrations
from danvan.movements.models import MovementModel, RecognitionRule
from danvan.movements.registrations import ResultInput
from danvan.movements.tests.factories import DONG_THAP, movement_world
from danvan.petitions.tests.factories import PASSWORD, staff_user

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
    page.screenshot(path=str(SHOTS / f"mv-{name}.png"), full_page=True)


def _sign_in(browser: Any, live_server: Any, user: Any, path: str) -> Any:
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1366, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    return page


def test_file_results_lists_and_pass_mark_in_a_browser(
    units_loaded: None, seeded_rows: None, live_server: Any, browser: Any
) -> None:
    world = movement_world()
    model = registrations.model_register(
        actor=world.my_tho_staff,
        organization=world.my_tho,
        name="Hội quán nông dân ấp Mỹ Tây",
        field="economy",
        started_on=datetime.date(2023, 3, 15),
        description="Nông dân gặp nhau mỗi tối thứ Bảy để chia sẻ kinh nghiệm làm lúa.",
        commune=world.my_tho.commune,
        results=[ResultInput(label="Hội viên", value=62, unit="người")],
    )
    registrations.exemplar_register(
        actor=world.my_tho_staff,
        organization=world.my_tho,
        name="Chi hội Phụ nữ ấp Mỹ Tây",
        kind="collective",
        field="culture_society",
        started_on=datetime.date(2021, 1, 1),
        description="Vận động hội viên tiết kiệm.",
        commune=world.my_tho.commune,
    )
    community = communities.community_register(
        actor=world.my_tho_staff,
        organization=world.my_tho,
        name="Hội quán Mỹ Tây",
        kind="clubhouse",
        commune=None,
        founded_on=datetime.date(2021, 3, 1),
        hamlet="Ấp Mỹ Tây",
    )
    communities.member_add(actor=world.my_tho_staff, community=community, name="Lê Văn Tư")

    # Mỹ Tho's handler opens the model and changes its file.
    page = _sign_in(
        browser, live_server, world.my_tho_staff, f"/admin/movements/registrations/{model.pk}/"
    )
    page.wait_for_selector("[data-testid=summary]")
    _shot(page, "1-registration")
    page.click("[data-testid=edit]")
    page.wait_for_selector("[data-testid=edit-form]")
    page.fill("#id_people_involved", "62 hội viên; ban điều hành 5 người.")
    page.fill("#id_address", "Ấp Mỹ Tây")
    page.fill("#id_name", "")
    page.click("[data-testid=edit-form] button[type=submit]")
    page.wait_for_selector(".dv-errors")
    _shot(page, "2-edit-error")
    page.fill("#id_name", "Hội quán Nông dân ấp Mỹ Tây")
    page.click("[data-testid=edit-form] button[type=submit]")
    page.wait_for_selector("[data-testid=summary]")
    model.refresh_from_db()
    assert (model.name, model.address) == ("Hội quán Nông dân ấp Mỹ Tây", "Ấp Mỹ Tây")

    # Adds results: a negative figure is refused beside it.
    page.click("[data-testid=edit-results]")
    page.wait_for_selector("[data-testid=results-form]")
    page.fill("#id_results-0-label", "Vốn xoay vòng")
    page.fill("#id_results-0-value", "1.5")
    page.fill("#id_results-0-unit", "tỷ đồng")
    page.fill("#id_results-1-label", "Vụ mâu thuẫn")
    page.fill("#id_results-1-value", "-2")
    page.fill("#id_results-1-unit", "vụ")
    page.click("[data-testid=results-form] button[type=submit]")
    page.wait_for_selector("[data-testid=results-form] .dv-errors")
    _shot(page, "3-results-error")
    page.fill("#id_results-1-value", "2")
    page.fill("#id_results-1-label", "Vụ mâu thuẫn được hòa giải")
    page.click("[data-testid=results-form] button[type=submit]")
    page.wait_for_selector("[data-testid=result-row] >> nth=2")
    _shot(page, "4-results")
    assert [str(v) for v in model.results.values_list("value", flat=True)] == [
        "62.00",
        "1.50",
        "2.00",
    ]
    page.locator("[data-testid=correct]").first.click()
    page.wait_for_selector("[data-testid=edit-form]")
    page.fill("#id_value", "64")
    _shot(page, "5-correct")
    page.click("[data-testid=edit-form] button[type=submit]")
    page.wait_for_selector("[data-testid=results-form]")
    assert model.results.order_by("pk").first().value == 64

    # The commission's lists, filtered, and their exports.
    officer = _sign_in(browser, live_server, world.reviewer, "/admin/movements/")
    officer.wait_for_selector("[data-testid=registration-row]")
    officer.select_option("#id_commune", str(world.my_tho.commune_id))
    officer.fill("#id_q", "my tay")
    officer.click("form.dv-filters button[type=submit]")
    officer.wait_for_selector("[data-testid=registration-row]")
    _shot(officer, "6-models")
    officer.goto(f"{live_server.url}/admin/movements/exemplars/?kind=collective")
    _shot(officer, "7-exemplars")
    with officer.expect_download() as download:
        officer.click("[data-testid=export]")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Chi hội Phụ nữ ấp Mỹ Tây"
    ]
    officer.goto(f"{live_server.url}/admin/movements/communities/?kind=clubhouse")
    assert officer.locator("[data-testid=community-row]").count() == 1
    _shot(officer, "8-communities")
    with officer.expect_download() as download:
        officer.click("[data-testid=export]")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet.max_row == 2
    officer.goto(f"{live_server.url}/admin/movements/campaigns/?year=2026")
    _shot(officer, "9-campaigns")

    # An administrator sets Đồng Tháp's pass mark at 60 %; 0 is refused.
    admin = staff_user(username="m-super", is_superuser=True)
    boss = _sign_in(browser, live_server, admin, "/admin/movements/pass-marks/new/")
    boss.wait_for_selector("#id_pass_percent")
    boss.select_option("#id_province", str(DONG_THAP))
    boss.fill("#id_pass_percent", "0")
    boss.fill("#id_basis", "Hướng dẫn 05-HD/BTGDVTU ngày 10/01/2026")
    boss.click("main form button[type=submit]")
    boss.wait_for_selector("[data-field-errors] .error-message")
    _shot(boss, "10-pass-mark-error")
    boss.fill("#id_pass_percent", "60")
    boss.click("main form button[type=submit]")
    boss.wait_for_url("**/admin/movements/pass-marks/")
    _shot(boss, "11-pass-marks")
    assert RecognitionRule.objects.get(province_id=DONG_THAP).pass_percent == 60
    officer.goto(f"{live_server.url}/admin/movements/registrations/{model.pk}/")
    assert "60%" in officer.locator("[data-testid=pass-mark]").inner_text()
    assert MovementModel.objects.get(pk=model.pk).status == "registered"
