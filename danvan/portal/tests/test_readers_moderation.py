"""Moderating reader feedback in the back-office: who may, bulk decisions, audit, email once."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from danvan.core.models import AuditEvent
from danvan.portal import feedback
from danvan.portal.models import ReaderFeedback
from danvan.portal.readers_links import article_absolute_url
from danvan.portal.tests.readers_fixtures import (  # noqa: F401 (fixtures)
    article_fixture,
    editor_fixture,
    make_article,
    make_feedback,
    make_user,
    officer_fixture,
)

pytestmark = pytest.mark.django_db

QUEUE = "portal_moderation:queue"
MODERATE = "portal_moderation:moderate"


def _moderate(client: Any, ids: list[int], action: str, reason: str = "") -> Any:
    return client.post(reverse(MODERATE), {"ids": ids, "action": action, "reason": reason})


def test_anonymous_is_sent_to_sign_in(client) -> None:
    response = client.get(reverse(QUEUE))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert client.post(reverse(MODERATE), {"ids": [1], "action": "approve"}).status_code == 302


def test_back_office_user_without_the_permission_gets_403(client, officer, article) -> None:
    pending = make_feedback(article)
    client.force_login(officer)
    assert client.get(reverse(QUEUE)).status_code == 403
    assert _moderate(client, [pending.pk], "approve").status_code == 403
    pending.refresh_from_db()
    assert pending.status == ReaderFeedback.Status.PENDING
    with pytest.raises(PermissionDenied):
        feedback.feedback_approve(actor=officer, feedbacks=[pending])


def test_editor_sees_the_queue_with_counts_and_sender_details(client, editor, article) -> None:
    make_feedback(article, name="Chờ Một", email="cho.mot@example.vn", phone="0911 000 111")
    make_feedback(article, name="Chờ Hai")
    make_feedback(article, name="Đã Đăng", status=ReaderFeedback.Status.APPROVED)
    client.force_login(editor)
    response = client.get(reverse(QUEUE))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chờ Một" in html
    assert "cho.mot@example.vn" in html
    assert "0911 000 111" in html
    assert "Đã Đăng" not in html  # a bare queue shows what awaits moderation
    counts = {item["value"]: item["count"] for item in response.context["counts"]}
    assert counts == {"pending": 2, "approved": 1, "rejected": 0}
    approved = client.get(reverse(QUEUE), {"status": "approved"}).content.decode()
    assert "Đã Đăng" in approved
    assert "Chờ Một" not in approved


def test_the_article_filter(client, editor, article) -> None:
    other = make_article("Nông dân Tháp Mười chuyển đổi cây trồng", slug="thap-muoi")
    make_feedback(article, name="Ở Bài Một")
    make_feedback(other, name="Ở Bài Hai")
    client.force_login(editor)
    html = client.get(reverse(QUEUE), {"status": "all", "article": other.pk}).content.decode()
    assert "Ở Bài Hai" in html
    assert "Ở Bài Một" not in html


def test_bulk_approve_records_who_when_audit_and_emails_each_sender_once(
    client, editor, article, django_capture_on_commit_callbacks
) -> None:
    first = make_feedback(article, email="mot@example.vn")
    second = make_feedback(article, email="hai@example.vn")
    untouched = make_feedback(article, email="ba@example.vn")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _moderate(client, [first.pk, second.pk], "approve")
    assert response.status_code == 302
    for item in (first, second):
        item.refresh_from_db()
        assert item.status == ReaderFeedback.Status.APPROVED
        assert item.moderated_by == editor
        assert item.moderated_at is not None
        assert item.sender_notified_at is not None
    untouched.refresh_from_db()
    assert untouched.status == ReaderFeedback.Status.PENDING
    events = AuditEvent.objects.filter(action="readerfeedback.approve")
    assert sorted(int(e.target_id) for e in events) == sorted([first.pk, second.pk])
    assert {e.actor_id for e in events} == {editor.pk}
    assert sorted(m.to[0] for m in mail.outbox) == ["hai@example.vn", "mot@example.vn"]
    message = mail.outbox[0]
    assert article.title in message.subject
    assert article_absolute_url(article) in message.body
    assert message.alternatives[0][1] == "text/html"  # type: ignore[attr-defined]

    # Rejected, then approved again: no second email.
    with django_capture_on_commit_callbacks(execute=True):
        _moderate(client, [first.pk], "reject", "Trùng lặp")
        _moderate(client, [first.pk], "approve")
    assert len(mail.outbox) == 2
    # The task itself sends once even if it runs again.
    assert feedback.feedback_published_notify.call(first.pk) == 0
    assert len(mail.outbox) == 2


def test_bulk_reject_with_a_reason(client, editor, article) -> None:
    items = [make_feedback(article) for _n in range(3)]
    client.force_login(editor)
    _moderate(client, [i.pk for i in items], "reject", "Nội dung không liên quan bài viết")
    for item in items:
        item.refresh_from_db()
        assert item.status == ReaderFeedback.Status.REJECTED
        assert item.rejection_reason == "Nội dung không liên quan bài viết"
        assert item.moderated_by == editor
    event = AuditEvent.objects.filter(action="readerfeedback.reject").first()
    assert event is not None
    assert event.data == {
        "from": "pending",
        "to": "rejected",
        "reason": "Nội dung không liên quan bài viết",
    }
    assert mail.outbox == []


def test_approved_feedback_then_shows_under_the_article(client, editor, article) -> None:
    item = make_feedback(article, name="Huỳnh Văn Sáu", content="Rất mong có thêm bài như vầy.")
    feedback.feedback_approve(actor=editor, feedbacks=[item])
    html = client.get(
        reverse("portal_readers:feedback_fragment", args=[article.pk])
    ).content.decode()
    assert "Huỳnh Văn Sáu" in html
    assert "Rất mong có thêm bài như vầy." in html


def test_nothing_ticked_or_unknown_action(client, editor, article) -> None:
    item = make_feedback(article)
    client.force_login(editor)
    assert _moderate(client, [], "approve").status_code == 302
    assert _moderate(client, [item.pk], "delete").status_code == 302
    item.refresh_from_db()
    assert item.status == ReaderFeedback.Status.PENDING
    assert not AuditEvent.objects.filter(action__startswith="readerfeedback.a").exists()


def test_the_menu_shows_the_pending_count_to_moderators_only(client, editor, officer, article):
    make_feedback(article)
    make_feedback(article)
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-dv-badge" in html
    assert reverse(QUEUE) in html
    assert feedback.pending_count() == 2
    client.force_login(officer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(QUEUE) not in html


def test_the_pending_count_follows_changes(editor, article) -> None:
    item = make_feedback(article)
    assert feedback.pending_count() == 1
    feedback.feedback_approve(actor=editor, feedbacks=[item])
    assert feedback.pending_count() == 0
    feedback.feedback_submit(
        article=article, name="Bạn đọc", email="bd@example.vn", content="Góp ý về bài viết này."
    )
    assert feedback.pending_count() == 1


def test_the_queue_costs_the_same_queries_whatever_its_length(
    client, editor, article, django_assert_max_num_queries
) -> None:
    make_feedback(article)
    client.force_login(editor)
    client.get(reverse(QUEUE))
    # Session, user, permissions (2), profile, articles filter, page count, counts, locale, rows.
    with django_assert_max_num_queries(10) as first:
        client.get(reverse(QUEUE))
    for n in range(30):
        make_feedback(article, name=f"Người {n}")
    other_editor = make_user("bientap.hai", moderator=True)
    feedback.feedback_approve(
        actor=other_editor, feedbacks=list(ReaderFeedback.objects.all()[:10])
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse(QUEUE), {"status": "all"})
    assert response.content.count(b'name="ids"') == 25


def test_bulk_moderation_costs_a_fixed_number_of_queries(
    client, editor, article, django_assert_max_num_queries
) -> None:
    items = [make_feedback(article) for _n in range(20)]
    client.force_login(editor)
    # Session, user, permissions (2), profile, the ticked ids, then in one transaction:
    # lock, update, audit events (one insert), savepoints.
    with django_assert_max_num_queries(11):
        _moderate(client, [i.pk for i in items], "reject")
    assert ReaderFeedback.objects.filter(status=ReaderFeedback.Status.REJECTED).count() == 20
