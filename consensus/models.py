"""How the correspondence group reaches agreement on the map.

Members' proposals (a new issue, a mechanism for an issue, a change of a coverage status, a gap)
and the coordinators' review of them; the items the group could not agree on (an issue or one
coverage status), the options that represent the range of opinions, who supports each, and the
working group's decision once an item is referred to it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap, Mechanism
from wgec.documents.markdown import (
    MARKDOWN_MAX_CHARS,
    MarkdownLengthValidator,
    RenderedMarkdownField,
)
from wgec.languages import labels
from wgec.models import Meeting, Participant, StakeholderGroup, choices_check


class ConsensusItemState(models.TextChoices):
    OPEN = "open", _("Without consensus")
    REFERRED = "referred", _("Referred to the working group")
    DECIDED = "decided", _("Decided")


class ConsensusItemQuerySet(models.QuerySet):
    def concerning(self, issue: Issue) -> "ConsensusItemQuerySet":
        """Items about the issue itself or about one of its coverage statuses (the statuses
        asked by the issue's index, not by joining every item to its coverage)."""
        return self.filter(
            Q(issue=issue) | Q(coverage__in=Coverage.objects.filter(issue=issue).values("pk"))
        )

    def with_options(self, *, subjects: bool = True) -> "ConsensusItemQuerySet":
        """With options, their supporters' groups and the decision, in fixed queries; with
        the issue each is about unless ``subjects`` is false (on the issue's own page)."""
        related = ["coverage__mechanism", "decision__option", "decision__meeting"]
        if subjects:
            related += ["issue", "coverage__issue"]
        return self.select_related(*related).prefetch_related(
            models.Prefetch(
                "options",
                queryset=Option.objects.prefetch_related(
                    models.Prefetch(
                        "supports",
                        queryset=OptionSupport.objects.select_related(
                            "participant__stakeholder_group"
                        ),
                    )
                ),
            )
        )


class ConsensusItem(models.Model):
    """Something the correspondence group could not agree on: an issue, or one coverage status.

    It carries the options that represent the range of opinions, goes to the working group when
    referred, and ends with the group's decision.
    """

    State = ConsensusItemState

    issue = models.ForeignKey(
        Issue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consensus_items",
        verbose_name=_("issue"),
        help_text=_("The issue in dispute (leave empty when a coverage status is in dispute)."),
    )
    coverage = models.ForeignKey(
        Coverage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consensus_items",
        verbose_name=_("coverage status"),
        help_text=_("The coverage status in dispute (leave empty when the issue is)."),
    )
    summary = models.TextField(
        _("summary"), help_text=_("What the correspondence group could not agree on.")
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.OPEN)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    illustrative = models.BooleanField(
        default=False,
        help_text=_(
            "Demonstration data: the item, its options and the support for them are invented."
        ),
        verbose_name=_("illustrative"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()
    objects = ConsensusItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("item without consensus")
        verbose_name_plural = _("items without consensus")
        constraints = [
            choices_check("state", ConsensusItemState, "consensus_item_state_valid"),
            models.CheckConstraint(
                condition=(Q(issue__isnull=False) & Q(coverage__isnull=True))
                | (Q(issue__isnull=True) & Q(coverage__isnull=False)),
                name="consensus_item_one_subject",
                violation_error_message=(
                    "An item without consensus concerns either the issue or one of its coverage "
                    "statuses: give one of the two."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state="open") | Q(referred_on__isnull=False),
                name="consensus_item_referred_has_date",
                violation_error_message=(
                    "Give the date on which the item was referred to the working group."
                ),
            ),
            models.UniqueConstraint(
                fields=["issue"], condition=Q(issue__isnull=False), name="consensus_item_issue"
            ),
            models.UniqueConstraint(
                fields=["coverage"],
                condition=Q(coverage__isnull=False),
                name="consensus_item_coverage",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="consensus_item_has_summary"),
        ]
        # The dashboard's open items, oldest first.
        indexes = [models.Index(fields=["state", "created_at"], name="item_state_created")]

    def __str__(self) -> str:
        return f"{self.subject_label}: {self.get_state_display().lower()}"

    def clean(self) -> None:
        has_decision = bool(self.pk) and Decision.objects.filter(item=self.pk).exists()
        if self.state == self.State.DECIDED and not has_decision:
            raise ValidationError(
                {"state": "An item becomes decided when its decision is recorded."}
            )
        if self.state != self.State.DECIDED and has_decision:
            raise ValidationError(
                {"state": "The item has a decision: withdraw the decision before reopening it."}
            )

    @property
    def subject_issue(self) -> Issue:
        """The issue concerned, directly or through the disputed coverage."""
        return self.issue if self.issue_id else self.coverage.issue

    @property
    def subject_label(self) -> str:
        if self.issue_id:
            return str(self.issue)
        return f"{self.coverage.issue} / status of {self.coverage.mechanism}"


class Option(models.Model):
    """One of the options that represent the range of opinions on an item."""

    item = models.ForeignKey(
        ConsensusItem, on_delete=models.CASCADE, related_name="options", verbose_name=_("item")
    )
    label = models.CharField(_("label"), max_length=10, help_text=_("A, B, C ..."))
    text = models.TextField(
        _("text"),
        validators=[MarkdownLengthValidator(MARKDOWN_MAX_CHARS, what="An option's text")],
    )
    text_html = RenderedMarkdownField(source="text", verbose_name=_("text (HTML)"))

    history = HistoricalRecords(excluded_fields=["text_html"])

    class Meta:
        ordering = ["item", "label"]
        constraints = [
            models.UniqueConstraint(fields=["item", "label"], name="option_label_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="option_text_not_empty"),
        ]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return f"Option {self.label}"

    def support_by_group(self) -> list[tuple[StakeholderGroup, int]]:
        """Supporters counted by stakeholder group (uses prefetched supports)."""
        counts: dict[StakeholderGroup, int] = {}
        for support in self.supports.all():
            group = support.participant.stakeholder_group
            counts[group] = counts.get(group, 0) + 1
        return sorted(counts.items(), key=lambda pair: (pair[0].position, pair[0].name))


class OptionSupport(models.Model):
    """A participant's stated support for one option of an item (one option per item)."""

    item = models.ForeignKey(
        ConsensusItem, on_delete=models.CASCADE, related_name="supports", verbose_name=_("item")
    )
    option = models.ForeignKey(
        Option, on_delete=models.CASCADE, related_name="supports", verbose_name=_("option")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="option_supports",
        verbose_name=_("participant"),
    )
    stated_at = models.DateTimeField(auto_now_add=True, verbose_name=_("stated at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["option", "participant__name"]
        verbose_name = _("support for an option")
        verbose_name_plural = _("support for options")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "participant"], name="option_support_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} supports {self.option}"

    def clean(self) -> None:
        if self.option_id and self.item_id and self.option.item_id != self.item_id:
            raise ValidationError({"option": "Choose one of this item's options."})


class Decision(models.Model):
    """The working group's decision on a referred item."""

    item = models.OneToOneField(
        ConsensusItem, on_delete=models.CASCADE, related_name="decision", verbose_name=_("item")
    )
    option = models.ForeignKey(
        Option,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("option"),
        help_text=_("The option chosen, or empty when the group adopted new text."),
    )
    text = models.TextField(_("text"), blank=True, help_text=_("New text adopted by the group."))
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    decided_on = models.DateField(_("decided on"))
    illustrative = models.BooleanField(
        default=False,
        help_text=_("Demonstration data: the decision is invented."),
        verbose_name=_("illustrative"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(option__isnull=False) | ~Q(text=""),
                name="decision_option_or_text",
                violation_error_message="A decision chooses one of the options or adopts new text.",
            ),
        ]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"Decision on {self.item.subject_label}"

    def clean(self) -> None:
        if not self.item_id:
            return
        if self.item.state not in (ConsensusItem.State.REFERRED, ConsensusItem.State.DECIDED):
            raise ValidationError(
                {"item": "Only an item referred to the working group can be decided."}
            )
        if self.option_id and self.option.item_id != self.item_id:
            raise ValidationError({"option": "Choose one of this item's options."})


class ProposalKind(models.TextChoices):
    ISSUE = "issue", _("New issue")
    MECHANISM = "mechanism", _("Mechanism for an issue")
    COVERAGE = "coverage", _("Change of a coverage status")
    GAP = "gap", _("Gap")


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProposalQuerySet(models.QuerySet):
    def pending(self) -> "ProposalQuerySet":
        """Proposals waiting for a coordinator."""
        return self.filter(state=ProposalState.PENDING)

    def by(self, participant: Participant | None) -> "ProposalQuerySet":
        return self.filter(proposer=participant) if participant else self.none()

    def with_people(self) -> "ProposalQuerySet":
        """With the proposer and group, the issue, mechanism, coverage and reviewer."""
        return self.select_related(
            "proposer__stakeholder_group",
            "issue",
            "cluster",
            "mechanism",
            "coverage__mechanism",
            "reviewer__participant",
        )

    def with_summary(self) -> "ProposalQuerySet":
        """What a line naming each proposal shows: its summary (kind, issue, mechanism, status,
        gap), its proposer and their group, its date; nothing longer (the justification, the
        baseline, the evidence) and none of the joins of a proposal's page (cluster, reviewer),
        which cost a list more to plan than to read."""
        return self.select_related(
            "proposer__stakeholder_group", "issue", "mechanism", "coverage__mechanism"
        ).only(
            "kind",
            "title",
            "status",
            "gap_type",
            "mechanism_name",
            "mechanism_acronym",
            "created_at",
            "proposer__name",
            "proposer__stakeholder_group__name",
            "issue__title",
            "mechanism__name",
            "mechanism__acronym",
            "coverage__mechanism__name",
            "coverage__mechanism__acronym",
        )


class Proposal(models.Model):
    """A correspondence-group member's proposal: a new issue, a mechanism for an issue, a change
    of a coverage status, or a gap. A coordinator accepts it (the change is applied) or declines
    it with a reason."""

    Kind = ProposalKind
    State = ProposalState

    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("kind"))
    issue = models.ForeignKey(
        Issue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("issue"),
        help_text=_("The issue concerned; for a new issue, the issue created on acceptance."),
    )
    # A new issue.
    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cluster"),
    )
    # A mechanism for an issue: an existing one, or a new one.
    mechanism = models.ForeignKey(
        Mechanism,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("mechanism"),
    )
    mechanism_name = models.CharField(_("name of the new mechanism"), max_length=300, blank=True)
    mechanism_acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    mechanism_kind = models.CharField(_("kind"), max_length=20, blank=True)
    mechanism_website = models.URLField(_("website"), blank=True)
    # A coverage status (for a mechanism proposed for an issue, or a change of status).
    coverage = models.ForeignKey(
        Coverage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("coverage status"),
    )
    status = models.CharField(_("status"), max_length=20, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    # A gap.
    gap_type = models.CharField(_("type of gap"), max_length=20, blank=True)
    gap_description = models.TextField(_("the gap"), blank=True)
    gap_recommendation = models.TextField(_("recommendation needed"), blank=True)

    baseline = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "What the proposal changes, as it stood when it was made (to detect a stale proposal)."
        ),
        verbose_name=_("baseline"),
    )
    justification = models.TextField(
        _("justification"),
        help_text=_("Plain text with Markdown."),
        validators=[MarkdownLengthValidator(MARKDOWN_MAX_CHARS, what="A justification")],
    )
    justification_html = RenderedMarkdownField(
        source="justification", verbose_name=_("justification (HTML)")
    )
    proposer = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("proposer")
    )
    state = models.CharField(
        max_length=20, choices=State, default=State.PENDING, verbose_name=_("state")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the proposal was declined.")
    )
    illustrative = models.BooleanField(
        default=False,
        help_text=_("Demonstration data: the proposal is invented."),
        verbose_name=_("illustrative"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    edited_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the proposer last edited it (set by the edit only)."),
        verbose_name=_("edited at"),
    )

    history = HistoricalRecords(excluded_fields=["justification_html"])
    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            choices_check("kind", ProposalKind, "proposal_kind_valid"),
            choices_check("state", ProposalState, "proposal_state_valid"),
            models.CheckConstraint(
                condition=~Q(justification=""), name="proposal_has_justification"
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(reason=""),
                name="proposal_declined_with_reason",
                violation_error_message="Give the reason for declining the proposal.",
            ),
            models.CheckConstraint(
                condition=Q(kind="issue") | Q(issue__isnull=False),
                name="proposal_names_its_issue",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="proposal_state_created")]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"#{self.pk} {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("issues:proposal-detail", args=[self.pk])

    @property
    def status_label(self) -> str:
        return labels(Coverage.Status).get(self.status, self.status)

    @property
    def baseline_status_label(self) -> str:
        status = self.baseline.get("status", "")
        return labels(Coverage.Status).get(status, status)

    @property
    def gap_type_label(self) -> str:
        return labels(Gap.Type).get(self.gap_type, self.gap_type)

    @property
    def summary(self) -> str:
        """One sentence saying what the proposal would change, its kind included:
        "Proposal of a new issue: “…”"."""
        if self.kind == ProposalKind.ISSUE:
            return f"Proposal of a new issue: “{self.title}”"
        status = labels(Coverage.Status).get(self.status, self.status).lower()
        if self.kind == ProposalKind.MECHANISM:
            if self.mechanism_id:
                return (
                    f"Proposal of a mechanism for “{self.issue}”: "
                    f"{self.mechanism.short_name}, {status}"
                )
            name = Mechanism(name=self.mechanism_name, acronym=self.mechanism_acronym).short_name
            return f"Proposal of a new mechanism for “{self.issue}”: {name}, {status}"
        if self.kind == ProposalKind.COVERAGE:
            mechanism = self.coverage.mechanism.short_name if self.coverage_id else "a mechanism"
            return f"Proposal of a new status of {mechanism} on “{self.issue}”: {status}"
        gap = labels(Gap.Type).get(self.gap_type, self.gap_type).lower()
        return f"Proposal of a {gap} in “{self.issue}”"
