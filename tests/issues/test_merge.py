"""Merging duplicate issues, undoing a merge, and agreeing to add issues raised later."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consensus.models import ConsensusItem
from issues.models import Issue, IssueMerge
from issues.services.issue_list import issue_agreement_record, issue_merge, issue_merge_undo
from tests.factories import (
    ConsensusItemFactory,
    CoverageFactory,
    GapFactory,
    IssueFactory,
    IssueSourceFactory,
    MechanismFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicates():
    survivor = IssueFactory(title="Child safety online")
    raw = IssueFactory(title="protection of children online")
    itu = MechanismFactory(acronym="ITU")
    oecd = MechanismFactory(acronym="OECD")
    CoverageFactory(issue=survivor, mechanism=itu, status="addressing")
    CoverageFactory(issue=raw, mechanism=itu, status="partly")
    moved_coverage = CoverageFactory(issue=raw, mechanism=oecd, status="partly")
    source = IssueSourceFactory(issue=raw)
    gap = GapFactory(issue=raw, type="capacity")
    GapFactory(issue=survivor, type="policy")
    return survivor, raw, moved_coverage, source, gap


def test_survivor_gains_sources_coverage_and_gaps(duplicates, secretariat_user):
    survivor, raw, moved_coverage, source, gap = duplicates
    [record] = issue_merge(survivor=survivor, duplicates=[raw], user=secretariat_user)
    raw.refresh_from_db()
    assert raw.state == Issue.State.MERGED and raw.merged_into == survivor
    assert set(survivor.coverage.values_list("mechanism__acronym", "status")) == {
        ("ITU", "addressing"),  # the survivor's own status is kept
        ("OECD", "partly"),
    }
    assert list(survivor.sources.all()) == [source]
    assert set(survivor.gaps.values_list("type", flat=True)) == {"policy", "capacity"}
    assert record.moved["coverage"] == [moved_coverage.pk]
    assert raw.coverage.get().mechanism.acronym == "ITU"  # kept back, returns on undo
    latest = raw.history.first()
    assert latest.history_user == secretariat_user
    assert "merged into" in latest.history_change_reason


def test_merged_issue_page_redirects_and_undo_restores_everything(
    duplicates, client, secretariat_user
):
    survivor, raw, moved_coverage, source, gap = duplicates
    [record] = issue_merge(survivor=survivor, duplicates=[raw], user=secretariat_user)
    page = reverse("issues:detail", args=[raw.pk])
    assert client.get(page)["Location"] == reverse("issues:detail", args=[survivor.pk])
    notes = issue_merge_undo(merge=record, user=secretariat_user)
    assert notes == []
    raw.refresh_from_db()
    assert raw.state == Issue.State.ON_MAP and raw.merged_into is None
    assert set(raw.coverage.values_list("mechanism__acronym", flat=True)) == {"ITU", "OECD"}
    assert list(raw.sources.all()) == [source]
    assert list(raw.gaps.all()) == [gap]
    assert survivor.coverage.count() == 1
    record.refresh_from_db()
    assert record.undone_at is not None and record.undone_by == secretariat_user
    assert client.get(page).status_code == 200
    with pytest.raises(ValidationError, match="already undone"):
        issue_merge_undo(merge=record)


def test_merging_an_issue_that_others_were_merged_into_repoints_them(secretariat_user):
    first, second, third = IssueFactory(), IssueFactory(), IssueFactory()
    issue_merge(survivor=second, duplicates=[first])
    issue_merge(survivor=third, duplicates=[second])
    first.refresh_from_db()
    assert first.merged_into == third
    issue_merge_undo(merge=IssueMerge.objects.get(merged=second, undone_at__isnull=True))
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.state == Issue.State.ON_MAP
    assert first.merged_into == second


def test_merge_refuses_what_it_cannot_do():
    survivor = IssueFactory()
    with pytest.raises(ValidationError, match="at least one issue"):
        issue_merge(survivor=survivor, duplicates=[survivor])
    merged = IssueFactory(state=Issue.State.MERGED, merged_into=IssueFactory())
    with pytest.raises(ValidationError, match="already merged"):
        issue_merge(survivor=survivor, duplicates=[merged])
    withdrawn = IssueFactory(state=Issue.State.WITHDRAWN)
    with pytest.raises(ValidationError, match="withdrawn"):
        issue_merge(survivor=withdrawn, duplicates=[IssueFactory()])
    ConsensusItemFactory(issue=survivor)
    other = IssueFactory()
    ConsensusItemFactory(issue=other)
    with pytest.raises(ValidationError, match="Both .* have an item without consensus"):
        issue_merge(survivor=survivor, duplicates=[other])
    assert not IssueMerge.objects.exists()


def test_item_without_consensus_follows_the_merge():
    survivor, raw = IssueFactory(), IssueFactory()
    item = ConsensusItemFactory(issue=raw)
    [record] = issue_merge(survivor=survivor, duplicates=[raw])
    assert ConsensusItem.objects.get(pk=item.pk).issue == survivor
    issue_merge_undo(merge=record)
    assert ConsensusItem.objects.get(pk=item.pk).issue == raw


def test_proposed_issue_goes_on_the_map_only_with_the_groups_agreement(client, secretariat_user):
    proposed = IssueFactory(state=Issue.State.PROPOSED, needs_agreement=True)
    assert client.get(reverse("issues:detail", args=[proposed.pk])).status_code == 404
    issue_agreement_record(
        issue=proposed, agreed_on=datetime.date(2014, 2, 26), user=secretariat_user
    )
    proposed.refresh_from_db()
    assert proposed.state == Issue.State.ON_MAP
    assert proposed.agreed_on == datetime.date(2014, 2, 26)
    assert client.get(reverse("issues:detail", args=[proposed.pk])).status_code == 200


def test_agreement_needs_a_cluster_and_a_proposed_issue():
    with pytest.raises(ValidationError, match="cluster"):
        issue_agreement_record(
            issue=IssueFactory(state="proposed", cluster=None), agreed_on=datetime.date(2014, 2, 26)
        )
    with pytest.raises(ValidationError, match="not a proposed issue"):
        issue_agreement_record(issue=IssueFactory(), agreed_on=datetime.date(2014, 2, 26))


def test_admin_merge_action_previews_then_merges(secretariat_client, duplicates):
    survivor, raw, *_ = duplicates
    url = reverse("admin:issues_issue_changelist")
    selection = {"action": "merge_issues", "_selected_action": [survivor.pk, raw.pk]}
    chooser = secretariat_client.post(url, selection)
    assert chooser.status_code == 200
    assert "Which issue survives?" in chooser.content.decode()
    preview = secretariat_client.post(url, {**selection, "survivor": survivor.pk})
    text = preview.content.decode()
    assert "What the merge into “Child safety online” will do" in text
    assert "the survivor&#x27;s own status for it is kept" in text
    raw.refresh_from_db()
    assert raw.state == Issue.State.ON_MAP  # nothing yet
    done = secretariat_client.post(
        url, {**selection, "survivor": survivor.pk, "confirm": "yes"}, follow=True
    )
    assert "Merged 1 issue into “Child safety online”" in done.content.decode()
    raw.refresh_from_db()
    assert raw.merged_into == survivor


def test_admin_undo_and_agreement_actions(secretariat_client, secretariat_user):
    survivor, raw = IssueFactory(), IssueFactory(title="new gTLDs")
    issue_merge(survivor=survivor, duplicates=[raw], user=secretariat_user)
    url = reverse("admin:issues_issue_changelist")
    response = secretariat_client.post(
        url, {"action": "undo_merge", "index": 0, "_selected_action": [raw.pk]}, follow=True
    )
    assert "Undone: “new gTLDs” merged into" in response.content.decode()
    proposed = IssueFactory(state="proposed", needs_agreement=True, title="Algorithms")
    form = secretariat_client.post(
        url, {"action": "record_agreement", "index": 0, "_selected_action": [proposed.pk]}
    )
    assert "Date of the working group" in form.content.decode()
    done = secretariat_client.post(
        url,
        {
            "action": "record_agreement",
            "_selected_action": [proposed.pk],
            "agreed_on": "2014-02-26",
        },
        follow=True,
    )
    assert "1 issue is now on the map." in done.content.decode()
    proposed.refresh_from_db()
    assert proposed.state == "on_map"


def test_admin_form_refuses_putting_a_later_issue_on_the_map_without_agreement(
    secretariat_client,
):
    proposed = IssueFactory(state="proposed", needs_agreement=True)
    data = {
        "title": proposed.title,
        "cluster": proposed.cluster_id,
        "description": "",
        "state": "on_map",
        "consensus": "agreed",
    }
    for prefix in ("sources", "coverage", "gaps"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    response = secretariat_client.post(
        reverse("admin:issues_issue_change", args=[proposed.pk]), data
    )
    assert response.status_code == 200
    assert "give the date of the working group’s agreement" in response.content.decode()
