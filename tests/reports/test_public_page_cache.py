"""The schedule and a report's page, cached for anonymous visitors: a report sent shows on both
at once; coordinators, who see its delivery's progress, never get the cached page."""

import datetime

import pytest
from django.utils import timezone

from reports import services
from tests.factories import DeliverableFactory
from tests.reports.conftest import committed

pytestmark = pytest.mark.django_db


def test_a_report_sent_shows_on_the_cached_schedule_and_report_page_at_once(
    client, coordinator_client, django_assert_max_num_queries
):
    due = timezone.localdate() - datetime.timedelta(days=3)
    deliverable = DeliverableFactory(slug="update-1", title="First update", due_date=due)
    assert "Nothing has been sent yet." in client.get("/reports/").content.decode()
    assert "(3 days overdue)." in client.get("/reports/update-1/").content.decode()
    # Served from the cache: the version's token and the cache's row (and the deliverable).
    with django_assert_max_num_queries(2):
        client.get("/reports/")
    with django_assert_max_num_queries(3):
        client.get("/reports/update-1/")
    committed(lambda: services.report_send(deliverable=deliverable, introduction="Spam went down."))
    archive = client.get("/reports/").content.decode().split('id="archive"')[1]
    assert "First update" in archive
    page = client.get("/reports/update-1/").content.decode()
    assert "Spam went down." in page and "overdue" not in page
    # The coordinator's page has the delivery's progress, which the anonymous one never shows.
    coordinator = coordinator_client.get("/reports/update-1/").content.decode()
    assert "Spam went down." in coordinator and 'id="count-sent"' in coordinator
    assert 'id="count-sent"' not in client.get("/reports/update-1/").content.decode()
