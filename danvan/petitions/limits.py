"""An organization's own answer limits for feedback and recommendations.

NĐ 20/2008/NĐ-CP leaves the time to answer feedback and recommendations to
each body: its administrator records the limit in `LocalTimeLimit`, per
category or for every category, with the decision that sets it. Where none
is set, the local default `feedback.local_limit` of `rules.py` applies.
"""

import datetime
import time
from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext

from danvan.core.audit import Actor, audit_record
from danvan.orgs.models import Organization
from danvan.orgs.selectors import organizations_user_administers, valid_on_q
from danvan.petitions.models import LocalTimeLimit
from danvan.petitions.rules import ClockOverride, DayType, due_date, rules_in_force
from danvan.petitions.workflow import PetitionKind

#: The clock an organization's own limit may replace (NĐ 20/2008).
LOCAL_LIMIT_RULE = "feedback.local_limit"

#: The clock that sets the expected answer date of a new petition, per kind.
RECEIPT_RULES: dict[PetitionKind, str] = {
    PetitionKind.FEEDBACK: "feedback.local_limit",
    PetitionKind.RECOMMENDATION: "feedback.local_limit",
    PetitionKind.COMPLAINT: "complaint.acceptance.first",
    PetitionKind.DENUNCIATION: "denunciation.initial_processing",
}


#: Limits already looked up by intake in this process (`cached=True`):
#: (organization, category, day) → (monotonic expiry, limit). Every intake of
#: feedback asks; the answer changes only when a limit or an organization
#: does, which clears it here (`local_limits_cache_clear`, connected to their
#: saves); other processes see a change within `_CACHE_SECONDS`.
_CACHE: dict[tuple[int, str, datetime.date], tuple[float, ClockOverride | None]] = {}
_CACHE_SECONDS: Final = 60.0
_CACHE_MAX: Final = 10_000


def local_limits_cache_clear(**_kwargs: Any) -> None:
    """Forget the limits looked up so far (a limit or a body changed)."""
    _CACHE.clear()


def local_limit_for(
    organization: Organization | None,
    category: str,
    on_date: datetime.date,
    *,
    cached: bool = False,
) -> ClockOverride | None:
    """Return the organization's limit for `category` on `on_date`, or None.

    A limit for the category beats one for every category; among several,
    the one valid from the latest date. `cached`: the answer may come from
    this process's cache (intake), up to `_CACHE_SECONDS` old when the limit
    was changed by another process.
    """
    if organization is None:
        return None
    if not cached:
        return _local_limit(organization, category, on_date)
    key = (organization.pk, category, on_date)
    now = time.monotonic()
    hit = _CACHE.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    found = _local_limit(organization, category, on_date)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    _CACHE[key] = (now + _CACHE_SECONDS, found)
    return found


def _local_limit(
    organization: Organization, category: str, on_date: datetime.date
) -> ClockOverride | None:
    limits = (
        LocalTimeLimit.objects.filter(
            Q(category="") | Q(category__iexact=category),
            valid_on_q(on_date),
            organization=organization,
        )
        .order_by("-valid_from", "-pk")
        .select_related("organization")
    )
    found = list(limits)
    chosen = next((limit for limit in found if limit.category), None) or next(iter(found), None)
    if chosen is None:
        return None
    return ClockOverride(
        days=chosen.days,
        day_type=DayType.WORKING if chosen.working_days else DayType.CALENDAR,
        legal_basis=chosen.legal_basis,
        note=f"{chosen.organization.name}: {chosen.category or '*'}",
    )


def expected_response_date(
    kind: PetitionKind,
    received_on: datetime.date,
    *,
    organization: Organization | None = None,
    category: str = "",
    cached: bool = False,
) -> datetime.date | None:
    """Return the date by which the first answer to a new petition is due.

    Feedback and recommendations: the local default limit
    (`feedback.local_limit`, NĐ 20/2008 leaves it to each body; an
    organization's own figure applies once routing assigns one).
    Complaints: acceptance at first instance (Luật Khiếu nại 2011 Art. 27;
    NĐ 124/2020 Art. 16(1) as amended from 2026-07-01). Denunciations:
    initial processing (Luật Tố cáo 2018 Art. 24(1)). The version of the
    rule in force on the day of receipt applies; the clock starts that day,
    which is not counted. For feedback and recommendations, the limit the
    receiving organization set for the category replaces the default
    (`limits.local_limit_for`; `cached` as there).
    """
    code = RECEIPT_RULES[PetitionKind(kind)]
    override = None
    if code == LOCAL_LIMIT_RULE:
        override = local_limit_for(organization, category, received_on, cached=cached)
    rule = rules_in_force(code, received_on, override=override)
    return due_date(rule, received_on)


def _limit_data(limit: LocalTimeLimit) -> dict[str, object]:
    return {
        "organization": limit.organization.code,
        "category": limit.category,
        "days": limit.days,
        "working_days": limit.working_days,
        "legal_basis": limit.legal_basis,
        "valid_from": str(limit.valid_from),
        "valid_to": str(limit.valid_to) if limit.valid_to else None,
    }


@transaction.atomic
def local_time_limit_save(*, actor: Actor, limit: LocalTimeLimit) -> LocalTimeLimit:
    """Validate and store an organization's own limit; audit it.

    The actor must administer the organization (`organizations_user_administers`).
    """
    if not organizations_user_administers(actor).filter(pk=limit.organization_id).exists():
        raise PermissionDenied(gettext("You do not administer this organization."))
    limit.full_clean()
    created = limit.pk is None
    limit.save()
    audit_record(
        actor=actor,
        action="local_time_limit.create" if created else "local_time_limit.update",
        target=limit,
        data=_limit_data(limit),
    )
    return limit


@transaction.atomic
def local_time_limit_delete(*, actor: Actor, limit: LocalTimeLimit) -> None:
    """Remove an organization's own limit (the default applies again); audit it."""
    if not organizations_user_administers(actor).filter(pk=limit.organization_id).exists():
        raise PermissionDenied(gettext("You do not administer this organization."))
    data = _limit_data(limit)
    audit_record(actor=actor, action="local_time_limit.delete", target=limit, data=data)
    limit.delete()


post_save.connect(local_limits_cache_clear, sender=LocalTimeLimit, dispatch_uid="limit_saved")
post_delete.connect(local_limits_cache_clear, sender=LocalTimeLimit, dispatch_uid="limit_deleted")
post_save.connect(local_limits_cache_clear, sender=Organization, dispatch_uid="limit_org_saved")
post_delete.connect(
    local_limits_cache_clear, sender=Organization, dispatch_uid="limit_org_deleted"
)
