"""Selectors that read petitions: the citizen's lookup and the staff inbox.

The inbox reads only petitions of the organizations the user may read
today (`orgs.selectors.organizations_user_can_read`), filters them as the
inbox page and `GET /api/v1/staff/petitions` do, and searches one column,
`search_text`, which never holds a denouncer's name
(`services.petition_search_text`).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from danvan.core.text import fold
from danvan.orgs.selectors import organizations_user_can_read
from danvan.petitions import keys
from danvan.petitions.models import CaseEvent, Petition
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

    `due` is "soon" (open, not yet decided, due within `DUE_SOON_DAYS`
    days, not yet overdue) or "overdue" (open, not yet decided, due date
    passed): a decided case waits only for its notice. `status` "open" means
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
    # Access follows today's memberships: an assignee who left the body no
    # longer reads its petitions, and one condition keeps counts on an index.
    readable = organizations_user_can_read(user).values("pk")
    return Petition.objects.filter(organization__in=readable)


def _search(petitions: QuerySet[Petition], query: str) -> QuerySet[Petition]:
    """Match the folded query in `search_text`: code, title, content, and the
    names where lists may show them (`services.petition_search_text`)."""
    folded = " ".join(fold(query).split())
    if not folded:
        return petitions
    return petitions.filter(search_text__contains=folded)


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
        petitions = petitions.filter(
            status__in=OPEN_STATUSES, resolved_on__isnull=True, expected_response_by__lt=today
        )
    elif filters.due == "soon":
        petitions = petitions.filter(
            status__in=OPEN_STATUSES,
            resolved_on__isnull=True,
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


@dataclass(frozen=True, slots=True)
class InboxPage:
    """One page of an inbox, read without counting the whole inbox.

    Counting every visible petition costs a scan of all of them (0.3–0.7 s
    for a province at 1M petitions); one extra row tells whether there is a
    next page. Totals are the dashboard's job.
    """

    items: list[Petition]
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        """Tell whether a page comes before this one."""
        return self.number > 1

    @property
    def first_index(self) -> int:
        """The 1-based position of the first item (0 on an empty page)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        """The 1-based position of the last item (0 on an empty page)."""
        return (self.number - 1) * self.size + len(self.items)


def inbox_page(petitions: QuerySet[Petition], *, number: int, size: int) -> InboxPage:
    """Return page `number` (1-based, at least 1) of `petitions`, `size` rows a page."""
    number = max(1, number)
    offset = (number - 1) * size
    rows = list(petitions[offset : offset + size + 1])
    return InboxPage(items=rows[:size], number=number, size=size, has_next=len(rows) > size)
