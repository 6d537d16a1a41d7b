"""Exporting the map workbook: the rows of each sheet from the database, the XLSX workbook, and
one CSV file per table."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils import timezone

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
from mechanisms.map_workbook.staleness import about_sheet
from mechanisms.models import Coverage, Gap, Mechanism
from wgec.documents.history import rows_as_of
from wgec.documents.spreadsheets import csv_bytes, xlsx_bytes
from wgec.languages import english, labels


def _by_type(gaps: list[tuple[str, str, str]], index: int) -> str:
    return "\n".join(f"{gap_type_name(gap[0])}: {gap[index]}".rstrip() for gap in gaps)


def issue_rows(moment: datetime.datetime | None = None) -> Iterator[list[Any]]:
    """Rows of the Issues sheet: every issue, as it stood at ``moment`` (None: now), by ID."""
    gaps: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    order = {value: index for index, value in enumerate(Gap.Type.values)}
    for issue_id, gap_type, description, recommendation in (
        rows_as_of(Gap, moment)
        .values_list("issue_id", "type", "description", "recommendation")
        .iterator(chunk_size=5000)
    ):
        gaps[issue_id].append((gap_type, description, recommendation))
    clusters = dict(rows_as_of(Cluster, moment).values_list("id", "name"))
    states = labels(Issue.State)
    consensus = labels(Issue.Consensus)
    issues = (
        rows_as_of(Issue, moment)
        .order_by("id")
        .values_list(
            "id", "title", "cluster_id", "description", "state", "merged_into_id", "consensus"
        )
    )
    for pk, title, cluster_id, description, state, merged_into_id, agreement in issues.iterator(
        chunk_size=2000
    ):
        issue_gaps = sorted(gaps.get(pk, []), key=lambda gap: order[gap[0]])
        yield [
            pk,
            title,
            clusters.get(cluster_id, ""),
            description,
            states[state],
            merged_into_id or "",
            consensus[agreement],
            "; ".join(gap_type_name(gap[0]) for gap in issue_gaps),
            _by_type(issue_gaps, 1),
            _by_type(issue_gaps, 2),
        ]


def mechanism_rows(moment: datetime.datetime | None = None) -> Iterator[list[Any]]:
    kinds = labels(Mechanism.Kind)
    for pk, name, acronym, kind, website in (
        rows_as_of(Mechanism, moment)
        .order_by("id")
        .values_list("id", "name", "acronym", "kind", "website")
        .iterator(chunk_size=5000)
    ):
        yield [pk, name, acronym, kinds[kind], website]


def coverage_rows(moment: datetime.datetime | None = None) -> Iterator[list[Any]]:
    statuses = labels(Coverage.Status)
    for issue_id, mechanism_id, status, evidence in (
        rows_as_of(Coverage, moment)
        .order_by("issue_id", "mechanism_id")
        .values_list("issue_id", "mechanism_id", "status", "evidence")
        .iterator(chunk_size=5000)
    ):
        yield [issue_id, mechanism_id, statuses[status], evidence]


def map_sheets(
    moment: datetime.datetime | None = None,
) -> list[tuple[str, list[str], Iterator[list[Any]]]]:
    """The whole map as (sheet name, columns, rows): every issue, mechanism and coverage row,
    as it stood at ``moment`` (None: as it stands now)."""
    return [
        (ISSUES, ISSUE_COLUMNS, issue_rows(moment)),
        (MECHANISMS, MECHANISM_COLUMNS, mechanism_rows(moment)),
        (COVERAGE, COVERAGE_COLUMNS, coverage_rows(moment)),
    ]


@english
def map_xlsx() -> bytes:
    """The map workbook as it stands, stamped with the moment of the export (the About sheet),
    so that importing it refuses rows changed in the map since."""
    stamp = about_sheet(timezone.now())
    return xlsx_bytes([*map_sheets(), stamp], hidden=[stamp[0]])


@english
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
