"""Sending never strands and never hangs: a dead worker's deliveries are taken back when the
lease of its claim runs out, an SMTP server that refuses or does not answer stops the run with
what is pending kept, and one bad address or name never stops the others."""

import datetime
import socket

import pytest
from django.utils import timezone

from reports import services
from reports.models import Delivery, Report, Subscriber
from reports.sending import report_deliver
from tests.factories import DeliverableFactory
from tests.reports.conftest import _free_port

pytestmark = pytest.mark.django_db


def _report_with(*emails: str, names: dict[str, str] | None = None) -> Report:
    names = names or {}
    for email in emails:
        Subscriber.objects.create(email=email, name=names.get(email, ""), state="subscribed")
    # Sent, with its task left unqueued (nothing runs after a commit here): each test runs the
    # sending itself.
    return services.report_send(deliverable=DeliverableFactory(slug="update-1"), introduction="")


def _claimed_by_a_dead_worker(report: Report, email: str, **fields) -> Delivery:
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    delivery = report.deliveries.get(email=email)
    Delivery.objects.filter(pk=delivery.pk).update(
        state="sending", claimed_by="dead-worker:1", claimed_at=long_ago, **fields
    )
    return delivery


def test_a_delivery_claimed_by_a_worker_that_died_is_taken_back_when_its_lease_runs_out(
    smtp_server,
):
    report = _report_with("ana@example.org", "ben@example.org")
    expired = timezone.now() - datetime.timedelta(seconds=1)
    for email in ("ana@example.org", "ben@example.org"):
        _claimed_by_a_dead_worker(report, email, lease_until=expired)
    counts = report_deliver(report_id=report.pk)
    assert counts["sent"] == 2 and counts["attention"] == 0
    assert len(smtp_server.to("ana@example.org")) == 1
    assert len(smtp_server.to("ben@example.org")) == 1
    assert report.deliveries.get(email="ana@example.org").attempts == 1


def test_a_delivery_whose_lease_still_runs_is_left_to_its_worker(smtp_server):
    report = _report_with("ana@example.org")
    _claimed_by_a_dead_worker(
        report, "ana@example.org", lease_until=timezone.now() + datetime.timedelta(seconds=30)
    )
    counts = report_deliver(report_id=report.pk)
    assert counts["sending"] == 1
    assert smtp_server.received == []


def test_the_lease_runs_a_minute_from_the_claim_and_is_renewed_when_its_batch_begins(settings):
    settings.REPORTS_LEASE_SECONDS = 60
    report = _report_with("ana@example.org", "ben@example.org")
    t0 = timezone.now()
    batch = services.deliveries_claim(report_id=report.pk, worker="w", now=t0)
    assert {d.lease_until for d in batch} == {t0 + datetime.timedelta(seconds=60)}
    later = t0 + datetime.timedelta(seconds=50)
    assert services.deliveries_start(deliveries=batch, now=later) == batch
    for delivery in Delivery.objects.filter(report=report):
        assert delivery.lease_until == later + datetime.timedelta(seconds=60)
        assert delivery.started_at == later and delivery.attempts == 1
    # Nobody may take them meanwhile, even after the first lease would have run out.
    assert (
        services.deliveries_claim(
            report_id=report.pk, worker="other", now=t0 + datetime.timedelta(seconds=61)
        )
        == []
    )


def test_a_claim_being_sent_is_renewed_and_a_lost_one_is_not(settings):
    settings.REPORTS_LEASE_SECONDS = 60
    report = _report_with("ana@example.org", "ben@example.org")
    t0 = timezone.now()
    batch = services.deliveries_claim(report_id=report.pk, worker="w", now=t0)
    services.deliveries_start(deliveries=batch, now=t0)
    token = batch[0].claimed_by
    later = t0 + datetime.timedelta(seconds=30)
    assert services.claim_renew(report_id=report.pk, token=token, now=later)
    assert set(report.deliveries.values_list("lease_until", flat=True)) == {
        later + datetime.timedelta(seconds=60)
    }
    too_late = later + datetime.timedelta(seconds=61)
    assert not services.claim_renew(report_id=report.pk, token=token, now=too_late)


def test_a_worker_whose_lease_ran_out_does_not_send_what_another_took_back(settings):
    report = _report_with("ana@example.org", "ben@example.org")
    t0 = timezone.now()
    slow = services.deliveries_claim(report_id=report.pk, worker="slow", now=t0, limit=1)
    after_lease = t0 + datetime.timedelta(seconds=settings.REPORTS_LEASE_SECONDS + 1)
    taken = services.deliveries_claim(report_id=report.pk, worker="next", now=after_lease)
    assert slow[0].pk in {d.pk for d in taken}
    assert services.deliveries_start(deliveries=slow, now=after_lease) == []
    assert services.deliveries_start(deliveries=taken, now=after_lease) == taken


def test_an_smtp_server_that_refuses_connections_stops_the_run_and_keeps_everything_pending(
    settings,
):
    port = _free_port()  # nothing listens there: the connection is refused
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    report = _report_with("ana@example.org", "ben@example.org", "cy@example.org")
    counts = report_deliver(report_id=report.pk)
    assert counts["pending"] == 3 and counts["sending"] == 0 and counts["failed"] == 0
    assert f"the SMTP server 127.0.0.1:{port} cannot be used" in counts["stopped"]
    assert "ConnectionRefusedError" in counts["stopped"]
    # No delivery used up a retry, and the one tried says why it is still pending.
    assert set(report.deliveries.values_list("attempts", flat=True)) == {0}
    assert report.deliveries.exclude(last_error="").count() == 1


def test_an_smtp_server_that_never_answers_stops_the_run_after_the_timeout(settings):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)  # accepts connections and never says a word
        port = silent.getsockname()[1]
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 1},
            }
        }
        report = _report_with("ana@example.org", "ben@example.org")
        counts = report_deliver(report_id=report.pk)
    assert counts["pending"] == 2
    assert "timed out" in counts["stopped"]


def test_an_address_that_cannot_be_written_fails_on_its_delivery_and_the_others_go(smtp_server):
    report = _report_with("ana@example.org", "ana smith@example.org", "ben@example.org")
    counts = report_deliver(report_id=report.pk)
    bad = report.deliveries.get(email="ana smith@example.org")
    assert bad.state == Delivery.State.FAILED
    assert "cannot write the message" in bad.last_error and "ana smith" in bad.last_error
    assert counts["sent"] == 2 and counts["sending"] == 0


def test_an_address_the_smtp_server_refuses_fails_on_its_delivery_and_the_others_go(
    smtp_server,
):
    smtp_server.reject.add("nobody@example.org")
    report = _report_with("ana@example.org", "nobody@example.org", "ben@example.org")
    counts = report_deliver(report_id=report.pk)
    refused = report.deliveries.get(email="nobody@example.org")
    assert refused.state == Delivery.State.FAILED
    assert "recipient refused: 550" in refused.last_error
    assert counts["sent"] == 2


def test_a_name_with_line_breaks_never_adds_a_header_to_the_message(smtp_server):
    name = "Eve\r\nBcc: victim@example.org\r\nSubject: forged"
    report = _report_with("eve@example.org", "ana@example.org", names={"eve@example.org": name})
    counts = report_deliver(report_id=report.pk)
    assert counts["sent"] == 2
    [received] = smtp_server.to("eve@example.org")
    assert received.recipients == ["eve@example.org"]
    message = received.message
    assert message["Bcc"] is None
    assert message.get_all("Subject") == [report.subject]
    assert message["To"].addresses[0].addr_spec == "eve@example.org"
    assert message["To"].addresses[0].display_name == "Eve Bcc: victim@example.org Subject: forged"
    assert smtp_server.to("victim@example.org") == []


def test_a_confirmation_to_a_name_with_line_breaks_keeps_to_its_one_header(mailoutbox):
    from reports.rendering import confirmation_message

    subscriber = Subscriber.objects.create(email="eve@example.org", name="Eve\nBcc: x@example.org")
    message = confirmation_message(subscriber).message()
    assert message["Bcc"] is None
    assert "\n" not in message["To"]
