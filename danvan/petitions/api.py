"""API endpoints of petitions for citizens (mounted at /api/v1/petitions/).

Filing answers 201 with the code and the secret lookup key only after the
petition is committed. Invalid input answers 422 with one message per field,
`{"detail": [{"field": …, "message": …}]}`, in the language asked for with
`Accept-Language` (Vietnamese by default): `petition_validation_error`
gives ninja's own validation errors on these endpoints the same shape.
"""

import datetime
import hashlib
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, NinjaAPI, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError

from danvan.petitions import ratings, selectors, services
from danvan.petitions.models import Channel
from danvan.petitions.throttle import intake_limited, intake_limited_message
from danvan.petitions.workflow import Action, PetitionKind
from danvan.petitions.workflow import Status as PetitionStatus

router = Router()

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 100

#: The operations whose validation errors `petition_validation_error` shapes.
URL_NAMES = frozenset({"petition_create", "petition_detail", "petition_rating"})


class FieldErrorOut(Schema):
    """What is wrong with one field."""

    field: str = Field(examples=["petitioners[0].email"])
    message: str = Field(examples=["Địa chỉ email không hợp lệ."])


class ValidationErrorOut(Schema):
    """Invalid input: one entry per message, in the request's language."""

    detail: list[FieldErrorOut]


class ErrorOut(Schema):
    """An error, explained in the request's language."""

    detail: str


class PetitionerIn(Schema):
    """A petitioner: name, identity and contacts (kept apart from the petition)."""

    name: str
    identity_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    is_representative: bool = False
    protection_waived: bool = Field(
        False, description="A denouncer who waives the protection of their identity."
    )


class PetitionIn(Schema):
    """A new petition."""

    kind: PetitionKind
    title: str = Field(examples=["Đường ngập nước sau mưa"])
    content: str
    commune_code: int = Field(description="Current commune code.", examples=[28261])
    address: str = ""
    field: str = ""
    category: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    people_count: int = Field(1, description="People who sent the same content.")
    is_signed: bool = Field(False, description="Signed or finger-printed.")
    is_anonymous: bool = False
    petitioners: list[PetitionerIn] = Field(
        default_factory=list, description="None for an anonymous petition."
    )


class PetitionCreatedOut(Schema):
    """The code and the secret lookup key: the key is shown only this once."""

    code: str = Field(examples=["PA-2026-000123"])
    lookup_key: str
    status: PetitionStatus
    received_at: datetime.datetime
    expected_response_by: datetime.date | None


class CaseEventOut(Schema):
    """A step of the petition shown to the citizen."""

    action: Action
    action_label: str
    status: PetitionStatus
    status_label: str
    occurred_at: datetime.datetime
    note: str


class PetitionPublicOut(Schema):
    """What the citizen sees with the code and the key."""

    code: str
    kind: PetitionKind
    kind_label: str
    status: PetitionStatus
    status_label: str
    received_at: datetime.datetime
    expected_response_by: datetime.date | None
    history: list[CaseEventOut]


def _invalid(errors: list[tuple[str, str]]) -> Status[dict[str, Any]]:
    return Status(
        422, {"detail": [{"field": field, "message": message} for field, message in errors]}
    )


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
        if parts and parts[0] == "payload":
            parts = parts[1:]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


_QUOTED = re.compile(r"'([^']*)'")


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return gettext("This field is required.")
    if kind == "enum" and "expected" in context:
        # pydantic words the list in English ("'a', 'b' or 'c'"): keep the values only.
        values = _QUOTED.findall(str(context["expected"])) or [str(context["expected"])]
        return gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(values)}
    if kind.startswith("int_"):
        return gettext("Enter a whole number.")
    if kind.startswith("bool_"):
        return gettext("Enter true or false.")
    if kind.startswith(("decimal_", "float_")):
        return gettext("Enter a number.")
    if kind.startswith("string_"):
        return gettext("Enter a text.")
    if kind.startswith("list_"):
        return gettext("Enter a list.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return gettext("Enter an object.")
    return gettext("Enter a valid value.")


def petition_validation_error(
    request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI
) -> HttpResponse:
    """Answer ninja's validation errors on petition endpoints field by field.

    Other endpoints keep ninja's default answer (`{"detail": exc.errors}`).
    """
    match = request.resolver_match
    if match is None or match.url_name not in URL_NAMES:
        return api.create_response(request, {"detail": exc.errors}, status=422)
    detail = [
        {"field": _field_name(tuple(error.get("loc", ()))), "message": _pydantic_message(error)}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


def _created(received: services.ReceivedPetition) -> dict[str, Any]:
    return {
        "code": received.code,
        "lookup_key": received.lookup_key,
        "status": received.status,
        "received_at": received.received_at,
        "expected_response_by": received.expected_response_by,
    }


@router.post(
    "",
    response={201: PetitionCreatedOut, 422: ValidationErrorOut, 429: ErrorOut},
    url_name="petition_create",
    summary="File a petition",
    description=(
        "Stores the petition, then answers with its code and secret lookup key (shown only "
        "once). With an `Idempotency-Key` header (at most 100 characters), a retry with the "
        "same key and the same body gets the first answer and creates nothing; the same key "
        "with another body answers 422. More than `PETITION_RATE_LIMIT` filings from one "
        "client address answer 429."
    ),
)
def petition_create(request: HttpRequest, payload: PetitionIn) -> Any:
    if intake_limited(request):
        return Status(429, {"detail": intake_limited_message()})
    idempotency_key = request.headers.get(IDEMPOTENCY_HEADER)
    if idempotency_key is not None and not (
        0 < len(idempotency_key) <= IDEMPOTENCY_KEY_MAX_LENGTH and idempotency_key.isprintable()
    ):
        return _invalid(
            [
                (
                    IDEMPOTENCY_HEADER,
                    gettext("The Idempotency-Key must have 1 to %(max)d characters.")
                    % {"max": IDEMPOTENCY_KEY_MAX_LENGTH},
                )
            ]
        )

    def receive() -> services.ReceivedPetition:
        return services.petition_receive(
            kind=payload.kind,
            channel=Channel.API,
            title=payload.title,
            content=payload.content,
            commune_code=payload.commune_code,
            address=payload.address,
            petitioners=[services.PetitionerInput(**p.model_dump()) for p in payload.petitioners],
            people_count=payload.people_count,
            is_signed=payload.is_signed,
            is_anonymous=payload.is_anonymous,
            field=payload.field,
            category=payload.category,
            latitude=payload.latitude,
            longitude=payload.longitude,
            actor=request.user,
        )

    try:
        if idempotency_key is None:
            received = receive()
        else:
            received, _replayed = services.petition_receive_idempotent(
                idempotency_key=idempotency_key,
                request_hash=hashlib.sha256(request.body).hexdigest(),
                receive=receive,
            )
    except DjangoValidationError as error:
        return _invalid(
            [
                (field, str(message))
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        )
    except services.IdempotencyKeyReused as error:
        return _invalid([(IDEMPOTENCY_HEADER, error.message)])
    return Status(201, _created(received))


@router.get(
    "/{code}",
    response={200: PetitionPublicOut, 404: ErrorOut},
    url_name="petition_detail",
    summary="Look up a petition with its code and key",
    description="A wrong key answers exactly like an unknown code (404).",
)
def petition_detail(request: HttpRequest, code: str, key: str = "") -> Any:
    petition = selectors.petition_get_for_citizen(code=code, key=key)
    if petition is None:
        return Status(404, {"detail": gettext("No petition matches this code and lookup key.")})
    status = PetitionStatus(petition.status)
    kind = PetitionKind(petition.kind)
    return {
        "code": petition.code,
        "kind": kind,
        "kind_label": str(kind.label),
        "status": status,
        "status_label": str(status.label),
        "received_at": petition.received_at,
        "expected_response_by": petition.expected_response_by,
        "history": [
            {
                "action": event.action,
                "action_label": str(Action(event.action).label),
                "status": event.to_status,
                "status_label": str(PetitionStatus(event.to_status).label),
                "occurred_at": event.occurred_at,
                "note": event.note,
            }
            for event in selectors.petition_public_history(petition)
        ],
    }


class RatingIn(Schema):
    """The citizen's rating of the answer, with the lookup key."""

    key: str
    score: int = Field(description="1 (very dissatisfied) to 5 (very satisfied).")
    comment: str = ""
    reopen_requested: bool = False


class RatingOut(Schema):
    """A recorded rating."""

    score: int
    reopen_requested: bool
    created_at: datetime.datetime


@router.post(
    "/{code}/rating",
    response={201: RatingOut, 404: ErrorOut, 422: ValidationErrorOut},
    url_name="petition_rating",
    summary="Rate the answer to a closed petition",
    description=(
        "Only once the petition is closed, and once per closing. A wrong key answers exactly "
        "like an unknown code (404)."
    ),
)
def petition_rating(request: HttpRequest, code: str, payload: RatingIn) -> Any:
    petition = selectors.petition_get_for_citizen(code=code, key=payload.key)
    if petition is None:
        return Status(404, {"detail": gettext("No petition matches this code and lookup key.")})
    try:
        rating = ratings.petition_rate(
            petition=petition,
            score=payload.score,
            comment=payload.comment,
            reopen_requested=payload.reopen_requested,
        )
    except DjangoValidationError as error:
        return _invalid(
            [
                (field, str(message))
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        )
    return Status(
        201,
        {
            "score": rating.score,
            "reopen_requested": rating.reopen_requested,
            "created_at": rating.created_at,
        },
    )
