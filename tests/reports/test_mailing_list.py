import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from reports import services
from reports.models import Delivery, Report, Subscriber
from tests.factories import DeliverableFactory, ParticipantFactory
from tests.reports.conftest import committed

pytestmark = pytest.mark.django_db


def _subscribe(client, email="ana@example.org", name="Ana"):
    return committed(
        lambda: client.post("/reports/subscribe/", {"email": email, "name": name, "website": ""})
    )


def _confirm_link() -> str:
    body = mail.outbox[-1].body
    return re.search(r"http://testserver(/reports/subscribe/confirm/[^/\s]+/)", body).group(1)


def test_subscribing_takes_a_confirmation_from_the_address_owner(client):
    response = _subscribe(client, "Ana@Example.org")
    assert "Check your inbox" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.state) == ("ana@example.org", "pending")
    [message] = mail.outbox
    assert message.to == ["Ana <ana@example.org>"]
    link = _confirm_link()
    page = client.get(link)  # a link checker opening the link confirms nothing
    assert "Confirm the subscription" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == "pending"
    client.post(link)
    subscriber.refresh_from_db()
    assert subscriber.state == "subscribed" and subscriber.confirmed_at


def test_a_confirmation_is_sent_at_most_once_an_hour_to_an_address(client):
    _subscribe(client)
    _subscribe(client)
    _subscribe(client)
    assert len(mail.outbox) == 1
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - datetime.timedelta(hours=2))
    _subscribe(client)
    assert len(mail.outbox) == 2


def test_a_network_asking_for_too_many_subscriptions_is_refused_for_a_while(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "subscribe": "3/h/ip"}
    for number in range(3):
        _subscribe(client, f"person{number}@example.org")
    refused = _subscribe(client, "person3@example.org")
    assert refused.status_code == 429
    assert "Too many subscriptions were asked for" in refused.content.decode()
    assert 'value="person3@example.org"' in refused.content.decode()  # the form keeps it
    assert len(mail.outbox) == 3 and Subscriber.objects.count() == 3
    # Another visitor, behind the same trusted proxy, is counted apart.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    other = committed(
        lambda: client.post(
            "/reports/subscribe/",
            {"email": "person4@example.org", "website": ""},
            headers={"x-forwarded-for": "198.51.100.7"},
        )
    )
    assert other.status_code == 200 and len(mail.outbox) == 4


def test_the_form_reveals_nothing_and_sends_nothing_for_a_subscribed_address(client):
    Subscriber.objects.create(email="ana@example.org", state="subscribed")
    response = _subscribe(client)
    assert "Check your inbox" in response.content.decode()
    assert mail.outbox == []


def test_robots_filling_the_hidden_field_are_ignored(client):
    committed(
        lambda: client.post(
            "/reports/subscribe/", {"email": "x@example.org", "website": "http://spam"}
        )
    )
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_a_bad_address_is_a_form_error(client):
    response = client.post("/reports/subscribe/", {"email": "not an address"})
    assert "Enter a valid email address." in response.content.decode()


def test_a_tampered_or_expired_confirmation_link_is_refused(client):
    _subscribe(client)
    link = _confirm_link()
    assert client.post(link[:-3] + "xx/").status_code == 400
    later = timezone.now() + datetime.timedelta(days=8)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        response = client.post(link)
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert Subscriber.objects.get().state == "pending"


def test_get_never_unsubscribes_and_one_click_post_works_without_login_or_csrf():
    subscriber = Subscriber.objects.create(email="ana@example.org", state="subscribed")
    client = Client(enforce_csrf_checks=True)
    url = f"/reports/unsubscribe/{subscriber.token}/"
    page = client.get(url)
    assert "Unsubscribe" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == "subscribed"
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == "unsubscribed" and subscriber.unsubscribed_at


def test_an_unknown_unsubscribe_token_changes_nothing(client):
    Subscriber.objects.create(email="ana@example.org", state="subscribed")
    assert client.post("/reports/unsubscribe/not-a-token/").status_code == 404
    assert Subscriber.objects.get().state == "subscribed"


def test_unsubscribing_while_a_report_goes_out_drops_the_pending_message():
    subscriber = Subscriber.objects.create(email="ana@example.org", state="subscribed")
    report = Report.objects.create(deliverable=DeliverableFactory())
    Delivery.objects.create(report=report, email=subscriber.email, subscriber=subscriber)
    services.subscriber_unsubscribe(subscriber=subscriber)
    assert not Delivery.objects.exists()


def test_participants_are_put_on_the_list_once_and_an_unsubscription_stands():
    ana = ParticipantFactory(email="Ana@example.org")
    ParticipantFactory(email="")
    outsider = Subscriber.objects.create(email="ben@example.org", state="unsubscribed")
    ben = ParticipantFactory(email="ben@example.org")
    assert services.mailing_list_sync_participants() == 1
    assert services.mailing_list_sync_participants() == 0
    assert Subscriber.objects.get(email="ana@example.org").participant == ana
    outsider.refresh_from_db()
    assert (outsider.participant, outsider.state) == (ben, "unsubscribed")
    ana.email = "ana.new@example.org"
    ana.save()
    services.mailing_list_sync_participants()
    assert Subscriber.objects.get(participant=ana).email == "ana.new@example.org"
