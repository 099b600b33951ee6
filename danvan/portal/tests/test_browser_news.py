"""J7, first half, in a browser: a reader opens the home page, a section, then an article.

Checks the date line, the lead article, the section list, the article's
picture with its caption and the source line, at a phone's width (390 px)
and on a desktop; keyboard users reach the content by the skip link.
Screenshots go to /tmp/shots/news-*.png.
"""

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from danvan.core.formats import page_date_line
from danvan.demo.portal import load_portal
from danvan.portal.tests.news_factories import ensure_portal_tree

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}"
    ),
]


@pytest.fixture
def media_on_disk(settings):  # type: ignore[no-untyped-def]
    """Store the pictures where the live server's /media/ route serves them from.

    The test settings keep files in memory, which the browser cannot fetch.
    """
    folder = Path(settings.MEDIA_ROOT) / "test-browser-news"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": "/media/test-browser-news/"},
        },
    }
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"news-{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("label", "viewport"),
    [("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1366, "height": 900})],
)
def test_j7_reading_the_news(
    live_server, browser, media_on_disk, label: str, viewport: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    ensure_portal_tree()
    articles = {a.slug: a for a in load_portal()}
    briefing = articles["cum-thi-dua-dbscl-so-ket-6-thang"]
    from_paper = articles["dan-van-chinh-quyen-xa-moi"]
    today_line = page_date_line(timezone.localdate())

    context = browser.new_context(locale="vi-VN", viewport=viewport)
    page = context.new_page()

    # Home: the date line, the lead article with its picture, the sections.
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=date-line]").inner_text() == today_line
    lead = page.locator("[data-testid=lead-article]")
    assert briefing.title in lead.inner_text()
    assert lead.locator("img").evaluate("img => img.naturalWidth") > 0
    _shot(page, f"{label}-1-home")

    # Keyboard: the first Tab reaches the skip link, which moves to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    # A section from the menu.
    page.locator("nav.site-nav").get_by_role("link", name="Công tác dân vận", exact=True).click()
    page.wait_for_url("**/cong-tac-dan-van/")
    assert page.locator("h1").inner_text() == "Công tác dân vận"
    assert page.locator("[data-testid=article-list] li").count() == 2
    _shot(page, f"{label}-2-section")

    # The article from the newspaper: picture, caption, source line.
    page.get_by_role("link", name=from_paper.title).first.click()
    page.wait_for_url(f"**{from_paper.url}")
    assert page.locator("h1").inner_text() == from_paper.title
    figure = page.locator("[data-testid=main-picture]")
    assert figure.locator("figcaption").inner_text() == from_paper.image_caption
    assert figure.locator("img").get_attribute("alt") == from_paper.image_alt
    assert figure.locator("img").evaluate("img => img.naturalWidth") > 0
    assert page.locator("[data-testid=source-line]").inner_text() == "(Báo Đồng Tháp)"
    assert page.locator("[data-testid=date-line]").inner_text() == today_line
    assert briefing.title in page.locator("[data-testid=other-news]").inner_text()
    _shot(page, f"{label}-3-article")
    # Nothing wider than the screen (no sideways scrolling on a phone).
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # The briefing, with a picture in its body.
    page.goto(f"{live_server.url}{articles['to-tu-quan-thap-sang-duong-que'].url}")
    assert page.locator(".article-body figure figcaption").count() == 1
    _shot(page, f"{label}-4-article-with-body-picture")
    context.close()
