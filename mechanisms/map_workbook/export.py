"""Exporting the map workbook: the rows of each sheet from the database, the XLSX workbook, and
one CSV file per table."""

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from issues.models import Cluster, Issue
from mechanisms.map_workbook.columns import (
    COVERAGE,
    COVERAGE_COLUMNS,
    ISSUE_COLUMNS,
    ISSUES,
    MECHANISM_COLUMNS,
    MECHANISMS,
    gap_type_name,
)
from mechanisms.models import Coverage, Gap, Mechanism
from wgec.documents.spreadsheets import csv_bytes, xlsx_bytes


def _by_type(gaps: list[Gap], attribute: str) -> str:
    return "\n".join(
        f"{gap_type_name(gap.type)}: {getattr(gap, attribute)}".rstrip() for gap in gaps
    )


def issue_rows(issues) -> Iterator[list[Any]]:
    """Rows of the Issues sheet for a queryset of issues (ordered by ID)."""
    gaps: dict[int, list[Gap]] = defaultdict(list)
    order = {value: index for index, value in enumerate(Gap.Type.values)}
    for gap in Gap.objects.filter(issue__in=issues.values("pk")).only(
        "issue_id", "type", "description", "recommendation"
    ):
        gaps[gap.issue_id].append(gap)
    clusters = dict(Cluster.objects.values_list("pk", "name"))
    states = dict(Issue.State.choices)
    consensus = dict(Issue.Consensus.choices)
    for issue in issues.order_by("pk").iterator(chunk_size=2000):
        issue_gaps = sorted(gaps.get(issue.pk, []), key=lambda gap: order[gap.type])
        yield [
            issue.pk,
            issue.title,
            clusters.get(issue.cluster_id, ""),
            issue.description,
            states[issue.state],
            issue.merged_into_id or "",
            consensus[issue.consensus],
            "; ".join(gap_type_name(gap.type) for gap in issue_gaps),
            _by_type(issue_gaps, "description"),
            _by_type(issue_gaps, "recommendation"),
        ]


def mechanism_rows(mechanisms) -> Iterator[list[Any]]:
    kinds = dict(Mechanism.Kind.choices)
    for pk, name, acronym, kind, website in (
        mechanisms.order_by("pk")
        .values_list("pk", "name", "acronym", "kind", "website")
        .iterator(chunk_size=5000)
    ):
        yield [pk, name, acronym, kinds[kind], website]


def coverage_rows(coverage) -> Iterator[list[Any]]:
    statuses = dict(Coverage.Status.choices)
    for issue_id, mechanism_id, status, evidence in (
        coverage.order_by("issue_id", "mechanism_id")
        .values_list("issue_id", "mechanism_id", "status", "evidence")
        .iterator(chunk_size=5000)
    ):
        yield [issue_id, mechanism_id, statuses[status], evidence]


def map_sheets() -> list[tuple[str, list[str], Iterator[list[Any]]]]:
    """The whole map as (sheet name, columns, rows): every issue, mechanism and coverage row."""
    return [
        (ISSUES, ISSUE_COLUMNS, issue_rows(Issue.objects.all())),
        (MECHANISMS, MECHANISM_COLUMNS, mechanism_rows(Mechanism.objects.all())),
        (COVERAGE, COVERAGE_COLUMNS, coverage_rows(Coverage.objects.all())),
    ]


def map_xlsx() -> bytes:
    return xlsx_bytes(map_sheets())


def map_export_files(path: Path) -> list[Path]:
    """Write the map to ``path``: one XLSX workbook, or one CSV file per table beside it.

    A CSV path ``map.csv`` gives ``map-issues.csv``, ``map-mechanisms.csv`` and
    ``map-coverage.csv``. Returns the files written.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        path.write_bytes(map_xlsx())
        return [path]
    if suffix == ".csv":
        written = []
        for name, columns, rows in map_sheets():
            target = path.with_name(f"{path.stem}-{name.lower()}.csv")
            target.write_bytes(csv_bytes(columns, rows))
            written.append(target)
        return written
    raise ValueError(f"{path.name}: the map is exported as .xlsx or .csv.")
