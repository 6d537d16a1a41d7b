"""Filters of the public response pages (django-filter). The same FilterSet drives a page and
its exports, so that a download holds what the page shows."""

import django_filters
from django.db.models import Q, QuerySet
from django_countries import countries

from issues.models import Answer, Respondent
from wgec.models import StakeholderGroup
from wgec.regions import RegionalGroup, countries_in


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
