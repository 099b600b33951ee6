"""The dashboard's period from one index, the inbox by category, the search by words.

- `petition_org_received_idx` (organization, received_at) is built again
  with `INCLUDE` of every other column the dashboard reads
  (`reports.dashboard_figures`): the petitions of a period in the bodies a
  user reads are counted from the index alone (an index-only scan of one
  range per body), without reading the table. It serves what it served
  before. The model keeps the plain index (SQLite has no `INCLUDE`), so
  `makemigrations` stays clean on both databases.
- `petition_search_words_idx`: a GIN index of the words of `search_text`
  (split on anything but `a-z` and `0-9`, as `selectors.SEARCH_WORD_SEPARATORS`),
  which finds the petitions holding every word of a query, such as a
  person's name, by reading a few posting lists.
- `petition_category_received_idx` (category, received_at), on both
  databases: the inbox filtered by a category and read newest first walks
  that category's petitions only (it walked every petition's
  `received_at` before, and at a million petitions read 124,486 rows to
  find 26 of the category, docs/benchmarks.md).
- `petition_search_trgm_idx` (0005), the trigram index the search used
  before it matched whole words, is dropped: nothing uses it any more, and
  every intake paid for it.

Only the category index is built on SQLite. The indexes are built in the
migration's transaction, which holds writes to the petitions meanwhile (about two
minutes at a million petitions, docs/benchmarks.md). Reversing builds the
plain and the trigram indexes again.
"""

from typing import Any

from django.db import migrations, models

PERIOD_COLUMNS = (
    "kind, category, channel, status, clock_started_on, resolved_on, expected_response_by"
)
WORD_SEPARATORS = "[^a-z0-9]+"


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    schema_editor.execute("DROP INDEX IF EXISTS petition_org_received_idx")
    schema_editor.execute(
        "CREATE INDEX petition_org_received_idx "
        f"ON petitions_petition (organization_id, received_at) INCLUDE ({PERIOD_COLUMNS})"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS petition_search_words_idx ON petitions_petition "
        f"USING gin (regexp_split_to_array(search_text, '{WORD_SEPARATORS}'))"
    )
    schema_editor.execute("DROP INDEX IF EXISTS petition_search_trgm_idx")


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS petition_search_trgm_idx "
        "ON petitions_petition USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS petition_search_words_idx")
    schema_editor.execute("DROP INDEX IF EXISTS petition_org_received_idx")
    schema_editor.execute(
        "CREATE INDEX petition_org_received_idx "
        "ON petitions_petition (organization_id, received_at)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0009_drop_petitioner_name_trigram_index"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(
                fields=["category", "received_at"], name="petition_category_received_idx"
            ),
        ),
    ]
