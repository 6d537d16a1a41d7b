"""Sending an update report to the mailing list over SMTP, against bare smtplib in the same run.

An SMTP sink (aiosmtpd's ``Sink`` handler, which accepts every message and keeps none) runs in
a process of its own on loopback. The report is composed from a map of 2,000 issues in 20
clusters (its message is the size of a report at the design's scale: the body details at most
five changes of each kind); 50,000 subscribers are queued, and a share of them sent by the
sending task with one worker (deliveries claimed, recorded sent, one message each), the rest
extrapolated (said so in each figure). Bare smtplib sends the very same messages' bytes, built
beforehand, over one connection: the floor of what a sender can do against this sink.
"""

import datetime
import logging
import os
import smtplib
import socket
import subprocess
import sys
import time

from django.db import connection
from django.test.utils import override_settings

from bench.bench_reports import _build_map, _subscribers
from bench.common import Figure
from reports import services
from reports.models import Deliverable, Delivery, Report
from reports.rendering import ReportMessages, delivery_recipient
from reports.sending import report_deliver

SUBSCRIBERS = 50_000
SENT_SAMPLE = int(os.environ.get("BENCH_SENT_SAMPLE", 5_000))
TARGET_MINUTES = 8  # issue 17: 50,000 addresses in under 8 minutes with one worker
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


def run() -> list[Figure]:
    _build_map(2_000)
    _subscribers()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    deliverable = Deliverable.objects.create(
        slug="update-1",
        kind=Deliverable.Kind.UPDATE_REPORT,
        title="First update report",
        due_date=datetime.date(2013, 11, 30),
    )
    port = _free_port()
    sink = _sink(port)
    smtp = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        }
    }
    figures: list[Figure] = []
    try:
        with override_settings(TASKS=DUMMY_TASKS, MAILERS=smtp):
            report = services.report_send(deliverable=deliverable, introduction="Hello")
            pending = Delivery.objects.filter(report=report, state="pending")
            # The share sent now; the rest waits (out of the claim's reach).
            pending.exclude(pk__in=pending.order_by("pk").values("pk")[:SENT_SAMPLE]).update(
                available_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
            )
            # The same messages' bytes for bare smtplib, built before its clock starts.
            messages = ReportMessages(report)
            sample = [
                (delivery.email, messages.message(delivery_recipient(delivery, "t")).smtp_bytes())
                for delivery in pending.order_by("pk")[:SENT_SAMPLE]
            ]
            size = sum(len(data) for _, data in sample) / len(sample)
            start = time.perf_counter()
            progress = logging.getLogger("reports.sending")
            level, progress.level = progress.level, logging.WARNING  # no line per batch
            try:
                report_deliver(report_id=report.pk, max_wait=0)
            finally:
                progress.setLevel(level)
            seconds = time.perf_counter() - start
            sent = Delivery.objects.filter(report=report, state="sent").count()
            assert sent == SENT_SAMPLE, sent
            start = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", port) as bare:
                for address, data in sample:
                    bare.sendmail("wgec@example.org", [address], data)
            bare_seconds = time.perf_counter() - start
    finally:
        sink.terminate()
        sink.wait()
    note = (
        f"{sent:,} sent in {seconds:,.1f} s, extrapolated to {SUBSCRIBERS:,}; "
        f"{size / 1024:,.0f} KB each"
    )
    figures += [
        Figure(
            "send to 50,000 subscribers over SMTP, one worker",
            seconds / sent * SUBSCRIBERS / 60,
            "min",
            TARGET_MINUTES,
            note,
        ),
        Figure("messages per second, one worker", sent / seconds, "/s"),
        Figure(
            "bare smtplib, the same messages built beforehand",
            len(sample) / bare_seconds,
            "/s",
            note=f"{len(sample):,} in {bare_seconds:,.1f} s over one connection",
        ),
        Figure(
            "one worker against bare smtplib",
            (seconds / sent) / (bare_seconds / len(sample)),
            "times",
        ),
    ]
    Report.objects.all().delete()
    return figures
