"""The working group itself: stakeholder groups, participants, meetings and attendance."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from wgec.documents.markdown import (
    MARKDOWN_MAX_CHARS,
    MarkdownLengthValidator,
    RenderedMarkdownField,
)
from wgec.regions import RegionalGroup, countries_in, regional_group_of
from wgec.workers import waiting_for_worker


def choices_check(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """A check constraint that keeps a choice field within its choices."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class StakeholderGroup(models.Model):
    slug = models.SlugField(unique=True, verbose_name=_("slug"))
    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")

    def __str__(self) -> str:
        return self.name

    @property
    def is_governmental(self) -> bool:
        return self.slug == "governments"


class ParticipantQuerySet(models.QuerySet):
    def in_regional_group(self, group: str) -> "ParticipantQuerySet":
        return self.filter(country__in=countries_in(group))

    def in_correspondence_group(self) -> "ParticipantQuerySet":
        return self.filter(correspondence_group=True)

    def for_listing(self) -> "ParticipantQuerySet":
        """With what a list of participants shows (see wgec/participants.py for the grouping)."""
        return self.select_related("stakeholder_group")


class ParticipantRole(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    SECRETARIAT = "secretariat", _("Secretariat")
    CHAIR = "chair", _("Chair")
    COORDINATOR = "coordinator", _("Coordinator")


class Participant(models.Model):
    Role = ParticipantRole

    honorific = models.CharField(
        max_length=20, blank=True, help_text=_("Mr., Ms., H.E., Prof."), verbose_name=_("honorific")
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    title = models.CharField(_("title or position"), max_length=300, blank=True)
    organisation = models.CharField(max_length=300, blank=True, verbose_name=_("organisation"))
    country = CountryField(blank=True, verbose_name=_("country"))
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("stakeholder group"),
    )
    role = models.CharField(
        max_length=20, choices=Role, default=Role.MEMBER, verbose_name=_("role")
    )
    email = models.EmailField(blank=True, verbose_name=_("e-mail address"))
    correspondence_group = models.BooleanField(
        _("member of the correspondence group"),
        default=False,
        help_text=_(
            "Takes part in the correspondence group: may comment, propose and state positions."
        ),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
        verbose_name=_("user"),
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text=_(
            "Order within the delegation or group in a list of participants (the head of "
            "delegation first)."
        ),
        verbose_name=_("position"),
    )
    illustrative = models.BooleanField(
        default=False,
        help_text=_(
            "Demonstration data: a fictional participant, whose words and positions are invented."
        ),
        verbose_name=_("illustrative"),
    )

    history = HistoricalRecords()
    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            choices_check("role", ParticipantRole, "participant_role_valid"),
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="participant_email_unique"
            ),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()

    @property
    def regional_group(self) -> RegionalGroup | None:
        return regional_group_of(self.country.code if self.country else "")


class Meeting(models.Model):
    number = models.PositiveSmallIntegerField(unique=True, verbose_name=_("number"))
    title = models.CharField(
        max_length=100, help_text=_("For example: Second meeting."), verbose_name=_("title")
    )
    start_date = models.DateField(verbose_name=_("start date"))
    end_date = models.DateField(verbose_name=_("end date"))
    venue = models.CharField(max_length=200, verbose_name=_("venue"))
    chair = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_chaired",
        verbose_name=_("Chair"),
    )
    remote_participation = models.BooleanField(
        default=True,
        help_text=_("Remote participation and live transcription were offered."),
        verbose_name=_("remote participation"),
    )
    summary = models.TextField(blank=True, verbose_name=_("summary"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_ends_after_start",
                violation_error_message="A meeting ends on or after the day it starts.",
            ),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        # Named in forms' choices: the day in the reader's language.
        return f"{self.title} ({date_format(self.start_date, 'SHORT_DATE_FORMAT')})"


class SummaryParagraph(models.Model):
    """A numbered paragraph of the Chair's summary of a meeting (numbered in order)."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="summary_paragraphs",
        verbose_name=_("meeting"),
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    text = models.TextField(
        help_text=_("One paragraph; lines after the first are its sub-paragraphs (a., b. ...)."),
        verbose_name=_("text"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("paragraph of a Chair's summary")
        verbose_name_plural = _("paragraphs of Chair's summaries")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="summary_paragraph_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.title}, paragraph {self.position}"

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class TermsOfReference(models.Model):
    """Terms of reference agreed at a meeting (annexed to its Chair's summary)."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="terms_of_reference",
        verbose_name=_("meeting"),
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    agreed_on = models.DateField(verbose_name=_("agreed on"))
    closing = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("For example: As agreed by the Working Group."),
        verbose_name=_("closing"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agreed_on", "pk"]
        verbose_name = _("terms of reference")
        verbose_name_plural = _("terms of reference")

    def __str__(self) -> str:
        return self.title


class TermsParagraph(models.Model):
    terms = models.ForeignKey(
        TermsOfReference,
        on_delete=models.CASCADE,
        related_name="paragraphs",
        verbose_name=_("terms"),
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    label = models.CharField(
        max_length=10, blank=True, help_text=_("1., (a), (NB) ..."), verbose_name=_("label")
    )
    text = models.TextField(verbose_name=_("text"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["terms", "position", "pk"]
        verbose_name = _("paragraph of terms of reference")
        verbose_name_plural = _("paragraphs of terms of reference")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="terms_paragraph_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.text[:60]}".strip()


class Attendance(models.Model):
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("participant"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    remote = models.BooleanField(_("remote participant"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "participant__name"]
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "meeting"], name="attendance_once_per_meeting"
            ),
        ]
        verbose_name = _("attendance")

    def __str__(self) -> str:
        where = "remote" if self.remote else "in the room"
        return f"{self.participant} at {self.meeting.title} ({where})"


class MeetingDocumentKind(models.TextChoices):
    CHAIRS_SUMMARY = "chairs_summary", _("Chair's summary")
    AGENDA = "agenda", _("Agenda")
    REPORT = "report", _("Report")
    TRANSCRIPT = "transcript", _("Transcript")
    OTHER = "other", _("Other document")


class MeetingDocument(models.Model):
    """A document of a meeting: its agenda, the Chair's summary, the transcript ..."""

    Kind = MeetingDocumentKind

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting")
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER, verbose_name=_("kind"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    text = models.TextField(
        blank=True, help_text=_("The document's text, shown on its page."), verbose_name=_("text")
    )
    file = models.FileField(upload_to="meetings/", blank=True, verbose_name=_("file"))
    url = models.URLField(
        _("web address"), blank=True, help_text=_("Where the document is published.")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "title"]
        constraints = [
            choices_check("kind", MeetingDocumentKind, "meeting_document_kind_valid"),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file="") | ~Q(url=""),
                name="meeting_document_has_content",
                violation_error_message="Give the document's text, a file or a web address.",
            ),
        ]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self) -> str:
        return self.title


class JoinRequestState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class JoinRequestQuerySet(models.QuerySet):
    def pending(self) -> "JoinRequestQuerySet":
        return self.filter(state=JoinRequestState.PENDING)

    def with_people(self) -> "JoinRequestQuerySet":
        return self.select_related(
            "user",
            "stakeholder_group",
            "reviewed_by__participant",
            "participant__stakeholder_group",
        )


class JoinRequest(models.Model):
    """A signed-up person's request to join the correspondence group (open to all stakeholders,
    terms of reference 2); a coordinator accepts or declines it."""

    State = JoinRequestState

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=300)
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        related_name="join_requests",
        verbose_name=_("stakeholder group"),
    )
    country = CountryField(_("country"))
    note = models.TextField(
        _("note"), blank=True, help_text=_("Anything the coordinators should know (optional).")
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why the request was declined."))
    participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="join_requests",
        help_text=_("The participant created or linked when the request was accepted."),
        verbose_name=_("participant"),
    )

    history = HistoricalRecords()
    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            choices_check("state", JoinRequestState, "join_request_state_valid"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state="pending"),
                name="join_request_one_pending_per_user",
                violation_error_message="You already have a request waiting for a coordinator.",
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(reason=""),
                name="join_request_declined_with_reason",
                violation_error_message="Give the reason for declining the request.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display().lower()})"


class ContributionKind(models.TextChoices):
    RECOMMENDATIONS = "recommendations", _("Draft recommendations")
    FRAMEWORK = "framework", _("Proposed framework for the outcome document")
    MAP_COMMENTS = "map_comments", _("Comments on the map")
    OTHER = "other", _("Other")


class ContributionState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")


class ContributionQuerySet(models.QuerySet):
    def published(self) -> "ContributionQuerySet":
        return self.filter(state=ContributionState.PUBLISHED)

    def for_meeting(self, meeting: "Meeting") -> "ContributionQuerySet":
        """Published contributions to be discussed at a meeting, attributed."""
        return self.published().filter(meeting=meeting).with_attribution()

    def visible_to(self, user) -> "ContributionQuerySet":
        """Published contributions, plus a user's own and, for the secretariat, all."""
        from wgec.roles import Role, role_of

        if role_of(user) >= Role.SECRETARIAT:
            return self
        if user.is_authenticated:
            return self.filter(
                Q(state=ContributionState.PUBLISHED) | Q(submitted_by=user) | Q(author__user=user)
            )
        return self.published()

    def with_attribution(self) -> "ContributionQuerySet":
        return self.select_related("author__stakeholder_group", "meeting").prefetch_related(
            "documents"
        )


class Contribution(models.Model):
    """A written contribution to the working group (seed, paragraphs 6 and 7): draft
    recommendations, a proposed framework for the outcome document, comments on the map."""

    Kind = ContributionKind
    State = ContributionState

    author = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    text = models.TextField(
        _("text"),
        help_text=_("Plain text with Markdown."),
        validators=[MarkdownLengthValidator(MARKDOWN_MAX_CHARS, what="A contribution's text")],
    )
    text_html = RenderedMarkdownField(source="text", verbose_name=_("text (HTML)"))
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("meeting"),
        help_text=_("The meeting where it will be discussed."),
    )
    state = models.CharField(
        max_length=20, choices=State, default=State.SUBMITTED, verbose_name=_("state")
    )
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))
    illustrative = models.BooleanField(
        default=False,
        help_text=_("Demonstration data: the text is invented."),
        verbose_name=_("illustrative"),
    )

    history = HistoricalRecords(excluded_fields=["text_html"])
    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            choices_check("kind", ContributionKind, "contribution_kind_valid"),
            choices_check("state", ContributionState, "contribution_state_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="contribution_title_not_empty"),
            models.CheckConstraint(
                condition=Q(state="submitted") | Q(published_at__isnull=False),
                name="contribution_published_has_date",
            ),
        ]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("wgec:contribution-detail", args=[self.pk])


def _contribution_upload_to(instance: "ContributionDocument", filename: str) -> str:
    # The stored name is random: the original name is kept in the row and only used, made
    # safe, when the document is downloaded.
    suffix = PurePath(filename).suffix.lower()
    return f"contributions/{secrets.token_hex(16)}{suffix}"


class ContributionDocument(models.Model):
    """A document attached to a contribution (PDF, Word, OpenDocument, text or spreadsheet)."""

    contribution = models.ForeignKey(
        Contribution,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("contribution"),
    )
    file = models.FileField(
        upload_to=_contribution_upload_to, max_length=200, verbose_name=_("file")
    )
    original_name = models.CharField(max_length=255, verbose_name=_("original name"))
    size = models.PositiveIntegerField(help_text=_("Bytes."), verbose_name=_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["contribution", "original_name"]
        verbose_name = _("contribution document")
        verbose_name_plural = _("contribution documents")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("wgec:contribution-document", args=[self.pk])


class BackgroundImport(models.Model):
    """What every file imported through the admin keeps (the responses, the map workbook): its
    name, the worker's state and progress, the preview the secretariat confirms, and who
    uploaded and applied it when. Each import adds its ``State`` choices, ``state`` and
    ``file``."""

    filename = models.CharField(max_length=255, verbose_name=_("filename"))
    # Progress of the worker: rows read so far.
    progress = models.PositiveIntegerField(default=0, verbose_name=_("progress"))
    preview = models.JSONField(default=dict, blank=True, verbose_name=_("preview"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(null=True, blank=True, verbose_name=_("applied at"))
    # The task queued last (reading or applying): its page says when no worker has taken it.
    task_id = models.CharField(max_length=64, blank=True, verbose_name=_("task ID"))

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def working(self) -> bool:
        return self.state in (self.State.READING, self.State.APPLYING)

    @property
    def waiting_for_worker(self) -> bool:
        """Working, but its task has waited past the grace without a worker taking it."""
        return self.working and waiting_for_worker(self.task_id)

    def task_enqueued(self, result) -> None:
        """Remember the task just queued for this import (its ``TaskResult``)."""
        self.task_id = str(result.id)
        type(self).objects.filter(pk=self.pk).update(task_id=self.task_id)


class Profile(models.Model):
    """What a signed-in person chose for themselves: the language of the site, applied at each
    login wherever they sign in (a visitor's choice lives in a cookie only)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the site's pages and e-mails; empty: the browser's."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=["", *(code for code, _name in settings.LANGUAGES)]),
                name="profile_language_valid",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class PublicVersion(models.Model):
    """One row whose token the database changes with every write to the tables the public pages
    read (the questionnaire and its answers, the map, the consensus items, the reports, the
    group's meetings: ``wgec/public_version.py``), in the writing transaction itself. The
    public pages' cached parts (``wgec/page_cache.py``) are keyed by it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32, verbose_name=_("token"))

    class Meta:
        verbose_name = _("public pages version")
        verbose_name_plural = _("public pages versions")

    def __str__(self) -> str:
        return self.token
