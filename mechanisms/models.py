"""Who addresses each issue and how well: mechanisms, their coverage of issues, and gaps; the
issues as the map shows them (``mapped_issues``); and the map workbooks uploaded in the admin.
"""

from collections import defaultdict
from typing import NamedTuple

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Concat, Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from issues.models import Issue, IssueQuerySet
from wgec.models import BackgroundImport, choices_check


class MechanismKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
    TREATY = "treaty", _("Treaty or convention")
    MULTISTAKEHOLDER = "multistakeholder", _("Multistakeholder forum")
    STANDARDS = "standards", _("Technical standards body")
    REGIONAL = "regional", _("Regional body")
    OTHER = "other", _("Other")


def short_name(name: str, acronym: str) -> str:
    """How a mechanism is named where space is short (a row of the map, a report's list): its
    acronym, or its name when it has none. For a mechanism read as values, not as a model."""
    return acronym or name


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

    name = models.CharField(max_length=300, unique=True, verbose_name=_("name"))
    acronym = models.CharField(max_length=50, blank=True, verbose_name=_("acronym"))
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER, verbose_name=_("kind"))
    website = models.URLField(blank=True, verbose_name=_("website"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    history = HistoricalRecords()
    objects = MechanismQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            choices_check("kind", MechanismKind, "mechanism_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="mechanism_name_not_empty"),
            # Names differ by more than case; the services' check of that is raced by two
            # proposals accepted at once, which this refuses.
            models.UniqueConstraint(Lower("name"), name="mechanism_name_unique_ci"),
        ]
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self) -> str:
        return short_name(self.name, self.acronym)

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) of issues on the map, for a mechanism annotated by
        ``MechanismQuerySet.with_coverage_counts``; statuses without issues are left out."""
        return [
            (status, label, getattr(self, f"count_{status}"))
            for status, label in CoverageStatus.choices
            if getattr(self, f"count_{status}")
        ]


class CoverageStatus(models.TextChoices):
    ADDRESSING = "addressing", _("Addressing")
    PARTLY = "partly", _("Partly addressing")
    NOT_ADDRESSING = "not_addressing", _("Not addressing")
    UNKNOWN = "unknown", _("Unknown")


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

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="coverage", verbose_name=_("issue")
    )
    mechanism = models.ForeignKey(
        Mechanism, on_delete=models.CASCADE, related_name="coverage", verbose_name=_("mechanism")
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.UNKNOWN, verbose_name=_("status")
    )
    evidence = models.TextField(
        blank=True,
        help_text=_("The instrument, resolution, programme or forum that shows it."),
        verbose_name=_("evidence"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["issue", "mechanism__name"]
        verbose_name_plural = _("coverage")
        constraints = [
            choices_check("status", CoverageStatus, "coverage_status_valid"),
            models.UniqueConstraint(fields=["issue", "mechanism"], name="coverage_unique_pair"),
        ]
        indexes = [models.Index(fields=["mechanism", "status"], name="coverage_mechanism_status")]
        verbose_name = _("coverage")

    def __str__(self) -> str:
        return f"{self.mechanism.short_name} on {self.issue}: {self.get_status_display()}"


class GapType(models.TextChoices):
    POLICY = "policy", _("Policy gap")
    KNOWLEDGE = "knowledge", _("Knowledge gap")
    IMPLEMENTATION = "implementation", _("Implementation gap")
    AWARENESS = "awareness", _("Awareness gap")
    CAPACITY = "capacity", _("Capacity gap")
    RESEARCH = "research", _("Research gap")


class Gap(models.Model):
    """A gap in how an issue is addressed, and the kind of recommendation it calls for."""

    Type = GapType

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="gaps", verbose_name=_("issue")
    )
    type = models.CharField(max_length=20, choices=Type, verbose_name=_("type"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    recommendation = models.TextField(
        _("recommendation needed"),
        blank=True,
        help_text=_("The type of recommendation the working group may need to draft."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["issue", "type"]
        constraints = [
            choices_check("type", GapType, "gap_type_valid"),
            models.UniqueConstraint(fields=["issue", "type"], name="gap_once_per_type"),
        ]
        verbose_name = _("gap")
        verbose_name_plural = _("gaps")

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.issue}"


# Issues as the map shows them -------------------------------------------------------------------

# Aggregated text (see MappedIssueQuerySet.with_text_summaries) uses separators no name contains.
SEPARATOR, SEPARATOR_PAIR = "\x1e", "\x1f"


def _aggregated(queryset: models.QuerySet, expression) -> Subquery:
    """``expression`` over an issue's rows of ``queryset``, joined by SEPARATOR."""
    return Subquery(
        queryset.filter(issue=OuterRef("pk"))
        .order_by()
        .values("issue")
        .annotate(text=models.StringAgg(expression, delimiter=models.Value(SEPARATOR)))
        .values("text")
    )


class MappedIssueQuerySet(IssueQuerySet):
    """Issues with what the map knows of them: their coverage and gaps.

    The issues room knows nothing of mechanisms, so these reads live here, on a queryset of
    ``Issue`` that adds them to every read of ``IssueQuerySet``: ``mapped_issues().on_map()
    .with_best_status()``. A queryset, not a proxy model, so that every save goes through
    ``Issue`` itself (and its change history).
    """

    def with_best_status(self) -> "MappedIssueQuerySet":
        """Annotate ``best_status``: the rank of the best coverage status (None: no mechanism)."""
        best = (
            Coverage.objects.filter(issue=OuterRef("pk"))
            .annotate(rank=status_rank())
            .order_by("rank")
            .values("rank")[:1]
        )
        return self.annotate(best_status=Subquery(best))

    def with_mechanism_count(self) -> "MappedIssueQuerySet":
        count = (
            Coverage.objects.filter(issue=OuterRef("pk"))
            .order_by()
            .values("issue")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(mechanism_count=Coalesce(Subquery(count), 0))

    def with_text_summaries(self) -> "MappedIssueQuerySet":
        """Annotate ``mechanism_text`` and ``gap_text``, aggregated in the database (one query
        for any number of issues); read them with ``mechanisms_in_text`` and
        ``gap_types_in_text``."""
        return (
            self.select_related("cluster")
            .with_gap_text()
            .annotate(
                mechanism_text=_aggregated(
                    Coverage.objects,
                    Concat(F("mechanism__name"), models.Value(SEPARATOR_PAIR), "status"),
                )
            )
        )

    def with_gap_text(self) -> "MappedIssueQuerySet":
        """Annotate ``gap_text`` only (read it with ``gap_types_in_text``): for a read that
        shows no mechanism."""
        return self.annotate(gap_text=_aggregated(Gap.objects, F("type")))

    def with_map_rows(self) -> "MappedIssueQuerySet":
        """What a row of the issue list reads with the issue: its cluster (its mechanisms and
        gaps, for a page of rows: ``map_rows_of``)."""
        return self.select_related("cluster")

    def without_mechanism(self) -> "MappedIssueQuerySet":
        """Issues for which no mechanism has been recorded yet."""
        return self.filter(~models.Exists(Coverage.objects.filter(issue=models.OuterRef("pk"))))


def mapped_issues() -> MappedIssueQuerySet:
    """Every issue, with the map's reads (``MappedIssueQuerySet``)."""
    return MappedIssueQuerySet(model=Issue)


class RowMechanism(NamedTuple):
    """A mechanism as a row of the issue list shows it, with its coverage's status."""

    mechanism_id: int
    short_name: str
    status: str


def map_rows_of(
    issue_ids: list[int],
) -> tuple[dict[int, list[RowMechanism]], dict[int, list[str]]]:
    """The mechanisms (by name, with their status) and the gap types (in order) of each of
    ``issue_ids``, the issues of a page of the list: two queries, their rows read as tuples (a
    page of fifty issues has hundreds of coverage rows, which as model instances, each with
    its mechanism, cost more than the rest of the page). Neither the evidence nor the
    mechanisms' descriptions are read: long texts a row never shows."""
    mechanisms: dict[int, list[RowMechanism]] = defaultdict(list)
    coverage = (
        Coverage.objects.filter(issue_id__in=issue_ids)
        .order_by("mechanism__name")
        .values_list("issue_id", "mechanism_id", "status", "mechanism__name", "mechanism__acronym")
    )
    for issue_id, mechanism_id, status, name, acronym in coverage:
        mechanisms[issue_id].append(RowMechanism(mechanism_id, short_name(name, acronym), status))
    gaps: dict[int, list[str]] = defaultdict(list)
    for issue_id, gap_type in (
        Gap.objects.filter(issue_id__in=issue_ids).order_by("type").values_list("issue_id", "type")
    ):
        gaps[issue_id].append(gap_type)
    return mechanisms, gaps


def mechanisms_in_text(issue: Issue) -> list[tuple[str, str]]:
    """(mechanism name, status) pairs by name, from ``with_text_summaries``."""
    pairs = [
        tuple(part.split(SEPARATOR_PAIR, 1))
        for part in (issue.mechanism_text or "").split(SEPARATOR)
        if part
    ]
    return sorted(pairs, key=lambda pair: pair[0].casefold())


def gap_types_in_text(issue: Issue) -> list[str]:
    """Gap types in their order of choice, from ``with_text_summaries``."""
    return gap_types_of_text(issue.gap_text)


def gap_types_of_text(gap_text: str | None) -> list[str]:
    """Gap types in their order of choice, from a ``gap_text`` annotation."""
    present = set((gap_text or "").split(SEPARATOR))
    return [value for value in Gap.Type.values if value in present]


# The map workbook's imports through the admin --------------------------------------------------


class MapImport(BackgroundImport):
    """A map workbook uploaded in the admin, read and applied by background tasks.

    The file lives in media storage so that any app server or worker can reach it. ``preview``
    holds what the import would do (counts, changes, errors) for the secretariat to confirm.
    Both are deleted a day later (``manage.py purge_imports``); the record stays.
    """

    class State(models.TextChoices):
        READING = "reading", _("Reading the file")
        READY = "ready", _("Ready to apply")
        INVALID = "invalid", _("Has errors")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired (not confirmed within a day)")

    file = models.FileField(
        upload_to="imports/map/",
        blank=True,
        help_text=_("The uploaded files, as a zip archive in media storage."),
        verbose_name=_("file"),
    )
    # Imports uploaded before the files were kept in media storage.
    content = models.BinaryField(blank=True, default=b"", verbose_name=_("content"))
    state = models.CharField(
        max_length=20, choices=State, default=State.READING, verbose_name=_("state")
    )

    class Meta(BackgroundImport.Meta):
        verbose_name = _("map import")
        verbose_name_plural = _("map imports")


class MapVersion(models.Model):
    """One row whose token the database changes with every write to the map's tables (issues,
    clusters, mechanisms, coverage, gaps: ``mechanisms/triggers.py``), in the writing
    transaction itself, so that the token a reader sees always goes with the rows it sees. The
    cached pages of the map (``mechanisms/page_cache.py``) are keyed by it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32, verbose_name=_("token"))

    class Meta:
        verbose_name = _("map version")
        verbose_name_plural = _("map versions")

    def __str__(self) -> str:
        return self.token
