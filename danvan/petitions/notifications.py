"""Email: the citizen at each public step, and the daily digests of due cases.

The citizen who gave an email address gets one message per step shown to
them (a case event with `is_public`), sent by a task after the step is
committed, so a failed send never undoes the step. The message names the
code, the new status and the public note, never anyone's identity.

The first message, the receipt, also carries the lookup key, as the
confirmation page does (issue 5), except for a denunciation: a denouncer's
mailbox may be read by others, and the key opens the case (Luật Tố cáo 2018
Art. 47(1)(a)); their receipt says why the key is left out. The key is
stored only as a hash, so the intake leaves the plain key in the cache
(`receipt_key_stash`, at most `RECEIPT_KEY_SECONDS`) for the task, which
takes it and deletes it once the email is sent; it never goes into the
task's arguments, which the database queue keeps.

Every day `due_digests_send` emails each handler the list of their open
cases due soon or overdue, and each head the overdue cases of the
organizations they lead. Lists carry code, title, kind and due date only:
a denouncer's identity never appears in a notification to others (Luật Tố
cáo 2018 Art. 47(1)(a)). A digest is sent once per person per day; the
sending is recorded in the audit trail, which is also what prevents a
second send when the command runs again.

Other apps add lists to the heads' digest without this app knowing them
(dependencies point downward: `reception` imports `petitions`, never the
reverse). An app registers a `DigestSection` from its `AppConfig.ready()`
with `digest_section_register`; each run asks every section once for its
overdue items (one query each, whatever the number of recipients) and
lists, in a head's digest, the items of the organizations they lead and of
every one below them, the rule that picks the overdue petitions. Reception
registers the overdue commitments of dialogues this way.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
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
from danvan.petitions.workflow import Action, PetitionKind, Status

logger = logging.getLogger(__name__)

DIGEST_ACTION: Final = "petition.digest_sent"

#: At most this many cases are listed in one digest; the rest are counted.
DIGEST_MAX_ROWS: Final = 200

#: Keys of the digest's audit data that a section may not take.
_RESERVED_SECTION_KEYS: Final = frozenset({"day", "assigned", "overdue"})


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestItem:
    """One overdue item of another app, for the heads of `organization_id` and above.

    `text` is one line in the site's language (the section's `items` is
    called with it active) and names nobody whose identity is protected.
    """

    organization_id: int
    due: datetime.date
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestSection:
    """A list that another app adds to the heads' digest.

    `key` names the count in the digest's audit event; `heading(count)`
    is the list's title in the active language; `items(today)` returns
    every item overdue on `today`, in a fixed number of queries.
    """

    key: str
    heading: Callable[[int], str]
    items: Callable[[datetime.date], Iterable[DigestItem]]


_SECTIONS: dict[str, DigestSection] = {}


def digest_section_register(section: DigestSection) -> None:
    """Add `section` to every digest (a section with the same key is replaced)."""
    if section.key in _RESERVED_SECTION_KEYS:
        raise ValueError(f"The digest key {section.key!r} is taken by the petitions.")
    _SECTIONS[section.key] = section


def digest_section_unregister(key: str) -> None:
    """Remove the section registered under `key`, if any."""
    _SECTIONS.pop(key, None)


def digest_sections() -> tuple[DigestSection, ...]:
    """Return the registered sections, in the order they were registered."""
    return tuple(_SECTIONS.values())


def _lookup_url() -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    try:
        path = reverse("petitions_portal:lookup")
    except NoReverseMatch:
        path = "/"
    return f"{base}{path}"


#: How long the plain lookup key waits in the cache for the receipt's task.
RECEIPT_KEY_SECONDS: Final = 24 * 3600
_RECEIPT_KEY_PREFIX: Final = "petitions:receipt-key"


def receipt_key_stash(event: CaseEvent, kind: str, lookup_key: str) -> None:
    """Keep the plain key for the receipt email of `event` (never for a denunciation)."""
    if kind == PetitionKind.DENUNCIATION:
        return
    cache.set(f"{_RECEIPT_KEY_PREFIX}:{event.pk}", lookup_key, RECEIPT_KEY_SECONDS)


def _receipt_key(event: CaseEvent) -> str | None:
    if event.action != Action.RECEIVE:
        return None
    key = cache.get(f"{_RECEIPT_KEY_PREFIX}:{event.pk}")
    return key if isinstance(key, str) else None


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
            "lookup_key": _receipt_key(event),
            "key_withheld": (
                event.action == Action.RECEIVE and petition.kind == PetitionKind.DENUNCIATION
            ),
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
    if context["lookup_key"]:
        cache.delete(f"{_RECEIPT_KEY_PREFIX}:{event.pk}")
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


def _section_items(
    today: datetime.date,
) -> list[tuple[DigestSection, dict[int, list[DigestItem]]]]:
    """Ask each section once for today's items, grouped by organization."""
    found = []
    with translation.override(settings.LANGUAGE_CODE):
        for section in digest_sections():
            by_organization: dict[int, list[DigestItem]] = defaultdict(list)
            for item in section.items(today):
                by_organization[item.organization_id].append(item)
            found.append((section, dict(by_organization)))
    return found


def _sections_for(
    units: set[int],
    found: Sequence[tuple[DigestSection, Mapping[int, list[DigestItem]]]],
) -> list[tuple[DigestSection, list[DigestItem]]]:
    """Return each section with the items of `units`, earliest due first."""
    chosen = []
    for section, by_organization in found:
        items = [item for unit in units for item in by_organization.get(unit, ())]
        items.sort(key=lambda item: (item.due, item.text))
        chosen.append((section, items))
    return chosen


def _send_digest(
    user: Any,
    *,
    today: datetime.date,
    assigned: list[Petition],
    overdue: list[Petition],
    sections: Sequence[tuple[DigestSection, list[DigestItem]]] = (),
) -> bool:
    has_items = any(items for _section, items in sections)
    if not user.email or (not assigned and not overdue and not has_items):
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
            "sections": [
                {
                    "heading": section.heading(len(items)),
                    "rows": [
                        {"text": item.text, "due": page_date_line(item.due)}
                        for item in items[:DIGEST_MAX_ROWS]
                    ],
                    "more": max(0, len(items) - DIGEST_MAX_ROWS),
                }
                for section, items in sections
                if items
            ],
        }
        subject = gettext("Petitions due soon and overdue, %(day)s") % {"day": context["today"]}
        body = render_to_string("petitions/email/due_digest.txt", context)
    send_mail(subject, body, None, [user.email], fail_silently=False)
    return True


def due_digests_send(*, today: datetime.date | None = None) -> int:
    """Send today's digests to handlers and heads; return how many were sent.

    Safe to run several times a day: whoever already got today's digest is
    skipped. A head's digest also lists the overdue items of the registered
    sections (`DigestSection`) for the units they lead and those below.
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

    found = _section_items(today)
    User = get_user_model()
    sent = 0
    for user in User.objects.filter(pk__in={*by_assignee, *heads}, is_active=True).order_by("pk"):
        if _digest_sent(user.pk, today):
            continue
        overdue: list[Petition] = []
        sections: list[tuple[DigestSection, list[DigestItem]]] = []
        if user.pk in heads:
            units = organization_descendant_ids(heads[user.pk])
            overdue = list(
                due.filter(organization_id__in=units, expected_response_by__lt=today).only(
                    "code", "title", "kind", "expected_response_by"
                )
            )
            sections = _sections_for(units, found)
        assigned = by_assignee.get(user.pk, [])
        with transaction.atomic():
            if _send_digest(
                user, today=today, assigned=assigned, overdue=overdue, sections=sections
            ):
                audit_record(
                    actor=None,
                    action=DIGEST_ACTION,
                    target=user,
                    data={
                        "day": str(today),
                        "assigned": len(assigned),
                        "overdue": len(overdue),
                        **{section.key: len(items) for section, items in sections},
                    },
                )
                sent += 1
    return sent


@task()
def due_digests_task() -> int:
    """The daily digests, as a task (`manage.py send_due_digests` enqueues or runs it)."""
    return due_digests_send()
