"""Add the petitioners' names to the search column of existing petitions.

From this version the inbox search matches one column, `search_text`, which
holds the names too, except for denunciations (a match would tell who
denounced; decision 0009). `name_folded` already holds each name folded, so
the names are appended in SQL, in one statement. Reversing removes nothing:
the names are harmless in the column and rebuilt by the next forward run.
"""

from django.db import migrations

SQL_POSTGRESQL = """
UPDATE petitions_petition AS p
SET search_text = p.search_text || ' ' || n.names
FROM (
    SELECT petition_id, string_agg(name_folded, ' ' ORDER BY id) AS names
    FROM petitions_petitioner
    WHERE name_folded <> ''
    GROUP BY petition_id
) AS n
WHERE p.id = n.petition_id AND p.kind <> 'denunciation'
"""

SQL_OTHER = """
UPDATE petitions_petition
SET search_text = search_text || ' ' || (
    SELECT group_concat(name_folded, ' ')
    FROM petitions_petitioner
    WHERE petition_id = petitions_petition.id AND name_folded <> ''
)
WHERE kind <> 'denunciation'
AND EXISTS (
    SELECT 1 FROM petitions_petitioner
    WHERE petition_id = petitions_petition.id AND name_folded <> ''
)
"""


def append_names(connection):
    """Run the update on `connection` (also called by the tests)."""
    sql = SQL_POSTGRESQL if connection.vendor == "postgresql" else SQL_OTHER
    with connection.cursor() as cursor:
        cursor.execute(sql)


def add_names(apps, schema_editor):
    append_names(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0006_petition_especially_complex")]

    operations = [migrations.RunPython(add_names, migrations.RunPython.noop, elidable=True)]
