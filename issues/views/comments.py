"""Members' comments on issues: posted from the issue's page, edited and deleted by their
authors only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from issues.forms import CommentForm
from issues.models import Comment, Issue
from issues.services.comments import comment_delete, comment_edit, comment_post
from wgec.roles import Role, role_required, speaking_participant
from wgec.versions import StaleVersion


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.with_authors().select_related("issue"), pk=pk)
    if comment.author.user_id != request.user.pk:
        raise PermissionDenied("Only the author may change a comment.")
    return comment


@role_required(Role.MEMBER)
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = speaking_participant(request)
    issue = get_object_or_404(Issue.objects.exclude(state=Issue.State.MERGED), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = comment_post(issue=issue, author=participant, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your comment was posted."))
            return redirect(comment)
    # Keep what was typed: show it again with the problem.
    return render(
        request, "issues/comment_form.html", {"form": form, "issue": issue, "comment": None}
    )


@role_required(Role.MEMBER)
@require_http_methods(["GET", "POST"])
def comment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    form = CommentForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        try:
            comment_edit(
                comment=comment,
                author=comment.author,
                text=form.cleaned_data["text"],
                read=form.read_version,
            )
        except StaleVersion as error:
            form.version_refused(error)
        else:
            messages.success(request, _("Your comment was updated."))
            return redirect(comment)
    return render(
        request,
        "issues/comment_form.html",
        {"form": form, "issue": comment.issue, "comment": comment},
    )


@role_required(Role.MEMBER)
@require_http_methods(["GET", "POST"])
def comment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if request.method == "POST":
        comment_delete(comment=comment, author=comment.author)
        messages.success(request, _("Your comment was deleted."))
        return redirect(comment.issue)
    return render(request, "issues/comment_confirm_delete.html", {"comment": comment})
