"""What a staff member may do to a petition now, and doing it.

The staff workspace and the staff API both go through `petition_perform`,
so that one set of rules decides who may take which step:

- the workflow table decides which actions the status allows
  (`workflow.allowed_actions`; otherwise `InvalidTransition`, HTTP 409);
- the roles decide who may take them (otherwise `PermissionDenied`, 403):
  reception officers, handlers and heads of the holding organization, a
  head of a body above it, and the assigned handler may act; only heads
  (and the superuser) assign, and decisions, extensions and suspensions
  are for the assigned handler and heads;
- the services check the rest (`ValidationError`, 422).

`actions_available` lists the steps offered on the case page, so that a
page never shows a button the service would refuse.
"""

import datetime
from collections.abc import Sequence
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from danvan.core.audit import audit_record
from danvan.orgs.models import Membership, Organization, Role
from danvan.orgs.selectors import organization_get_by_code, user_memberships
from danvan.petitions import classification, routing, workflow
from danvan.petitions.actions import extension_refusal, petition_act
from danvan.petitions.confidentiality import organization_ancestor_ids
from danvan.petitions.models import Petition
from danvan.petitions.workflow import Action, PetitionKind, Status

#: Extra steps that are not workflow actions.
ASSIGN: Final = "assign"
ROUTE: Final = "route"
MARK_DUPLICATE: Final = "mark_duplicate"

#: Actions reserved for the assigned handler and heads.
DECISION_ACTIONS: Final = frozenset(
    {Action.DECIDE, Action.EXTEND, Action.SUSPEND, Action.RESUME, Action.ACCEPT}
)

#: Roles that act on the petitions of their own organization.
ACTING_ROLES: Final = frozenset({Role.RECEPTION_OFFICER, Role.HANDLER, Role.HEAD})

#: Roles an assignee may hold in the holding organization.
ASSIGNABLE_ROLES: Final = frozenset({Role.RECEPTION_OFFICER, Role.HANDLER, Role.HEAD})

#: Every step `petition_perform` accepts, by its API name.
PERFORMABLE: Final = (
    *Action.values,
    ASSIGN,
    ROUTE,
    MARK_DUPLICATE,
)


def _roles_here(user: Any, petition: Petition) -> tuple[set[str], bool]:
    """Return (roles in the holding organization, head of a body above it)."""
    if petition.organization is None:
        return set(), False
    ancestors = organization_ancestor_ids(petition.organization)
    memberships = user_memberships(user).filter(organization_id__in=ancestors)
    own: set[str] = set()
    head_above = False
    for membership in memberships:
        if membership.organization_id == petition.organization_id:
            own.add(membership.role)
        elif membership.role == Role.HEAD:
            head_above = True
    return own, head_above


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def may_act(user: Any, petition: Petition) -> bool:
    """Tell whether `user` may take workflow steps on `petition` at all."""
    if not _is_active(user):
        return False
    if user.is_superuser or petition.assigned_to_id == user.pk:
        return True
    own, head_above = _roles_here(user, petition)
    return bool(own & ACTING_ROLES) or head_above


def _is_head(user: Any, petition: Petition) -> bool:
    if user.is_superuser:
        return True
    own, head_above = _roles_here(user, petition)
    return Role.HEAD in own or head_above


def _may_take(user: Any, petition: Petition, action: Action) -> bool:
    if not may_act(user, petition):
        return False
    if action in DECISION_ACTIONS:
        return petition.assigned_to_id == user.pk or _is_head(user, petition)
    return True


def actions_available(user: Any, petition: Petition) -> list[str]:
    """Return the steps `user` may take on `petition` now, in table order."""
    if not may_act(user, petition):
        return []
    status = Status(petition.status)
    previous = Status(petition.previous_status) if petition.previous_status else None
    names: list[str] = []
    for action in workflow.allowed_actions(status, PetitionKind(petition.kind)):
        if action is Action.RESUME and previous is None:
            continue
        if action is Action.EXTEND and extension_refusal(petition) is not None:
            continue
        if _may_take(user, petition, action):
            names.append(action.value)
    if status in routing.ROUTABLE_STATUSES:
        names.append(ROUTE)
    if not workflow.is_terminal(status):
        names.append(MARK_DUPLICATE)
        if _is_head(user, petition):
            names.append(ASSIGN)
    return names


def _assignee_ok(assignee: Any, organization: Organization) -> bool:
    return (
        Membership.objects.filter(
            user=assignee, organization=organization, role__in=sorted(ASSIGNABLE_ROLES)
        ).exists()
        and assignee.is_active
    )


@transaction.atomic
def petitions_assign(*, petitions: Sequence[Petition], assignee: Any, actor: Any) -> int:
    """Assign `petitions` to `assignee`; return how many were assigned.

    The actor must be a head of each petition's organization (or of a body
    above it); the assignee must work for that organization. All or none.
    """
    if not petitions:
        raise ValidationError({"petitions": gettext("Choose at least one petition.")})
    locked = list(
        # Lock the petitions only: PostgreSQL refuses FOR UPDATE on the
        # nullable side of the outer join to the organization.
        Petition.objects.select_for_update(of=("self",))
        .select_related("organization")
        .filter(pk__in=[p.pk for p in petitions])
        .order_by("pk")
    )
    for petition in locked:
        if not _is_active(actor) or not _is_head(actor, petition):
            raise PermissionDenied(
                gettext("Only a head of the organization may assign %(code)s.")
                % {"code": petition.code}
            )
        if petition.organization is None or not _assignee_ok(assignee, petition.organization):
            raise ValidationError(
                {
                    "assignee": gettext(
                        "%(name)s does not work for the organization that holds %(code)s."
                    )
                    % {
                        "name": assignee.get_full_name() or assignee.username,
                        "code": petition.code,
                    }
                }
            )
        if workflow.is_terminal(Status(petition.status)):
            raise ValidationError(
                {
                    "petitions": gettext(
                        "%(code)s is no longer handled here and cannot be assigned."
                    )
                    % {"code": petition.code}
                }
            )
    for petition in locked:
        previous = petition.assigned_to_id
        petition.assigned_to = assignee
        petition.save(update_fields=["assigned_to", "updated_at"])
        audit_record(
            actor=actor,
            action="petition.assign",
            target=petition,
            data={"code": petition.code, "from_user": previous, "to_user": assignee.pk},
        )
    return len(locked)


def _organization(code: str | None) -> Organization:
    if not code:
        raise ValidationError({"organization": gettext("Choose the organization.")})
    try:
        return organization_get_by_code(code)
    except Organization.DoesNotExist:
        raise ValidationError(
            {"organization": gettext("No organization has the code %(code)s.") % {"code": code}}
        ) from None


@transaction.atomic
def petition_perform(
    *,
    petition: Petition,
    actor: Any,
    action: str,
    note: str = "",
    is_public: bool = True,
    on_date: datetime.date | None = None,
    organization: str | None = None,
    assignee: Any = None,
    reason: str = "",
    duplicate_of: Petition | None = None,
    category: str | None = None,
    is_complex: bool | None = None,
    is_especially_complex: bool | None = None,
    is_remote: bool | None = None,
) -> Petition:
    """Take the step `action` on `petition` as `actor`, and return the petition.

    `organization` is the code of the target of ROUTE and TRANSFER;
    `assignee` the user of ASSIGN; `reason` an `IneligibilityReason` for
    CLASSIFY (none: eligible); `duplicate_of` the original of
    MARK_DUPLICATE. Raise `PermissionDenied`, `workflow.InvalidTransition`
    or `ValidationError` as described in the module docstring.
    """
    if action not in PERFORMABLE:
        raise ValidationError(
            {
                "action": gettext("Choose one of: %(choices)s.")
                % {"choices": ", ".join(PERFORMABLE)}
            }
        )
    # Permissions are judged on the petition as stored, not on a stale copy.
    petition = Petition.objects.select_related("organization").get(pk=petition.pk)
    if not may_act(actor, petition):
        raise PermissionDenied(
            gettext("You do not act for the organization holding this petition.")
        )
    if action == ASSIGN:
        if assignee is None:
            raise ValidationError({"assignee": gettext("Choose who handles the petition.")})
        petitions_assign(petitions=[petition], assignee=assignee, actor=actor)
        return Petition.objects.get(pk=petition.pk)
    if action == ROUTE:
        return routing.petition_route(
            petition=petition, organization=_organization(organization), actor=actor, note=note
        )
    if action == MARK_DUPLICATE:
        if duplicate_of is None:
            raise ValidationError(
                {"duplicate_of": gettext("Give the code of the first petition.")}
            )
        return classification.petition_mark_duplicate(
            petition=petition, original=duplicate_of, actor=actor, note=note
        )
    step = Action(action)
    if not _may_take(actor, petition, step):
        raise PermissionDenied(
            gettext("Only the assigned handler or a head may take the step “%(action)s”.")
            % {"action": step.label}
        )
    if step is Action.TRANSFER:
        return routing.petition_transfer(
            petition=petition, organization=_organization(organization), actor=actor, note=note
        )
    if step is Action.CLASSIFY:
        return classification.petition_classify(
            petition=petition,
            actor=actor,
            reason=reason,
            category=category,
            is_complex=is_complex,
            is_especially_complex=is_especially_complex,
            is_remote=is_remote,
            note=note,
        )
    return petition_act(
        petition=petition,
        action=step,
        actor=actor,
        note=note,
        is_public=is_public,
        on_date=on_date,
    )
