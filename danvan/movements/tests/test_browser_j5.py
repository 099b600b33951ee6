"""J5 in a browser: a clubhouse model from a commune, evaluated, recognized,
adopted by another commune, and shown on the portal.

The provincial commission's staff registers the clubhouse of phường Mỹ Tho
as a model (with a photo and a result), opens it for review, scores it
against the province's criteria (the default set), and recognizes it at
province level. A handler of phường Đạo Thạnh records that his commune
adopts it. The portal's showcase lists it with its photo, and its page
shows the adoption.
"""

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from danvan.movements.models import MovementModel, RegistrationStatus
from danvan.movements.tests.factories import movement_world
from danvan.petitions.tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}"
    ),
]


def _shot(page: Any, name: str, at: str = "") -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    if at:
        page.locator(at).first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"j5-{name}.png"), full_page=True)


def _photo() -> bytes:
    image = Image.new("RGB", (960, 640), (225, 238, 246))
    image.paste((46, 125, 50), (0, 400, 960, 640))
    image.paste((150, 60, 40), (380, 300, 580, 400))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def _sign_in(browser: Any, live_server: Any, user: Any, path: str) -> Any:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    return page


@pytest.fixture
def media_on_disk(settings: Any, seeded_rows: None) -> Iterator[None]:
    """Store images under MEDIA_ROOT (served at /media/ by the live server),
    so that the screenshots show the photos; remove them afterwards."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    # A transactional test that ran before this one emptied every table, the
    # rows that migrations write included: Wagtail's root collection (which
    # pictures need); `seeded_rows` puts back the movement's own (default
    # criteria and themes, default pass mark, the roles' rights).
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    yield
    from django.core.files.storage import default_storage
    from wagtail.images import get_image_model

    for image in get_image_model().objects.all():
        for rendition in image.renditions.all():
            default_storage.delete(rendition.file.name)
        default_storage.delete(image.file.name)


def test_j5_clubhouse_model_recognized_adopted_and_shown(
    units_loaded, media_on_disk, live_server, browser
) -> None:
    world = movement_world()
    today = timezone.localdate()

    # The commission registers the clubhouse model of phường Mỹ Tho.
    page = _sign_in(browser, live_server, world.reviewer, "/admin/movements/models/new/")
    page.wait_for_selector("[data-testid=register-form]")
    page.select_option("#id_organization", str(world.my_tho.pk))
    page.fill("#id_name", "Hội quán Nông dân ấp Mỹ Tây")
    page.select_option("#id_field", "economy")
    page.fill("#id_started_on", "2023-03-15")
    page.fill(
        "#id_description",
        "Nông dân gặp nhau mỗi tối thứ Bảy ở hội quán để chia sẻ kinh nghiệm làm lúa.",
    )
    page.fill("#id_people_involved", "62 hội viên; ban điều hành 5 người.")
    page.set_input_files(
        "#id_photo", files=[{"name": "hoi-quan.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    page.fill("#id_photo_caption", "Buổi sinh hoạt tối thứ Bảy")
    page.fill("#id_results-0-label", "Hội viên")
    page.fill("#id_results-0-value", "62")
    page.fill("#id_results-0-unit", "người")
    _shot(page, "1-register", "#id_themes")
    page.click("[data-testid=register-form] button[type=submit]")
    page.wait_for_selector("[data-testid=summary]")
    model = MovementModel.objects.get()
    assert (model.organization, model.status) == (world.my_tho, RegistrationStatus.REGISTERED)
    assert model.commune_id == world.my_tho.commune_id
    _shot(page, "2-registered")

    # Opened for review and scored against the province's criteria.
    page.click("[data-testid=review]")
    page.wait_for_selector("[data-testid=evaluate-form]")
    scores = page.locator("[data-testid=evaluate-form] input.mv-score")
    assert scores.count() == 9
    for index in range(scores.count()):
        scores.nth(index).fill("9")
    page.fill("#id_evaluate-note", "Hội quán hoạt động đều đặn, được bà con ủng hộ.")
    _shot(page, "3-evaluate", "[data-testid=evaluate-form]")
    page.click("[data-testid=evaluate-form] button[type=submit]")
    page.wait_for_selector("[data-testid=recognize-form]")
    assert "81/90" in page.locator("[data-testid=evaluations]").inner_text()

    # Recognized at province level.
    page.select_option("#id_recognize-level", "province")
    page.fill("#id_recognize-decision_number", "125-QĐ/BTGDVTU")
    page.click("[data-testid=recognize-form] button[type=submit]")
    page.wait_for_selector("[data-testid=level]")
    model.refresh_from_db()
    assert (model.status, model.level, model.recognized_on) == ("recognized", "province", today)
    _shot(page, "4-recognized", "[data-testid=recognitions]")

    # Phường Đạo Thạnh adopts it: its handler records the adoption.
    url = f"/admin/movements/registrations/{model.pk}/"
    other = _sign_in(browser, live_server, world.dao_thanh_staff, url)
    other.wait_for_selector("[data-testid=replicate-form]", state="attached")
    other.click("[data-testid=replications] summary")
    other.fill("#id_replicate-started_on", today.isoformat())
    other.fill("#id_replicate-note", "Đạo Thạnh lập hội quán ở ấp Thạnh Hòa.")
    _shot(other, "5-adopt", "[data-testid=replicate-form]")
    other.click("[data-testid=replicate-form] button[type=submit]")
    other.wait_for_selector("[data-testid=replication-row]")
    assert other.locator("[data-testid=reach-units]").inner_text().strip() == "2"
    assert model.replications.get().organization == world.dao_thanh
    _shot(other, "6-adopted", "[data-testid=replications]")

    # The portal shows it, with its photo and the adoption.
    portal = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    citizen = portal.new_page()
    citizen.goto(f"{live_server.url}/mo-hinh-dan-van-kheo/")
    card = citizen.locator("[data-testid=showcase-card]")
    assert card.count() == 1
    assert card.locator("img").count() == 1
    _shot(citizen, "7-showcase")
    card.get_by_role("link", name="Hội quán Nông dân ấp Mỹ Tây").click()
    citizen.wait_for_selector("[data-testid=portal-replications]")
    assert citizen.locator("[data-testid=portal-replication]").count() == 1
    assert "Ủy ban nhân dân phường Đạo Thạnh" in citizen.content()
    _shot(citizen, "8-portal-model")
    citizen.set_viewport_size({"width": 390, "height": 844})
    _shot(citizen, "9-portal-model-phone")
