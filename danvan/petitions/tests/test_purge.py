"""`purge_idempotency_records`: old first answers go, recent ones stay."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from danvan.petitions.models import IdempotencyRecord

pytestmark = pytest.mark.django_db


def _record(key: str, age_days: int) -> None:
    IdempotencyRecord.objects.create(
        key=key,
        scope="petitions.create",
        request_hash="0" * 64,
        response_status=201,
        created_at=timezone.now() - datetime.timedelta(days=age_days),
    )


def test_records_older_than_the_window_are_deleted() -> None:
    _record("old", 8)
    _record("recent", 6)
    call_command("purge_idempotency_records", verbosity=0)
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent"]
    call_command("purge_idempotency_records", "--days", "1", verbosity=0)
    assert not IdempotencyRecord.objects.exists()


def test_a_window_under_one_day_is_refused() -> None:
    _record("recent", 0)
    with pytest.raises(CommandError):
        call_command("purge_idempotency_records", "--days", "0")
    assert IdempotencyRecord.objects.count() == 1
