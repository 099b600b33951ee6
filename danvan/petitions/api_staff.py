"""The staff API: the inbox, the case and its steps (mounted at /api/v1/staff/).

Every endpoint needs `Authorization: Bearer <token>` (a token from `POST
/api/v1/auth/token`); `danvan/api/urls.py` mounts this router with that
authentication, so that this app does not depend on the `api` app.

- `GET /staff/petitions` lists the inbox (`selectors.petition_inbox`),
  paginated; rows carry a petitioner name only where lists may show one
  (`confidentiality.listed_name`: never a denouncer's).
- `GET /staff/petitions/{code}` is the case: identities through
  `confidentiality.petitioners_for_viewer` (a protected one is
  `{"redacted": true}`, every identity shown is recorded), attachments the
  caller may open, the whole history, linked petitions and the steps the
  caller may take. An unknown code and one the caller may not open answer
  the same 404.
- `POST /staff/petitions/{code}/actions` takes one step through
  `handling.petition_perform`: 403 when the caller may not, 409 when the
  status does not allow it (with the steps allowed), 422 when the input is
  wrong.
- `POST /staff/petitions/assign` assigns several petitions at once (all or
  none).

Errors carry a message in the request's language; 422 answers list the
fields, `{"detail": …, "errors": [{"field": …, "message": …}]}`, as
ninja's own validation errors on these endpoints do (`validation_error`).
"""

import datetime
from typing import Any, Final, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, NinjaAPI, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError

from danvan.orgs.models import Organization
from danvan.orgs.selectors import organization_get_by_code
from danvan.petitions import confidentiality, handling, rules, selectors, workflow
from danvan.petitions.api import _field_name, _pydantic_message
from danvan.petitions.limits import LOCAL_LIMIT_RULE, local_limit_for
from danvan.petitions.models import Attachment, CaseEvent, Channel, Petition, Petitioner
from danvan.petitions.workflow import Action, PetitionKind
from danvan.petitions.workflow import Status as PetitionStatus

router = Router()

#: The largest page of the inbox.
MAX_PAGE_SIZE: Final = 100
DEFAULT_PAGE_SIZE: Final = 20

#: The operations whose validation errors `validation_error` shapes.
URL_NAMES: Final = frozenset(
    {"staff_inbox", "staff_petition", "staff_petition_act", "staff_petitions_assign"}
)

DueStateName = Literal["ok", "soon", "overdue"]

_DUE_STATE_NAMES: Final[dict[rules.DueState, DueStateName]] = {
    rules.DueState.ON_TIME: "ok",
    rules.DueState.DUE_SOON: "soon",
    rules.DueState.OVERDUE: "overdue",
}


# --- Schemas ---------------------------------------------------------------


class FieldErrorOut(Schema):
    """What is wrong with one field."""

    field: str = Field(examples=["assignee"])
    message: str


class ValidationErrorOut(Schema):
    """Invalid input: a summary and one entry per message, in the request's language."""

    detail: str
    errors: list[FieldErrorOut]


class ErrorOut(Schema):
    """An error, explained in the request's language."""

    detail: str


class ConflictOut(Schema):
    """A step the workflow does not allow now, and the steps the caller may take."""

    detail: str
    action: str
    status: PetitionStatus
    allowed: list[str]


class UnitOut(Schema):
    """An administrative unit."""

    code: int
    name: str


class OrganizationOut(Schema):
    """An organization."""

    code: str
    name: str


class UserOut(Schema):
    """A staff member."""

    username: str
    full_name: str


class InboxItemOut(Schema):
    """One row of the inbox: no identity except a listable petitioner name."""

    code: str = Field(examples=["PA-2026-000123"])
    kind: PetitionKind
    kind_label: str
    status: PetitionStatus
    status_label: str
    channel: Channel
    title: str
    commune: UnitOut
    organization: OrganizationOut | None
    received_at: datetime.datetime
    expected_response_by: datetime.date | None
    due_state: DueStateName | None = Field(
        description="Against the due date: `soon` within 3 days; none once handling ended."
    )
    assigned_to: UserOut | None
    petitioner_name: str = Field(description="Empty for a denunciation or an anonymous petition.")


class InboxOut(Schema):
    """A page of the inbox, without a total (counting costs a scan of the whole inbox)."""

    limit: int
    offset: int
    has_more: bool = Field(description="Another page follows: ask again with `next_offset`.")
    next_offset: int | None
    items: list[InboxItemOut]


class InboxQuery(Schema):
    """Filters, order and page of the inbox."""

    kind: PetitionKind | None = None
    status: PetitionStatus | Literal["open"] | None = Field(
        None, description="A status, or `open` for every status where handling goes on."
    )
    channel: Channel | None = None
    category: str = ""
    commune: int | None = Field(None, description="Commune code.")
    organization: str = Field("", description="Organization code.")
    due: Literal["soon", "overdue"] | None = None
    assigned_to_me: bool = False
    q: str = Field("", max_length=200, description="Code, title, content or a listable name.")
    ordering: Literal["due", "-due", "received", "-received"] = "due"
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)
    page: int | None = Field(None, ge=1, description="1-based; replaces `offset`.")


class ClockOut(Schema):
    """The resolution clock started at acceptance."""

    rule: str
    label: str
    started_on: datetime.date
    extensions: int
    max_extensions: int
    due: datetime.date | None
    legal_basis: str


class PetitionerOut(Schema):
    """A petitioner's identity, for those who may see it."""

    name: str
    identity_number: str
    phone: str
    email: str
    address: str
    is_representative: bool
    protection_waived: bool


class RedactedOut(Schema):
    """A protected identity the caller may not see."""

    redacted: Literal[True]


class AttachmentOut(Schema):
    """A document the caller may open."""

    id: int
    name: str
    size: int
    content_type: str
    url: str


class CaseEventOut(Schema):
    """One step of the history, public or not."""

    action: Action
    action_label: str
    from_status: PetitionStatus | None
    to_status: PetitionStatus
    to_status_label: str
    actor: UserOut | None
    occurred_at: datetime.datetime
    note: str
    is_public: bool
    data: dict[str, Any]


class GroupOut(Schema):
    """Petitions on one matter handled together."""

    id: int
    title: str
    petitions: list[str]


class LinksOut(Schema):
    """Petitions linked to this one, by code."""

    parent: str | None = Field(description="The petition this part was split from.")
    split_parts: list[str]
    duplicate_of: str | None
    duplicates: list[str]
    group: GroupOut | None


class CaseOut(Schema):
    """The case as staff see it."""

    code: str
    kind: PetitionKind
    kind_label: str
    status: PetitionStatus
    status_label: str
    previous_status: PetitionStatus | None
    channel: Channel
    title: str
    content: str
    field: str
    category: str
    commune: UnitOut
    address: str
    latitude: float | None
    longitude: float | None
    people_count: int
    is_signed: bool
    is_anonymous: bool
    organization: OrganizationOut | None
    assigned_to: UserOut | None
    received_at: datetime.datetime
    expected_response_by: datetime.date | None
    due_state: DueStateName | None
    is_complex: bool
    is_especially_complex: bool
    is_remote: bool
    instance: int
    eligibility: str
    ineligibility_reason: str
    transfer_count: int
    decision_known_on: datetime.date | None
    late_reason: str
    resolved_on: datetime.date | None
    closed_at: datetime.datetime | None
    clock: ClockOut | None
    petitioners: list[PetitionerOut | RedactedOut]
    attachments: list[AttachmentOut]
    history: list[CaseEventOut]
    links: LinksOut
    actions: list[str] = Field(description="The steps the caller may take now.")


class ActionIn(Schema):
    """One step on a petition (`handling.PERFORMABLE`) and what it needs."""

    action: str = Field(examples=["accept"])
    note: str = Field("", max_length=5000)
    is_public: bool = Field(True, description="Show the step to the citizen.")
    on_date: datetime.date | None = Field(None, description="Date of the decision; today.")
    organization: str | None = Field(None, description="Target code of `route`, `transfer`.")
    assignee: str | None = Field(None, description="Username, for `assign`.")
    reason: str = Field("", description="Why not eligible, for `classify` (none: eligible).")
    duplicate_of: str | None = Field(None, description="Code of the first petition.")
    category: str | None = None
    is_complex: bool | None = None
    is_especially_complex: bool | None = Field(
        None, description="Luật Tố cáo 2018 Art. 30: allows a second extension."
    )
    is_remote: bool | None = None


class AssignIn(Schema):
    """Petitions to assign to one staff member."""

    codes: list[str] = Field(min_length=1, max_length=MAX_PAGE_SIZE)
    assignee: str = Field(description="Username.")


class AssignedOut(Schema):
    """The petitions assigned."""

    assigned: int
    codes: list[str]


# --- Helpers ---------------------------------------------------------------


def _user_out(user: Any) -> dict[str, str] | None:
    if user is None:
        return None
    return {"username": user.get_username(), "full_name": user.get_full_name()}


def _organization_out(organization: Organization | None) -> dict[str, str] | None:
    if organization is None:
        return None
    return {"code": organization.code, "name": organization.name}


def _due_state(petition: Petition, today: datetime.date) -> DueStateName | None:
    due = petition.expected_response_by
    if due is None or workflow.is_terminal(PetitionStatus(petition.status)):
        return None
    return _DUE_STATE_NAMES[rules.due_state(due, today, selectors.DUE_SOON_DAYS)]


def _errors(error: DjangoValidationError, default_field: str) -> Status[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        pairs = [
            (default_field if field == "__all__" else field, str(message))
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        pairs = [(default_field, str(message)) for message in error.messages]
    return _invalid(pairs)


def _invalid(pairs: list[tuple[str, str]]) -> Status[dict[str, Any]]:
    return Status(
        422,
        {
            "detail": " ".join(message for _field, message in pairs),
            "errors": [{"field": field, "message": message} for field, message in pairs],
        },
    )


def _not_found() -> Status[dict[str, Any]]:
    return Status(404, {"detail": gettext("No petition you may open has this code.")})


def _active_user(username: str) -> Any:
    return get_user_model().objects.filter(username=username.strip(), is_active=True).first()


def attachment_url(code: str, attachment_id: int) -> str:
    """Return the download URL of an attachment (checked again when downloaded)."""
    try:
        return reverse("petition_attachment", args=[code, attachment_id])
    except NoReverseMatch:
        # The download view is not wired yet: its planned path.
        return f"/files/petitions/{code}/{attachment_id}/"


def _clock(petition: Petition) -> dict[str, Any] | None:
    code, start = petition.clock_rule_code, petition.clock_started_on
    if not code or start is None:
        return None
    override = (
        local_limit_for(petition.organization, petition.category, start)
        if code == LOCAL_LIMIT_RULE
        else None
    )
    try:
        rule = rules.rules_in_force(code, start, override=override)
    except rules.RuleLookupError:
        return None
    return {
        "rule": rule.code,
        "label": rule.label,
        "started_on": start,
        "extensions": petition.extensions,
        "max_extensions": rule.max_extensions,
        "due": petition.expected_response_by,
        "legal_basis": rule.legal_basis,
    }


def _case(user: Any, petition_id: int) -> dict[str, Any]:
    """Return the case of `petition_id` as `user` may see it (recording identity views)."""
    petition = (
        Petition.objects.select_related(
            "commune", "organization", "assigned_to", "parent", "duplicate_of", "group"
        )
        .prefetch_related(
            Prefetch("split_parts", queryset=Petition.objects.only("id", "code", "parent_id")),
            Prefetch(
                "duplicates", queryset=Petition.objects.only("id", "code", "duplicate_of_id")
            ),
        )
        .get(pk=petition_id)
    )
    today = timezone.localdate()
    events = CaseEvent.objects.filter(petition=petition).select_related("actor")
    attachments: list[Attachment] = list(confidentiality.attachments_for_viewer(user, petition))
    group = petition.group
    kind = PetitionKind(petition.kind)
    status = PetitionStatus(petition.status)
    return {
        "code": petition.code,
        "kind": kind,
        "kind_label": str(kind.label),
        "status": status,
        "status_label": str(status.label),
        "previous_status": petition.previous_status or None,
        "channel": petition.channel,
        "title": petition.title,
        "content": petition.content,
        "field": petition.field,
        "category": petition.category,
        "commune": {"code": petition.commune.code, "name": petition.commune.name},
        "address": petition.address,
        "latitude": petition.latitude,
        "longitude": petition.longitude,
        "people_count": petition.people_count,
        "is_signed": petition.is_signed,
        "is_anonymous": petition.is_anonymous,
        "organization": _organization_out(petition.organization),
        "assigned_to": _user_out(petition.assigned_to),
        "received_at": petition.received_at,
        "expected_response_by": petition.expected_response_by,
        "due_state": _due_state(petition, today),
        "is_complex": petition.is_complex,
        "is_especially_complex": petition.is_especially_complex,
        "is_remote": petition.is_remote,
        "instance": petition.instance,
        "eligibility": petition.eligibility,
        "ineligibility_reason": petition.ineligibility_reason,
        "transfer_count": petition.transfer_count,
        "decision_known_on": petition.decision_known_on,
        "late_reason": petition.late_reason,
        "resolved_on": petition.resolved_on,
        "closed_at": petition.closed_at,
        "clock": _clock(petition),
        "petitioners": confidentiality.petitioners_for_viewer(
            user=user, petition=petition, where="api"
        ),
        "attachments": [
            {
                "id": attachment.pk,
                "name": attachment.original_name,
                "size": attachment.size,
                "content_type": attachment.content_type,
                "url": attachment_url(petition.code, attachment.pk),
            }
            for attachment in attachments
        ],
        "history": [
            {
                "action": event.action,
                "action_label": str(Action(event.action).label),
                "from_status": event.from_status or None,
                "to_status": event.to_status,
                "to_status_label": str(PetitionStatus(event.to_status).label),
                "actor": _user_out(event.actor),
                "occurred_at": event.occurred_at,
                "note": event.note,
                "is_public": event.is_public,
                "data": event.data,
            }
            for event in events
        ],
        "links": {
            "parent": petition.parent.code if petition.parent else None,
            "split_parts": [part.code for part in petition.split_parts.all()],
            "duplicate_of": petition.duplicate_of.code if petition.duplicate_of else None,
            "duplicates": [other.code for other in petition.duplicates.all()],
            "group": (
                {
                    "id": group.pk,
                    "title": group.title,
                    "petitions": list(
                        group.petitions.order_by("received_at", "pk").values_list(
                            "code", flat=True
                        )
                    ),
                }
                if group is not None
                else None
            ),
        },
        "actions": handling.actions_available(user, petition),
    }


# --- Endpoints -------------------------------------------------------------


@router.get(
    "/petitions",
    response={200: InboxOut, 401: ErrorOut, 422: ValidationErrorOut},
    url_name="staff_inbox",
    summary="The inbox",
    description=(
        "The petitions of the organizations the caller may read today, narrowed by the "
        "filters. `q` ignores case and diacritics (`ngap nuoc` finds "
        "`ngập nước`) and never matches a denouncer's name. Pages of at most 100 rows, with "
        "`limit` and `offset`, or `page`."
    ),
)
def staff_inbox(request: HttpRequest, filters: Query[InboxQuery]) -> Any:
    organization_id: int | None = None
    if filters.organization:
        try:
            organization_id = organization_get_by_code(filters.organization).pk
        except Organization.DoesNotExist:
            return _invalid(
                [
                    (
                        "organization",
                        gettext("No organization has the code %(code)s.")
                        % {"code": filters.organization},
                    )
                ]
            )
    offset = (filters.page - 1) * filters.limit if filters.page else filters.offset
    today = timezone.localdate()
    petitions = selectors.petition_inbox(
        request.user,
        selectors.InboxFilters(
            kind=filters.kind or "",
            status=filters.status or "",
            channel=filters.channel or "",
            category=filters.category,
            commune=filters.commune,
            organization=organization_id,
            due=filters.due or "",
            assigned_to_me=filters.assigned_to_me,
            q=filters.q,
            ordering=filters.ordering,
        ),
        today=today,
    )
    page = selectors.petitions_window(
        petitions.prefetch_related(
            Prefetch(
                "petitioners",
                # Only what a list may show; never a denouncer's name (listed_name).
                queryset=Petitioner.objects.exclude(petition__kind=PetitionKind.DENUNCIATION).only(
                    "id", "petition_id", "name"
                ),
            )
        ),
        offset=offset,
        limit=filters.limit + 1,
    )
    has_more = len(page) > filters.limit
    items = []
    for petition in page[: filters.limit]:
        kind = PetitionKind(petition.kind)
        status = PetitionStatus(petition.status)
        items.append(
            {
                "code": petition.code,
                "kind": kind,
                "kind_label": str(kind.label),
                "status": status,
                "status_label": str(status.label),
                "channel": petition.channel,
                "title": petition.title,
                "commune": {"code": petition.commune.code, "name": petition.commune.name},
                "organization": _organization_out(petition.organization),
                "received_at": petition.received_at,
                "expected_response_by": petition.expected_response_by,
                "due_state": _due_state(petition, today),
                "assigned_to": _user_out(petition.assigned_to),
                "petitioner_name": confidentiality.listed_name(
                    petition, petition.petitioners.all()
                ),
            }
        )
    return {
        "limit": filters.limit,
        "offset": offset,
        "has_more": has_more,
        "next_offset": offset + filters.limit if has_more else None,
        "items": items,
    }


@router.post(
    "/petitions/assign",
    response={
        200: AssignedOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ValidationErrorOut,
    },
    url_name="staff_petitions_assign",
    summary="Assign petitions to a staff member",
    description=(
        "Only a head of each petition's organization (or of a body above it) may assign, "
        "and the assignee must work for that organization. All the petitions are assigned, "
        "or none."
    ),
)
def staff_petitions_assign(request: HttpRequest, payload: AssignIn) -> Any:
    codes = sorted({code.strip().upper() for code in payload.codes})
    petitions = list(selectors.petitions_visible_to(request.user).filter(code__in=codes))
    missing = sorted(set(codes) - {petition.code for petition in petitions})
    if missing:
        return _invalid(
            [
                (
                    "codes",
                    gettext("No petition you may open has the code %(code)s.") % {"code": code},
                )
                for code in missing
            ]
        )
    assignee = _active_user(payload.assignee)
    if assignee is None:
        return _invalid(
            [
                (
                    "assignee",
                    gettext("No active user has the username %(username)s.")
                    % {"username": payload.assignee},
                )
            ]
        )
    try:
        assigned = handling.petitions_assign(
            petitions=petitions, assignee=assignee, actor=request.user
        )
    except PermissionDenied as error:
        return Status(403, {"detail": str(error)})
    except DjangoValidationError as error:
        return _errors(error, "codes")
    return {"assigned": assigned, "codes": codes}


@router.get(
    "/petitions/{code}",
    response={200: CaseOut, 401: ErrorOut, 404: ErrorOut},
    url_name="staff_petition",
    summary="The case",
    description=(
        "Every field, the clock, the petitioners (a protected denouncer's identity is "
        '`{"redacted": true}` for whoever may not see it; every identity shown is recorded '
        "in the audit trail), the attachments the caller may open, the whole history, linked "
        "petitions and the steps the caller may take. A code the caller may not open answers "
        "like an unknown one (404)."
    ),
)
def staff_petition(request: HttpRequest, code: str) -> Any:
    petition = selectors.petition_get_for_staff(request.user, code)
    if petition is None:
        return _not_found()
    return _case(request.user, petition.pk)


@router.post(
    "/petitions/{code}/actions",
    response={
        200: CaseOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ValidationErrorOut,
    },
    url_name="staff_petition_act",
    summary="Take a step on a petition",
    description=(
        "`action` is one of: "
        + ", ".join(f"`{name}`" for name in handling.PERFORMABLE)
        + ". Answers the case as it now is. 403 when the caller may not take the step, 409 "
        "when the petition's status does not allow it (with `allowed`, the steps the caller "
        "may take), 422 when the input is wrong."
    ),
)
def staff_petition_act(request: HttpRequest, code: str, payload: ActionIn) -> Any:
    user = request.user
    petition = selectors.petition_get_for_staff(user, code)
    if petition is None:
        return _not_found()
    assignee = None
    if payload.assignee:
        assignee = _active_user(payload.assignee)
        if assignee is None:
            return _invalid(
                [
                    (
                        "assignee",
                        gettext("No active user has the username %(username)s.")
                        % {"username": payload.assignee},
                    )
                ]
            )
    original = None
    if payload.duplicate_of:
        original = selectors.petition_get_for_staff(user, payload.duplicate_of)
        if original is None:
            return _invalid(
                [
                    (
                        "duplicate_of",
                        gettext("No petition you may open has the code %(code)s.")
                        % {"code": payload.duplicate_of},
                    )
                ]
            )
    try:
        done = handling.petition_perform(
            petition=petition,
            actor=user,
            action=payload.action,
            note=payload.note,
            is_public=payload.is_public,
            on_date=payload.on_date,
            organization=payload.organization,
            assignee=assignee,
            reason=payload.reason,
            duplicate_of=original,
            category=payload.category,
            is_complex=payload.is_complex,
            is_especially_complex=payload.is_especially_complex,
            is_remote=payload.is_remote,
        )
    except PermissionDenied as error:
        return Status(403, {"detail": str(error)})
    except workflow.InvalidTransition as error:
        current = Petition.objects.select_related("organization").get(pk=petition.pk)
        return Status(
            409,
            {
                "detail": error.message,
                "action": payload.action,
                "status": current.status,
                "allowed": handling.actions_available(user, current),
            },
        )
    except DjangoValidationError as error:
        return _errors(error, "action")
    return _case(user, done.pk)


def validation_error(
    request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI
) -> HttpResponse:
    """Answer ninja's validation errors on the staff endpoints field by field.

    `{"detail": …, "errors": [{"field": …, "message": …}]}`, messages in the
    request's language.
    """
    pairs = [
        (_field_name(tuple(error.get("loc", ()))), _pydantic_message(error))
        for error in exc.errors
    ]
    answer = _invalid(pairs)
    return api.create_response(request, answer.value, status=answer.status_code)
