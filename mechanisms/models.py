"""Who addresses each issue and how well: mechanisms, their coverage of issues, and gaps."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from issues.models import Issue
from wgec.models import choices_check


class MechanismKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental organisation"
    TREATY = "treaty", "Treaty or convention"
    MULTISTAKEHOLDER = "multistakeholder", "Multistakeholder forum"
    STANDARDS = "standards", "Technical standards body"
    REGIONAL = "regional", "Regional body"
    OTHER = "other", "Other"


class MechanismQuerySet(models.QuerySet):
    def with_coverage_counts(self) -> "MechanismQuerySet":
        """Annotate how many issues on the map each mechanism covers, in all and by status."""
        on_map = Q(coverage__issue__state="on_map")
        counts = {
            f"count_{status}": models.Count("coverage", filter=on_map & Q(coverage__status=status))
            for status in CoverageStatus.values
        }
        return self.annotate(issue_count=models.Count("coverage", filter=on_map), **counts)


class Mechanism(models.Model):
    Kind = MechanismKind

    name = models.CharField(max_length=300, unique=True)
    acronym = models.CharField(max_length=50, blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = MechanismQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            choices_check("kind", MechanismKind, "mechanism_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="mechanism_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self) -> str:
        return self.acronym or self.name

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) of issues on the map, for a mechanism annotated by
        ``MechanismQuerySet.with_coverage_counts``; statuses without issues are left out."""
        return [
            (status, label, getattr(self, f"count_{status}"))
            for status, label in CoverageStatus.choices
            if getattr(self, f"count_{status}")
        ]


class CoverageStatus(models.TextChoices):
    ADDRESSING = "addressing", "Addressing"
    PARTLY = "partly", "Partly addressing"
    NOT_ADDRESSING = "not_addressing", "Not addressing"
    UNKNOWN = "unknown", "Unknown"


# From the best to the weakest. An issue's status summary is the best status of its mechanisms;
# it is "not addressing" only when every mechanism is recorded as not addressing it.
STATUS_RANK = {
    CoverageStatus.ADDRESSING: 0,
    CoverageStatus.PARTLY: 1,
    CoverageStatus.UNKNOWN: 2,
    CoverageStatus.NOT_ADDRESSING: 3,
}
STATUS_OF_RANK = {rank: status for status, rank in STATUS_RANK.items()}


def status_rank(field: str = "status") -> models.Case:
    """The rank of a coverage status, as a database expression."""
    return models.Case(
        *(models.When(**{field: status}, then=rank) for status, rank in STATUS_RANK.items()),
        output_field=models.IntegerField(),
    )


class Coverage(models.Model):
    """Whether, and how well, a mechanism addresses an issue, with the evidence."""

    Status = CoverageStatus

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="coverage")
    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="coverage")
    status = models.CharField(max_length=20, choices=Status, default=Status.UNKNOWN)
    evidence = models.TextField(
        blank=True, help_text="The instrument, resolution, programme or forum that shows it."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["issue", "mechanism__name"]
        verbose_name_plural = "coverage"
        constraints = [
            choices_check("status", CoverageStatus, "coverage_status_valid"),
            models.UniqueConstraint(fields=["issue", "mechanism"], name="coverage_unique_pair"),
        ]
        indexes = [models.Index(fields=["mechanism", "status"], name="coverage_mechanism_status")]

    def __str__(self) -> str:
        return f"{self.mechanism.short_name} on {self.issue}: {self.get_status_display()}"


class GapType(models.TextChoices):
    POLICY = "policy", "Policy gap"
    KNOWLEDGE = "knowledge", "Knowledge gap"
    IMPLEMENTATION = "implementation", "Implementation gap"
    AWARENESS = "awareness", "Awareness gap"
    CAPACITY = "capacity", "Capacity gap"
    RESEARCH = "research", "Research gap"


class Gap(models.Model):
    """A gap in how an issue is addressed, and the kind of recommendation it calls for."""

    Type = GapType

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="gaps")
    type = models.CharField(max_length=20, choices=Type)
    description = models.TextField(blank=True)
    recommendation = models.TextField(
        "recommendation needed",
        blank=True,
        help_text="The type of recommendation the working group may need to draft.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["issue", "type"]
        constraints = [
            choices_check("type", GapType, "gap_type_valid"),
            models.UniqueConstraint(fields=["issue", "type"], name="gap_once_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.issue}"
