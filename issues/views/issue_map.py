"""The public issue map: the list of issues, each issue's page, the matrix and the gaps."""

from collections import Counter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from issues.models import ConsensusItem, Issue
from mechanisms.models import Coverage, Gap
from wgec.history import history_entries

# Coverage is listed from the best to the weakest status.
STATUS_ORDER = {status: index for index, status in enumerate(Coverage.Status.values)}


def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.visible_to(request.user).with_detail(), pk=pk)
    if issue.state == Issue.State.MERGED:
        return redirect("issues:detail", pk=issue.merged_into_id)
    sources = list(issue.sources.all())
    cited = [source for source in sources if source.answer.respondent.consent_to_cite]
    withheld = Counter(
        source.answer.respondent.stakeholder_group.name
        for source in sources
        if not source.answer.respondent.consent_to_cite
    )
    coverage = sorted(
        issue.coverage.all(),
        key=lambda row: (STATUS_ORDER[row.status], row.mechanism.name.casefold()),
    )
    context = {
        "issue": issue,
        "cited_sources": cited,
        "withheld_sources": sorted(withheld.items()),
        "withheld_count": sum(withheld.values()),
        "coverage": coverage,
        "gaps": issue.gaps.all(),
        "items": ConsensusItem.objects.concerning(issue).with_options(),
        "history": _issue_history(issue),
    }
    return render(request, "issues/issue_detail.html", context)


def _issue_history(issue: Issue, limit: int = 50) -> list:
    """The issue's own changes and those of its coverage and gaps, newest first."""
    entries = history_entries(
        Issue.history.filter(id=issue.pk).select_related("history_user__participant"),
        fields=["title", "cluster", "description", "state", "merged_into", "consensus"],
        subject=lambda row, shown: "the issue",
    )
    entries += history_entries(
        Coverage.history.filter(issue_id=issue.pk).select_related("history_user__participant"),
        fields=["mechanism", "status", "evidence"],
        subject=lambda row, shown: f"coverage by {shown['mechanism']}",
    )
    entries += history_entries(
        Gap.history.filter(issue_id=issue.pk).select_related("history_user__participant"),
        fields=["type", "description", "recommendation"],
        subject=lambda row, shown: shown["type"].lower(),
    )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
