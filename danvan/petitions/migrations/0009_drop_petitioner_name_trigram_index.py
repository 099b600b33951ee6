"""Drop the trigram index on `Petitioner.name_folded` (PostgreSQL only).

Since 0007 the inbox search matches names through `Petition.search_text`
(never a denouncer's); nothing searches `name_folded` any more, and the GIN
index only cost every intake an update. Reversing builds it again.
"""

from typing import Any

from django.db import migrations


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS petitioner_name_trgm_idx")


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS petitioner_name_trgm_idx "
            "ON petitions_petitioner USING gin (name_folded gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("petitions", "0008_petition_open_and_pending_due_indexes")]

    operations = [migrations.RunPython(drop, create)]
