"""Importing 7,000 respondents with 18 answers each, and the response pages at that size.

From XLSX and CSV files, then the pages and compilations over the result (DESIGN.md: 100 times
the 2013 exercise)."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from bench.common import Figure, peak_memory, timed
from issues.exports import compilation_bytes
from issues.models import Answer, Cosigner, IssueSource, Question, Respondent
from issues.responses.plan import RESPONDENT_COLUMNS
from issues.services.responses import responses_import_file
from project.demo import demo_load
from wgec.documents.spreadsheets import csv_bytes, xlsx_bytes

SIZE = 7_000
COUNTRIES = ["Brazil", "IN", "Saudi Arabia", "Russia", "CHN", "USA", "UK", "Kenya", "ZA",
             "México", "France", "CH", "Japan", "Nigeria", "Côte d'Ivoire", ""]  # fmt: skip
GROUPS = ["Government", "Business", "Civil Society", "Academia", "IGO"]


def _table() -> tuple[list[str], list[list]]:
    codes = list(Question.objects.values_list("code", flat=True))
    start = datetime.datetime(2013, 9, 1, 8, 0)  # noqa: DTZ001 - a spreadsheet's local time
    rows = [
        [
            "",
            start + datetime.timedelta(minutes=n),
            f"Respondent {n:05d}",
            f"Organisation {n % 331}",
            COUNTRIES[n % len(COUNTRIES)],
            GROUPS[n % len(GROUPS)],
            "Yes" if n % 2 else "No",
            *(
                f"Answer of respondent {n} to {code}: broadband connectivity, local content, "
                "the protection of children online and transboundary data flows. " * 3
                for code in codes
            ),
        ]
        for n in range(SIZE)
    ]
    return [*RESPONDENT_COLUMNS, *codes], rows


def _clear() -> None:
    IssueSource.objects.filter(answer__respondent__name__startswith="Respondent ").delete()
    for model in (Answer, Respondent):
        model.history.all()._raw_delete(model.objects.db)
    Answer.objects.filter(respondent__name__startswith="Respondent ")._raw_delete(Answer.objects.db)
    # A joint submission's co-signers (the demo has some) go with their respondent.
    Cosigner.objects.filter(respondent__name__startswith="Respondent ").delete()
    Respondent.objects.filter(name__startswith="Respondent ")._raw_delete(Respondent.objects.db)


def run() -> list[Figure]:
    demo_load()
    headers, rows = _table()
    xlsx = xlsx_bytes([("Responses", headers, rows)])
    csv = csv_bytes(headers, rows)
    answers = SIZE * (len(headers) - len(RESPONDENT_COLUMNS))
    note = f"{SIZE:,} respondents, {answers:,} answers"

    xlsx_time, plan = timed(lambda: responses_import_file(data=xlsx, filename="r.xlsx"))
    assert not plan.errors and plan.counts["create"] == SIZE, plan.errors[:3]
    again_time, plan = timed(lambda: responses_import_file(data=xlsx, filename="r.xlsx"))
    assert plan.counts["unchanged"] == SIZE
    memory, _ = peak_memory(
        lambda: responses_import_file(data=xlsx, filename="r.xlsx", dry_run=True)
    )

    client = Client()

    def page(url: str):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    page_time, _ = timed(lambda: page("/questions/Q4/"), repeat=5)
    connection.queries_log.clear()  # a full log (it keeps 9,000 entries) would capture none
    with CaptureQueriesContext(connection) as queries:
        page("/questions/Q4/")
    query_count = len(queries)
    respondents_time, _ = timed(lambda: page("/respondents/?region=weog"), repeat=5)
    stats_time, _ = timed(lambda: page("/responses/statistics/"), repeat=3)
    # What the background task does for the largest compilations.
    export_xlsx, _ = timed(lambda: compilation_bytes(kind="question", fmt="xlsx", query=""))
    export_docx, _ = timed(lambda: compilation_bytes(kind="question", fmt="docx", query=""))

    _clear()
    # The CSV of 7,000 rows of long answers is just over the default 50 MB a file may have
    # (the XLSX of the same rows, compressed, is well under): the limit is raised for it here.
    with override_settings(IMPORT_MAX_MB=64):
        csv_time, plan = timed(lambda: responses_import_file(data=csv, filename="r.csv"))
    assert not plan.errors and plan.counts["create"] == SIZE, plan.errors[:3]
    _clear()
    # No targets here: the imports' goal is relative to django-import-export (issue 17, item 2:
    # bench_imports), the pages' to their floors (bench_floors).
    return [
        Figure(
            "import XLSX, all new", xlsx_time, "s", note=f"{note}; {SIZE / xlsx_time:,.0f} rows/s"
        ),
        Figure("import CSV, all new", csv_time, "s", note=f"{note}; {SIZE / csv_time:,.0f} rows/s"),
        Figure(
            "import the same XLSX again (nothing changes)",
            again_time,
            "s",
            note=f"{SIZE / again_time:,.0f} rows/s",
        ),
        Figure(
            "peak memory of a dry run (XLSX)", memory, "MiB", note=f"file {len(xlsx) >> 20} MiB"
        ),
        Figure(
            "question page at 7,000 respondents",
            page_time * 1000,
            "ms",
            note=f"{query_count} queries",
        ),  # fmt: skip
        Figure("respondent list (filtered) at 7,000", respondents_time * 1000, "ms"),
        Figure("statistics page at 7,000 respondents", stats_time * 1000, "ms"),
        Figure("compilation by question, XLSX (task)", export_xlsx, "s", note="63,000 answers"),
        Figure("compilation by question, DOCX (task)", export_docx, "s", note="63,000 answers"),
    ]
