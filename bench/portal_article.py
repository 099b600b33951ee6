"""Benchmark: a news article page, uncached (server time, queries) and cached (requests/s).

Run against a benchmark database (never `danvan`), one benchmark at a time:

    flock /tmp/bench.lock env \\
        DATABASE_URL=sqlite:////tmp/portal_bench.sqlite3 BENCH_SETUP=1 \\
        .venv/bin/python bench/portal_article.py

`BENCH_SETUP=1` migrates the database and loads the demo news
(`danvan.demo.portal.load_portal`, seven articles with pictures) plus
`BENCH_EXTRA_ARTICLES` more (default 200, so that the lists and "most
viewed" read a realistic tree) with a month of view counts. The pictures
and their renditions go to `MEDIA_ROOT` (default a temporary folder).

Two parts (`BENCH_PARTS`, default both):

- `uncached`: the article page through Django's test `Client` in this
  process, with the page cache off (`PORTAL_PAGE_CACHE_SECONDS=0`) and
  `DEBUG` off: `BENCH_ROUNDS` requests after one warm-up; the p95 and median
  of the wall time, the medians of the CPU time and of the time in queries,
  the number of queries and the size of the HTML. Target: ≤ 50 ms.
- `cached`: gunicorn (`config.wsgi`, `BENCH_WORKERS` sync workers, default
  4) with the production default cache, a file cache shared by the workers
  (in a temporary folder; `BENCH_CACHE_URL` to choose another), warmed up,
  then `wrk -t BENCH_WRK_THREADS -c BENCH_CONNECTIONS -d BENCH_DURATION`
  on the article as an anonymous reader. Every answer must be a 200 served
  from the cache (`X-Portal-Cache: hit`). Target: ≥ 500 requests/s.

`BENCH_NICE=-10` (root) runs gunicorn and wrk first on a shared machine
(say so with the figures).
"""

import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))
PARTS = frozenset(os.environ.get("BENCH_PARTS", "uncached,cached").split(","))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "1"))
DURATION = int(os.environ.get("BENCH_DURATION", "20"))
EXTRA_ARTICLES = int(os.environ.get("BENCH_EXTRA_ARTICLES", "200"))
NICE = int(os.environ.get("BENCH_NICE", "0"))
UNCACHED_TARGET_MS = 50.0
CACHED_TARGET_RPS = 500.0
#: The article measured: the demo's cluster briefing (a picture, tags, other news).
ARTICLE_SLUG = "cum-thi-dua-dbscl-so-ket-6-thang"


def nice() -> None:
    """Lower this process's niceness to `NICE` (root) when asked."""
    if NICE:
        os.setpriority(os.PRIO_PROCESS, 0, NICE)


def setup_django() -> None:
    """Set up Django on `DATABASE_URL`, refusing the working databases."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.rstrip("/").endswith("/danvan") or "var/danvan.sqlite3" in url:
        sys.exit("Set DATABASE_URL to a benchmark database (not danvan, not var/).")
    if url.rstrip("/").endswith("/danvan_bench"):
        sys.exit("danvan_bench is the petitions benchmark's database: use another one.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    # Production-like, but DANVAN_TESTING lifts the need for collected static files.
    os.environ.setdefault("DANVAN_TESTING", "1")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "portal-bench-media"))
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    import django

    django.setup()


def fill() -> None:
    """Migrate and load the demo news, more articles and a month of views."""
    import datetime
    import logging
    import random

    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.rich_text import RichText

    from danvan.core.text import slugify_vi
    from danvan.demo.portal import load_portal
    from danvan.portal.models import ArticlePage, ArticleViewDay, SectionPage

    logging.getLogger("wagtail").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    demo = load_portal()
    sections = list(SectionPage.objects.order_by("path"))
    rng = random.Random(7)
    existing = ArticlePage.objects.count()
    now = timezone.now()
    for number in range(existing, len(demo) + EXTRA_ARTICLES):
        section = sections[number % len(sections)]
        title = f"Tin hoạt động dân vận số {number}: đối thoại với nhân dân ở cơ sở"
        page = ArticlePage(
            title=title,
            slug=slugify_vi(title),
            lead="Lãnh đạo xã đối thoại với nhân dân về các việc dân quan tâm.",
            image=demo[number % len(demo)].image,
            image_alt="Tranh minh họa",
            first_published_at=now - datetime.timedelta(hours=number * 5),
        )
        page.body = [("paragraph", RichText("<p>Nội dung đối thoại. " * 40 + "</p>"))]
        section.add_child(instance=page)
        page.save_revision().publish()
    today = timezone.localdate()
    ArticleViewDay.objects.all().delete()
    ArticleViewDay.objects.bulk_create(
        ArticleViewDay(
            article_id=pk, day=today - datetime.timedelta(days=day), views=rng.randint(1, 500)
        )
        for pk in ArticlePage.objects.values_list("pk", flat=True)
        for day in range(30)
    )


def article_path() -> str:
    from danvan.portal.models import ArticlePage

    page = ArticlePage.objects.live().filter(slug=ARTICLE_SLUG).first()
    if page is None:
        sys.exit("The demo article is missing: run with BENCH_SETUP=1.")
    return str(page.url)


def uncached(path: str) -> None:
    """Time the article page with the page cache off, in this process."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = Client(HTTP_HOST="127.0.0.1")
    first = client.get(path)
    if first.status_code != 200:
        sys.exit(f"{path}: HTTP {first.status_code}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    count = len(queries.captured_queries)
    statements = [query["sql"] for query in queries.captured_queries]
    if "X-Portal-Cache" in response:
        sys.exit("the page cache is still on")
    wall: list[float] = []
    cpu: list[float] = []
    database: list[float] = []
    in_database = [0.0]

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_database[0] += time.perf_counter() - started

    with connection.execute_wrapper(wrapper):
        for _ in range(ROUNDS):
            in_database[0] = 0.0
            started, started_cpu = time.perf_counter(), time.thread_time()
            client.get(path)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            database.append(in_database[0] * 1000)
    ordered = sorted(wall)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    verdict = "ok" if p95 <= UNCACHED_TARGET_MS else "ABOVE TARGET"
    print(
        f"uncached {path}: p95 {p95:.1f} ms, median {statistics.median(wall):.1f} ms "
        f"(CPU {statistics.median(cpu):.1f}, queries {statistics.median(database):.1f}); "
        f"{count} queries; {len(response.content) / 1024:.0f} KiB; "
        f"target ≤ {UNCACHED_TARGET_MS:g} ms: {verdict}"
    )
    if os.environ.get("BENCH_SHOW_QUERIES") == "1":
        for sql in statements:
            print("   ", sql[:160])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cached(path: str) -> None:
    """Serve with gunicorn and measure the cached page with wrk."""
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed (apt-get install wrk).")
    cache_folder = tempfile.mkdtemp(prefix="portal-bench-cache-")
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", f"filecache://{cache_folder}"),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, preexec_fn=nice)  # noqa: S603
    url = f"http://127.0.0.1:{port}{path}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
                break
            except OSError:
                time.sleep(0.5)
        states = set()
        for _ in range(WORKERS * 8):
            with urllib.request.urlopen(url, timeout=30) as answer:
                states.add(answer.headers.get("X-Portal-Cache"))
        with urllib.request.urlopen(url, timeout=30) as answer:
            if answer.headers.get("X-Portal-Cache") != "hit":
                sys.exit(f"the page is not served from the cache: {states}")
        completed = subprocess.run(  # noqa: S603
            [
                wrk,
                f"-t{WRK_THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{DURATION}s",
                "--latency",
                url,
            ],
            capture_output=True,
            text=True,
            check=False,
            preexec_fn=nice,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(cache_folder, ignore_errors=True)
    output = completed.stdout
    if completed.returncode != 0:
        sys.exit(f"wrk failed:\n{output}\n{completed.stderr}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    latency = {p: re.search(rf"\s{p}%\s+([\d.]+\w+)", output) for p in ("50", "90", "99")}
    verdict = "ok" if rate >= CACHED_TARGET_RPS and not errors else "BELOW TARGET"
    print(
        f"cached {path}: gunicorn {WORKERS} × sync"
        + (f", nice {NICE}" if NICE else "")
        + f", wrk -t{WRK_THREADS} -c{CONNECTIONS} -d{DURATION}s: {rate:,.0f} requests/s; "
        + "latency "
        + ", ".join(f"p{p} {m.group(1) if m else '?'}" for p, m in latency.items())
        + (f"; NON-2xx {errors.group(1)}" if errors else "")
        + (f"; socket errors {socket_errors.group(1)}" if socket_errors else "")
        + f"; load {os.getloadavg()[0]:.1f}; target ≥ {CACHED_TARGET_RPS:g}/s: {verdict}"
    )


def main() -> None:
    nice()
    setup_django()
    from django.db import connection

    if os.environ.get("BENCH_SETUP") == "1":
        fill()
    path = article_path()
    from danvan.portal.models import ArticlePage

    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}, "
        f"{ArticlePage.objects.count()} articles; DEBUG off; {ROUNDS} rounds; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    if "uncached" in PARTS:
        uncached(path)
    connection.close()
    if "cached" in PARTS:
        cached(path)


if __name__ == "__main__":
    main()
