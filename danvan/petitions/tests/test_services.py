"""Intake: `petition_receive` and `petition_receive_mixed`."""

import datetime
import re
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError

from danvan.core.models import AuditEvent
from danvan.petitions import keys, selectors, services
from danvan.petitions.models import CaseEvent, Channel, Petition, Petitioner
from danvan.petitions.services import PetitionerInput, PetitionPart
from danvan.petitions.tests.conftest import COMMUNE, translated
from danvan.petitions.workflow import PetitionKind, Status

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
PERSON = PetitionerInput(
    name="Nguyễn Văn An",
    identity_number="082123456789",
    phone="0912 345 678",
    email="an@example.vn",
    address="12 Lê Lợi",
)


def _receive(**overrides: object) -> services.ReceivedPetition:
    fields: dict[str, object] = {
        "kind": PetitionKind.FEEDBACK,
        "channel": Channel.PORTAL,
        "title": "Đường ngập nước",
        "content": "Đường Lê Lợi ngập sau mỗi trận mưa.",
        "commune_code": COMMUNE,
        "petitioners": [PERSON],
    }
    fields.update(overrides)
    return services.petition_receive(**fields)  # type: ignore[arg-type]


def _errors(**overrides: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        _receive(**overrides)
    return caught.value.message_dict


def test_intake_stores_petition_petitioners_case_event_and_audit_event() -> None:
    received = _receive()

    petition = Petition.objects.get(code=received.code)
    assert petition.status == Status.RECEIVED
    assert petition.commune_id == COMMUNE
    assert petition.channel == Channel.PORTAL
    person = Petitioner.objects.get(petition=petition)
    assert (person.name, person.phone) == ("Nguyễn Văn An", "0912345678")
    event = CaseEvent.objects.get(petition=petition)
    assert (event.action, event.to_status, event.is_public) == ("receive", "received", True)
    audit = AuditEvent.objects.get(action="petition.receive", target_id=str(petition.pk))
    assert audit.data["code"] == received.code
    assert audit.data["petitioner_count"] == 1
    flat = repr(audit.data) + audit.target_repr
    for personal in ("Nguyễn", "082123456789", "0912", "an@example.vn", "Lê Lợi"):
        assert personal not in flat


def test_lookup_key_is_stored_only_as_a_hash() -> None:
    received = _receive()

    petition = Petition.objects.get(code=received.code)
    assert received.lookup_key not in petition.lookup_key_hash
    assert keys.lookup_key_matches(received.lookup_key, petition.lookup_key_hash)


def test_codes_are_sequential_per_year() -> None:
    with time_machine.travel(datetime.datetime(2026, 12, 31, 10, tzinfo=TZ), tick=False):
        first, second = _receive(), _receive()
    with time_machine.travel(datetime.datetime(2027, 1, 2, 10, tzinfo=TZ), tick=False):
        third = _receive()

    assert re.fullmatch(r"PA-2026-\d{6}", first.code)
    assert int(second.code[-6:]) == int(first.code[-6:]) + 1
    assert third.code == "PA-2027-000001"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # Monday 2026-08-03: 5 working days (local default) → Monday 10.
        (PetitionKind.FEEDBACK, datetime.date(2026, 8, 10)),
        (PetitionKind.RECOMMENDATION, datetime.date(2026, 8, 10)),
        # Complaint acceptance from 2026-07-01: 7 working days → Wednesday 12.
        (PetitionKind.COMPLAINT, datetime.date(2026, 8, 12)),
        # Denunciation initial processing: 7 working days.
        (PetitionKind.DENUNCIATION, datetime.date(2026, 8, 12)),
    ],
)
def test_expected_response_date_follows_the_rule_of_the_kind(
    kind: PetitionKind, expected: datetime.date
) -> None:
    with time_machine.travel(datetime.datetime(2026, 8, 3, 9, tzinfo=TZ), tick=False):
        received = _receive(kind=kind)

    assert received.expected_response_by == expected


def test_too_long_title_is_refused_with_its_length() -> None:
    errors = _errors(title="x" * 256)

    assert errors == {
        "title": [
            translated(
                "Too long: at most %(max)d characters (%(length)d given).", max=255, length=256
            )
        ]
    }


def test_unknown_commune_is_refused() -> None:
    errors = _errors(commune_code=99999999)

    assert errors["commune_code"] == [
        translated("No current commune has the code %(code)s.", code=99999999)
    ]


def test_empty_content_is_refused() -> None:
    assert _errors(content="   ")["content"] == [translated("This field is required.")]


def test_people_count_below_one_is_refused() -> None:
    assert _errors(people_count=0)["people_count"] == [
        translated("The number of people must be at least 1.")
    ]


def test_anonymous_petition_with_petitioners_is_refused() -> None:
    assert _errors(is_anonymous=True)["petitioners"] == [
        translated("An anonymous petition has no petitioners: remove them or sign it.")
    ]


def test_named_petition_without_petitioner_is_refused() -> None:
    assert _errors(petitioners=[])["petitioners"] == [
        translated("Give at least one petitioner, or send the petition anonymously.")
    ]


def test_bad_email_and_phone_are_refused_per_petitioner() -> None:
    errors = _errors(petitioners=[PetitionerInput(name="An", email="not-mail", phone="12ab")])

    assert errors == {
        "petitioners[0].email": [translated("Enter a valid email address.")],
        "petitioners[0].phone": [translated("Enter a phone number of 8 to 15 digits.")],
    }


def test_anonymous_petition_without_petitioners_is_received() -> None:
    received = _receive(is_anonymous=True, petitioners=[], kind=PetitionKind.DENUNCIATION)

    petition = Petition.objects.get(code=received.code)
    assert petition.is_anonymous
    assert not petition.petitioners.exists()


def test_mixed_petition_is_split_into_linked_petitions() -> None:
    parts = [
        PetitionPart(kind=PetitionKind.COMPLAINT, title="Quyết định thu hồi đất", content="…"),
        PetitionPart(kind=PetitionKind.DENUNCIATION, title="Cán bộ nhận tiền", content="…"),
        PetitionPart(kind=PetitionKind.RECOMMENDATION, title="Làm đường", content="…"),
    ]

    received = services.petition_receive_mixed(
        parts=parts, channel=Channel.PAPER, commune_code=COMMUNE, petitioners=[PERSON]
    )

    first, *others = (Petition.objects.get(code=r.code) for r in received)
    assert [p.kind for p in [first, *others]] == ["complaint", "denunciation", "recommendation"]
    assert first.parent is None
    assert all(p.parent == first for p in others)
    assert Petitioner.objects.filter(petition__in=[first, *others]).count() == 3
    assert len({r.code for r in received}) == 3
    assert selectors.petition_get_for_citizen(code=received[1].code, key=received[0].lookup_key)


def test_mixed_petition_reports_errors_per_part_and_stores_nothing() -> None:
    parts = [
        PetitionPart(kind=PetitionKind.COMPLAINT, title="Đúng", content="…"),
        PetitionPart(kind=PetitionKind.DENUNCIATION, title="", content="…"),
    ]

    with pytest.raises(ValidationError) as caught:
        services.petition_receive_mixed(
            parts=parts, channel=Channel.PAPER, commune_code=COMMUNE, petitioners=[PERSON]
        )

    assert caught.value.message_dict == {"parts[1].title": [translated("This field is required.")]}
    assert not Petition.objects.exists()


def test_failure_midway_leaves_no_petition() -> None:
    with (
        mock.patch.object(CaseEvent.objects, "create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError, match="disk full"),
    ):
        _receive()

    assert not Petition.objects.exists()
    assert not Petitioner.objects.exists()
    assert not AuditEvent.objects.filter(action="petition.receive").exists()


def test_case_events_cannot_be_changed_or_deleted() -> None:
    received = _receive()
    event = CaseEvent.objects.get(petition__code=received.code)

    with pytest.raises(CaseEvent.ImmutableError):
        event.save()
    with pytest.raises(CaseEvent.ImmutableError):
        event.delete()
    with pytest.raises(CaseEvent.ImmutableError):
        CaseEvent.objects.filter(pk=event.pk).update(note="x")


def test_database_refuses_to_update_a_case_event() -> None:
    from django.db import DatabaseError, IntegrityError, connection, transaction

    received = _receive()
    event = CaseEvent.objects.get(petition__code=received.code)
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE petitions_caseevent SET note = %s WHERE id = %s", ["forged", event.pk]
        )
    assert CaseEvent.objects.get(pk=event.pk).note == ""


def test_wrong_key_and_unknown_code_both_find_nothing() -> None:
    received = _receive()

    assert selectors.petition_get_for_citizen(code=received.code, key="wrong") is None
    assert selectors.petition_get_for_citizen(code="PA-2026-999999", key="x") is None
    found = selectors.petition_get_for_citizen(code=received.code.lower(), key=received.lookup_key)
    assert found is not None
    assert found.code == received.code
