"""An issue's public page: what it is, who addresses it and how, its gaps, disputes and sources."""

import pytest
from django.urls import reverse
from django.utils import translation

from issues.models import Issue
from tests.factories import (
    AnswerFactory,
    ConsensusItemFactory,
    CoverageFactory,
    GapFactory,
    IssueFactory,
    IssueSourceFactory,
    OptionFactory,
    OptionSupportFactory,
    RespondentFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db


def _page(client, issue):
    return client.get(reverse("issues:detail", args=[issue.pk]))


def test_issue_page_shows_mechanisms_gaps_and_options_with_support_by_group(client):
    issue = IssueFactory(title="Net neutrality", consensus=Issue.Consensus.REFERRED)
    CoverageFactory(issue=issue, mechanism__name="Council of Europe", status="partly")
    GapFactory(issue=issue, type="policy", recommendation="Say where it belongs.")
    item = ConsensusItemFactory(issue=issue, state="referred", referred_on="2014-01-28")
    option = OptionFactory(item=item, label="A", text="[A global forum is needed.]")
    OptionSupportFactory(
        option=option, participant__stakeholder_group=StakeholderGroupFactory(slug="civil-society")
    )
    text = _page(client, issue).content.decode()
    assert "Council of Europe" in text and "Partly addressing" in text
    assert "Policy gap" in text and "Say where it belongs." in text
    assert "[A global forum is needed.]" in text
    assert "Supported by Civil society (1)" in text


def test_sources_name_consenting_respondents_and_only_count_the_others(client):
    issue = IssueFactory()
    cited = AnswerFactory(
        respondent=RespondentFactory(name="Council of Europe"), text="Net neutrality matters."
    )
    hidden = AnswerFactory(
        respondent=RespondentFactory(
            name="Secret Ministry", organisation="Hidden Office", consent_to_cite=False
        ),
        text="Transboundary data flows, privately said.",
    )
    IssueSourceFactory(issue=issue, answer=cited, excerpt="Net neutrality")
    IssueSourceFactory(issue=issue, answer=hidden, excerpt="Transboundary data flows")
    text = _page(client, issue).content.decode()
    assert "Council of Europe" in text
    assert "Secret Ministry" not in text
    assert "Hidden Office" not in text
    assert "Transboundary data flows" not in text
    assert "Also raised by 1 respondent who did not consent to be cited: Governments (1)" in text


def test_merged_issue_page_leads_to_the_survivor(client):
    survivor = IssueFactory(title="Child safety online")
    merged = IssueFactory(state=Issue.State.MERGED, merged_into=survivor)
    response = _page(client, merged)
    assert response.status_code == 302
    assert response["Location"] == reverse("issues:detail", args=[survivor.pk])


def test_proposed_issue_is_hidden_from_the_public_and_shown_to_participants(
    client, observer_client
):
    proposed = IssueFactory(state=Issue.State.PROPOSED, title="Algorithmic accountability")
    assert _page(client, proposed).status_code == 404
    response = _page(observer_client, proposed)
    assert response.status_code == 200
    assert "Not on the map until the working group agrees" in response.content.decode()


def test_history_shows_who_changed_what(client, secretariat_user):
    issue = IssueFactory(title="Spam", state=Issue.State.ON_MAP)
    issue._history_user = secretariat_user
    issue.title = "Spam and unsolicited communications"
    issue.save()
    text = _page(client, issue).content.decode()
    # The titles are the record's own text (English), the field's name the reader's.
    assert (
        'title: <del lang="en">Spam</del> → '
        '<ins lang="en">Spam and unsolicited communications</ins>' in text
    )
    assert "The issue changed" in text


def test_history_names_its_changes_in_the_visitors_language(client, secretariat_user):
    issue = IssueFactory(title="Spam", state=Issue.State.ON_MAP)
    issue._history_user = secretariat_user
    issue.state = Issue.State.WITHDRAWN
    issue.save()
    text = client.get(issue.get_absolute_url(), headers={"accept-language": "fr"}).content
    text = text.decode()
    assert "La question : modification" in text
    assert "le secrétariat" in text.lower()
    # A choice is the reader's word, not a record's text.
    with translation.override("fr"):
        on_map, withdrawn = str(Issue.State.ON_MAP.label), str(Issue.State.WITHDRAWN.label)
    assert f"<del>{on_map}</del> → <ins>{withdrawn}</ins>" in text


def test_hostile_text_is_shown_inert(client):
    issue = IssueFactory(title="<script>alert(1)</script>", description="<img src=x onerror=1>")
    text = _page(client, issue).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;img src=x onerror=1&gt;" in text


@pytest.mark.parametrize("size", [1, 30])
def test_issue_page_query_count_is_flat(client, size, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0  # the page as it is built (its cached hit: test_page_cache)
    issue = IssueFactory()
    for _ in range(size):
        coverage = CoverageFactory(issue=issue)
        coverage.status = "partly"
        coverage.save()
        IssueSourceFactory(issue=issue)
    GapFactory(issue=issue)
    item = ConsensusItemFactory(issue=issue)
    for label in "AB":
        option = OptionFactory(item=item, label=label)
        OptionSupportFactory.create_batch(size, option=option)
    # Whether the issue is visible (1), the issue with its sources and the issues merged into it
    # (3), coverage and gaps (2), the
    # items with their options and support (3), participation by stakeholder group (1), the
    # history of the issue, its coverage and its gaps (3): the history names the cluster and the
    # mechanisms from what the page has read, and the note on demonstration data comes with the
    # issue.
    with django_assert_max_num_queries(13):
        assert _page(client, issue).status_code == 200
