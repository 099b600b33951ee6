"""Reads of the movement: the figures of a member and a period for the
cluster briefings (`indicators`), and the lists of the back-office and the
portal's showcase.

The scope of an organization (`scope_organizations`): for a province-level
body, every organization of its province (a member of a cluster is a
province's organization, and the movement is run by the whole province:
communes, the Front, the mass organizations); for any other, the body and
every one below it (`orgs.selectors.organization_descendant_ids`).
"""

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from danvan.core.periods import Period
from danvan.core.text import fold
from danvan.movements.models import (
    Campaign,
    Community,
    CommunityEvent,
    Evidence,
    Exemplar,
    MovementModel,
    Recognition,
    Registration,
    RegistrationStatus,
    Replication,
)
from danvan.orgs.models import Organization, OrganizationLevel
from danvan.orgs.selectors import organization_descendant_ids

#: The keys of `indicators`, in the order a table shows them.
INDICATOR_KEYS = (
    "campaigns_active",
    "models_registered",
    "models_recognized",
    "models_replicated",
    "exemplars_recognized",
    "communities_active",
)


def scope_organizations(org: Organization) -> Any:
    """Return the organizations whose movement work counts for `org`: every
    one of its province when `org` is provincial, else its subtree."""
    if org.level == OrganizationLevel.PROVINCE and org.province_id is not None:
        return Organization.objects.filter(province_id=org.province_id).values("pk")
    return sorted(organization_descendant_ids([org.pk]))


def indicators(org: Organization, period: Period) -> dict[str, int]:
    """Return the movement's figures of `org` (with its scope, see
    `scope_organizations`) for `period` (both days included).

    - `campaigns_active`: campaigns launched by an organization of the
      scope, or for the province of a provincial `org`, whose dates overlap
      the period;
    - `models_registered`: models registered (`registered_on`) in the
      period by an organization of the scope;
    - `models_recognized`: models of the scope with a recognition decision
      (a first recognition or a yearly renewal, any level) taken in the
      period, each counted once;
    - `models_replicated`: adoptions of a model (`Replication`) started in
      the period by an adopting organization of the scope;
    - `exemplars_recognized`: as `models_recognized`, for exemplars;
    - `communities_active`: communities managed by an organization of the
      scope with at least one meeting or activity dated in the period.

    Six queries (one per figure, the scope a subquery of each), plus one
    for the subtree of a body that is not provincial.
    """
    scope = scope_organizations(org)
    start, end = period.start, period.end
    campaigns = Q(organization_id__in=scope)
    if org.level == OrganizationLevel.PROVINCE and org.province_id is not None:
        campaigns |= Q(province_id=org.province_id)
    recognized = Exists(
        Recognition.objects.filter(
            registration_id=OuterRef("pk"), decided_on__gte=start, decided_on__lte=end
        )
    )
    active = Exists(
        CommunityEvent.objects.filter(community_id=OuterRef("pk"), date__gte=start, date__lte=end)
    )
    return {
        "campaigns_active": Campaign.objects.filter(
            campaigns, starts_on__lte=end, ends_on__gte=start
        ).count(),
        "models_registered": MovementModel.objects.filter(
            organization_id__in=scope, registered_on__gte=start, registered_on__lte=end
        ).count(),
        "models_recognized": MovementModel.objects.filter(recognized, organization_id__in=scope)
        .order_by()
        .count(),
        "models_replicated": Replication.objects.filter(
            organization_id__in=scope, started_on__gte=start, started_on__lte=end
        ).count(),
        "exemplars_recognized": Exemplar.objects.filter(recognized, organization_id__in=scope)
        .order_by()
        .count(),
        "communities_active": Community.objects.filter(active, organization_id__in=scope)
        .order_by()
        .count(),
    }


def registrations_filtered[RegT: Registration](
    rows: QuerySet[RegT],
    *,
    field: str = "",
    province: Any = None,
    commune: Any = None,
    level: str = "",
    status: str = "",
    year: int | None = None,
    kind: str = "",
    search: str = "",
) -> QuerySet[RegT]:
    """Filter models or exemplars; `search` ignores case and diacritics
    ("hoi quan" finds "Hội quán") and looks in the name and the registering
    unit's name; `year` is the year of registration; `kind` (individual or
    collective) applies to exemplars only."""
    if field:
        rows = rows.filter(field=field)
    if province:
        rows = rows.filter(province_id=getattr(province, "pk", province))
    if commune:
        rows = rows.filter(commune_id=getattr(commune, "pk", commune))
    if kind:
        rows = rows.filter(kind=kind)
    if level:
        rows = rows.filter(level=level)
    if status:
        rows = rows.filter(status=status)
    if year:
        rows = rows.filter(registered_on__year=year)
    if search.strip():
        folded = fold(search)
        rows = rows.filter(
            Q(name_folded__contains=folded) | Q(organization__name_folded__contains=folded)
        )
    return rows


def communities_filtered(
    rows: QuerySet[Community],
    *,
    kind: str = "",
    province: Any = None,
    commune: Any = None,
    active: str = "",
    search: str = "",
) -> QuerySet[Community]:
    """Filter communities; `search` ignores case and diacritics and looks in
    the name and the managing unit's name; `active` is "yes", "no" or empty
    (both)."""
    if kind:
        rows = rows.filter(kind=kind)
    if province:
        rows = rows.filter(commune__province_id=getattr(province, "pk", province))
    if commune:
        rows = rows.filter(commune_id=getattr(commune, "pk", commune))
    if active in ("yes", "no"):
        rows = rows.filter(is_active=active == "yes")
    if search.strip():
        folded = fold(search)
        rows = rows.filter(
            Q(name_folded__contains=folded) | Q(organization__name_folded__contains=folded)
        )
    return rows


def campaigns_filtered(
    rows: QuerySet[Campaign], *, year: int | None = None, scope: str = "", search: str = ""
) -> QuerySet[Campaign]:
    """Filter campaigns: `year` keeps those running some day of that year;
    `scope` is "national" (the whole country), a province's code, or empty;
    `search` ignores case and diacritics and looks in the name and theme."""
    if year:
        rows = rows.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    if scope == "national":
        rows = rows.filter(province__isnull=True)
    elif scope:
        rows = rows.filter(province_id=scope)
    if search.strip():
        rows = rows.filter(search_folded__contains=fold(search))
    return rows


def showcase_q(*, year: int | None = None) -> Q:
    """The models and exemplars the portal shows: recognized (and, with
    `year`, recognized for that year)."""
    shown = Q(status=RegistrationStatus.RECOGNIZED)
    if year:
        shown &= Q(Exists(Recognition.objects.filter(registration_id=OuterRef("pk"), year=year)))
    return shown


def public_photos(registration_ids: list[int], *specs: str) -> dict[int, list[Evidence]]:
    """Return the public photos of each registration, with their images and
    the renditions `specs` prefetched (three queries, whatever the number)."""
    from wagtail.images import get_image_model

    images = get_image_model().objects.prefetch_renditions(*specs)
    photos: dict[int, list[Evidence]] = {}
    for evidence in (
        Evidence.objects.filter(
            registration_id__in=registration_ids, is_public=True, image__isnull=False
        )
        .prefetch_related(Prefetch("image", queryset=images))
        .order_by("pk")
    ):
        photos.setdefault(evidence.registration_id, []).append(evidence)
    return photos
