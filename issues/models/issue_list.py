"""The issue list: clusters, issues and their life cycle (proposed, on the map, merged,
withdrawn), the record of each merge, and the answers that raised each issue."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from issues.models.questionnaire import Answer, Respondent
from wgec.models import choices_check
from wgec.translated import InLanguage, text_in


def _words(text: str) -> str:
    return " ".join(text.split())


class Cluster(models.Model):
    slug = models.SlugField(unique=True, verbose_name=_("slug"))
    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    name_ar = text_in("ar", models.CharField, _("name"), max_length=200)
    name_zh_hans = text_in("zh-hans", models.CharField, _("name"), max_length=200)
    name_fr = text_in("fr", models.CharField, _("name"), max_length=200)
    name_ru = text_in("ru", models.CharField, _("name"), max_length=200)
    name_es = text_in("es", models.CharField, _("name"), max_length=200)
    name_shown = InLanguage("name")
    description = models.TextField(blank=True, verbose_name=_("description"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.name


class IssueQuerySet(models.QuerySet):
    def on_map(self) -> "IssueQuerySet":
        """Issues the group agreed to keep: the public map."""
        return self.filter(state=Issue.State.ON_MAP)

    def awaiting_agreement(self) -> "IssueQuerySet":
        """Proposed issues: accepted by a coordinator from a member's proposal (or added by the
        secretariat), off the map until the working group's agreement is recorded."""
        return self.filter(state=Issue.State.PROPOSED)

    def visible_to(self, user) -> "IssueQuerySet":
        """Issues whose page a user may open.

        Everyone sees the map, merged issues (whose pages lead to the survivor) and withdrawn
        ones; proposed issues are off the public map until the group agrees, so only signed-in
        people see them.
        """
        if user.is_authenticated:
            return self
        return self.exclude(state=Issue.State.PROPOSED)

    def with_detail(self) -> "IssueQuerySet":
        """What an issue's page shows of the issue itself (its sources, the issues merged into
        it), in a fixed number of queries; the page's sections read the rest. ``replayed`` tells
        whether the data is the demonstration's replay (a respondent is fictional), which the
        change history notes: asked in the same query."""
        replayed = models.Exists(Respondent.objects.filter(illustrative=True))
        return (
            self.select_related("cluster", "merged_into")
            .annotate(replayed=replayed)
            .prefetch_related(
                models.Prefetch(
                    "sources",
                    # The page quotes each source's excerpt, not the whole answer.
                    queryset=IssueSource.objects.select_related(
                        "answer__respondent__stakeholder_group", "answer__question"
                    )
                    .defer("answer__text")
                    .order_by("answer__question__number", "answer__question__part"),
                ),
                models.Prefetch(
                    "merged_issues", queryset=Issue.objects.only("pk", "title", "merged_into")
                ),
            )
        )


class IssueState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ON_MAP = "on_map", _("On the map")
    MERGED = "merged", _("Merged")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class IssueConsensus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    NO_CONSENSUS = "no_consensus", _("No consensus")
    REFERRED = "referred", _("Referred to the working group")
    DECIDED = "decided", _("Decided by the working group")


# Issues the group still works on: on the map, or proposed and awaiting the working group's
# agreement. Members make proposals on them, coordinators curate them, and a merge keeps one.
OPEN_ISSUE_STATES = (IssueState.ON_MAP, IssueState.PROPOSED)


class Issue(models.Model):
    State = IssueState

    Consensus = IssueConsensus

    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("cluster"),
    )
    state = models.CharField(
        max_length=20, choices=State, default=State.PROPOSED, verbose_name=_("state")
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_issues",
        help_text=_("The surviving issue, for a merged one."),
        verbose_name=_("merged into"),
    )
    consensus = models.CharField(
        max_length=20, choices=Consensus, default=Consensus.AGREED, verbose_name=_("consensus")
    )
    needs_agreement = models.BooleanField(
        default=True,
        help_text=_(
            "Added after the second meeting: goes on the map only once the working "
            "group's agreement is recorded (terms of reference 5(a), NB)."
        ),
        verbose_name=_("needs agreement"),
    )
    agreed_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("When the working group agreed to add the issue to the map."),
        verbose_name=_("agreed on"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    history = HistoricalRecords()
    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            choices_check("state", IssueState, "issue_state_valid"),
            choices_check("consensus", IssueConsensus, "issue_consensus_valid"),
            models.CheckConstraint(
                condition=(Q(state="merged") & Q(merged_into__isnull=False))
                | (~Q(state="merged") & Q(merged_into__isnull=True)),
                name="issue_merged_iff_merged_into",
                violation_error_message=(
                    "A merged issue names the issue it was merged into; other issues name none."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="issue_not_merged_into_itself",
                violation_error_message="An issue cannot be merged into itself.",
            ),
            models.CheckConstraint(
                condition=~Q(state="on_map") | Q(cluster__isnull=False),
                name="issue_on_map_has_cluster",
                violation_error_message="An issue on the map needs a cluster.",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="issue_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(state="on_map")
                | Q(needs_agreement=False)
                | Q(agreed_on__isnull=False),
                name="issue_added_later_needs_agreement",
                violation_error_message=(
                    "This issue was added after the second meeting: give the date of the "
                    "working group’s agreement before it goes on the map."
                ),
            ),
        ]
        indexes = [models.Index(fields=["state", "cluster"], name="issue_state_cluster")]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("issues:detail", args=[self.pk])

    def clean(self) -> None:
        # Rules the database keeps (constraints, issues/triggers.py), as form errors.
        if self.state == IssueState.ON_MAP and self.needs_agreement and self.agreed_on is None:
            raise ValidationError(
                {
                    "agreed_on": "This issue was added after the second meeting: give the date "
                    "of the working group’s agreement before it goes on the map."
                }
            )
        if self.merged_into_id:
            if self.merged_into_id == self.pk:
                raise ValidationError({"merged_into": "An issue cannot be merged into itself."})
            if self.merged_into.state == Issue.State.MERGED:
                raise ValidationError(
                    {
                        "merged_into": f"“{self.merged_into}” is itself merged into "
                        f"“{self.merged_into.merged_into}”: merge into that issue instead."
                    }
                )
        if (
            self.pk
            and self.state == Issue.State.MERGED
            and Issue.objects.filter(merged_into=self.pk).exists()
        ):
            raise ValidationError(
                {"state": "Other issues are merged into this one; it cannot itself be merged."}
            )


class IssueMerge(models.Model):
    """One issue merged into another, with what moved, so that the merge can be undone."""

    survivor = models.ForeignKey(
        Issue, on_delete=models.PROTECT, related_name="merges_received", verbose_name=_("survivor")
    )
    merged = models.ForeignKey(
        Issue, on_delete=models.PROTECT, related_name="merges", verbose_name=_("merged issue")
    )
    previous_state = models.CharField(
        max_length=20, choices=IssueState, verbose_name=_("previous state")
    )
    moved = models.JSONField(
        default=dict,
        help_text=_(
            "Primary keys of the sources, coverage, gaps, items and merged issues that "
            "moved to the survivor."
        ),
        verbose_name=_("what moved"),
    )
    merged_at = models.DateTimeField(auto_now_add=True, verbose_name=_("merged at"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    undone_at = models.DateTimeField(null=True, blank=True, verbose_name=_("undone at"))
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-merged_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(survivor=F("merged")),
                name="issue_merge_two_issues",
                violation_error_message="An issue cannot be merged into itself.",
            ),
            models.UniqueConstraint(
                fields=["merged"],
                condition=Q(undone_at__isnull=True),
                name="issue_merge_one_active_per_issue",
            ),
        ]
        verbose_name = _("issue merge")
        verbose_name_plural = _("issue merges")

    def __str__(self) -> str:
        return f"“{self.merged}” merged into “{self.survivor}”"


class IssueSourceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IssueSourceQuerySet":
        """Sources of issues whose page the user may open (see IssueQuerySet.visible_to); a
        merged issue counts as its survivor."""
        if user.is_authenticated:
            return self
        proposed = Issue.State.PROPOSED
        return self.exclude(issue__state=proposed).exclude(issue__merged_into__state=proposed)

    def raised_by(self, respondent: "Respondent") -> "IssueSourceQuerySet":
        """The issues a respondent's answers raised, with the issue, its survivor and the
        question, in question order."""
        return (
            self.filter(answer__respondent=respondent)
            .select_related("issue__merged_into", "answer__question")
            .order_by("answer__question__number", "answer__question__part", "issue__title")
        )


class IssueSource(models.Model):
    """An answer that raised an issue, with the words that raised it."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="sources", verbose_name=_("issue")
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="issue_sources", verbose_name=_("answer")
    )
    excerpt = models.TextField(
        help_text=_("The passage of the answer that raises the issue."), verbose_name=_("excerpt")
    )

    history = HistoricalRecords()
    objects = IssueSourceQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "answer__question", "answer__respondent__name"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "answer"], name="issue_source_unique"),
        ]
        verbose_name = _("issue source")
        verbose_name_plural = _("issue sources")

    def __str__(self) -> str:
        return f"{self.issue}: {self.answer}"

    def quotes(self, text: str) -> bool:
        """Whether the excerpt is a passage of ``text``, word for word (spacing aside)."""
        return bool(_words(self.excerpt)) and _words(self.excerpt) in _words(text)

    def clean(self) -> None:
        if self.answer_id is None or not self.excerpt:
            return
        if not self.quotes(self.answer.text):
            raise ValidationError(
                {
                    "excerpt": "The excerpt must be a passage of the answer, word for word: it is "
                    f"not in the answer of {self.answer.respondent} to "
                    f"{self.answer.question.code}."
                }
            )
