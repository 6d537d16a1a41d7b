"""Two proposals creating the same mechanism at once: the second accept ends in a message, not a
server error, and writes nothing."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from consensus.models import Proposal
from consensus.services.proposals import proposal_accept
from mechanisms import services as mechanism_services
from mechanisms.models import Coverage, Mechanism
from tests.factories import IssueFactory, ParticipantFactory, ProposalFactory, UserFactory


def _mechanism_proposal(issue, name: str) -> Proposal:
    return ProposalFactory(
        kind=Proposal.Kind.MECHANISM,
        coverage=None,
        issue=issue,
        baseline={},
        mechanism_name=name,
        mechanism_kind="multistakeholder",
        status="partly",
    )


@pytest.mark.django_db
def test_a_mechanism_added_between_the_check_and_the_insert_gives_a_message(
    coordinator_client, monkeypatch
):
    proposal = _mechanism_proposal(
        IssueFactory(title="Cybercrime"), "Global Forum on Cyber Expertise"
    )
    stamp = mechanism_services._stamp

    def another_accept_wins_meanwhile(instance, **kwargs):
        if isinstance(instance, Mechanism) and not Mechanism.objects.exists():
            Mechanism.objects.create(
                name="global forum on cyber expertise", kind="multistakeholder"
            )
        stamp(instance, **kwargs)

    monkeypatch.setattr(mechanism_services, "_stamp", another_accept_wins_meanwhile)
    response = coordinator_client.post(reverse("issues:proposal-accept", args=[proposal.pk]))
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        "A mechanism named “Global Forum on Cyber Expertise” was added meanwhile by someone "
        "else; reload the page to see it."
    )
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PENDING
    # Nothing of the accept is written (the simulated winner was inside the same transaction).
    assert not Coverage.objects.exists() and not Mechanism.objects.exists()


@pytest.mark.django_db
def test_mechanism_names_that_differ_only_by_case_are_refused_by_the_database():
    from django.db import IntegrityError, transaction

    Mechanism.objects.create(name="Internet Governance Forum")
    with pytest.raises(IntegrityError), transaction.atomic():
        Mechanism.objects.create(name="INTERNET GOVERNANCE FORUM")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent writers need PostgreSQL (SQLite in memory refuses them: table locked)",
)
@pytest.mark.django_db(transaction=True)
def test_two_proposals_of_the_same_mechanism_accepted_at_once_create_it_once():
    coordinator = UserFactory()
    ParticipantFactory(user=coordinator)
    proposals = [
        _mechanism_proposal(IssueFactory(title=f"Issue {n}"), "Global Forum on Cyber Expertise")
        for n in range(2)
    ]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(proposal: Proposal) -> None:
        try:
            start.wait()
            proposal_accept(proposal=proposal, user=coordinator)
            outcomes.append("accepted")
        except Exception as error:  # noqa: BLE001 - the outcome is what the test reads
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Mechanism.objects.count() == 1
    assert "accepted" in outcomes
    for outcome in outcomes:
        assert (
            outcome == "accepted"
            or outcome.startswith("ValidationError")
            or (
                # SQLite serialises the two writers: the second sees the first's mechanism.
                "already exists" in outcome
            )
        ), outcome
