"""Sending an update report to the mailing list over SMTP, against bare smtplib in the same run.

An SMTP sink (aiosmtpd's ``Sink`` handler, which accepts every message and keeps none) runs in
a process of its own on loopback. The report is composed from a map of 2,000 issues in 20
clusters (its message is the size of a report at the design's scale: the body details at most
five changes of each kind); 50,000 subscribers are queued for each of two reports. A share of
the first is sent by one worker, a share of the second by two workers at once claiming from the
same report, the rest extrapolated (said so in each figure). Each worker is a process of its
own running the sending task's body (``report_deliver``: deliveries claimed and begun a batch
at a time, one message each, recorded sent a batch at a time), started together at an agreed
moment; the time runs from that moment to the last worker's end. On SQLite the benchmark's
database, held in memory, is first copied to a file the workers share. Bare smtplib sends the
very same messages' bytes, built beforehand, over one connection: the floor of what a sender
can do against this sink.
"""

import datetime
import json
import os
import smtplib
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from bench.bench_reports import _build_map, _subscribers
from bench.common import Figure
from reports import services
from reports.models import Deliverable, Delivery, Report
from reports.rendering import ReportMessages, delivery_recipient

SUBSCRIBERS = 50_000
SENT_SAMPLE = int(os.environ.get("BENCH_SENT_SAMPLE", 5_000))
TARGET_MINUTES = 8  # issue 17: 50,000 addresses in under 8 minutes with one worker
ROOT = Path(__file__).resolve().parent.parent
# A worker: Django set up, then waits for the agreed moment, sends, and says when it ended.
WORKER = """
import json, sys, time
import django
django.setup()
from reports.sending import report_deliver
report_id, name, at = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
time.sleep(max(at - time.time(), 0))
counts = report_deliver(report_id=report_id, worker=name, max_wait=0)
print(json.dumps({"ended": time.time(), "stopped": counts.get("stopped", "")}))
"""
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sink(port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed module
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
        + ["-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=1) as probe:
                probe.noop()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the SMTP sink did not start")


def _database_url(folder: str) -> str:
    """The benchmark's database for the workers: PostgreSQL's test database, or on SQLite a
    file copy of the one in memory."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = Path(folder) / "sending.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _sent(database_url: str, report_id: int) -> int:
    if database_url.startswith("sqlite:"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            query = "SELECT count(*) FROM reports_delivery WHERE report_id = ? AND state = 'sent'"
            return db.execute(query, (report_id,)).fetchone()[0]
    return Delivery.objects.filter(report_id=report_id, state="sent").count()


def _workers(count: int, report_id: int, database_url: str, port: int) -> float:
    """Seconds ``count`` worker processes take to send what is claimable of a report."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wgec.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("INBOUND_ADDRESS", None)
    at = time.time() + 8  # long enough for every worker to set Django up first
    processes = [
        subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", WORKER, str(report_id), f"bench-{n}", str(at)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(count)
    ]
    ended = []
    for process in processes:
        output, _ = process.communicate()
        assert process.returncode == 0, output
        result = json.loads(output.strip().splitlines()[-1])
        assert not result["stopped"], result["stopped"]
        ended.append(result["ended"])
    return max(ended) - at


def _report(slug: str, title: str) -> Report:
    deliverable = Deliverable.objects.create(
        slug=slug,
        kind=Deliverable.Kind.UPDATE_REPORT,
        title=title,
        due_date=datetime.date(2013, 11, 30),
    )
    report = services.report_send(deliverable=deliverable, introduction="Hello")
    pending = Delivery.objects.filter(report=report, state="pending")
    # The share sent now; the rest waits (out of the claim's reach).
    pending.exclude(pk__in=pending.order_by("pk").values("pk")[:SENT_SAMPLE]).update(
        available_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
    )
    return report


def run() -> list[Figure]:
    _build_map(2_000)
    _subscribers()
    port = _free_port()
    smtp = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        }
    }
    with override_settings(TASKS=DUMMY_TASKS, MAILERS=smtp):
        one = _report("update-1", "First update report")
        two = _report("update-2", "Second update report")
        # The same messages' bytes for bare smtplib, built before its clock starts.
        messages = ReportMessages(one)
        sample = [
            (
                delivery.email,
                messages.message(
                    delivery_recipient(delivery, "t"), written_on=timezone.localdate()
                ).smtp_bytes(),
            )
            for delivery in Delivery.objects.filter(report=one, state="pending").order_by("pk")[
                :SENT_SAMPLE
            ]
        ]
    size = sum(len(data) for _, data in sample) / len(sample)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    sink = _sink(port)
    try:
        with tempfile.TemporaryDirectory() as folder:
            database_url = _database_url(folder)
            seconds = {1: _workers(1, one.pk, database_url, port)}
            seconds[2] = _workers(2, two.pk, database_url, port)
            sent = {1: _sent(database_url, one.pk), 2: _sent(database_url, two.pk)}
        assert sent == {1: SENT_SAMPLE, 2: SENT_SAMPLE}, sent
        start = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as bare:
            for address, data in sample:
                bare.sendmail("wgec@example.org", [address], data)
        bare_seconds = time.perf_counter() - start
    finally:
        sink.terminate()
        sink.wait()
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    figures: list[Figure] = []
    for workers, label in ((1, "one worker"), (2, "two workers")):
        per_second = sent[workers] / seconds[workers]
        figures += [
            Figure(
                f"send to 50,000 subscribers over SMTP, {label}",
                SUBSCRIBERS / per_second / 60,
                "min",
                TARGET_MINUTES,
                f"{sent[workers]:,} sent in {seconds[workers]:,.1f} s, extrapolated to "
                f"{SUBSCRIBERS:,}; {size / 1024:,.0f} KB each; load average {load}",
            ),
            Figure(f"messages per second, {label}", per_second, "/s"),
        ]
    bare_rate = len(sample) / bare_seconds
    figures += [
        Figure(
            "bare smtplib, the same messages built beforehand",
            bare_rate,
            "/s",
            note=f"{len(sample):,} in {bare_seconds:,.1f} s over one connection",
        ),
        Figure("one worker against bare smtplib", bare_rate / (sent[1] / seconds[1]), "times"),
        Figure("two workers against bare smtplib", bare_rate / (sent[2] / seconds[2]), "times"),
    ]
    Report.objects.all().delete()
    return figures
