"""The correspondence group's deliverables: the schedule, update reports (frozen when sent), the
mailing list with its per-recipient deliveries, the wording the secretariat may change, and the
documents exported from the map."""

import datetime
import secrets
import string
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reports.wording import EDITABLE_TEMPLATES
from wgec.models import Participant, choices_check
from wgec.translated import InLanguage, text_in
from wgec.workers import waited_too_long

# The long texts of a report, read only where they are shown.
REPORT_TEXTS = ("introduction", "content", "body_text", "body_html", "email_templates")


class DeliverableQuerySet(models.QuerySet):
    def pending(self) -> "DeliverableQuerySet":
        return self.exclude(state=Deliverable.State.SENT)

    def sent(self) -> "DeliverableQuerySet":
        return self.filter(state=Deliverable.State.SENT)

    def with_report(self, *, keep: Iterable[str] = REPORT_TEXTS) -> "DeliverableQuerySet":
        """With the report; of its long texts (the composed data, the bodies, the wording),
        only those named in ``keep``: a list of deliverables needs none, and decoding a frozen
        report's data costs milliseconds."""
        return self.select_related("report").defer(
            *(f"report__{name}" for name in REPORT_TEXTS if name not in keep)
        )


class DeliverableKind(models.TextChoices):
    UPDATE_REPORT = "update_report", _("Update report")
    INITIAL_OUTPUT = "initial_output", _("Initial output")
    FINAL_DOCUMENT = "final_document", _("Final document")


class DeliverableState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class Deliverable(models.Model):
    Kind = DeliverableKind

    State = DeliverableState

    slug = models.SlugField(
        unique=True, help_text=_("For example: update-1, final-document."), verbose_name=_("slug")
    )
    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("kind"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    title_ar = text_in("ar", models.CharField, _("title"), max_length=300)
    title_zh_hans = text_in("zh-hans", models.CharField, _("title"), max_length=300)
    title_fr = text_in("fr", models.CharField, _("title"), max_length=300)
    title_ru = text_in("ru", models.CharField, _("title"), max_length=300)
    title_es = text_in("es", models.CharField, _("title"), max_length=300)
    title_shown = InLanguage("title")
    due_date = models.DateField(verbose_name=_("due date"))
    state = models.CharField(
        max_length=20, choices=State, default=State.UPCOMING, verbose_name=_("state")
    )
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    # The masthead of the documents (initial output, final document), set by the secretariat.
    masthead_body = models.CharField(
        _("body"),
        max_length=200,
        blank=True,
        help_text=_(
            "The documents' masthead: the body the working group reports to, e.g. "
            "Commission on Science and Technology for Development."
        ),
    )
    masthead_meeting = models.CharField(
        _("session or meeting"),
        max_length=200,
        blank=True,
        help_text=_(
            "The documents' masthead: the session or meeting the document is for, e.g. "
            "Third meeting."
        ),
    )
    masthead_place_dates = models.CharField(
        _("place and dates"),
        max_length=200,
        blank=True,
        help_text=_("The documents' masthead: e.g. Geneva, 24-28 February 2014."),
    )
    without_formal_editing = models.BooleanField(
        _("reproduced without formal editing"),
        default=False,
        help_text=_("The documents say: This document is being reproduced without formal editing."),
    )

    history = HistoricalRecords()
    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "slug"]
        constraints = [
            choices_check("kind", DeliverableKind, "deliverable_kind_valid"),
            choices_check("state", DeliverableState, "deliverable_state_valid"),
            models.CheckConstraint(
                condition=(Q(state="sent") & Q(sent_at__isnull=False))
                | (~Q(state="sent") & Q(sent_at__isnull=True)),
                name="deliverable_sent_iff_sent_at",
            ),
        ]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return self.title

    def is_late(self, today: datetime.date) -> bool:
        return self.state != self.State.SENT and today > self.due_date

    def draft_issued_on(self) -> datetime.date | None:
        """The date of issue the coordinators set on this deliverable's draft, if any."""
        draft = Report.objects.filter(deliverable_id=self.pk, sent_at__isnull=True).first()
        return draft.issued_on if draft else None

    def prepared_issued_on(self, now: datetime.datetime) -> datetime.date:
        """The date of issue a report of this deliverable bears when sent at ``now``: the one
        the coordinators set on its draft, else the day of sending (a send is an act of now)."""
        return self.draft_issued_on() or timezone.localdate(now)

    @property
    def sent_on(self) -> datetime.date | None:
        """The day it was sent, in the exercise's time zone."""
        return timezone.localdate(self.sent_at) if self.sent_at else None

    @property
    def days_late(self) -> int:
        """How many days after its due date it was sent (0 when on time or not sent)."""
        sent_on = self.sent_on
        return max((sent_on - self.due_date).days, 0) if sent_on else 0

    def days_left(self, today: datetime.date) -> int:
        return (self.due_date - today).days

    def schedule_state(self, today: datetime.date) -> str:
        """upcoming, draft, sent or late: late is read from the date, never stored."""
        if self.is_late(today):
            return "late"
        return self.state

    @property
    def masthead(self) -> list[str]:
        """The masthead's lines: body, the group, meeting, place and dates (none unset)."""
        if not (self.masthead_body or self.masthead_meeting or self.masthead_place_dates):
            return []
        lines = [self.masthead_body, settings.WGEC_GROUP_NAME, self.masthead_meeting]
        return [line for line in [*lines, self.masthead_place_dates] if line]

    @property
    def has_documents(self) -> bool:
        """The initial output and the final document carry the map as documents."""
        return self.kind != self.Kind.UPDATE_REPORT


class ReportQuerySet(models.QuerySet):
    def sent(self) -> "ReportQuerySet":
        return self.filter(sent_at__isnull=False)

    def archive(self) -> "ReportQuerySet":
        return self.sent().select_related("deliverable").order_by("-sent_at")


class Report(models.Model):
    """What is mailed to the Chair and the list for one deliverable.

    Until it is sent it is a draft: only the introduction is kept and the rest is composed from
    the map on each preview. Sending freezes it: the composed content, its text and HTML, and the
    wording of the e-mails are stored, and later edits to the map or to the wording change
    nothing in it.
    """

    deliverable = models.OneToOneField(
        Deliverable, on_delete=models.PROTECT, related_name="report", verbose_name=_("deliverable")
    )
    introduction = models.TextField(
        blank=True,
        help_text=_("Plain text; a blank line starts a new paragraph."),
        verbose_name=_("introduction"),
    )
    subject = models.CharField(max_length=300, blank=True, verbose_name=_("subject"))
    content = models.JSONField(
        null=True, blank=True, help_text=_("The composed data, frozen."), verbose_name=_("content")
    )
    body_text = models.TextField(blank=True, verbose_name=_("body text"))
    body_html = models.TextField(blank=True, verbose_name=_("body (HTML)"))
    email_templates = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The wording of the e-mails, as it was when sent."),
        verbose_name=_("e-mail templates"),
    )
    since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Changes are counted from here (the previous report)."),
        verbose_name=_("since"),
    )
    issued_on = models.DateField(
        _("date of issue"),
        null=True,
        blank=True,
        help_text=_(
            "The date the report and its documents bear. They show the map as it stood at "
            "the end of that day (or when the report was sent, if that was earlier)."
        ),
    )
    symbol = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "The documents' symbol, from the secretariat's pattern when issued (empty: an "
            "unsymbolled working document)."
        ),
        verbose_name=_("symbol"),
    )
    illustrative = models.BooleanField(
        default=False,
        help_text=_(
            "Demonstration data: composed and sent by the demo's replay of the exercise; "
            "its introduction is invented."
        ),
        verbose_name=_("illustrative"),
    )
    composed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("composed at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    task_id = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("The sending task queued last (its progress)."),
        verbose_name=_("task ID"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    history = HistoricalRecords(excluded_fields=["content", "body_text", "body_html", "task_id"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["deliverable__due_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True)
                | (
                    Q(content__isnull=False)
                    & Q(composed_at__isnull=False)
                    & Q(issued_on__isnull=False)
                    & ~Q(subject="")
                ),
                name="report_sent_is_issued",
            ),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return str(self.deliverable)

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    def delivery_counts(self) -> dict[str, int]:
        """Deliveries by state, every state present (zero when none)."""
        counts = dict.fromkeys(DeliveryState.values, 0)
        rows = self.deliveries.values("state").annotate(n=Count("pk")).order_by()
        for row in rows:
            counts[row["state"]] = row["n"]
        counts["total"] = sum(counts.values())
        return counts


class SymbolPatternError(ValueError):
    pass


def symbol_format(pattern: str, *, year: int, number: int) -> str:
    """A symbol from the pattern: ``{year}`` and ``{number}`` are its only fields."""
    fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = sorted(fields - {"year", "number"})
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        raise SymbolPatternError(f"The pattern may hold {{year}} and {{number}} only, not {names}.")
    try:
        return pattern.format(year=year, number=number).strip()
    except (ValueError, IndexError) as error:
        raise SymbolPatternError(f"The pattern cannot be read: {error}.") from None


class SymbolPattern(models.Model):
    """How the documents the correspondence group issues are symbolled (one row).

    ``E/CN.16/{year}/CRP.{number}``: the year of the date of issue, and the document's number
    among those issued that year. An empty pattern issues unsymbolled working documents.
    """

    pattern = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "For example E/CN.16/{year}/CRP.{number}: {year} is the year of the date of "
            "issue, {number} the document's number among those issued that year. Leave empty for "
            "unsymbolled working documents."
        ),
        verbose_name=_("pattern"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("symbol of the documents")
        verbose_name_plural = _("symbol of the documents")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="symbol_pattern_one_row")]

    def __str__(self) -> str:
        return self.pattern or "Unsymbolled working documents"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # the one row
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        try:
            symbol_format(self.pattern, year=2014, number=1)
        except SymbolPatternError as error:
            raise ValidationError({"pattern": str(error)}) from None

    @classmethod
    def current(cls) -> str:
        return cls.objects.filter(pk=1).values_list("pattern", flat=True).first() or ""


class SubscriberQuerySet(models.QuerySet):
    def subscribed(self) -> "SubscriberQuerySet":
        return self.filter(state=Subscriber.State.SUBSCRIBED)


class SubscriberState(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    SUBSCRIBED = "subscribed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    SUSPENDED = "suspended", _("Suspended (bounces)")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    """An address on the mailing list: a participant's, or an outside one confirmed by its owner."""

    State = SubscriberState

    email = models.EmailField(max_length=254, verbose_name=_("e-mail address"))
    name = models.CharField(max_length=200, blank=True, verbose_name=_("name"))
    participant = models.OneToOneField(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subscriber",
        help_text=_("Set when the address is a participant's."),
        verbose_name=_("participant"),
    )
    state = models.CharField(
        max_length=20, choices=State, default=State.PENDING, verbose_name=_("state")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "The language of the mailing list's messages to this address: that of the page it "
            "subscribed from."
        ),
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False,
        help_text=_("Authenticates the personal unsubscribe link."),
    verbose_name=_("token"))  # fmt: skip
    confirmation_sent_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("confirmation sent at")
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))
    unsubscribed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("unsubscribed at"))
    suspended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("suspended at"))
    suspended_reason = models.TextField(
        blank=True,
        help_text=_("Why the address was taken off the list: the bounces it sent."),
        verbose_name=_("reason for suspension"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    history = HistoricalRecords(excluded_fields=["token"])
    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        constraints = [
            choices_check("state", SubscriberState, "subscriber_state_valid"),
            models.UniqueConstraint(Lower("email"), name="subscriber_email_unique"),
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="subscriber_email_lower"
            ),
        ]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email


class DeliveryQuerySet(models.QuerySet):
    def claimable(self, now: datetime.datetime) -> "DeliveryQuerySet":
        """Pending and due, or claimed by a worker whose lease ran out before it began sending
        (the worker died): such a delivery was certainly not sent and is taken back."""
        return self.filter(
            Q(state=Delivery.State.PENDING, available_at__lte=now)
            | Q(state=Delivery.State.SENDING, started_at__isnull=True, lease_until__lt=now)
        )


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    ATTENTION = "attention", _("Needs attention")


class Delivery(models.Model):
    """One report to one address. The pair is unique: a report never reaches an address twice.

    ``sending`` rows belong to the worker that claimed them for as long as its lease runs
    (``lease_until``, renewed while their batch is sent). When the lease runs out (the worker
    died), a delivery whose batch was not begun is taken back by the next claim; one whose
    batch had begun (``started_at``, written for the whole batch before its first message) may
    or may not have been delivered, so it is never sent again by itself: it becomes
    ``attention`` until someone resends it deliberately.
    """

    State = DeliveryState

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("report")
    )
    email = models.EmailField(max_length=254, verbose_name=_("e-mail address"))
    name = models.CharField(max_length=200, blank=True, verbose_name=_("name"))
    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("subscriber"),
    )
    to_chair = models.BooleanField(_("to the Chair"), default=False)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "The language the message is written in: the one the person chose in their profile, "
            "else the one they subscribed in."
        ),
    )
    state = models.CharField(
        max_length=20, choices=State, default=State.PENDING, verbose_name=_("state")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    available_at = models.DateTimeField(
        default=timezone.now,
        help_text=_("Not tried again before this moment."),
        verbose_name=_("available at"),
    )
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed at"))
    claimed_by = models.CharField(max_length=64, blank=True, verbose_name=_("claimed by"))
    lease_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("The claiming worker holds the delivery until then."),
        verbose_name=_("lease until"),
    )
    started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the worker began this attempt's SMTP conversation."),
        verbose_name=_("started at"),
    )
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    message_id = models.CharField(
        max_length=300, blank=True, db_index=True, verbose_name=_("Message-ID")
    )
    # The delivery status notification that came back for it, if any (RFC 3464).
    bounced_at = models.DateTimeField(null=True, blank=True, verbose_name=_("bounced at"))
    bounce_permanent = models.BooleanField(
        default=False,
        help_text=_("The bounce said the address will never take mail (5.x.x)."),
        verbose_name=_("permanent bounce"),
    )
    bounce_status = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("For example 5.1.1."),
        verbose_name=_("bounce status"),
    )
    bounce_diagnostic = models.TextField(blank=True, verbose_name=_("bounce diagnostic"))

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["report", "-to_chair", "email"]
        verbose_name_plural = _("deliveries")
        constraints = [
            choices_check("state", DeliveryState, "delivery_state_valid"),
            models.UniqueConstraint(fields=["report", "email"], name="delivery_once_per_address"),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="delivery_email_lower"),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False), name="delivery_sent_at"
            ),
        ]
        indexes = [
            models.Index(fields=["report", "state", "available_at"], name="delivery_claim"),
        ]
        verbose_name = _("delivery")

    def __str__(self) -> str:
        return f"{self.report} to {self.email}"


class EditableTemplate(models.Model):
    """The secretariat's wording of an e-mail or a document block, replacing the shipped file."""

    name = models.CharField(
        max_length=100, unique=True, choices=EDITABLE_TEMPLATES, verbose_name=_("name")
    )
    source = models.TextField(
        help_text=_("Django template language; the shipped text is the default."),
        verbose_name=_("source"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("wording of an e-mail or document")
        verbose_name_plural = _("wording of e-mails and documents")

    def __str__(self) -> str:
        return self.get_name_display()


class DocumentFormat(models.TextChoices):
    DOCX = "docx", _("Word document (DOCX)")
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Spreadsheet (XLSX)")
    CSV = "csv", _("Comma-separated values (CSV)")


class DocumentExportState(models.TextChoices):
    PENDING = "pending", _("Waiting for a worker")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class DocumentExportQuerySet(models.QuerySet):
    def recent(self) -> "DocumentExportQuerySet":
        return self.select_related("deliverable", "requested_by").order_by("-created_at")


class DocumentExport(models.Model):
    """The final document (or the initial output) in one format, prepared in the background.

    Exports attached to a sent report are its frozen documents, published with it.
    """

    Format = DocumentFormat
    State = DocumentExportState

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.PROTECT, related_name="exports", verbose_name=_("deliverable")
    )
    format = models.CharField(max_length=10, choices=Format, verbose_name=_("format"))
    frozen = models.BooleanField(
        default=False,
        help_text=_("Part of the sent deliverable, published with it."),
        verbose_name=_("frozen"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the document's fixed wording (headings, annexes, dates)."),
    )
    state = models.CharField(
        max_length=20, choices=State, default=State.PENDING, verbose_name=_("state")
    )
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True, verbose_name=_("file"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    objects = DocumentExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            choices_check("format", DocumentFormat, "document_export_format_valid"),
            choices_check("state", DocumentExportState, "document_export_state_valid"),
            models.UniqueConstraint(
                fields=["deliverable", "format"],
                condition=Q(frozen=True),
                name="document_export_frozen_once",
            ),
        ]
        verbose_name = _("document export")
        verbose_name_plural = _("document exports")

    def __str__(self) -> str:
        return f"{self.deliverable} ({self.format})"

    @property
    def waiting_for_worker(self) -> bool:
        """Still pending, a few seconds after it was requested: no worker has taken it."""
        return self.state == self.State.PENDING and waited_too_long(self.created_at)

    @property
    def filename(self) -> str:
        if self.language == "en":
            return f"{self.deliverable.slug}.{self.format}"
        return f"{self.deliverable.slug}-{self.language}.{self.format}"
