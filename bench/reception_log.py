"""Benchmark: the reception log of a province for a year (issue 4 §5).

Targets: a page of the log lists in ≤ 100 ms, the year exports to Excel in
≤ 10 s. Run against a benchmark database (never `danvan`, never
`var/danvan.sqlite3`) that has the units and the demo bodies
(`migrate`, `load_units`, `load_demo`), for example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench_reception \\
        .venv/bin/python bench/reception_log.py
    DATABASE_URL=sqlite:////tmp/reception_bench.sqlite3 .venv/bin/python bench/reception_log.py

It first makes sure the organization `BENCH_ORG` (default the provincial
reception office of Đồng Tháp, `bantcd-dong-thap`) has about
`BENCH_VISITS` (50,000) visits in `BENCH_YEAR` (default this year),
generating the missing ones (`reception.generator.visits_generate`,
untimed, then `ANALYZE` on PostgreSQL). Then, holding the lock file `BENCH_LOCK` (default
`/tmp/bench.lock`, so that two benchmarks never run at once; set it empty
when the whole script already runs under `flock`), it times:

- `list`: a page of 25 rows of the log as the back-office reads it,
  `reception.visits.visits_log` (the visits, their people and petition
  codes; no count), for the user `BENCH_USER` (default the office's
  reception officer): the first page of the year, pages deep in the year
  (offsets 10,000 and the last page), and filtered by kind, outcome and
  search (`q`). When `visits_log` does not exist yet, an equivalent
  queryset (the 26 newest rows with their people prefetched) is timed
  instead, and the output says so. `BENCH_ROUNDS` rounds after one
  warm-up; p50 and p95 in milliseconds.
- `xlsx`: the Excel export of the year (`reception.exports.reception_log_xlsx`),
  `BENCH_EXPORT_ROUNDS` times: wall and CPU seconds, the size, then one
  more run under `tracemalloc` for the peak of Python allocations, and the
  process's peak resident memory (`getrusage`).
- `docx`: the Word export of one month and of the year (for information;
  no target: a year of a province is thousands of pages).

`BENCH_PARTS` chooses the parts (comma-separated; default `list,xlsx`).
The load average before and after the timed part tells whether the
machine was shared.
"""

import datetime
import fcntl
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
EXPORT_ROUNDS = int(os.environ.get("BENCH_EXPORT_ROUNDS", "3"))
ORG = os.environ.get("BENCH_ORG", "bantcd-dong-thap")
USER = os.environ.get("BENCH_USER", "dongthap.tiepdan")
VISITS = int(os.environ.get("BENCH_VISITS", "50000"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
LOCK = os.environ.get("BENCH_LOCK", "/tmp/bench.lock")  # noqa: S108 (shared lock file)
PARTS = frozenset(os.environ.get("BENCH_PARTS", "list,xlsx").split(","))
PAGE_TARGET_MS = 100.0
EXPORT_TARGET_S = 10.0


def setup_django() -> None:
    """Set up Django on `DATABASE_URL`, refusing the working databases."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.rstrip("/").endswith("/danvan") or "var/danvan.sqlite3" in url:
        sys.exit("Set DATABASE_URL to a benchmark database (not danvan, not var/).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Production-like: DEBUG off; DANVAN_TESTING only lifts the need for a
    # secret key and for collected static files.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DANVAN_TESTING", "1")
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    import django

    django.setup()


@contextmanager
def bench_lock() -> Iterator[None]:
    """Hold `LOCK` (flock) for the timed part, unless it is empty."""
    if not LOCK:
        yield
        return
    with open(LOCK, "a") as handle:
        started = time.perf_counter()
        fcntl.flock(handle, fcntl.LOCK_EX)
        waited = time.perf_counter() - started
        if waited > 1:
            print(f"(waited {waited:.0f} s for {LOCK})")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def percentiles(run: Callable[[], Any], rounds: int = ROUNDS) -> tuple[float, float]:
    """Return the (p50, p95) of `run` in milliseconds, after one warm-up."""
    run()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    """Make sure the year is there, then time the list and the exports."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Prefetch
    from django.utils import timezone

    from danvan.orgs.selectors import organization_get_by_code
    from danvan.reception import exports, generator
    from danvan.reception import visits as visits_module
    from danvan.reception.models import Visit, VisitKind, VisitOutcome, VisitPerson

    year = int(os.environ.get("BENCH_YEAR", str(timezone.localdate().year)))
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    organization = organization_get_by_code(ORG)
    user = get_user_model().objects.get(username=USER)
    in_year = Visit.objects.filter(organization=organization, received_on__range=(first, last))
    existing = in_year.count()
    if existing < VISITS * 0.9:
        missing = VISITS - existing
        print(f"generating {missing:,} visits of {ORG} in {year} (seed {SEED}) …")
        started = time.perf_counter()
        generator.visits_generate(
            organization=organization, count=missing, year=year, seed=SEED + existing
        )
        print(f"  done in {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            # Fresh rows have no statistics until autovacuum gets to them: the
            # planner would read the log by the wrong index (a page in 250 ms).
            with connection.cursor() as cursor:
                for table in ("reception_visit", "reception_visitperson"):
                    cursor.execute(f"ANALYZE {table}")
    total = in_year.count()
    print(
        f"database: {connection.vendor}; {ORG}: {total:,} visits in {year} "
        f"({Visit.objects.count():,} in all); user {USER}; {ROUNDS} rounds"
    )

    visits_log = getattr(visits_module, "visits_log", None)

    def page(**filters: Any) -> Callable[[], Any]:
        if visits_log is not None:

            def run() -> Any:
                result = visits_log(
                    user=user,
                    organizations=[organization],
                    date_from=first,
                    date_to=last,
                    limit=25,
                    **filters,
                )
                return [(row.number, row.people) for row in result.rows]

            return run
        offset = filters.pop("offset", 0)
        q = filters.pop("q", None)

        def fallback() -> Any:
            rows = in_year.filter(**filters)
            if q:
                rows = rows.filter(search_text__contains=q)
            people = VisitPerson.objects.order_by("position", "id")
            found = (
                rows.select_related("accepted_by")
                .defer("search_text")
                .prefetch_related(Prefetch("people", queryset=people))
                .order_by("-received_on", "-number", "-id")[offset : offset + 26]
            )
            return [(v.number, [p.name for p in v.people.all()]) for v in found]

        return fallback

    cases: dict[str, dict[str, Any]] = {
        "first page of the year": {},
        "page 401 (offset 10,000)": {"offset": 10_000},
        f"last page (offset {max(total - 25, 0):,})": {"offset": max(total - 25, 0)},
        "kind = complaint": {"kind": VisitKind.COMPLAINT},
        "outcome = guided": {"outcome": VisitOutcome.GUIDED},
        "kind = feedback, outcome = transferred": {
            "kind": VisitKind.FEEDBACK,
            "outcome": VisitOutcome.TRANSFERRED,
        },
        "q = thu hồi đất": {"q": "thu hồi đất"},
        "q = nguyen van (a name)": {"q": "nguyen van"},
        "q = zzzq (no match)": {"q": "zzzq"},
    }
    print(f"before the timed part: {load()}")
    with bench_lock():
        print(f"lock held: {load()}")
        if "list" in PARTS:
            source = (
                "reception.visits.visits_log"
                if visits_log is not None
                else "a queryset equivalent to one page (visits_log does not exist yet)"
            )
            print(f"-- list: a page of 25 rows, {source}; target p95 ≤ {PAGE_TARGET_MS:g} ms")
            worst = 0.0
            for name, filters in cases.items():
                p50, p95 = percentiles(page(**filters))
                worst = max(worst, p95)
                print(f"{name:<42} p50 {p50:7.1f}  p95 {p95:7.1f}")
            print(f"worst p95 {worst:.1f} ms")
        if "xlsx" in PARTS:
            print(f"-- xlsx: the year to Excel; target ≤ {EXPORT_TARGET_S:g} s")
            walls = []
            for _ in range(EXPORT_ROUNDS):
                cpu, wall = time.process_time(), time.perf_counter()
                content = exports.reception_log_xlsx(
                    organization=organization, date_from=first, date_to=last, user=user
                )
                wall = time.perf_counter() - wall
                cpu = time.process_time() - cpu
                walls.append(wall)
                print(f"wall {wall:6.2f} s  cpu {cpu:6.2f} s  {len(content) / 2**20:5.1f} MiB")
            print(f"median wall {statistics.median(walls):.2f} s over {EXPORT_ROUNDS} runs")
            tracemalloc.start()
            exports.reception_log_xlsx(
                organization=organization, date_from=first, date_to=last, user=user
            )
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"peak Python allocations during an export {peak / 2**20:.0f} MiB "
                f"(tracemalloc); process peak RSS {rss:.0f} MiB"
            )
        if "docx" in PARTS:
            print("-- docx: a month and the year to Word (no target)")
            for label, start in (("January", datetime.date(year, 1, 31)), ("the year", last)):
                wall = time.perf_counter()
                content = exports.reception_log_docx(
                    organization=organization, date_from=first, date_to=start, user=user
                )
                print(
                    f"{label:<10} wall {time.perf_counter() - wall:6.2f} s  "
                    f"{len(content) / 2**20:5.1f} MiB"
                )
        print(f"after the timed part: {load()}")


if __name__ == "__main__":
    main()
