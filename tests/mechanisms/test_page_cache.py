"""The map's cached pages (the matrix, the gaps, open data, the issue list, the mechanisms and a
mechanism's page): served from the cache to anonymous and signed-in visitors (the issue list
for each role), and never stale: any write to the map's tables, whatever path it takes, shows
at once."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.models import Issue
from mechanisms.models import Coverage, Gap
from mechanisms.page_cache import Audience, map_version, page_part_cached
from tests.factories import (
    ClusterFactory,
    CoverageFactory,
    GapFactory,
    IssueFactory,
    MechanismFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped():
    security = ClusterFactory(slug="security", name="Security", position=1)
    coe = MechanismFactory(name="Council of Europe", acronym="CoE")
    cybercrime = IssueFactory(title="Cybercrime", cluster=security)
    coverage = CoverageFactory(issue=cybercrime, mechanism=coe, status="addressing")
    return {"issue": cybercrime, "coverage": coverage, "cluster": security}


def test_a_changed_coverage_row_shows_on_the_cached_matrix_at_once(
    client, mapped, django_assert_max_num_queries
):
    url = reverse("issues:matrix") + "?cluster=security"
    assert "CoE: Addressing" in client.get(url).content.decode()
    # The second request is served from the cache: the map's version and the cache's row.
    with django_assert_max_num_queries(2):
        cached = client.get(url).content.decode()
    # The content comes back from the cache as markup, not escaped as text.
    assert "CoE: Addressing" in cached and '<table class="heat">' in cached
    assert "&lt;table" not in cached
    # A bulk update: no save(), no signal, no history; the database changes the version.
    Coverage.objects.filter(pk=mapped["coverage"].pk).update(status="not_addressing")
    text = client.get(url).content.decode()
    assert "CoE: Not addressing" in text and "CoE: Addressing" not in text


def test_a_deleted_coverage_row_and_a_new_gap_show_on_the_cached_gaps_page_at_once(client, mapped):
    url = reverse("issues:gaps")
    assert "Cybercrime" not in client.get(url).content.decode()
    Coverage.objects.filter(pk=mapped["coverage"].pk).delete()
    assert "Cybercrime" in client.get(url).content.decode()
    Gap.objects.bulk_create([Gap(issue=mapped["issue"], type="capacity", description="None.")])
    text = client.get(url).content.decode()
    assert text.count("Cybercrime") >= 2  # without a mechanism, and under the capacity gaps


def test_a_renamed_issue_shows_in_the_cached_open_data_at_once(client, mapped):
    url = reverse("issues:data-table", args=["coverage", "csv"])
    first = b"".join(client.get(url).streaming_content).decode()
    assert "addressing" in first
    Coverage.objects.filter(pk=mapped["coverage"].pk).update(status="partly")
    again = b"".join(client.get(url).streaming_content).decode()
    assert ",partly," in again and ",addressing," not in again
    Issue.objects.filter(pk=mapped["issue"].pk).update(title="Cybercrime and evidence")
    issues = b"".join(
        client.get(reverse("issues:data-table", args=["issues", "json"])).streaming_content
    )
    assert "Cybercrime and evidence" in issues.decode()


def test_the_cached_issue_list_keeps_each_query_apart_and_shows_a_change_at_once(
    client, mapped, django_assert_max_num_queries
):
    IssueFactory(title="Spam", cluster=mapped["cluster"])
    url = reverse("issues:list")
    assert "Cybercrime" in client.get(url).content.decode()
    # Served from the cache: the map's version and the cache's row.
    with django_assert_max_num_queries(2):
        cached = client.get(url).content.decode()
    assert "Cybercrime" in cached and '<table class="issues stack">' in cached
    # Another search is another page, whatever the order of its parameters.
    searched = client.get(url, {"q": "spam", "cluster": "security"}).content.decode()
    assert "Spam" in searched and ">Cybercrime<" not in searched
    # The page is kept whole under its address as written (its language menu and log-in link
    # return to it); its content, under the query in a fixed order, is not built again.
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url + "?cluster=security&q=spam").content.decode()
    assert "Spam" in again and ">Cybercrime<" not in again
    assert not [query for query in queries if "issues_issue" in query["sql"]]
    Issue.objects.filter(pk=mapped["issue"].pk).update(title="Cybercrime & evidence")
    assert "Cybercrime &amp; evidence" in client.get(url).content.decode()


def test_the_cached_mechanism_pages_show_a_change_at_once(client, mapped):
    coe = mapped["coverage"].mechanism
    pages = [reverse("mechanisms:list"), reverse("mechanisms:detail", args=[coe.pk])]
    for url in pages:
        assert "1 addressing" in client.get(url).content.decode()
    Coverage.objects.filter(pk=mapped["coverage"].pk).update(status="partly")
    for url in pages:
        text = client.get(url).content.decode()
        assert "1 partly addressing" in text and "1 addressing" not in text


def test_a_signed_in_visitor_never_gets_the_anonymous_issue_list(client, mapped):
    url = reverse("issues:list")
    assert "Proposed issues awaiting" not in client.get(url).content.decode()
    client.force_login(UserFactory())
    assert "Proposed issues awaiting" in client.get(url).content.decode()


def test_every_write_to_a_map_table_changes_the_version_and_other_writes_do_not(mapped):
    seen = {map_version()}
    for write in (
        lambda: Issue.objects.filter(pk=mapped["issue"].pk).update(title="Renamed"),
        lambda: GapFactory(issue=mapped["issue"]),
        lambda: MechanismFactory(),
        lambda: ClusterFactory(slug="legal"),
        lambda: Coverage.objects.all().delete(),
    ):
        write()
        assert map_version() not in seen
        seen.add(map_version())
    version = map_version()
    UserFactory()
    assert map_version() == version


def test_signed_in_visitors_get_a_fresh_build_and_anonymous_ones_the_cached_one(mapped):
    builds = []

    def build():
        builds.append(1)
        return f"build {len(builds)}"

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert page_part_cached(request, "part", build) == "build 1"
    assert page_part_cached(request, "part", build) == "build 1"
    assert page_part_cached(request, "part", build, vary=("other",)) == "build 2"
    request.user = UserFactory()
    assert page_part_cached(request, "part", build) == "build 3"
    assert page_part_cached(request, "part", build) == "build 4"


def test_a_part_is_shared_by_its_audience_only(
    mapped, member_user, observer_user, coordinator_user, secretariat_user
):
    builds = []

    def build():
        builds.append(1)
        return f"build {len(builds)}"

    def part(user, audience):
        request = RequestFactory().get("/")
        request.user = user
        return page_part_cached(request, f"part-{audience}", build, audience=audience)

    other_member = ParticipantFactory(correspondence_group=True, user=UserFactory()).user
    # The same for everyone: built once.
    for user in (AnonymousUser(), member_user, observer_user, secretariat_user):
        assert part(user, Audience.EVERYONE) == "build 1"
    # The same for every visitor of a role: built once a role, shared by two members.
    assert part(AnonymousUser(), Audience.ROLE) == "build 2"
    assert part(member_user, Audience.ROLE) == "build 3"
    assert part(other_member, Audience.ROLE) == "build 3"
    assert part(observer_user, Audience.ROLE) == "build 4"
    assert part(coordinator_user, Audience.ROLE) == "build 5"
    assert part(member_user, Audience.ROLE) == "build 3"
    # The secretariat's staff accounts share nothing of a role's.
    assert part(secretariat_user, Audience.ROLE) == "build 6"
    assert part(secretariat_user, Audience.ROLE) == "build 7"


def test_a_member_gets_the_issue_list_from_the_cache_and_the_proposed_list_apart(
    client, member_client, mapped, django_assert_num_queries
):
    IssueFactory(title="Spam", state=Issue.State.PROPOSED, cluster=mapped["cluster"])
    url, proposed_url = reverse("issues:list"), reverse("issues:proposed")
    assert "Proposed issues awaiting" not in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as built:
        member_client.get(url)
    # The session, the member's user with their role (the content's key), the version's token
    # and the cache's row.
    with django_assert_num_queries(4):
        cached = member_client.get(url).content.decode()
    assert len(built) > 4
    # A filtered list too: its form is read only when the content is built.
    member_client.get(url, {"cluster": "security"})
    with django_assert_num_queries(4):
        member_client.get(url, {"cluster": "security"})
    assert "Proposed issues awaiting" in cached and "Cybercrime" in cached
    assert ">Spam<" not in cached
    # The proposed issues' list has the same query and its own content.
    proposed = member_client.get(proposed_url).content.decode()
    assert ">Spam<" in proposed and ">Cybercrime<" not in proposed
    assert ">Spam<" not in member_client.get(url).content.decode()
    # A change by another person shows at once.
    Issue.objects.filter(title="Spam").update(title="Spam and phishing")
    assert ">Spam and phishing<" in member_client.get(proposed_url).content.decode()
    assert "Proposed issues awaiting" not in client.get(url).content.decode()


def test_a_member_gets_the_matrix_built_for_everyone(
    client, member_client, mapped, django_assert_num_queries
):
    url = reverse("issues:matrix") + "?cluster=security"
    client.get(url)
    # The content kept for anonymous visitors is the members' too: not built again (the page
    # around it is drawn and kept for members)...
    with CaptureQueriesContext(connection) as queries:
        assert "CoE: Addressing" in member_client.get(url).content.decode()
    assert not [query for query in queries if "mechanisms_coverage" in query["sql"]]
    # ... and then served whole: their session, their user with their role, the public pages'
    # version and the cache's row.
    with django_assert_num_queries(4):
        assert "CoE: Addressing" in member_client.get(url).content.decode()


def test_a_failing_cache_costs_a_build_never_the_page(client, mapped, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache server is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    response = client.get(reverse("issues:matrix") + "?cluster=security")
    assert response.status_code == 200 and "CoE: Addressing" in response.content.decode()


def test_no_caching_when_switched_off(settings, mapped):
    settings.PAGE_CACHE_SECONDS = 0
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    builds = []
    for _ in range(2):
        page_part_cached(request, "part", lambda: builds.append(1))
    assert len(builds) == 2


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_version_changes_when_the_writing_transaction_commits():
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite changes the version at each write; its writers take turns")
    issue = IssueFactory(title="Spam")
    before = map_version()
    with transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(title="Spam and phishing")
        Coverage.objects.filter(issue=issue).delete()
        assert map_version() == before  # noted, not yet set: set once, at the commit
    assert map_version() not in {before, None}
