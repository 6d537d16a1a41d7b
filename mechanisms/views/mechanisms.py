"""Public pages of the mechanisms: what each addresses, and how."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from mechanisms.filters import MechanismFilter
from mechanisms.models import Coverage, Mechanism
from wgec.links import link_maker
from wgec.translated import with_translations

PAGE_SIZE = 50
ISSUES_PER_PAGE = 100


@require_safe
def mechanism_list(request: HttpRequest) -> HttpResponse:
    mechanism_filter = MechanismFilter(request.GET, queryset=Mechanism.objects.order_by("name"))
    page = Paginator(mechanism_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Counted for the page only: counting for every mechanism would grow with the map.
    page.object_list = list(
        Mechanism.objects.filter(pk__in=[m.pk for m in page.object_list])
        .with_coverage_counts()
        .order_by("name")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mechanisms/mechanism_list.html",
        {"filter": mechanism_filter, "page": page, "query": query.urlencode()},
    )


@require_safe
def mechanism_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mechanism = get_object_or_404(Mechanism, pk=pk)
    coverage = (
        Coverage.objects.filter(mechanism=mechanism, issue__state="on_map")
        .select_related("issue__cluster")
        .only("status", "evidence", "issue__title", *with_translations("issue__cluster__name"))
        .order_by("issue__cluster__position", "issue__title", "pk")
    )
    counts = dict(coverage.order_by().values_list("status").annotate(n=Count("pk")))
    paginator = Paginator(coverage, ISSUES_PER_PAGE)
    paginator.count = sum(counts.values())  # counted by status already: not counted again
    page = paginator.get_page(request.GET.get("page"))
    issue_link = link_maker("issues:detail")
    for row in page.object_list:
        row.issue_link = issue_link(row.issue_id)
    return render(
        request,
        "mechanisms/mechanism_detail.html",
        {
            "mechanism": mechanism,
            "page": page,
            "status_counts": [
                (status, label, counts[status])
                for status, label in Coverage.Status.choices
                if counts.get(status)
            ],
            "total": paginator.count,
        },
    )
