"""Filters of the public pages (django-filter). The same FilterSet drives a page and its
downloads, so that a download holds what the page shows: the issue map (its list, CSV and XLSX,
and the links of the matrix and gap views) and the published responses."""

import django_filters
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_countries import countries

from issues.models import Answer, Cluster, Issue, IssueSource, Respondent
from mechanisms.models import STATUS_RANK, Coverage, Gap, Mechanism
from wgec.models import StakeholderGroup
from wgec.regions import RegionalGroup, countries_in

NO_MECHANISM = "none"
SUMMARY_CHOICES = [
    *Coverage.Status.choices,
    (NO_MECHANISM, "No mechanism"),
]

SORTS = {
    "title": ("title", "Title (A to Z)"),
    "-title": ("-title", "Title (Z to A)"),
    "cluster": ("cluster__position", "Cluster"),
    "-mechanisms": ("-mechanism_count", "Most mechanisms first"),
    "mechanisms": ("mechanism_count", "Fewest mechanisms first"),
    "-updated": ("-updated_at", "Recently changed first"),
}


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Free-text search of titles and descriptions.

    PostgreSQL: full-text search in English (stemmed, indexed, best matches first).
    SQLite: every word must appear in the title or the description.
    """
    text = " ".join(text.split())[:200]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("title", "description", config="english")
        query = SearchQuery(text, config="english", search_type="websearch")
        return (
            queryset.alias(search_vector=vector)
            .filter(search_vector=query)
            .annotate(search_rank=SearchRank(vector, query))
        )
    for word in text.split():
        queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return queryset


class IssueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_search")
    cluster = django_filters.ModelChoiceFilter(
        queryset=Cluster.objects.all(), to_field_name="slug", empty_label="All clusters"
    )
    # A text box, not a list: there may be thousands of mechanisms. An ID (as the matrix and the
    # mechanism pages link) picks one mechanism; words match names and acronyms.
    mechanism = django_filters.CharFilter(
        label="Mechanism (name, acronym or ID)", method="filter_mechanism"
    )
    status = django_filters.ChoiceFilter(
        label="A mechanism whose status is",
        choices=Coverage.Status.choices,
        empty_label="Any status",
        method="filter_status",
    )
    summary = django_filters.ChoiceFilter(
        label="Best status",
        choices=SUMMARY_CHOICES,
        empty_label="Any",
        method="filter_summary",
    )
    gap = django_filters.ChoiceFilter(
        label="Gap type", choices=Gap.Type.choices, empty_label="Any gap", method="filter_gap"
    )
    consensus = django_filters.ChoiceFilter(
        choices=Issue.Consensus.choices, empty_label="Any consensus state"
    )
    group = django_filters.ModelChoiceFilter(
        label="Raised by",
        queryset=StakeholderGroup.objects.all(),
        to_field_name="slug",
        empty_label="Any stakeholder group",
        method="filter_group",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (_, label) in SORTS.items()],
        empty_label="Cluster, then title",
        method="filter_sort",
    )

    class Meta:
        model = Issue
        fields = ["q", "cluster", "mechanism", "status", "summary", "gap", "consensus", "group"]

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_mechanism(self, queryset, name, value):
        # Applied together with the status below, so that both speak of the same coverage row.
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset

    def filter_summary(self, queryset, name, value):
        if value == NO_MECHANISM:
            return queryset.exclude(Exists(Coverage.objects.filter(issue=OuterRef("pk"))))
        return queryset.with_best_status().filter(best_status=STATUS_RANK[value])

    def filter_gap(self, queryset, name, value):
        return queryset.filter(Exists(Gap.objects.filter(issue=OuterRef("pk"), type=value)))

    def filter_group(self, queryset, name, value):
        return queryset.filter(
            Exists(
                IssueSource.objects.filter(
                    issue=OuterRef("pk"), answer__respondent__stakeholder_group=value
                )
            )
        )

    def filter_sort(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        mechanism, status = (data.get("mechanism") or "").strip(), data.get("status")
        if mechanism or status:
            coverage = Coverage.objects.filter(issue=OuterRef("pk"))
            if mechanism.isdigit():
                coverage = coverage.filter(mechanism=int(mechanism))
            elif mechanism:
                for word in mechanism.split()[:10]:
                    coverage = coverage.filter(
                        Q(mechanism__name__icontains=word) | Q(mechanism__acronym__icontains=word)
                    )
            if status:
                coverage = coverage.filter(status=status)
            queryset = queryset.filter(Exists(coverage))
        sort = data.get("sort")
        if sort:
            field, _ = SORTS[sort]
            if "mechanism_count" in field:
                queryset = queryset.with_mechanism_count()
            return queryset.order_by(field, "title", "pk")
        if data.get("q") and connection.vendor == "postgresql":
            return queryset.order_by("-search_rank", "title", "pk")
        return queryset.order_by("cluster__position", "title", "pk")

    def chosen_mechanism(self) -> Mechanism | None:
        """The mechanism picked by its ID, to name it above the results."""
        if not self.form.is_valid():
            return None
        value = (self.form.cleaned_data.get("mechanism") or "").strip()
        return Mechanism.objects.filter(pk=int(value)).first() if value.isdigit() else None

    @property
    def active(self) -> bool:
        """Whether any filter (not only the sort) is chosen."""
        if not self.form.is_valid():
            return False
        return any(self.form.cleaned_data.get(name) for name in self.Meta.fields)


# The published responses ------------------------------------------------------------------


def _countries_of_consenting_respondents() -> list[tuple[str, str]]:
    codes = (
        Respondent.objects.consenting()
        .exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])


class RespondentFilter(django_filters.FilterSet):
    """Consenting respondents by name, stakeholder group, UN regional group and country."""

    path = ""  # how the filtered model reaches the respondent

    q = django_filters.CharFilter(method="search", label="Name or organisation")
    stakeholder_group = django_filters.ModelChoiceFilter(
        queryset=StakeholderGroup.objects.all(), empty_label="All stakeholder groups"
    )
    region = django_filters.ChoiceFilter(
        choices=RegionalGroup.choices,
        method="in_region",
        label="UN regional group",
        empty_label="All regional groups",
    )
    country = django_filters.ChoiceFilter(
        choices=_countries_of_consenting_respondents, empty_label="All countries"
    )

    class Meta:
        model = Respondent
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(**{f"{self.path}name__icontains": value})
            | Q(**{f"{self.path}organisation__icontains": value})
        )

    def in_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{self.path}country__in": countries_in(value)})


class AnswerFilter(RespondentFilter):
    """The same filters, applied to answers through their respondent."""

    path = "respondent__"

    stakeholder_group = django_filters.ModelChoiceFilter(
        field_name="respondent__stakeholder_group",
        queryset=StakeholderGroup.objects.all(),
        empty_label="All stakeholder groups",
    )
    country = django_filters.ChoiceFilter(
        field_name="respondent__country",
        choices=_countries_of_consenting_respondents,
        empty_label="All countries",
    )

    class Meta:
        model = Answer
        fields: list[str] = []
