"""The inbox in a browser: the commune is chosen in the commune dialog."""

import os
from pathlib import Path
from typing import Any

import pytest

from danvan.orgs.models import Role
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.tests.factories import (
    DONG_THAP,
    PASSWORD,
    make_petition,
    org_tree,
    staff_user,
)

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}"
    ),
]


@pytest.mark.usefixtures("units_loaded")
def test_head_filters_the_inbox_by_a_commune_chosen_in_the_dialog(
    live_server: Any, browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tree = org_tree()
    head = staff_user(tree.inspectorate, Role.HEAD, username="chanhthanhtra")
    here = make_petition(organization=tree.inspectorate, title="Đèn đường trước chợ hỏng")
    from danvan.geo.models import Commune

    elsewhere_commune = (
        Commune.objects.filter(province_id=DONG_THAP).exclude(pk=COMMUNE).order_by("pk")[0]
    )
    elsewhere = make_petition(
        organization=tree.inspectorate, title="Cống tắc", commune_code=elsewhere_commune.pk
    )
    base = live_server.url
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/admin/petitions/")
    page.fill("#id_username", head.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{base}/admin/petitions/")
    assert page.locator(f"a:has-text('{elsewhere.code}')").count() == 1

    # The dialog opens on the head's province; a search finds the commune.
    page.click("#id_commune-chooser .chooser__choose-button")
    page.wait_for_selector(".modal-dialog input[name=q]")
    page.fill(".modal-dialog input[name=q]", "my tho")
    result = page.locator(".modal-dialog a:has-text('Phường Mỹ Tho')")
    result.first.wait_for()
    page.screenshot(path=str(SHOTS / "inbox-commune-dialog.png"))
    result.first.click()
    page.wait_for_selector("#id_commune-title:has-text('Phường Mỹ Tho')")
    assert page.input_value("#id_commune") == str(COMMUNE)

    with page.expect_navigation():
        page.click("form.dv-filters button[type=submit]")
    assert f"commune={COMMUNE}" in page.url
    assert page.locator(f"a:has-text('{here.code}')").count() == 1
    assert page.locator(f"a:has-text('{elsewhere.code}')").count() == 0
    assert "Phường Mỹ Tho (Tỉnh Đồng Tháp)" in page.inner_text("#id_commune-title")
    page.screenshot(path=str(SHOTS / "inbox-commune-filter.png"), full_page=True)
    assert errors == []
    context.close()
