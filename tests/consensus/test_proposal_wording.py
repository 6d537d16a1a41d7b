"""Proposals read as sentences (their kind said once, capitalised) in the queue, on issue pages
and in the e-mail telling the proposer the outcome, and say "edited" only after an edit."""

import pytest
from django.core import mail
from django.urls import reverse

from consensus.models import Proposal
from tests.factories import CoverageFactory, IssueFactory, ProposalFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return IssueFactory(title="Cybercrime")


def test_a_new_proposal_is_not_marked_edited_until_its_proposer_edits_it(
    member_client, member_user
):
    proposal = ProposalFactory(proposer=member_user.participant)
    detail = reverse("issues:proposal-detail", args=[proposal.pk])
    assert "(edited" not in member_client.get(detail).content.decode()

    url = reverse("issues:proposal-edit", args=[proposal.pk])
    read = form_data(member_client.get(url).context["form"])
    member_client.post(url, {**read, "justification": "Better evidence."})
    proposal.refresh_from_db()
    assert proposal.justification == "Better evidence." and proposal.edited_at is not None
    assert "(edited " in member_client.get(detail).content.decode()


def test_withdrawing_a_proposal_does_not_mark_it_edited(member_client, member_user):
    proposal = ProposalFactory(proposer=member_user.participant)
    member_client.post(reverse("issues:proposal-withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn" and proposal.edited_at is None


def test_the_queue_reads_each_proposal_as_one_sentence(coordinator_client, member_user, issue):
    ProposalFactory(
        kind=Proposal.Kind.ISSUE,
        coverage=None,
        issue=None,
        status="",
        baseline={},
        title="E-money and virtual currencies",
        proposer=member_user.participant,
    )
    ProposalFactory(
        coverage=CoverageFactory(issue=issue, mechanism__acronym="OECD"),
        proposer=member_user.participant,
    )
    page = coordinator_client.get(reverse("issues:proposal-queue")).content.decode()
    assert "Proposal of a new issue: “E-money and virtual currencies”" in page
    assert "Proposal of a new status of OECD on “Cybercrime”: partly addressing" in page
    assert "new issue “" not in page and "New issue:" not in page


def test_an_issue_page_lists_its_proposals_as_sentences(member_client, member_user, issue):
    ProposalFactory(
        coverage=CoverageFactory(issue=issue, mechanism__acronym="OECD"),
        proposer=member_user.participant,
    )
    page = member_client.get(issue.get_absolute_url()).content.decode()
    assert "Proposal of a new status of OECD on “Cybercrime”: partly addressing" in page
    assert "Change of a coverage status:" not in page


def test_the_outcome_e_mail_says_the_proposal_as_a_sentence(
    coordinator_client, member_user, issue, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(
        coverage=CoverageFactory(issue=issue, mechanism__acronym="OECD"),
        proposer=member_user.participant,
    )
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("issues:proposal-decline", args=[proposal.pk]),
            {"reason": "The evidence does not concern this issue."},
        )
    message = mail.outbox[-1]
    sentence = "Proposal of a new status of OECD on “Cybercrime”: partly addressing."
    assert sentence in message.body
    assert sentence in message.alternatives[0][0]
    assert "(change of a coverage status:" not in message.body
