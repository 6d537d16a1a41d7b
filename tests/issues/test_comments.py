"""Members comment on issues and edit or delete their own comments; attribution by group."""

import pytest
from django.urls import reverse

from consensus.participation import participation_by_group
from issues.models import Comment
from tests.factories import (
    CommentFactory,
    ConsensusItemFactory,
    CoverageFactory,
    IssueFactory,
    OptionFactory,
    OptionSupportFactory,
    ParticipantFactory,
    ProposalFactory,
    StakeholderGroupFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def test_member_comments_and_sees_it_attributed_with_the_group(member_client, member_user):
    issue = IssueFactory()
    response = member_client.post(
        reverse("issues:comment-create", args=[issue.pk]), {"text": "See **Convention 108**."}
    )
    comment = Comment.objects.get()
    assert response["Location"] == comment.get_absolute_url()
    page = member_client.get(issue.get_absolute_url()).content.decode()
    assert "<strong>Convention 108</strong>" in page
    assert 'A Member <span class="group">(Governments)</span>' in page
    assert comment.author == member_user.participant


def test_an_empty_comment_is_shown_again_with_the_problem(member_client):
    issue = IssueFactory()
    response = member_client.post(reverse("issues:comment-create", args=[issue.pk]), {"text": " "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Comment.objects.exists()


def _edit_form(client, comment) -> dict:
    return form_data(client.get(reverse("issues:comment-edit", args=[comment.pk])).context["form"])


def test_author_edits_and_deletes_their_comment(member_client, member_user):
    comment = CommentFactory(author=member_user.participant)
    data = _edit_form(member_client, comment)
    member_client.post(
        reverse("issues:comment-edit", args=[comment.pk]), {**data, "text": "Revised."}
    )
    comment.refresh_from_db()
    assert comment.text == "Revised." and comment.edited_at is not None
    member_client.post(reverse("issues:comment-delete", args=[comment.pk]))
    assert not Comment.objects.exists()


def test_an_edit_read_before_another_save_of_the_comment_is_refused_and_kept(
    member_client, member_user
):
    comment = CommentFactory(author=member_user.participant, text="First words.")
    url = reverse("issues:comment-edit", args=[comment.pk])
    first, second = _edit_form(member_client, comment), _edit_form(member_client, comment)
    member_client.post(url, {**first, "text": "Revised in another tab."})

    refused = member_client.post(url, {**second, "text": "Revised here."})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert (
        "Text: you read “First words.”, now “Revised in another tab.” (changed by a-member" in page
    )
    assert "Revised here.</textarea>" in page
    comment.refresh_from_db()
    assert comment.text == "Revised in another tab."
    again = member_client.post(url, form_data(refused.context["form"]))
    assert again.status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Revised here."


def test_anonymous_visitors_see_participation_counts_but_not_the_comments(client):
    issue = IssueFactory()
    CommentFactory(issue=issue, text="A signed-in only remark")
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "A signed-in only remark" not in page
    assert "Participation by stakeholder group" in page and "Log in</a> to read" in page


def test_issue_page_sums_up_participation_by_stakeholder_group(observer_client):
    issue = IssueFactory()
    civil = StakeholderGroupFactory(slug="civil-society")
    governments = StakeholderGroupFactory(slug="governments")
    CommentFactory.create_batch(2, issue=issue, author__stakeholder_group=civil)
    ProposalFactory(issue=issue, coverage__issue=issue, proposer__stakeholder_group=governments)
    item = ConsensusItemFactory(issue=issue)
    OptionSupportFactory(option=OptionFactory(item=item), participant__stakeholder_group=civil)
    rows = {row["group"].slug: row for row in participation_by_group(issue)}
    assert (rows["civil-society"]["comments"], rows["civil-society"]["supports"]) == (2, 1)
    assert rows["governments"]["proposals"] == 1
    page = observer_client.get(issue.get_absolute_url()).content.decode()
    assert 'Civil society</th><td class="num">0</td><td class="num">2</td>' in page


def test_participation_counts_support_on_its_coverage_statuses_items_and_nothing_of_another_issue():
    issue, other = IssueFactory(), IssueFactory()
    civil = StakeholderGroupFactory(slug="civil-society", name="Civil society", position=2)
    business = StakeholderGroupFactory(slug="business", name="Private sector", position=1)
    StakeholderGroupFactory(slug="governments", name="Governments", position=0)
    assert participation_by_group(issue) == []  # nobody took part: no table of zeros
    on_status = ConsensusItemFactory(issue=None, coverage=CoverageFactory(issue=issue))
    OptionSupportFactory.create_batch(
        2, option=OptionFactory(item=on_status), participant__stakeholder_group=business
    )
    elsewhere = ConsensusItemFactory(issue=other)
    OptionSupportFactory(option=OptionFactory(item=elsewhere), participant__stakeholder_group=civil)
    CommentFactory(issue=other, author__stakeholder_group=civil)
    rows = participation_by_group(issue)
    # Every group, in the groups' order, counted on this issue only.
    assert [(row["group"].name, row["supports"], row["comments"]) for row in rows] == [
        ("Governments", 0, 0),
        ("Private sector", 2, 0),
        ("Civil society", 0, 0),
    ]


@pytest.mark.parametrize("size", [1, 25])
def test_signed_in_issue_page_query_count_is_flat(
    size, member_client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # the page as built (its cached hit: test_public_page_cache)
    issue = IssueFactory()
    for _ in range(size):
        author = ParticipantFactory(correspondence_group=True)
        CommentFactory(issue=issue, author=author)
        ProposalFactory(issue=issue, coverage__issue=issue, proposer=author)
    # 16, the archive section's count of the comments that came by e-mail, and the look-up
    # of the issue (existing, not merged) made before the page is built or read from the cache.
    with django_assert_max_num_queries(18):
        assert member_client.get(issue.get_absolute_url()).status_code == 200
