"""Routing: which organization is competent for a petition, and transfers.

`routing_suggest` proposes the competent organization from the
`RoutingRule` table (kind × category × level and place); intake files the
petition there, and the handler confirms or changes it with
`petition_route`. `petition_transfer` sends a petition to another body
under the same code, keeping its whole history (Luật Tố cáo 2018 Art.
24(2); NĐ 20/2008 Art. 9(1)(d); Luật Tiếp công dân 2013 Art. 28(1)(d)).
A denunciation with the same content is transferred only once (TT
05/2021/TT-TTCP Art. 14).

Without a matching rule the suggestion is the province's citizen reception
office, or else its People's Committee: the one-stop desk that receives
whatever has no known handler yet.
"""

import datetime
import time
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext

from danvan.core.audit import Actor, audit_record
from danvan.geo.models import Commune
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel
from danvan.orgs.selectors import valid_on_q
from danvan.petitions.actions import petition_act, user_or_none
from danvan.petitions.models import CaseEvent, Petition, RoutingRule
from danvan.petitions.notifications import citizen_notify_on_commit
from danvan.petitions.workflow import Action, PetitionKind, Status

#: Statuses in which the holding organization may still be changed without a transfer.
ROUTABLE_STATUSES = frozenset({Status.RECEIVED, Status.AWAITING_INFORMATION, Status.CLASSIFIED})


def _serving(commune: Commune, kind: str, level: str, day: datetime.date) -> Organization | None:
    bodies = Organization.objects.filter(valid_on_q(day), kind=kind, level=level)
    if level == OrganizationLevel.COMMUNE:
        bodies = bodies.filter(commune=commune)
    elif level == OrganizationLevel.PROVINCE:
        bodies = bodies.filter(province_id=commune.province_id)
    return bodies.order_by("name", "pk").first()


def _rule_rank(rule: RoutingRule) -> tuple[int, int, int, int]:
    return (
        0 if rule.province_id else 1,
        0 if rule.category else 1,
        0 if rule.kind else 1,
        rule.priority,
    )


#: Suggestions already worked out in this process: (kind, category, commune,
#: day) → (monotonic expiry, organization). Every intake asks; the answer
#: changes only when a rule or an organization does, which clears it here
#: (`routing_cache_clear`, connected to their saves); other processes see a
#: change within `_CACHE_SECONDS`.
_CACHE: dict[tuple[str, str, int, datetime.date], tuple[float, Organization | None]] = {}
_CACHE_SECONDS: Final = 60.0
_CACHE_MAX: Final = 10_000


def routing_cache_clear(**_kwargs: Any) -> None:
    """Forget the suggestions worked out so far (a rule or a body changed)."""
    _CACHE.clear()


def routing_suggest(
    *, kind: str, category: str, commune: Commune, on_date: datetime.date | None = None
) -> Organization | None:
    """Return the organization suggested as competent for a new petition, or None."""
    day = on_date or timezone.localdate()
    key = (str(kind), category.strip().lower(), commune.pk, day)
    now = time.monotonic()
    cached = _CACHE.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    found = _suggest(kind=kind, category=category, commune=commune, day=day)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    _CACHE[key] = (now + _CACHE_SECONDS, found)
    return found


def _suggest(
    *, kind: str, category: str, commune: Commune, day: datetime.date
) -> Organization | None:
    rules = RoutingRule.objects.filter(
        Q(kind="") | Q(kind=kind),
        Q(category="") | Q(category__iexact=category),
        Q(province__isnull=True) | Q(province_id=commune.province_id),
        is_active=True,
    ).select_related("target_organization")
    for rule in sorted(rules, key=_rule_rank):
        if rule.target_organization is not None:
            if rule.target_organization.is_valid_on(day):
                return rule.target_organization
            continue
        found = _serving(commune, rule.target_kind, rule.target_level, day)
        if found is not None:
            return found
    for fallback in (OrganizationKind.RECEPTION_OFFICE, OrganizationKind.PEOPLES_COMMITTEE):
        found = _serving(commune, fallback, OrganizationLevel.PROVINCE, day)
        if found is not None:
            return found
    return None


def _check_target(petition: Petition, organization: Organization) -> None:
    if not organization.is_valid_on():
        raise ValidationError(
            {
                "organization": gettext(
                    "%(name)s no longer exists; choose the body that continues it."
                )
                % {"name": organization.name}
            }
        )
    if organization.pk == petition.organization_id:
        raise ValidationError(
            {"organization": gettext("The petition is already with this organization.")}
        )


@transaction.atomic
def petition_route(
    *, petition: Petition, organization: Organization, actor: Actor, note: str = ""
) -> Petition:
    """Confirm or change the organization that holds a petition not yet accepted.

    The suggestion made at intake is only a suggestion: the receiving
    handler corrects it before the petition is accepted. After that, the
    petition moves only by `petition_transfer`.
    """
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.status not in ROUTABLE_STATUSES:
        raise ValidationError(
            gettext("A petition in status “%(status)s” is moved to another body by a transfer.")
            % {"status": Status(petition.status).label}
        )
    _check_target(petition, organization)
    previous = petition.organization
    petition.organization = organization
    petition.assigned_to = None
    petition.save(update_fields=["organization", "assigned_to", "updated_at"])
    event = CaseEvent.objects.create(
        petition=petition,
        action=Action.RECEIVE,
        from_status=petition.status,
        to_status=petition.status,
        actor=user_or_none(actor),
        note=note,
        is_public=True,
        data={
            "routed_to": organization.code,
            "routed_to_name": organization.name,
            "routed_from": previous.code if previous else None,
        },
    )
    citizen_notify_on_commit(event)
    audit_record(
        actor=actor,
        action="petition.route",
        target=petition,
        data={
            "code": petition.code,
            "from": previous.code if previous else None,
            "to": organization.code,
        },
    )
    return petition


def _already_transferred(petition: Petition) -> bool:
    """Tell whether this denunciation, or one with the same content, was transferred.

    The same content: the petition it duplicates, and that one's other
    duplicates (`Petition.duplicate_of`, set by classification).
    """
    if petition.transfer_count:
        return True
    root_id = petition.duplicate_of_id or petition.pk
    same = Petition.objects.filter(Q(pk=root_id) | Q(duplicate_of_id=root_id)).exclude(
        pk=petition.pk
    )
    return same.filter(transfer_count__gt=0).exists()


@transaction.atomic
def petition_transfer(
    *, petition: Petition, organization: Organization, actor: Actor, note: str = ""
) -> Petition:
    """Transfer `petition` to `organization`, under the same code, history and all.

    The petition leaves the sender's inbox with status "transferred" and
    appears in the receiver's, which takes it up with `Action.RECEIVE`.
    Refused for a denunciation whose content was already transferred once
    (TT 05/2021 Art. 14): the receiver files it instead.
    """
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    _check_target(locked, organization)
    if locked.kind == PetitionKind.DENUNCIATION and _already_transferred(locked):
        raise ValidationError(
            gettext(
                "A denunciation with this content was already transferred once; "
                "it is not transferred again (TT 05/2021/TT-TTCP Art. 14). File it instead."
            ),
            code="transferred_once",
        )
    previous = locked.organization
    data: dict[str, Any] = {
        "to_organization": organization.code,
        "to_organization_name": organization.name,
        "from_organization": previous.code if previous else None,
    }
    locked = petition_act(
        petition=locked,
        action=Action.TRANSFER,
        actor=actor,
        note=note,
        is_public=True,
        data=data,
    )
    locked.organization = organization
    locked.assigned_to = None
    locked.transfer_count += 1
    locked.save(update_fields=["organization", "assigned_to", "transfer_count", "updated_at"])
    return locked


post_save.connect(routing_cache_clear, sender=RoutingRule, dispatch_uid="routing_rule_saved")
post_delete.connect(routing_cache_clear, sender=RoutingRule, dispatch_uid="routing_rule_deleted")
post_save.connect(routing_cache_clear, sender=Organization, dispatch_uid="routing_org_saved")
post_delete.connect(routing_cache_clear, sender=Organization, dispatch_uid="routing_org_deleted")
