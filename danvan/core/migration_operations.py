"""Migration operations shared by the apps.

Imported by migrations, so keep what a migration calls stable: change
behaviour with a new function, not by editing one that migrations use.
"""

from typing import Any

from django.db import migrations


def append_only_triggers(table: str, label: str) -> migrations.RunPython:
    """Return an operation that makes `table` append-only in the database.

    UPDATE is refused on every backend; DELETE is refused on PostgreSQL only,
    because test runs on SQLite empty tables with DELETE (PostgreSQL's test
    runs use TRUNCATE, which row triggers do not see). `label` names the rows
    in the error message ("audit events").
    """
    message = f"{label} are append-only"
    sqlite_up = (
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
    )
    sqlite_down = f"DROP TRIGGER IF EXISTS {table}_no_update;"
    postgres_up = f"""
CREATE OR REPLACE FUNCTION {table}_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {table}_no_change ON {table};
CREATE TRIGGER {table}_no_change
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change();
"""
    postgres_down = f"""
DROP TRIGGER IF EXISTS {table}_no_change ON {table};
DROP FUNCTION IF EXISTS {table}_refuse_change();
"""

    def run(sql: dict[str, str]) -> Any:
        def apply(apps: Any, schema_editor: Any) -> None:
            statement = sql.get(schema_editor.connection.vendor)
            if statement:
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(
        run({"sqlite": sqlite_up, "postgresql": postgres_up}),
        run({"sqlite": sqlite_down, "postgresql": postgres_down}),
    )
