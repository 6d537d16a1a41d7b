"""What this room adds to the rooms below it, through their extension points: the sections of an
issue's page about the correspondence group's work (``issues.issue_page``: the actions, the
items without consensus, participation by stakeholder group, the proposals), the item without
consensus as a part of an issue that follows a merge (``issues.issue_parts``), and the coverage
statuses that have an item, which the map import keeps (``mechanisms.coverage_holds``).
Registered by ``ConsensusConfig.ready``."""

from consensus.models import ConsensusItem, Proposal
from consensus.participation import participation_by_group
from issues.issue_page import IssuePage, IssueSection, issue_section_register
from issues.issue_parts import IssuePart, issue_part_register
from mechanisms.coverage_holds import CoverageHold, coverage_hold_register
from mechanisms.issue_extensions import coverage_of
from wgec.roles import Role


def actions_context(page: IssuePage) -> dict:
    """Members propose (a change of status only where a mechanism is recorded); coordinators
    mark the issue, or a status, as without consensus."""
    return {
        "can_propose": page.can_speak,
        "can_curate": page.role >= Role.COORDINATOR and page.is_open,
        "coverage": coverage_of(page),
    }


def items_context(page: IssuePage) -> dict:
    return {
        "items": ConsensusItem.objects.concerning(page.issue).with_options(subjects=False),
        "can_propose": page.can_speak,
    }


def participation_context(page: IssuePage) -> dict:
    return {"participation": participation_by_group(page.issue)}


def proposals_context(page: IssuePage) -> dict:
    """The proposals themselves are shown to signed-in people."""
    show = page.role >= Role.OBSERVER
    context: dict = {"show_correspondence": show}
    if show:
        context["proposals"] = Proposal.objects.filter(issue=page.issue).with_people()
    return context


def register() -> None:
    for section in (
        IssueSection("actions", 10, "consensus/_issue_actions.html", actions_context),
        IssueSection("items", 40, "consensus/_issue_items.html", items_context),
        IssueSection(
            "participation", 50, "consensus/_issue_participation.html", participation_context
        ),
        IssueSection("proposals", 60, "consensus/_issue_proposals.html", proposals_context),
    ):
        issue_section_register(section)
    issue_part_register(
        IssuePart(
            key="items",
            order=40,
            model=ConsensusItem,
            conflict="an item without consensus; settle or remove one of them before merging",
        )
    )
    coverage_hold_register(
        CoverageHold(
            name="items",
            reason="it has an item without consensus",
            remedy="settle the item first",
            coverage_ids=lambda: ConsensusItem.objects.filter(coverage__isnull=False).values_list(
                "coverage_id", flat=True
            ),
        )
    )
