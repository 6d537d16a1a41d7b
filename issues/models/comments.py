"""The correspondence group's comments on issues."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from issues.models.issue_list import Issue
from wgec.documents.markdown import (
    MARKDOWN_MAX_CHARS,
    MarkdownLengthValidator,
    RenderedMarkdownField,
)
from wgec.models import Participant


class CommentQuerySet(models.QuerySet):
    def with_authors(self) -> "CommentQuerySet":
        return self.select_related("author__stakeholder_group", "author__user")

    def on_issue_by(self, issue_id: int, author: Participant | None) -> "CommentQuerySet":
        """The comments ``author`` wrote on an issue; none for someone who is no participant."""
        if author is None:
            return self.none()
        return self.filter(issue_id=issue_id, author=author)


class Comment(models.Model):
    """A correspondence-group member's comment on an issue."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="comments", verbose_name=_("issue")
    )
    author = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="comments", verbose_name=_("author")
    )
    text = models.TextField(
        _("text"),
        help_text=_("Plain text with Markdown."),
        validators=[MarkdownLengthValidator(MARKDOWN_MAX_CHARS, what="A comment")],
    )
    text_html = RenderedMarkdownField(source="text", verbose_name=_("text (HTML)"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    edited_at = models.DateTimeField(null=True, blank=True, verbose_name=_("edited at"))
    by_email = models.BooleanField(
        _("by e-mail"),
        default=False,
        help_text=_("Sent as a reply by e-mail, not typed on the site."),
    )
    illustrative = models.BooleanField(
        default=False,
        help_text=_("Demonstration data: the comment is invented."),
        verbose_name=_("illustrative"),
    )

    history = HistoricalRecords(excluded_fields=["text_html"])
    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_text_not_empty"),
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"Comment #{self.pk} by {self.author} on {self.issue}"

    def get_absolute_url(self) -> str:
        return reverse("issues:detail", args=[self.issue_id]) + f"#comment-{self.pk}"
