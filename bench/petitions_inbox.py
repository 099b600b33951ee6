"""Benchmark: the staff inbox, its search and the unit dashboard on a large database.

Run against a database filled with `generate_petitions` (never the `danvan`
database), for example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench DEBUG=1 \\
        .venv/bin/python bench/petitions_inbox.py

It times, for demo users of several reach (a province handler, a province
head who reads the whole province, the central commission, the superuser):

- a page of the inbox as the inbox view and the staff API read it
  (`selectors.inbox_page`: 26 rows of `petition_inbox(...)`, no COUNT,
  with the petitioners prefetched and each listed name and due state
  computed), with the default sort (due date) and several filters;
- the search (`q`, diacritics ignored) through the same selector;
- the same pages through Django's test `Client` against `/admin/petitions/`
  and `GET /api/v1/staff/petitions` (template or JSON included);
- the unit dashboard for the last half-year (`reports.dashboard_figures`).

Each case is run `ROUNDS` times after one warm-up; the figure is the p95
(and the median) in milliseconds. Targets on PostgreSQL at 1M petitions:
inbox p95 ≤ 50 ms, search p95 ≤ 150 ms, dashboard ≤ 1 s; on SQLite at 100k:
inbox p95 ≤ 50 ms.
"""

import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
USERS = ("dongthap.xuly", "dongthap.lanhdao", "trunguong.danvan", "admin")


def setup_django() -> None:
    """Set up Django on `DATABASE_URL`, refusing the working databases."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.rstrip("/").endswith("/danvan") or "var/danvan.sqlite3" in url:
        sys.exit("Set DATABASE_URL to a benchmark database (not danvan, not var/).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    import django

    django.setup()


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


def main() -> None:
    """Time every case and print one line each."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Prefetch
    from django.test import Client
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
        f"{ROUNDS} rounds, p95 / median in ms"
    )

    def page(user: Any, filters: InboxFilters, part: str = "page") -> Callable[[], Any]:
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
        rows = timed(page(user, filters, "rows"))
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
    for username in USERS:
        user = users.get(username)
        if user is None:
            print(f"{username}: not found (load_demo?)")
            continue
        visible = petition_inbox(user, InboxFilters()).count()
        print(f"-- {username} ({visible:,} visible)")
        for name, filters in inbox_cases.items():
            report(f"inbox  {name}", user, filters)
        for name, query in search_cases.items():
            report(f"search {name}", user, InboxFilters(q=query))
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        token = api_token_issue(user=user, name="bench").token
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        for path in (
            "/admin/petitions/",
            "/admin/petitions/?status=open",
            "/admin/petitions/?q=o+nhiem",
            "/api/v1/staff/petitions?limit=25",
            "/api/v1/staff/petitions?limit=25&q=o+nhiem",
        ):
            status = client.get(path).status_code
            if status != 200:
                print(f"client {path:<40} HTTP {status}")
                continue
            p95, median = timed(
                lambda path=path, client=client: client.get(path), rounds=max(ROUNDS // 2, 5)
            )
            print(f"client {path:<40} p95 {p95:8.1f}  median {median:8.1f}")
        try:
            from danvan.petitions.reports import dashboard_figures
        except ImportError:
            print("dashboard: danvan.petitions.reports is missing")
            continue
        half_year = today - datetime.timedelta(days=182)
        p95, median = timed(
            lambda user=user, since=half_year: dashboard_figures(
                user=user, date_from=since, date_to=today
            ),
            rounds=max(ROUNDS // 3, 5),
        )
        print(f"dashboard half-year{'':<17} p95 {p95:8.1f}  median {median:8.1f}")


if __name__ == "__main__":
    main()
