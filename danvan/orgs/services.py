"""Writes to organizations and memberships.

Every function here validates (`full_clean()` plus the rules of the
hierarchy), saves, and appends one audit event in the same transaction.
Errors are `ValidationError`s keyed by field, with messages that tell the
user what to fix, so that forms and the API can show them next to the
field.

A membership is mirrored by the Django group of its role (see
`danvan.orgs.roles`): granting adds the user to the group, revoking
removes them once no current membership of that role is left.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.core.audit import Actor, audit_record, model_changes
from danvan.core.text import fold
from danvan.orgs.models import Membership, Organization, OrganizationLevel, Role
from danvan.orgs.roles import ACCESS_ADMIN, ROLE_GROUP_NAMES, ROLE_GROUP_PERMISSIONS

if TYPE_CHECKING:
    from danvan.core.models import User
    from danvan.geo.models import Commune, Province

__all__ = [
    "ORGANIZATION_FIELDS",
    "ORGANIZATION_UPDATABLE_FIELDS",
    "membership_check",
    "membership_grant",
    "membership_revoke",
    "membership_update",
    "organization_check",
    "organization_close",
    "organization_create",
    "organization_delete",
    "organization_update",
    "user_role_groups_sync",
]

#: Fields of an organization that the services set, record and accept in
#: `organization_update`.
ORGANIZATION_FIELDS: Final = (
    "code",
    "name",
    "short_name",
    "kind",
    "level",
    "parent",
    "province",
    "commune",
    "valid_from",
    "valid_to",
    "successor",
    "email",
    "phone",
    "address",
)
ORGANIZATION_UPDATABLE_FIELDS: Final = frozenset(ORGANIZATION_FIELDS)

# A body may only be placed under one of the same or a higher level.
_LEVEL_RANK: Final = {
    OrganizationLevel.CENTRAL: 0,
    OrganizationLevel.PROVINCE: 1,
    OrganizationLevel.COMMUNE: 2,
}

# The hierarchy is a few levels deep; a longer walk means corrupt data.
_MAX_DEPTH: Final = 64

ErrorDict = dict[str, list[ValidationError]]


def _today() -> datetime.date:
    return timezone.localdate()


def _show_date(day: datetime.date) -> str:
    """Write a date as Vietnamese readers expect it, 30/6/2025."""
    return f"{day.day}/{day.month}/{day.year}"


def _add_error(
    errors: ErrorDict,
    field: str,
    message: str,
    code: str,
    params: dict[str, Any] | None = None,
) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code, params=params))


def _merge_full_clean(errors: ErrorDict, instance: Organization | Membership) -> None:
    """Add the model's own field and uniqueness errors to `errors`."""
    try:
        # Range constraints are checked by the rules with clearer messages.
        instance.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)


def _ancestor_ids(organization: Organization) -> list[int]:
    """Return the ids of `organization` and of the bodies above it, nearest first."""
    ids: list[int] = [organization.pk]
    parent_id = organization.parent_id
    while parent_id is not None and parent_id not in ids and len(ids) < _MAX_DEPTH:
        ids.append(parent_id)
        parent_id = (
            Organization.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        )
    if parent_id is not None:
        ids.append(parent_id)  # The loop stopped on a cycle: report it.
    return ids


def _successor_ids(organization: Organization) -> list[int]:
    """Return the ids along the chain of successors of `organization`."""
    ids: list[int] = [organization.pk]
    successor_id = organization.successor_id
    while successor_id is not None and successor_id not in ids and len(ids) < _MAX_DEPTH:
        ids.append(successor_id)
        successor_id = (
            Organization.objects.filter(pk=successor_id)
            .values_list("successor_id", flat=True)
            .first()
        )
    if successor_id is not None:
        ids.append(successor_id)
    return ids


def _check_area(org: Organization, errors: ErrorDict) -> None:
    """A body names the area it serves, as its level requires."""
    if org.level == OrganizationLevel.COMMUNE:
        if org.commune is None:
            _add_error(
                errors,
                "commune",
                _("A commune-level organization must name its commune."),
                "commune_required",
            )
        elif org.province_id is not None and org.commune.province_id != org.province_id:
            _add_error(
                errors,
                "commune",
                _("%(commune)s is not in %(province)s."),
                "commune_outside_province",
                {"commune": org.commune.name, "province": org.province},
            )
    elif org.level == OrganizationLevel.PROVINCE:
        if org.province_id is None:
            _add_error(
                errors,
                "province",
                _("A province-level organization must name its province."),
                "province_required",
            )
        if org.commune_id is not None:
            _add_error(
                errors,
                "commune",
                _(
                    "A province-level organization serves the whole province: "
                    "leave the commune empty."
                ),
                "commune_not_allowed",
            )
    elif org.level == OrganizationLevel.CENTRAL and (
        org.province_id is not None or org.commune_id is not None
    ):
        _add_error(
            errors,
            "province" if org.province_id is not None else "commune",
            _(
                "A central organization serves the whole country: "
                "leave the province and the commune empty."
            ),
            "area_not_allowed",
        )


def _check_parent(org: Organization, errors: ErrorDict) -> None:
    """The parent is above the body, in the same area, and still open."""
    if org.parent_id is None:
        return
    parent = org.parent
    assert parent is not None  # noqa: S101 (parent_id is set)
    if org.pk is not None and org.pk in _ancestor_ids(parent):
        _add_error(
            errors,
            "parent",
            _("An organization cannot be placed under itself or one of its subordinates."),
            "parent_cycle",
        )
        return
    levels = dict(OrganizationLevel.choices)
    if _LEVEL_RANK.get(OrganizationLevel(parent.level), 0) > _LEVEL_RANK.get(
        OrganizationLevel(org.level), 0
    ):
        _add_error(
            errors,
            "parent",
            _("A %(parent_level)s-level organization cannot oversee a %(level)s-level one."),
            "parent_level",
            {
                "parent_level": str(levels[parent.level]).lower(),
                "level": str(levels[org.level]).lower(),
            },
        )
    elif (
        parent.province_id is not None
        and org.province_id is not None
        and parent.province_id != org.province_id
    ):
        _add_error(
            errors,
            "parent",
            _("The parent organization serves another province (%(province)s)."),
            "parent_province",
            {"province": parent.province},
        )
    elif (
        parent.level == OrganizationLevel.COMMUNE
        and org.commune_id is not None
        and parent.commune_id != org.commune_id
    ):
        _add_error(
            errors,
            "parent",
            _("The parent organization serves another commune (%(commune)s)."),
            "parent_commune",
            {"commune": parent.commune},
        )
    if parent.valid_to is not None and (org.valid_to is None or org.valid_to > parent.valid_to):
        _add_error(
            errors,
            "parent",
            _("%(parent)s closed on %(date)s: choose its successor."),
            "parent_closed",
            {"parent": parent.name, "date": _show_date(parent.valid_to)},
        )


def _check_dates_and_successor(org: Organization, errors: ErrorDict) -> None:
    if org.valid_from is not None and org.valid_to is not None and org.valid_to < org.valid_from:
        _add_error(
            errors,
            "valid_to",
            _("The end date cannot be before the start date."),
            "date_range",
        )
    if org.successor_id is None:
        return
    successor = org.successor
    assert successor is not None  # noqa: S101 (successor_id is set)
    if org.valid_to is None:
        _add_error(
            errors,
            "valid_to",
            _("Give the date the organization closed before naming its successor."),
            "successor_without_end",
        )
    if org.pk is not None and org.pk in _successor_ids(successor):
        _add_error(
            errors,
            "successor",
            _("An organization cannot succeed itself, directly or through others."),
            "successor_cycle",
        )
    elif (
        org.valid_to is not None
        and successor.valid_to is not None
        and successor.valid_to <= org.valid_to
    ):
        _add_error(
            errors,
            "successor",
            _("The successor must still exist after %(date)s."),
            "successor_closed",
            {"date": _show_date(org.valid_to)},
        )


def _organization_normalize(org: Organization) -> None:
    org.code = (org.code or "").strip().lower()
    org.name = " ".join((org.name or "").split())
    org.short_name = " ".join((org.short_name or "").split())
    org.name_folded = fold(org.name)
    if org.level == OrganizationLevel.COMMUNE and org.commune is not None and not org.province_id:
        org.province_id = org.commune.province_id


def _organization_rules(org: Organization, errors: ErrorDict) -> None:
    if "level" not in errors:
        _check_area(org, errors)
        _check_parent(org, errors)
    _check_dates_and_successor(org, errors)


def organization_check(organization: Organization) -> None:
    """Raise the errors of the hierarchy rules for an unsaved state of
    `organization`, keyed by field (area served, parent, dates, successor).

    The model's own field validation is not repeated: forms call this after
    theirs; services call it as part of their validation. A commune-level
    body without a province gets its commune's province.
    """
    _organization_normalize(organization)
    errors: ErrorDict = {}
    _organization_rules(organization, errors)
    if errors:
        raise ValidationError(errors)


def _organization_validate(org: Organization) -> None:
    """Normalize `org` and raise every error found, keyed by field."""
    _organization_normalize(org)
    errors: ErrorDict = {}
    _merge_full_clean(errors, org)
    _organization_rules(org, errors)
    if errors:
        raise ValidationError(errors)


def _open_children(org: Organization) -> list[Organization]:
    """Bodies under `org` that are still open after it closes."""
    assert org.valid_to is not None  # noqa: S101 (only asked of a closing body)
    return list(
        org.children.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=org.valid_to)).order_by("pk")
    )


def _open_children_error(org: Organization, count: int) -> ValidationError:
    return ValidationError(
        {
            "valid_to": ValidationError(
                ngettext(
                    "%(name)s still has %(count)d open subordinate organization: "
                    "close or move it first.",
                    "%(name)s still has %(count)d open subordinate organizations: "
                    "close or move them first.",
                    count,
                ),
                code="open_children",
                params={"name": org.name, "count": count},
            )
        }
    )


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    level: str,
    short_name: str = "",
    parent: Organization | None = None,
    province: Province | None = None,
    commune: Commune | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    successor: Organization | None = None,
    email: str = "",
    phone: str = "",
    address: str = "",
) -> Organization:
    """Create an organization and record it in the audit trail.

    A commune-level body must name its commune (its province is then
    filled in), a province-level one its province, a central one neither.
    The parent must be of the same or a higher level, serve the same area,
    and not be closed.
    """
    org = Organization(
        code=code,
        name=name,
        short_name=short_name,
        kind=kind,
        level=level,
        parent=parent,
        province=province,
        commune=commune,
        valid_from=valid_from,
        valid_to=valid_to,
        successor=successor,
        email=email,
        phone=phone,
        address=address,
    )
    _organization_validate(org)
    org.save(force_insert=True)
    audit_record(
        actor=actor,
        action="organization.create",
        target=org,
        data=model_changes(org, list(ORGANIZATION_FIELDS)),
    )
    return org


@transaction.atomic
def organization_update(
    *, actor: Actor, organization: Organization, data: Mapping[str, Any]
) -> Organization:
    """Change the fields in `data` (see `ORGANIZATION_UPDATABLE_FIELDS`).

    Saves only what changed and records old and new values; returns the
    organization unchanged, and records nothing, when nothing changed.
    Closing with a successor is better done with `organization_close`,
    which also moves the subordinate bodies and the members.
    """
    unknown = set(data) - ORGANIZATION_UPDATABLE_FIELDS
    if unknown:
        raise ValueError("Fields that cannot be updated: " + ", ".join(sorted(unknown)))
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = model_changes(org, list(ORGANIZATION_FIELDS))
    for field, value in data.items():
        setattr(org, field, value)
    _organization_validate(org)
    after = model_changes(org, list(ORGANIZATION_FIELDS))
    changed = [field for field in ORGANIZATION_FIELDS if before[field] != after[field]]
    if not changed:
        return org
    if "valid_to" in changed and org.valid_to is not None and (children := _open_children(org)):
        raise _open_children_error(org, len(children))
    update_fields = [*changed, "name_folded"] if "name" in changed else changed
    org.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        action="organization.update",
        target=org,
        data={"before": {f: before[f] for f in changed}, "after": {f: after[f] for f in changed}},
    )
    return org


@transaction.atomic
def organization_close(
    *,
    actor: Actor,
    organization: Organization,
    valid_to: datetime.date,
    successor: Organization | None = None,
    transfer: bool = True,
) -> Organization:
    """Close a body on `valid_to` (its last day), for a rename or a merger.

    With a `successor` and `transfer` (the default), the bodies under it
    that are still open are moved under the successor, and its members
    that are still current continue in the successor from the next day.
    Without a successor, it must have no open subordinate body, and its
    memberships end on `valid_to`.
    """
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.valid_to is not None:
        raise ValidationError(
            {
                "valid_to": ValidationError(
                    _("%(name)s is already closed (on %(date)s)."),
                    code="already_closed",
                    params={"name": org.name, "date": _show_date(org.valid_to)},
                )
            }
        )
    org.valid_to = valid_to
    org.successor = successor
    _organization_validate(org)

    open_children = _open_children(org)
    if open_children and (successor is None or not transfer):
        raise _open_children_error(org, len(open_children))
    org.save(update_fields=["valid_to", "successor"])

    moved_children: list[str] = []
    moved_members = 0
    if successor is not None and transfer:
        for child in open_children:
            organization_update(actor=actor, organization=child, data={"parent": successor})
            moved_children.append(child.code)

    current = list(
        org.memberships.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_to))
        .select_related("user")
        .order_by("pk")
    )
    next_day = valid_to + datetime.timedelta(days=1)
    for membership in current:
        if successor is not None and transfer:
            membership_grant(
                actor=actor,
                user=membership.user,
                organization=successor,
                role=membership.role,
                valid_from=max(next_day, membership.valid_from or next_day),
                valid_to=membership.valid_to,
            )
            moved_members += 1
        if membership.valid_from is not None and membership.valid_from > valid_to:
            membership_revoke(actor=actor, membership=membership)
        else:
            membership_update(
                actor=actor,
                membership=membership,
                valid_from=membership.valid_from,
                valid_to=valid_to,
            )

    audit_record(
        actor=actor,
        action="organization.close",
        target=org,
        data={
            "valid_to": valid_to.isoformat(),
            "successor": successor.code if successor is not None else None,
            "moved_children": moved_children,
            "moved_memberships": moved_members,
        },
    )
    return org


@transaction.atomic
def organization_delete(*, actor: Actor, organization: Organization) -> None:
    """Delete a body entered by mistake; one that was used must be closed.

    Refuses when it has members, subordinate bodies or predecessors.
    """
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.memberships.exists() or org.children.exists() or org.predecessors.exists():
        raise ValidationError(
            _(
                "%(name)s has members, subordinate organizations or predecessors: "
                "close it instead of deleting it."
            ),
            code="in_use",
            params={"name": org.name},
        )
    audit_record(
        actor=actor,
        action="organization.delete",
        target=org,
        data=model_changes(org, list(ORGANIZATION_FIELDS)),
    )
    org.delete()


def _role_groups() -> dict[Role, Group]:
    """Return the group of each role, creating any that is missing."""
    groups = {g.name: g for g in Group.objects.filter(name__in=ROLE_GROUP_NAMES.values())}
    result: dict[Role, Group] = {}
    for role, name in ROLE_GROUP_NAMES.items():
        group = groups.get(name)
        if group is None:
            group = Group.objects.create(name=name)
            group.permissions.set(_permissions([ACCESS_ADMIN, *ROLE_GROUP_PERMISSIONS[role]]))
        result[role] = group
    return result


def _permissions(names: Iterable[str]) -> list[Permission]:
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def _current_roles(
    user: User, on_date: datetime.date, exclude: Membership | None = None
) -> set[Role]:
    """Roles of the user's current and future memberships, but `exclude`."""
    memberships = Membership.objects.filter(user=user).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on_date)
    )
    if exclude is not None:
        memberships = memberships.exclude(pk=exclude.pk)
    return {Role(role) for role in memberships.values_list("role", flat=True).distinct()}


def _sync_groups(user: User, exclude: Membership | None = None) -> dict[str, list[str]]:
    """Put the user in exactly the groups of the roles they hold (ignoring
    `exclude`, a membership about to be deleted)."""
    groups = _role_groups()
    wanted = {groups[role].pk for role in _current_roles(user, _today(), exclude)}
    by_pk = {group.pk: group for group in groups.values()}
    current = set(user.groups.filter(pk__in=by_pk).values_list("pk", flat=True))
    added = sorted(wanted - current)
    removed = sorted(current - wanted)
    if added:
        user.groups.add(*added)
    if removed:
        user.groups.remove(*removed)
    return {
        "groups_added": [by_pk[pk].name for pk in added],
        "groups_removed": [by_pk[pk].name for pk in removed],
    }


@transaction.atomic
def user_role_groups_sync(*, actor: Actor, user: User) -> dict[str, list[str]]:
    """Put `user` in exactly the role groups of their current memberships.

    Run for everyone by `manage.py sync_role_groups` (daily), so that a
    membership that reached its end date also leaves its group. Records an
    audit event only when a group changed; returns the groups added and
    removed.
    """
    changes = _sync_groups(user)
    if changes["groups_added"] or changes["groups_removed"]:
        audit_record(actor=actor, action="user.role_groups_sync", target=user, data=changes)
    return changes


def _membership_data(membership: Membership) -> dict[str, Any]:
    return {
        "user": membership.user.get_username(),
        "organization": membership.organization.code,
        "role": membership.role,
        "valid_from": membership.valid_from.isoformat() if membership.valid_from else None,
        "valid_to": membership.valid_to.isoformat() if membership.valid_to else None,
    }


def _membership_rules(membership: Membership, errors: ErrorDict) -> None:
    start, end = membership.valid_from, membership.valid_to
    if start is not None and end is not None and end < start:
        _add_error(
            errors,
            "valid_to",
            _("The end date cannot be before the start date."),
            "date_range",
        )
    if membership.organization_id is None:
        return
    org = membership.organization
    if org.valid_to is not None and (end is None or end > org.valid_to):
        _add_error(
            errors,
            "organization",
            _(
                "%(organization)s closed on %(date)s: end the role by that day, "
                "or grant it in its successor instead."
            ),
            "organization_closed",
            {"organization": org.name, "date": _show_date(org.valid_to)},
        )


def membership_check(membership: Membership) -> None:
    """Raise the errors of the rules for an unsaved membership (dates, open
    organization), keyed by field; see `organization_check`."""
    errors: ErrorDict = {}
    _membership_rules(membership, errors)
    if errors:
        raise ValidationError(errors)


def _membership_validate(membership: Membership) -> None:
    errors: ErrorDict = {}
    _merge_full_clean(errors, membership)
    if "organization" not in errors:
        _membership_rules(membership, errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def membership_grant(
    *,
    actor: Actor,
    user: User,
    organization: Organization,
    role: Role | str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    is_deputy: bool = False,
) -> Membership:
    """Let `user` work for `organization` in `role`, and return the membership.

    `is_deputy` marks a deputy head (cấp phó) among the heads: not the
    leader whose citizen-reception days are counted.

    Idempotent: when the user already holds that role there (now or from a
    later date) the existing membership is returned unchanged and nothing is
    recorded. An ended one is reopened with the new dates. The user joins
    the role's group.
    """
    existing = (
        Membership.objects.select_for_update()
        .select_related("user", "organization")
        .filter(user=user, organization=organization, role=role)
        .first()
    )
    today = _today()
    if existing is not None and (existing.valid_to is None or existing.valid_to >= today):
        return existing
    if existing is not None:
        membership = existing
        membership.valid_from = valid_from
        membership.valid_to = valid_to
        membership.is_deputy = is_deputy
        _membership_validate(membership)
        membership.save(update_fields=["valid_from", "valid_to", "is_deputy"])
        reopened = True
    else:
        membership = Membership(
            user=user,
            organization=organization,
            role=role,
            valid_from=valid_from,
            valid_to=valid_to,
            is_deputy=is_deputy,
        )
        _membership_validate(membership)
        try:
            with transaction.atomic():
                membership.save(force_insert=True)
        except IntegrityError:
            # Granted at the same moment by another request.
            return Membership.objects.get(user=user, organization=organization, role=role)
        reopened = False
    groups = _sync_groups(user)
    audit_record(
        actor=actor,
        action="membership.grant",
        target=membership,
        data={
            **_membership_data(membership),
            "is_deputy": membership.is_deputy,
            "reopened": reopened,
            **groups,
        },
    )
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: Actor,
    membership: Membership,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
) -> Membership:
    """Change the dates of a membership (e.g. set the day it ends).

    The user, organization and role of a membership do not change: revoke
    it and grant another. Records nothing when the dates are the same.
    """
    locked = (
        Membership.objects.select_for_update()
        .select_related("user", "organization")
        .get(pk=membership.pk)
    )
    before = _membership_data(locked)
    locked.valid_from = valid_from
    locked.valid_to = valid_to
    _membership_validate(locked)
    after = _membership_data(locked)
    if before == after:
        return locked
    locked.save(update_fields=["valid_from", "valid_to"])
    groups = _sync_groups(locked.user)
    audit_record(
        actor=actor,
        action="membership.update",
        target=locked,
        data={
            "before": {k: before[k] for k in ("valid_from", "valid_to")},
            "after": {k: after[k] for k in ("valid_from", "valid_to")},
            **groups,
        },
    )
    return locked


@transaction.atomic
def membership_revoke(*, actor: Actor, membership: Membership) -> None:
    """Remove a membership; the user leaves the role's group when they hold
    the role nowhere else.

    The row is deleted; the audit event keeps who held which role where and
    when.
    """
    locked = (
        Membership.objects.select_for_update()
        .select_related("user", "organization")
        .filter(pk=membership.pk)
        .first()
    )
    if locked is None:
        return
    groups = _sync_groups(locked.user, exclude=locked)
    audit_record(
        actor=actor,
        action="membership.revoke",
        target=locked,
        data={**_membership_data(locked), **groups},
    )
    locked.delete()
