"""The correspondence group's participation on an issue, by stakeholder group: proposals,
comments and stated support, counted for everyone to see (the texts themselves are shown only to
signed-in people)."""

from django.db.models import Count, Q

from consensus.models import OptionSupport, Proposal
from issues.models import Comment, Issue
from wgec.models import StakeholderGroup


def participation_by_group(issue: Issue) -> list[dict]:
    """Proposals, comments and stated support on the issue, by the stakeholder group of the
    participants (four queries, whatever the numbers)."""
    counts: dict[int, dict[str, int]] = {}
    sources = [
        ("proposals", Proposal.objects.filter(issue=issue), "proposer__stakeholder_group"),
        ("comments", Comment.objects.filter(issue=issue), "author__stakeholder_group"),
        (
            "supports",
            OptionSupport.objects.filter(Q(item__issue=issue) | Q(item__coverage__issue=issue)),
            "participant__stakeholder_group",
        ),
    ]
    for name, queryset, group in sources:
        for row in queryset.order_by().values(group).annotate(n=Count("pk")):
            counts.setdefault(row[group], {})[name] = row["n"]
    if not counts:
        return []
    return [
        {
            "group": group,
            "proposals": counts.get(group.pk, {}).get("proposals", 0),
            "comments": counts.get(group.pk, {}).get("comments", 0),
            "supports": counts.get(group.pk, {}).get("supports", 0),
        }
        for group in StakeholderGroup.objects.all()
    ]
