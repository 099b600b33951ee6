"""Selectors that read petitions: the citizen's lookup and the staff inbox.

The inbox reads only petitions of the organizations the user may read
today (`orgs.selectors.organizations_user_can_read`), filters them as the
inbox page and `GET /api/v1/staff/petitions` do, and searches one column,
`search_text`, which never holds a denouncer's name
(`services.petition_search_text`).

The search matches whole words: the folded query must stand in
`search_text` as it is, between characters that are not letters or digits
(`a-z`, `0-9` once folded) or at an end. "ô nhiễm" finds "Ô nhiễm môi
trường", "nguyen van hung" finds "... Nguyễn Văn Hùng", a code or its
number finds the petition; a piece of a word ("nhie", "guyen") finds
nothing. SQLite and PostgreSQL test the same conditions on each row, so
they give the same results; on a million rows PostgreSQL also chooses how
to find them (docs/benchmarks.md, issue 3):

- a common query (a few matches among the first petitions in the inbox's
  order) is read in that order: a page of matches comes after a few rows;
- a rarer one, such as a person's name, is looked up in a GIN index of the
  words of `search_text` (`petition_search_words_idx`, migration 0010),
  which reads the posting lists of its words only, and the page is read
  by the ids found (at most `SEARCH_FEW_MATCHES`).
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db import NotSupportedError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Case, F, Func, QuerySet, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from danvan.core.text import fold
from danvan.orgs.selectors import organization_ids_user_can_read, organizations_user_can_read
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


#: Up to this many readable bodies are written into a list's query as
#: values; more (the central commission of a whole country) stay a subquery.
READABLE_IDS_INLINE_LIMIT = 500


def petitions_visible_to(user: Any) -> QuerySet[Petition]:
    """Return every petition `user` may open in the staff workspace."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Petition.objects.none()
    if user.is_superuser:
        return Petition.objects.all()
    # Access follows today's memberships: an assignee who left the body no
    # longer reads its petitions, and one condition keeps counts on an index.
    readable = organization_ids_user_can_read(user)
    if readable is None:
        return Petition.objects.all()
    if len(readable) == 1:
        # One body: its petitions are read in the inbox's order from its
        # own indexes (`petition_org_due_idx`), however many others hold.
        return Petition.objects.filter(organization_id=next(iter(readable)))
    if len(readable) > READABLE_IDS_INLINE_LIMIT:
        subquery = organizations_user_can_read(user).values("pk")
        return Petition.objects.filter(organization__in=subquery)
    return Petition.objects.filter(organization_id__in=sorted(readable))


#: What separates the words of folded text: anything but a letter or a digit.
#: The same pattern, in SQL, is in the expression of the words index (0010).
SEARCH_WORD_SEPARATORS = "[^a-z0-9]+"
_WORD_SEPARATORS = re.compile(SEARCH_WORD_SEPARATORS)

#: PostgreSQL, first look: if at least `SEARCH_PROBE_COMMON` of the first
#: `SEARCH_PROBE_ROWS` petitions of all bodies, in the inbox's order, match
#: (0.5 %), the query is common and the inbox is read in its order: a page
#: of matches comes soon.
SEARCH_PROBE_ROWS = 1000
SEARCH_PROBE_COMMON = 5
#: PostgreSQL, a rarer query: the words index is asked for at most this many
#: matches (of all bodies), and the page is read by their ids; more, and the
#: inbox is read in its order after all.
SEARCH_FEW_MATCHES = 1000
#: The memory of that lookup (this transaction only), so that the bitmap of
#: petitions holding every word stays exact even when the words are common:
#: a lossy one would split the text of every row of its pages again.
SEARCH_WORK_MEM = "64MB"


class _Regex(Func):
    """`text` matches the regular expression `pattern` (POSIX and Python alike).

    On PostgreSQL a call of `textregexeq` (what `~` runs), so that the planner
    does not estimate it from the histogram of whole texts, which sees no row
    of a rarer phrase and would then sort every match instead of reading the
    inbox in order; on SQLite Django's `REGEXP` (Python's `re.search`).
    """

    output_field = BooleanField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " REGEXP "

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="textregexeq",
            template="%(function)s(%(expressions)s)",
            arg_joiner=", ",
            **extra_context,
        )


class _HasWords(Func):
    """Every one of `words` is a word of `search_text` (PostgreSQL only).

    The expression is the one of the GIN index `petition_search_words_idx`
    (migration 0010), so that the index serves it; `@>` on arrays is exact,
    so matching rows are not checked again (unless the bitmap is lossy).
    """

    output_field = BooleanField()

    def __init__(self, words: list[str]) -> None:
        super().__init__(F("search_text"))
        self.words = words

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        raise NotSupportedError("The words of search_text are indexed on PostgreSQL only.")

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        text, params = compiler.compile(self.source_expressions[0])
        sql = f"(regexp_split_to_array({text}, '{SEARCH_WORD_SEPARATORS}') @> %s::text[])"
        return sql, (*params, self.words)


def _pattern(folded: str) -> str:
    """Return a regular expression matching `folded` as whole words.

    Every ASCII character but a letter or a digit is escaped with a
    backslash, which POSIX (PostgreSQL) and Python both read as that
    character; other characters are not special in either.
    """
    escaped = "".join(ch if ch.isalnum() or not ch.isascii() else "\\" + ch for ch in folded)
    return f"(^|[^a-z0-9]){escaped}([^a-z0-9]|$)"


def _search(
    petitions: QuerySet[Petition], query: str, ordering: tuple[str, ...]
) -> QuerySet[Petition]:
    """Match the folded query, as whole words, in `search_text`: code, title,
    content, and the names where lists may show them
    (`services.petition_search_text`).

    A query with no letter or digit matches nothing. On PostgreSQL a first
    look at the inbox's first rows, then for a rarer query a lookup in the
    words index, choose how the page is read (the module's docstring).
    """
    folded = " ".join(fold(query).split())
    if not folded:
        return petitions
    words = [word for word in _WORD_SEPARATORS.split(folded) if word]
    if not words:
        return petitions.none()

    # A plain substring test, then the regular expression on the rows that
    # pass it only: in a CASE, since PostgreSQL orders the conditions of a
    # WHERE by their estimated cost, and the regular expression looks cheaper.
    whole_words = Case(
        When(
            GreaterThan(StrIndex("search_text", Value(folded)), 0),
            then=_Regex(F("search_text"), Value(_pattern(folded))),
        ),
        default=Value(False),
    )

    def matching(rows: QuerySet[Petition]) -> QuerySet[Petition]:
        return rows.filter(whole_words)

    database = petitions.db
    if connections[database].vendor != "postgresql":
        return matching(petitions)
    everyone = Petition.objects.using(database)
    window = everyone.order_by(*ordering).values("pk")[:SEARCH_PROBE_ROWS]
    if matching(everyone.filter(pk__in=window)).count() >= SEARCH_PROBE_COMMON:
        return matching(petitions)
    # Whole words of the query are words of every match: the index finds the
    # petitions holding them all, of every body (the inbox's filters after).
    with transaction.atomic(using=database), connections[database].cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'")
        found = list(
            matching(everyone.filter(_HasWords(words)))
            .order_by()
            .values_list("pk", flat=True)[: SEARCH_FEW_MATCHES + 1]
        )
    if len(found) <= SEARCH_FEW_MATCHES:
        return matching(petitions.filter(pk__in=found))
    return matching(petitions)


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
    ordering = INBOX_ORDERINGS.get(filters.ordering, INBOX_ORDERINGS["due"])
    if filters.q:
        petitions = _search(petitions, filters.q, ordering)
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


def petitions_window(petitions: QuerySet[Petition], *, offset: int, limit: int) -> list[Petition]:
    """Return the petitions at `offset` to `offset + limit` of `petitions`, in its order.

    Read in two steps: the ids of the window first, from the filters and the
    order alone, then those rows with what `petitions` joins and prefetches.
    Without the joins the database reads the window from the index of the
    order; with them SQLite drove the query from the joined organizations
    and sorted every petition of a province for one page (a province head's
    "all statuses": 35 ms at 100k petitions, 0.5 ms in two steps;
    docs/benchmarks.md, issue 3, seventh round). PostgreSQL pays one round
    trip more. The second step keeps the filters, so a petition that
    changed in between is left out rather than shown wrongly.
    """
    ids = list(
        petitions.prefetch_related(None).values_list("pk", flat=True)[offset : offset + limit]
    )
    if not ids:
        return []
    return list(petitions.filter(pk__in=ids))


def inbox_page(petitions: QuerySet[Petition], *, number: int, size: int) -> InboxPage:
    """Return page `number` (1-based, at least 1) of `petitions`, `size` rows a page."""
    number = max(1, number)
    offset = (number - 1) * size
    rows = petitions_window(petitions, offset=offset, limit=size + 1)
    return InboxPage(items=rows[:size], number=number, size=size, has_next=len(rows) > size)


def _province_organization_ids(org: Any) -> list[int]:
    """Return the bodies whose figures `org` reports: every body of its
    province (any validity, so that renamed bodies still count), or `org`
    and the bodies below it when it serves no province."""
    from danvan.orgs.models import Organization
    from danvan.orgs.selectors import organization_descendant_ids

    if org.province_id is None:
        return sorted(organization_descendant_ids([org.pk]))
    return list(
        Organization.objects.filter(province_id=org.province_id)
        .order_by()
        .values_list("pk", flat=True)
    )


def indicators(org: Any, period: Any, *, today: datetime.date | None = None) -> dict[str, Any]:
    """Return the petition figures of the province `org` reports for, over `period`.

    For the cluster briefings (issue 6): petitions received in the period
    by every body of the province, how many were resolved, resolved on
    time, the on-time share in percent (None when none was resolved) and
    how many are overdue today. The definitions are the dashboard's
    (`reports.period_aggregates`, `reports.figures_of`), in one query after the
    one that lists the bodies.
    """
    from danvan.petitions.models import Petition
    from danvan.petitions.reports import figures_of, period_aggregates, start_of_day

    today = today or timezone.localdate()
    row = (
        Petition.objects.filter(
            organization__in=_province_organization_ids(org),
            received_at__gte=start_of_day(period.start),
            received_at__lt=start_of_day(period.end + datetime.timedelta(days=1)),
        )
        .order_by()
        .aggregate(**period_aggregates(today))
    )
    figures = figures_of([row])
    rate = figures.on_time_rate
    return {
        "petitions_received": figures.received,
        "petitions_resolved": figures.resolved,
        "petitions_resolved_on_time": figures.on_time,
        "petitions_on_time_percent": None if rate is None else round(100 * rate, 1),
        "petitions_overdue": figures.overdue,
    }
