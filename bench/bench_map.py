"""The issue map at the scale of DESIGN.md: 20,000 issues, 6,000 mechanisms, 200,000 coverage
rows. Exporting and importing the map workbook, and the public pages over it."""

import io

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from bench.common import Figure, peak_memory, timed
from issues.map_workbook import map_xlsx
from issues.models import Cluster, Issue
from issues.services.map_workbook import map_import_apply, map_import_plan
from mechanisms.models import Coverage, Gap, Mechanism

ISSUES, MECHANISMS, COVERAGE_PER_ISSUE = 20_000, 6_000, 10


def _build() -> None:
    clusters = [
        Cluster.objects.create(slug=f"cluster-{n}", name=f"Cluster {n}", position=n)
        for n in range(7)
    ]
    mechanisms = Mechanism.objects.bulk_create(
        (
            Mechanism(name=f"Mechanism {n}", acronym=f"M{n}", kind="other")
            for n in range(MECHANISMS)
        ),
        batch_size=5000,
    )
    issues = Issue.objects.bulk_create(
        (
            Issue(
                title=f"Issue {n} on cross-border data and security",
                description="Transboundary data flows raise questions of jurisdiction. " * 3,
                cluster=clusters[n % 7],
                state="on_map",
                needs_agreement=False,
            )
            for n in range(ISSUES)
        ),
        batch_size=5000,
    )
    statuses = ["addressing", "partly", "not_addressing", "unknown"]
    Coverage.objects.bulk_create(
        (
            Coverage(
                issue=issue,
                mechanism=mechanisms[(n * 13 + k * 601) % MECHANISMS],
                status=statuses[(n + k) % 4],
                evidence=f"Resolution {n}/{k} of the governing body.",
            )
            for n, issue in enumerate(issues)
            for k in range(COVERAGE_PER_ISSUE)
        ),
        batch_size=5000,
    )
    Gap.objects.bulk_create(
        (Gap(issue=issue, type="policy", description="No forum.") for issue in issues[::3]),
        batch_size=5000,
    )


def _page(client: Client, url: str) -> tuple[float, int]:
    def get():
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, url

    with CaptureQueriesContext(connection) as queries:
        get()
    seconds, _ = timed(get, repeat=3)
    reset_queries()
    return seconds, len(queries)


def run() -> list[Figure]:
    built, _ = timed(_build)
    figures = [Figure("building the map (bulk)", built, "s", note=f"{ISSUES:,} issues")]
    export_seconds, content = timed(map_xlsx)
    export_memory, _ = peak_memory(map_xlsx)
    figures += [
        Figure("export map.xlsx", export_seconds, "s", 60, f"{len(content) / 2**20:.1f} MiB"),
        Figure("peak memory of the export", export_memory, "MiB", 500),
    ]
    plan_seconds, plan = timed(lambda: map_import_plan([("map.xlsx", content)]))
    plan_memory, _ = peak_memory(lambda: map_import_plan([("map.xlsx", content)]))
    assert plan.ok and not plan.changed, plan.errors[:3]
    figures += [
        Figure("plan an unchanged import (preview)", plan_seconds, "s", 60),
        Figure("peak memory of planning", plan_memory, "MiB", 1500),
    ]
    # An edit of 1 % of the coverage statuses, as a coordinator's afternoon of work.
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Coverage"]
    edited = 0
    for row in sheet.iter_rows(min_row=2, max_row=2 + ISSUES * COVERAGE_PER_ISSUE // 100):
        row[2].value = "Addressing" if row[2].value != "Addressing" else "Partly addressing"
        edited += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    edited_plan = map_import_plan([("map.xlsx", buffer.getvalue())])
    apply_seconds, _ = timed(lambda: map_import_apply(edited_plan))
    figures.append(
        Figure("apply an edit of 1 % of coverage", apply_seconds, "s", 60, f"{edited:,} rows")
    )
    client = Client()
    issue = Issue.objects.order_by("pk")[ISSUES // 2]
    mechanism = Mechanism.objects.order_by("pk")[MECHANISMS // 2]
    for label, url, target in [
        ("issue list", "/issues/", 0.5),
        ("issue list, filtered", "/issues/?cluster=cluster-3&summary=partly&gap=policy", 0.5),
        ("issue list, searched", "/issues/?q=jurisdiction+security", 1.0),
        ("issue page", f"/issues/{issue.pk}/", 0.3),
        ("matrix with a cluster grid", "/issues/matrix/?cluster=cluster-2", 1.0),
        ("gaps", "/issues/gaps/", 1.0),
        ("mechanisms", "/mechanisms/", 1.0),
        ("mechanism page", f"/mechanisms/{mechanism.pk}/", 0.5),
        ("download of the list (CSV)", "/issues/download.csv", 10.0),
        ("open data: coverage.json", "/data/coverage.json", 20.0),
    ]:
        seconds, queries = _page(client, url)
        figures.append(Figure(label, seconds * 1000, "ms", target * 1000, f"{queries} queries"))
    return figures
