"""The issues room's extension points, through which the rooms above take their part: the
sections of an issue's page, the sources of its change history, and the parts of an issue that
follow a merge."""

import pytest
from django.urls import reverse

from issues import issue_page, issue_parts
from issues.issue_history import issue_history
from issues.issue_page import IssueSection, issue_section_register, issue_sections
from issues.issue_parts import IssuePart, issue_part_register
from issues.models import Comment, IssueMerge
from issues.services.issue_list import issue_merge, issue_merge_undo
from mechanisms.services import coverage_set, gap_set
from tests.factories import (
    CommentFactory,
    ConsensusItemFactory,
    CoverageFactory,
    GapFactory,
    IssueFactory,
    MechanismFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


def test_each_room_registers_its_sections_of_the_issue_page_in_order():
    assert [section.name for section in issue_sections()] == [
        "actions",  # consensus
        "coverage",  # mechanisms
        "gaps",  # mechanisms
        "items",  # consensus
        "participation",  # consensus
        "proposals",  # consensus
        "comments",  # issues
        "archive",  # inbound
        "sources",  # issues
        "history",  # issues
    ]


def test_issue_page_shows_every_rooms_section_in_order(member_client):
    issue = IssueFactory(title="Spam")
    CoverageFactory(issue=issue, mechanism__name="Council of Europe", status="partly")
    GapFactory(issue=issue, type="capacity", description="Few experts.")
    ConsensusItemFactory(issue=issue, summary="Whether spam belongs on the map")
    page = member_client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    headings = [
        "Propose:",
        '<h2 id="mechanisms">Mechanisms and their status</h2>',
        '<h2 id="gaps">Gaps</h2>',
        '<h2 id="consensus">Without consensus</h2>',
        '<h2 id="participation">Participation by stakeholder group</h2>',
        '<h2 id="proposals">Proposals</h2>',
        '<h2 id="comments">Comments</h2>',
        '<h2 id="sources">Raised in the responses</h2>',
        '<h2 id="history">Change history</h2>',
    ]
    positions = [page.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "Council of Europe" in page and "Few experts." in page
    assert "Whether spam belongs on the map" in page


@pytest.fixture
def section_template(settings, tmp_path, monkeypatch):
    """A room's section template in a template folder of its own, and a registry that forgets
    what the test adds."""
    (tmp_path / "test_section.html").write_text(
        "<p>{{ greeting }} on “{{ issue.title }}”; coverage here: {{ coverage|default:'none' }}; "
        "member: {{ member }}</p>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    monkeypatch.setattr(issue_page, "_SECTIONS", dict(issue_page._SECTIONS))


def test_a_registered_section_sees_the_page_and_its_own_variables_only(
    section_template, member_client
):
    issue = IssueFactory(title="Spam")
    CoverageFactory(issue=issue)
    issue_section_register(
        IssueSection(
            name="greeting",
            order=25,
            template="test_section.html",
            context=lambda page: {
                "greeting": "Hello",
                "member": page.speaker is not None,
            },
        )
    )
    page = member_client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    # The issue is the page's; the coverage of the mechanisms' section is not this section's.
    assert "<p>Hello on “Spam”; coverage here: none; member: True</p>" in page
    assert (
        page.index('<h2 id="mechanisms">') < page.index("Hello on") < page.index('<h2 id="gaps">')
    )


def test_history_gathers_what_every_room_records_about_the_issue(secretariat_user):
    issue = IssueFactory(title="Spam")
    mechanism = MechanismFactory(name="Council of Europe", acronym="CoE")
    coverage_set(issue=issue, mechanism=mechanism, status="partly", user=secretariat_user)
    gap_set(issue=issue, type="policy", description="No forum.", user=secretariat_user)
    issue.title = "Spam and unsolicited communications"
    issue.save()
    subjects = [entry.subject for entry in issue_history(issue)]
    assert "the issue" in subjects
    assert 'coverage by <span lang="en">Council of Europe (CoE)</span>' in subjects
    assert "policy gap" in subjects


@pytest.fixture
def comments_as_a_part(monkeypatch):
    """Comments following merges, as a room above would register a part of its own."""
    monkeypatch.setattr(issue_parts, "_PARTS", dict(issue_parts._PARTS))
    issue_part_register(
        IssuePart(
            key="comments",
            order=50,
            model=Comment,
            duplicate_of="author_id",
            kept_back=lambda comment: f"the comment of {comment.author} (the survivor has one)",
            undo_conflict="the issue has a comment by that author",
            heading="Comments",
            summary=lambda rows: str(len(rows)),
        )
    )


def test_a_registered_part_follows_a_merge_and_comes_back_when_it_is_undone(comments_as_a_part):
    survivor, duplicate = IssueFactory(), IssueFactory()
    both = ParticipantFactory(name="Avri Doria")
    CommentFactory(issue=survivor, author=both)
    kept = CommentFactory(issue=duplicate, author=both)
    moved = CommentFactory(issue=duplicate)
    [record] = issue_merge(survivor=survivor, duplicates=[duplicate])
    assert list(record.moved) == ["sources", "coverage", "gaps", "items", "comments", "children"]
    assert record.moved["comments"] == [moved.pk]
    assert Comment.objects.get(pk=moved.pk).issue == survivor
    assert Comment.objects.get(pk=kept.pk).issue == duplicate
    assert issue_merge_undo(merge=IssueMerge.objects.get()) == []
    assert Comment.objects.get(pk=moved.pk).issue == duplicate


def test_the_merge_page_shows_a_column_for_each_part_with_a_heading(
    comments_as_a_part, secretariat_client
):
    survivor = IssueFactory(title="Spam")
    duplicate = IssueFactory(title="Unsolicited mail")
    CommentFactory.create_batch(2, issue=duplicate)
    CoverageFactory(issue=duplicate, mechanism__acronym="ITU", status="partly")
    response = secretariat_client.post(
        reverse("admin:issues_issue_changelist"),
        {
            "action": "merge_issues",
            "_selected_action": [survivor.pk, duplicate.pk],
            "survivor": survivor.pk,
        },
    )
    page = response.content.decode()
    assert (
        "<th>Merged issue</th><th>Sources</th><th>Coverage</th><th>Gaps</th><th>Comments</th>"
        in page
    )
    assert "<td>ITU (partly addressing)</td>" in page
    assert "<td>2</td>" in page
