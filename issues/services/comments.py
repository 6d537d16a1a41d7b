"""Members' comments on issues: posted, edited and deleted by their authors only."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from issues.models import Comment, Issue
from wgec.models import Participant
from wgec.versions import ReadVersion, version_check


def _check_author(comment: Comment, participant: Participant | None) -> None:
    if participant is None or comment.author_id != participant.pk:
        raise PermissionDenied("Only the author may change a comment.")


@transaction.atomic
def comment_post(
    *,
    issue: Issue,
    author: Participant,
    text: str,
    illustrative: bool = False,
    by_email: bool = False,
) -> Comment:
    if issue.state == Issue.State.MERGED:
        raise ValidationError(f"“{issue}” was merged; comment on “{issue.merged_into}”.")
    comment = Comment(
        issue=issue,
        author=author,
        text=text.strip(),
        illustrative=illustrative,
        by_email=by_email,
    )
    comment.full_clean()
    comment._history_user = author.user
    comment.save()
    return comment


@transaction.atomic
def comment_edit(
    *, comment: Comment, author: Participant | None, text: str, read: ReadVersion | None = None
) -> Comment:
    """Save the author's edit; refused (``StaleVersion``) if the comment changed since the
    version ``read``."""
    _check_author(comment, author)
    version_check(comment, read)
    comment.text = text.strip()
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment._history_user = author.user
    comment.save(update_fields=["text", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, author: Participant | None) -> None:
    _check_author(comment, author)
    comment._history_user = author.user
    comment.delete()
