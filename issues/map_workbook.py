"""The map workbook of DESIGN.md: sheets Issues, Mechanisms and Coverage.

This module knows the columns, how values are written (labels people read) and read (labels,
stored values or short forms, case-insensitively), and builds the sheets from the database.
The import that applies an edited workbook is ``issues.services.map_workbook``.

Gaps live in three columns of the Issues sheet: ``Gap types`` lists them (``Policy; Capacity``),
``Gaps`` and ``Recommendation`` hold one paragraph per gap, each starting with its type
(``Policy: No forum addresses ...``).
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import TextChoices

from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap, Mechanism
from wgec.documents.spreadsheets import csv_bytes, xlsx_bytes

ISSUES, MECHANISMS, COVERAGE = "Issues", "Mechanisms", "Coverage"

ISSUE_COLUMNS = [
    "Issue ID",
    "Title",
    "Cluster",
    "Description",
    "State",
    "Merged into",
    "Consensus",
    "Gap types",
    "Gaps",
    "Recommendation",
]
MECHANISM_COLUMNS = ["Mechanism ID", "Name", "Acronym", "Kind", "Website"]
COVERAGE_COLUMNS = ["Issue ID", "Mechanism ID", "Status", "Evidence"]

SHEET_COLUMNS = {ISSUES: ISSUE_COLUMNS, MECHANISMS: MECHANISM_COLUMNS, COVERAGE: COVERAGE_COLUMNS}

# The columns a sheet must have to be read (the others may be left out of a hand-made file).
REQUIRED_COLUMNS = {
    ISSUES: ["Issue ID", "Title"],
    MECHANISMS: ["Mechanism ID", "Name"],
    COVERAGE: ["Issue ID", "Mechanism ID", "Status"],
}


def gap_type_name(value: str) -> str:
    """The short name of a gap type as the workbook writes it: Policy, Knowledge ..."""
    return value.capitalize()


def choice_lookup(choices: type[TextChoices], *extra: tuple[str, str]) -> dict[str, str]:
    """Every way a choice may be written, folded, mapped to its stored value."""
    table: dict[str, str] = {}
    for value, label in choices.choices:
        for form in (value, label, value.replace("_", " ")):
            table[fold(form)] = value
    for form, value in extra:
        table[fold(form)] = value
    return table


def fold(text: Any) -> str:
    return " ".join(str(text or "").replace("_", " ").split()).casefold()


STATE_VALUES = choice_lookup(Issue.State, ("on map", Issue.State.ON_MAP))
CONSENSUS_VALUES = choice_lookup(
    Issue.Consensus,
    ("referred", Issue.Consensus.REFERRED),
    ("decided", Issue.Consensus.DECIDED),
)
KIND_VALUES = choice_lookup(Mechanism.Kind)
STATUS_VALUES = choice_lookup(
    Coverage.Status,
    ("partly", Coverage.Status.PARTLY),
    ("partial", Coverage.Status.PARTLY),
    ("not addressed", Coverage.Status.NOT_ADDRESSING),
    ("none", Coverage.Status.NOT_ADDRESSING),
)
GAP_TYPE_VALUES = choice_lookup(Gap.Type)

_GAP_PREFIX = re.compile(
    r"^\s*(" + "|".join(Gap.Type.values) + r")(?:\s+gap)?\s*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)


def split_by_gap_type(text: str) -> tuple[str, dict[str, str]]:
    """Split a Gaps or Recommendation cell into (text before any type, {type: text})."""
    parts = _GAP_PREFIX.split(text or "")
    lead = parts[0].strip()
    found: dict[str, str] = {}
    for index in range(1, len(parts), 2):
        found[parts[index].lower()] = parts[index + 1].strip()
    return lead, found


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
