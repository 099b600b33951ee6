"""The Art. 28(1) result-notice date of a visit; a trigram index for the log's search.

On PostgreSQL only, a trigram GIN index on `reception_visit.search_text`
serves the log search (`search_text__contains`, a `LIKE '%…%'`), as
petitions migration 0005 does for petitions (the `pg_trgm` extension is
created there). Not in the model state, so `makemigrations` stays clean on
both databases; nothing is done on SQLite.
"""

from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


def create_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS visit_search_trgm_idx "
        "ON reception_visit USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS visit_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("reception", "0002_duty_rules"),
        ("petitions", "0005_petition_inbox_and_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="result_notice_due",
            field=models.DateField(blank=True, null=True, verbose_name="result notice due"),
        ),
        TrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
