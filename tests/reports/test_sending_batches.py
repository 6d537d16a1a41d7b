"""Deliveries are begun and recorded sent a batch at a time: what is recorded when a batch is
interrupted or its worker dies, a fixed number of queries a batch whatever its size, and two
workers sending one report never send an address two copies."""

import datetime
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports import sending, services
from reports.models import Delivery, Report, Subscriber
from reports.sending import report_deliver
from tests.factories import DeliverableFactory

pytestmark = pytest.mark.django_db

EMAILS = [f"person{n}@example.org" for n in range(5)]


class Stop(BaseException):  # noqa: N818 - what stops the worker, not an error it handles
    """The worker is stopped (a signal, an interpreter exit) in the middle of a message."""


def _report(emails: list[str], slug: str = "update-1") -> Report:
    for email in emails:
        Subscriber.objects.create(email=email, state="subscribed")
    # Sent, with its task left unqueued: each test runs the sending itself.
    return services.report_send(deliverable=DeliverableFactory(slug=slug), introduction="")


def _stop_at(monkeypatch, email: str, *, before) -> None:
    """The mailer stops the worker when it is about to send to ``email``, after ``before()``."""
    send = sending.Mailer.send

    def stopping(mailer, message):
        if message.to == [email]:
            before()
            raise Stop
        return send(mailer, message)

    monkeypatch.setattr(sending.Mailer, "send", stopping)


def _states(report: Report) -> dict[str, str]:
    return dict(report.deliveries.values_list("email", "state"))


def _after_the_lease(settings) -> None:
    Delivery.objects.filter(state="sending").update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_a_batch_is_begun_in_one_write_before_its_first_message(smtp_server, settings, monkeypatch):
    settings.REPORTS_CLAIM_BATCH = 5
    report = _report(EMAILS)
    seen = {}
    _stop_at(monkeypatch, EMAILS[1], before=lambda: seen.update(_states(report)))
    with pytest.raises(Stop):
        report_deliver(report_id=report.pk)
    # While the second message was being sent: the whole batch begun, nothing recorded sent.
    assert set(seen.values()) == {"sending"}
    assert len(smtp_server.to(EMAILS[0])) == 1


def test_an_interrupted_batch_records_what_it_sent_and_gives_back_what_it_had_not_begun(
    smtp_server, settings, monkeypatch
):
    settings.REPORTS_CLAIM_BATCH = 5
    report = _report(EMAILS)
    _stop_at(monkeypatch, EMAILS[2], before=lambda: None)
    with pytest.raises(Stop):
        report_deliver(report_id=report.pk)
    states = _states(report)
    assert [states[e] for e in EMAILS] == ["sent", "sent", "sending", "pending", "pending"]
    assert report.deliveries.get(email=EMAILS[0]).message_id.startswith("<")
    given_back = report.deliveries.filter(email__in=EMAILS[3:])
    assert {(d.attempts, d.started_at, d.claimed_by) for d in given_back} == {(0, None, "")}
    monkeypatch.undo()
    _after_the_lease(settings)
    counts = report_deliver(report_id=report.pk)
    # The one being sent when the worker stopped may have gone: it waits for a person.
    assert counts["sent"] == 4 and counts["attention"] == 1
    assert _states(report)[EMAILS[2]] == "attention"
    assert [len(smtp_server.to(e)) for e in EMAILS] == [1, 1, 0, 1, 1]


def test_a_worker_that_dies_mid_batch_leaves_its_whole_batch_to_a_person_and_sends_none_twice(
    smtp_server, settings, monkeypatch
):
    settings.REPORTS_CLAIM_BATCH = 3
    report = _report(EMAILS)
    # A process killed has no time to record or give back anything.
    monkeypatch.setattr(services, "deliveries_sent", lambda **kwargs: 0)
    monkeypatch.setattr(services, "deliveries_release", lambda **kwargs: 0)
    _stop_at(monkeypatch, EMAILS[1], before=lambda: None)
    with pytest.raises(Stop):
        report_deliver(report_id=report.pk)
    monkeypatch.undo()
    _after_the_lease(settings)
    counts = report_deliver(report_id=report.pk)
    states = _states(report)
    # The batch of three: the first sent, the second stopped, the third never begun; all wait
    # for a person's decision. The next batch is sent.
    assert [states[e] for e in EMAILS] == ["attention"] * 3 + ["sent"] * 2
    assert counts["sent"] == 2 and counts["attention"] == 3
    assert [len(smtp_server.to(e)) for e in EMAILS] == [1, 0, 0, 1, 1]


def test_a_failure_mid_batch_is_recorded_and_the_batchs_other_messages_are_sent(
    smtp_server, settings
):
    settings.REPORTS_CLAIM_BATCH = 5
    smtp_server.reject.add(EMAILS[2])
    report = _report(EMAILS)
    counts = report_deliver(report_id=report.pk)
    assert counts["sent"] == 4 and counts["failed"] == 1
    failed = report.deliveries.get(email=EMAILS[2])
    assert failed.state == "failed" and "550" in failed.last_error
    assert all(d.sent_at for d in report.deliveries.filter(state="sent"))


def _writes(queries) -> int:
    return sum(1 for query in queries if query["sql"].startswith("UPDATE"))


def test_the_writes_of_a_sending_grow_by_batch_not_by_message(smtp_server, settings):
    settings.REPORTS_CLAIM_BATCH = 10
    small = _report([f"small{n}@example.org" for n in range(10)])
    with CaptureQueriesContext(connection) as one_batch:
        report_deliver(report_id=small.pk)
    Subscriber.objects.all().delete()
    large = _report([f"large{n}@example.org" for n in range(40)], slug="update-2")
    with CaptureQueriesContext(connection) as four_batches:
        assert report_deliver(report_id=large.pk)["sent"] == 40
    # A batch: its claim, its beginning, its messages sent (and the lease, renewed at most
    # every few seconds); nothing written per message.
    per_batch = (_writes(four_batches) - _writes(one_batch)) / 3
    assert per_batch <= 4
    assert len(four_batches) - len(one_batch) <= 3 * 8


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two workers writing at once need a database with row locks",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_one_report_never_send_an_address_two_copies(smtp_server, settings):
    settings.REPORTS_CLAIM_BATCH = 4
    emails = [f"person{n}@example.org" for n in range(60)]
    report = _report(emails)
    start = threading.Barrier(2)
    errors = []

    def worker(name: str) -> None:
        try:
            start.wait()
            report_deliver(report_id=report.pk, worker=name)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(_states(report).values()) == {"sent"}
    assert sorted(r.recipients[0] for r in smtp_server.received) == sorted(emails)
