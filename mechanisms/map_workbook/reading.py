"""Reading an edited map workbook: which table each sheet is, the cells as IDs, choices and texts,
the errors that name their sheet, row and column, and the plan of an import (what it would
create, update and remove), which writes nothing.

Texts compare without surrounding spaces and with either line ending, so that a round trip
through a spreadsheet program changes nothing.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices

from issues.models import Issue
from mechanisms.map_workbook.columns import COVERAGE, ISSUES, REQUIRED_COLUMNS, fold
from mechanisms.models import Coverage, Gap, Mechanism
from wgec.documents.spreadsheets import Row, Sheet, SpreadsheetError


def norm(text: Any) -> str:
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass
class RowChange:
    sheet: str
    row: int | None
    subject: str
    action: str  # "created", "updated", "deleted"
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    # The record an update or removal touches: ("issue" | "mechanism" | "coverage", its ID).
    record: tuple[str, int] | None = None


@dataclass
class MapImportPlan:
    sources: list[str]
    sheets: list[str] = field(default_factory=list)
    errors: list[SpreadsheetError] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    unchanged: Counter = field(default_factory=Counter)
    # What to write, in order.
    mechanisms_new: list[Mechanism] = field(default_factory=list)
    mechanisms_changed: dict[str, list[Mechanism]] = field(default_factory=dict)
    issues_new: list[tuple[Issue, list[Gap]]] = field(default_factory=list)
    issues_changed: dict[str, list[Issue]] = field(default_factory=dict)
    gaps_new: list[Gap] = field(default_factory=list)
    gaps_changed: list[Gap] = field(default_factory=list)
    gaps_deleted: list[int] = field(default_factory=list)
    coverage_new: list[Coverage] = field(default_factory=list)
    coverage_changed: list[Coverage] = field(default_factory=list)
    coverage_deleted: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, dict[str, int]]:
        counts = {
            sheet: {"created": 0, "updated": 0, "deleted": 0, "unchanged": self.unchanged[sheet]}
            for sheet in self.sheets
        }
        for change in self.changes:
            counts[change.sheet][change.action] += 1
        return counts

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def fingerprint(self) -> str:
        """Identifies what the plan would do, to tell whether a preview is still current."""
        digest = hashlib.sha256()
        for change in self.changes:
            digest.update(repr((change.sheet, change.row, change.subject, change.action)).encode())
            digest.update(repr(change.changes).encode())
        return digest.hexdigest()

    def summary_lines(self) -> list[str]:
        return [
            f"{sheet}: {c['created']} created, {c['updated']} updated, {c['deleted']} removed, "
            f"{c['unchanged']} unchanged"
            for sheet, c in self.counts().items()
        ]


def identify_tables(sheets: dict[str, Sheet]) -> tuple[dict[str, Sheet], list[SpreadsheetError]]:
    """Which given sheet is which table: by sheet name, else (one CSV per table) by columns."""
    found: dict[str, Sheet] = {}
    errors = []
    for sheet in sheets.values():
        by_name = {fold(name): name for name in REQUIRED_COLUMNS}.get(fold(sheet.name))
        by_columns = [
            name
            for name, columns in REQUIRED_COLUMNS.items()
            if all(sheet.has_column(column) for column in columns)
        ]
        if by_name is None and len(by_columns) == 1:
            by_name = by_columns[0]
        elif by_name is None and {ISSUES, COVERAGE} <= set(by_columns):
            by_name = ISSUES if sheet.has_column("Title") else COVERAGE
        if by_name is None:
            continue  # an extra sheet (notes, a pivot table): ignored
        if by_name in found:
            errors.append(
                SpreadsheetError(f"a second {by_name} table was given.", sheet=sheet.name)
            )
            continue
        found[by_name] = sheet
    if not found and not errors:
        errors.append(
            SpreadsheetError(
                "no Issues, Mechanisms or Coverage table found (check the sheet names or the "
                "column headers)."
            )
        )
    for table, sheet in found.items():
        try:
            sheet.require_columns(REQUIRED_COLUMNS[table])
        except SpreadsheetError as error:
            errors.append(error)
    return found, errors


def read_id(sheet: Sheet, row: Row, column: str, errors: list) -> int | None:
    """The ID in a cell: None when blank; an error unless a whole number."""
    value = row[column]
    if value in ("", None):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if not 0 < number <= 2**63 - 1:  # the largest ID a database holds
        errors.append(sheet.error(f"“{value}” is not an ID.", row=row, column=column))
        return None
    return number


def read_choice(
    sheet: Sheet,
    row: Row,
    column: str,
    table: dict[str, str],
    errors: list,
    *,
    what: str,
    choices: type[TextChoices],
) -> str | None:
    value = row.text(column)
    if not value:
        return None
    found = table.get(fold(value))
    if found is None:
        allowed = "; ".join(str(label) for label in choices.labels)
        errors.append(
            sheet.error(f"unknown {what} “{value}” (one of: {allowed}).", row=row, column=column)
        )
    return found


def check_length(sheet: Sheet, row: Row, column: str, value: str, limit: int, errors: list) -> None:
    if len(value) > limit:
        errors.append(
            sheet.error(f"at most {limit} characters, not {len(value)}.", row=row, column=column)
        )


def known_id(
    errors: list,
    sheet: Sheet,
    row: Row,
    column: str,
    pk: int | None,
    seen: dict[int, int],
    existing: dict | set,
    what: str,
) -> None:
    """An ID must name an existing record, once per sheet."""
    if pk is None:
        return
    if pk in seen:
        errors.append(
            sheet.error(f"{column} {pk} is also on row {seen[pk]}.", row=row, column=column)
        )
    seen.setdefault(pk, row.number)
    if pk not in existing:
        errors.append(
            sheet.error(
                f"no {what} has the ID {pk}; leave the ID empty to add one.",
                row=row,
                column=column,
            )
        )


MECHANISM_LABELS = {"name": "Name", "acronym": "Acronym", "kind": "Kind", "website": "Website"}
ISSUE_LABELS = {
    "title": "Title",
    "description": "Description",
    "cluster_id": "Cluster",
    "state": "State",
    "consensus": "Consensus",
}
CHOICE_LABELS = {
    "kind": dict(Mechanism.Kind.choices),
    "state": dict(Issue.State.choices),
    "consensus": dict(Issue.Consensus.choices),
}


def diffs(
    instance, values: dict[str, Any], *, labels: dict[str, str], names: dict | None = None
) -> list[tuple[str, str, tuple[str, str]]]:
    """(attribute, column, (old shown, new shown)) for each value that differs."""
    names = names or {}
    found = []
    for attribute, new in values.items():
        old = getattr(instance, attribute)
        if isinstance(new, str) or isinstance(old, str):
            if norm(old) == norm(new):
                continue
        elif old == new:
            continue
        show = names.get(attribute) or CHOICE_LABELS.get(attribute) or {}
        found.append(
            (
                attribute,
                labels[attribute],
                (str(show.get(old, old or "")), str(show.get(new, new or ""))),
            )
        )
    return found
