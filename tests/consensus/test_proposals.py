"""Members propose; coordinators accept (the change is applied through the services the admin
uses, and the history names both people) or decline with a reason; stale proposals are refused."""

import pytest
from django.core import mail
from django.urls import reverse

from consensus.models import Proposal
from issues.models import Issue
from mechanisms.models import Coverage, Gap, Mechanism
from tests.factories import (
    ClusterFactory,
    CoverageFactory,
    GapFactory,
    IssueFactory,
    MechanismFactory,
    ProposalFactory,
)
from tests.forms import form_data
from wgec.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return IssueFactory(title="Cybercrime")


def _accept(client, proposal):
    return client.post(reverse("issues:proposal-accept", args=[proposal.pk]))


def test_member_proposes_a_change_of_status_and_the_coordinator_accepts_it(
    member_client, member_user, coordinator_client, issue, django_capture_on_commit_callbacks
):
    coverage = CoverageFactory(issue=issue, status="unknown", mechanism__acronym="UNODC")
    response = member_client.post(
        reverse("issues:proposal-create", args=[issue.pk, "coverage"]),
        {
            "coverage": coverage.pk,
            "status": "partly",
            "evidence": "The Commission on Crime Prevention's resolutions.",
            "justification": "UNODC's *expert group* studies cybercrime.",
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.baseline == {"exists": True, "status": "unknown", "evidence": coverage.evidence}
    assert Proposal.objects.pending().count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        _accept(coordinator_client, proposal)
    coverage.refresh_from_db()
    assert coverage.status == "partly"
    assert coverage.evidence == "The Commission on Crime Prevention's resolutions."
    record = coverage.history.first()
    assert record.history_user.username == "a-coordinator"
    assert record.history_change_reason == (
        f"proposal #{proposal.pk} by A Member, accepted by A Coordinator"
    )
    proposal.refresh_from_db()
    assert proposal.state == "accepted" and proposal.reviewer.username == "a-coordinator"
    assert mail.outbox[-1].to == [member_user.email]
    assert "accepted" in mail.outbox[-1].subject
    # The issue page shows the new status and both names.
    page = member_client.get(issue.get_absolute_url()).content.decode()
    assert "Partly addressing" in page
    assert f"proposal #{proposal.pk} by A Member, accepted by A Coordinator" in page
    # The proposer sees the outcome among their proposals.
    mine = member_client.get(reverse("issues:proposal-list")).content.decode()
    assert "Accepted" in mine


def test_a_new_issue_lands_as_proposed_needing_agreement(member_client, coordinator_client):
    cluster = ClusterFactory(slug="economic")
    member_client.post(
        reverse("issues:proposal-create-issue"),
        {
            "title": "E-money and virtual currencies",
            "description": "Digital currencies across borders.",
            "cluster": cluster.pk,
            "justification": "Raised by several members since the second meeting.",
        },
    )
    proposal = Proposal.objects.get(kind="issue")
    _accept(coordinator_client, proposal)
    issue = Issue.objects.get(title="E-money and virtual currencies")
    assert issue.state == Issue.State.PROPOSED and issue.needs_agreement
    assert issue.agreed_on is None and issue.cluster == cluster
    proposal.refresh_from_db()
    assert proposal.issue == issue
    assert "accepted by A Coordinator" in issue.history.first().history_change_reason


def test_a_new_mechanism_is_created_with_its_coverage(member_client, coordinator_client, issue):
    member_client.post(
        reverse("issues:proposal-create", args=[issue.pk, "mechanism"]),
        {
            "mechanism_name": "Global Forum on Cyber Expertise",
            "mechanism_acronym": "GFCE",
            "mechanism_kind": "multistakeholder",
            "mechanism_website": "https://thegfce.org/",
            "status": "partly",
            "justification": "Capacity building on cybercrime.",
        },
    )
    proposal = Proposal.objects.get()
    _accept(coordinator_client, proposal)
    mechanism = Mechanism.objects.get(acronym="GFCE")
    assert mechanism.kind == "multistakeholder"
    assert Coverage.objects.get(issue=issue, mechanism=mechanism).status == "partly"
    assert "proposal #" in mechanism.history.first().history_change_reason


def test_an_existing_mechanism_or_a_gap_is_applied(member_client, coordinator_client, issue):
    itu = MechanismFactory(name="International Telecommunication Union", acronym="ITU")
    member_client.post(
        reverse("issues:proposal-create", args=[issue.pk, "mechanism"]),
        {"mechanism": itu.pk, "status": "addressing", "justification": "ITU-D programmes."},
    )
    member_client.post(
        reverse("issues:proposal-create", args=[issue.pk, "gap"]),
        {
            "gap_type": "capacity",
            "gap_description": "Few developing countries have trained investigators.",
            "gap_recommendation": "Capacity building.",
            "justification": "See the UNODC study.",
        },
    )
    for proposal in Proposal.objects.order_by("pk"):
        _accept(coordinator_client, proposal)
    assert Coverage.objects.get(issue=issue, mechanism=itu).status == "addressing"
    gap = Gap.objects.get(issue=issue, type="capacity")
    assert gap.recommendation == "Capacity building."
    assert set(Proposal.objects.values_list("state", flat=True)) == {"accepted"}


def test_a_stale_proposal_is_explained_and_changes_nothing(coordinator_client, issue):
    proposal = ProposalFactory(coverage=CoverageFactory(issue=issue, status="unknown"))
    coverage = proposal.coverage
    coverage.status = "addressing"
    coverage.save()
    response = coordinator_client.post(
        reverse("issues:proposal-accept", args=[proposal.pk]), follow=True
    )
    text = response.content.decode()
    assert "out of date" in text and "status then: Unknown; now: Addressing" in text
    coverage.refresh_from_db()
    proposal.refresh_from_db()
    assert coverage.status == "addressing" and proposal.state == "pending"


@pytest.mark.parametrize("state", ["merged", "withdrawn"])
def test_a_proposal_on_a_merged_or_withdrawn_issue_is_stale(coordinator_client, state):
    proposal = ProposalFactory()
    issue = proposal.issue
    issue.state = state
    if state == "merged":
        issue.merged_into = IssueFactory()
    issue.save()
    response = coordinator_client.post(
        reverse("issues:proposal-accept", args=[proposal.pk]), follow=True
    )
    assert f"was {state}" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == "pending"


def test_a_gap_recorded_since_makes_a_gap_proposal_stale(coordinator_client, member_client, issue):
    member_client.post(
        reverse("issues:proposal-create", args=[issue.pk, "gap"]),
        {"gap_type": "policy", "gap_description": "No forum.", "justification": "None exists."},
    )
    GapFactory(issue=issue, type="policy", description="Recorded by the secretariat.")
    proposal = Proposal.objects.get()
    response = coordinator_client.post(
        reverse("issues:proposal-accept", args=[proposal.pk]), follow=True
    )
    assert "the gap of that type was recorded since" in response.content.decode()
    assert Gap.objects.get(issue=issue).description == "Recorded by the secretariat."


def test_decline_needs_a_reason_and_tells_the_proposer(
    coordinator_client, member_user, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(proposer=member_user.participant)
    url = reverse("issues:proposal-decline", args=[proposal.pk])
    coordinator_client.post(url, {"reason": ""})
    proposal.refresh_from_db()
    assert proposal.state == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"reason": "The evidence does not concern this issue."})
    proposal.refresh_from_db()
    assert proposal.state == "declined"
    message = mail.outbox[-1]
    assert message.to == [member_user.email]
    assert "does not concern this issue" in message.body
    assert "does not concern this issue" in message.alternatives[0][0]


def test_the_proposer_edits_and_withdraws_a_pending_proposal(member_client, member_user):
    proposal = ProposalFactory(proposer=member_user.participant)
    url = reverse("issues:proposal-edit", args=[proposal.pk])
    read = form_data(member_client.get(url).context["form"])
    member_client.post(url, {**read, "status": "not_addressing", "justification": "Better."})
    proposal.refresh_from_db()
    assert proposal.status == "not_addressing" and proposal.justification == "Better."
    member_client.post(reverse("issues:proposal-withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"
    page = member_client.get(reverse("issues:proposal-edit", args=[proposal.pk]), follow=True)
    assert "stays as it is" in page.content.decode()


def test_a_proposal_that_changes_nothing_is_refused_with_a_reason(member_client, issue):
    coverage = CoverageFactory(issue=issue, status="partly", mechanism__acronym="OECD")
    response = member_client.post(
        reverse("issues:proposal-create", args=[issue.pk, "coverage"]),
        {"coverage": coverage.pk, "status": "partly", "justification": "Same."},
    )
    assert "OECD is already recorded as “partly addressing”" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("size", [2, 30])
def test_queue_and_list_query_counts_are_flat(
    size, coordinator_client, member_client, member_user, django_assert_max_num_queries
):
    ProposalFactory.create_batch(size)
    ProposalFactory.create_batch(size, proposer=member_user.participant)
    with django_assert_max_num_queries(9):
        assert coordinator_client.get(reverse("issues:proposal-queue")).status_code == 200
    with django_assert_max_num_queries(8):
        assert member_client.get(reverse("issues:proposal-list")).status_code == 200


def test_the_secretariats_pages_offer_no_proposal_link_it_would_be_refused(secretariat_client):
    create = reverse("issues:proposal-create-issue")
    assert secretariat_client.get(create).status_code == 403
    for name in ("issues:proposal-list", "wgec:account"):
        page = secretariat_client.get(reverse(name)).content.decode()
        assert f'href="{create}"' not in page, name
        assert "the secretariat edits the map in the" in page, name


def test_a_members_pages_offer_to_propose_a_new_issue(member_client):
    create = reverse("issues:proposal-create-issue")
    for name in ("issues:proposal-list", "wgec:account"):
        assert f'href="{create}"' in member_client.get(reverse(name)).content.decode(), name


def test_the_outcome_is_written_in_the_proposers_language(
    coordinator_client, member_user, django_capture_on_commit_callbacks
):
    Profile.objects.update_or_create(user=member_user, defaults={"language": "fr"})
    proposal = ProposalFactory(proposer=member_user.participant)
    url = reverse("issues:proposal-decline", args=[proposal.pk])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"reason": "The evidence does not concern this issue."})
    message = mail.outbox[-1]
    assert message.subject.startswith(f"Votre proposition nº {proposal.pk} : ")
    assert message.body.startswith(f"Bonjour {member_user.participant.display_name},")
    assert "Motif indiqué :" in message.body
    assert "The evidence does not concern this issue." in message.body  # as written
    assert '<html lang="fr" dir="ltr">' in message.alternatives[0][0]
