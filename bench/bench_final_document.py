"""The final document in each format side by side (DOCX, PDF, XLSX, CSV), time and peak memory,
at 1x and 10x the 2013 exercise (200 and 2,000 issues with 10 coverage rows each). BENCH_SCALE
is the largest scale run: 1, 10 (the default) or 100 (20,000 issues, 200,000 coverage rows: the
chosen paths only, DOCX, PDF by Typst, XLSX and CSV; the other PDF paths take many minutes
there and their 10x figures say how they scale). BENCH_PATHS, comma-separated, runs only those
paths (docx, typst, weasyprint, libreoffice, xlsx, csv).

Each export runs in a process of its own (forked, so it reads the same database), and its peak
resident memory is what the kernel reports for that process (``ru_maxrss``): it counts what
Typst, Pango and lxml hold, which tracemalloc would miss. The PDF is measured three ways: Typst
(the path in use), WeasyPrint on the whole document (the path before), and LibreOffice
converting the DOCX (the time includes writing the DOCX; soffice's peak is its own process's),
stopped after LIBREOFFICE_LIMIT.
"""

import datetime
import os
import resource
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.db import connection
from django.utils import timezone

from bench.bench_as_of import COVERAGE_PER_ISSUE, _build
from bench.common import Figure, forked
from reports.final import document_issue, final_document_build
from reports.formats import final_document_bytes, final_document_pdf_weasyprint
from reports.models import Deliverable

# BENCH_SCALE is the largest scale run: 1, 10 (by default) or 100; BENCH_SCALES, comma-separated,
# runs those scales only (BENCH_SCALES=100: the 100x figures alone).
SCALES = [
    (factor, issues)
    for factor, issues in ((1, 200), (10, 2_000), (100, 20_000))
    if (
        str(factor) in os.environ["BENCH_SCALES"].split(",")
        if os.environ.get("BENCH_SCALES")
        else factor <= int(os.environ.get("BENCH_SCALE", 10))
    )
]
# The issue's goal, at 100x: each format under 60 s and 1 GiB, the PDF within twice the DOCX.
SECONDS = 60
MEBIBYTES = 1024


def _in_child(work):
    """Run ``work`` in a forked process: (seconds, peak resident MiB of that process or of the
    largest process it forked, CPU seconds of them all, result)."""

    def measured() -> list:
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
        usages = [
            resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        ]
        # The export's own process, or the largest of those it forked (Typst's parts).
        peak = max(usage.ru_maxrss / 1024 for usage in usages)
        cpu = sum(usage.ru_utime + usage.ru_stime for usage in usages)
        return [seconds, peak, cpu, result]

    seconds, peak, cpu, result = forked(measured)
    return seconds, peak, cpu, result


def _export(final: Deliverable, path: str) -> int:
    if path == "weasyprint":
        doc = final_document_build(issue=document_issue(final, now=timezone.now()))
        return len(final_document_pdf_weasyprint(doc))
    format = "pdf" if path == "typst" else path
    return len(final_document_bytes(issue=document_issue(final, now=timezone.now()), format=format))


LABELS = {
    "docx": "DOCX",
    "typst": "PDF (Typst)",
    "weasyprint": "PDF (WeasyPrint, whole document)",
    "xlsx": "XLSX",
    "csv": "CSV",
}
# The paths chosen, run at every scale; the others at 1x and 10x only.
CHOSEN = ("docx", "typst", "xlsx", "csv")
ALL = ("docx", "typst", "weasyprint", "xlsx", "csv", "libreoffice")
SELECTED = [
    path for path in os.environ.get("BENCH_PATHS", ",".join(ALL)).split(",") if path.strip()
]


# LibreOffice is stopped after this long, and the figure says it did not finish.
LIBREOFFICE_LIMIT = 600


def _libreoffice(final: Deliverable) -> tuple[int, float]:
    """The DOCX converted to PDF by LibreOffice: the PDF's size (-1 when stopped before it
    finished) and soffice's peak MiB."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "final.docx"
        source.write_bytes(
            final_document_bytes(issue=document_issue(final, now=timezone.now()), format="docx")
        )
        # A session of its own, so that the whole of LibreOffice (soffice starts soffice.bin)
        # can be stopped at the limit.
        process = subprocess.Popen(  # noqa: S603 - a fixed program, a file of our own
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],  # noqa: S607
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "HOME": folder},
            start_new_session=True,
        )
        try:
            process.wait(timeout=LIBREOFFICE_LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # No PDF when stopped at the limit (or by hand).
        output = Path(folder) / "final.pdf"
        size = output.stat().st_size if output.exists() else -1
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return size, peak


def run() -> Iterator[Figure]:
    """The figures one by one, as each is measured (bench/run.py prints them as they come)."""
    final = Deliverable.objects.create(
        slug="final-document",
        kind=Deliverable.Kind.FINAL_DOCUMENT,
        title="Final document",
        due_date=datetime.date(2014, 2, 12),
    )
    for factor, issues in SCALES:
        _build(issues)
        docx_seconds = 0.0
        connection.close()  # each child opens its own connection (closed with the child)
        scale = f"{factor}x: {issues:,} issues, {issues * COVERAGE_PER_ISSUE:,} coverage rows"
        target_s = SECONDS if factor == 100 else None
        target_m = MEBIBYTES if factor == 100 else None
        paths = [path for path in SELECTED if factor < 100 or path in CHOSEN]
        for path in paths:
            if path == "libreoffice":
                continue
            label = LABELS[path]
            seconds, peak, cpu, size = _in_child(lambda p=path: _export(final, p))
            note = f"{scale}; {size / 2**20:,.1f} MiB; {cpu:,.1f} s of CPU"
            if path in ("typst", "weasyprint") and docx_seconds:
                note += f"; {seconds / docx_seconds:,.1f} times the DOCX"
            yield Figure(f"{label} ({factor}x)", seconds, "s", target_s, note)
            yield Figure(f"{label}, peak memory ({factor}x)", peak, "MiB", target_m, scale)
            if path == "docx":
                docx_seconds = seconds
        if "libreoffice" not in paths:
            continue
        seconds, peak, _, (size, soffice_peak) = _in_child(lambda: _libreoffice(final))
        done = (
            f"{size / 2**20:,.1f} MiB; {seconds / docx_seconds:,.1f} times the DOCX"
            if size >= 0 and docx_seconds
            else ("stopped unfinished" if size < 0 else f"{size / 2**20:,.1f} MiB")
        )
        yield Figure(
            f"PDF (LibreOffice converting the DOCX) ({factor}x)",
            seconds,
            "s",
            target_s,
            f"{scale}; {done}",
        )
        yield Figure(
            f"PDF (LibreOffice converting the DOCX), peak memory of soffice ({factor}x)",
            soffice_peak,
            "MiB",
            target_m,
            f"{scale}; the Python process {peak:,.0f} MiB",
        )
