"""The issue map at the scale of DESIGN.md: 20,000 issues, 6,000 mechanisms, 200,000 coverage
rows. Exporting and importing the map workbook, and the public pages over it."""

import io

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from bench.common import Figure, peak_memory, timed
from issues.models import Issue
from mechanisms.map_workbook.export import map_xlsx
from mechanisms.map_workbook.imports import map_import_apply, map_import_plan
from mechanisms.models import Mechanism
from tests.scale import large_map

# n % 21 mechanisms for issue n: 10 on average, 200,000 coverage rows in all.
ISSUES, MECHANISMS, COVERAGE_PER_ISSUE = 20_000, 6_000, 20


def _build() -> None:
    large_map(issues=ISSUES, mechanisms=MECHANISMS, coverage_per_issue=COVERAGE_PER_ISSUE)


def _page(client: Client, url: str) -> tuple[float, int]:
    def get():
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, url

    reset_queries()  # the log holds at most 9,000 queries: a full one counts nothing
    with CaptureQueriesContext(connection) as queries:
        get()
    # Counted now: the captured queries are read from the log lazily, and the next request
    # empties it.
    count = len(queries)
    seconds, _ = timed(get, repeat=3)
    return seconds, count


def run() -> list[Figure]:
    built, _ = timed(_build)
    figures = [Figure("building the map (bulk)", built, "s", note=f"{ISSUES:,} issues")]
    export_seconds, content = timed(map_xlsx)
    export_memory, _ = peak_memory(map_xlsx)
    figures += [
        # A document of the map at 100x: issue 13's goal for the final document in any format.
        Figure("export map.xlsx", export_seconds, "s", 60, f"{len(content) / 2**20:.1f} MiB"),
        Figure("peak memory of the export", export_memory, "MiB", 1024),
    ]
    plan_seconds, plan = timed(lambda: map_import_plan([("map.xlsx", content)]))
    plan_memory, _ = peak_memory(lambda: map_import_plan([("map.xlsx", content)]))
    assert plan.ok and not plan.changed, plan.errors[:3]
    figures += [
        # Issue 17, item 2: the preview of an unchanged 100x map within 10 s and 150 MiB.
        Figure("plan an unchanged import (preview)", plan_seconds, "s", 10),
        Figure("peak memory of planning", plan_memory, "MiB", 150),
    ]
    # An edit of 1 % of the coverage statuses, as a coordinator's afternoon of work.
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Coverage"]
    edited = 0
    for row in sheet.iter_rows(min_row=2, max_row=2 + sheet.max_row // 100):
        row[2].value = "Addressing" if row[2].value != "Addressing" else "Partly addressing"
        edited += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    edited_plan = map_import_plan([("map.xlsx", buffer.getvalue())])
    apply_seconds, _ = timed(lambda: map_import_apply(edited_plan))
    figures.append(
        Figure("apply an edit of 1 % of coverage", apply_seconds, "s", note=f"{edited:,} rows")
    )
    client = Client()
    issue = Issue.objects.order_by("pk")[ISSUES // 2]
    mechanism = Mechanism.objects.order_by("pk")[MECHANISMS // 2]
    # The pages' goal is relative to their floors (issue 17, item 1): bench_floors measures it.
    # Here they are timed at this benchmark's scale, with no target of their own.
    for label, url in [
        ("issue list", "/issues/"),
        ("issue list, filtered", "/issues/?cluster=c3&summary=partly&gap=policy"),
        ("issue list, searched (1 issue in 50 matches)", "/issues/?q=jurisdiction"),
        ("issue page", f"/issues/{issue.pk}/"),
        ("matrix with a cluster grid", "/issues/matrix/?cluster=c2"),
        ("gaps", "/issues/gaps/"),
        ("mechanisms", "/mechanisms/"),
        ("mechanism page", f"/mechanisms/{mechanism.pk}/"),
        ("download of the list (CSV)", "/issues/download.csv"),
        ("open data: coverage.json", "/data/coverage.json"),
    ]:
        seconds, queries = _page(client, url)
        figures.append(
            Figure(
                label,
                seconds * 1000,
                "ms",
                note=f"{queries} quer{'y' if queries == 1 else 'ies'}",
            )
        )
    return figures
