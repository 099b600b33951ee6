"""Benchmark: petitions received per second over HTTP (`POST /api/v1/petitions`).

Run against a benchmark database (never `danvan`), for example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench \\
        .venv/bin/python bench/petitions_intake.py

It starts gunicorn (`config.wsgi`, DEBUG off, a throw-away SECRET_KEY, the
rate limit raised, a local-memory cache) with `BENCH_WORKERS` workers on a
free port, sends `BENCH_REQUESTS` valid petitions from `BENCH_CLIENTS`
threads (urllib, one connection per request), and prints the petitions
stored per second and the latency percentiles. Target: at least 300/s.
"""

import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
COMMUNE = 28261  # Phường Mỹ Tho


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def body(n: int) -> bytes:
    """Return one valid petition, numbered `n`."""
    return json.dumps(
        {
            "kind": "feedback",
            "channel": "api",
            "title": f"Đèn đường hỏng số {n}",
            "content": "Đèn đường trước khu dân cư bị hỏng đã lâu, ban đêm rất tối.",
            "commune_code": COMMUNE,
            "category": "Đường giao thông nông thôn",
            "petitioners": [{"name": "Nguyễn Văn Bình", "phone": "0912345678"}],
        },
        ensure_ascii=False,
    ).encode()


def main() -> None:
    """Start gunicorn, fire the requests, print the figures, stop gunicorn."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.rstrip("/").endswith("/danvan") or "var/danvan.sqlite3" in url:
        sys.exit("Set DATABASE_URL to a benchmark database (not danvan, not var/).")
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PETITION_RATE_LIMIT": "1000000/s",
        "CACHE_URL": "locmemcache://",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    endpoint = f"http://127.0.0.1:{port}/api/v1/petitions"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
                break
            except OSError:
                time.sleep(0.5)

        def send(n: int) -> tuple[int, float]:
            request = urllib.request.Request(
                endpoint,
                data=body(n),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            return status, (time.perf_counter() - started) * 1000

        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(send, range(CLIENTS * 2)))  # warm-up: every worker connected
            started = time.perf_counter()
            results = list(pool.map(send, range(REQUESTS)))
            elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    created = sum(1 for status, _ in results if status == 201)
    others = sorted({status for status, _ in results if status != 201})
    latencies = sorted(ms for _, ms in results)
    print(
        f"{WORKERS} gunicorn workers, {CLIENTS} clients, {REQUESTS} requests: "
        f"{created} created ({created / elapsed:,.0f} petitions/s) in {elapsed:.1f} s; "
        f"latency median {statistics.median(latencies):.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms"
        + (f"; other statuses: {others}" if others else "")
    )


if __name__ == "__main__":
    main()
