"""J7, second half, in a browser: a reader shares and writes feedback; an editor approves it.

On an article page (served from the page cache, no form in it) the reader
opens "Gửi cho bạn bè", sends the article to a friend (the email is in the
outbox), writes feedback and sees the thank-you. An editor signs in to the
back-office, sees the pending count on the menu, approves the feedback in
the queue; the reader reloads the article and sees it under it, with the
name and date only. The reader's visit was counted once by the beacon.
"""

import os
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from danvan.portal import counting
from danvan.portal.models import ArticleViewDay, ReaderFeedback
from danvan.portal.tests.readers_fixtures import PASSWORD, make_article, make_user

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots to look at, not secrets)
#: A reader's ordinary browser (the headless one says "HeadlessChrome": a robot, not counted).
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}"
    ),
]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"readers-{name}.png"), full_page=True)


def test_j7_share_feedback_moderation(live_server: Any, browser: Any) -> None:
    article = make_article(
        "Phường Mỹ Phú ra mắt tổ tự quản an ninh trật tự",
        slug="my-phu-to-tu-quan",
        lead="Mười hai tổ tự quản với hơn 300 hộ dân cùng giữ gìn đường phố sạch, an toàn.",
    )
    editor = make_user("bientap.dongthap", moderator=True)
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1366, "height": 900}, user_agent=READER_AGENT
    )
    page = context.new_page()

    # The reader opens the article: the forms arrive from their fragments.
    page.goto(f"{live_server.url}{article.url}")
    page.wait_for_selector("[data-testid=share-form]", state="attached")
    page.wait_for_selector("[data-testid=feedback-form]")
    _shot(page, "1-article")

    # Send to a friend.
    page.locator("#gui-ban-be summary").click()
    share = page.locator("[data-testid=share-form]")
    share.locator("#id_sender_name").fill("Trần Văn Bình")
    share.locator("#id_sender_email").fill("binh.tran@example.vn")
    share.locator("#id_friend_email").fill("an.le@example.vn")
    share.locator("#id_message").fill("Anh đọc bài này nhé, phường mình nên học theo.")
    share.locator("[data-testid=share-submit]").click()
    page.wait_for_selector("[data-testid=share-sent]")
    assert [m.to for m in mail.outbox] == [["an.le@example.vn"]]
    assert article.title in mail.outbox[0].body
    assert "phường mình nên học theo" in mail.outbox[0].body
    _shot(page, "2-shared")

    # Feedback: first with markup (refused beside the field, text kept), then plain.
    form = page.locator("[data-testid=feedback-form]")
    form.locator("#id_name").fill("Nguyễn Thị Thu")
    form.locator("#id_email").fill("thu.nguyen@example.vn")
    form.locator("#id_phone").fill("0918 765 432")
    form.locator("#id_address").fill("Khóm 3, phường Mỹ Phú")
    form.locator("#id_content").fill("Hay quá <b>tổ tự quản</b>")
    form.locator("[data-testid=feedback-submit]").click()
    page.wait_for_selector("[data-testid=error-content]")
    assert page.locator("#id_name").input_value() == "Nguyễn Thị Thu"
    _shot(page, "3-feedback-error")
    page.locator("#id_content").fill(
        "Khu phố tôi cũng muốn lập tổ tự quản như vậy. Xin hỏi cần liên hệ ai để được hướng dẫn?"
    )
    page.locator("[data-testid=feedback-submit]").click()
    page.wait_for_selector("[data-testid=feedback-thanks]")
    _shot(page, "4-feedback-thanks")
    feedback = ReaderFeedback.objects.get()
    assert feedback.status == ReaderFeedback.Status.PENDING

    # The editor approves it in the back-office.
    admin = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    editor_page = admin.new_page()
    editor_page.goto(f"{live_server.url}/admin/reader-feedback/")
    assert "/admin/login/" in editor_page.url
    editor_page.fill("#id_username", editor.username)
    editor_page.fill("#id_password", PASSWORD)
    editor_page.click("form.login-form button[type=submit]")
    editor_page.wait_for_selector(f"[data-testid=feedback-row-{feedback.pk}]")
    assert editor_page.locator("a[data-dv-badge='1']").count() == 1
    assert "thu.nguyen@example.vn" in editor_page.content()
    _shot(editor_page, "5-queue")
    editor_page.check(f"#dv-feedback-{feedback.pk}")
    editor_page.click("[data-testid=approve]")
    editor_page.wait_for_selector("[data-testid=queue-empty]")
    _shot(editor_page, "6-approved")
    feedback.refresh_from_db()
    assert feedback.status == ReaderFeedback.Status.APPROVED
    assert feedback.moderated_by == editor
    assert mail.outbox[-1].to == ["thu.nguyen@example.vn"]

    # The reader reloads the article: the feedback is under it, name and date only.
    page.goto(f"{live_server.url}{article.url}")
    item = page.locator("[data-testid=feedback-item]")
    item.wait_for()
    text = item.inner_text()
    assert "Nguyễn Thị Thu" in text
    assert "Khu phố tôi cũng muốn lập tổ tự quản" in text
    html = page.content()
    for secret in ("thu.nguyen@example.vn", "0918 765 432", "Khóm 3, phường Mỹ Phú"):
        assert secret not in html
    page.locator("#phan-hoi").scroll_into_view_if_needed()
    _shot(page, "7-published")

    # The reader's two visits within 30 minutes count once.
    counting.views_flush()
    counting.views_flush()
    assert ArticleViewDay.objects.get(article=article).views == 1
    context.close()
    admin.close()


def test_without_javascript_the_standalone_pages_work(live_server: Any, browser: Any) -> None:
    article = make_article("Hội Nông dân xã Tân Thuận Đông tập huấn kỹ thuật", slug="tap-huan")
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{article.url}")
    page.click("#phan-hoi a.readers-link")
    page.wait_for_selector("[data-testid=feedback-form]")
    page.fill("#id_name", "Lâm Văn Tư")
    page.fill("#id_email", "tu.lam@example")
    page.fill("#id_content", "Mong hội tổ chức thêm lớp vào buổi tối cho bà con đi làm ban ngày.")
    page.click("[data-testid=feedback-submit]")
    page.wait_for_selector("[data-testid=error-email]")
    assert page.locator("#id_content").input_value().startswith("Mong hội")
    _shot(page, "8-nojs-error")
    page.fill("#id_email", "tu.lam@example.vn")
    page.click("[data-testid=feedback-submit]")
    page.wait_for_selector("[data-testid=feedback-thanks]")
    _shot(page, "9-nojs-thanks")
    assert ReaderFeedback.objects.filter(name="Lâm Văn Tư").count() == 1
    page.goto(f"{live_server.url}{article.url}")
    page.click("#gui-ban-be a.readers-link")
    page.fill("#id_sender_name", "Lâm Văn Tư")
    page.fill("#id_sender_email", "tu.lam@example.vn")
    page.fill("#id_friend_email", "ba.lam@example.vn")
    page.click("[data-testid=share-submit]")
    page.wait_for_selector("[data-testid=share-sent]")
    _shot(page, "10-nojs-shared")
    assert [m.to for m in mail.outbox] == [["ba.lam@example.vn"]]
    assert ArticleViewDay.objects.count() == 0
    context.close()
