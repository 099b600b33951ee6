"""The registry of communities: self-managed residents' groups and
community clubhouses (hội quán), with their members, meetings and
activities.

Recorded by the managing unit's staff or the commission of its province
(`permissions.may_act_for`); each write is one audit event with counts and
dates, never members' names. A clubhouse or group becomes a model when a
model is registered with it (`registrations.model_register(community=…)`).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from danvan.core.audit import Actor, audit_record
from danvan.geo.models import Commune
from danvan.movements import permissions
from danvan.movements.models import (
    LONG_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Community,
    CommunityEvent,
    CommunityEventKind,
    CommunityKind,
    CommunityMember,
)
from danvan.movements.registrations import Errors, add_error, check_date, check_text
from danvan.orgs.models import Organization

#: The most participants a meeting or an activity may record.
MAX_PARTICIPANTS = 100_000


def _require(actor: Actor, organization: Organization) -> None:
    if not permissions.may_act_for(actor, organization):
        raise PermissionDenied(
            gettext(
                "Only the staff of %(organization)s or the commission of its province "
                "may record its communities."
            )
            % {"organization": organization.name}
        )


@transaction.atomic
def community_register(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    kind: str,
    commune: Commune | None,
    founded_on: object,
    hamlet: str = "",
    leader_name: str = "",
    description: str = "",
) -> Community:
    """Register a clubhouse or a self-managed group managed by `organization`."""
    _require(actor, organization)
    errors: Errors = {}
    name = check_text(errors, "name", name, TEXT_MAX_LENGTH, required=True)
    if kind not in CommunityKind.values:
        add_error(errors, "kind", gettext("Choose a clubhouse or a self-managed group."))
    commune = commune or organization.commune
    if commune is None:
        add_error(errors, "commune", gettext("Choose the commune."))
    elif organization.province_id and commune.province_id != organization.province_id:
        add_error(
            errors,
            "commune",
            gettext("Choose a commune of the province of %(organization)s.")
            % {"organization": organization.name},
        )
    day = check_date(errors, "founded_on", founded_on, today=timezone.localdate())
    hamlet = check_text(errors, "hamlet", hamlet, TEXT_MAX_LENGTH)
    leader_name = check_text(errors, "leader_name", leader_name, TEXT_MAX_LENGTH)
    description = check_text(errors, "description", description, LONG_TEXT_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    assert commune is not None  # noqa: S101 (checked above)
    assert day is not None  # noqa: S101 (checked above)
    community = Community.objects.create(
        organization=organization,
        name=name,
        kind=kind,
        commune=commune,
        founded_on=day,
        hamlet=hamlet,
        leader_name=leader_name,
        description=description,
    )
    audit_record(
        actor=actor,
        action="movement.community.register",
        target=community,
        data={"kind": kind, "commune": community.commune_id},
    )
    return community


def _lock(community: Community) -> Community:
    return (
        Community.objects.select_for_update().select_related("organization").get(pk=community.pk)
    )


@transaction.atomic
def member_add(
    *,
    actor: Actor,
    community: Community,
    name: str,
    role: str = "",
    joined_on: datetime.date | None = None,
) -> CommunityMember:
    """Add a member to a community."""
    locked = _lock(community)
    _require(actor, locked.organization)
    errors: Errors = {}
    name = check_text(errors, "name", name, TEXT_MAX_LENGTH, required=True)
    role = check_text(errors, "role", role, TEXT_MAX_LENGTH)
    day = check_date(errors, "joined_on", joined_on, today=timezone.localdate(), required=False)
    if errors:
        raise ValidationError(errors)
    member = CommunityMember.objects.create(community=locked, name=name, role=role, joined_on=day)
    audit_record(
        actor=actor,
        action="movement.community.member_add",
        target=locked,
        data={"members": locked.members.count()},
    )
    return member


@transaction.atomic
def event_record(
    *,
    actor: Actor,
    community: Community,
    kind: str,
    date: object,
    title: str,
    participants: object = 0,
    notes: str = "",
) -> CommunityEvent:
    """Record a meeting or an activity a community held."""
    locked = _lock(community)
    _require(actor, locked.organization)
    errors: Errors = {}
    if kind not in CommunityEventKind.values:
        add_error(errors, "kind", gettext("Choose a meeting or an activity."))
    day = check_date(errors, "date", date, today=timezone.localdate())
    if day is not None and day < locked.founded_on:
        add_error(errors, "date", gettext("The community did not exist yet on that day."))
    title = check_text(errors, "title", title, TEXT_MAX_LENGTH, required=True)
    notes = check_text(errors, "notes", notes, LONG_TEXT_MAX_LENGTH)
    try:
        count = int(str(participants).strip() or 0)
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_PARTICIPANTS:
        add_error(
            errors,
            "participants",
            gettext("Enter a whole number from 0 to %(max)d.") % {"max": MAX_PARTICIPANTS},
        )
    if errors:
        raise ValidationError(errors)
    assert day is not None  # noqa: S101 (checked above)
    event = CommunityEvent.objects.create(
        community=locked, kind=kind, date=day, title=title, participants=count, notes=notes
    )
    audit_record(
        actor=actor,
        action="movement.community.event",
        target=locked,
        data={"kind": kind, "date": day.isoformat(), "participants": count},
    )
    return event
