"""Mail coming in: every message taken from the mailbox, once, with what became of it; and the
members' replies by e-mail to update reports, which the list's archive shows."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.models import Comment
from reports.models import Delivery, Report
from wgec.documents.markdown import (
    MARKDOWN_MAX_CHARS,
    MarkdownLengthValidator,
    RenderedMarkdownField,
)
from wgec.models import Contribution, Participant, choices_check


class InboundOutcome(models.TextChoices):
    COMMENT = "comment", _("Comment on an issue")
    REPORT_REPLY = "report_reply", _("Reply to an update report")
    CONTRIBUTION = "contribution", _("Contribution")
    BOUNCE = "bounce", _("Bounce recorded")
    REFUSED = "refused", _("Refused")
    IGNORED = "ignored", _("Ignored")
    FAILED = "failed", _("Could not be read")


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

    mailbox = models.CharField(max_length=300, verbose_name=_("mailbox"))
    uidvalidity = models.BigIntegerField(verbose_name=_("UIDVALIDITY"))
    uid = models.BigIntegerField(verbose_name=_("UID"))
    message_id = models.CharField(max_length=300, blank=True, verbose_name=_("Message-ID"))
    sender = models.CharField(
        max_length=254, blank=True, help_text=_("The From address."), verbose_name=_("sender")
    )
    subject = models.CharField(max_length=300, blank=True, verbose_name=_("subject"))
    size = models.PositiveIntegerField(help_text=_("Bytes."), verbose_name=_("size"))
    taken_at = models.DateTimeField(default=timezone.now, verbose_name=_("taken at"))
    outcome = models.CharField(max_length=20, choices=Outcome, verbose_name=_("outcome"))
    reason = models.TextField(
        blank=True,
        help_text=_("Why it was refused, ignored or not read."),
        verbose_name=_("reason"),
    )
    answered_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the sender was sent an explanation."),
        verbose_name=_("answered at"),
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comment"),
    )
    report_reply = models.ForeignKey(
        "ReportReply",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report reply"),
    )
    contribution = models.ForeignKey(
        Contribution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contribution"),
    )
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The delivery a bounce was about."),
        verbose_name=_("delivery"),
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
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")

    def __str__(self) -> str:
        return f"{self.sender or 'unknown sender'}: {self.subject or '(no subject)'}"


class ReportReplyQuerySet(models.QuerySet):
    def with_authors(self) -> "ReportReplyQuerySet":
        return self.select_related("author__stakeholder_group", "author__user")


class ReportReply(models.Model):
    """A member's answer by e-mail to an update report: a comment on the report."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="replies", verbose_name=_("report")
    )
    author = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    subject = models.CharField(max_length=300, blank=True, verbose_name=_("subject"))
    text = models.TextField(
        help_text=_("Plain text with Markdown."),
        validators=[MarkdownLengthValidator(MARKDOWN_MAX_CHARS, what="A reply")],
        verbose_name=_("text"),
    )
    text_html = RenderedMarkdownField(source="text", verbose_name=_("text (HTML)"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = ReportReplyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = _("replies to update reports")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="report_reply_text_not_empty"),
        ]
        verbose_name = _("report reply")

    def __str__(self) -> str:
        return f"Reply #{self.pk} by {self.author} to {self.report}"

    def get_absolute_url(self) -> str:
        return reverse("inbound:report", args=[self.report.deliverable.slug]) + f"#reply-{self.pk}"
