"""What an update report tells the Chair: progress against the terms of reference, the period's
changes by cluster with a link to the full list, items without consensus with their options,
proposals awaiting review, the next deadlines and the coordinators, one greeting, and a length
that stays readable."""

import datetime

import pytest
from django.utils import timezone

from consensus.models import ConsensusItem, Proposal
from issues.models import Issue
from mechanisms.models import Coverage
from reports import services
from reports.models import Deliverable, Report
from reports.rendering import Recipient, report_compose, report_message
from reports.update import introduction_without_greeting, update_report_compose
from tests.factories import (
    ClusterFactory,
    ConsensusItemFactory,
    CoverageFactory,
    DecisionFactory,
    DeliverableFactory,
    GapFactory,
    IssueFactory,
    MeetingFactory,
    OptionFactory,
    ParticipantFactory,
    ProposalFactory,
)
from tests.reports.conftest import committed
from wgec.models import Participant

pytestmark = pytest.mark.django_db

# The day the messages are written (their reply addresses count from it).
WRITTEN_ON = datetime.date(2014, 4, 30)


def _send(slug: str, introduction: str = "") -> Report:
    deliverable = DeliverableFactory(slug=slug)
    return committed(
        lambda: services.report_send(deliverable=deliverable, introduction=introduction)
    )


def _measures(row: dict) -> dict[str, tuple[int, int]]:
    return {m["key"]: (m["count"], m["percent"]) for m in row["measures"]}


def _small_map():
    """Security: four issues (one with a known status and a gap, one whose only status is
    unknown, one with a gap only, one untouched); Legal: one untouched issue."""
    security = ClusterFactory(slug="security", position=1)
    legal = ClusterFactory(slug="legal", position=2)
    known = IssueFactory(title="Cybercrime", cluster=security)
    CoverageFactory(issue=known, status=Coverage.Status.PARTLY)
    GapFactory(issue=known)
    CoverageFactory(issue=IssueFactory(title="Spam", cluster=security), status="unknown")
    GapFactory(issue=IssueFactory(title="Cyber conflict", cluster=security))
    IssueFactory(title="Encryption", cluster=security)
    IssueFactory(title="Jurisdiction", cluster=legal)
    return security, legal


def test_progress_counts_each_clusters_reviewed_issues_mechanisms_statuses_and_gaps():
    _small_map()
    content = update_report_compose(
        now=timezone.now(), deliverable=DeliverableFactory(), introduction=""
    )
    progress = content["progress"]
    security, legal = progress["clusters"]
    assert (security["cluster"], security["issues"]) == ("Security", 4)
    assert _measures(security) == {
        "reviewed": (3, 75),
        "mechanism": (2, 50),
        "status": (1, 25),
        "gaps": (2, 50),
    }
    assert (legal["cluster"], legal["issues"]) == ("Legal", 1)
    assert _measures(legal) == {
        "reviewed": (0, 0),
        "mechanism": (0, 0),
        "status": (0, 0),
        "gaps": (0, 0),
    }
    assert progress["total"]["issues"] == 5
    assert _measures(progress["total"])["reviewed"] == (3, 60)


def test_progress_reads_in_numbers_and_as_bars_of_tables_with_widths():
    _small_map()
    composed = report_compose(now=timezone.now(), deliverable=DeliverableFactory(), introduction="")
    assert (
        "Security (4 issues): reviewed 3, mechanisms identified 2, status recorded 1, "
        "gaps named 2" in composed.body_text
    )
    html = composed.body_html
    assert "<h2>Progress against the terms of reference</h2>" in html
    # Bars a mail client draws: table cells with a width and a colour, no script, no image.
    assert '<td width="75%" height="8" bgcolor="#1f5f8b"' in html
    assert "background-color:#1f5f8b;width:75%" in html
    assert "<script" not in html and "<img" not in html and "<style" not in html


def test_changes_are_summarised_by_cluster_before_the_details():
    security, legal = _small_map()
    _send("update-1")
    CoverageFactory(issue=Issue.objects.get(title="Encryption"))
    GapFactory(issue=Issue.objects.get(title="Encryption"), type="capacity")
    IssueFactory(title="Data protection", cluster=legal)
    IssueFactory(title="Cross-border data flows", cluster=legal)
    composed = report_compose(
        now=timezone.now(), deliverable=DeliverableFactory(slug="update-2"), introduction=""
    )
    assert composed.content["changes_by_cluster"] == [
        {
            "cluster": "Security",
            "issues_added": 0,
            "issues_merged": 0,
            "issues_withdrawn": 0,
            "coverage": 1,
            "gaps": 1,
            "total": 2,
        },
        {
            "cluster": "Legal",
            "issues_added": 2,
            "issues_merged": 0,
            "issues_withdrawn": 0,
            "coverage": 0,
            "gaps": 0,
            "total": 2,
        },
    ]
    text = composed.body_text
    assert "  Security: 1 coverage status; 1 gap\n  Legal: 2 issues added" in text
    assert text.index("Legal: 2 issues added") < text.index("Issues added to the map (2):")
    assert "<strong>Legal</strong>: 2 issues added" in composed.body_html


def test_items_without_consensus_are_listed_with_their_options():
    open_item = ConsensusItemFactory(
        issue=IssueFactory(title="Net neutrality"), summary="Whether a global forum is lacking."
    )
    OptionFactory(item=open_item, label="A", text="A policy gap.")
    OptionFactory(item=open_item, label="B", text="Handled nationally.")
    referred = ConsensusItemFactory(
        issue=IssueFactory(title="Root zone"),
        state=ConsensusItem.State.REFERRED,
        referred_on=datetime.date(2014, 1, 30),
    )
    OptionFactory(item=referred, label="A", text="Partly addressing.")
    decided = DecisionFactory(item__issue=IssueFactory(title="Decided already")).item
    decided.state = ConsensusItem.State.DECIDED
    decided.save()
    composed = report_compose(now=timezone.now(), deliverable=DeliverableFactory(), introduction="")
    open_items = composed.content["open_items"]
    assert (open_items["count"], open_items["open"], open_items["referred"]) == (2, 1, 1)
    assert [item["subject"] for item in open_items["items"]] == ["Net neutrality", "Root zone"]
    assert [o["label"] for o in open_items["items"][0]["options"]] == ["A", "B"]
    text = composed.body_text
    assert "ITEMS WITHOUT CONSENSUS (2)" in text
    assert "Net neutrality: Whether a global forum is lacking." in text
    assert "      Option A: A policy gap.\n      Option B: Handled nationally." in text
    assert "Root zone (referred on 30 January 2014)" in text
    assert "<strong>Option B</strong>: Handled nationally." in composed.body_html


def test_proposals_awaiting_review_are_counted_by_kind_oldest_first():
    ProposalFactory(justification="first")
    ProposalFactory(
        kind=Proposal.Kind.ISSUE,
        coverage=None,
        issue=None,
        title="Algorithmic accountability",
        baseline={},
    )
    ProposalFactory(state=Proposal.State.DECLINED, reason="Out of scope.")
    content = update_report_compose(
        now=timezone.now(), deliverable=DeliverableFactory(), introduction=""
    )
    proposals = content["proposals"]
    assert proposals["count"] == 2
    assert {(row["label"], row["count"]) for row in proposals["by_kind"]} == {
        ("New issue", 1),
        ("Change of a coverage status", 1),
    }
    assert [item["kind"] for item in proposals["items"]] == [
        "Change of a coverage status",
        "New issue",
    ]
    assert proposals["items"][1]["subject"] == "Algorithmic accountability"


def test_next_deadlines_and_coordinators_come_from_the_records_not_the_clock():
    # Everything in 2013-14: against today's date nothing would be upcoming.
    this = DeliverableFactory(slug="update-1", due_date=datetime.date(2013, 11, 30))
    DeliverableFactory(
        slug="update-2",
        title="Second update report",
        due_date=datetime.date(2014, 1, 6),
    )
    DeliverableFactory(
        slug="final-document",
        kind=Deliverable.Kind.FINAL_DOCUMENT,
        title="Final document",
        due_date=datetime.date(2014, 2, 12),
    )
    MeetingFactory(
        number=3,
        title="Third meeting",
        start_date=datetime.date(2014, 2, 24),
        end_date=datetime.date(2014, 2, 28),
        venue="Geneva",
    )
    ParticipantFactory(honorific="Mr.", name="Phil Rushton", role=Participant.Role.COORDINATOR)
    ParticipantFactory(honorific="Ms.", name="Joy Liddicoat", role=Participant.Role.COORDINATOR)
    composed = report_compose(
        now=timezone.now(), deliverable=this, introduction="", issued_on=datetime.date(2013, 11, 29)
    )
    assert [row["title"] for row in composed.content["deadlines"]] == [
        "Second update report",
        "Final document",
        "Third meeting of the working group",
    ]
    text = composed.body_text
    assert (
        "  - 6 January 2014: Second update report: the progress of the map since the previous "
        "report\n"
        "  - 12 February 2014: Final document: the map as the correspondence group submits it "
        "to the working group\n"
        "  - 24 to 28 February 2014: Third meeting of the working group: Geneva"
    ) in text
    assert text.rstrip().endswith(
        "Mr. Phil Rushton and Ms. Joy Liddicoat\nCoordinators of the correspondence group"
    )


@pytest.mark.parametrize(
    ("introduction", "kept"),
    [
        ("Dear Chair,\n\nThe group met twice.", "The group met twice."),
        ("Dear Mr. Major, dear colleagues,\nThe group met twice.", "The group met twice."),
        ("Excellency: the group met twice.", "the group met twice."),
        ("Dear Chair", ""),
        ("To date, the group met twice.", "To date, the group met twice."),
        ("Dearth of data held the group back.", "Dearth of data held the group back."),
    ],
)
def test_a_greeting_opening_the_introduction_is_left_to_the_message(introduction, kept):
    assert introduction_without_greeting(introduction) == kept


def test_the_chair_and_the_list_are_greeted_once():
    composed = report_compose(
        now=timezone.now(),
        deliverable=DeliverableFactory(),
        introduction="Dear Chair,\n\nThe group met twice.",
    )
    report = Report(
        deliverable=DeliverableFactory(),
        subject=composed.subject,
        content=composed.content,
        body_text=composed.body_text,
        body_html=composed.body_html,
    )
    for recipient in (
        Recipient("p.major@example.org", "Mr. Peter Major", to_chair=True, token=""),
        Recipient("ana@example.org", "Ana", to_chair=False, token="t"),
    ):
        message = report_message(report, recipient, written_on=WRITTEN_ON)
        html = message.alternatives[0].content
        assert message.body.count("Dear") == 1 and html.count("Dear") == 1
        assert "The group met twice." in message.body and "The group met twice." in html


def test_a_long_period_keeps_the_message_short_and_links_to_every_change():
    cluster = ClusterFactory()
    _send("update-1")
    for n in range(60):
        CoverageFactory(issue=IssueFactory(title=f"Issue number {n:02}", cluster=cluster))
    composed = report_compose(
        now=timezone.now(), deliverable=DeliverableFactory(slug="update-2"), introduction=""
    )
    text = composed.body_text
    assert "Issues added to the map (60):" in text and "  - and 55 more" in text
    assert "Coverage statuses set or changed (60):" in text
    assert "Issue number 04" in text and "Issue number 05" not in text
    assert "Every change of the period: http://testserver/reports/update-2/changes/" in text
    assert 'href="http://testserver/reports/update-2/changes/"' in composed.body_html
    # Sixty changes of two kinds, and the message stays about as long as with none.
    assert len(text) < 5000


def test_the_changes_page_of_a_sent_report_lists_its_whole_period(
    client, django_assert_max_num_queries
):
    cluster = ClusterFactory()
    _send("update-1")
    for n in range(30):
        CoverageFactory(issue=IssueFactory(title=f"Issue number {n:02}", cluster=cluster))
    _send("update-2")
    IssueFactory(title="Added after the second report", cluster=cluster)
    with django_assert_max_num_queries(25):
        response = client.get("/reports/update-2/changes/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Issues added to the map (30)" in page
    assert "Coverage statuses set or changed (30)" in page
    assert all(f"Issue number {n:02}" in page for n in range(30))
    assert "Added after the second report" not in page


def test_before_sending_only_coordinators_see_the_changes_page(client, coordinator_client):
    DeliverableFactory(slug="update-1")
    IssueFactory(title="Cybercrime")
    assert client.get("/reports/update-1/changes/").status_code == 404
    response = coordinator_client.get("/reports/update-1/changes/")
    assert response.status_code == 200
    assert "Cybercrime" in response.content.decode()


def test_the_sections_are_frozen_with_the_sent_report():
    item = ConsensusItemFactory(issue=IssueFactory(title="Net neutrality"))
    OptionFactory(item=item, label="A", text="A policy gap.")
    report = _send("update-1", introduction="The group met twice.")
    body_text, body_html = report.body_text, report.body_html
    OptionFactory(item=item, label="B", text="Added later.")
    ProposalFactory()
    ParticipantFactory(name="Later Coordinator", role=Participant.Role.COORDINATOR)
    report.refresh_from_db()
    assert (report.body_text, report.body_html) == (body_text, body_html)
    assert "Added later." not in report.body_text and "Later Coordinator" not in report.body_text


def test_the_changes_page_goes_through_a_long_period_page_by_page(client, monkeypatch):
    monkeypatch.setattr("reports.views.CHANGES_PAGE_SIZE", 10)
    cluster = ClusterFactory()
    for n in range(25):
        IssueFactory(title=f"Issue number {n:02}", cluster=cluster)
    CoverageFactory(issue=IssueFactory(title="Covered", cluster=cluster))
    _send("update-1")
    # 26 issues added, by title: "Covered", then numbers 00 to 24.
    first = client.get("/reports/update-1/changes/").content.decode()
    assert "Covered" in first and "Issue number 08" in first
    assert "Issue number 09" not in first
    assert "Page 1 of 3" in first and 'href="?page=2"' in first
    last = client.get("/reports/update-1/changes/?page=3").content.decode()
    assert "Issue number 19" in last and "Issue number 24" in last
    assert "Issue number 18" not in last and "Covered" not in last
    assert "Issues added to the map (26)" in last
    # The one coverage status is on the first page; the third says where it is.
    assert "Coverage statuses set or changed (1)</h2>\n<p>On pages 1 to 2.</p>" in last
