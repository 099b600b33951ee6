"""Benchmark: the staff inbox, its search and the unit dashboard on a large database.

Run against a database filled with `generate_petitions` (never the `danvan`
database), for example:

    flock /tmp/bench.lock env \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench BENCH_ROUNDS=15 \\
        .venv/bin/python bench/petitions_inbox.py

It times, for demo users of several reach (a province handler, a province
head who reads the whole province, the central commission, the superuser):

- `selector`: a page of the inbox as the inbox view and the staff API read
  it (`selectors.inbox_page`: 26 rows of `petition_inbox(...)`, no COUNT,
  with the petitioners prefetched and each listed name and due state
  computed), with the default sort (due date) and several filters;
- `search`: the search (`q`, diacritics ignored) through the same selector;
- `page`: the whole back-office page `/admin/petitions/` through Django's
  test `Client` (middleware, session, Wagtail's shell and menu, the filter
  form, the template): the bare inbox and each filter; besides the wall
  time, the medians of the CPU time of the process (`time.thread_time`)
  and of the time spent in queries, the number of queries and the size of
  the HTML (on a busy machine the wall time grows while the process waits
  for a core: the CPU time shows what the page itself costs);
- `api`: `GET /api/v1/staff/petitions` through the `Client` (token);
- `dashboard`: the unit dashboard for the last half-year
  (`reports.dashboard_figures`).

`BENCH_PARTS` chooses the parts (comma-separated, default all of them);
`BENCH_USERS` the users (comma-separated usernames); `BENCH_NICE=-10`
serves the bench and its PostgreSQL backends first on a shared machine
(root, local server: `prioritise`). Each case is run
`BENCH_ROUNDS` times after one warm-up; the figure is the p95 (and the
median) in milliseconds. The pages end with a table of their p95 per user
and filter. Django runs with `DEBUG` off, as in production (the first three rounds of
`docs/benchmarks.md` had it on: templates in debug mode, every query
recorded; set `DEBUG=1` to compare). Targets on PostgreSQL at 1M
petitions: inbox p95 ≤ 50 ms (the whole page included), search p95 ≤
150 ms, dashboard ≤ 1 s; on SQLite at 100k: inbox p95 ≤ 50 ms.
"""

import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
DEFAULT_USERS = "dongthap.xuly,dongthap.lanhdao,trunguong.danvan,admin"
USERS = tuple(os.environ.get("BENCH_USERS", DEFAULT_USERS).split(","))
PARTS = frozenset(os.environ.get("BENCH_PARTS", "selector,search,page,api,dashboard").split(","))
#: The whole-page cases: label → query string of `/admin/petitions/`
#: (`{commune}` is a commune of the user's first row).
PAGE_CASES = {
    "default (open, due date)": "",
    "all statuses": "status=",
    "overdue": "due=overdue",
    "due soon": "due=soon",
    "complaints, open": "kind=complaint&status=open",
    "category, by received": "category=%C3%94+nhi%E1%BB%85m+m%C3%B4i+tr%C6%B0%E1%BB%9Dng"
    "&sort=-received",
    "commune": "commune={commune}",
    "channel, all statuses": "channel=hotline&status=",
    "assigned to me": "mine=on",
    "page 3": "status=open&page=3",
    "search o nhiem": "q=o+nhiem",
}
PAGE_TARGET_MS = 50.0
#: `BENCH_NICE=-10`: see `prioritise`.
NICE = int(os.environ.get("BENCH_NICE", "0"))


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
    if NICE:
        prioritise(NICE)


def prioritise(nice: int) -> None:
    """Run this process, and the PostgreSQL backend of each of its
    connections, at `nice` (negative: first served; needs root and a local
    server). On a machine shared with test suites this approaches what an
    idle machine would measure; say so next to the figures."""
    from django.db.backends.signals import connection_created

    os.setpriority(os.PRIO_PROCESS, 0, nice)

    def backend(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            os.setpriority(os.PRIO_PROCESS, cursor.fetchone()[0], nice)

    connection_created.connect(backend, weak=False)


def timed(run: Callable[[], Any], rounds: int = ROUNDS) -> tuple[float, float]:
    """Return the (p95, median) of `run` in milliseconds, after one warm-up."""
    run()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return samples[max(int(len(samples) * 0.95) - 1, 0)], statistics.median(samples)


class PageTimes:
    """Wall, CPU and database time of each request of one page, in ms."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.database: list[float] = []
        self._in_database = 0.0

    def database_wrapper(
        self, execute: Any, sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        """Add the time of each query (`connection.execute_wrapper`)."""
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self._in_database += time.perf_counter() - started

    def run(self, request: Callable[[], Any], rounds: int) -> None:
        """Make the request `rounds` times after one warm-up."""
        request()
        for _ in range(rounds):
            self._in_database = 0.0
            wall, cpu = time.perf_counter(), time.thread_time()
            request()
            self.cpu.append((time.thread_time() - cpu) * 1000)
            self.wall.append((time.perf_counter() - wall) * 1000)
            self.database.append(self._in_database * 1000)

    def p95(self) -> float:
        """Return the p95 of the wall time."""
        ordered = sorted(self.wall)
        return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def main() -> None:
    """Time every case and print one line each, then the table of pages."""
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Prefetch
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from danvan.api.services import api_token_issue
    from danvan.petitions.confidentiality import listed_name
    from danvan.petitions.models import Petition, Petitioner
    from danvan.petitions.rules import due_state
    from danvan.petitions.selectors import (
        DUE_SOON_DAYS,
        InboxFilters,
        inbox_page,
        petition_inbox,
    )

    today = timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS)}
    print(
        f"database: {connection.vendor}, {Petition.objects.count():,} petitions; "
        f"DEBUG={settings.DEBUG}; nice {NICE}; load {os.getloadavg()[0]:.1f}; "
        f"{ROUNDS} rounds, p95 / median in ms; "
        f"parts: {', '.join(sorted(PARTS))}"
    )

    def page(user: Any, filters: InboxFilters) -> Callable[[], Any]:
        def run() -> Any:
            petitions = petition_inbox(user, filters, today=today).prefetch_related(
                Prefetch(
                    "petitioners", queryset=Petitioner.objects.only("id", "petition_id", "name")
                )
            )
            # As the inbox view and the staff API read a page: 26 rows, no COUNT.
            page_rows = inbox_page(petitions, number=1, size=25)
            rows = [
                (
                    p.code,
                    p.commune.name,
                    p.organization.name if p.organization else "",
                    listed_name(p, p.petitioners.all()),
                    due_state(p.expected_response_by, today, DUE_SOON_DAYS)
                    if p.expected_response_by
                    else None,
                )
                for p in page_rows.items
            ]
            return page_rows.has_next, rows

        return run

    def report(label: str, user: Any, filters: InboxFilters) -> None:
        rows = timed(page(user, filters))
        print(f"{label:<34} page of 25 p95 {rows[0]:7.1f} (med {rows[1]:6.1f})")

    inbox_cases = {
        "default (due date)": InboxFilters(),
        "open": InboxFilters(status="open"),
        "overdue": InboxFilters(due="overdue"),
        "complaints, open": InboxFilters(kind="complaint", status="open"),
        "category, by received": InboxFilters(category="Ô nhiễm môi trường", ordering="-received"),
        "assigned to me": InboxFilters(assigned_to_me=True),
    }
    search_cases = {
        "q=ô nhiễm": "ô nhiễm",
        "q=giay chung nhan": "giay chung nhan",
        "q=cống thủy lợi": "cống thủy lợi",
        "q=<code>": Petition.objects.order_by("-id").values_list("code", flat=True).first()
        or "PA",
        "q=nguyễn văn hùng (name)": "nguyễn văn hùng",
        "q=zzz (no match)": "zzzqx",
    }
    #: p95 of each whole page: {case: {username: (p95, median)}}.
    pages: dict[str, dict[str, tuple[float, float]]] = {}
    for username in USERS:
        user = users.get(username)
        if user is None:
            print(f"{username}: not found (load_demo?)")
            continue
        print(f"-- {username}")
        if "selector" in PARTS:
            for name, filters in inbox_cases.items():
                report(f"inbox  {name}", user, filters)
        if "search" in PARTS:
            for name, query in search_cases.items():
                report(f"search {name}", user, InboxFilters(q=query))
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        if "page" in PARTS:
            commune = (
                petition_inbox(user, InboxFilters(status="open"), today=today)
                .values_list("commune_id", flat=True)
                .first()
            )
            for name, query in PAGE_CASES.items():
                path = "/admin/petitions/" + ("?" + query if query else "")
                path = path.format(commune=commune)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
                count = len(queries.captured_queries)
                if response.status_code != 200:
                    print(f"page   {name:<27} HTTP {response.status_code}")
                    continue
                times = PageTimes()
                with connection.execute_wrapper(times.database_wrapper):
                    times.run(partial(client.get, path), ROUNDS)
                p95, median = times.p95(), statistics.median(times.wall)
                pages.setdefault(name, {})[username] = (p95, median)
                print(
                    f"page   {name:<27} p95 {p95:7.1f}  median {median:7.1f}  "
                    f"(CPU {statistics.median(times.cpu):5.1f}, "
                    f"queries {statistics.median(times.database):5.1f})  "
                    f"{count:2d} queries  {len(response.content) / 1024:4.0f} KiB"
                )
        if "api" in PARTS:
            token = api_token_issue(user=user, name="bench").token
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
            for path in (
                "/api/v1/staff/petitions?limit=25",
                "/api/v1/staff/petitions?limit=25&q=o+nhiem",
            ):
                status = client.get(path).status_code
                if status != 200:
                    print(f"api    {path:<40} HTTP {status}")
                    continue
                p95, median = timed(partial(client.get, path))
                print(f"api    {path:<40} p95 {p95:7.1f}  median {median:7.1f}")
        if "dashboard" in PARTS:
            from danvan.petitions.reports import dashboard_figures

            half_year = today - datetime.timedelta(days=182)
            p95, median = timed(
                partial(dashboard_figures, user=user, date_from=half_year, date_to=today),
                rounds=max(ROUNDS // 3, 5),
            )
            print(f"dashboard half-year{'':<16} p95 {p95:7.1f}  median {median:7.1f}")
    if pages:
        names = [name for name in USERS if any(name in row for row in pages.values())]
        print()
        print(f"Whole page /admin/petitions/, p95 (median) in ms; target p95 ≤ {PAGE_TARGET_MS:g}")
        print(f"{'case':<27}" + "".join(f"{name:>20}" for name in names))
        for case, row in pages.items():
            cells = "".join(
                f"{f'{row[n][0]:.1f} ({row[n][1]:.1f})':>20}" if n in row else f"{'—':>20}"
                for n in names
            )
            print(f"{case:<27}{cells}")
        worst = max(p95 for row in pages.values() for p95, _median in row.values())
        missed = sum(
            1 for row in pages.values() for p95, _median in row.values() if p95 > PAGE_TARGET_MS
        )
        print(f"worst p95 {worst:.1f} ms; {missed} case(s) above {PAGE_TARGET_MS:g} ms")


if __name__ == "__main__":
    main()
