"""Time the load of the administrative units (`load_units`) on a fresh database.

    DEBUG=1 .venv/bin/python bench/bench_units_load.py
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan \
        .venv/bin/python bench/bench_units_load.py

Always times SQLite, in a temporary file (WAL, as configured in settings);
with a PostgreSQL `DATABASE_URL` it also times PostgreSQL, in a temporary
database created on that server and dropped afterwards, so the database
named in the URL is never touched. Each backend runs in its own process, so
the first load includes importing the library's tables, as `manage.py
load_units` does. Target: a first load within 10 s.
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0


def measure() -> dict[str, Any]:
    """Create the temporary database, load twice, drop it; return the timings."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    from danvan.geo.loader import load_units
    from danvan.geo.models import Commune, LegacyCommune, LegacyCommuneMapping

    connection.settings_dict["TEST"]["NAME"] = os.environ["BENCH_DB_NAME"]
    original_name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    migrate = time.perf_counter() - started
    try:
        started = time.perf_counter()
        first_report = load_units()
        first = time.perf_counter() - started
        started = time.perf_counter()
        second_report = load_units()
        second = time.perf_counter() - started
        counts = {
            "communes": Commune.objects.count(),
            "legacy_communes": LegacyCommune.objects.count(),
            "commune_mappings": LegacyCommuneMapping.objects.count(),
        }
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
    return {
        "vendor": connection.vendor,
        "server": _server_version(connection),
        "migrate_s": migrate,
        "first_load_s": first,
        "reload_s": second,
        "first_changed": first_report.changed,
        "reload_changed": second_report.changed,
        "rows_written": sum(c.created + c.updated for c in first_report.tables.values()),
        **counts,
    }


def _server_version(connection: Any) -> str:
    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 100}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def run(label: str, env: dict[str, str]) -> dict[str, Any]:
    """Run `measure` in a child process with `env`; return its result."""
    completed = subprocess.run(  # noqa: S603 (runs this same script)
        [sys.executable, __file__, "--child"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if completed.returncode != 0:
        print(f"{label}: failed\n{completed.stderr}", file=sys.stderr)
        raise SystemExit(completed.returncode)
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Time SQLite, then PostgreSQL when `DATABASE_URL` names one; print the numbers."""
    results: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="danvan-bench-") as folder:
        sqlite_file = str(Path(folder) / "bench.sqlite3")
        results.append(
            (
                "sqlite",
                run(
                    "sqlite",
                    {
                        "DATABASE_URL": f"sqlite:///{Path(folder) / 'main.sqlite3'}",
                        "BENCH_DB_NAME": sqlite_file,
                    },
                ),
            )
        )
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        results.append(
            ("postgresql", run("postgresql", {"BENCH_DB_NAME": f"danvan_bench_{os.getpid()}"}))
        )

    python = sys.version.split()[0]
    print(f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {python}")
    print(
        f"{'backend':<18} {'migrate':>8} {'1st load':>9} {'re-load':>8} "
        f"{'rows':>7} {'communes':>9} {'legacy':>7} {'mappings':>9}"
    )
    for _label, r in results:
        print(
            f"{r['server']:<18} {r['migrate_s']:>7.2f}s {r['first_load_s']:>8.2f}s "
            f"{r['reload_s']:>7.2f}s {r['rows_written']:>7} {r['communes']:>9} "
            f"{r['legacy_communes']:>7} {r['commune_mappings']:>9}"
        )
        if r["reload_changed"]:
            print(f"  {r['server']}: the re-load changed rows; the load is not idempotent!")
        verdict = "within" if r["first_load_s"] <= TARGET_SECONDS else "OVER"
        print(f"  first load {verdict} the {TARGET_SECONDS:.0f} s target")


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(measure()))
    else:
        main()
