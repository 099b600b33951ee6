"""The citizen's pages in a browser, at phone width (390 px) and on a desktop.

Files a denunciation on a phone (the guidance follows the chosen kind, the
communes come from the units API), reads the receipt, looks it up, then
reads the public answers and the statistics; a screenshot of each page at
each width goes to /tmp/shots/citizen-*.png, to be looked at.
"""

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from danvan.petitions import publication
from danvan.petitions.models import Petition
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.tests.factories import make_petition
from danvan.petitions.workflow import PetitionKind

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}"
    ),
]


def _publish_some() -> None:
    for title, category, kind in (
        ("Đèn chiếu sáng hỏng trên đường Lê Lợi", "Chiếu sáng", PetitionKind.FEEDBACK),
        ("Đề nghị trồng thêm cây xanh ở công viên", "Môi trường", PetitionKind.RECOMMENDATION),
    ):
        petition = make_petition(kind=kind, category=category, title=title)
        Petition.objects.filter(pk=petition.pk).update(
            resolved_on=timezone.localdate(), status="closed", publish_consent=True
        )
        petition.refresh_from_db()
        publication.petition_publish(
            petition=petition,
            title=title,
            question="Người dân đề nghị cơ quan xem xét và giải quyết sớm.",
            answer="Ủy ban nhân dân phường đã giao bộ phận chuyên môn kiểm tra và xử lý xong.",
            actor=None,
        )


@pytest.mark.usefixtures("units_loaded")
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_citizen_pages_at_phone_and_desktop_width(
    live_server: Any, browser: Any, width: str
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    _publish_some()
    context = browser.new_context(locale="vi-VN", viewport=WIDTHS[width])
    page = context.new_page()

    page.goto(f"{live_server.url}/phan-anh-kien-nghi/gui/")
    # With JavaScript: no guidance until a kind is chosen, then only its own.
    assert not page.is_visible("[data-testid=guide-denunciation]")
    page.get_by_label("Tố cáo", exact=True).check()
    assert page.is_visible("[data-testid=guide-denunciation]")
    assert not page.is_visible("[data-testid=guide-complaint]")
    assert page.is_visible("#id_protection_waived")
    assert not page.is_visible("#id_publish_consent")
    page.get_by_label("Phản ánh", exact=True).check()
    assert page.is_visible("#id_publish_consent")
    assert not page.is_visible("#id_protection_waived")
    assert not page.is_visible("[data-testid=choose-province]")
    page.fill("#id_title", "Đèn đường hỏng trước chợ")
    page.fill("#id_content", "Ba cột đèn trước chợ Mỹ Tho không sáng đã hai tuần.")
    with page.expect_response(lambda r: "/api/v1/units/provinces/82/communes" in r.url):
        page.select_option("#id_province", "82")
    page.wait_for_selector(f"#id_commune option[value='{COMMUNE}']", state="attached")
    page.select_option("#id_commune", str(COMMUNE))
    page.fill("#id_name", "Lê Thị Hoa")
    page.fill("#id_email", "hoa@example.vn")
    page.check("#id_is_signed")
    page.check("#id_publish_consent")
    page.screenshot(path=str(SHOTS / f"citizen-file-{width}.png"), full_page=True)
    page.click("[data-testid=send]")

    page.wait_for_selector("[data-testid=receipt]")
    code = page.inner_text("[data-testid=code]").strip()
    key = page.inner_text("[data-testid=key]").strip()
    assert page.is_visible("[data-testid=emailed]")
    page.screenshot(path=str(SHOTS / f"citizen-receipt-{width}.png"), full_page=True)
    assert Petition.objects.get(code=code).publish_consent is True

    page.goto(f"{live_server.url}/phan-anh-kien-nghi/tra-cuu/")
    page.fill("#id_code", code)
    page.fill("#id_key", key)
    page.click("form.narrow button[type=submit]")
    page.wait_for_selector("[data-testid=result]")
    page.screenshot(path=str(SHOTS / f"citizen-lookup-{width}.png"), full_page=True)

    page.goto(f"{live_server.url}/phan-anh-kien-nghi/tra-loi/?q=chieu+sang")
    assert page.locator("[data-testid=answers] li").count() == 1
    page.screenshot(path=str(SHOTS / f"citizen-answers-{width}.png"), full_page=True)
    page.click("[data-testid=answers] a")
    page.wait_for_selector("[data-testid=answer-detail]")
    assert "Lê Thị Hoa" not in page.content()
    page.screenshot(path=str(SHOTS / f"citizen-answer-{width}.png"), full_page=True)

    page.goto(f"{live_server.url}/thong-ke/?period=year")
    assert page.inner_text("[data-testid=total-received]") == "3"
    page.screenshot(path=str(SHOTS / f"citizen-stats-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/thong-ke/?period=year&province=82")
    page.screenshot(path=str(SHOTS / f"citizen-stats-province-{width}.png"), full_page=True)
    context.close()
