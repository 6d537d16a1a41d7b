"""A worker process killed in the middle of a message (PostgreSQL, a real second process): the
batch it was sending needs a person (its sending was recorded as begun in one write, and what it
sent is recorded at the batch's end: the message sent before the crash is among them, never sent
again by itself), the deliveries it had not claimed are sent by the next run once the lease has
run out, and nobody gets a message twice."""

import asyncio
import os
import signal
import subprocess
import sys
import threading

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from reports import services
from reports.models import Delivery, Subscriber
from reports.sending import report_deliver
from tests.factories import DeliverableFactory
from tests.reports.conftest import _free_port

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a second process shares the test database only on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


class StallingHandler:
    """Takes every message, except that the DATA of ``stall`` never gets an answer."""

    def __init__(self, stall: str) -> None:
        self.stall = stall
        self.stalled = threading.Event()
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        if self.stall in envelope.rcpt_tos:
            self.stalled.set()
            await asyncio.Event().wait()  # never answers
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted"


def test_a_worker_killed_mid_message_strands_nothing_and_sends_nothing_twice(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    emails = [f"person{n}@example.org" for n in range(5)]
    for email in emails:
        Subscriber.objects.create(email=email, state="subscribed")
    report = services.report_send(deliverable=DeliverableFactory(slug="update-1"), introduction="")
    handler = StallingHandler(stall=emails[1])
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        database = connection.settings_dict
        env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(controller.port),
            "EMAIL_TIMEOUT": "300",
            "DJANGO_SETTINGS_MODULE": "wgec.settings",
            "PYTHONPATH": str(django_settings.BASE_DIR),
        }
        worker = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from django.conf import settings; "
                "from reports import sending; settings.REPORTS_CLAIM_BATCH = 2; "
                "sending.SENT_RECORDED_EVERY = 3600; "
                f"sending.report_deliver(report_id={report.pk}, worker='doomed')",
            ],
            env=env,
            cwd=django_settings.BASE_DIR,
        )
        try:
            assert handler.stalled.wait(120), "the worker never reached the second message"
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        states = dict(report.deliveries.values_list("email", "state"))
        # The first batch, both begun; the first message went, unrecorded until the batch ends.
        assert states[emails[0]] == "sending" and states[emails[1]] == "sending"
        assert report.deliveries.filter(state="sending", started_at__isnull=False).count() == 2
        assert {states[e] for e in emails[2:]} == {"pending"}
        # The lease runs out (a minute, simulated): the next run takes over.
        Delivery.objects.filter(report=report, state="sending").update(
            lease_until=timezone.now() - timezone.timedelta(seconds=1)
        )
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
            }
        }
        counts = report_deliver(report_id=report.pk)
    finally:
        controller.stop()
    assert counts["sent"] == 3 and counts["attention"] == 2 and counts["sending"] == 0
    for email in emails[:2]:
        begun = report.deliveries.get(email=email)
        assert begun.state == Delivery.State.ATTENTION
        assert "may have been delivered" in begun.last_error
    assert sorted(handler.received) == sorted([emails[0], *emails[2:]])
