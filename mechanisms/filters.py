"""Filters of the mechanisms room's pages (django-filter): the mechanisms list, and the issue
map's filter, which drives the issue list, its CSV and XLSX downloads, and the links of the
matrix and the gaps page."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from issues.filters import IssueFilter
from mechanisms.models import STATUS_RANK, Coverage, Gap, Mechanism
from wgec.filters import LenientFilterSet
from wgec.text_checks import parse_id

NO_MECHANISM = "none"
SUMMARY_CHOICES = [
    *Coverage.Status.choices,
    (NO_MECHANISM, _("No mechanism")),
]

SORTS = {
    "title": ("title", _("Title (A to Z)")),
    "-title": ("-title", _("Title (Z to A)")),
    "cluster": ("cluster__position", _("Cluster")),
    "-mechanisms": ("-mechanism_count", _("Most mechanisms first")),
    "mechanisms": ("mechanism_count", _("Fewest mechanisms first")),
    "-updated": ("-updated_at", _("Recently changed first")),
}


def _is_id(value: str) -> bool:
    """Whether a mechanism filter's text is an ID: ASCII digits only ("²" is a digit to
    ``str.isdigit`` but is searched for as a word)."""
    return value.isascii() and value.isdigit()


STAGE_PROPOSED = "proposed"


class IssueMapFilter(IssueFilter):
    """The issue map's filter: the issues' own filters, and the mechanisms that address an issue
    (by name, acronym or ID, and with a status), its best status, and its gaps. Give it
    ``mapped_issues()``."""

    SORTS = SORTS

    # A text box, not a list: there may be thousands of mechanisms. An ID (as the matrix and the
    # mechanism pages link) picks one mechanism; words match names and acronyms.
    mechanism = django_filters.CharFilter(
        label=_("Mechanism (name, acronym or ID)"), method="filter_mechanism"
    )
    status = django_filters.ChoiceFilter(
        label=_("A mechanism whose status is"),
        choices=Coverage.Status.choices,
        empty_label=_("Any status"),
        method="filter_status",
    )
    summary = django_filters.ChoiceFilter(
        label=_("Best status"),
        choices=SUMMARY_CHOICES,
        empty_label=_("Any"),
        method="filter_summary",
    )
    gap = django_filters.ChoiceFilter(
        label=_("Gap type"), choices=Gap.Type.choices, empty_label=_("Any gap"), method="filter_gap"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (_, label) in SORTS.items()],
        empty_label=_("Cluster, then title"),
        method="filter_sort",
    )

    # Signed-in people only (the field is removed for anonymous visitors): the issues accepted
    # by the coordinators that await the working group's agreement instead of the map.
    stage = django_filters.ChoiceFilter(
        label=_("Stage"),
        choices=[(STAGE_PROPOSED, _("Proposed, awaiting the working group’s agreement"))],
        empty_label=_("On the map"),
        method="filter_stage",
    )

    class Meta(IssueFilter.Meta):
        fields = ["q", "cluster", "mechanism", "status", "summary", "gap", "consensus", "group"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None or not user.is_authenticated:
            del self.filters["stage"]

    @property
    def proposed(self) -> bool:
        """Whether the list is of proposed issues rather than the map."""
        return (
            "stage" in self.filters
            and self.form.is_valid()
            and self.form.cleaned_data.get("stage") == STAGE_PROPOSED
        )

    def unfiltered(self, queryset: QuerySet) -> QuerySet:
        return queryset.on_map()

    def filter_stage(self, queryset, name, value):
        # Applied in ``narrowed``, so that the map is the default when no stage is chosen.
        return queryset

    def filter_mechanism(self, queryset, name, value):
        # Applied together with the status (``narrowed``), so that both speak of the same
        # coverage row.
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset

    def filter_summary(self, queryset, name, value):
        if value == NO_MECHANISM:
            return queryset.exclude(Exists(Coverage.objects.filter(issue=OuterRef("pk"))))
        return queryset.with_best_status().filter(best_status=STATUS_RANK[value])

    def filter_gap(self, queryset, name, value):
        return queryset.filter(Exists(Gap.objects.filter(issue=OuterRef("pk"), type=value)))

    def narrowed(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("stage") == STAGE_PROPOSED and "stage" in self.filters:
            queryset = queryset.awaiting_agreement()
        else:
            queryset = queryset.on_map()
        mechanism, status = (data.get("mechanism") or "").strip(), data.get("status")
        if mechanism or status:
            coverage = Coverage.objects.filter(issue=OuterRef("pk"))
            if _is_id(mechanism):
                coverage = coverage.filter(mechanism=parse_id(mechanism))
            elif mechanism:
                for word in mechanism.split()[:10]:
                    coverage = coverage.filter(
                        Q(mechanism__name__icontains=word) | Q(mechanism__acronym__icontains=word)
                    )
            if status:
                coverage = coverage.filter(status=status)
            queryset = queryset.filter(Exists(coverage))
        return queryset

    def ordered(self, queryset: QuerySet, data: dict) -> QuerySet:
        sort = data.get("sort")
        if sort and "mechanism_count" in self.SORTS[sort][0]:
            queryset = queryset.with_mechanism_count()
        return super().ordered(queryset, data)

    def chosen_mechanism(self) -> Mechanism | None:
        """The mechanism picked by its ID, to name it above the results."""
        if not self.form.is_valid():
            return None
        value = (self.form.cleaned_data.get("mechanism") or "").strip()
        return Mechanism.objects.filter(pk=parse_id(value)).first() if _is_id(value) else None


class MechanismFilter(LenientFilterSet):
    q = django_filters.CharFilter(label=_("Name or acronym"), method="filter_name")
    kind = django_filters.ChoiceFilter(choices=Mechanism.Kind.choices, empty_label=_("Any kind"))

    class Meta(LenientFilterSet.Meta):
        model = Mechanism
        fields = ["q", "kind"]

    def filter_name(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(acronym__icontains=word))
        return queryset
