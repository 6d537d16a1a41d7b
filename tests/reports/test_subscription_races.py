"""Three requests to subscribe one address at once: one subscriber, no server error."""

import threading

import pytest
from django.db import connection

from reports import services
from reports.models import Subscriber


@pytest.mark.django_db
def test_an_address_created_between_the_check_and_the_insert_is_used_not_an_error(monkeypatch):
    select_for_update = Subscriber.objects.select_for_update
    calls = []

    def another_request_wins_meanwhile(*args, **kwargs):
        if not calls:
            calls.append("checked")
            Subscriber.objects.create(email="ana@example.org", name="Ana")
            return Subscriber.objects.none()  # what this request saw before the other's insert
        return select_for_update(*args, **kwargs)

    monkeypatch.setattr(Subscriber.objects, "select_for_update", another_request_wins_meanwhile)
    request = services.subscription_request(email="Ana@example.org", name="Ana")
    assert Subscriber.objects.count() == 1
    assert request.subscriber.email == "ana@example.org"
    assert request.confirmation_queued


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent writers need PostgreSQL (SQLite in memory refuses them: table locked)",
)
@pytest.mark.django_db(transaction=True)
def test_three_subscriptions_of_one_address_at_once_make_one_subscriber(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    start = threading.Barrier(3)
    errors: list[str] = []

    def subscribe() -> None:
        try:
            start.wait()
            services.subscription_request(email="ana@example.org", name="Ana")
        except Exception as error:  # noqa: BLE001 - the outcome is what the test reads
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=subscribe) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Subscriber.objects.filter(email="ana@example.org").count() == 1
