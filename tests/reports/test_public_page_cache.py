"""The schedule and a report's page, cached for every visitor (the schedule for each role): a
report sent shows on both at once; coordinators, who see its delivery's progress, never get the
cached report page."""

import datetime

import pytest
from django.utils import timezone

from reports import services
from reports.models import Delivery
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


# Signed-in visitors and the cached content: the schedule is shared by every visitor of a role,
# a sent report's page by everyone but the coordinators, whose delivery progress stays fresh.


def test_a_member_gets_the_schedule_from_the_cache_without_the_coordinators_links(
    coordinator_client, member_client, django_assert_num_queries
):
    DeliverableFactory(slug="update-1", title="First update report")
    dashboard_link = 'href="/reports/dashboard/"'
    for _ in range(2):  # the second visits are served from the cache of each role
        coordinator = coordinator_client.get("/reports/").content.decode()
        assert dashboard_link in coordinator and "Preview and send" in coordinator
        member = member_client.get("/reports/").content.decode()
        assert "First update report" in member
        assert dashboard_link not in member and "Preview and send" not in member
    # The session, the member's user with their role (the content's key), the version's token
    # and the cache's row.
    with django_assert_num_queries(4):
        member_client.get("/reports/")
    DeliverableFactory(slug="update-2", title="Second update report")
    assert "Second update report" in member_client.get("/reports/").content.decode()


def test_a_member_gets_a_sent_report_from_the_cache_and_a_coordinator_fresh_progress(
    client, coordinator_client, member_client, django_assert_num_queries
):
    due = timezone.localdate() - datetime.timedelta(days=3)
    deliverable = DeliverableFactory(slug="update-1", due_date=due)
    report = committed(lambda: services.report_send(deliverable=deliverable, introduction="Hi"))
    client.get("/reports/update-1/")  # built once, for everyone but the coordinators
    member_client.get("/reports/update-1/")  # kept whole for the members
    # The session, the member's user with their role, the version's token and the cache's row.
    with django_assert_num_queries(4):
        member = member_client.get("/reports/update-1/").content.decode()
    assert '<article class="report">' in member and "count-sent" not in member
    assert "Resume sending" not in member
    sent = Delivery.objects.filter(state="sent").count()
    assert sent > 0
    assert (
        f'id="count-sent">{sent}<' in coordinator_client.get("/reports/update-1/").content.decode()
    )
    # A delivery failing changes no public page: the coordinators' progress is read afresh.
    Delivery.objects.filter(report=report).update(state="failed")
    page = coordinator_client.get("/reports/update-1/").content.decode()
    assert 'id="count-sent">0<' in page
