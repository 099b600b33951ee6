"""Who may do what with briefings, from the roles of `danvan.orgs`.

The rule (roles held on the day of the request; a superuser may do everything):

- open a briefing, its reports, summary and documents: anyone holding
  HEAD, COMMISSION_STAFF or ADMINISTRATOR in a central body, in the host
  body, or in a member's reporting body;
- create a briefing: HEAD or COMMISSION_STAFF of a central body or of a
  body that reports for a member province of the cluster;
- write a member report (figures, corrections, narrative) and submit it:
  HEAD or COMMISSION_STAFF of that member's reporting body;
- accept or return reports, record the meeting, the conclusion and its
  items, issue the conclusion: HEAD or COMMISSION_STAFF of the host body;
- follow up a task: HEAD or COMMISSION_STAFF of the task's body or of the
  host body;
- list briefings and tasks (`readable_organization_ids`): those of the
  bodies where the user holds a reading role (every one for central staff).

Each check costs at most one query (the user's memberships, read once and
kept on the request's user object).
"""

import contextlib
from typing import Any

from danvan.briefings.models import Briefing, ConclusionTask, MemberReport
from danvan.orgs.models import OrganizationLevel, Role
from danvan.orgs.selectors import user_memberships

READ_ROLES = frozenset({Role.HEAD, Role.COMMISSION_STAFF, Role.ADMINISTRATOR})
WRITE_ROLES = frozenset({Role.HEAD, Role.COMMISSION_STAFF})
_CACHE = "_briefing_roles"


def _roles(user: Any) -> list[tuple[int, str, str, int | None]]:
    """(organization id, role, level, province) of the user's memberships today."""
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = [
            (m.organization_id, m.role, m.organization.level, m.organization.province_id)
            for m in user_memberships(user)
        ]
        with contextlib.suppress(AttributeError):
            setattr(user, _CACHE, cached)
    return cached


def _is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def _holds(user: Any, org_ids: set[int | None], roles: frozenset[Role]) -> bool:
    return _is_superuser(user) or any(
        org in org_ids and role in roles for org, role, _, _ in _roles(user)
    )


def is_central(user: Any, roles: frozenset[Role] = READ_ROLES) -> bool:
    return _is_superuser(user) or any(
        level == OrganizationLevel.CENTRAL and role in roles for _, role, level, _ in _roles(user)
    )


def can_use_briefings(user: Any) -> bool:
    """Whether the menu shows: a holder of a reading role anywhere."""
    return _is_superuser(user) or any(role in READ_ROLES for _, role, _, _ in _roles(user))


def readable_organization_ids(user: Any) -> set[int] | None:
    """The bodies whose briefings and tasks `user` reads; None for every one (central).

    The lists filter on them: a briefing hosted by one of them or with a
    member report of one of them (as `can_read`), a task of one of them, of
    the province of one of them, or of a briefing one of them hosts.
    """
    if is_central(user):
        return None
    return {org for org, role, _, _ in _roles(user) if role in READ_ROLES}


def _member_org_ids(briefing: Briefing) -> set[int | None]:
    return {r.organization_id for r in briefing.reports.all()}


def can_read(user: Any, briefing: Briefing) -> bool:
    if is_central(user):
        return True
    return _holds(user, {briefing.host_organization_id, *_member_org_ids(briefing)}, READ_ROLES)


def can_create(user: Any) -> bool:
    return is_central(user, WRITE_ROLES) or any(
        role in WRITE_ROLES and province is not None for _, role, _, province in _roles(user)
    )


def can_host(user: Any, briefing: Briefing) -> bool:
    return _holds(user, {briefing.host_organization_id}, WRITE_ROLES)


def can_write_report(user: Any, report: MemberReport) -> bool:
    if report.organization_id is None:  # a legacy member: the host enters its figures
        return can_host(user, report.briefing)
    return _holds(user, {report.organization_id}, WRITE_ROLES)


def can_follow_up(user: Any, task: ConclusionTask, briefing: Briefing) -> bool:
    return _holds(user, {task.organization_id, briefing.host_organization_id}, WRITE_ROLES)
