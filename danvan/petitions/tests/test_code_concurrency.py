"""Concurrent intake gets distinct, gapless codes (PostgreSQL, real transactions).

Not a `transaction=True` test: that would flush the units loaded once for
the session. The threads work on the code sequence of a year no other test
uses, each in its own connection (outside the test's transaction) and its
own transactions, and a thread removes the row at the end.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from danvan.petitions.models import PetitionCodeSequence
from danvan.petitions.services import _issue_code

YEAR = 2099
THREADS = 8
CODES_PER_THREAD = 25


def _issue_many(_index: int) -> list[str]:
    codes = []
    try:
        for _ in range(CODES_PER_THREAD):
            with transaction.atomic():
                codes.append(_issue_code(YEAR))
    finally:
        connections.close_all()
    return codes


def _forget_year() -> None:
    try:
        PetitionCodeSequence.objects.filter(year=YEAR).delete()
    finally:
        connections.close_all()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serializes writers; the race needs PostgreSQL",
)
@pytest.mark.django_db
def test_concurrent_issue_gives_distinct_gapless_codes() -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_forget_year).result()
    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            batches = list(pool.map(_issue_many, range(THREADS)))
        codes = [code for batch in batches for code in batch]
        expected = {f"PA-{YEAR}-{n:06d}" for n in range(1, THREADS * CODES_PER_THREAD + 1)}
        assert len(codes) == len(set(codes)) == THREADS * CODES_PER_THREAD
        assert set(codes) == expected
        assert PetitionCodeSequence.objects.get(year=YEAR).last_number == len(codes)
    finally:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(_forget_year).result()
