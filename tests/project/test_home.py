import pytest
from django.urls import reverse

from tests.factories import (
    DeliverableFactory,
    IssueFactory,
    MeetingFactory,
    ParticipantFactory,
)
from wgec.models import Participant

pytestmark = pytest.mark.django_db


def test_home_shows_the_exercise_at_a_glance(client):
    ParticipantFactory(name="Philip Rushton", role=Participant.Role.COORDINATOR)
    MeetingFactory(number=2, title="Second meeting")
    DeliverableFactory(slug="final-document", title="Final document for the WGEC")
    IssueFactory.create_batch(3)
    IssueFactory(state="proposed")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Philip Rushton, coordinator" in text
    assert "Second meeting" in text
    assert "Final document for the WGEC" in text
    assert response.context["counts"]["issues"] == 3
    assert response.context["counts"]["proposed"] == 1


@pytest.mark.parametrize("size", [2, 40])
def test_home_query_count_does_not_grow_with_the_data(
    client, size, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # the page as it is built (its cached hit: 2 queries)
    ParticipantFactory.create_batch(size, role=Participant.Role.COORDINATOR)
    for number in range(1, 4):
        MeetingFactory(number=number)
    DeliverableFactory.create_batch(size)
    IssueFactory.create_batch(size)
    # The issues on the map and the proposed ones counted in one query.
    with django_assert_max_num_queries(11):
        assert client.get(reverse("home")).status_code == 200


def test_a_member_gets_the_home_page_built_for_everyone_and_sees_a_change_at_once(
    client, member_client, django_assert_num_queries
):
    IssueFactory.create_batch(2)
    client.get(reverse("home"))  # built once, for everyone
    member_client.get(reverse("home"))  # the same content, its page kept for members
    # Then served whole: their session, their user with their role, the public pages' version
    # and the cache's row.
    with django_assert_num_queries(4):
        response = member_client.get(reverse("home"))
    assert "Issues on the map</dt><dd>2<" in response.content.decode()
    IssueFactory()
    assert "Issues on the map</dt><dd>3<" in member_client.get(reverse("home")).content.decode()
