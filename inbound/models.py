"""Mail coming in: every message taken from the mailbox, once, with what became of it; and the
members' replies by e-mail to update reports, which the list's archive shows."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from issues.models import Comment
from reports.models import Delivery, Report
from wgec.documents.markdown import (
    MARKDOWN_MAX_CHARS,
    MarkdownLengthValidator,
    RenderedMarkdownField,
)
from wgec.models import Contribution, Participant, choices_check


class InboundOutcome(models.TextChoices):
    COMMENT = "comment", "Comment on an issue"
    REPORT_REPLY = "report_reply", "Reply to an update report"
    CONTRIBUTION = "contribution", "Contribution"
    BOUNCE = "bounce", "Bounce recorded"
    REFUSED = "refused", "Refused"
    IGNORED = "ignored", "Ignored"
    FAILED = "failed", "Could not be read"


class InboundMessageQuerySet(models.QuerySet):
    def answered_since(self, sender: str, since) -> "InboundMessageQuerySet":
        return self.filter(sender=sender, answered_at__gte=since)


class InboundMessage(models.Model):
    """One message of the mailbox, taken exactly once.

    The row is keyed by where the message sits (the mailbox, its UIDVALIDITY, the message's UID)
    and written in the same transaction as what the message became: a second fetcher, or the
    same one after a crash, finds the key taken and leaves the message alone.
    """

    Outcome = InboundOutcome

    mailbox = models.CharField(max_length=300)
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField(max_length=300, blank=True)
    sender = models.CharField(max_length=254, blank=True, help_text="The From address.")
    subject = models.CharField(max_length=300, blank=True)
    size = models.PositiveIntegerField(help_text="Bytes.")
    taken_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=Outcome)
    reason = models.TextField(blank=True, help_text="Why it was refused, ignored or not read.")
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sender was sent an explanation."
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report_reply = models.ForeignKey(
        "ReportReply", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contribution = models.ForeignKey(
        Contribution, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The delivery a bounce was about.",
    )

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"], name="inbound_message_once"
            ),
            choices_check("outcome", InboundOutcome, "inbound_message_outcome_valid"),
        ]
        indexes = [
            models.Index(
                fields=["sender", "answered_at"],
                condition=Q(answered_at__isnull=False),
                name="inbound_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender or 'unknown sender'}: {self.subject or '(no subject)'}"


class ReportReplyQuerySet(models.QuerySet):
    def with_authors(self) -> "ReportReplyQuerySet":
        return self.select_related("author__stakeholder_group", "author__user")


class ReportReply(models.Model):
    """A member's answer by e-mail to an update report: a comment on the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(
        help_text="Plain text with Markdown.",
        validators=[MarkdownLengthValidator(MARKDOWN_MAX_CHARS, what="A reply")],
    )
    text_html = RenderedMarkdownField(source="text")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportReplyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies to update reports"
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="report_reply_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Reply #{self.pk} by {self.author} to {self.report}"

    def get_absolute_url(self) -> str:
        return reverse("inbound:report", args=[self.report.deliverable.slug]) + f"#reply-{self.pk}"
