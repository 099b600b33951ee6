"""Migration 0010: the covering period index and the words index, on PostgreSQL only."""

import importlib
from typing import Any

import pytest
from django.db import connection

from danvan.petitions import selectors

pytestmark = pytest.mark.django_db

migration: Any = importlib.import_module(
    "danvan.petitions.migrations.0010_period_index_and_search_words"
)


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'petitions_petition'"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = 'petitions_petition'"
            )
        return {name: definition or "" for name, definition in cursor.fetchall()}


def test_the_index_matches_what_the_search_asks() -> None:
    assert migration.WORD_SEPARATORS == selectors.SEARCH_WORD_SEPARATORS


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only")
def test_sqlite_keeps_the_plain_index_of_the_model() -> None:
    indexes = _indexes()
    assert "petition_org_received_idx" in indexes
    assert not any("words" in name or "trgm" in name for name in indexes)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_indexes_forward_and_back() -> None:
    def check_forward() -> None:
        indexes = _indexes()
        period = indexes["petition_org_received_idx"]
        assert "(organization_id, received_at) INCLUDE (" in period
        for column in migration.PERIOD_COLUMNS.split(", "):
            assert column in period
        words = indexes["petition_search_words_idx"]
        assert "USING gin (regexp_split_to_array(search_text" in words
        assert selectors.SEARCH_WORD_SEPARATORS in words
        assert "petition_search_trgm_idx" not in indexes

    check_forward()
    with connection.schema_editor() as editor:
        migration.backward(None, editor)
    indexes = _indexes()
    assert "INCLUDE" not in indexes["petition_org_received_idx"]
    assert "gin_trgm_ops" in indexes["petition_search_trgm_idx"]
    assert "petition_search_words_idx" not in indexes
    with connection.schema_editor() as editor:
        migration.forward(None, editor)
    check_forward()
