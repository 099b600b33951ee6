"""Benchmark: a member's indicators, the cluster summary and the Word report (issue 6).

Run against a large database (never `danvan`), for example the one
`bench/petitions_inbox.py` uses, after `load_demo` (the cluster, its member
organizations, the demo briefing) and a year of receptions for every member:

    for p in an-giang ca-mau can-tho dong-thap tay-ninh vinh-long; do
      DANVAN_DEMO=true DATABASE_URL=… .venv/bin/python manage.py generate_visits \\
          --org bantcd-$p --count 10000 --year 2026 --seed 7
    done
    flock /tmp/bench.lock env DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench \\
        BENCH_ROUNDS=5 .venv/bin/python bench/briefings_indicators.py

It times, `BENCH_ROUNDS` times after one warm-up (figures: median and worst, ms):

- `indicators`: `briefings.indicators.collect(org, period)` for each member
  province's reporting organization (`selectors.member_organization`), for
  `BENCH_PERIOD` (default 2026-H1): petitions, reception and movements;
- `summary live`: `summary.cluster_summary` of `BENCH_CLUSTER` (default
  `dbscl`, 6 provinces) for a period without a briefing
  (`BENCH_LIVE_PERIOD`, default 2026-H2 so far): every member's indicators
  computed, with the previous period's for the comparison;
- `summary stored`: the same for `BENCH_PERIOD`, whose briefing holds its
  members' reports (the demo's);
- `report docx`: `documents.report_docx` of that summary.

Targets (issue 6): one province's indicators for a half-year ≤ 1 s, the
summary of 6 provinces ≤ 3 s, the Word report ≤ 3 s, on PostgreSQL with 1M
petitions and a year of receptions.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CLUSTER = os.environ.get("BENCH_CLUSTER", "dbscl")
PERIOD = os.environ.get("BENCH_PERIOD", "2026-H1")
LIVE_PERIOD = os.environ.get("BENCH_LIVE_PERIOD", "2026-H2")


def _time(label: str, run: Callable[[], Any], target_ms: float) -> None:
    run()  # warm-up
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    worst = max(times)
    verdict = "ok" if worst <= target_ms else "ABOVE TARGET"
    print(
        f"{label:<44} median {statistics.median(times):8.1f}  worst {worst:8.1f} ms"
        f"  (target ≤ {target_ms:,.0f}: {verdict})"
    )


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from danvan.briefings import documents, indicators
    from danvan.briefings.selectors import member_organization
    from danvan.briefings.summary import cluster_summary
    from danvan.core.periods import period_parse
    from danvan.geo.models import Province
    from danvan.geo.selectors import cluster_get, cluster_province_codes
    from danvan.petitions.models import Petition
    from danvan.reception.models import Visit

    name = settings.DATABASES["default"]["NAME"]
    if str(name).endswith("danvan") or str(name).endswith("danvan.sqlite3"):
        sys.exit("Refusing to run on the main database: set DATABASE_URL to a benchmark database.")
    cluster = cluster_get(CLUSTER)
    if cluster is None:
        sys.exit(f"No cluster {CLUSTER!r}: run load_demo first.")
    period = period_parse(PERIOD)
    live = period_parse(LIVE_PERIOD)
    print(
        f"database: {connection.vendor}, {Petition.objects.count():,} petitions, "
        f"{Visit.objects.count():,} visits; DEBUG={settings.DEBUG}; "
        f"load {os.getloadavg()[0]:.1f}; {ROUNDS} rounds"
    )
    provinces = Province.objects.filter(code__in=cluster_province_codes(cluster, period.end))
    for province in provinces.order_by("code"):
        body = member_organization(province, period.end)
        if body is None:
            print(f"{province.name}: no reporting organization")
            continue
        _time(
            f"indicators {period.code} {province.name}",
            lambda body=body: indicators.collect(body, period),
            1000,
        )
    _time(
        f"summary live {live.code} ({provinces.count()} members)",
        lambda: cluster_summary(cluster, live),
        3000,
    )
    _time(f"summary stored {period.code}", lambda: cluster_summary(cluster, period), 3000)
    summary = cluster_summary(cluster, period)
    if summary.briefing is None:
        print(f"No briefing for {period.code}: the Word report is timed on the live summary.")
    style = documents.style_for(summary.briefing) if summary.briefing is not None else None
    if style is not None:
        _time("report docx", lambda: documents.report_docx(summary, style), 3000)
        _time(
            "summary stored + report docx",
            lambda: documents.report_docx(cluster_summary(cluster, period), style),
            3000,
        )


if __name__ == "__main__":
    main()
