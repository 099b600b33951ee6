"""Cluster services: validation, writes and audit events."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from danvan.core.models import AuditEvent, User
from danvan.geo.models import Cluster
from danvan.geo.services import cluster_create, cluster_delete, cluster_update

pytestmark = pytest.mark.django_db

JULY_2025 = datetime.date(2025, 7, 1)
JUNE_2025 = datetime.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Read messages in English (the msgids); one test checks the Vietnamese."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_superuser("geo-admin", "geo@example.org", "pw")


def _create(actor: User, **overrides: Any) -> Cluster:
    fields = {
        "code": "dbscl",
        "name": "Cụm Đồng bằng sông Cửu Long",
        "valid_from": JULY_2025,
        "valid_to": None,
        "province_codes": [82, 86, 91, 92, 96, 80],
    }
    fields.update(overrides)
    return cluster_create(actor=actor, **fields)


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_create_cluster_of_current_provinces_writes_audit_event(admin: User) -> None:
    cluster = _create(admin)

    assert sorted(cluster.provinces.values_list("code", flat=True)) == [80, 82, 86, 91, 92, 96]
    assert not cluster.legacy_provinces.exists()
    event = AuditEvent.objects.get(action="cluster.create")
    assert event.actor == admin
    assert event.target_id == str(cluster.pk)
    assert event.data["provinces"] == [80, 82, 86, 91, 92, 96]
    assert event.data["valid_from"] == "2025-07-01"


def test_create_cluster_of_legacy_provinces_until_reform(admin: User) -> None:
    cluster = _create(
        admin,
        code="dbscl-2020",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=JUNE_2025,
        province_codes=[],
        legacy_province_codes=[80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96],
    )

    assert cluster.legacy_provinces.count() == 13
    assert AuditEvent.objects.get(action="cluster.create").data["legacy_provinces"][0] == 80


def test_cluster_cannot_mix_current_and_legacy_provinces(admin: User) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(admin, legacy_province_codes=[87])

    assert _messages(exc) == {
        "legacy_provinces": [
            "A cluster groups either current provinces or legacy provinces, not both."
        ]
    }
    assert not Cluster.objects.exists()
    assert not AuditEvent.objects.filter(action="cluster.create").exists()


def test_cluster_needs_at_least_one_province(admin: User) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(admin, province_codes=[])

    assert _messages(exc) == {"provinces": ["Choose at least one province."]}


def test_end_date_cannot_precede_start_date(admin: User) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(admin, valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2025, 12, 31))

    assert _messages(exc) == {"valid_to": ["The end date cannot be before the start date."]}


def test_messages_are_vietnamese_in_a_vietnamese_request(admin: User) -> None:
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        _create(admin, valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2025, 12, 31))

    assert _messages(exc) == {"valid_to": ["Ngày kết thúc không được trước ngày bắt đầu."]}


def test_cluster_of_current_provinces_cannot_start_before_reform(admin: User) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(admin, valid_from=JUNE_2025)

    assert _messages(exc) == {
        "valid_from": [
            "A cluster of current provinces cannot start before 1 July 2025, "
            "when they came into force."
        ]
    }


@pytest.mark.parametrize("valid_to", [None, JULY_2025])
def test_cluster_of_legacy_provinces_must_end_by_reform(
    admin: User, valid_to: datetime.date | None
) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(
            admin,
            valid_from=None,
            valid_to=valid_to,
            province_codes=[],
            legacy_province_codes=[82, 87],
        )

    assert _messages(exc) == {
        "valid_to": [
            "A cluster of legacy provinces must end by 30 June 2025, when they were abolished."
        ]
    }


def test_unknown_province_codes_are_named(admin: User) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(admin, province_codes=[82, 99, 98])

    assert _messages(exc) == {"provinces": ["Unknown province codes: 98, 99."]}


def test_unknown_legacy_province_codes_are_named(admin: User) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(admin, province_codes=[], valid_to=JUNE_2025, legacy_province_codes=[1, 3])

    assert _messages(exc)["legacy_provinces"] == ["Unknown legacy province codes: 3."]


def test_code_must_be_a_unique_slug(admin: User) -> None:
    _create(admin)
    with pytest.raises(ValidationError) as exc:
        _create(admin)
    assert _messages(exc) == {"code": ["Cluster with this Code already exists."]}

    with pytest.raises(ValidationError) as exc:
        _create(admin, code="not a slug")
    assert list(_messages(exc)) == ["code"]


def test_update_replaces_fields_and_provinces_and_audits_the_changes(admin: User) -> None:
    cluster = _create(admin)

    updated = cluster_update(
        actor=admin,
        cluster=cluster,
        code="dbscl",
        name="Cụm ĐBSCL",
        description="Năm tỉnh, thành phố và Tây Ninh.",
        valid_from=JULY_2025,
        valid_to=datetime.date(2030, 12, 31),
        province_codes=[82, 86],
    )

    assert updated.name == "Cụm ĐBSCL"
    assert sorted(updated.provinces.values_list("code", flat=True)) == [82, 86]
    event = AuditEvent.objects.get(action="cluster.update")
    assert event.data == {
        "name": ["Cụm Đồng bằng sông Cửu Long", "Cụm ĐBSCL"],
        "description": ["", "Năm tỉnh, thành phố và Tây Ninh."],
        "valid_to": [None, "2030-12-31"],
        "provinces": [[80, 82, 86, 91, 92, 96], [82, 86]],
    }


def test_update_validates_like_create_and_keeps_the_cluster(admin: User) -> None:
    cluster = _create(admin)

    with pytest.raises(ValidationError) as exc:
        cluster_update(
            actor=admin,
            cluster=cluster,
            code="dbscl",
            name="X",
            valid_from=JULY_2025,
            valid_to=None,
            province_codes=[82],
            legacy_province_codes=[82],
        )

    assert "legacy_provinces" in _messages(exc)
    cluster.refresh_from_db()
    assert cluster.name == "Cụm Đồng bằng sông Cửu Long"
    assert cluster.provinces.count() == 6


def test_delete_audits_what_the_cluster_was(admin: User) -> None:
    cluster = _create(admin)
    pk = cluster.pk

    cluster_delete(actor=admin, cluster=cluster)

    assert not Cluster.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="cluster.delete")
    assert event.target_id == str(pk)
    assert event.data["provinces"] == [80, 82, 86, 91, 92, 96]
