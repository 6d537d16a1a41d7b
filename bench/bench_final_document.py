"""The final document in each format side by side (DOCX, PDF, XLSX, CSV), time and peak memory,
at 1x and 10x the 2013 exercise (200 and 2,000 issues with 10 coverage rows each). BENCH_SCALE
is the largest scale run: 1, 10 (the default) or 100 (20,000 issues: DOCX, XLSX and CSV only,
the PDF's paths take many minutes there; their 10x figures say how they scale).

Each export runs in a process of its own (forked, so it reads the same database), and its peak
resident memory is what the kernel reports for that process (``ru_maxrss``): it counts what
Pango and lxml hold, which tracemalloc would miss. The PDF is measured two ways: WeasyPrint on
the whole document (the path in use), and LibreOffice converting the DOCX (the time includes
writing the DOCX; soffice's peak is its own process's), stopped after LIBREOFFICE_LIMIT.
"""

import datetime
import json
import os
import resource
import signal
import subprocess
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

from django.db import connection

from bench.bench_as_of import COVERAGE_PER_ISSUE, _build
from bench.common import Figure
from reports.formats import final_document_bytes
from reports.models import Deliverable

# BENCH_SCALE is the largest scale run: 1, 10 (by default) or 100.
SCALES = [
    (factor, issues)
    for factor, issues in ((1, 200), (10, 2_000), (100, 20_000))
    if factor <= int(os.environ.get("BENCH_SCALE", 10))
]
# The issue's goal, at 100x: each format under 60 s and 1 GiB, the PDF within twice the DOCX.
SECONDS = 60
MEBIBYTES = 1024


def _in_child(work):
    """Run ``work`` in a forked process: (seconds, peak resident MiB of that process, result)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, report through the pipe, leave without clean-up
        try:
            start = time.perf_counter()
            result = work()
            seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            message = json.dumps(["ok", seconds, peak, result]).encode()
        except BaseException:  # noqa: BLE001 - the parent raises it
            message = json.dumps(["error", traceback.format_exc()]).encode()
        with os.fdopen(write, "wb") as pipe:
            pipe.write(message)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        message = json.loads(pipe.read())
    os.waitpid(pid, 0)
    if message[0] == "error":
        raise RuntimeError(f"the measured export failed:\n{message[1]}")
    return message[1:]


def _export(final: Deliverable, format: str) -> int:
    return len(final_document_bytes(deliverable=final, format=format))


# LibreOffice is stopped after this long, and the figure says it did not finish.
LIBREOFFICE_LIMIT = 600


def _libreoffice(final: Deliverable) -> tuple[int, float]:
    """The DOCX converted to PDF by LibreOffice: the PDF's size (-1 when stopped before it
    finished) and soffice's peak MiB."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "final.docx"
        source.write_bytes(final_document_bytes(deliverable=final, format="docx"))
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
        # The PDF's paths are not run at 100x: WeasyPrint's whole document takes 20 minutes and
        # about 20 GiB there (issue 13), LibreOffice's conversion as long (see the 10x ratios).
        formats = ("docx", "xlsx", "csv") if factor == 100 else ("docx", "pdf", "xlsx", "csv")
        for format in formats:
            label = "PDF (WeasyPrint, whole document)" if format == "pdf" else format.upper()
            seconds, peak, size = _in_child(lambda f=format: _export(final, f))
            note = f"{scale}; {size / 2**20:,.1f} MiB"
            if format == "pdf":
                note += f"; {seconds / docx_seconds:,.1f} times the DOCX"
            yield Figure(f"{label} ({factor}x)", seconds, "s", target_s, note)
            yield Figure(f"{label}, peak memory ({factor}x)", peak, "MiB", target_m, scale)
            if format == "docx":
                docx_seconds = seconds
        if factor == 100:
            continue
        seconds, peak, (size, soffice_peak) = _in_child(lambda: _libreoffice(final))
        done = (
            f"{size / 2**20:,.1f} MiB; {seconds / docx_seconds:,.1f} times the DOCX"
            if size >= 0
            else "stopped unfinished"
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
