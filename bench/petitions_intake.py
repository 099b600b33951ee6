"""Benchmark: petitions received per second over HTTP (`POST /api/v1/petitions`).

Run against a benchmark database (never `danvan`), one benchmark at a time:

    flock /tmp/bench.lock env \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench \\
        .venv/bin/python bench/petitions_intake.py

It starts gunicorn (`config.wsgi`, DEBUG off, a throw-away SECRET_KEY, the
rate limit raised, a local-memory cache or `BENCH_CACHE_URL`: the rate limit
counts in it) on a free port with
`BENCH_WORKERS` workers (`BENCH_WORKER_CLASS`, default `sync`;
`BENCH_THREADS` threads each for `gthread`; more options in
`BENCH_GUNICORN_ARGS`, e.g. `-c profile.conf.py`), warms every worker up, then
sends valid petitions, each with a title of its own (and, with
`BENCH_IDEMPOTENCY=1`, an `Idempotency-Key` of its own):

- with `wrk` when it is installed (`apt-get install wrk`; `BENCH_CLIENT=wrk`
  to require it): `BENCH_CONNECTIONS` connections (default 16) on
  `BENCH_WRK_THREADS` threads (default 1) for `BENCH_DURATION` seconds
  (default 20). A C client costs the two cores far less than Python threads.
- else (or with `BENCH_CLIENT=python`) with urllib from `BENCH_CLIENTS`
  threads (default 16), one connection per request, `BENCH_REQUESTS`
  requests (default 2000).

A figure counts only what was stored: the petitions of the run are counted
in the database afterwards (by their titles' run marker), every answer must
be 201, and the count must match the 201 answers (wrk may stop with a few
requests in flight, which the server still stores: at most one per
connection). It then prints the petitions stored per second, the latency
percentiles and the CPU time per petition of each side, read from `/proc`:
the gunicorn processes, the PostgreSQL backends of the benchmark database,
the load generator, and the rest of the machine (other work). Exits 1 if
the check fails. Target: at least 300/s.

On a machine shared with other work, `BENCH_NICE=-10` (root) runs gunicorn,
wrk and the benchmark database's PostgreSQL backends before it: closer to
an idle machine (say so with the figures).
"""

import json
import os
import re
import resource
import secrets
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
CLIENT = os.environ.get("BENCH_CLIENT", "auto")
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "1"))
DURATION = int(os.environ.get("BENCH_DURATION", "20"))
IDEMPOTENCY = os.environ.get("BENCH_IDEMPOTENCY", "") == "1"
GUNICORN_ARGS = shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", ""))
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "locmemcache://")
NICE = int(os.environ.get("BENCH_NICE", "0"))
COMMUNE = 28261  # Phường Mỹ Tho
TITLE = "Đèn đường hỏng"
CONTENT = "Đèn đường trước khu dân cư bị hỏng đã lâu, ban đêm rất tối."
CATEGORY = "Đường giao thông nông thôn"
PETITIONER = {"name": "Nguyễn Văn Bình", "phone": "0912345678"}
TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Result:
    """What the load generator saw: answers, errors and latencies (µs)."""

    created: int
    requests: int
    duration_us: float
    errors: dict[str, int]
    others: dict[str, int]
    p50_us: float
    p95_us: float
    p99_us: float


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def payload(title: str) -> dict[str, object]:
    """Return one valid petition with `title`."""
    return {
        "kind": "feedback",
        "title": title,
        "content": CONTENT,
        "commune_code": COMMUNE,
        "category": CATEGORY,
        "petitioners": [PETITIONER],
    }


def body(marker: str, n: int) -> bytes:
    """Return one valid petition of the run `marker`, numbered `n`."""
    return json.dumps(payload(f"{TITLE} {marker} số {n}"), ensure_ascii=False).encode()


# Each request posts `payload`, cut where its title's number goes (`BEFORE`
# and `AFTER`): the number is the wrk thread's id and its request counter.
WRK_SCRIPT = """
-- `thread_id`, `created` and `others` are globals: wrk's thread:get and
-- thread:set read and write a thread's globals.
local counter = 0
local threads = {}
created = 0
others = {}
thread_id = 0

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  created = 0
  others = {}
end

function request()
  counter = counter + 1
  local n = thread_id .. "-" .. counter
  local headers = {["Content-Type"] = "application/json"}
  if IDEMPOTENCY then
    headers["Idempotency-Key"] = MARKER .. "-" .. n
  end
  return wrk.format("POST", PATH, headers, BEFORE .. n .. AFTER)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    others[status] = (others[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_created = 0
  local statuses = {}
  for _, thread in ipairs(threads) do
    total_created = total_created + thread:get("created")
    for status, count in pairs(thread:get("others")) do
      statuses[#statuses + 1] = string.format('"%d": %d', status, count)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK-RESULT {"created": %d, "requests": %d, "duration_us": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, '
      .. '"others": {%s}, "p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d}\\n',
    total_created, summary.requests, summary.duration,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    table.concat(statuses, ", "), latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def lua_string(value: str) -> str:
    """Return `value` as a Lua string literal (long brackets, bytes kept)."""
    level = "=" * 3
    if f"]{level}]" in value:
        raise ValueError("cannot quote this value")
    return f"[{level}[{value}]{level}]"


def wrk_script(marker: str, path: str) -> str:
    """Return the wrk script that posts the run's petitions to `path`."""
    before, after = json.dumps(payload(f"{TITLE} {marker} số @"), ensure_ascii=False).split("@")
    return (
        f"PATH = {lua_string(path)}\n"
        f"MARKER = {lua_string(marker)}\n"
        f"BEFORE = {lua_string(before)}\n"
        f"AFTER = {lua_string(after)}\n"
        f"IDEMPOTENCY = {'true' if IDEMPOTENCY else 'false'}\n" + WRK_SCRIPT
    )


def nice() -> None:
    """Run at `BENCH_NICE` (negative: before the machine's other work; root only)."""
    if NICE:
        os.setpriority(os.PRIO_PROCESS, 0, NICE)


# --- CPU accounting from /proc ------------------------------------------------


def _proc_times(pid: int) -> tuple[float, str, int] | None:
    """Return (CPU seconds, command line, parent pid) of `pid`, or None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK, cmdline, int(fields[1])


def _pids() -> Iterable[int]:
    return (int(name) for name in os.listdir("/proc") if name.isdigit())


def cpu_snapshot(server_pid: int, database: str) -> dict[str, dict[int, float]]:
    """Return the CPU seconds used so far per process, grouped by side."""
    groups: dict[str, dict[int, float]] = {"gunicorn": {}, "postgres": {}, "postgres_other": {}}
    for pid in _pids():
        found = _proc_times(pid)
        if found is None:
            continue
        seconds, cmdline, parent = found
        if pid == server_pid or parent == server_pid:
            groups["gunicorn"][pid] = seconds
        elif cmdline.startswith("postgres:"):
            side = "postgres" if f" {database} " in f"{cmdline} " else "postgres_other"
            groups[side][pid] = seconds
    return groups


def machine_busy() -> float:
    """Return the CPU seconds the whole machine has spent busy so far (all cores)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICK


def cpu_used(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]
) -> dict[str, float]:
    """Return the CPU seconds each side used between two snapshots."""
    return {
        side: sum(seconds - before[side].get(pid, 0.0) for pid, seconds in after[side].items())
        for side in after
    }


# --- the run -------------------------------------------------------------------


def run_wrk(wrk: str, endpoint: str, marker: str) -> Result:
    """Post petitions with wrk for `DURATION` seconds; return its result."""
    path = "/" + endpoint.split("/", 3)[3]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", encoding="utf-8") as script:
        script.write(wrk_script(marker, path))
        script.flush()
        completed = subprocess.run(  # noqa: S603
            [
                wrk,
                f"-t{WRK_THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{DURATION}s",
                "--timeout",
                "30s",
                "-s",
                script.name,
                endpoint,
            ],
            capture_output=True,
            text=True,
            check=False,
            preexec_fn=nice,
        )
    found = re.search(r"^WRK-RESULT (.*)$", completed.stdout, re.MULTILINE)
    if completed.returncode != 0 or found is None:
        sys.exit(f"wrk failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}")
    data = json.loads(found.group(1))
    return Result(
        created=data["created"],
        requests=data["requests"],
        duration_us=data["duration_us"],
        errors={name: count for name, count in data["errors"].items() if count},
        others=data["others"],
        p50_us=data["p50_us"],
        p95_us=data["p95_us"],
        p99_us=data["p99_us"],
    )


def post(endpoint: str, data: bytes, headers: dict[str, str] | None = None) -> int:
    """Post `data` as JSON to `endpoint` (a new connection); return the status, 0 on failure."""
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
        endpoint,
        data=data,
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def run_python(endpoint: str, marker: str, pool: ThreadPoolExecutor) -> Result:
    """Post `REQUESTS` petitions from `CLIENTS` threads; return the same shape as wrk."""

    def send(n: int) -> tuple[int, float]:
        headers = {"Idempotency-Key": f"{marker}-{n}"} if IDEMPOTENCY else {}
        started = time.perf_counter()
        status = post(endpoint, body(marker, n), headers)
        return status, (time.perf_counter() - started) * 1e6

    started = time.perf_counter()
    results = list(pool.map(send, range(REQUESTS)))
    elapsed = time.perf_counter() - started
    latencies = sorted(us for _, us in results)
    others: dict[str, int] = {}
    for status, _ in results:
        if status != 201:
            others[str(status)] = others.get(str(status), 0) + 1

    def percentile(p: int) -> float:
        return latencies[max(0, int(len(latencies) * p / 100) - 1)]

    return Result(
        created=len(results) - sum(others.values()),
        requests=len(results),
        duration_us=elapsed * 1e6,
        errors={},
        others=others,
        p50_us=statistics.median(latencies),
        p95_us=percentile(95),
        p99_us=percentile(99),
    )


def stored_count(marker: str, after_pk: int) -> int:
    """Return how many petitions of the run `marker` are stored."""
    from danvan.petitions.models import Petition

    return Petition.objects.filter(pk__gt=after_pk, title__startswith=f"{TITLE} {marker} ").count()


def main() -> None:
    """Start gunicorn, fire the requests, check and print the figures, stop gunicorn."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.rstrip("/").endswith("/danvan") or "var/danvan.sqlite3" in url:
        sys.exit("Set DATABASE_URL to a benchmark database (not danvan, not var/).")
    wrk = shutil.which("wrk")
    if CLIENT == "wrk" and wrk is None:
        sys.exit("BENCH_CLIENT=wrk but wrk is not installed (apt-get install wrk).")
    use_wrk = wrk is not None and CLIENT != "python"
    nice()  # the Python client's threads, when they make the requests
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PETITION_RATE_LIMIT": "1000000/s",
        "CACHE_URL": CACHE_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    os.environ.update({key: env[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.db import connection

    django.setup()
    from danvan.petitions.models import Petition

    database = str(connection.settings_dict["NAME"])
    last_pk = Petition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    connection.close()
    marker = f"bench-{secrets.token_hex(4)}"

    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        WORKER_CLASS,
        "--threads",
        str(THREADS),
        "--log-level",
        "warning",
        *GUNICORN_ARGS,
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, preexec_fn=nice)  # noqa: S603
    endpoint = f"http://127.0.0.1:{port}/api/v1/petitions"
    pool = ThreadPoolExecutor(max(CLIENTS, WORKERS * THREADS * 2))
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
                break
            except OSError:
                time.sleep(0.5)
        # Warm-up: every worker imported, connected, its caches filled.
        warm = list(
            pool.map(lambda n: post(endpoint, body(f"{marker}w", n)), range(WORKERS * THREADS * 8))
        )
        if set(warm) != {201}:
            sys.exit(f"warm-up answers: {sorted(set(warm))}")
        before = cpu_snapshot(server.pid, database)
        for pid in before["postgres"] if NICE else ():
            os.setpriority(os.PRIO_PROCESS, pid, NICE)
        busy_before = machine_busy()
        window = time.monotonic()
        self_before = resource.getrusage(resource.RUSAGE_SELF)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        if wrk is not None and use_wrk:
            result = run_wrk(wrk, endpoint, marker)
        else:
            result = run_python(endpoint, marker, pool)
        self_after = resource.getrusage(resource.RUSAGE_SELF)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        after = cpu_snapshot(server.pid, database)
        busy = machine_busy() - busy_before
        window = time.monotonic() - window
        time.sleep(2)  # what was in flight when wrk stopped is stored now
    finally:
        pool.shutdown()
        server.terminate()
        server.wait(timeout=30)

    if use_wrk:
        client_cpu = (children_after.ru_utime + children_after.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
    else:
        client_cpu = (self_after.ru_utime + self_after.ru_stime) - (
            self_before.ru_utime + self_before.ru_stime
        )
    used = cpu_used(before, after)
    stored = stored_count(marker, last_pk)
    created = result.created
    elapsed = result.duration_us / 1e6
    in_flight = stored - created
    ok = (
        created == result.requests
        and not result.others
        and not result.errors
        and 0 <= in_flight <= (CONNECTIONS if use_wrk else 0)
    )
    client = (
        f"wrk -t{WRK_THREADS} -c{CONNECTIONS} -d{DURATION}s"
        if use_wrk
        else f"{CLIENTS} Python threads (urllib)"
    )
    server_desc = (
        (f"nice {NICE}, " if NICE else "")
        + f"gunicorn {WORKERS} × {WORKER_CLASS}"
        + (f" ({THREADS} threads)" if WORKER_CLASS == "gthread" else "")
        + (f", cache {CACHE_URL.split(':')[0]}" if CACHE_URL != "locmemcache://" else "")
    )
    ms = 1000 / max(created, 1)
    known = used["gunicorn"] + used["postgres"] + used["postgres_other"] + client_cpu
    print(
        f"{server_desc}, {client}"
        + (", Idempotency-Key" if IDEMPOTENCY else "")
        + f": {created} created in {elapsed:.1f} s = {created / elapsed:,.1f} petitions/s; "
        f"stored {stored} ({in_flight} in flight at the end); "
        f"latency p50 {result.p50_us / 1000:.0f} ms, "
        f"p95 {result.p95_us / 1000:.0f} ms, "
        f"p99 {result.p99_us / 1000:.0f} ms"
    )
    print(
        f"CPU per petition: gunicorn {used['gunicorn'] * ms:.2f} ms, "
        f"postgres backends {used['postgres'] * ms:.2f} ms, "
        f"other postgres processes {used['postgres_other'] * ms:.2f} ms, "
        f"client {client_cpu * ms:.2f} ms, "
        f"rest of the machine {(busy - known) * ms:.2f} ms; "
        f"machine busy {busy / window / (os.cpu_count() or 1) * 100:.0f} % of "
        f"{os.cpu_count()} cores"
    )
    if not ok:
        print(
            f"CHECK FAILED: {result.requests} answers, {created} of them 201, others "
            f"{result.others}, errors {result.errors}, {stored} stored"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
