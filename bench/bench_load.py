"""The load test: gunicorn with 2 workers on PostgreSQL, 50 concurrent clients browsing the map
(the issue list, a cluster's list, issue pages, the matrix and a cluster's grid) for 60 s, with
and without the page cache; requests per second, p50, p95 and p99, errors, per kind of page.

The server runs as a deployment does (DEBUG off, a SECRET_KEY, ALLOWED_HOSTS, collected static
files) in its own processes, serving the benchmark's database built at BENCH_LOAD_SCALE (10 by
default; 1, 10 or 100: the data of bench_floors). The clients are one asyncio loop in this
process: each sends a request, reads the whole answer, and sends the next; every request is
bounded by a 30 s timeout, counted as an error past it. PostgreSQL only (SQLite's test database
lives in this process's memory, out of the server's reach). BENCH_LOAD_SECONDS and
BENCH_LOAD_CLIENTS shorten a run while developing; BENCH_LOAD_CACHES lists the runs
(``none``: the page cache off; ``db``: the database cache; ``redis``: Redis at
BENCH_LOAD_REDIS_URL, by default 127.0.0.1:6379, database 9); BENCH_LOAD_MEMBERS the runs (of
the same caches) made again with every client signed in as a member of the correspondence
group, each with their own session (``redis`` by default: the pages kept whole for their role,
an issue's page too, as none of them commented on the issues they read; it is built around
their comments for those who did).
"""

import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import connection
from django.test import Client

from bench import bench_floors
from bench.common import Figure
from issues.models import Issue
from tests.factories import ParticipantFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
SCALE = int(os.environ.get("BENCH_LOAD_SCALE", 10))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", 60))
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", 50))
CACHES = [c for c in os.environ.get("BENCH_LOAD_CACHES", "none,redis").split(",") if c]
MEMBER_CACHES = [c for c in os.environ.get("BENCH_LOAD_MEMBERS", "redis").split(",") if c]
# BENCH_LOAD_REDIS_URL: the Redis database the run may empty (each run starts from an empty
# cache); never one that something else keeps data in.
CACHE_URLS = {
    "none": "db",
    "db": "db",
    "redis": os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/9"),
}
WORKERS = 2
TIMEOUT = 30.0
# Issue 17's target for the load test: no errors, p95 under 500 ms.
P95_TARGET_MS = 500
# What a visitor of the map asks for, and how often (weights). BENCH_LOAD_MIX=cached asks only
# for the pages the page cache keeps, to show its effect apart from the others.
MIXES = {
    "map": {"list": 2, "cluster list": 2, "issue page": 4, "matrix": 1, "cluster grid": 1},
    "cached": {"matrix": 1, "cluster grid": 2, "gaps": 1, "open data": 1},
}
MIX = os.environ.get("BENCH_LOAD_MIX", "map")
KINDS = MIXES[MIX]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _environment(cache_url: str, port: int, page_cache_seconds: int = 0) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wgec.settings",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_URL": cache_url,
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _start(port: int, cache: str) -> subprocess.Popen:
    env = _environment(CACHE_URLS[cache], port, 0 if cache == "none" else 3600)
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wgec.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):  # noqa: S310
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("gunicorn stopped before serving.") from None
            time.sleep(0.5)
    _stop(server)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s.")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


async def _get(port: int, path: str, cookie: str = "") -> int:
    """One request on its own connection (gunicorn's sync workers close it after each answer),
    with the session's cookie if any; the status code, after the whole body is read."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    cookie = f"Cookie: {cookie}\r\n" if cookie else ""
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Language: en\r\n"
            f"{cookie}Connection: close\r\n\r\n".encode()
        )
        await writer.drain()
        status_line = await reader.readline()
        while await reader.read(65536):
            pass
        return int(status_line.split()[1])
    finally:
        writer.close()


async def _load(port: int, paths: dict[str, list[str]], cookies: list[str]) -> dict[str, dict]:
    results: dict[str, dict] = defaultdict(lambda: {"times": [], "errors": 0})
    kinds, weights = list(KINDS), list(KINDS.values())
    stop_at = time.monotonic() + SECONDS

    async def client(seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - a browsing pattern, not a secret
        cookie = cookies[seed % len(cookies)] if cookies else ""
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            path = rng.choice(paths[kind])
            start = time.perf_counter()
            try:
                status = await asyncio.wait_for(_get(port, path, cookie), TIMEOUT)
            except (OSError, TimeoutError, ValueError, IndexError):
                status = 0
            elapsed = time.perf_counter() - start
            if status == 200:
                results[kind]["times"].append(elapsed)
            else:
                results[kind]["errors"] += 1

    await asyncio.gather(*(client(n) for n in range(CLIENTS)))
    return results


def _paths() -> dict[str, list[str]]:
    on_map = list(
        Issue.objects.filter(state="on_map", cluster__slug__startswith="c").values_list(
            "pk", flat=True
        )
    )
    rng = random.Random(17)  # noqa: S311
    clusters = [f"c{n}" for n in range(7)]
    return {
        "list": ["/issues/", "/issues/?page=2"],
        "cluster list": [f"/issues/?cluster={slug}" for slug in clusters],
        "issue page": [f"/issues/{pk}/" for pk in rng.sample(on_map, min(500, len(on_map)))],
        "matrix": ["/issues/matrix/"],
        "cluster grid": [f"/issues/matrix/?cluster={slug}" for slug in clusters],
        "gaps": ["/issues/gaps/"],
        "open data": ["/data/mechanisms.json", "/data/issues.csv"],
    }


def _member_cookies(count: int) -> list[str]:
    """The session cookies of ``count`` members of the correspondence group, signed in."""
    cookies = []
    for n in range(count):
        client = Client()
        client.force_login(
            ParticipantFactory(
                user=UserFactory(username=f"load-member-{n}"), correspondence_group=True
            ).user
        )
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session}")
    return cookies


def _percentile(times: list[float], share: float) -> float:
    if len(times) < 2:
        return times[0] if times else 0.0
    return statistics.quantiles(times, n=100, method="inclusive")[round(share * 100) - 1]


def run():
    if connection.vendor != "postgresql":
        print("  (the load test runs on PostgreSQL only)")
        return
    start = time.perf_counter()
    bench_floors._build(SCALE)
    yield Figure(f"building the data ({SCALE}x)", time.perf_counter() - start, "s")
    # The static files as a deployment collects them (with their manifest, which the
    # benchmark's own process, set up for plain static files, would not write).
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_environment(CACHE_URLS["none"], 8000),
        check=True,
    )
    paths = _paths()
    members = _member_cookies(CLIENTS) if MEMBER_CACHES else []
    runs = [(cache, []) for cache in CACHES] + [(cache, members) for cache in MEMBER_CACHES]
    for cache, cookies in runs:
        # Each run starts from an empty cache.
        if cache == "db":
            default_cache.clear()
        if cache == "redis":
            import redis

            redis.Redis.from_url(CACHE_URLS["redis"]).flushdb()
        port = _free_port()
        server = _start(port, cache)
        try:
            results = asyncio.run(_load(port, paths, cookies))
        finally:
            _stop(server)
        label = "no page cache" if cache == "none" else f"page cache in {cache}"
        if cookies:
            label += ", members signed in"
        if MIX != "map":
            label += f", {MIX} pages only"
        where = f"{SCALE}x, {CLIENTS} clients, {SECONDS:g} s, {WORKERS} gunicorn workers, {label}"
        total = sum(len(r["times"]) + r["errors"] for r in results.values())
        yield Figure(
            f"load, all pages ({label}): requests/s", total / SECONDS, "req/s", None, where
        )
        for kind in KINDS:
            times = sorted(results[kind]["times"])
            errors = results[kind]["errors"]
            ms = {share: _percentile(times, share) * 1000 for share in (0.5, 0.95, 0.99)}
            yield Figure(
                f"load, {kind} ({label}): p95",
                ms[0.95],
                "ms",
                P95_TARGET_MS,
                f"{where}; {(len(times) + errors) / SECONDS:,.1f} req/s, p50 {ms[0.5]:,.0f} ms, "
                f"p99 {ms[0.99]:,.0f} ms",
            )
            yield Figure(f"load, {kind} ({label}): errors", errors, "errors", 0, where)
