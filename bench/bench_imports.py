"""The imports against the library they are measured by: a plain django-import-export ModelResource.

Issue 17, item 2: the responses import and the map import in database records written per
second (reading the file, the preview's checks and the change history included), each beside a
``ModelResource`` with default options (a row read, looked up, saved and its history written by
django-simple-history's signal, one row at a time) importing the same number of rows of the
same content into the comparable model, in the same run; and the preview of an unchanged map at
100x. Every import, ours and the library's alike, runs in a freshly started process of its own
(multiprocessing's "spawn": Django set up, the benchmark's modules imported, the database
connected to and the file's bytes read from a temporary file, all before the measure starts):
its time, and its memory as the growth of that process's resident set (the kernel's peak,
reset when the work starts: it counts what the readers hold outside Python, calamine's and
lxml's, which tracemalloc does not see). A forked child would reuse the memory its parent had
freed, and its figure would depend on what the parent did before (measured: 116 to 179 MiB for
the same responses import). On PostgreSQL the process uses the test database the benchmark
built, and what it wrote is removed afterwards; on SQLite, whose test database is held in the
benchmark's memory, a file copy of it (what the process writes stays in the copy).

    BENCH_RESPONDENTS  respondents of the responses file (7,000: 100x the 2013 exercise)
    BENCH_NEW_ISSUES   new issues of the map file, and the rows of the library's (2,000)
    BENCH_MAP_ISSUES   issues of the unchanged map previewed (20,000: 100x)
"""

import datetime
import io
import os
from collections.abc import Callable

import tablib
from django.db import connection
from import_export import resources
from openpyxl import load_workbook

from bench.common import Figure, peak_memory, started
from issues.models import Answer, Issue, IssueSource, Question, Respondent
from issues.responses.plan import RESPONDENT_COLUMNS
from issues.services.responses import responses_import_file
from mechanisms.map_workbook.columns import ISSUE_COLUMNS, ISSUES
from mechanisms.map_workbook.export import map_xlsx
from mechanisms.map_workbook.imports import map_import_apply, map_import_plan
from project.demo import demo_load
from tests.scale import large_map
from wgec.documents.spreadsheets import xlsx_bytes
from wgec.models import StakeholderGroup

RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", 7_000))
NEW_ISSUES = int(os.environ.get("BENCH_NEW_ISSUES", 2_000))
MAP_ISSUES = int(os.environ.get("BENCH_MAP_ISSUES", 20_000))
# Issue 17: at least 5 times the library's records a second, at most twice its memory; the
# preview of the unchanged 100x map within 10 s and 150 MiB.
TIMES_FASTER, TIMES_MEMORY = 5, 2
PREVIEW_SECONDS, PREVIEW_MIB = 10, 150

COUNTRIES = ["BR", "IN", "SA", "RU", "CN", "US", "GB", "KE", "ZA", "MX", "FR", "CH", "JP", ""]


class RespondentResource(resources.ModelResource):
    class Meta:
        model = Respondent


class IssueResource(resources.ModelResource):
    class Meta:
        model = Issue


def _measured(work: Callable[[bytes], int], data: bytes) -> tuple[float, float, int, float]:
    """``work(data)`` (which returns the records it wrote) in a freshly started process of its
    own: its seconds, the growth of its resident memory in MiB, the records, and its CPU
    seconds."""
    return started(work, data)


def _records(*models) -> int:
    return sum(model.objects.count() + model.history.count() for model in models)


# The responses -------------------------------------------------------------------------------


def _responses() -> tuple[list[str], list[list], list[str], list[list]]:
    """The responses file (ours) and the same rows under the model's field names (the
    library's: the answers' columns read with the rest, no field of the model to go to)."""
    codes = list(Question.objects.values_list("code", flat=True))
    groups = list(StakeholderGroup.objects.values_list("pk", "name"))
    start = datetime.datetime(2013, 9, 1, 8, 0)  # noqa: DTZ001 - a spreadsheet's local time
    ours, theirs = [], []
    for n in range(RESPONDENTS):
        group_id, group = groups[n % len(groups)]
        answers = [
            f"Answer of respondent {n} to {code}: broadband connectivity, local content, the "
            "protection of children online and transboundary data flows. " * 3
            for code in codes
        ]
        submitted = start + datetime.timedelta(minutes=n)
        name, organisation, country = f"Respondent {n:05d}", f"Organisation {n % 331}", ""
        country = COUNTRIES[n % len(COUNTRIES)]
        consent = "Yes" if n % 2 else "No"
        ours.append(["", submitted, name, organisation, country, group, consent, *answers])
        theirs.append(
            ["", submitted, name, organisation, country, group_id, n % 2, "en", 0, *answers]
        )
    their_headers = ["id", "submitted_at", "name", "organisation", "country"]
    their_headers += ["stakeholder_group", "consent_to_cite", "language", "illustrative", *codes]
    return [*RESPONDENT_COLUMNS, *codes], ours, their_headers, theirs


def _clear_responses() -> None:
    for model in (Answer, Respondent):
        model.history.all()._raw_delete(model.objects.db)
    Answer.objects.all()._raw_delete(Answer.objects.db)
    Respondent.objects.all()._raw_delete(Respondent.objects.db)


def _import_responses(data: bytes) -> int:
    plan = responses_import_file(data=data, filename="responses.xlsx")
    assert plan.written and not plan.errors, plan.errors[:3]
    return _records(Respondent, Answer)


def _library_import(resource, data: bytes, model) -> int:
    dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
    result = resource.import_data(dataset, raise_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    return _records(model)


def _library_responses(data: bytes) -> int:
    return _library_import(RespondentResource(), data, Respondent)


def _library_issues(data: bytes) -> int:
    return _library_import(IssueResource(), data, Issue)


# The map -------------------------------------------------------------------------------------


def _new_issue_rows(count: int) -> tuple[list[list], list[list]]:
    """``count`` new issues, as rows of the map workbook's Issues sheet (no ID) and as the
    library's rows (the model's fields)."""
    ours, theirs = [], []
    clusters = list(Issue.objects.values_list("cluster_id", "cluster__name").distinct())
    for n in range(count):
        cluster_id, cluster = clusters[n % len(clusters)]
        title = f"New issue {n} on the governance of data"
        description = f"A new issue, number {n}, on the flows of data across borders. " * 2
        ours.append(["", title, cluster, description, "Proposed", "", "", "", "", ""])
        theirs.append(["", title, cluster_id, description, "proposed"])
    return ours, theirs


def _import_map(data: bytes) -> int:
    plan = map_import_plan([("map.xlsx", data)])
    assert plan.ok and plan.changed, plan.errors[:3]
    map_import_apply(plan)
    return _records(Issue)


def _preview(data: bytes) -> int:
    plan = map_import_plan([("map.xlsx", data)])
    assert plan.ok and not plan.changed, plan.errors[:3]
    return 0


def _side_by_side(name: str, ours: tuple, theirs: tuple, rows: int) -> list[Figure]:
    our_seconds, our_mib, our_records, our_cpu = ours
    their_seconds, their_mib, their_records, their_cpu = theirs
    our_rate, their_rate = our_records / our_seconds, their_records / their_seconds
    return [
        Figure(
            f"{name}: ours, records written a second",
            our_rate,
            "/s",
            note=f"{rows:,} rows, {our_records:,} records (history included) in "
            f"{our_seconds:,.1f} s, {our_cpu:,.1f} s of CPU; memory {our_mib:,.0f} MiB",
        ),
        Figure(
            f"{name}: a default ModelResource, records written a second",
            their_rate,
            "/s",
            note=f"{rows:,} rows, {their_records:,} records (history included) in "
            f"{their_seconds:,.1f} s, {their_cpu:,.1f} s of CPU; memory {their_mib:,.0f} MiB",
        ),
        Figure(
            f"{name}: the library's records a second for one of ours (at most 1/5)",
            their_rate / our_rate,
            "times",
            1 / TIMES_FASTER,
        ),
        Figure(
            f"{name}: our memory against the library's (at most 2)",
            our_mib / max(their_mib, 1),
            "times",
            TIMES_MEMORY,
        ),
    ]


def run() -> list[Figure]:
    load = []
    demo_load()  # the questionnaire, the stakeholder groups, a map; its responses removed:
    IssueSource.objects.all().delete()
    Respondent.objects.all().delete()
    _clear_responses()
    headers, rows, their_headers, their_rows = _responses()
    ours = xlsx_bytes([("Responses", headers, rows)])
    theirs = xlsx_bytes([("Responses", their_headers, their_rows)])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    load.append(os.getloadavg()[0])
    our_responses = _measured(_import_responses, ours)
    _clear_responses()
    their_responses = _measured(_library_responses, theirs)
    _clear_responses()
    figures = _side_by_side("responses", our_responses, their_responses, RESPONDENTS)

    # The map: new issues on a map of MAP_ISSUES, then the preview of that map unchanged.
    large_map(issues=MAP_ISSUES, mechanisms=MAP_ISSUES * 3 // 10, coverage_per_issue=20)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    unchanged = map_xlsx()
    our_rows, their_rows = _new_issue_rows(NEW_ISSUES)
    new_issues = xlsx_bytes([(ISSUES, ISSUE_COLUMNS, our_rows)])
    their_file = xlsx_bytes(
        [("Issues", ["id", "title", "cluster", "description", "state"], their_rows)]
    )
    existing = _records(Issue)
    load.append(os.getloadavg()[0])
    seconds, mib, records, cpu = _measured(_import_map, new_issues)
    our_map = (seconds, mib, records - existing, cpu)
    _clear_new_issues()
    seconds, mib, records, cpu = _measured(_library_issues, their_file)
    their_map = (seconds, mib, records - existing, cpu)
    _clear_new_issues()
    figures += _side_by_side("map, new issues", our_map, their_map, NEW_ISSUES)

    load.append(os.getloadavg()[0])
    preview_seconds, preview_mib, _, preview_cpu = _measured(_preview, unchanged)
    python_mib, _ = peak_memory(lambda: _preview(unchanged))
    sheet = load_workbook(io.BytesIO(unchanged), read_only=True)["Coverage"]
    coverage = sum(1 for _ in sheet.iter_rows(min_row=2, values_only=True))
    load.append(os.getloadavg()[0])
    scale = f"{MAP_ISSUES:,} issues, {coverage:,} coverage rows"
    loads = f"load average {min(load):.1f} to {max(load):.1f}"
    figures += [
        Figure(
            "preview of the unchanged map workbook",
            preview_seconds,
            "s",
            PREVIEW_SECONDS if MAP_ISSUES >= 20_000 else None,
            f"{scale}; {preview_cpu:,.1f} s of CPU; {loads}",
        ),
        Figure(
            "memory of that preview (its process's growth)",
            preview_mib,
            "MiB",
            PREVIEW_MIB if MAP_ISSUES >= 20_000 else None,
            f"Python's own peak (tracemalloc) {python_mib:,.0f} MiB",
        ),
    ]
    return figures


def _clear_new_issues() -> None:
    if connection.vendor != "postgresql":
        return
    new = Issue.objects.filter(title__startswith="New issue ")
    Issue.history.filter(title__startswith="New issue ")._raw_delete(Issue.objects.db)
    new._raw_delete(Issue.objects.db)
