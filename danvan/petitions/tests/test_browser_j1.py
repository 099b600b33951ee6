"""J1 in a browser: a citizen files a petition on the portal, then follows it."""

import os
from pathlib import Path
from typing import Any

import pytest

from danvan.petitions.models import Petition
from danvan.petitions.tests.conftest import COMMUNE

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}"
    ),
]


@pytest.mark.usefixtures("units_loaded")
def test_citizen_files_a_flooded_road_and_follows_it(live_server: Any, page: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/phan-anh-kien-nghi/gui/")
    page.get_by_label("Phản ánh", exact=True).check()
    page.fill("#id_title", "Đường Lê Lợi ngập nước sau mưa")
    page.fill("#id_content", "Đoạn đường trước chợ Mỹ Tho ngập sâu sau mỗi trận mưa lớn.")
    page.select_option("#id_province", "82")
    page.wait_for_selector(f"#id_commune option[value='{COMMUNE}']", state="attached")
    page.select_option("#id_commune", str(COMMUNE))
    page.fill("#id_address", "Trước chợ Mỹ Tho")
    page.fill("#id_name", "Lê Thị Hoa")
    page.fill("#id_phone", "0987654321")
    page.check("#id_is_signed")
    page.screenshot(path=str(SHOTS / "j1-filing.png"), full_page=True)
    page.click("[data-testid=send]")

    page.wait_for_selector("[data-testid=receipt]")
    code = page.inner_text("[data-testid=code]").strip()
    key = page.inner_text("[data-testid=key]").strip()
    assert code.startswith("PA-")
    assert page.inner_text("[data-testid=expected]").startswith(("Thứ", "Chủ Nhật"))
    page.screenshot(path=str(SHOTS / "j1-receipt.png"), full_page=True)
    assert Petition.objects.filter(code=code).exists()

    page.goto(f"{live_server.url}/phan-anh-kien-nghi/tra-cuu/")
    page.fill("#id_code", code)
    page.fill("#id_key", key)
    page.click("form.narrow button[type=submit]")
    page.wait_for_selector("[data-testid=result]")
    assert page.inner_text("[data-testid=status]") == "Đã tiếp nhận"
    assert "Lê Thị Hoa" not in page.content()
    page.screenshot(path=str(SHOTS / "j1-result.png"), full_page=True)
