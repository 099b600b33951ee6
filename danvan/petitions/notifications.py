"""Email: the citizen at each public step, and the daily digests of due cases.

The citizen who gave an email address gets one message per step shown to
them (a case event with `is_public`), sent by a task after the step is
committed, so a failed send never undoes the step. The message names the
code, the new status and the public note; it never contains the lookup key
(the key was shown once at filing) nor anyone's identity.

Every day `due_digests_send` emails each handler the list of their open
cases due soon or overdue, and each head the overdue cases of the
organizations they lead. Lists carry code, title, kind and due date only:
a denouncer's identity never appears in a notification to others (Luật Tố
cáo 2018 Art. 47(1)(a)). A digest is sent once per person per day; the
sending is recorded in the audit trail, which is also what prevents a
second send when the command runs again.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Final

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from danvan.core.audit import audit_record
from danvan.core.formats import page_date_line
from danvan.core.models import AuditEvent
from danvan.orgs.models import Membership, Role
from danvan.orgs.selectors import organization_descendant_ids, valid_on_q
from danvan.petitions.models import CaseEvent, Petition
from danvan.petitions.selectors import DUE_SOON_DAYS, OPEN_STATUSES
from danvan.petitions.workflow import Status

logger = logging.getLogger(__name__)

DIGEST_ACTION: Final = "petition.digest_sent"

#: At most this many cases are listed in one digest; the rest are counted.
DIGEST_MAX_ROWS: Final = 200


def _lookup_url() -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    try:
        path = reverse("petitions_portal:lookup")
    except NoReverseMatch:
        path = "/"
    return f"{base}{path}"


class CitizenEmailFailed(Exception):
    """Sending a citizen's email failed; the message names no recipient."""


def citizen_notify_on_commit(event: CaseEvent) -> None:
    """Queue the citizen's email for `event` once the current transaction commits."""
    if not event.is_public:
        return
    event_id = event.pk
    transaction.on_commit(lambda: citizen_notify.enqueue(event_id))


@task()
def citizen_notify(event_id: int) -> int:
    """Email the petitioners of the event's petition about it; return how many were sent."""
    event = CaseEvent.objects.select_related("petition").filter(pk=event_id).first()
    if event is None or not event.is_public:
        return 0
    petition = event.petition
    if petition.is_anonymous:
        return 0
    recipients = sorted(
        {email for email in petition.petitioners.values_list("email", flat=True) if email}
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "code": petition.code,
            "status": Status(event.to_status).label,
            "note": event.note,
            "expected_response_by": (
                page_date_line(petition.expected_response_by)
                if petition.expected_response_by
                else ""
            ),
            "lookup_url": _lookup_url(),
        }
        subject = gettext("Petition %(code)s: %(status)s") % {
            "code": petition.code,
            "status": context["status"],
        }
        body = render_to_string("petitions/email/citizen_update.txt", context)
    sent = 0
    for email in recipients:
        # One message per address: petitioners do not see each other's address.
        try:
            sent += send_mail(subject, body, None, [email], fail_silently=False)
        except Exception as error:
            # The mail server's error quotes the recipient, a denouncer's contact
            # included (Luật Tố cáo 2018 Art. 47): the task's log and stored
            # traceback get only the type of the error, never its message.
            raise CitizenEmailFailed(
                f"Email about case event {event_id} not sent: {type(error).__name__}"
            ) from None
    return sent


def _digest_sent(user_id: int, day: datetime.date) -> bool:
    return AuditEvent.objects.filter(
        action=DIGEST_ACTION, target_type="core.user", target_id=str(user_id), data__day=str(day)
    ).exists()


def _rows(petitions: Iterable[Petition], today: datetime.date) -> list[dict[str, Any]]:
    rows = []
    for petition in petitions:
        due = petition.expected_response_by
        rows.append(
            {
                "code": petition.code,
                "title": petition.title,
                "kind": petition.get_kind_display(),
                "due": page_date_line(due) if due else "",
                "overdue": bool(due and due < today),
            }
        )
    return rows


def _send_digest(
    user: Any, *, today: datetime.date, assigned: list[Petition], overdue: list[Petition]
) -> bool:
    if not user.email or (not assigned and not overdue):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": user.get_full_name() or user.get_username(),
            "today": page_date_line(today),
            "assigned": _rows(assigned[:DIGEST_MAX_ROWS], today),
            "assigned_more": max(0, len(assigned) - DIGEST_MAX_ROWS),
            "overdue": _rows(overdue[:DIGEST_MAX_ROWS], today),
            "overdue_more": max(0, len(overdue) - DIGEST_MAX_ROWS),
            "soon_days": DUE_SOON_DAYS,
        }
        subject = gettext("Petitions due soon and overdue, %(day)s") % {"day": context["today"]}
        body = render_to_string("petitions/email/due_digest.txt", context)
    send_mail(subject, body, None, [user.email], fail_silently=False)
    return True


def due_digests_send(*, today: datetime.date | None = None) -> int:
    """Send today's digests to handlers and heads; return how many were sent.

    Safe to run several times a day: whoever already got today's digest is
    skipped.
    """
    today = today or timezone.localdate()
    soon_until = today + datetime.timedelta(days=DUE_SOON_DAYS)
    due = Petition.objects.filter(
        status__in=OPEN_STATUSES, resolved_on__isnull=True, expected_response_by__lte=soon_until
    ).order_by("expected_response_by", "pk")
    by_assignee: dict[int, list[Petition]] = defaultdict(list)
    for petition in due.filter(assigned_to__isnull=False).only(
        "code", "title", "kind", "expected_response_by", "assigned_to_id"
    ):
        assert petition.assigned_to_id is not None  # noqa: S101 (filtered)
        by_assignee[petition.assigned_to_id].append(petition)

    heads: dict[int, set[int]] = defaultdict(set)
    for membership in Membership.objects.filter(valid_on_q(today), role=Role.HEAD):
        heads[membership.user_id].add(membership.organization_id)

    User = get_user_model()
    sent = 0
    for user in User.objects.filter(pk__in={*by_assignee, *heads}, is_active=True).order_by("pk"):
        if _digest_sent(user.pk, today):
            continue
        overdue: list[Petition] = []
        if user.pk in heads:
            units = organization_descendant_ids(heads[user.pk])
            overdue = list(
                due.filter(organization_id__in=units, expected_response_by__lt=today).only(
                    "code", "title", "kind", "expected_response_by"
                )
            )
        assigned = by_assignee.get(user.pk, [])
        with transaction.atomic():
            if _send_digest(user, today=today, assigned=assigned, overdue=overdue):
                audit_record(
                    actor=None,
                    action=DIGEST_ACTION,
                    target=user,
                    data={
                        "day": str(today),
                        "assigned": len(assigned),
                        "overdue": len(overdue),
                    },
                )
                sent += 1
    return sent


@task()
def due_digests_task() -> int:
    """The daily digests, as a task (`manage.py send_due_digests` enqueues or runs it)."""
    return due_digests_send()
