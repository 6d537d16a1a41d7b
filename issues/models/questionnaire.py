"""The questionnaire and its responses: themes, questions, respondents and their answers, with
the consent to be cited that decides what a public page may show."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from wgec.models import StakeholderGroup
from wgec.regions import RegionalGroup, countries_in, regional_group_of
from wgec.translated import InLanguage, text_in


class Theme(models.Model):
    letter = models.CharField(max_length=1, unique=True, verbose_name=_("letter"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    title_ar = text_in("ar", models.CharField, _("title"), max_length=200)
    title_zh_hans = text_in("zh-hans", models.CharField, _("title"), max_length=200)
    title_fr = text_in("fr", models.CharField, _("title"), max_length=200)
    title_ru = text_in("ru", models.CharField, _("title"), max_length=200)
    title_es = text_in("es", models.CharField, _("title"), max_length=200)
    title_shown = InLanguage("title")
    description = models.TextField(blank=True, verbose_name=_("description"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["letter"]
        constraints = [
            models.CheckConstraint(
                condition=Q(letter__in=list("abcdefghijklmnopqrstuvwxyz")),
                name="theme_letter_lowercase",
            ),
        ]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

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
    code = models.CharField(
        max_length=10, unique=True, help_text=_("For example: Q2a, Q4."), verbose_name=_("code")
    )
    number = models.PositiveSmallIntegerField(verbose_name=_("number"))
    part = models.CharField(
        max_length=1, blank=True, help_text=_("a, b, c or empty."), verbose_name=_("part")
    )
    text = models.TextField(verbose_name=_("text"))
    text_ar = text_in("ar", models.TextField, _("text"))
    text_zh_hans = text_in("zh-hans", models.TextField, _("text"))
    text_fr = text_in("fr", models.TextField, _("text"))
    text_ru = text_in("ru", models.TextField, _("text"))
    text_es = text_in("es", models.TextField, _("text"))
    text_shown = InLanguage("text")
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="questions", verbose_name=_("theme")
    )
    reconstructed = models.BooleanField(
        default=False,
        help_text=_(
            "The question's wording was not found in the public record: the text is "
            "reconstructed, and said so wherever it is shown."
        ),
        verbose_name=_("reconstructed"),
    )

    history = HistoricalRecords()
    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["number", "part"]
        constraints = [
            models.UniqueConstraint(fields=["number", "part"], name="question_number_part_unique"),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

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


class Respondent(models.Model):
    name = models.CharField(max_length=300, verbose_name=_("name"))
    organisation = models.CharField(max_length=500, blank=True, verbose_name=_("organisation"))
    country = CountryField(blank=True, verbose_name=_("country"))
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        related_name="respondents",
        verbose_name=_("stakeholder group"),
    )
    submitted_at = models.DateTimeField(verbose_name=_("submitted at"))
    consent_to_cite = models.BooleanField(
        default=False,
        help_text=_(
            "Without consent the answers are used only in aggregate and never shown with "
            "the respondent's name."
        ),
        verbose_name=_("consent to cite"),
    )
    language = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("Language of the answers."),
        verbose_name=_("language"),
    )
    illustrative = models.BooleanField(
        default=False,
        help_text=_("Demonstration data: the answer text is invented."),
        verbose_name=_("illustrative"),
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
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")

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


class Cosigner(models.Model):
    """A co-signer of a joint submission: the submission is one respondent, counted once, and
    lists the organisations that signed it with the respondent."""

    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, related_name="cosigners", verbose_name=_("respondent")
    )
    name = models.CharField(max_length=300, verbose_name=_("name"))
    country = CountryField(blank=True, verbose_name=_("country"))
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stakeholder group"),
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["respondent", "position", "name"]
        verbose_name = _("co-signer of a joint submission")
        verbose_name_plural = _("co-signers of joint submissions")
        constraints = [
            models.UniqueConstraint(fields=["respondent", "name"], name="cosigner_once"),
            models.CheckConstraint(condition=~Q(name=""), name="cosigner_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


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

    def counts_by_respondent(self, respondents: list["Respondent"]) -> dict[int, int]:
        """How many answers each of ``respondents`` gave, by respondent ID: one grouped query
        over those respondents' answers only (a page of a list, never the whole table)."""
        return dict(
            self.filter(respondent__in=[respondent.pk for respondent in respondents])
            .order_by()
            .values_list("respondent")
            .annotate(count=models.Count("pk"))
        )

    def counts_by_question(self) -> dict[int, tuple[int, int]]:
        """Every answer and the answers of respondents who consented to be cited, by question
        ID: one query over the answers alone, grouped by their question, the consenting
        respondents looked up in a set (at 100x, 126,000 answers: 25 ms on PostgreSQL, against
        38 ms joining every answer to its respondent and grouping the questions' columns)."""
        consenting = Respondent.objects.filter(consent_to_cite=True).values("pk")
        return {
            question: (total, public)
            for question, total, public in self.order_by()
            .values_list("question")
            .annotate(
                total=models.Count("pk"),
                public=models.Count("pk", filter=Q(respondent__in=consenting)),
            )
        }


class Answer(models.Model):
    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, related_name="answers", verbose_name=_("respondent")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    text = models.TextField(verbose_name=_("text"))

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
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.respondent} on {self.question.code}"

    def clean(self) -> None:
        # The passages that issues quote from this answer must stay in it (see IssueSource).
        if not self.pk:
            return
        for source in self.issue_sources.select_related("issue"):
            if not source.quotes(self.text):
                raise ValidationError(
                    {
                        "text": f"The issue “{source.issue}” quotes “{source.excerpt}” from this "
                        "answer: keep that passage, or change the excerpt of that source first."
                    }
                )
