"""Reader feedback, public side: held for moderation, plain text, only name and date shown."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from danvan.core.models import AuditEvent
from danvan.portal.feedback import PUBLIC_PAGE_SIZE, feedback_submit
from danvan.portal.models import ReaderFeedback
from danvan.portal.tests.readers_fixtures import (
    article_fixture,  # noqa: F401 (a fixture)
    make_article,
    make_feedback,
)

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Võ Thị Hồng",
    "email": "hong.vo@example.vn",
    "phone": "0277 3851 234",
    "address": "Ấp Mỹ Hưng, xã Mỹ Thọ",
    "content": "Tôi mong xã sớm làm xong con đường ra đồng trước mùa mưa.",
}


def _post(client: Any, article: Any, data: dict[str, str], *, fragment: bool = False) -> Any:
    name = "portal_readers:feedback_fragment" if fragment else "portal_readers:feedback"
    return client.post(reverse(name, args=[article.pk]), data)


def test_feedback_is_stored_awaiting_moderation_and_thanked(client, article) -> None:
    response = _post(client, article, FORM)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_readers:feedback_sent", args=[article.pk])
    feedback = ReaderFeedback.objects.get()
    assert (feedback.article_id, feedback.status) == (article.pk, ReaderFeedback.Status.PENDING)
    assert (feedback.name, feedback.email, feedback.phone, feedback.address) == (
        FORM["name"],
        FORM["email"],
        FORM["phone"],
        FORM["address"],
    )
    assert feedback.content == FORM["content"]
    event = AuditEvent.objects.get(action="readerfeedback.submit")
    assert event.target_id == str(feedback.pk)
    assert event.data == {"article": article.pk}
    thanks = client.get(response["Location"])
    assert b'data-testid="feedback-thanks"' in thanks.content
    # Not shown before moderation.
    page = client.get(reverse("portal_readers:feedback", args=[article.pk]))
    assert FORM["content"] not in page.content.decode()


def test_the_fragment_answers_with_the_thanks(client, article) -> None:
    response = _post(client, article, FORM, fragment=True)
    assert response.status_code == 200
    assert b'data-testid="feedback-thanks"' in response.content
    assert b"<html" not in response.content
    assert ReaderFeedback.objects.filter(status=ReaderFeedback.Status.PENDING).count() == 1


@pytest.mark.parametrize(
    "content",
    [
        "Hay lắm <script>alert(1)</script>",
        "Xem <a href='http://x.example'>ở đây</a> nhé",
        "Chữ <b>đậm</b> cho rõ",
        "<img src=x onerror=alert(1)>",
        "Bấm javascript:alert(1) xem",
    ],
)
def test_markup_is_refused_beside_the_field_and_what_was_typed_kept(
    client, article, content
) -> None:
    response = _post(client, article, {**FORM, "content": content})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["content"]
    assert form.errors.as_data()["content"][0].code == "markup"
    html = response.content.decode()
    assert 'data-testid="error-content"' in html
    assert 'value="Võ Thị Hồng"' in html
    assert 'value="hong.vo@example.vn"' in html
    assert 'value="0277 3851 234"' in html
    assert 'value="Ấp Mỹ Hưng, xã Mỹ Thọ"' in html
    assert "<script>alert(1)</script>" not in html  # what was typed comes back escaped
    assert ReaderFeedback.objects.count() == 0


def test_a_comparison_sign_is_plain_text(client, article) -> None:
    response = _post(client, article, {**FORM, "content": "Giá lúa < 6.000 đồng/kg là quá thấp."})
    assert response.status_code == 302
    assert ReaderFeedback.objects.get().content.startswith("Giá lúa < 6.000")


def test_too_long_bad_email_bad_phone_and_missing_fields(client, article) -> None:
    data = {**FORM, "email": "hong.vo@", "phone": "abc", "content": "x" * 3001, "name": ""}
    response = _post(client, article, data)
    assert set(response.context["form"].errors) == {"name", "email", "phone", "content"}
    assert 'value="hong.vo@"' in response.content.decode()
    assert ReaderFeedback.objects.count() == 0


def test_markup_in_the_name_is_refused(client, article) -> None:
    response = _post(client, article, {**FORM, "name": "<b>Hồng</b>"})
    assert list(response.context["form"].errors) == ["name"]


def test_an_article_closed_to_feedback_takes_none(client) -> None:
    closed = make_article("Thông báo lịch tiếp dân tháng 12", allow_feedback=False)
    response = _post(client, closed, FORM)
    assert response.status_code == 404
    page = client.get(reverse("portal_readers:feedback", args=[closed.pk]))
    assert b'data-testid="feedback-form"' not in page.content
    with pytest.raises(ValidationError):
        feedback_submit(article=closed, name="A", email="a@example.vn", content="Nội dung góp ý")
    assert ReaderFeedback.objects.count() == 0


def test_over_the_limit_the_answer_is_429(client, article, settings) -> None:
    settings.PORTAL_FEEDBACK_RATE_LIMIT = "2/h"
    for _n in range(2):
        assert _post(client, article, FORM).status_code == 302
    response = _post(client, article, FORM)
    assert response.status_code == 429
    assert b'data-testid="rate-limited"' in response.content
    assert 'value="Võ Thị Hồng"' in response.content.decode()
    assert ReaderFeedback.objects.count() == 2


def test_approved_feedback_shows_name_and_date_only(client, article) -> None:
    approved = make_feedback(
        article,
        status=ReaderFeedback.Status.APPROVED,
        name="Lê Hoàng Phúc",
        email="phuc.secret@example.vn",
        phone="0909 888 777",
        address="Số 12 đường Riêng Tư",
        content='Ý kiến của tôi: <em>không</em> & "rõ".',
    )
    make_feedback(article, content="Phản hồi chưa duyệt.")
    make_feedback(article, status=ReaderFeedback.Status.REJECTED, content="Phản hồi bị từ chối.")
    for name in ("portal_readers:feedback", "portal_readers:feedback_fragment"):
        html = client.get(reverse(name, args=[article.pk])).content.decode()
        assert "Lê Hoàng Phúc" in html
        assert timezone.localtime(approved.created_at).strftime("%d/%m/%Y") in html
        assert "&lt;em&gt;không&lt;/em&gt; &amp; &quot;rõ&quot;" in html
        for secret in ("phuc.secret@example.vn", "0909 888 777", "Số 12 đường Riêng Tư"):
            assert secret not in html
        assert "Phản hồi chưa duyệt." not in html
        assert "Phản hồi bị từ chối." not in html


def test_newest_first_and_paginated(client, article) -> None:
    now = timezone.now()
    for n in range(PUBLIC_PAGE_SIZE + 2):
        make_feedback(
            article,
            status=ReaderFeedback.Status.APPROVED,
            name=f"Bạn đọc {n:02d}",
            created_at=now - datetime.timedelta(hours=n),
        )
    url = reverse("portal_readers:feedback", args=[article.pk])
    first = client.get(url).content.decode()
    assert first.index("Bạn đọc 00") < first.index("Bạn đọc 01")
    assert "Bạn đọc 11" not in first
    second = client.get(url, {"trang": 2}).content.decode()
    assert "Bạn đọc 11" in second
    assert "Bạn đọc 00" not in second


def test_the_fragment_costs_the_same_queries_whatever_the_count(
    client, article, django_assert_num_queries
) -> None:
    url = reverse("portal_readers:feedback_fragment", args=[article.pk])
    make_feedback(article, status=ReaderFeedback.Status.APPROVED)
    client.get(url)  # the site's root paths, cached afterwards
    # The article with its restrictions, the count, the page of feedback.
    with django_assert_num_queries(4):
        client.get(url)
    for _n in range(PUBLIC_PAGE_SIZE + 3):
        make_feedback(article, status=ReaderFeedback.Status.APPROVED)
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.content.count(b'data-testid="feedback-item"') == PUBLIC_PAGE_SIZE
    page = reverse("portal_readers:feedback", args=[article.pk])
    client.get(page)
    with django_assert_num_queries(4):
        client.get(page)
