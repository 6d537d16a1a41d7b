"""The database itself refuses states the exercise must never be in."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from consensus.models import ConsensusItem, Decision, OptionSupport
from issues.models import Issue
from tests.factories import (
    AnswerFactory,
    ConsensusItemFactory,
    CoverageFactory,
    DecisionFactory,
    IssueFactory,
    IssueSourceFactory,
    MeetingFactory,
    OptionFactory,
    OptionSupportFactory,
    ParticipantFactory,
    QuestionFactory,
    RespondentFactory,
)

pytestmark = pytest.mark.django_db


def refused(write) -> None:
    """The write raises IntegrityError and leaves nothing behind."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_issue_cannot_be_merged_into_itself():
    issue = IssueFactory()
    refused(lambda: Issue.objects.filter(pk=issue.pk).update(state="merged", merged_into=issue))


def test_merged_issue_must_name_its_survivor():
    issue = IssueFactory()
    refused(lambda: Issue.objects.filter(pk=issue.pk).update(state="merged"))


def test_only_merged_issues_name_a_survivor():
    survivor = IssueFactory()
    refused(lambda: IssueFactory(state=Issue.State.ON_MAP, merged_into=survivor))


def test_issue_cannot_be_merged_into_a_merged_issue():
    survivor = IssueFactory()
    merged = IssueFactory(state=Issue.State.MERGED, merged_into=survivor)
    other = IssueFactory()
    refused(lambda: Issue.objects.filter(pk=other.pk).update(state="merged", merged_into=merged))
    refused(lambda: IssueFactory(state=Issue.State.MERGED, merged_into=merged))


def test_issue_with_merged_children_cannot_itself_be_merged():
    survivor = IssueFactory()
    IssueFactory(state=Issue.State.MERGED, merged_into=survivor)
    elsewhere = IssueFactory()
    refused(
        lambda: Issue.objects.filter(pk=survivor.pk).update(state="merged", merged_into=elsewhere)
    )


def test_merge_chain_is_allowed_once_children_are_repointed():
    first, second, third = IssueFactory(), IssueFactory(), IssueFactory()
    Issue.objects.filter(pk=first.pk).update(state="merged", merged_into=second)
    Issue.objects.filter(pk=first.pk).update(merged_into=third)
    Issue.objects.filter(pk=second.pk).update(state="merged", merged_into=third)
    assert set(third.merged_issues.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_issue_on_the_map_has_a_cluster():
    refused(lambda: IssueFactory(cluster=None, state=Issue.State.ON_MAP))
    assert IssueFactory(cluster=None, state=Issue.State.PROPOSED).pk


def test_issue_state_and_consensus_stay_within_their_choices():
    issue = IssueFactory()
    refused(lambda: Issue.objects.filter(pk=issue.pk).update(state="archived"))
    refused(lambda: Issue.objects.filter(pk=issue.pk).update(consensus="maybe"))


def test_answer_once_per_respondent_and_question():
    answer = AnswerFactory()
    refused(lambda: AnswerFactory(respondent=answer.respondent, question=answer.question))


def test_answer_text_is_not_empty():
    refused(lambda: AnswerFactory(text=""))


def test_question_code_and_number_are_unique():
    QuestionFactory(code="Q4", number=4)
    refused(lambda: QuestionFactory.create(code="Q4x", number=4, part=""))


def test_respondent_submission_is_unique():
    respondent = RespondentFactory()
    refused(
        lambda: RespondentFactory(
            name=respondent.name,
            organisation=respondent.organisation,
            submitted_at=respondent.submitted_at,
        )
    )


def test_issue_source_is_unique_per_answer():
    source = IssueSourceFactory()
    refused(lambda: IssueSourceFactory(issue=source.issue, answer=source.answer))


def test_consensus_item_concerns_an_issue_or_a_coverage_status_not_both():
    coverage = CoverageFactory()
    refused(lambda: ConsensusItemFactory(issue=coverage.issue, coverage=coverage))
    refused(lambda: ConsensusItemFactory(issue=None, coverage=None))
    assert ConsensusItemFactory(issue=None, coverage=coverage).pk


def test_one_item_per_issue_and_per_coverage():
    item = ConsensusItemFactory()
    refused(lambda: ConsensusItemFactory(issue=item.issue))
    coverage = CoverageFactory()
    ConsensusItemFactory(issue=None, coverage=coverage)
    refused(lambda: ConsensusItemFactory(issue=None, coverage=coverage))


def test_referred_item_has_a_referral_date():
    refused(lambda: ConsensusItemFactory(state=ConsensusItem.State.REFERRED, referred_on=None))


def test_decision_belongs_to_a_referred_item():
    item = ConsensusItemFactory(state=ConsensusItem.State.OPEN)
    meeting = MeetingFactory(number=3)
    refused(
        lambda: Decision.objects.create(
            item=item, text="Adopted.", meeting=meeting, decided_on=datetime.date(2014, 2, 26)
        )
    )


def test_decision_names_an_option_or_new_text():
    refused(lambda: DecisionFactory(option=None, text=""))


def test_decision_option_belongs_to_the_item():
    decision = DecisionFactory()
    foreign = OptionFactory()
    refused(lambda: Decision.objects.filter(pk=decision.pk).update(option=foreign))


def test_item_is_decided_only_with_a_decision():
    refused(
        lambda: ConsensusItemFactory(state=ConsensusItem.State.DECIDED, referred_on="2014-01-28")
    )
    item = ConsensusItemFactory(state=ConsensusItem.State.REFERRED, referred_on="2014-01-28")
    refused(lambda: ConsensusItem.objects.filter(pk=item.pk).update(state="decided"))
    DecisionFactory(item=item)
    ConsensusItem.objects.filter(pk=item.pk).update(state="decided")
    refused(lambda: ConsensusItem.objects.filter(pk=item.pk).update(state="referred"))


def test_participant_supports_one_option_per_item():
    support = OptionSupportFactory()
    other = OptionFactory(item=support.item)
    refused(
        lambda: OptionSupport.objects.create(
            item=support.item, option=other, participant=support.participant
        )
    )


def test_support_names_an_option_of_its_item():
    option = OptionFactory()
    elsewhere = ConsensusItemFactory()
    refused(
        lambda: OptionSupport.objects.create(
            item=elsewhere, option=option, participant=ParticipantFactory()
        )
    )
