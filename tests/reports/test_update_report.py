import datetime

import pytest
from django.utils import timezone

from consensus.models import ConsensusItem
from consensus.services.items import decision_record
from issues.models import Issue
from mechanisms.models import Coverage, Gap
from reports import services
from reports.models import Report
from reports.rendering import report_compose
from reports.update import update_report_compose
from tests.factories import (
    ClusterFactory,
    ConsensusItemFactory,
    CoverageFactory,
    DeliverableFactory,
    GapFactory,
    IssueFactory,
    MechanismFactory,
    MeetingFactory,
    OptionFactory,
)
from tests.reports.conftest import committed

pytestmark = pytest.mark.django_db


def _send(slug: str) -> Report:
    deliverable = DeliverableFactory(slug=slug)
    return committed(lambda: services.report_send(deliverable=deliverable, introduction=""))


def test_totals_count_the_map_as_it_stands():
    security = ClusterFactory(slug="security")
    legal = ClusterFactory(slug="legal")
    cyber = IssueFactory(title="Cybercrime", cluster=security)
    IssueFactory(title="Spam", cluster=security)
    IssueFactory(title="Jurisdiction", cluster=legal)
    IssueFactory(title="Proposed one", cluster=None, state=Issue.State.PROPOSED)
    CoverageFactory(issue=cyber, status=Coverage.Status.PARTLY)
    GapFactory(issue=cyber, type=Gap.Type.CAPACITY)
    ConsensusItemFactory(issue=IssueFactory(title="Disputed", cluster=legal))
    content = update_report_compose(
        now=timezone.now(), deliverable=DeliverableFactory(), introduction=" Hello "
    )
    totals = content["totals"]
    assert content["introduction"] == "Hello"
    assert totals["issues_on_map"] == 4
    assert {"cluster": "Security", "count": 2} in totals["issues_by_cluster"]
    assert {"cluster": "Legal", "count": 2} in totals["issues_by_cluster"]
    assert totals["issues_proposed"] == 1
    assert totals["issues_without_mechanism"] == 3
    assert totals["mechanisms"] == 1
    partly = next(row for row in totals["coverage_by_status"] if row["status"] == "partly")
    assert partly["count"] == 1
    capacity = next(row for row in totals["gaps_by_type"] if row["type"] == "capacity")
    assert capacity["count"] == 1
    assert totals["without_consensus"] == 1


def test_changes_are_counted_since_the_previous_sent_report():
    cluster = ClusterFactory(slug="security")
    kept = IssueFactory(title="Cybersecurity", cluster=cluster)
    doomed = IssueFactory(title="Spam", cluster=cluster)
    duplicate = IssueFactory(title="spam e-mail", cluster=cluster)
    itu = MechanismFactory(name="International Telecommunication Union", acronym="ITU")
    coverage = CoverageFactory(issue=kept, mechanism=itu, status=Coverage.Status.UNKNOWN)
    gap = GapFactory(issue=kept, type=Gap.Type.POLICY)
    item = ConsensusItemFactory(issue=IssueFactory(title="Net neutrality", cluster=cluster))
    option = OptionFactory(item=item, label="A")
    first = _send("update-1")
    assert first.content["since"] is None
    assert first.content["changes"]["issues_added"]["count"] == 4

    added = IssueFactory(title="Encryption", cluster=cluster)
    doomed.state = Issue.State.WITHDRAWN
    doomed.save()
    duplicate.state, duplicate.merged_into = Issue.State.MERGED, kept
    duplicate.save()
    MechanismFactory(name="Council of Europe", acronym="CoE")
    coverage.status = Coverage.Status.ADDRESSING
    coverage.save()
    gap.recommendation = "A new forum."
    gap.save()
    GapFactory(issue=added, type=Gap.Type.KNOWLEDGE)
    item.state, item.referred_on = ConsensusItem.State.REFERRED, datetime.date(2014, 1, 28)
    item.save()
    decision_record(
        item=item, meeting=MeetingFactory(number=3), decided_on=datetime.date(2014, 2, 26),
        option=option,
    )  # fmt: skip

    second = _send("update-2")
    changes = second.content["changes"]
    assert second.content["previous"]["slug"] == "update-1"
    assert second.since == first.composed_at
    assert [i["title"] for i in changes["issues_added"]["items"]] == ["Encryption"]
    assert [(i["title"], i["into"]) for i in changes["issues_merged"]["items"]] == [
        ("spam e-mail", "Cybersecurity")
    ]
    assert [i["title"] for i in changes["issues_withdrawn"]["items"]] == ["Spam"]
    assert [m["acronym"] for m in changes["mechanisms_added"]["items"]] == ["CoE"]
    assert changes["coverage_changes"]["items"] == [
        {
            "issue_id": kept.pk,
            "issue": "Cybersecurity",
            "cluster": cluster.name,
            "mechanism": "ITU",
            "before": "Unknown",
            "after": "Addressing",
        }
    ]
    gap_changes = {(g["issue"], g["change"]) for g in changes["gap_changes"]["items"]}
    assert gap_changes == {("Cybersecurity", "changed"), ("Encryption", "added")}
    assert [r["subject"] for r in changes["referrals"]["items"]] == ["Net neutrality"]
    [decision] = changes["decisions"]["items"]
    assert decision["option"].startswith("Option A")
    assert "Encryption" in second.body_text and "Council of Europe" in second.body_html


def test_an_issue_added_and_withdrawn_between_reports_is_no_change():
    cluster = ClusterFactory()
    _send("update-1")
    issue = IssueFactory(title="Short-lived", cluster=cluster)
    issue.state = Issue.State.WITHDRAWN
    issue.save()
    IssueFactory(title="Proposed", cluster=None, state=Issue.State.PROPOSED)
    content = update_report_compose(
        now=timezone.now(), deliverable=DeliverableFactory(slug="update-2"), introduction=""
    )
    assert content["changes"]["issues_added"]["count"] == 0
    # It did not exist at the previous report and is withdrawn now: reported as withdrawn.
    assert content["changes"]["issues_withdrawn"]["count"] == 1


def test_removed_coverage_and_gaps_are_reported():
    issue = IssueFactory(title="Taxation")
    coverage = CoverageFactory(issue=issue)
    gap = GapFactory(issue=issue)
    _send("update-1")
    coverage.delete()
    gap.delete()
    changes = update_report_compose(
        now=timezone.now(), deliverable=DeliverableFactory(slug="update-2"), introduction=""
    )["changes"]
    assert changes["coverage_changes"]["removed"]["count"] == 1
    assert changes["gap_changes"]["removed"]["items"] == [
        {
            "issue_id": issue.pk,
            "issue": "Taxation",
            "cluster": issue.cluster.name,
            "type": "Policy gap",
        }
    ]


def test_a_sent_report_is_frozen_against_later_edits_of_the_map(client):
    cluster = ClusterFactory()
    IssueFactory(title="Cybercrime", cluster=cluster)
    report = _send("update-1")
    IssueFactory(title="Added after sending", cluster=cluster)
    Issue.objects.filter(title="Cybercrime").update(title="Renamed")
    response = client.get("/reports/update-1/")
    page = response.content.decode()
    assert "Cybercrime" in page
    assert "Added after sending" not in page and "Renamed" not in page
    report.refresh_from_db()
    assert report.content["totals"]["issues_on_map"] == 1


def test_sending_refuses_when_the_map_changed_since_the_preview():
    deliverable = DeliverableFactory(slug="update-1")
    preview = report_compose(now=timezone.now(), deliverable=deliverable, introduction="Hello")
    IssueFactory(title="Late arrival")
    with pytest.raises(services.StalePreview):
        services.report_send(
            deliverable=deliverable, introduction="Hello", fingerprint=preview.fingerprint
        )
    assert not Report.objects.filter(sent_at__isnull=False).exists()
    again = report_compose(now=timezone.now(), deliverable=deliverable, introduction="Hello")
    report = committed(
        lambda: services.report_send(
            deliverable=deliverable, introduction="Hello", fingerprint=again.fingerprint
        )
    )
    assert report.is_sent


def test_long_lists_of_changes_are_cut_but_counted():
    from reports import update

    cluster = ClusterFactory()
    for n in range(5):
        IssueFactory(title=f"Issue {n}", cluster=cluster)
    original = update.CHANGE_LIST_LIMIT
    update.CHANGE_LIST_LIMIT = 3
    try:
        content = update_report_compose(
            now=timezone.now(), deliverable=DeliverableFactory(), introduction=""
        )
    finally:
        update.CHANGE_LIST_LIMIT = original
    assert content["changes"]["issues_added"]["count"] == 5
    assert len(content["changes"]["issues_added"]["items"]) == 3


def test_composing_runs_a_constant_number_of_queries(django_assert_max_num_queries):
    def grow(n: int) -> None:
        cluster = ClusterFactory(slug=f"c{n}")
        for i in range(n):
            issue = IssueFactory(cluster=cluster)
            CoverageFactory(issue=issue)
            GapFactory(issue=issue)
            ConsensusItemFactory(issue=IssueFactory(cluster=cluster), summary=f"s{n}{i}")

    deliverable = DeliverableFactory()
    grow(2)
    with django_assert_max_num_queries(30):
        report_compose(now=timezone.now(), deliverable=deliverable, introduction="")
    grow(20)
    with django_assert_max_num_queries(30):
        report_compose(now=timezone.now(), deliverable=deliverable, introduction="")
