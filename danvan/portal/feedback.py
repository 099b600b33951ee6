"""Reader feedback (Phản hồi): submit, approve, reject, tell the sender.

A reader's feedback is stored as awaiting moderation; nothing is shown
until an editor approves it. Only the name, the date and the content of
approved feedback are ever shown publicly; the email, phone and address
are for the editors. The content is plain text: markup is refused with a
message beside the field (`markup_refused`), and what is stored is
escaped on output like any text.

Moderating needs the permission `portal.change_readerfeedback` (given to
the editors' group, superusers have it). Each decision records who and
when on the row and appends an audit event (`danvan.core.audit`). When a
feedback is first approved, its sender is told by email, once
(`sender_notified_at`), by a task queued after the commit.
"""

import logging
import re
from collections.abc import Iterable
from typing import Any, Final

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.audit import Actor, audit_event_new, audit_record
from danvan.core.models import AuditEvent
from danvan.portal.models import TEXT_MAX_LENGTH, ArticlePage, ReaderFeedback
from danvan.portal.readers_links import article_absolute_url

logger = logging.getLogger(__name__)

#: The permission that lets a user moderate reader feedback.
MODERATE_PERMISSION: Final = "portal.change_readerfeedback"

#: Approved feedback listed per page under an article.
PUBLIC_PAGE_SIZE: Final = 10

_PENDING_COUNT_KEY: Final = "portal:feedback:pending-count"
_PENDING_COUNT_TTL: Final = 60

#: A tag (`<b>`, `</p>`, `<!-- -->`, `<?php`) or a script URL: not plain text.
_MARKUP: Final = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>?|javascript\s*:|&lt;\s*/?\s*script", re.I)

MARKUP_MESSAGE: Final = _(
    "Write plain text only: HTML tags and scripts (such as <b> or <script>) are not accepted."
)


def markup_refused(value: str) -> None:
    """Raise a `ValidationError` if `value` contains HTML tags or a script."""
    if value and _MARKUP.search(value):
        raise ValidationError(MARKUP_MESSAGE, code="markup")


def may_moderate(user: Any) -> bool:
    """Tell whether `user` may approve and reject reader feedback."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm(MODERATE_PERMISSION)
    )


def _pending_count_forget() -> None:
    """Drop the cached count now and again after the commit (a read in between re-caches)."""
    cache.delete(_PENDING_COUNT_KEY)
    transaction.on_commit(lambda: cache.delete(_PENDING_COUNT_KEY))


def pending_count() -> int:
    """Return how many feedbacks await moderation (cached for a minute, reset on change)."""
    count = cache.get(_PENDING_COUNT_KEY)
    if count is None:
        count = ReaderFeedback.objects.filter(status=ReaderFeedback.Status.PENDING).count()
        cache.set(_PENDING_COUNT_KEY, count, timeout=_PENDING_COUNT_TTL)
    return int(count)


def counts_by_status(article_id: int | None = None) -> dict[str, int]:
    """Return the number of feedbacks in each status (every status present), in one query."""
    rows = ReaderFeedback.objects.all()
    if article_id is not None:
        rows = rows.filter(article_id=article_id)
    found = dict(rows.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: int(found.get(status, 0)) for status in ReaderFeedback.Status.values}


def approved_feedback(article: ArticlePage) -> QuerySet[ReaderFeedback]:
    """Return the article's published feedback, newest first, with public fields only."""
    return (
        ReaderFeedback.objects.filter(article=article, status=ReaderFeedback.Status.APPROVED)
        .only("pk", "name", "content", "created_at")
        .order_by("-created_at", "-pk")
    )


def feedback_submit(
    *,
    article: ArticlePage,
    name: str,
    email: str,
    content: str,
    phone: str = "",
    address: str = "",
) -> ReaderFeedback:
    """Store a reader's feedback, awaiting moderation; return it.

    Refuses an article that does not take feedback and markup in the
    texts shown to editors and the public.
    """
    if not article.allow_feedback:
        raise ValidationError(_("This article does not take readers' feedback."), code="closed")
    errors: dict[str, list[Any]] = {}
    for field, value in (("name", name), ("address", address), ("content", content)):
        try:
            markup_refused(value)
        except ValidationError as error:
            errors[field] = error.error_list
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        feedback = ReaderFeedback(
            article=article,
            name=name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            address=address.strip(),
            content=content.strip(),
        )
        feedback.full_clean()
        feedback.save()
        audit_record(
            actor=None,
            action="readerfeedback.submit",
            target=feedback,
            data={"article": article.pk},
        )
        _pending_count_forget()
    return feedback


def _moderate(
    *,
    actor: Actor,
    feedbacks: Iterable[ReaderFeedback],
    status: str,
    reason: str = "",
) -> list[ReaderFeedback]:
    if not may_moderate(actor):
        raise PermissionDenied(gettext("You may not moderate readers' feedback."))
    ids = sorted({feedback.pk for feedback in feedbacks})
    now = timezone.now()
    with transaction.atomic():
        changed = list(
            ReaderFeedback.objects.select_for_update()
            .filter(pk__in=ids)
            .exclude(status=status)
            .only("pk", "name", "article_id", "status", "sender_notified_at")
        )
        if not changed:
            return []
        ReaderFeedback.objects.filter(pk__in=[f.pk for f in changed]).update(
            status=status,
            moderated_at=now,
            moderated_by=actor,
            rejection_reason=reason if status == ReaderFeedback.Status.REJECTED else "",
        )
        action = (
            "readerfeedback.approve"
            if status == ReaderFeedback.Status.APPROVED
            else "readerfeedback.reject"
        )
        events = []
        for feedback in changed:
            data: dict[str, Any] = {"from": feedback.status, "to": status}
            if reason and status == ReaderFeedback.Status.REJECTED:
                data["reason"] = reason
            events.append(audit_event_new(actor=actor, action=action, target=feedback, data=data))
            feedback.status = status
        AuditEvent.objects.bulk_create(events)
        _pending_count_forget()
    return changed


def feedback_approve(*, actor: Actor, feedbacks: Iterable[ReaderFeedback]) -> int:
    """Publish the feedbacks; tell each sender, once, by email. Return how many changed."""
    changed = _moderate(actor=actor, feedbacks=feedbacks, status=ReaderFeedback.Status.APPROVED)
    to_notify = [f.pk for f in changed if f.sender_notified_at is None]
    if to_notify:
        transaction.on_commit(lambda: [feedback_published_notify.enqueue(pk) for pk in to_notify])
    return len(changed)


def feedback_reject(*, actor: Actor, feedbacks: Iterable[ReaderFeedback], reason: str = "") -> int:
    """Refuse (or withdraw) the feedbacks, with an optional reason. Return how many changed."""
    reason = reason.strip()
    if len(reason) > TEXT_MAX_LENGTH:  # the length of `rejection_reason`
        raise ValidationError({"reason": _("The reason is too long.")})
    changed = _moderate(
        actor=actor, feedbacks=feedbacks, status=ReaderFeedback.Status.REJECTED, reason=reason
    )
    return len(changed)


class FeedbackEmailFailed(Exception):
    """Sending the "published" email failed; the message names no recipient."""


@task()
def feedback_published_notify(feedback_id: int) -> int:
    """Tell the sender their feedback is published; return 1 if sent, 0 if not needed.

    The row is claimed first (`sender_notified_at` set where it was empty),
    so the sender is told once even if the task runs twice; a failed send
    releases the claim.
    """
    now = timezone.now()
    claimed = ReaderFeedback.objects.filter(
        pk=feedback_id, status=ReaderFeedback.Status.APPROVED, sender_notified_at__isnull=True
    ).update(sender_notified_at=now)
    if not claimed:
        return 0
    feedback = ReaderFeedback.objects.select_related("article").get(pk=feedback_id)
    article = feedback.article
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": feedback.name,
            "title": article.title,
            "url": article_absolute_url(article),
            "content": feedback.content,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = gettext("Your feedback on “%(title)s” is published") % {"title": article.title}
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("portal/readers/email/feedback_published.txt", context),
            to=[feedback.email],
        )
        message.attach_alternative(
            render_to_string("portal/readers/email/feedback_published.html", context), "text/html"
        )
    try:
        message.send(fail_silently=False)
    except Exception as error:
        ReaderFeedback.objects.filter(pk=feedback_id, sender_notified_at=now).update(
            sender_notified_at=None
        )
        # The mail server's error may quote the address: keep it out of logs.
        raise FeedbackEmailFailed(
            f"Email about reader feedback {feedback_id} not sent: {type(error).__name__}"
        ) from None
    return 1
