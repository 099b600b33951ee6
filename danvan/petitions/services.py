"""Services that change petitions: intake (this step), then the workflow.

Intake stores the petition, its petitioners (the identity, stored apart),
the case event and the audit event in one transaction, and only then are
the code and the lookup key given out: a caller answers after the commit.
"""

import datetime
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from danvan.core.audit import Actor, audit_record
from danvan.core.text import fold
from danvan.geo.models import Commune
from danvan.orgs.models import Organization
from danvan.petitions import keys
from danvan.petitions.actions import user_or_none
from danvan.petitions.attachments import Upload, attachments_check, attachments_store
from danvan.petitions.limits import expected_response_date
from danvan.petitions.models import (
    CONTENT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    CaseEvent,
    Channel,
    IdempotencyRecord,
    Petition,
    PetitionCodeSequence,
    Petitioner,
)
from danvan.petitions.notifications import citizen_notify_on_commit
from danvan.petitions.routing import routing_suggest
from danvan.petitions.workflow import INITIAL_STATUS, Action, PetitionKind, Status

IDEMPOTENCY_SCOPE_CREATE = "petitions.create"


_SHORT_MAX_LENGTH = 100
_TEXT_MAX_LENGTH = 255
_PHONE_DIGITS = re.compile(r"^\+?[0-9]{8,15}$")
_PHONE_SEPARATORS = re.compile(r"[\s.()-]")
_IDENTITY_NUMBER = re.compile(r"^[0-9A-Za-z]{6,20}$")

Errors = dict[str, list[str]]


@dataclass(frozen=True, slots=True, kw_only=True)
class PetitionerInput:
    """One petitioner as given at intake."""

    name: str
    identity_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    is_representative: bool = False
    protection_waived: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PetitionPart:
    """One part of a mixed petition: what becomes a petition of its own."""

    kind: PetitionKind
    title: str
    content: str
    field: str = ""
    category: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivedPetition:
    """What the citizen is told once the petition is stored.

    `lookup_key` is the plain secret key; it exists only here and is never
    stored as it is.
    """

    code: str
    lookup_key: str
    status: Status
    received_at: datetime.datetime
    expected_response_by: datetime.date | None


class IdempotencyKeyReused(Exception):
    """An `Idempotency-Key` already used for a request with another body."""

    def __init__(self) -> None:
        """Build the message in the active language."""
        self.message = gettext("This Idempotency-Key was already used for another request.")
        super().__init__(self.message)


def petition_search_text(
    *, code: str, title: str, content: str, kind: str, names: Sequence[str] = ()
) -> str:
    """Return what the inbox search matches, folded: code, title, content, names.

    The petitioners' names are searchable only where lists may show them:
    never for a denunciation (as `confidentiality.listed_name`), since a
    match would tell who denounced. One column keeps the search to one
    trigram index on PostgreSQL.
    """
    searchable_names = [] if kind == PetitionKind.DENUNCIATION else list(names)
    # Whitespace collapsed, as the search collapses the query's.
    return " ".join(fold(" ".join([code, title, content, *searchable_names])).split())


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_text(
    errors: Errors, field: str, value: str, max_length: int, *, required: bool = False
) -> str:
    value = value.strip()
    if required and not value:
        _add(errors, field, gettext("This field is required."))
    elif len(value) > max_length:
        _add(
            errors,
            field,
            gettext("Too long: at most %(max)d characters (%(length)d given).")
            % {"max": max_length, "length": len(value)},
        )
    return value


def _check_petitioner(errors: Errors, prefix: str, person: PetitionerInput) -> PetitionerInput:
    name = _check_text(errors, f"{prefix}.name", person.name, _TEXT_MAX_LENGTH, required=True)
    address = _check_text(errors, f"{prefix}.address", person.address, _TEXT_MAX_LENGTH)
    identity = person.identity_number.strip()
    if identity and not _IDENTITY_NUMBER.match(identity):
        _add(
            errors,
            f"{prefix}.identity_number",
            gettext("Enter an identity number of 6 to 20 letters or digits."),
        )
    phone = _PHONE_SEPARATORS.sub("", person.phone)
    if phone and not _PHONE_DIGITS.match(phone):
        _add(errors, f"{prefix}.phone", gettext("Enter a phone number of 8 to 15 digits."))
    email = person.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, f"{prefix}.email", gettext("Enter a valid email address."))
    return PetitionerInput(
        name=name,
        identity_number=identity,
        phone=phone,
        email=email,
        address=address,
        is_representative=person.is_representative,
        protection_waived=person.protection_waived,
    )


def _check_coordinate(
    errors: Errors, field: str, value: Decimal | None, limit: int
) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite() or not -limit <= value <= limit:
        _add(
            errors,
            field,
            gettext("Enter a number between %(min)d and %(max)d.") % {"min": -limit, "max": limit},
        )
        return None
    return value.quantize(Decimal("0.000001"))


def _placeholder_code() -> str:
    """A unique stand-in for the code until `_issue_code` gives the real one."""
    return f"~{uuid.uuid4().hex[:19]}"


def _issue_code(year: int) -> str:
    """Return the next code of `year`, under a row lock held until commit."""
    sequence, _created = PetitionCodeSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"PA-{year}-{sequence.last_number:06d}"


@transaction.atomic
def petition_receive_mixed(
    *,
    parts: Sequence[PetitionPart],
    channel: Channel,
    commune_code: int,
    petitioners: Sequence[PetitionerInput],
    address: str = "",
    people_count: int = 1,
    is_signed: bool = False,
    is_anonymous: bool = False,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    actor: Actor = None,
    attachments: Sequence[Upload] = (),
    organization: Organization | None = None,
) -> list[ReceivedPetition]:
    """Store a petition that mixes kinds as one petition per part, linked.

    Every part shares the petitioners, the place and the lookup key; each
    part after the first has the first as its `parent` (TT 05/2021: a
    petition with several contents is split). Errors on a part are reported
    under `parts[<index>].<field>`. Attachments go with the first part.
    `organization`, when given, holds every part (see `petition_receive`).
    """
    return _receive(
        parts=parts,
        part_prefix="parts[%d].",
        channel=channel,
        commune_code=commune_code,
        petitioners=petitioners,
        address=address,
        people_count=people_count,
        is_signed=is_signed,
        is_anonymous=is_anonymous,
        latitude=latitude,
        longitude=longitude,
        actor=actor,
        attachments=attachments,
        organization=organization,
    )


@transaction.atomic
def petition_receive(
    *,
    kind: PetitionKind,
    channel: Channel,
    title: str,
    content: str,
    commune_code: int,
    petitioners: Sequence[PetitionerInput],
    address: str = "",
    people_count: int = 1,
    is_signed: bool = False,
    is_anonymous: bool = False,
    field: str = "",
    category: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    actor: Actor = None,
    attachments: Sequence[Upload] = (),
    organization: Organization | None = None,
) -> ReceivedPetition:
    """Store a new petition and return its code and secret lookup key.

    Validate every field (raise `ValidationError` with a dict of field to
    messages, in the active language), store the petition and its
    petitioners, issue the code (`PA-<year>-<6 digits>`, numbered per year
    under a row lock) and a fresh lookup key (stored hashed), set
    `expected_response_by` (see `expected_response_date`), and write the
    public `receive` case event and the `petition.receive` audit event
    (without personal data). `attachments` are checked with the other
    fields and stored in the same transaction (`attachments.attachments_store`).
    The petition is held by `organization` when given (an officer who
    received it at their own desk), else by the body `routing_suggest`
    proposes; either way the handler may route it elsewhere.
    """
    (received,) = _receive(
        parts=[
            PetitionPart(kind=kind, title=title, content=content, field=field, category=category)
        ],
        part_prefix="",
        channel=channel,
        commune_code=commune_code,
        petitioners=petitioners,
        address=address,
        people_count=people_count,
        is_signed=is_signed,
        is_anonymous=is_anonymous,
        latitude=latitude,
        longitude=longitude,
        actor=actor,
        attachments=attachments,
        organization=organization,
    )
    return received


def _receive(
    *,
    parts: Sequence[PetitionPart],
    part_prefix: str,
    channel: Channel,
    commune_code: int,
    petitioners: Sequence[PetitionerInput],
    address: str,
    people_count: int,
    is_signed: bool,
    is_anonymous: bool,
    latitude: Decimal | None,
    longitude: Decimal | None,
    actor: Actor,
    attachments: Sequence[Upload] = (),
    organization: Organization | None = None,
) -> list[ReceivedPetition]:
    errors: Errors = {}
    if not parts:
        _add(errors, "parts", gettext("Give at least one part."))
    checked_parts: list[PetitionPart] = []
    for index, part in enumerate(parts):
        prefix = part_prefix % index if part_prefix else ""
        if part.kind not in PetitionKind.values:
            _add(
                errors,
                f"{prefix}kind",
                gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(PetitionKind)},
            )
        checked_parts.append(
            PetitionPart(
                kind=part.kind,
                title=_check_text(
                    errors, f"{prefix}title", part.title, TITLE_MAX_LENGTH, required=True
                ),
                content=_check_text(
                    errors, f"{prefix}content", part.content, CONTENT_MAX_LENGTH, required=True
                ),
                field=_check_text(errors, f"{prefix}field", part.field, _SHORT_MAX_LENGTH),
                category=_check_text(
                    errors, f"{prefix}category", part.category, _SHORT_MAX_LENGTH
                ),
            )
        )
    if channel not in Channel.values:
        _add(
            errors,
            "channel",
            gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(Channel)},
        )
    address = _check_text(errors, "address", address, _TEXT_MAX_LENGTH)
    commune = Commune.objects.filter(code=commune_code).first()
    if commune is None:
        _add(
            errors,
            "commune_code",
            gettext("No current commune has the code %(code)s.") % {"code": commune_code},
        )
    if people_count < 1:
        _add(errors, "people_count", gettext("The number of people must be at least 1."))
    latitude = _check_coordinate(errors, "latitude", latitude, 90)
    longitude = _check_coordinate(errors, "longitude", longitude, 180)
    if is_anonymous and petitioners:
        _add(
            errors,
            "petitioners",
            gettext("An anonymous petition has no petitioners: remove them or sign it."),
        )
    elif not is_anonymous and not petitioners:
        _add(
            errors,
            "petitioners",
            gettext("Give at least one petitioner, or send the petition anonymously."),
        )
    people = [
        _check_petitioner(errors, f"petitioners[{index}]", person)
        for index, person in enumerate(petitioners)
    ]
    try:
        attachments_check(attachments)
    except ValidationError as error:
        for message in error.message_dict.get("attachments", []):
            _add(errors, "attachments", message)
    if errors or commune is None:
        raise ValidationError(errors)

    received_at = timezone.now()
    received_on = timezone.localdate(received_at)
    lookup_key = keys.lookup_key_new()
    key_hash = keys.lookup_key_hash(lookup_key)
    user = user_or_none(actor)
    # First store everything that does not need the code; then issue the
    # codes, which locks the year's sequence row until the commit: the lock
    # is held for as short a time as possible (intake throughput).
    stored: list[Petition] = []
    for part in checked_parts:
        kind = PetitionKind(part.kind)
        holder = organization or routing_suggest(
            kind=kind, category=part.category, commune=commune
        )
        petition = Petition.objects.create(
            code=_placeholder_code(),
            lookup_key_hash=key_hash,
            kind=kind,
            status=INITIAL_STATUS,
            channel=Channel(channel),
            field=part.field,
            category=part.category,
            title=part.title,
            content=part.content,
            commune=commune,
            address=address,
            latitude=latitude,
            longitude=longitude,
            people_count=people_count,
            is_signed=is_signed,
            is_anonymous=is_anonymous,
            received_at=received_at,
            expected_response_by=expected_response_date(
                kind, received_on, organization=holder, category=part.category
            ),
            parent=stored[0] if stored else None,
            organization=holder,
        )
        Petitioner.objects.bulk_create(
            [
                Petitioner(
                    petition=petition,
                    name=person.name,
                    name_folded=fold(person.name),
                    identity_number=person.identity_number,
                    phone=person.phone,
                    email=person.email,
                    address=person.address,
                    is_representative=person.is_representative,
                    protection_waived=person.protection_waived,
                )
                for person in people
            ]
        )
        stored.append(petition)
    if stored and attachments:
        # The documents belong to the first part; the others link to it.
        attachments_store(petition=stored[0], files=attachments, actor=actor)

    has_email = not is_anonymous and any(person.email for person in people)
    parent: Petition | None = None
    results: list[ReceivedPetition] = []
    for petition in stored:
        petition.code = _issue_code(received_on.year)
        petition.search_text = petition_search_text(
            code=petition.code,
            title=petition.title,
            content=petition.content,
            kind=petition.kind,
            names=[person.name for person in people],
        )
        Petition.objects.filter(pk=petition.pk).update(
            code=petition.code, search_text=petition.search_text
        )
        details: dict[str, Any] = {"channel": petition.channel}
        holder = petition.organization
        if holder is not None:
            details["routed_to"] = holder.code
            details["routed_to_name"] = holder.name
        if parent is not None:
            details["split_from"] = parent.code
        event = CaseEvent.objects.create(
            petition=petition,
            action=Action.RECEIVE,
            from_status="",
            to_status=petition.status,
            actor=user,
            occurred_at=received_at,
            is_public=True,
            data=details,
        )
        if has_email:
            citizen_notify_on_commit(event)
        audit_record(
            actor=actor,
            action="petition.receive",
            target=petition,
            data={
                "code": petition.code,
                "kind": petition.kind,
                "channel": petition.channel,
                "commune": commune.code,
                "people_count": people_count,
                "is_signed": is_signed,
                "is_anonymous": is_anonymous,
                "petitioner_count": len(people),
                "split_from": parent.code if parent is not None else None,
                "expected_response_by": (
                    petition.expected_response_by.isoformat()
                    if petition.expected_response_by
                    else None
                ),
            },
        )
        results.append(
            ReceivedPetition(
                code=petition.code,
                lookup_key=lookup_key,
                status=Status(petition.status),
                received_at=received_at,
                expected_response_by=petition.expected_response_by,
            )
        )
        if parent is None:
            parent = petition
    return results


def _stored_answer(record: IdempotencyRecord, idempotency_key: str) -> ReceivedPetition:
    body = record.response_body
    expected = body["expected_response_by"]
    return ReceivedPetition(
        code=body["code"],
        lookup_key=keys.lookup_key_unmask(body["lookup_key_masked"], idempotency_key),
        status=Status(body["status"]),
        received_at=datetime.datetime.fromisoformat(body["received_at"]),
        expected_response_by=datetime.date.fromisoformat(expected) if expected else None,
    )


def _replay(idempotency_key: str, request_hash: str) -> ReceivedPetition | None:
    record = IdempotencyRecord.objects.filter(
        scope=IDEMPOTENCY_SCOPE_CREATE, key=keys.idempotency_key_digest(idempotency_key)
    ).first()
    if record is None:
        return None
    if record.request_hash != request_hash:
        raise IdempotencyKeyReused
    return _stored_answer(record, idempotency_key)


def petition_receive_idempotent(
    *,
    idempotency_key: str,
    request_hash: str,
    receive: Callable[[], ReceivedPetition],
) -> tuple[ReceivedPetition, bool]:
    """Run `receive` once per `Idempotency-Key`; return its answer and whether replayed.

    A retry with the same key and the same request (`request_hash`, the
    SHA-256 of its body) gets the first answer back and stores nothing; the
    same key with another request raises `IdempotencyKeyReused`. The record
    is stored in the transaction of the petition, so there is a record if
    and only if there is a petition. Not wrapped in one transaction on
    purpose: when two requests with the same key race, the second one's
    insert of the record fails, its transaction is rolled back, and the
    first one's committed answer is read and returned.
    """
    replayed = _replay(idempotency_key, request_hash)
    if replayed is not None:
        return replayed, True
    try:
        with transaction.atomic():
            received = receive()
            IdempotencyRecord.objects.create(
                scope=IDEMPOTENCY_SCOPE_CREATE,
                key=keys.idempotency_key_digest(idempotency_key),
                request_hash=request_hash,
                response_status=201,
                response_body={
                    "code": received.code,
                    "lookup_key_masked": keys.lookup_key_mask(
                        received.lookup_key, idempotency_key
                    ),
                    "status": received.status.value,
                    "received_at": received.received_at.isoformat(),
                    "expected_response_by": (
                        received.expected_response_by.isoformat()
                        if received.expected_response_by
                        else None
                    ),
                },
            )
    except IntegrityError:
        replayed = _replay(idempotency_key, request_hash)
        if replayed is None:
            raise
        return replayed, True
    return received, False
