"""The correspondence group's participation on an issue, by stakeholder group: proposals,
comments and stated support, counted for everyone to see (the texts themselves are shown only to
signed-in people)."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from consensus.models import OptionSupport, Proposal
from issues.models import Comment, Issue
from wgec.models import StakeholderGroup


def _per_group(queryset: QuerySet, group: str) -> Coalesce:
    """How many of ``queryset``'s rows belong to the stakeholder group of the outer row."""
    counted = (
        queryset.filter(**{group: OuterRef("pk")})
        .order_by()
        .values(group)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def participation_by_group(issue: Issue) -> list[dict]:
    """Proposals, comments and stated support on the issue, by the stakeholder group of the
    participants: one query, whatever the numbers (each count a subquery per group)."""
    groups = StakeholderGroup.objects.annotate(
        proposals=_per_group(Proposal.objects.filter(issue=issue), "proposer__stakeholder_group"),
        comments=_per_group(Comment.objects.filter(issue=issue), "author__stakeholder_group"),
        supports=_per_group(
            OptionSupport.objects.filter(Q(item__issue=issue) | Q(item__coverage__issue=issue)),
            "participant__stakeholder_group",
        ),
    )
    rows = [
        {
            "group": group,
            "proposals": group.proposals,
            "comments": group.comments,
            "supports": group.supports,
        }
        for group in groups
    ]
    if not any(row["proposals"] or row["comments"] or row["supports"] for row in rows):
        return []
    return rows
