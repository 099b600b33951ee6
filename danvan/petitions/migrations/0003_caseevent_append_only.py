"""Make a petition's case events append-only in the database itself.

As for the audit trail (core 0002): UPDATE is refused on every backend,
DELETE on PostgreSQL (SQLite test runs empty tables with DELETE).
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER IF NOT EXISTS petitions_caseevent_no_update
BEFORE UPDATE ON petitions_caseevent
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS petitions_caseevent_no_update;"

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION petitions_caseevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'case events are append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS petitions_caseevent_no_change ON petitions_caseevent;
CREATE TRIGGER petitions_caseevent_no_change
BEFORE UPDATE OR DELETE ON petitions_caseevent
FOR EACH ROW EXECUTE FUNCTION petitions_caseevent_refuse_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS petitions_caseevent_no_change ON petitions_caseevent;
DROP FUNCTION IF EXISTS petitions_caseevent_refuse_change();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0002_petition_add_clock_fields")]
    operations = [migrations.RunPython(forwards, backwards)]
