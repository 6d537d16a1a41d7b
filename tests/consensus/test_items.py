"""Items without consensus on the site: marked and drafted by coordinators, supported by
members, referred, listed on /referrals/, and decided by the Chair or the secretariat."""

import datetime

import pytest
from django.urls import reverse

from consensus.models import ConsensusItem, OptionSupport
from issues.models import Issue
from tests.factories import (
    ConsensusItemFactory,
    CoverageFactory,
    IssueFactory,
    MeetingFactory,
    OptionFactory,
    OptionSupportFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def test_coordinator_marks_a_coverage_status_drafts_options_and_refers_it(coordinator_client):
    coverage = CoverageFactory(mechanism__acronym="ICANN")
    issue = coverage.issue
    response = coordinator_client.post(
        reverse("issues:item-create", args=[issue.pk]),
        {"subject": str(coverage.pk), "summary": "Whether ICANN addresses root zone oversight."},
    )
    item = ConsensusItem.objects.get(coverage=coverage)
    assert response["Location"] == reverse("issues:item-detail", args=[item.pk])
    refer = reverse("issues:item-refer", args=[item.pk])
    for text in ["[addressing] It does.", "[partly] Only the technical side."]:
        coordinator_client.post(
            reverse("issues:option-create", args=[item.pk]), {"label": "", "text": text}
        )
    assert list(item.options.values_list("label", flat=True)) == ["A", "B"]
    coordinator_client.post(refer, {"referred_on": "2014-01-30"})
    item.refresh_from_db()
    assert item.state == "referred" and item.referred_on == datetime.date(2014, 1, 30)
    referrals = coordinator_client.get(reverse("issues:referrals")).content.decode()
    assert "Only the technical side." in referrals


def test_issue_page_shows_the_items_about_it_and_its_statuses_not_another_issues(client):
    coverage = CoverageFactory(mechanism__acronym="ICANN")
    issue = coverage.issue
    ConsensusItemFactory(issue=issue, summary="Whether the issue belongs on the map.")
    ConsensusItemFactory(issue=None, coverage=coverage, summary="Whether ICANN addresses it.")
    other = CoverageFactory(mechanism=coverage.mechanism)
    ConsensusItemFactory(issue=None, coverage=other, summary="About another issue.")
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Whether the issue belongs on the map." in page
    assert "Status of ICANN" in page and "Whether ICANN addresses it." in page
    assert "About another issue." not in page


def test_marking_the_issue_itself_moves_its_consensus_state(coordinator_client):
    issue = IssueFactory()
    coordinator_client.post(
        reverse("issues:item-create", args=[issue.pk]),
        {"subject": "issue", "summary": "Whether it belongs on the map."},
    )
    issue.refresh_from_db()
    assert issue.consensus == Issue.Consensus.NO_CONSENSUS
    item = ConsensusItem.objects.get(issue=issue)
    OptionFactory(item=item, label="A")
    OptionFactory(item=item, label="B")
    coordinator_client.post(
        reverse("issues:item-refer", args=[item.pk]), {"referred_on": "2014-01-28"}
    )
    issue.refresh_from_db()
    assert issue.consensus == Issue.Consensus.REFERRED


def test_referral_needs_two_options(coordinator_client):
    item = ConsensusItemFactory()
    OptionFactory(item=item)
    response = coordinator_client.post(
        reverse("issues:item-refer", args=[item.pk]), {"referred_on": "2014-01-28"}, follow=True
    )
    assert "at least two options" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "open"


def test_member_states_and_changes_support_one_option_per_item(member_client, member_user):
    item = ConsensusItemFactory()
    a, b = OptionFactory(item=item, label="A"), OptionFactory(item=item, label="B")
    url = reverse("issues:item-support", args=[item.pk])
    member_client.post(url, {"option": a.pk})
    member_client.post(url, {"option": b.pk})
    support = OptionSupport.objects.get(item=item)
    assert support.option == b and support.participant == member_user.participant
    page = member_client.get(reverse("issues:item-detail", args=[item.pk])).content.decode()
    assert "Supported by Governments (1)" in page and "now: option B" in page
    member_client.post(url, {"option": ""})
    assert not OptionSupport.objects.exists()


def test_support_for_another_items_option_is_refused(member_client):
    item = ConsensusItemFactory()
    OptionFactory(item=item)
    foreign = OptionFactory()
    response = member_client.post(
        reverse("issues:item-support", args=[item.pk]), {"option": foreign.pk}, follow=True
    )
    assert "Choose one of this item" in response.content.decode()
    assert not OptionSupport.objects.exists()


def test_chair_records_the_decision_and_the_item_freezes(chair_client, member_client):
    meeting = MeetingFactory(
        number=3, start_date=datetime.date(2014, 2, 24), end_date=datetime.date(2014, 2, 28)
    )
    item = ConsensusItemFactory(state="referred", referred_on=datetime.date(2014, 1, 28))
    chosen = OptionFactory(item=item, label="A")
    other = OptionFactory(item=item, label="B")
    url = reverse("issues:item-decide", args=[item.pk])
    read = form_data(chair_client.get(url).context["form"])
    wrong_day = chair_client.post(
        url, {**read, "option": chosen.pk, "meeting": meeting.pk, "decided_on": "2014-03-10"}
    )
    assert "give a date within it" in wrong_day.content.decode()
    chair_client.post(
        url, {**read, "option": chosen.pk, "meeting": meeting.pk, "decided_on": "2014-02-26"}
    )
    item.refresh_from_db()
    item.issue.refresh_from_db()
    assert item.state == "decided" and item.decision.option == chosen
    assert item.issue.consensus == Issue.Consensus.DECIDED
    # Frozen: no more support, no option edits.
    response = member_client.post(
        reverse("issues:item-support", args=[item.pk]), {"option": other.pk}, follow=True
    )
    assert "frozen" in response.content.decode()
    assert not OptionSupport.objects.exists()


def test_coordinator_cannot_record_a_decision(coordinator_client):
    item = ConsensusItemFactory(state="referred", referred_on=datetime.date(2014, 1, 28))
    assert coordinator_client.get(reverse("issues:item-decide", args=[item.pk])).status_code == 403


def test_decided_items_options_cannot_be_edited(coordinator_client):
    from tests.factories import DecisionFactory

    decision = DecisionFactory()
    item = decision.item
    item.state = "decided"
    item.save()
    option = OptionFactory(item=item, label="Z", text="Before")
    coordinator_client.post(
        reverse("issues:option-edit", args=[option.pk]), {"label": "Z", "text": "After"}
    )
    option.refresh_from_db()
    assert option.text == "Before"


@pytest.mark.parametrize("size", [1, 20])
def test_referrals_page_query_count_is_flat(size, client, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0  # the page as it is built, not its cached hit
    for _ in range(size):
        item = ConsensusItemFactory(state="referred", referred_on=datetime.date(2014, 1, 28))
        for label in "AB":
            OptionSupportFactory.create_batch(2, option=OptionFactory(item=item, label=label))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("issues:referrals"))
    assert response.status_code == 200
    assert response.content.decode().count('class="item"') == size


@pytest.mark.parametrize("size", [1, 20])
def test_item_page_query_count_is_flat(size, member_client, django_assert_max_num_queries):
    item = ConsensusItemFactory()
    for label in "AB":
        OptionSupportFactory.create_batch(size, option=OptionFactory(item=item, label=label))
    with django_assert_max_num_queries(12):
        assert member_client.get(reverse("issues:item-detail", args=[item.pk])).status_code == 200
