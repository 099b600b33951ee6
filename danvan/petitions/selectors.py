"""Selectors that read petitions: the citizen's lookup and the staff inbox.

The inbox reads only petitions of the organizations the user may read
(`orgs.selectors.organizations_user_can_read`) or assigned to the user,
filters them as the inbox page and `GET /api/v1/staff/petitions` do, and
never searches a protected identity (`confidentiality.name_search_q`).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from danvan.core.text import fold
from danvan.orgs.selectors import organizations_user_can_read
from danvan.petitions import keys
from danvan.petitions.confidentiality import name_searchable_q
from danvan.petitions.models import CaseEvent, Petition, Petitioner
from danvan.petitions.workflow import TERMINAL, Status

#: Days before the due date when a step counts as "due soon".
DUE_SOON_DAYS = 3

#: The orders an inbox may be sorted in, by their public names.
INBOX_ORDERINGS: dict[str, tuple[str, ...]] = {
    "due": ("expected_response_by", "id"),
    "-due": ("-expected_response_by", "-id"),
    "received": ("received_at", "id"),
    "-received": ("-received_at", "-id"),
}

#: Statuses that count as open (a clock may run, the case is in an inbox).
OPEN_STATUSES: tuple[str, ...] = tuple(s.value for s in Status if s not in TERMINAL)


def petition_get_for_citizen(*, code: str, key: str) -> Petition | None:
    """Return the petition `code` if `key` is its lookup key, else None.

    An unknown code and a wrong key give the same answer after the same
    work (the key is hashed and compared in constant time either way), so
    that the answer does not tell which codes exist.
    """
    petition = Petition.objects.filter(code=code.strip().upper()).first()
    stored = petition.lookup_key_hash if petition is not None else None
    if not keys.lookup_key_matches(key, stored) or petition is None:
        return None
    return petition


def petition_public_history(petition: Petition) -> QuerySet[CaseEvent]:
    """Return the case events of `petition` shown to the citizen, oldest first."""
    return CaseEvent.objects.filter(petition=petition, is_public=True).order_by(
        "occurred_at", "id"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class InboxFilters:
    """What the inbox is narrowed to; every field is optional.

    `due` is "soon" (open, due within `DUE_SOON_DAYS` days, not yet
    overdue) or "overdue" (open, due date passed). `status` "open" means
    every status that is not terminal.
    """

    kind: str = ""
    status: str = ""
    channel: str = ""
    category: str = ""
    commune: int | None = None
    organization: int | None = None
    due: str = ""
    assigned_to_me: bool = False
    q: str = ""
    ordering: str = "due"


def petitions_visible_to(user: Any) -> QuerySet[Petition]:
    """Return every petition `user` may open in the staff workspace."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Petition.objects.none()
    if user.is_superuser:
        return Petition.objects.all()
    readable = organizations_user_can_read(user).values("pk")
    return Petition.objects.filter(Q(organization__in=readable) | Q(assigned_to=user.pk))


def _search(petitions: QuerySet[Petition], query: str) -> QuerySet[Petition]:
    folded = fold(query).strip()
    if not folded:
        return petitions
    names = Petitioner.objects.filter(petition=OuterRef("pk"), name_folded__contains=folded)
    # Names are searched only where they may be listed (never a denouncer's).
    return petitions.filter(
        Q(search_text__contains=folded) | (Exists(names) & name_searchable_q())
    )


def petition_inbox(
    user: Any, filters: InboxFilters, *, today: datetime.date | None = None
) -> QuerySet[Petition]:
    """Return the petitions of `user`'s inbox narrowed by `filters`, sorted.

    Lists carry no identity: callers show names only through
    `confidentiality.listed_name`.
    """
    today = today or timezone.localdate()
    petitions = petitions_visible_to(user)
    if filters.kind:
        petitions = petitions.filter(kind=filters.kind)
    if filters.status == "open":
        petitions = petitions.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        petitions = petitions.filter(status=filters.status)
    if filters.channel:
        petitions = petitions.filter(channel=filters.channel)
    if filters.category:
        petitions = petitions.filter(category=filters.category)
    if filters.commune is not None:
        petitions = petitions.filter(commune_id=filters.commune)
    if filters.organization is not None:
        petitions = petitions.filter(organization_id=filters.organization)
    if filters.assigned_to_me:
        petitions = petitions.filter(assigned_to=user.pk)
    if filters.due == "overdue":
        petitions = petitions.filter(status__in=OPEN_STATUSES, expected_response_by__lt=today)
    elif filters.due == "soon":
        petitions = petitions.filter(
            status__in=OPEN_STATUSES,
            expected_response_by__gte=today,
            expected_response_by__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
    if filters.q:
        petitions = _search(petitions, filters.q)
    ordering = INBOX_ORDERINGS.get(filters.ordering, INBOX_ORDERINGS["due"])
    return petitions.select_related("commune", "organization", "assigned_to").order_by(*ordering)


def petition_get_for_staff(user: Any, code: str) -> Petition | None:
    """Return the petition `code` if `user` may open it, else None."""
    return (
        petitions_visible_to(user)
        .select_related("commune", "organization", "assigned_to")
        .filter(code=code.strip().upper())
        .first()
    )
