"""An issue's page: the issue itself, then the sections of every room (``issues/issue_page.py``;
this room's own are in ``issues/issue_sections.py``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from issues.issue_page import IssuePage, issue_page_sections
from issues.models import Issue
from wgec.page_cache import cached_content, query_key, served_whole


@served_whole
@require_safe
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue's page; its content is cached for anonymous visitors until a public page's
    record changes (the sections read every room's tables)."""
    visible = Issue.objects.visible_to(request.user)
    issue = get_object_or_404(visible.only("pk", "title", "state", "merged_into_id"), pk=pk)
    if issue.state == Issue.State.MERGED:
        return redirect("issues:detail", pk=issue.merged_into_id)

    def context() -> dict:
        # What the sections read is fetched only when the content is built.
        detailed = visible.with_detail().get(pk=pk)
        return {
            "issue": detailed,
            "sections": issue_page_sections(IssuePage(request=request, issue=detailed)),
        }

    content = cached_content(
        request,
        "issues/issue_detail.html",
        context,
        vary=(str(issue.pk), query_key(request)),
    )
    return render(request, "issues/issue_detail.html", {"issue": issue, "content": content})
