import datetime
import threading

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from reports import services
from reports.admin import DeliveryAdmin
from reports.models import Deliverable, Delivery, Report, Subscriber
from reports.sending import report_deliver
from tests.factories import DeliverableFactory, ParticipantFactory, UserFactory
from tests.reports.conftest import committed
from wgec.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(db):
    return ParticipantFactory(
        name="Peter Major",
        honorific="Mr.",
        role=Participant.Role.CHAIR,
        email="P.Major@example.org",
    )


def _subscribe(*emails: str) -> list[Subscriber]:
    return [
        Subscriber.objects.create(email=email, name=email.split("@")[0], state="subscribed")
        for email in emails
    ]


def _send(
    slug: str = "update-1", introduction: str = "Dear Chair,\n\nThe group met twice."
) -> Report:
    deliverable = DeliverableFactory(slug=slug)
    return committed(
        lambda: services.report_send(deliverable=deliverable, introduction=introduction)
    )


def test_the_chair_and_each_subscriber_get_a_message_of_their_own(smtp_server, chair):
    _subscribe("ana@example.org", "ben@example.org")
    ParticipantFactory(email="member@example.org")
    report = _send()
    counts = report.delivery_counts()
    assert counts["sent"] == 4 and counts["total"] == 4
    assert len(smtp_server.received) == 4
    for received in smtp_server.received:
        assert len(received.recipients) == 1
        message = received.message
        assert message["To"].addresses[0].addr_spec == received.recipients[0]
        assert "Cc" not in message and "Bcc" not in message
    [to_chair] = smtp_server.to("p.major@example.org")
    text = to_chair.message.get_body(("plain",)).get_content()
    assert text.startswith("Dear Chair,")
    assert "The group met twice." in text and "PROGRESS AGAINST THE TERMS OF REFERENCE" in text
    assert text.count("Dear") == 1
    html = to_chair.message.get_body(("html",)).get_content()
    assert "<h2>Progress against the terms of reference</h2>" in html
    assert html.count("Dear") == 1
    [to_ana] = smtp_server.to("ana@example.org")
    ana_text = to_ana.message.get_body(("plain",)).get_content()
    assert ana_text.startswith("Dear ana,") and ana_text.count("Dear") == 1


def test_every_message_carries_a_personal_unsubscribe_link_and_one_click_headers(
    smtp_server, chair
):
    [ana] = _subscribe("ana@example.org")
    _send()
    [received] = smtp_server.to("ana@example.org")
    message = received.message
    url = f"http://testserver/reports/unsubscribe/{ana.token}/"
    assert message["List-Unsubscribe"] == f"<{url}>"
    # As the server received it: the URL itself, not folded into RFC 2047 encoded words.
    assert f"\r\nList-Unsubscribe: <{url}>\r\n".encode() in received.data
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.get_body(("plain",)).get_content()
    assert url in message.get_body(("html",)).get_content()
    chair_message = smtp_server.to("p.major@example.org")[0].message
    assert chair_message["List-Unsubscribe"] != message["List-Unsubscribe"]


def test_sending_again_never_reaches_an_address_twice(smtp_server, chair):
    _subscribe("ana@example.org")
    report = _send()
    committed(lambda: services.report_resume(report=report))
    assert len(smtp_server.to("ana@example.org")) == 1
    with pytest.raises(services.ReportError, match="already sent"):
        services.report_send(deliverable=report.deliverable, introduction="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(report=report, email="ana@example.org")


def test_a_chair_on_the_list_gets_only_the_chairs_message(smtp_server, chair):
    services.mailing_list_sync_participants()
    report = _send()
    assert report.deliveries.count() == 1
    assert report.deliveries.get().to_chair
    assert len(smtp_server.received) == 1


def test_a_temporary_refusal_is_retried_until_sent(smtp_server, chair):
    _subscribe("busy@example.org")
    smtp_server.busy["busy@example.org"] = 2
    report = _send()
    delivery = report.deliveries.get(email="busy@example.org")
    assert delivery.state == Delivery.State.SENT
    assert delivery.attempts == 3
    assert len(smtp_server.to("busy@example.org")) == 1


def test_retries_are_limited(smtp_server, chair):
    _subscribe("busy@example.org")
    smtp_server.busy["busy@example.org"] = 10
    report = _send()
    delivery = report.deliveries.get(email="busy@example.org")
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 3
    assert "gave up after 3 attempts" in delivery.last_error
    assert smtp_server.to("busy@example.org") == []


def test_a_permanent_refusal_fails_at_once_and_the_others_are_sent(smtp_server, chair):
    _subscribe("gone@example.org", "ana@example.org")
    smtp_server.reject.add("gone@example.org")
    report = _send()
    gone = report.deliveries.get(email="gone@example.org")
    assert (gone.state, gone.attempts) == (Delivery.State.FAILED, 1)
    assert "550" in gone.last_error
    assert report.delivery_counts()["sent"] == 2


def test_a_connection_lost_after_the_message_went_needs_attention_not_a_second_copy(
    smtp_server, chair
):
    _subscribe("flaky@example.org", "ana@example.org")
    smtp_server.drop.add("flaky@example.org")
    report = _send()
    flaky = report.deliveries.get(email="flaky@example.org")
    assert flaky.state == Delivery.State.ATTENTION
    assert "may have been delivered" in flaky.last_error
    assert len(smtp_server.to("flaky@example.org")) == 1
    assert report.deliveries.get(email="ana@example.org").state == Delivery.State.SENT
    committed(lambda: services.report_resume(report=report))
    assert len(smtp_server.to("flaky@example.org")) == 1


def test_a_delivery_whose_sending_had_begun_when_its_worker_died_is_never_sent_by_itself(
    smtp_server, chair
):
    report = _send()
    [ana] = _subscribe("ana@example.org")
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    stuck = Delivery.objects.create(
        report=report, email=ana.email, subscriber=ana, state="sending", claimed_at=long_ago,
        claimed_by="dead:1", lease_until=long_ago, started_at=long_ago, attempts=1,
    )  # fmt: skip
    report_deliver(report_id=report.pk)
    stuck.refresh_from_db()
    assert stuck.state == Delivery.State.ATTENTION
    assert "lease of its claim ran out" in stuck.last_error
    assert smtp_server.to("ana@example.org") == []


def test_the_admin_resends_a_delivery_that_needs_attention_deliberately(smtp_server, chair):
    report = _send()
    [ana] = _subscribe("ana@example.org")
    stuck = Delivery.objects.create(
        report=report, email=ana.email, subscriber=ana, state="attention", attempts=1,
        last_error="lost",
    )  # fmt: skip
    request = RequestFactory().post("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    admin = DeliveryAdmin(Delivery, site)
    committed(lambda: admin.resend_deliberately(request, Delivery.objects.filter(pk=stuck.pk)))
    stuck.refresh_from_db()
    assert stuck.state == Delivery.State.SENT
    assert len(smtp_server.to("ana@example.org")) == 1


def test_sending_freezes_the_deliverable_and_records_who_sent(smtp_server, chair):
    user = UserFactory()
    deliverable = DeliverableFactory(slug="update-1")
    report = committed(
        lambda: services.report_send(deliverable=deliverable, introduction="x", user=user)
    )
    deliverable.refresh_from_db()
    assert deliverable.state == Deliverable.State.SENT
    assert report.sent_by == user
    assert report.email_templates["reports/email/report.txt"].startswith(
        "{% load i18n %}{% if to_chair %}"
    )


def test_an_unsubscribed_address_is_left_out(smtp_server, chair):
    [ana, ben] = _subscribe("ana@example.org", "ben@example.org")
    services.subscriber_unsubscribe(subscriber=ben)
    report = _send()
    assert set(report.deliveries.values_list("email", flat=True)) == {
        "p.major@example.org",
        "ana@example.org",
    }


@pytest.mark.django_db(transaction=True)
def test_two_claimers_at_once_never_take_the_same_delivery():
    deliverable = DeliverableFactory(slug="update-1")
    report = Report.objects.create(deliverable=deliverable)
    Delivery.objects.bulk_create(
        [Delivery(report=report, email=f"person{n}@example.org") for n in range(200)]
    )
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def claimer(name: str) -> None:
        try:
            start.wait()
            while batch := services.deliveries_claim(report_id=report.pk, worker=name, limit=7):
                claimed[name].extend(delivery.pk for delivery in batch)
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not set(claimed["a"]) & set(claimed["b"])
    assert len(claimed["a"]) + len(claimed["b"]) == 200
    assert Delivery.objects.filter(state="sending").count() == 200
