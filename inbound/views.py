"""The list's archive: each update report as it was sent with the replies it got by e-mail, and
each issue's thread of comments; searchable. Replies and comments are shown to those the site
shows comments to (signed-in people), the reports themselves to everyone."""

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from inbound.models import ReportReply
from issues.models import Comment, Issue
from reports.models import Report
from wgec.roles import Role, role_of

SEARCH_MAX_CHARS = 200
THREADS_PER_PAGE = 50


def reads_comments(request: HttpRequest) -> bool:
    return role_of(request.user) >= Role.OBSERVER


def _query(request: HttpRequest) -> str:
    text = request.GET.get("q", "")
    return " ".join("".join(ch for ch in text if ch.isprintable()).split())[:SEARCH_MAX_CHARS]


@require_safe
def archive_index(request: HttpRequest) -> HttpResponse:
    """The sent reports with their replies, and the issues' threads with comments by e-mail."""
    query = _query(request)
    readable = reads_comments(request)
    reports = Report.objects.archive().annotate(reply_count=Count("replies", distinct=True))
    threads = (
        Issue.objects.filter(comments__by_email=True)
        .annotate(
            email_count=Count("comments", filter=Q(comments__by_email=True), distinct=True),
            last_at=Max("comments__created_at"),
        )
        .order_by("-last_at", "pk")
    )
    if query:
        matching = Q(subject__icontains=query) | Q(body_text__icontains=query)
        if readable:
            matching |= Q(
                pk__in=ReportReply.objects.filter(text__icontains=query).values("report_id")
            )
        reports = reports.filter(matching)
        threads = threads.filter(
            Q(title__icontains=query)
            | Q(pk__in=Comment.objects.filter(text__icontains=query).values("issue_id"))
        )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inbound/archive_index.html",
        {
            "query": query,
            "reports": list(reports),
            "threads": page if readable else None,
            "page": page if readable else None,
            "page_query": f"q={query}" if query else "",
            "reads_comments": readable,
        },
    )


@require_safe
def archive_report(request: HttpRequest, slug: str) -> HttpResponse:
    """One update report as it was sent, and the replies it got."""
    report = Report.objects.archive().filter(deliverable__slug=slug).first()
    if report is None:
        raise Http404("No report of that name was sent.")
    readable = reads_comments(request)
    replies = list(report.replies.with_authors()) if readable else []
    return render(
        request,
        "inbound/archive_report.html",
        {
            "report": report,
            "replies": replies,
            "reply_count": len(replies) if readable else report.replies.count(),
            "reads_comments": readable,
        },
    )


@require_safe
def archive_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """One issue's thread: the comments on it, those sent by e-mail marked."""
    issue = get_object_or_404(Issue.objects.select_related("cluster"), pk=pk)
    readable = reads_comments(request)
    comments = list(Comment.objects.filter(issue=issue).with_authors()) if readable else []
    return render(
        request,
        "inbound/archive_issue.html",
        {"issue": issue, "comments": comments, "reads_comments": readable},
    )
