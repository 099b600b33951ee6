"""Reads of organizations and memberships, and the permission helpers that
every other app uses to decide what a user may see and do.

Rules, the same everywhere:

- a membership counts on a day between its `valid_from` and `valid_to`
  (both inclusive, either may be empty);
- an inactive or anonymous user gets nothing; an active superuser gets
  everything (every organization, every role);
- a user reads the bodies they work for, and, where they are head,
  commission staff or administrator (`READER_ROLES`), every body below
  those (through `parent`, at any depth).

The hierarchy is walked by one recursive common table expression, which
SQLite and PostgreSQL both run, so that each helper costs one query, and
the querysets stay lazy (they can be filtered further and used as
subqueries).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from danvan.core.text import fold
from danvan.geo.models import Province
from danvan.orgs.models import Membership, Organization, Role
from danvan.orgs.roles import READER_ROLES

UserLike = AbstractBaseUser | AnonymousUser

__all__ = [
    "MembershipToday",
    "membership_list",
    "memberships_today",
    "organization_descendant_ids",
    "organization_get_by_code",
    "organization_ids_user_can_read",
    "organization_list",
    "organizations_user_acts_for",
    "organizations_user_administers",
    "organizations_user_can_read",
    "user_can_read_organization",
    "user_has_role",
    "user_memberships",
    "user_roles",
]

_RELATED: Final = ("parent", "province", "commune")


def _day(on_date: datetime.date | None) -> datetime.date:
    return on_date or timezone.localdate()


def _is_active(user: UserLike | None) -> bool:
    return user is not None and user.is_authenticated and bool(user.is_active)


def _is_superuser(user: UserLike | None) -> bool:
    return _is_active(user) and bool(getattr(user, "is_superuser", False))


def valid_on_q(day: datetime.date) -> Q:
    """The rows (memberships, organizations, limits) valid on `day`: open-ended either way."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def _memberships_on(user: UserLike, day: datetime.date) -> QuerySet[Membership]:
    return Membership.objects.filter(valid_on_q(day), user_id=cast(int, user.pk)).order_by()


def _subtree(base: QuerySet[Any, Any]) -> RawSQL:
    """Return a subquery of the ids in `base` (one column of organization
    ids) and of every organization below them, at any depth.

    `UNION` (not `UNION ALL`) drops repeats, so a cycle in bad data ends
    the recursion instead of looping.
    """
    alias = router.db_for_read(Organization)
    quote = connections[alias].ops.quote_name
    opts = Organization._meta
    table = quote(opts.db_table)
    pk = quote(opts.pk.column or "id")
    parent = quote(opts.get_field("parent").column)
    base_sql, base_params = base.query.sql_with_params()
    # Only identifiers from the model's metadata are interpolated (quoted);
    # every value stays a parameter.
    step = f"SELECT o.{pk} FROM {table} o INNER JOIN danvan_subtree t ON o.{parent} = t.id"  # noqa: S608
    sql = f"WITH RECURSIVE danvan_subtree(id) AS ({base_sql} UNION {step}) SELECT id FROM danvan_subtree"  # noqa: S608, E501
    return RawSQL(sql, base_params)  # noqa: S611


def organization_descendant_ids(org_ids: Iterable[int], *, include_self: bool = True) -> set[int]:
    """Return the ids of every organization below those in `org_ids`, at
    any depth, and of `org_ids` themselves unless `include_self` is off.

    One query, whatever the depth.
    """
    ids = sorted(set(org_ids))
    if not ids:
        return set()
    base = (
        Organization.objects.filter(pk__in=ids)
        if include_self
        else Organization.objects.filter(parent_id__in=ids)
    )
    subtree = _subtree(base.order_by().values("pk"))
    return set(Organization.objects.filter(pk__in=subtree).values_list("pk", flat=True))


def organizations_user_acts_for(
    user: UserLike | None, on_date: datetime.date | None = None
) -> QuerySet[Organization]:
    """Return the organizations the user holds a membership of on `on_date`
    (today by default), in any role; every organization for a superuser."""
    if not _is_active(user):
        return Organization.objects.none()
    assert user is not None  # noqa: S101 (checked by _is_active)
    if _is_superuser(user):
        return Organization.objects.all()
    own = _memberships_on(user, _day(on_date)).values("organization_id")
    return Organization.objects.filter(pk__in=own)


def organizations_user_can_read(
    user: UserLike | None, on_date: datetime.date | None = None
) -> QuerySet[Organization]:
    """Return the organizations whose records the user may read on `on_date`.

    Those the user works for, and every one below those where the user is
    head, commission staff or administrator; every organization for a
    superuser. One query when evaluated.
    """
    if not _is_active(user):
        return Organization.objects.none()
    assert user is not None  # noqa: S101 (checked by _is_active)
    if _is_superuser(user):
        return Organization.objects.all()
    memberships = _memberships_on(user, _day(on_date))
    own = memberships.values("organization_id")
    readers = memberships.filter(role__in=sorted(READER_ROLES)).values("organization_id")
    return Organization.objects.filter(Q(pk__in=own) | Q(pk__in=_subtree(readers)))


@dataclass(frozen=True, slots=True)
class MembershipToday:
    """One of a user's memberships that count today, as the permission
    helpers read it."""

    organization_id: int
    role: str
    #: The province of the body (None for a central body).
    province_id: int | None


#: The attributes keeping a user's reads for the day on the user object (a
#: user object lives for one request): `memberships_today` and
#: `organization_ids_user_can_read`.
_MEMBERSHIPS_ATTRIBUTE: Final = "_danvan_memberships_today"
_READABLE_IDS_ATTRIBUTE: Final = "_danvan_readable_organization_ids"


def memberships_today(user: UserLike | None) -> tuple[MembershipToday, ...]:
    """Return the user's memberships that count today (none for an inactive
    or anonymous user), ordered by organization name and role.

    One query, then kept on the user object for the day, so that the menu
    items that ask on every back-office page, the lists and their
    permission checks share it; a membership that ends or starts counts
    from the next request.
    """
    if not _is_active(user):
        return ()
    assert user is not None  # noqa: S101 (checked by _is_active)
    today = timezone.localdate()
    cached = getattr(user, _MEMBERSHIPS_ATTRIBUTE, None)
    if cached is not None and cached[0] == today:
        return cast(tuple[MembershipToday, ...], cached[1])
    rows = tuple(
        MembershipToday(organization_id=organization_id, role=role, province_id=province_id)
        for organization_id, role, province_id in user_memberships(user, today).values_list(
            "organization_id", "role", "organization__province_id"
        )
    )
    setattr(user, _MEMBERSHIPS_ATTRIBUTE, (today, rows))
    return rows


def organization_ids_user_can_read(user: UserLike | None) -> frozenset[int] | None:
    """Return the ids of the organizations whose records the user may read
    today (as `organizations_user_can_read`), or None for "every one" (an
    active superuser).

    Built from `memberships_today`, plus one query for the bodies below
    those where the user is head, commission staff or administrator (none
    for a user without such a role), then kept on the user object for the
    day. A list of ids, unlike a subquery, lets the database plan a list of
    petitions knowing which bodies it covers (one body: read in order from
    that body's rows; docs/benchmarks.md, issue 3).
    """
    if not _is_active(user):
        return frozenset()
    assert user is not None  # noqa: S101 (checked by _is_active)
    if _is_superuser(user):
        return None
    today = timezone.localdate()
    cached = getattr(user, _READABLE_IDS_ATTRIBUTE, None)
    if cached is not None and cached[0] == today:
        return cast(frozenset[int], cached[1])
    memberships = memberships_today(user)
    ids = {membership.organization_id for membership in memberships}
    readers = {m.organization_id for m in memberships if m.role in READER_ROLES}
    if readers:
        ids |= organization_descendant_ids(readers)
    readable = frozenset(ids)
    setattr(user, _READABLE_IDS_ATTRIBUTE, (today, readable))
    return readable


def organizations_user_administers(
    user: UserLike | None, on_date: datetime.date | None = None
) -> QuerySet[Organization]:
    """Return the organizations the user may manage in the back-office: those
    where the user is administrator and every one below them; every one
    for a superuser."""
    if not _is_active(user):
        return Organization.objects.none()
    assert user is not None  # noqa: S101 (checked by _is_active)
    if _is_superuser(user):
        return Organization.objects.all()
    admins = (
        _memberships_on(user, _day(on_date))
        .filter(role=Role.ADMINISTRATOR)
        .values("organization_id")
    )
    return Organization.objects.filter(pk__in=_subtree(admins))


def user_can_read_organization(
    user: UserLike | None, organization: Organization, on_date: datetime.date | None = None
) -> bool:
    """Tell whether the user may read the records of `organization`."""
    return organizations_user_can_read(user, on_date).filter(pk=organization.pk).exists()


def user_roles(
    user: UserLike | None, organization: Organization, on_date: datetime.date | None = None
) -> set[Role]:
    """Return the roles the user holds in `organization` on `on_date`.

    A superuser holds every role everywhere, as Django grants a superuser
    every permission.
    """
    if not _is_active(user):
        return set()
    assert user is not None  # noqa: S101 (checked by _is_active)
    if _is_superuser(user):
        return set(Role)
    roles = (
        _memberships_on(user, _day(on_date))
        .filter(organization_id=organization.pk)
        .values_list("role", flat=True)
    )
    return {Role(role) for role in roles}


def user_has_role(
    user: UserLike | None,
    organization: Organization,
    *roles: Role,
    on_date: datetime.date | None = None,
) -> bool:
    """Tell whether the user holds one of `roles` (any role if none is
    given) in `organization` on `on_date`; always true for a superuser."""
    if not _is_active(user):
        return False
    assert user is not None  # noqa: S101 (checked by _is_active)
    if _is_superuser(user):
        return True
    memberships = _memberships_on(user, _day(on_date)).filter(organization_id=organization.pk)
    if roles:
        memberships = memberships.filter(role__in=[str(role) for role in roles])
    return memberships.exists()


def user_memberships(
    user: UserLike | None, on_date: datetime.date | None = None
) -> QuerySet[Membership]:
    """Return the user's memberships that count on `on_date`, with their
    organizations, ordered by organization name and role."""
    if not _is_active(user):
        return Membership.objects.none()
    assert user is not None  # noqa: S101 (checked by _is_active)
    return (
        _memberships_on(user, _day(on_date))
        .select_related("organization")
        .order_by("organization__name", "role")
    )


def organization_get_by_code(code: str) -> Organization:
    """Return the organization with `code` (case and surrounding spaces
    ignored); raise `Organization.DoesNotExist` when there is none."""
    return Organization.objects.select_related(*_RELATED, "successor").get(
        code=code.strip().lower()
    )


def organization_list(
    *,
    kind: str | None = None,
    level: str | None = None,
    province: Province | int | None = None,
    parent: Organization | None = None,
    search: str = "",
    on_date: datetime.date | None = None,
    for_user: UserLike | None = None,
) -> QuerySet[Organization]:
    """Return organizations matching every filter given, with their parent,
    province and commune loaded.

    `search` ignores case and diacritics ("dong thap" finds "Đồng Tháp")
    and also matches the code. `on_date` keeps the bodies that exist on
    that day. `for_user` keeps those the user may read.
    """
    organizations = Organization.objects.select_related(*_RELATED)
    if kind:
        organizations = organizations.filter(kind=kind)
    if level:
        organizations = organizations.filter(level=level)
    if province is not None:
        province_code = province.pk if isinstance(province, Province) else province
        organizations = organizations.filter(province_id=province_code)
    if parent is not None:
        organizations = organizations.filter(parent_id=parent.pk)
    if search.strip():
        folded = fold(search)
        organizations = organizations.filter(
            Q(name_folded__contains=folded)
            | Q(short_name__icontains=search.strip())
            | Q(code__icontains=search.strip())
        )
    if on_date is not None:
        organizations = organizations.filter(valid_on_q(on_date))
    if for_user is not None:
        organizations = organizations.filter(
            pk__in=organizations_user_can_read(for_user, on_date).values("pk")
        )
    return organizations


def membership_list(
    *,
    organization: Organization | None = None,
    role: str | None = None,
    on_date: datetime.date | None = None,
) -> QuerySet[Membership]:
    """Return memberships (with user and organization loaded), filtered by
    organization, role, and the day on which they count."""
    memberships = Membership.objects.select_related("user", "organization")
    if organization is not None:
        memberships = memberships.filter(organization_id=organization.pk)
    if role:
        memberships = memberships.filter(role=role)
    if on_date is not None:
        memberships = memberships.filter(valid_on_q(on_date))
    return memberships
