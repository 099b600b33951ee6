"""Send an article to a friend: the email, nothing stored, the rate limit."""

from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.core.models import AuditEvent
from danvan.portal.models import ReaderFeedback
from danvan.portal.readers_links import article_absolute_url
from danvan.portal.tests.readers_fixtures import article_fixture  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

FORM = {
    "sender_name": "Trần Văn Bình",
    "sender_email": "binh.tran@example.vn",
    "friend_email": "an.le@example.vn",
    "message": 'Anh đọc bài này nhé <script>alert("x")</script> & cho em ý kiến.',
}


def _post(client: Any, article: Any, data: dict[str, str], **extra: Any) -> Any:
    url = reverse("portal_readers:share", args=[article.pk])
    return client.post(url, data, **extra)


def test_the_email_has_the_title_lead_link_and_the_escaped_message(
    client, article, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, article, FORM)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_readers:share_sent", args=[article.pk])
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["an.le@example.vn"]
    assert email.reply_to == ["binh.tran@example.vn"]
    assert "Trần Văn Bình" in email.subject
    assert article.title in email.subject
    link = article_absolute_url(article)
    assert link.startswith("http")
    assert link.endswith(f"/{article.slug}/")
    for part in (article.title, article.lead, link, FORM["message"]):
        assert part in email.body
    html, mimetype = email.alternatives[0]  # type: ignore[attr-defined]
    assert mimetype == "text/html"
    assert article.title in html
    assert article.lead in html
    assert f'href="{link}"' in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; cho em" in html
    assert "<script>" not in html


def test_the_fragment_sends_too_and_answers_with_itself(
    client, article, django_capture_on_commit_callbacks
) -> None:
    url = reverse("portal_readers:share_fragment", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, FORM)
    assert response.status_code == 200
    assert b'data-testid="share-sent"' in response.content
    assert b"<html" not in response.content
    assert len(mail.outbox) == 1


def test_nothing_is_stored(client, article, django_capture_on_commit_callbacks) -> None:
    audit_before = AuditEvent.objects.count()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _post(client, article, FORM)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert AuditEvent.objects.count() == audit_before
    assert ReaderFeedback.objects.count() == 0
    assert len(mail.outbox) == 1
    # What waited for the task is gone; no cache value holds an address.
    cached = getattr(cache, "_cache", {})
    assert not any(b"an.le@example.vn" in value for value in cached.values())


def test_bad_addresses_and_a_link_are_refused_with_what_was_typed_kept(client, article) -> None:
    data = {
        **FORM,
        "sender_email": "binh.tran",
        "friend_email": "",
        "message": "Xem thêm ở https://vi-du.example",
    }
    response = _post(client, article, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"sender_email", "friend_email", "message"}
    html = response.content.decode()
    assert 'value="Trần Văn Bình"' in html
    assert 'value="binh.tran"' in html
    assert 'data-testid="error-sender_email"' in html
    assert mail.outbox == []


def test_a_message_too_long_is_refused(client, article) -> None:
    response = _post(client, article, {**FORM, "message": "a" * 501})
    assert "message" in response.context["form"].errors
    assert mail.outbox == []


def test_over_the_limit_the_answer_is_429_and_nothing_is_sent(
    client, article, settings, django_capture_on_commit_callbacks
) -> None:
    settings.PORTAL_SHARE_RATE_LIMIT = "2/h"
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            _post(client, article, {**FORM, "friend_email": f"ban{n}@example.vn"})
        response = _post(client, article, {**FORM, "friend_email": "ban9@example.vn"})
    assert response.status_code == 429
    assert b'data-testid="rate-limited"' in response.content
    assert 'value="ban9@example.vn"' in response.content.decode()
    assert len(mail.outbox) == 2


def test_one_friend_gets_a_few_emails_a_day_whoever_sends(
    client, article, settings, django_capture_on_commit_callbacks
) -> None:
    settings.PORTAL_SHARE_RECIPIENT_RATE_LIMIT = "2/d"
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            response = _post(client, article, FORM, REMOTE_ADDR=f"10.0.0.{n + 1}")
    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_pages_and_fragment_cost_two_queries(client, article, django_assert_num_queries) -> None:
    fragment = reverse("portal_readers:share_fragment", args=[article.pk])
    client.get(fragment)  # the site's root paths, cached afterwards
    # The article (with its view restrictions): nothing else.
    with django_assert_num_queries(2):
        response = client.get(fragment)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    page = reverse("portal_readers:share", args=[article.pk])
    client.get(page)  # the layout's menu of sections, cached afterwards
    with django_assert_num_queries(2):
        assert client.get(page).status_code == 200


def test_an_unknown_or_draft_article_is_404(client, article) -> None:
    assert client.get(reverse("portal_readers:share", args=[article.pk + 999])).status_code == 404
    article.unpublish()
    assert client.get(reverse("portal_readers:share", args=[article.pk])).status_code == 404
