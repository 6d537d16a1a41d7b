"""Filters of the public pages (django-filter). The same FilterSet drives a page and its
downloads, so that a download holds what the page shows: the published responses, and the
issues' own filters, which the issue map's filter extends (``mechanisms/filters.py``)."""

import django_filters
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from issues.models import Answer, Cluster, Issue, IssueSource, Respondent
from wgec.countries import country_name
from wgec.filters import LenientFilterSet
from wgec.models import StakeholderGroup
from wgec.regions import RegionalGroup, countries_in

SORTS = {
    "title": ("title", _("Title (A to Z)")),
    "-title": ("-title", _("Title (Z to A)")),
    "cluster": ("cluster__position", _("Cluster")),
    "-updated": ("-updated_at", _("Recently changed first")),
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


class IssueFilter(LenientFilterSet):
    """Issues by the words of their title and description, their cluster, their consensus state
    and the stakeholder group of the respondents who raised them, in a chosen order. The issue
    map's filter (``mechanisms.filters.IssueMapFilter``) adds mechanisms, statuses and gaps."""

    SORTS = SORTS

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.all(),
        to_field_name="slug",
        empty_label=_("All clusters"),
    )
    consensus = django_filters.ChoiceFilter(
        label=_("Consensus"), choices=Issue.Consensus.choices, empty_label=_("Any consensus state")
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Raised by"),
        queryset=StakeholderGroup.objects.all(),
        to_field_name="slug",
        empty_label=_("Any stakeholder group"),
        method="filter_group",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (_, label) in SORTS.items()],
        empty_label=_("Cluster, then title"),
        method="filter_sort",
    )

    class Meta(LenientFilterSet.Meta):
        model = Issue
        fields = ["q", "cluster", "consensus", "group"]

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

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
        data = self.form.cleaned_data
        return self.ordered(self.narrowed(super().filter_queryset(queryset), data), data)

    def unfiltered(self, queryset):
        return self.ordered(queryset, {})

    def narrowed(self, queryset: QuerySet, data: dict) -> QuerySet:
        """Filters that apply together (a subclass's), after each filter's own."""
        return queryset

    def ordered(self, queryset: QuerySet, data: dict) -> QuerySet:
        sort = data.get("sort")
        if sort:
            field, _ = self.SORTS[sort]
            return queryset.order_by(field, "title", "pk")
        if data.get("q") and connection.vendor == "postgresql":
            return queryset.order_by("-search_rank", "title", "pk")
        return queryset.order_by("cluster__position", "title", "pk")

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
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])


class RespondentFilter(LenientFilterSet):
    """Consenting respondents by name, stakeholder group, UN regional group and country."""

    path = ""  # how the filtered model reaches the respondent

    q = django_filters.CharFilter(method="search", label=_("Name or organisation"))
    stakeholder_group = django_filters.ModelChoiceFilter(
        queryset=StakeholderGroup.objects.all(), empty_label=_("All stakeholder groups")
    )
    region = django_filters.ChoiceFilter(
        choices=RegionalGroup.choices,
        method="in_region",
        label=_("UN regional group"),
        empty_label=_("All regional groups"),
    )
    country = django_filters.ChoiceFilter(
        choices=_countries_of_consenting_respondents, empty_label=_("All countries")
    )

    class Meta(LenientFilterSet.Meta):
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
        empty_label=_("All stakeholder groups"),
    )
    country = django_filters.ChoiceFilter(
        field_name="respondent__country",
        choices=_countries_of_consenting_respondents,
        empty_label=_("All countries"),
    )

    class Meta(LenientFilterSet.Meta):
        model = Answer
        fields: list[str] = []
