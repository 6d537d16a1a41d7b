"""The correspondence group's participation on an issue, by stakeholder group: proposals,
comments and stated support, counted for everyone to see (the texts themselves are shown only to
signed-in people)."""

from collections import Counter

from django.db.models import CharField, QuerySet, Value

from consensus.models import ConsensusItem, OptionSupport, Proposal
from issues.models import Comment, Issue
from wgec.models import StakeholderGroup

# The columns of each part of the query: a stakeholder group, and what its row counts.
_GROUP = ("pk", "slug", "name", "position")


def _marked(rows: QuerySet, group: str, counted: str) -> QuerySet:
    """``rows`` as the stakeholder group at ``group`` (a path ending in ``__``, or none for the
    groups themselves), marked with what they count."""
    return (
        rows.order_by()
        .annotate(counted=Value(counted, output_field=CharField()))
        .values_list(*(f"{group}{column}" for column in _GROUP), "counted")
    )


def participation_by_group(issue: Issue) -> list[dict]:
    """Proposals, comments and stated support on the issue, by the stakeholder group of the
    participants, every group listed (none when nobody took part): one query, whatever the
    numbers, the groups and each proposal, comment and support one row of a union, counted
    here."""
    rows = _marked(StakeholderGroup.objects.all(), "", "group").union(
        _marked(Proposal.objects.filter(issue=issue), "proposer__stakeholder_group__", "proposals"),
        _marked(Comment.objects.filter(issue=issue), "author__stakeholder_group__", "comments"),
        _marked(
            OptionSupport.objects.filter(
                item__in=ConsensusItem.objects.concerning(issue).values("pk")
            ),
            "participant__stakeholder_group__",
            "supports",
        ),
        all=True,
    )
    groups: dict[int, StakeholderGroup] = {}
    counts: Counter = Counter()
    for pk, slug, name, position, counted in rows:
        if counted == "group":
            groups[pk] = StakeholderGroup(pk=pk, slug=slug, name=name, position=position)
        else:
            counts[pk, counted] += 1
    if not counts:
        return []
    return [
        {
            "group": group,
            "proposals": counts[group.pk, "proposals"],
            "comments": counts[group.pk, "comments"],
            "supports": counts[group.pk, "supports"],
        }
        for group in sorted(groups.values(), key=lambda group: (group.position, group.name))
    ]
