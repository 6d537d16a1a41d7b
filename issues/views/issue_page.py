"""An issue's page: the issue itself, then the sections of every room (``issues/issue_page.py``;
this room's own are in ``issues/issue_sections.py``)."""

import secrets

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from issues.issue_page import IssuePage, issue_page_personal, issue_page_sections
from issues.models import Comment, Issue
from wgec.page_cache import Audience, cached_part, query_key, served_whole
from wgec.roles import participant_of

TEMPLATE = "issues/issue_detail.html"


def _has_own_comments(request: HttpRequest, pk: int) -> bool:
    """Whether the issue's page shows the visitor comments of their own (with their edit
    links): the page is then built for them, not given them whole as their role's."""
    return Comment.objects.on_issue_by(pk, participant_of(request.user)).exists()


@served_whole(roles=True, built_for=_has_own_comments)
@require_safe
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue's page; its content is cached for each role until a public page's record
    changes (the sections read every room's tables), except the sections of the person's own
    (their comments), rendered for each visitor. The whole page is kept for anonymous visitors
    and for each role, given to those with no comment of their own on the issue."""
    visible = Issue.objects.visible_to(request.user)
    issue = get_object_or_404(visible.only("pk", "title", "state", "merged_into_id"), pk=pk)
    if issue.state == Issue.State.MERGED:
        return redirect("issues:detail", pk=issue.merged_into_id)

    built: list[IssuePage] = []

    def build() -> tuple[str, str]:
        # What the sections read is fetched only when the content is built.
        detailed = visible.with_detail().get(pk=pk)
        built.append(IssuePage(request=request, issue=detailed))
        nonce = secrets.token_hex(16)
        context = {"issue": detailed, "sections": issue_page_sections(built[0], nonce=nonce)}
        return nonce, render_to_string(f"{TEMPLATE}#content", context, request=request)

    nonce, shared = cached_part(
        request,
        TEMPLATE,
        build,
        vary=(str(issue.pk), query_key(request)),
        audience=Audience.ROLE,
    )
    # The personal sections read the visitor's role and participant once, with the build if any.
    page = built[0] if built else IssuePage(request=request, issue=issue)
    content = issue_page_personal(page, shared, nonce)
    return render(request, TEMPLATE, {"issue": issue, "content": content})
