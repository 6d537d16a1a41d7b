"""Writes on the issue list and on consensus. Views, the admin, commands and tasks call these."""

import datetime

from django.db import transaction

from issues.models import ConsensusItem, Decision, Issue, Option
from wgec.models import Meeting

# The issue's own consensus state follows the state of the item about the issue itself.
_ISSUE_CONSENSUS_FOR_ITEM = {
    ConsensusItem.State.OPEN: Issue.Consensus.NO_CONSENSUS,
    ConsensusItem.State.REFERRED: Issue.Consensus.REFERRED,
    ConsensusItem.State.DECIDED: Issue.Consensus.DECIDED,
}


def issue_consensus_follow(*, item: ConsensusItem) -> None:
    """Bring the issue's consensus state in line with its item's state."""
    if item.issue_id is None:
        return
    wanted = _ISSUE_CONSENSUS_FOR_ITEM[item.state]
    issue = Issue.objects.select_for_update().get(pk=item.issue_id)
    if issue.consensus != wanted:
        issue.consensus = wanted
        issue.save(update_fields=["consensus", "updated_at"])


@transaction.atomic
def decision_record(
    *,
    item: ConsensusItem,
    meeting: Meeting,
    decided_on: datetime.date,
    option: Option | None = None,
    text: str = "",
    user=None,
) -> Decision:
    """Record the working group's decision on a referred item; the item becomes decided.

    Recording again replaces the earlier decision (the history keeps both).
    """
    item = ConsensusItem.objects.select_for_update().get(pk=item.pk)
    decision = Decision.objects.filter(item=item).first() or Decision(item=item)
    decision.option = option
    decision.text = text.strip()
    decision.meeting = meeting
    decision.decided_on = decided_on
    decision.recorded_by = user if user is not None and user.is_authenticated else None
    decision.full_clean()
    decision.save()
    if item.state != ConsensusItem.State.DECIDED:
        item.state = ConsensusItem.State.DECIDED
        item.save(update_fields=["state"])
    issue_consensus_follow(item=item)
    return decision


@transaction.atomic
def decision_withdraw(*, decision: Decision) -> ConsensusItem:
    """Withdraw a decision recorded in error: the item goes back to referred."""
    item = ConsensusItem.objects.select_for_update().get(pk=decision.item_id)
    decision.delete()
    if item.state == ConsensusItem.State.DECIDED:
        item.state = ConsensusItem.State.REFERRED
        item.save(update_fields=["state"])
    issue_consensus_follow(item=item)
    return item
