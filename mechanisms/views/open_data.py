"""Open data: the issues, mechanisms and coverage of the map as JSON and CSV at stable URLs.

IDs are the records' permanent IDs (the same as in the map workbook and the page URLs);
enumerations are given by their stored values (``on_map``, ``partly``), which do not change
when a label is reworded. A table is written whole to a spooled file (memory, then disk)
before anything is sent, so that a failure midway is answered 503 and a table is never served
truncated under a 200.
"""

import io
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from issues.models import Issue
from mechanisms.models import Coverage, Mechanism, gap_types_of_text, mapped_issues
from mechanisms.page_cache import Audience, page_part_cached
from wgec.documents.spreadsheets import CSV_CONTENT_TYPE, csv_chunks
from wgec.languages import english
from wgec.links import link_maker

CHUNK = 2000
# Tables up to this size are assembled in memory, larger ones in a temporary file.
SPOOL_IN_MEMORY = 8 * 1024 * 1024

logger = logging.getLogger(__name__)


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
    # Plain rows (no model instances), the gap types aggregated in the query, and the links
    # built from one resolved URL: the table has a row per issue.
    issues = (
        _public_issues()
        .with_gap_text()
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "cluster__slug",
            "description",
            "state",
            "merged_into_id",
            "consensus",
            "gap_text",
        )
    )
    link = link_maker("issues:detail")

    def rows():
        for *row, gap_text in issues.iterator(chunk_size=CHUNK):
            yield [*row, gap_types_of_text(gap_text), base + link(row[0])]

    return columns, rows()


def _mechanisms(base: str) -> tuple[list[str], Iterator[list]]:
    columns = ["id", "name", "acronym", "kind", "website", "url"]
    link = link_maker("mechanisms:detail")

    def rows():
        for pk, name, acronym, kind, website in (
            Mechanism.objects.order_by("pk")
            .values_list("pk", "name", "acronym", "kind", "website")
            .iterator(chunk_size=CHUNK)
        ):
            yield [pk, name, acronym, kind, website, base + link(pk)]

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
@english
def table(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    if table not in TABLES or fmt not in ("json", "csv"):
        raise Http404("No such table.")
    base = request.build_absolute_uri("/").rstrip("/")

    def build():
        columns, rows = TABLES[table](base)
        if fmt == "csv":
            chunks = csv_chunks(columns, ([_csv(value) for value in row] for row in rows))
        else:
            chunks = (piece.encode("utf-8") for piece in _json(table, columns, rows))
        return _spooled(chunks)

    def small(built) -> bool:
        return isinstance(built, bytes)

    try:
        # Kept in the cache (the same for every visitor) when it fits; a larger table is
        # written again for each request, from the spooled file.
        built = page_part_cached(
            request,
            f"data-{table}.{fmt}",
            build,
            vary=(base,),
            audience=Audience.EVERYONE,
            keep=small,
        )
    except Exception:
        logger.exception("The open data table %s.%s could not be read.", table, fmt)
        return HttpResponse(
            f"The open data table {table}.{fmt} cannot be read just now, so nothing is served "
            "rather than part of it. Please try again in a minute.",
            status=503,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": "60", "Cache-Control": "no-store"},
        )
    response = FileResponse(
        io.BytesIO(built) if isinstance(built, bytes) else built,
        content_type=CSV_CONTENT_TYPE if fmt == "csv" else "application/json",
        as_attachment=False,
        filename=f"wgec-{table}.{fmt}",
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _spooled(chunks: Iterable[bytes]):
    """The whole of `chunks`: as bytes up to ``OPEN_DATA_CACHE_MAX_MB`` (what the page cache
    keeps), else in a file positioned at its start."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - served
    try:
        for chunk in chunks:
            spool.write(chunk)
        if spool.tell() <= settings.OPEN_DATA_CACHE_MAX_MB * 1024 * 1024:
            spool.seek(0)
            with spool:
                return spool.read()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool


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
