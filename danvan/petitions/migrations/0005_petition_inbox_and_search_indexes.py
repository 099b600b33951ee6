"""Indexes for the inbox and its search at a million petitions (issue 3).

- `petition_due_idx` (due date, id): the inbox's default sort is read in
  index order and stops after one page, whatever organizations are visible.
- `petition_open_due_idx`: the open petitions of an organization by due
  date (a partial index: a small part of the table).
- On PostgreSQL only: the `pg_trgm` extension and trigram GIN indexes on
  `Petition.search_text` and `Petitioner.name_folded`, which serve the
  inbox search (`search_text__contains`, a `LIKE '%…%'`). Nothing is done on
  SQLite. `CREATE EXTENSION pg_trgm` needs a superuser (or, from PostgreSQL
  13, a database owner: pg_trgm is a trusted extension); where the role
  cannot, create the extension once by hand before migrating. The trigram
  indexes are not in the model state (the model has no PostgreSQL-only
  index), so `makemigrations` stays clean on both databases.
"""

from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

OPEN_STATUSES = [
    "received",
    "awaiting_information",
    "classified",
    "accepted",
    "verifying",
    "dialogue",
    "suspended",
    "decided",
    "notified",
]

TRIGRAM_INDEXES = [
    ("petition_search_trgm_idx", "petitions_petition", "search_text"),
    ("petitioner_name_trgm_idx", "petitions_petitioner", "name_folded"),
]


def create_trigram_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0004_petition_routing_assignment_attachments"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["expected_response_by", "id"], name="petition_due_idx"),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(
                condition=models.Q(status__in=OPEN_STATUSES),
                fields=["organization", "expected_response_by", "id"],
                name="petition_open_due_idx",
            ),
        ),
        # A no-op on other databases than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
