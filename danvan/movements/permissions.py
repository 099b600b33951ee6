"""Who may do what in the movement, by the roles of `danvan.orgs`.

- **Reviewers** are the heads and staff (`Role.HEAD`,
  `Role.COMMISSION_STAFF`) of a Party commission (the Ban Tuyên giáo và
  Dân vận): of a provincial one for every model, exemplar, replication,
  community and campaign of that province; of a central one for all of
  them. They register on behalf of any unit of their province, evaluate,
  recognize at commune or province level (a central reviewer also at
  central level), refuse, renew and screen out, and launch campaigns (a
  central one also for the whole country).
- The **head of a commune-level body** (`Role.HEAD`) may also recognize at
  commune level what is registered in that commune.
- **A unit's own staff** (any membership of the organization, on the day)
  register its models, exemplars and communities, record its communities'
  members, meetings and activities, and record its own adoption of a
  recognized model with its results.
- **Readers**: whoever may read the registering organization
  (`orgs.selectors.organizations_user_can_read`), and the reviewers of its
  province; a recognized model or exemplar is read by whoever works for a
  body (the portal shows it to everyone, and any unit may adopt it).
- A superuser may do everything; an anonymous or inactive user nothing.

Each helper costs one query (memberships of the day joined with their
organizations).
"""

from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Q, QuerySet
from django.utils import timezone

from danvan.movements.models import RecognitionLevel
from danvan.orgs.models import (
    Membership,
    Organization,
    OrganizationKind,
    OrganizationLevel,
    Role,
)
from danvan.orgs.selectors import (
    organizations_user_acts_for,
    organizations_user_can_read,
    valid_on_q,
)

#: The roles of a Party commission that review the movement.
REVIEW_ROLES: Final = frozenset({Role.HEAD, Role.COMMISSION_STAFF})


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@dataclass(frozen=True, slots=True)
class ReviewScope:
    """Where a user reviews: everywhere, or in some provinces."""

    everywhere: bool
    provinces: frozenset[int]
    #: Communes where the user heads a commune-level body.
    head_of_communes: frozenset[int]

    def covers(self, province_id: int | None) -> bool:
        """Tell whether the user reviews in this province."""
        return self.everywhere or (province_id is not None and province_id in self.provinces)

    @property
    def any(self) -> bool:
        """Tell whether the user reviews anywhere."""
        return self.everywhere or bool(self.provinces)


NOBODY: Final = ReviewScope(everywhere=False, provinces=frozenset(), head_of_communes=frozenset())


#: The attribute caching a user's scope for the day (a user object lives for one request).
_CACHE_ATTRIBUTE: Final = "_danvan_movement_review_scope"


def review_scope(user: Any) -> ReviewScope:
    """Return where `user` reviews the movement today (one query, then
    cached on the user object for the day)."""
    if not _is_active(user):
        return NOBODY
    today = timezone.localdate()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None and cached[0] == today:
        return cached[1]  # type: ignore[no-any-return]
    scope = _review_scope(user)
    setattr(user, _CACHE_ATTRIBUTE, (today, scope))
    return scope


def _review_scope(user: Any) -> ReviewScope:
    if user.is_superuser:
        return ReviewScope(everywhere=True, provinces=frozenset(), head_of_communes=frozenset())
    rows = (
        Membership.objects.filter(valid_on_q(timezone.localdate()), user_id=user.pk)
        .filter(
            Q(role__in=sorted(REVIEW_ROLES), organization__kind=OrganizationKind.PARTY_COMMISSION)
            | Q(role=Role.HEAD, organization__level=OrganizationLevel.COMMUNE)
        )
        .values_list(
            "role",
            "organization__kind",
            "organization__level",
            "organization__province_id",
            "organization__commune_id",
        )
    )
    everywhere = False
    provinces: set[int] = set()
    communes: set[int] = set()
    for role, kind, level, province_id, commune_id in rows:
        if kind == OrganizationKind.PARTY_COMMISSION and role in REVIEW_ROLES:
            if level == OrganizationLevel.CENTRAL:
                everywhere = True
            elif level == OrganizationLevel.PROVINCE and province_id is not None:
                provinces.add(province_id)
        if role == Role.HEAD and level == OrganizationLevel.COMMUNE and commune_id is not None:
            communes.add(commune_id)
    return ReviewScope(
        everywhere=everywhere, provinces=frozenset(provinces), head_of_communes=frozenset(communes)
    )


def may_review(user: Any, province_id: int | None) -> bool:
    """Tell whether `user` evaluates, refuses, renews and screens out in the province."""
    return review_scope(user).covers(province_id)


def may_recognize(
    user: Any, *, level: str, province_id: int | None, commune_id: int | None
) -> bool:
    """Tell whether `user` may recognize at `level` what is registered there."""
    scope = review_scope(user)
    if level == RecognitionLevel.CENTRAL:
        return scope.everywhere
    if scope.covers(province_id):
        return True
    return level == RecognitionLevel.COMMUNE and commune_id in scope.head_of_communes


def may_act_for(user: Any, organization: Organization) -> bool:
    """Tell whether `user` may register or record for `organization`: its
    own staff, or a reviewer of its province."""
    if not _is_active(user):
        return False
    if organizations_user_acts_for(user).filter(pk=organization.pk).exists():
        return True
    return may_review(user, organization.province_id)


def organizations_user_may_act_for(user: Any) -> QuerySet[Organization]:
    """Return the organizations `user` may register or record for."""
    if not _is_active(user):
        return Organization.objects.none()
    scope = review_scope(user)
    if scope.everywhere:
        return Organization.objects.all()
    own = organizations_user_acts_for(user).values("pk")
    return Organization.objects.filter(Q(pk__in=own) | Q(province_id__in=sorted(scope.provinces)))


def readable_q(user: Any, *, organization_field: str, province_field: str) -> Q:
    """Return the filter of the rows `user` may read.

    `organization_field` names the row's organization, `province_field` its
    province (e.g. "organization" and "province").
    """
    if not _is_active(user):
        return Q(pk__in=[])
    scope = review_scope(user)
    if scope.everywhere:
        return Q()
    readable = organizations_user_can_read(user).values("pk")
    return Q(**{f"{organization_field}__in": readable}) | Q(
        **{f"{province_field}__in": sorted(scope.provinces)}
    )
