"""Issues accepted by the coordinators and awaiting the working group's agreement: a page of
their own and a stage of `/issues/` for signed-in people, searchable and marked as proposed;
anonymous visitors still see only the agreed map."""

import pytest
from django.urls import reverse

from issues.models import Issue
from tests.factories import ClusterFactory, IssueFactory

pytestmark = pytest.mark.django_db

MARK = "Proposed, awaiting agreement"


@pytest.fixture
def issues():
    cluster = ClusterFactory(slug="economic", name="Economic")
    IssueFactory(title="Spam", cluster=cluster)
    IssueFactory(
        title="E-money and virtual currencies",
        description="Digital currencies across borders.",
        cluster=cluster,
        state=Issue.State.PROPOSED,
        needs_agreement=True,
    )
    IssueFactory(
        title="Net neutrality",
        description="Equal treatment of traffic.",
        cluster=None,
        state=Issue.State.PROPOSED,
        needs_agreement=True,
    )


def _rows(response) -> list[str]:
    return [issue.title for issue, _ in response.context["rows"]]


def test_a_member_finds_the_proposed_issues_on_their_page_marked_as_such(member_client, issues):
    response = member_client.get(reverse("issues:proposed"))
    page = response.content.decode()
    assert sorted(_rows(response)) == ["E-money and virtual currencies", "Net neutrality"]
    assert "<h1>Proposed issues</h1>" in page
    assert page.count(MARK) == 2


def test_the_proposed_issues_are_searchable(member_client, issues):
    response = member_client.get(reverse("issues:proposed"), {"q": "currencies"})
    assert _rows(response) == ["E-money and virtual currencies"]


def test_the_issue_list_links_members_to_the_proposed_issues_and_keeps_the_map(
    member_client, issues
):
    response = member_client.get(reverse("issues:list"))
    assert _rows(response) == ["Spam"]
    assert reverse("issues:proposed") in response.content.decode()
    staged = member_client.get(reverse("issues:list"), {"stage": "proposed", "q": "traffic"})
    assert _rows(staged) == ["Net neutrality"]


def test_anonymous_visitors_see_only_the_agreed_map(client, issues):
    assert client.get(reverse("issues:proposed")).status_code == 302
    for query in ({}, {"stage": "proposed"}, {"stage": "proposed", "q": "currencies"}):
        response = client.get(reverse("issues:list"), query)
        page = response.content.decode()
        assert _rows(response) in (["Spam"], [])
        assert "E-money" not in page and MARK not in page
        assert reverse("issues:proposed") not in page
    download = client.get(reverse("issues:list-csv"), {"stage": "proposed"}).content.decode()
    assert "Spam" in download and "E-money" not in download


def test_an_unreadable_filter_on_the_proposed_page_falls_back_to_the_map(member_client, issues):
    response = member_client.get(reverse("issues:list"), {"stage": "proposed", "sort": "nonsense"})
    assert _rows(response) == ["Spam"]


def test_the_proposed_page_keeps_its_query_count(
    member_client, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the page as it is built (its cached hit: test_page_cache)
    cluster = ClusterFactory()
    for n in range(30):
        IssueFactory(
            title=f"Proposed {n}", cluster=cluster, state=Issue.State.PROPOSED, needs_agreement=True
        )
    member_client.get(reverse("issues:proposed"))  # the session's first reads
    with django_assert_max_num_queries(10):
        response = member_client.get(reverse("issues:proposed"))
    assert len(_rows(response)) == 30
