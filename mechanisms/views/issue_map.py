"""The public issue map: the list of issues (and its downloads), the matrix and the gaps."""

from collections import Counter, defaultdict
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from issues.models import Cluster, Issue
from mechanisms.filters import NO_MECHANISM, STAGE_PROPOSED, IssueMapFilter
from mechanisms.models import (
    STATUS_OF_RANK,
    STATUS_RANK,
    Coverage,
    Gap,
    Mechanism,
    gap_types_in_text,
    map_rows_of,
    mapped_issues,
    mechanisms_in_text,
)
from mechanisms.page_cache import Audience, page_part_cached, query_key
from wgec.documents.http import download
from wgec.documents.spreadsheets import csv_bytes, xlsx_bytes
from wgec.languages import english, labels
from wgec.links import link_maker
from wgec.page_cache import served_whole

PAGE_SIZE = 50
STATUSES = Coverage.Status.choices  # best first
SUMMARY_LABELS = {**dict(STATUSES), NO_MECHANISM: _("No mechanism")}


def status_counts(coverage) -> list[tuple[str, str, int]]:
    """(status, label, count) for each status present, best first."""
    counts = Counter(row.status for row in coverage)
    return [(status, label, counts[status]) for status, label in STATUSES if counts[status]]


def _filtered(request: HttpRequest, data=None) -> IssueMapFilter:
    # Anonymous visitors get the agreed map only: the filter has no stage for them, and proposed
    # issues are not in their queryset.
    return IssueMapFilter(
        request.GET if data is None else data,
        queryset=mapped_issues().visible_to(request.user),
        user=request.user,
    )


@served_whole(roles=True)
@require_safe
def issue_list(request: HttpRequest) -> HttpResponse:
    """The issues on the map, filtered, searched and sorted; its content is cached for each
    role until the map changes, for each query (signed-in people also see the proposed issues
    and may filter by stage)."""
    return _issue_list(request, lambda: _filtered(request))


@require_safe
@login_required
def proposed_issue_list(request: HttpRequest) -> HttpResponse:
    """Issues accepted by the coordinators that await the working group's agreement, with the
    list's search and filters."""
    data = request.GET.copy()
    data["stage"] = STAGE_PROPOSED
    return _issue_list(request, lambda: _filtered(request, data))


def _issue_list(request: HttpRequest, make_filter: Callable[[], IssueMapFilter]) -> HttpResponse:
    def build() -> tuple[bool, str]:
        # The filter is built only when the content is; whether the list is of the proposed
        # issues (the page's title) is kept with it.
        issue_filter = make_filter()
        context = _issue_list_context(request, issue_filter)
        content = render_to_string("mechanisms/issue_list.html#content", context, request=request)
        return issue_filter.proposed, content

    proposed, content = page_part_cached(
        request,
        "mechanisms/issue_list.html",
        build,
        # The proposed issues' list is another page with the same query (its stage is implied).
        vary=(request.path, query_key(request)),
        audience=Audience.ROLE,
    )
    return render(request, "mechanisms/issue_list.html", {"proposed": proposed, "content": content})


def _issue_list_context(request: HttpRequest, issue_filter: IssueMapFilter) -> dict:
    page = Paginator(issue_filter.qs.with_map_rows(), PAGE_SIZE).get_page(request.GET.get("page"))
    # Each row links its issue and its mechanisms: hundreds of links a page, built from one
    # resolved URL each (``{% url %}`` would resolve every one).
    issue_link, mechanism_link = link_maker("issues:detail"), link_maker("mechanisms:detail")
    # The gap types' labels translated once for the page (``get_type_display`` translates every
    # type's label for each gap), "Policy gap" written "Policy" in its column.
    gap_types = {value: str(label).replace(" gap", "") for value, label in labels(Gap.Type).items()}
    issues = list(page.object_list)
    mechanisms, gaps = map_rows_of([issue.pk for issue in issues])
    rows = []
    for issue in issues:
        issue.link = issue_link(issue.pk)
        coverage = mechanisms.get(issue.pk, [])
        issue.mechanism_links = [
            (mechanism_link(row.mechanism_id), row.short_name) for row in coverage
        ]
        issue.gap_labels = [gap_types[gap] for gap in gaps.get(issue.pk, [])]
        rows.append((issue, status_counts(coverage)))
    query = issue_filter.data.copy()
    query.pop("page", None)
    return {
        "filter": issue_filter,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
    }


DOWNLOAD_COLUMNS = [
    "Issue ID",
    "Title",
    "Cluster",
    "Description",
    "Consensus",
    "Mechanisms (status)",
    "Gap types",
    "Page",
]


@require_safe
@english
def issue_list_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered list as CSV or XLSX: every matching issue, not only one page."""
    issues = _filtered(request).qs.with_text_summaries()
    consensus = labels(Issue.Consensus)
    statuses = labels(Coverage.Status)
    base = request.build_absolute_uri("/").rstrip("/")

    def rows():
        for issue in issues.iterator(chunk_size=2000):
            yield [
                issue.pk,
                issue.title,
                issue.cluster.name if issue.cluster else "",
                issue.description,
                consensus[issue.consensus],
                "; ".join(
                    f"{name} ({statuses[status]})" for name, status in mechanisms_in_text(issue)
                ),
                "; ".join(gap.capitalize() for gap in gap_types_in_text(issue)),
                base + reverse("issues:detail", args=[issue.pk]),
            ]

    # The file holds the list as it stands when downloaded: its name carries no date.
    if fmt == "csv":
        return download(csv_bytes(DOWNLOAD_COLUMNS, rows()), "wgec-issues.csv")
    return download(xlsx_bytes([("Issues", DOWNLOAD_COLUMNS, rows())]), "wgec-issues.xlsx")


def _list_url(**params) -> str:
    return reverse("issues:list") + "?" + urlencode({k: v for k, v in params.items() if v})


@served_whole(roles=True)
@require_safe
def matrix(request: HttpRequest) -> HttpResponse:
    """Clusters by status summary as a heat map; issues by mechanisms for one cluster. Its
    content, the same for every visitor, is cached until the map changes."""
    cluster, page = request.GET.get("cluster") or "", request.GET.get("page") or ""
    content = page_part_cached(
        request,
        "matrix",
        lambda: render_to_string(
            "mechanisms/_issue_matrix_content.html", _matrix_context(request), request=request
        ),
        vary=(cluster[:100], page[:20]),
        audience=Audience.EVERYONE,
    )
    return render(request, "mechanisms/issue_matrix.html", {"content": content})


def _matrix_context(request: HttpRequest) -> dict:
    clusters = list(Cluster.objects.all())
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in (
        mapped_issues()
        .on_map()
        .with_best_status()
        .order_by()
        .values("cluster_id", "best_status")
        .annotate(n=Count("pk"))
    ):
        key = NO_MECHANISM if row["best_status"] is None else STATUS_OF_RANK[row["best_status"]]
        counts[row["cluster_id"]][key] += row["n"]
    columns = [*STATUSES, (NO_MECHANISM, _("No mechanism"))]
    peak = max((n for counter in counts.values() for n in counter.values()), default=0)
    heat = [
        {
            "cluster": cluster,
            "total": sum(counts[cluster.pk].values()),
            "cells": [
                {
                    "status": status,
                    "label": label,
                    "count": counts[cluster.pk][status],
                    "level": _level(counts[cluster.pk][status], peak),
                    "url": _list_url(cluster=cluster.slug, summary=status),
                }
                for status, label in columns
            ],
        }
        for cluster in clusters
    ]
    totals = [
        {
            "label": label,
            "count": sum(counts[c.pk][status] for c in clusters),
            "url": _list_url(summary=status),
        }
        for status, label in columns
    ]
    chosen = next((c for c in clusters if c.slug == request.GET.get("cluster")), None)
    grid = _grid(request, chosen) if chosen else None
    return {
        "heat": heat,
        "columns": columns,
        "totals": totals,
        "total": sum(row["total"] for row in heat),
        "chosen": chosen,
        "grid": grid,
        "clusters": clusters,
    }


def _level(count: int, peak: int) -> int:
    """A shade from 0 (none) to 5 (the largest cell), for the heat map."""
    if not count or not peak:
        return 0
    return max(1, round(5 * count / peak))


GRID_COLUMNS = 30


def _grid(request: HttpRequest, cluster: Cluster) -> dict:
    """Issues of a cluster (a page) by the mechanisms that address them."""
    issues = Issue.objects.on_map().filter(cluster=cluster).order_by("title", "pk")
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    coverage = list(
        Coverage.objects.filter(issue__in=[issue.pk for issue in page.object_list]).select_related(
            "mechanism"
        )
    )
    per_mechanism = Counter(row.mechanism_id for row in coverage)
    mechanisms = sorted(
        {row.mechanism_id: row.mechanism for row in coverage}.values(),
        key=lambda m: (-per_mechanism[m.pk], m.short_name.casefold()),
    )
    shown = mechanisms[:GRID_COLUMNS]
    cells = {(row.issue_id, row.mechanism_id): row for row in coverage}
    rows = [
        {
            "issue": issue,
            "cells": [
                {
                    "mechanism": mechanism,
                    "coverage": cells.get((issue.pk, mechanism.pk)),
                    "url": _list_url(
                        cluster=cluster.slug,
                        mechanism=mechanism.pk,
                        status=cells[(issue.pk, mechanism.pk)].status,
                    )
                    if (issue.pk, mechanism.pk) in cells
                    else "",
                }
                for mechanism in shown
            ],
        }
        for issue in page.object_list
    ]
    return {
        "page": page,
        "mechanisms": shown,
        "hidden": len(mechanisms) - len(shown),
        "rows": rows,
    }


GAP_SAMPLE = 25


@served_whole(roles=True)
@require_safe
def gaps(request: HttpRequest) -> HttpResponse:
    """Where the map shows gaps: no mechanism, no mechanism addressing, and gaps by type. Its
    content, the same for every visitor, is cached until the map changes."""
    content = page_part_cached(
        request,
        "gaps",
        lambda: render_to_string(
            "mechanisms/_issue_gaps_content.html", _gaps_context(), request=request
        ),
        audience=Audience.EVERYONE,
    )
    return render(request, "mechanisms/issue_gaps.html", {"content": content})


def _gaps_context() -> dict:
    on_map = mapped_issues().on_map().with_best_status().select_related("cluster")
    none = on_map.filter(best_status__isnull=True).order_by("cluster__position", "title")
    not_addressed = on_map.filter(best_status=STATUS_RANK[Coverage.Status.NOT_ADDRESSING]).order_by(
        "cluster__position", "title"
    )
    by_type_counts = dict(
        Gap.objects.filter(issue__state=Issue.State.ON_MAP)
        .order_by()
        .values_list("type")
        .annotate(n=Count("issue", distinct=True))
    )
    # The first issues of every type in one query: numbered within their type, the first
    # GAP_SAMPLE of each kept.
    samples: dict[str, list[Gap]] = defaultdict(list)
    for gap in (
        Gap.objects.filter(issue__state=Issue.State.ON_MAP)
        .select_related("issue__cluster")
        .annotate(
            number=Window(
                RowNumber(),
                partition_by=F("type"),
                order_by=[F("issue__cluster__position"), F("issue__title"), F("pk")],
            )
        )
        .filter(number__lte=GAP_SAMPLE)
        .order_by("type", "number")
    ):
        samples[gap.type].append(gap)
    by_type = [
        {
            "value": value,
            "label": label,
            "count": by_type_counts.get(value, 0),
            "sample": samples[value],
            "url": _list_url(gap=value),
        }
        for value, label in Gap.Type.choices
    ]
    # Both lists counted in one pass over the map's issues (each issue's best status computed
    # once, not once a list), at every scale alike.
    counts = on_map.order_by().aggregate(
        none=Count("pk", filter=Q(best_status__isnull=True)),
        not_addressed=Count(
            "pk", filter=Q(best_status=STATUS_RANK[Coverage.Status.NOT_ADDRESSING])
        ),
    )
    return {
        "none": list(none[:GAP_SAMPLE]),
        "none_count": counts["none"],
        "none_url": _list_url(summary=NO_MECHANISM),
        "not_addressed": list(not_addressed[:GAP_SAMPLE]),
        "not_addressed_count": counts["not_addressed"],
        "not_addressed_url": _list_url(summary=Coverage.Status.NOT_ADDRESSING),
        "by_type": by_type,
        "sample_size": GAP_SAMPLE,
        "mechanism_count": Mechanism.objects.count(),
    }
