"""Services that change petitions: intake (this step), then the workflow.

Intake stores the petition, its petitioners (the identity, stored apart),
the case event and the audit event in one transaction, and only then are
the code and the lookup key given out: a caller answers after the commit.
"""

import datetime
import re
import time
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, models, transaction
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext

from danvan.core.audit import Actor, audit_event_new, audit_record
from danvan.core.models import AuditEvent
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
    Petitioner,
)
from danvan.petitions.notifications import citizen_notify_on_commit, receipt_key_stash
from danvan.petitions.routing import routing_suggest
from danvan.petitions.workflow import INITIAL_STATUS, Action, PetitionKind, Status

IDEMPOTENCY_SCOPE_CREATE = "petitions.create"

#: True while `petition_receive_idempotent` runs its `receive`: any failure of
#: intake there fails that whole transaction, so intake takes no savepoint
#: of its own (two statements fewer).
_WHOLE_TRANSACTION: ContextVar[bool] = ContextVar("intake_whole_transaction", default=False)


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


def _search_tail(*, title: str, content: str, kind: str, names: Sequence[str]) -> str:
    """Return `petition_search_text` without its head, the folded code.

    The code has no space and folds to itself lower-cased, so the search
    text is `f"{code.lower()} {tail}"`; intake writes it with the code.
    """
    searchable_names = [] if kind == PetitionKind.DENUNCIATION else list(names)
    return " ".join(fold(" ".join([title, content, *searchable_names])).split())


#: Communes found at intake in this process: code → (monotonic expiry,
#: commune). Units change about once in a decade (`load_units`); a save or a
#: delete clears it here (`communes_cache_clear`), and other processes see a
#: change within `_COMMUNE_CACHE_SECONDS`. Only communes that exist are kept.
_COMMUNES: dict[int, tuple[float, Commune]] = {}
_COMMUNE_CACHE_SECONDS: Final = 60.0
_COMMUNE_CACHE_MAX: Final = 10_000


def communes_cache_clear(**_kwargs: Any) -> None:
    """Forget the communes looked up so far (a unit changed)."""
    _COMMUNES.clear()


def _commune(code: int) -> Commune | None:
    now = time.monotonic()
    cached = _COMMUNES.get(code)
    if cached is not None and cached[0] > now:
        return cached[1]
    commune = Commune.objects.filter(code=code).first()
    if commune is not None:
        if len(_COMMUNES) >= _COMMUNE_CACHE_MAX:
            _COMMUNES.clear()
        _COMMUNES[code] = (now + _COMMUNE_CACHE_SECONDS, commune)
    return commune


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


def _code(year: int, number: int) -> str:
    return f"PA-{year}-{number:06d}"


# The year's next number, under the row lock this takes (held until the
# commit); the year's row is made by its first petition.
_NEXT_NUMBER_SQL: Final = (
    "INSERT INTO petitions_petitioncodesequence (year, last_number) VALUES (%s, 1)"
    " ON CONFLICT (year) DO UPDATE"
    " SET last_number = petitions_petitioncodesequence.last_number + 1"
    " RETURNING last_number"
)
# With `_NEXT_NUMBER_SQL` as `number` (parameters: its year, then the year
# again): `year_number`, the code after its "PA-" as `_code` writes it.
_ISSUED_SQL: Final = (
    f"number AS ({_NEXT_NUMBER_SQL}), "  # noqa: S608 (constants only)
    "issued AS ("
    " SELECT %s::text || '-' ||"
    " lpad(last_number::text, greatest(6, length(last_number::text)), '0') AS year_number"
    " FROM number)"
)
# PostgreSQL: the number, then the code and the search text of a stored
# petition, in one statement (parameters: year, year, search tail, petition
# id). The search text starts with the code folded, as `petition_search_text`
# folds it: lower-cased.
_CODE_SQL: Final = (
    f"WITH {_ISSUED_SQL} "  # noqa: S608 (constants only)
    "UPDATE petitions_petition"
    " SET code = 'PA-' || year_number, search_text = 'pa-' || year_number || ' ' || %s"
    " FROM issued WHERE petitions_petition.id = %s"
    " RETURNING petitions_petition.code"
)


def _issue_code(year: int, *, petition: Petition | None = None, search_tail: str = "") -> str:
    """Return the next code of `year`, under a row lock held until commit.

    With `petition` (stored, under a placeholder code), also set its code
    and its search text (`search_tail` after the folded code, see
    `_search_tail`): on PostgreSQL in the same statement.
    """
    with connection.cursor() as cursor:
        if petition is not None and connection.vendor == "postgresql":
            cursor.execute(_CODE_SQL, [year, year, search_tail, petition.pk])
            row = cursor.fetchone()
            if row is None:
                raise Petition.DoesNotExist(f"No petition {petition.pk} to give a code.")
            return str(row[0])
        cursor.execute(_NEXT_NUMBER_SQL, [year])
        (number,) = cursor.fetchone()
    code = _code(year, number)
    if petition is not None:
        Petition.objects.filter(pk=petition.pk).update(
            code=code, search_text=f"{code.lower()} {search_tail}"
        )
    return code


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
    commune = _commune(commune_code)
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
    intake = _Intake(
        channel=Channel(channel),
        commune=commune,
        address=address,
        latitude=latitude,
        longitude=longitude,
        people_count=people_count,
        is_signed=is_signed,
        is_anonymous=is_anonymous,
        people=people,
        actor=actor,
        user=user_or_none(actor),
        received_at=received_at,
        received_on=timezone.localdate(received_at),
        lookup_key=keys.lookup_key_new(),
    )
    # Validated before the transaction: an invalid request writes nothing and
    # rolls nothing back. Inside a caller's transaction, a savepoint, unless
    # the caller fails as a whole with intake (`_WHOLE_TRANSACTION`).
    with transaction.atomic(savepoint=not _WHOLE_TRANSACTION.get()):
        if _in_one_statement(checked_parts, attachments):
            return [_store_one_postgresql(intake, checked_parts[0], organization)]
        return _store(intake, checked_parts, organization, attachments)


def _in_one_statement(parts: Sequence[PetitionPart], attachments: Sequence[Upload]) -> bool:
    """Whether `_store_one_postgresql` can store this intake (else `_store`)."""
    return connection.vendor == "postgresql" and len(parts) == 1 and not attachments


@dataclass(frozen=True, slots=True, kw_only=True)
class _Intake:
    """What every part of one intake shares, once validated."""

    channel: Channel
    commune: Commune
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    people_count: int
    is_signed: bool
    is_anonymous: bool
    people: list[PetitionerInput]
    actor: Actor
    user: Any
    received_at: datetime.datetime
    received_on: datetime.date
    lookup_key: str

    @property
    def has_email(self) -> bool:
        return not self.is_anonymous and any(person.email for person in self.people)

    @property
    def names(self) -> list[str]:
        return [person.name for person in self.people]


def _new_petition(
    intake: _Intake,
    part: PetitionPart,
    organization: Organization | None,
    *,
    key_hash: str,
    parent: Petition | None,
) -> Petition:
    kind = PetitionKind(part.kind)
    holder = organization or routing_suggest(
        kind=kind, category=part.category, commune=intake.commune
    )
    return Petition(
        code=_placeholder_code(),
        lookup_key_hash=key_hash,
        kind=kind,
        status=INITIAL_STATUS,
        channel=intake.channel,
        field=part.field,
        category=part.category,
        title=part.title,
        content=part.content,
        commune=intake.commune,
        address=intake.address,
        latitude=intake.latitude,
        longitude=intake.longitude,
        people_count=intake.people_count,
        is_signed=intake.is_signed,
        is_anonymous=intake.is_anonymous,
        received_at=intake.received_at,
        expected_response_by=expected_response_date(
            kind, intake.received_on, organization=holder, category=part.category, cached=True
        ),
        parent=parent,
        organization=holder,
    )


def _new_petitioners(intake: _Intake, petition: Petition) -> list[Petitioner]:
    return [
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
        for person in intake.people
    ]


def _record_receipt(
    intake: _Intake, petition: Petition, parent: Petition | None, *, petition_id: Any = None
) -> CaseEvent:
    """Write the public `receive` case event (its email queued for the commit).

    `petition_id`, when given, replaces the petition's own (an expression).
    """
    details: dict[str, Any] = {"channel": petition.channel}
    holder = petition.organization
    if holder is not None:
        details["routed_to"] = holder.code
        details["routed_to_name"] = holder.name
    if parent is not None:
        details["split_from"] = parent.code
    event = CaseEvent.objects.create(
        petition_id=petition.pk if petition_id is None else petition_id,
        action=Action.RECEIVE,
        from_status="",
        to_status=petition.status,
        actor=intake.user,
        occurred_at=intake.received_at,
        is_public=True,
        data=details,
    )
    if intake.has_email:
        receipt_key_stash(event, petition.kind, intake.lookup_key)
        citizen_notify_on_commit(event)
    return event


def _audit_data(intake: _Intake, petition: Petition, parent: Petition | None) -> dict[str, Any]:
    """The `petition.receive` audit event's data, but its code (no personal data)."""
    return {
        "kind": petition.kind,
        "channel": petition.channel,
        "commune": intake.commune.code,
        "people_count": intake.people_count,
        "is_signed": intake.is_signed,
        "is_anonymous": intake.is_anonymous,
        "petitioner_count": len(intake.people),
        "split_from": parent.code if parent is not None else None,
        "expected_response_by": (
            petition.expected_response_by.isoformat() if petition.expected_response_by else None
        ),
    }


def _received(intake: _Intake, petition: Petition) -> ReceivedPetition:
    return ReceivedPetition(
        code=petition.code,
        lookup_key=intake.lookup_key,
        status=Status(petition.status),
        received_at=intake.received_at,
        expected_response_by=petition.expected_response_by,
    )


def _store(
    intake: _Intake,
    parts: Sequence[PetitionPart],
    organization: Organization | None,
    attachments: Sequence[Upload],
) -> list[ReceivedPetition]:
    """Store the petitions through the ORM (SQLite; several parts; attachments)."""
    key_hash = keys.lookup_key_hash(intake.lookup_key)
    # First store everything that does not need the code; then issue the
    # codes, which locks the year's sequence row until the commit: the lock
    # is held for as short a time as possible (intake throughput).
    stored: list[Petition] = []
    for part in parts:
        petition = _new_petition(
            intake, part, organization, key_hash=key_hash, parent=stored[0] if stored else None
        )
        petition.save(force_insert=True)
        Petitioner.objects.bulk_create(_new_petitioners(intake, petition))
        stored.append(petition)
    if stored and attachments:
        # The documents belong to the first part; the others link to it.
        attachments_store(petition=stored[0], files=attachments, actor=intake.actor)

    parent: Petition | None = None
    results: list[ReceivedPetition] = []
    for petition in stored:
        _record_receipt(intake, petition, parent)
        # The code last: the year's sequence row stays locked from here to
        # the commit, for this statement and the audit event only.
        search_tail = _search_tail(
            title=petition.title, content=petition.content, kind=petition.kind, names=intake.names
        )
        petition.code = _issue_code(
            intake.received_on.year, petition=petition, search_tail=search_tail
        )
        petition.search_text = f"{petition.code.lower()} {search_tail}"
        audit_record(
            actor=intake.actor,
            action="petition.receive",
            target=petition,
            data={"code": petition.code, **_audit_data(intake, petition, parent)},
        )
        results.append(_received(intake, petition))
        if parent is None:
            parent = petition
    return results


def _insert_values(
    obj: models.Model, sql: dict[str, tuple[str, list[Any]]]
) -> tuple[str, str, list[Any]]:
    """Return the columns, the VALUES row and its parameters that insert `obj`.

    Each value as Django's own insert prepares it (`pre_save`, then
    `get_db_prep_save`), but the fields named in `sql`, given as SQL with
    its parameters. The primary key is left to the database unless set.
    """
    meta = obj._meta
    quote = connection.ops.quote_name
    columns: list[str] = []
    values: list[str] = []
    params: list[Any] = []
    for field in meta.local_concrete_fields:
        if field.generated or field.column is None:
            continue
        if field is meta.auto_field and obj.pk is None:
            continue
        columns.append(quote(field.column))
        if field.name in sql:
            expression, expression_params = sql[field.name]
            values.append(expression)
            params.extend(expression_params)
            continue
        value = field.pre_save(obj, add=True)
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"{meta.label}.{field.name}: an expression cannot be inserted here.")
        values.append("%s")
        params.append(field.get_db_prep_save(value, connection=connection))
    return ", ".join(columns), f"({', '.join(values)})", params


def _insert_sql(model: type[models.Model], columns: str, rows: Sequence[str]) -> str:
    """Return `INSERT INTO <model's table> (<columns>) VALUES <rows>`.

    Names come from the models and values are parameters: no input is
    pasted into the SQL.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join(rows)}"  # noqa: S608


#: A new petition's id, taken from the petitions' sequence (PostgreSQL).
_NEXT_PETITION_ID: Final = RawSQL(
    "nextval(pg_get_serial_sequence('petitions_petition', 'id'))",
    (),
    output_field=models.BigIntegerField(),
)
#: The code of the petition `_store_one_postgresql`'s statement inserts.
_PETITION_CODE: Final = "(SELECT code FROM petition)"


def _store_one_postgresql(
    intake: _Intake, part: PetitionPart, organization: Organization | None
) -> ReceivedPetition:
    """Store one petition: its case event, then everything else in one statement.

    The case event comes first, with the petition's id taken from the
    petitions' sequence (a foreign key is checked at the commit). Then one
    statement takes the year's number, locking its row until the commit,
    and inserts the petition with its code and its search text, its
    petitioners and its audit event: the lock is held for that statement
    and the commit only, the petition is written once, and intake costs
    two statements instead of seven. Every row is what `_store` writes.
    """
    petition = _new_petition(
        intake,
        part,
        organization,
        key_hash=keys.lookup_key_hash(intake.lookup_key),
        parent=None,
    )
    event = _record_receipt(intake, petition, None, petition_id=_NEXT_PETITION_ID)
    petition.pk = event.petition_id
    search_tail = _search_tail(
        title=petition.title, content=petition.content, kind=petition.kind, names=intake.names
    )
    petition_columns, petition_row, petition_params = _insert_values(
        petition,
        {
            "code": ("(SELECT 'PA-' || year_number FROM issued)", []),
            "search_text": (
                "(SELECT 'pa-' || year_number || ' ' || %s FROM issued)",
                [search_tail],
            ),
        },
    )
    petitioner_rows = [_insert_values(row, {}) for row in _new_petitioners(intake, petition)]
    audit = audit_event_new(actor=intake.actor, action="petition.receive", target=petition)
    audit_columns, audit_row, audit_params = _insert_values(
        audit,
        {
            "target_repr": (_PETITION_CODE, []),
            "data": (
                f"%s::jsonb || jsonb_build_object('code', {_PETITION_CODE})",
                [
                    AuditEvent._meta.get_field("data").get_db_prep_save(
                        _audit_data(intake, petition, None), connection=connection
                    )
                ],
            ),
        },
    )
    year = intake.received_on.year
    statements = [
        _ISSUED_SQL,
        f"petition AS ({_insert_sql(Petition, petition_columns, [petition_row])} RETURNING code)",
        f"audit AS ({_insert_sql(AuditEvent, audit_columns, [audit_row])})",
    ]
    params: list[Any] = [year, year, *petition_params, *audit_params]
    if petitioner_rows:
        rows = [row for _, row, _ in petitioner_rows]
        statements.append(
            f"petitioners AS ({_insert_sql(Petitioner, petitioner_rows[0][0], rows)})"
        )
        params.extend(param for _, _, row_params in petitioner_rows for param in row_params)
    with connection.cursor() as cursor:
        statement = f"WITH {', '.join(statements)} SELECT code FROM petition"  # noqa: S608
        cursor.execute(statement, params)
        (petition.code,) = cursor.fetchone()
    petition.search_text = f"{petition.code.lower()} {search_tail}"
    petition._state.adding = False
    petition._state.db = connection.alias
    return _received(intake, petition)


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
            whole = _WHOLE_TRANSACTION.set(True)
            try:
                received = receive()
            finally:
                _WHOLE_TRANSACTION.reset(whole)
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


post_save.connect(communes_cache_clear, sender=Commune, dispatch_uid="intake_commune_saved")
post_delete.connect(communes_cache_clear, sender=Commune, dispatch_uid="intake_commune_deleted")
