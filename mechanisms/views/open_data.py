"""Open data: the issues, mechanisms and coverage of the map as JSON and CSV at stable URLs.

IDs are the records' permanent IDs (the same as in the map workbook and the page URLs);
enumerations are given by their stored values (``on_map``, ``partly``), which do not change
when a label is reworded. Tables are streamed, so that their size does not matter.
"""

import json
from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from issues.models import Issue
from mechanisms.models import Coverage, Mechanism, gap_types_in_text, mapped_issues
from wgec.documents.spreadsheets import CSV_CONTENT_TYPE, csv_chunks

CHUNK = 2000


def _public_issues():
    return mapped_issues().exclude(state=Issue.State.PROPOSED)


def _issues(base: str) -> tuple[list[str], Iterator[list]]:
    columns = [
        "id",
        "title",
        "cluster",
        "description",
        "state",
        "merged_into",
        "consensus",
        "gap_types",
        "url",
    ]
    issues = _public_issues().with_text_summaries().order_by("pk")

    def rows():
        for issue in issues.iterator(chunk_size=CHUNK):
            yield [
                issue.pk,
                issue.title,
                issue.cluster.slug if issue.cluster else None,
                issue.description,
                issue.state,
                issue.merged_into_id,
                issue.consensus,
                gap_types_in_text(issue),
                base + reverse("issues:detail", args=[issue.pk]),
            ]

    return columns, rows()


def _mechanisms(base: str) -> tuple[list[str], Iterator[list]]:
    columns = ["id", "name", "acronym", "kind", "website", "url"]

    def rows():
        for pk, name, acronym, kind, website in (
            Mechanism.objects.order_by("pk")
            .values_list("pk", "name", "acronym", "kind", "website")
            .iterator(chunk_size=CHUNK)
        ):
            yield [pk, name, acronym, kind, website, base + reverse("mechanisms:detail", args=[pk])]

    return columns, rows()


def _coverage(base: str) -> tuple[list[str], Iterator[list]]:
    columns = ["issue_id", "mechanism_id", "status", "evidence"]
    coverage = (
        Coverage.objects.exclude(issue__state=Issue.State.PROPOSED)
        .order_by("issue_id", "mechanism_id")
        .values_list("issue_id", "mechanism_id", "status", "evidence")
    )
    return columns, (list(row) for row in coverage.iterator(chunk_size=CHUNK))


TABLES = {"issues": _issues, "mechanisms": _mechanisms, "coverage": _coverage}


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "mechanisms/open_data.html", {"tables": list(TABLES)})


@require_safe
def table(request: HttpRequest, table: str, fmt: str) -> StreamingHttpResponse:
    if table not in TABLES or fmt not in ("json", "csv"):
        raise Http404("No such table.")
    base = request.build_absolute_uri("/").rstrip("/")
    columns, rows = TABLES[table](base)
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_chunks(columns, ([_csv(value) for value in row] for row in rows)),
            content_type=CSV_CONTENT_TYPE,
        )
    else:
        response = StreamingHttpResponse(
            _json(table, columns, rows), content_type="application/json"
        )
    response["Content-Disposition"] = f'inline; filename="wgec-{table}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _csv(value):
    return "; ".join(value) if isinstance(value, list) else value


def _json(table: str, columns: list[str], rows: Iterator[list]) -> Iterator[str]:
    head = {"table": table, "generated": timezone.now().isoformat(timespec="seconds")}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
    for index, row in enumerate(rows):
        yield (
            ("," if index else "")
            + "\n"
            + json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False)
        )
    yield "\n]}\n"
