"""Where issues come from and what they are.

The questionnaire (themes, questions, respondents, answers), the issue list (clusters, issues,
their life cycle and merges, the answers that raised them), and the correspondence group's
comments on issues.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from wgec.models import Participant, StakeholderGroup, choices_check
from wgec.regions import RegionalGroup, countries_in, regional_group_of


class Theme(models.Model):
    letter = models.CharField(max_length=1, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["letter"]
        constraints = [
            models.CheckConstraint(
                condition=Q(letter__in=list("abcdefghijklmnopqrstuvwxyz")),
                name="theme_letter_lowercase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter}. {self.title}"


class QuestionQuerySet(models.QuerySet):
    def with_answer_counts(self) -> "QuestionQuerySet":
        """Each question with ``answer_count`` (every answer, as the statistics count them) and
        ``public_count`` (the answers of respondents who consented to be cited)."""
        return self.annotate(
            answer_count=models.Count("answers"),
            public_count=models.Count(
                "answers", filter=Q(answers__respondent__consent_to_cite=True)
            ),
        )


class Question(models.Model):
    code = models.CharField(max_length=10, unique=True, help_text="For example: Q2a, Q4.")
    number = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=1, blank=True, help_text="a, b, c or empty.")
    text = models.TextField()
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="questions")

    history = HistoricalRecords()
    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["number", "part"]
        constraints = [
            models.UniqueConstraint(fields=["number", "part"], name="question_number_part_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("issues:question-detail", args=[self.code])


class RespondentQuerySet(models.QuerySet):
    def consenting(self) -> "RespondentQuerySet":
        """Respondents who agreed to be cited: the only ones shown by name."""
        return self.filter(consent_to_cite=True)

    def public(self) -> "RespondentQuerySet":
        """What a public page, export or search may show of respondents: the consenting ones,
        with their stakeholder group. Everyone else is only ever counted."""
        return self.consenting().select_related("stakeholder_group")

    def in_regional_group(self, group: str) -> "RespondentQuerySet":
        return self.filter(country__in=countries_in(group))

    def with_answer_counts(self) -> "RespondentQuerySet":
        return self.annotate(answer_count=models.Count("answers"))


class Respondent(models.Model):
    name = models.CharField(max_length=300)
    organisation = models.CharField(max_length=500, blank=True)
    country = CountryField(blank=True)
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, on_delete=models.PROTECT, related_name="respondents"
    )
    submitted_at = models.DateTimeField()
    consent_to_cite = models.BooleanField(
        default=False,
        help_text="Without consent the answers are used only in aggregate and never shown with "
        "the respondent's name.",
    )
    language = models.CharField(max_length=10, blank=True, help_text="Language of the answers.")
    illustrative = models.BooleanField(
        default=False, help_text="Demonstration data: the answer text is invented."
    )

    history = HistoricalRecords()
    objects = RespondentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "organisation", "submitted_at"],
                name="respondent_submission_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("issues:respondent-detail", args=[self.pk])

    @property
    def regional_group(self) -> RegionalGroup | None:
        return regional_group_of(self.country.code if self.country else "")

    @property
    def shows_organisation(self) -> bool:
        """Whether the organisation adds to the name (they are often the same)."""
        return bool(self.organisation) and self.organisation != self.name


class AnswerQuerySet(models.QuerySet):
    def public(self) -> "AnswerQuerySet":
        """Answers a public page, export or search may show: those of consenting respondents,
        with the respondent, their group and the question."""
        return self.filter(respondent__consent_to_cite=True).select_related(
            "respondent__stakeholder_group", "question"
        )

    def in_question_order(self) -> "AnswerQuerySet":
        return self.order_by("question__number", "question__part")

    def by_respondent_name(self) -> "AnswerQuerySet":
        return self.order_by("respondent__name", "respondent__submitted_at", "respondent__pk")


class Answer(models.Model):
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField()

    history = HistoricalRecords()
    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["question", "respondent__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "question"], name="answer_once_per_question"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="answer_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} on {self.question.code}"

    def clean(self) -> None:
        # The passages that issues quote from this answer must stay in it (see IssueSource).
        if not self.pk:
            return
        for source in IssueSource.objects.filter(answer=self.pk).select_related("issue"):
            if not source.quotes(self.text):
                raise ValidationError(
                    {
                        "text": f"The issue “{source.issue}” quotes “{source.excerpt}” from this "
                        "answer: keep that passage, or change the excerpt of that source first."
                    }
                )


def _words(text: str) -> str:
    return " ".join(text.split())


class Cluster(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class IssueQuerySet(models.QuerySet):
    def on_map(self) -> "IssueQuerySet":
        """Issues the group agreed to keep: the public map."""
        return self.filter(state=Issue.State.ON_MAP)

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
        it), in a fixed number of queries; the page's sections read the rest."""
        return self.select_related("cluster", "merged_into").prefetch_related(
            models.Prefetch(
                "sources",
                queryset=IssueSource.objects.select_related(
                    "answer__respondent__stakeholder_group", "answer__question"
                ).order_by("answer__question__number", "answer__question__part"),
            ),
            models.Prefetch(
                "merged_issues", queryset=Issue.objects.only("pk", "title", "merged_into")
            ),
        )


class IssueState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ON_MAP = "on_map", "On the map"
    MERGED = "merged", "Merged"
    WITHDRAWN = "withdrawn", "Withdrawn"


class IssueConsensus(models.TextChoices):
    AGREED = "agreed", "Agreed"
    NO_CONSENSUS = "no_consensus", "No consensus"
    REFERRED = "referred", "Referred to the working group"
    DECIDED = "decided", "Decided by the working group"


# Issues the group still works on: on the map, or proposed and awaiting the working group's
# agreement. Members make proposals on them, coordinators curate them, and a merge keeps one.
OPEN_ISSUE_STATES = (IssueState.ON_MAP, IssueState.PROPOSED)


class Issue(models.Model):
    State = IssueState

    Consensus = IssueConsensus

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, null=True, blank=True, related_name="issues"
    )
    state = models.CharField(max_length=20, choices=State, default=State.PROPOSED)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_issues",
        help_text="The surviving issue, for a merged one.",
    )
    consensus = models.CharField(max_length=20, choices=Consensus, default=Consensus.AGREED)
    needs_agreement = models.BooleanField(
        default=True,
        help_text="Added after the second meeting: goes on the map only once the working "
        "group's agreement is recorded (terms of reference 5(a), NB).",
    )
    agreed_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the working group agreed to add the issue to the map.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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

    survivor = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="merges_received")
    merged = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="merges")
    previous_state = models.CharField(max_length=20, choices=IssueState)
    moved = models.JSONField(
        default=dict,
        help_text="Primary keys of the sources, coverage, gaps, items and merged issues that "
        "moved to the survivor.",
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="sources")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="issue_sources")
    excerpt = models.TextField(help_text="The passage of the answer that raises the issue.")

    history = HistoricalRecords()
    objects = IssueSourceQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "answer__question", "answer__respondent__name"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "answer"], name="issue_source_unique"),
        ]

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


class CommentQuerySet(models.QuerySet):
    def with_authors(self) -> "CommentQuerySet":
        return self.select_related("author__stakeholder_group", "author__user")


class Comment(models.Model):
    """A correspondence-group member's comment on an issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="comments")
    text = models.TextField(help_text="Plain text with Markdown.")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Comment #{self.pk} by {self.author} on {self.issue}"

    def get_absolute_url(self) -> str:
        return reverse("issues:detail", args=[self.issue_id]) + f"#comment-{self.pk}"
