"""Public pages of the mechanisms: what each addresses, and how."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from mechanisms.filters import MechanismFilter
from mechanisms.models import Coverage, Mechanism
from mechanisms.page_cache import Audience, page_content_cached, query_key
from wgec.languages import labels
from wgec.links import link_maker
from wgec.page_cache import served_whole
from wgec.translated import with_translations

PAGE_SIZE = 50
ISSUES_PER_PAGE = 100


@served_whole(roles=True)
@require_safe
def mechanism_list(request: HttpRequest) -> HttpResponse:
    """The mechanisms with the issues they address; its content, the same for every visitor,
    is cached until the map changes, for each query."""
    content = page_content_cached(
        request,
        "mechanisms/mechanism_list.html",
        lambda: _mechanism_list_context(request),
        vary=(query_key(request),),
        audience=Audience.EVERYONE,
    )
    return render(request, "mechanisms/mechanism_list.html", {"content": content})


def _mechanism_list_context(request: HttpRequest) -> dict:
    mechanism_filter = MechanismFilter(request.GET, queryset=Mechanism.objects.order_by("name"))
    page = Paginator(mechanism_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Counted for the page only: counting for every mechanism would grow with the map.
    page.object_list = list(
        Mechanism.objects.filter(pk__in=[m.pk for m in page.object_list])
        .with_coverage_counts()
        .order_by("name")
    )
    # Each row's two links built from one resolved URL each (``{% url %}`` would resolve them
    # all), its status summary read once, its kind's label translated once for the page
    # (``get_kind_display`` translates every kind's label for each row).
    detail_link, list_url = link_maker("mechanisms:detail"), reverse("issues:list")
    kinds = labels(Mechanism.Kind)
    for mechanism in page.object_list:
        mechanism.link = detail_link(mechanism.pk)
        mechanism.kind_label = kinds[mechanism.kind]
        mechanism.issues_link = f"{list_url}?mechanism={mechanism.pk}"
        mechanism.counts = mechanism.status_counts
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": mechanism_filter, "page": page, "query": query.urlencode()}


@served_whole(roles=True)
@require_safe
def mechanism_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A mechanism and the issues it addresses; its content, the same for every visitor, is
    cached until the map changes."""
    mechanism = get_object_or_404(Mechanism, pk=pk)
    content = page_content_cached(
        request,
        "mechanisms/mechanism_detail.html",
        lambda: _mechanism_detail_context(request, mechanism),
        vary=(str(mechanism.pk), query_key(request)),
        audience=Audience.EVERYONE,
    )
    return render(
        request, "mechanisms/mechanism_detail.html", {"mechanism": mechanism, "content": content}
    )


def _mechanism_detail_context(request: HttpRequest, mechanism: Mechanism) -> dict:
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
    return {
        "mechanism": mechanism,
        "page": page,
        "status_counts": [
            (status, label, counts[status])
            for status, label in Coverage.Status.choices
            if counts.get(status)
        ],
        "total": paginator.count,
    }
