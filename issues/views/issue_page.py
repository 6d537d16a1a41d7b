"""An issue's page: the issue itself, then the sections of every room (``issues/issue_page.py``;
this room's own are in ``issues/issue_sections.py``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from issues.issue_page import IssuePage, issue_page_sections
from issues.models import Issue


@require_safe
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.visible_to(request.user).with_detail(), pk=pk)
    if issue.state == Issue.State.MERGED:
        return redirect("issues:detail", pk=issue.merged_into_id)
    page = IssuePage(request=request, issue=issue)
    return render(
        request,
        "issues/issue_detail.html",
        {"issue": issue, "sections": issue_page_sections(page)},
    )
