"""Importing the map workbook: plan every change, show it, then apply all of it or nothing.

``map_import_plan`` reads the sheets present (Issues, Mechanisms, Coverage; from one XLSX file
or one CSV file per table) and compares them with the database without writing anything. It
collects every error, each naming its sheet, row and column. ``map_import_apply`` writes a plan
that has no errors in one transaction; each created, changed or removed record is recorded in
the change history under the importing user.

Rules (README, "The map workbook"):
- A row with an ID updates that record; a row without one creates a record. An unknown ID, a
  new row whose title or name already exists, or an ID given twice is an error.
- Issues and mechanisms missing from a sheet are left alone. The Coverage sheet lists all
  coverage: a pair missing from it is removed (the preview lists each removal).
- Merging is done with the admin's Merge action (it moves sources, coverage and gaps): State and
  Merged into of a merged issue stay as exported. An issue added after the second meeting goes
  on the map only once the working group's agreement is recorded in the admin.
- Texts compare without surrounding spaces and with either line ending, so that a round trip
  through a spreadsheet program changes nothing.
"""

import hashlib
import io
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models import TextChoices
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from consensus.models import ConsensusItem
from issues.map_workbook import (
    CONSENSUS_VALUES,
    COVERAGE,
    GAP_TYPE_VALUES,
    ISSUES,
    KIND_VALUES,
    MECHANISMS,
    REQUIRED_COLUMNS,
    STATE_VALUES,
    STATUS_VALUES,
    fold,
    gap_type_name,
    split_by_gap_type,
)
from issues.models import Cluster, Issue, MapImport
from mechanisms.models import Coverage, Gap, Mechanism
from wgec.documents.spreadsheets import Row, Sheet, SpreadsheetError, read_workbook

BATCH = 1000
ANALYZE_AFTER = 5000  # changes


def _norm(text: Any) -> str:
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass
class RowChange:
    sheet: str
    row: int | None
    subject: str
    action: str  # "created", "updated", "deleted"
    changes: list[tuple[str, str, str]] = field(default_factory=list)


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


def _identify(sheets: dict[str, Sheet]) -> tuple[dict[str, Sheet], list[SpreadsheetError]]:
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


def _id(sheet: Sheet, row: Row, column: str, errors: list) -> int | None:
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
    if number <= 0:
        errors.append(sheet.error(f"“{value}” is not an ID.", row=row, column=column))
        return None
    return number


def _choice(
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


def _too_long(sheet: Sheet, row: Row, column: str, value: str, limit: int, errors: list) -> None:
    if len(value) > limit:
        errors.append(
            sheet.error(f"at most {limit} characters, not {len(value)}.", row=row, column=column)
        )


class _Planner:
    def __init__(self, plan: MapImportPlan) -> None:
        self.plan = plan
        self.errors = plan.errors
        self.new_mechanism_names: set[str] = set()

    def _known_id(
        self,
        sheet: Sheet,
        row: Row,
        column: str,
        pk: int | None,
        seen: dict[int, int],
        existing: dict,
        what: str,
    ) -> None:
        """An ID must name an existing record, once per sheet."""
        if pk is None:
            return
        if pk in seen:
            self.errors.append(
                sheet.error(f"{column} {pk} is also on row {seen[pk]}.", row=row, column=column)
            )
        seen.setdefault(pk, row.number)
        if pk not in existing:
            self.errors.append(
                sheet.error(
                    f"no {what} has the ID {pk}; leave the ID empty to add one.",
                    row=row,
                    column=column,
                )
            )

    # Mechanisms ---------------------------------------------------------------------------

    def mechanisms(self, sheet: Sheet) -> None:
        existing = {mechanism.pk: mechanism for mechanism in Mechanism.objects.all()}
        names = {fold(mechanism.name): mechanism.pk for mechanism in existing.values()}
        seen_ids: dict[int, int] = {}
        seen_names: dict[str, int] = {}
        validate_url = URLValidator(schemes=["http", "https"])
        changed: dict[str, list[Mechanism]] = defaultdict(list)
        for row in sheet.rows:
            errors_before = len(self.errors)
            pk = _id(sheet, row, "Mechanism ID", self.errors)
            name = row.text("Name")
            if not name:
                self.errors.append(sheet.error("a mechanism needs a name.", row=row, column="Name"))
            elif fold(name) in seen_names:
                self.errors.append(
                    sheet.error(
                        f"“{name}” is also on row {seen_names[fold(name)]}.",
                        row=row,
                        column="Name",
                    )
                )
            elif fold(name) in names and names[fold(name)] != pk:
                self.errors.append(
                    sheet.error(
                        f"a mechanism named “{name}” exists as Mechanism ID {names[fold(name)]}: "
                        "give that ID to change it.",
                        row=row,
                        column="Name",
                    )
                )
            seen_names.setdefault(fold(name), row.number)
            _too_long(sheet, row, "Name", name, 300, self.errors)
            _too_long(sheet, row, "Acronym", row.text("Acronym"), 50, self.errors)
            kind = (
                _choice(
                    sheet,
                    row,
                    "Kind",
                    KIND_VALUES,
                    self.errors,
                    what="kind",
                    choices=Mechanism.Kind,
                )
                if sheet.has_column("Kind")
                else None
            )
            website = row.text("Website")
            _too_long(sheet, row, "Website", website, 200, self.errors)
            if website and len(website) <= 200:
                try:
                    validate_url(website)
                except ValidationError:
                    self.errors.append(
                        sheet.error(f"“{website}” is not a web address.", row=row, column="Website")
                    )
            self._known_id(sheet, row, "Mechanism ID", pk, seen_ids, existing, "mechanism")
            if len(self.errors) > errors_before:
                continue
            values = {"name": name}
            if sheet.has_column("Acronym"):
                values["acronym"] = row.text("Acronym")
            if kind is not None:
                values["kind"] = kind
            if sheet.has_column("Website"):
                values["website"] = website
            if pk is None:
                values.setdefault("kind", Mechanism.Kind.OTHER)
                self.plan.mechanisms_new.append(Mechanism(**values))
                self.plan.changes.append(RowChange(MECHANISMS, row.number, name, "created"))
                continue
            mechanism = existing[pk]
            diffs = _diffs(mechanism, values, labels=_MECHANISM_LABELS)
            if not diffs:
                self.plan.unchanged[MECHANISMS] += 1
                continue
            for attribute, _, _ in diffs:
                setattr(mechanism, attribute, values[attribute])
            changed[",".join(sorted(attr for attr, _, _ in diffs))].append(mechanism)
            self.plan.changes.append(
                RowChange(
                    MECHANISMS,
                    row.number,
                    f"Mechanism {pk}",
                    "updated",
                    [(label, old, new) for _, label, (old, new) in diffs],
                )
            )
        self.plan.mechanisms_changed = dict(changed)

    # Issues ---------------------------------------------------------------------------------

    def issues(self, sheet: Sheet) -> None:
        existing = {issue.pk: issue for issue in Issue.objects.all()}
        titles = {
            fold(issue.title): issue.pk
            for issue in existing.values()
            if issue.state != Issue.State.MERGED
        }
        clusters = {}
        for cluster in Cluster.objects.all():
            clusters[fold(cluster.name)] = cluster
            clusters[fold(cluster.slug)] = cluster
        cluster_names = {cluster.pk: cluster.name for cluster in clusters.values()}
        gaps_by_issue: dict[int, dict[str, Gap]] = defaultdict(dict)
        for gap in Gap.objects.all():
            gaps_by_issue[gap.issue_id][gap.type] = gap
        gap_columns = any(sheet.has_column(c) for c in ("Gap types", "Gaps", "Recommendation"))
        if gap_columns and not sheet.has_column("Gap types"):
            self.errors.append(
                sheet.error(
                    "the Gaps and Recommendation columns need the Gap types column.",
                    row=1,
                    column="Gap types",
                )
            )
            gap_columns = False
        seen_ids: dict[int, int] = {}
        seen_titles: dict[str, int] = {}
        changed: dict[str, list[Issue]] = defaultdict(list)
        for row in sheet.rows:
            errors_before = len(self.errors)
            pk = _id(sheet, row, "Issue ID", self.errors)
            issue = existing.get(pk) if pk is not None else None
            self._known_id(sheet, row, "Issue ID", pk, seen_ids, existing, "issue")
            title = row.text("Title")
            _too_long(sheet, row, "Title", title, 300, self.errors)
            if not title:
                self.errors.append(sheet.error("an issue needs a title.", row=row, column="Title"))
            elif pk is None:
                if fold(title) in titles:
                    self.errors.append(
                        sheet.error(
                            f"“{title}” exists as Issue ID {titles[fold(title)]}: give that ID "
                            "to change it.",
                            row=row,
                            column="Title",
                        )
                    )
                elif fold(title) in seen_titles:
                    self.errors.append(
                        sheet.error(
                            f"“{title}” is also added on row {seen_titles[fold(title)]}.",
                            row=row,
                            column="Title",
                        )
                    )
                seen_titles.setdefault(fold(title), row.number)

            values: dict[str, Any] = {"title": title}
            if sheet.has_column("Description"):
                values["description"] = _norm(row["Description"])
            if sheet.has_column("Cluster"):
                name = row.text("Cluster")
                if name and fold(name) not in clusters:
                    self.errors.append(
                        sheet.error(f"unknown cluster “{name}”.", row=row, column="Cluster")
                    )
                values["cluster_id"] = clusters[fold(name)].pk if fold(name) in clusters else None
            for column, attribute, table, what, choices in (
                ("State", "state", STATE_VALUES, "state", Issue.State),
                ("Consensus", "consensus", CONSENSUS_VALUES, "consensus state", Issue.Consensus),
            ):
                if not sheet.has_column(column):
                    continue
                value = _choice(sheet, row, column, table, self.errors, what=what, choices=choices)
                if value is None and row.text(column) == "" and issue is not None:
                    self.errors.append(
                        sheet.error(f"{column} cannot be empty.", row=row, column=column)
                    )
                if value is not None:
                    values[attribute] = value
            if issue is None:
                values.setdefault("state", Issue.State.PROPOSED)
                values.setdefault("consensus", Issue.Consensus.AGREED)
            merged_into = (
                _id(sheet, row, "Merged into", self.errors)
                if sheet.has_column("Merged into")
                else (issue.merged_into_id if issue else None)
            )
            self._check_life_cycle(sheet, row, issue, values, merged_into, cluster_names)
            gaps = self._gaps(sheet, row) if gap_columns else None
            if len(self.errors) > errors_before:
                continue

            if issue is None:
                new = Issue(
                    needs_agreement=values["state"] == Issue.State.PROPOSED,
                    **values,
                )
                new_gaps = [
                    Gap(type=t, description=d, recommendation=r)
                    for t, (d, r) in (gaps or {}).items()
                ]
                self.plan.issues_new.append((new, new_gaps))
                self.plan.changes.append(RowChange(ISSUES, row.number, f"“{title}”", "created"))
                continue
            diffs = _diffs(issue, values, labels=_ISSUE_LABELS, names={"cluster_id": cluster_names})
            gap_diffs = self._gap_changes(issue, gaps_by_issue.get(issue.pk, {}), gaps)
            if not diffs and not gap_diffs:
                self.plan.unchanged[ISSUES] += 1
                continue
            if diffs:
                for attribute, _, _ in diffs:
                    setattr(issue, attribute, values[attribute])
                changed[",".join(sorted(attr for attr, _, _ in diffs))].append(issue)
            self.plan.changes.append(
                RowChange(
                    ISSUES,
                    row.number,
                    f"Issue {issue.pk}",
                    "updated",
                    [(label, old, new) for _, label, (old, new) in diffs] + gap_diffs,
                )
            )
        self.plan.issues_changed = dict(changed)

    def _check_life_cycle(
        self,
        sheet: Sheet,
        row: Row,
        issue: Issue | None,
        values: dict,
        merged_into: int | None,
        cluster_names: dict[int, str],
    ) -> None:
        state = values.get("state", issue.state if issue else Issue.State.PROPOSED)
        was = issue.state if issue else None
        if (state == Issue.State.MERGED) != (was == Issue.State.MERGED) or (
            issue is not None and merged_into != issue.merged_into_id
        ):
            self.errors.append(
                sheet.error(
                    "issues are merged, and merges undone, with the admin's Merge action, which "
                    "also moves sources, coverage and gaps: leave State and Merged into as "
                    "exported.",
                    row=row,
                    column="State" if state != was else "Merged into",
                )
            )
        elif issue is None and merged_into is not None:
            self.errors.append(
                sheet.error(
                    "a new issue cannot be merged; add it, then merge it in the admin.",
                    row=row,
                    column="Merged into",
                )
            )
        if (
            issue is not None
            and state == Issue.State.ON_MAP
            and was != Issue.State.ON_MAP
            and issue.needs_agreement
            and issue.agreed_on is None
        ):
            self.errors.append(
                sheet.error(
                    "this issue was added after the second meeting: record the working group's "
                    "agreement in the admin to put it on the map.",
                    row=row,
                    column="State",
                )
            )
        cluster_id = values.get("cluster_id", issue.cluster_id if issue else None)
        if state == Issue.State.ON_MAP and cluster_id is None:
            self.errors.append(
                sheet.error("an issue on the map needs a cluster.", row=row, column="Cluster")
            )

    def _gaps(self, sheet: Sheet, row: Row) -> dict[str, tuple[str, str]] | None:
        """{type: (description, recommendation)} from the three gap columns."""
        types: list[str] = []
        for part in row.text("Gap types").replace(",", ";").split(";"):
            if not part.strip():
                continue
            value = GAP_TYPE_VALUES.get(fold(part)) or GAP_TYPE_VALUES.get(
                fold(part.replace("gap", ""))
            )
            if value is None:
                self.errors.append(
                    sheet.error(
                        f"unknown gap type “{part.strip()}” (one of: "
                        f"{', '.join(gap_type_name(t) for t in Gap.Type.values)}).",
                        row=row,
                        column="Gap types",
                    )
                )
            elif value not in types:
                types.append(value)
        texts: dict[str, dict[str, str]] = {}
        for column in ("Gaps", "Recommendation"):
            lead, by_type = split_by_gap_type(_norm(row[column]))
            if lead:
                if len(types) == 1 and not by_type:
                    by_type = {types[0]: lead}
                else:
                    self.errors.append(
                        sheet.error(
                            "start the text of each gap with its type, as in “Policy: …”.",
                            row=row,
                            column=column,
                        )
                    )
            for gap_type in by_type:
                if gap_type not in types:
                    self.errors.append(
                        sheet.error(
                            f"a {gap_type} gap is described but not listed in Gap types.",
                            row=row,
                            column=column,
                        )
                    )
            texts[column] = by_type
        return {t: (texts["Gaps"].get(t, ""), texts["Recommendation"].get(t, "")) for t in types}

    def _gap_changes(
        self, issue: Issue, current: dict[str, Gap], wanted: dict[str, tuple[str, str]] | None
    ) -> list[tuple[str, str, str]]:
        if wanted is None:
            return []
        shown = []
        for gap_type, gap in current.items():
            if gap_type not in wanted:
                self.plan.gaps_deleted.append(gap.pk)
                shown.append((f"{gap_type_name(gap_type)} gap", "present", "removed"))
        for gap_type, (description, recommendation) in wanted.items():
            gap = current.get(gap_type)
            if gap is None:
                self.plan.gaps_new.append(
                    Gap(
                        issue_id=issue.pk,
                        type=gap_type,
                        description=description,
                        recommendation=recommendation,
                    )
                )
                shown.append((f"{gap_type_name(gap_type)} gap", "", description or "added"))
                continue
            if _norm(gap.description) != description or _norm(gap.recommendation) != recommendation:
                for label, old, new in (
                    ("gap", gap.description, description),
                    ("recommendation", gap.recommendation, recommendation),
                ):
                    if _norm(old) != new:
                        shown.append((f"{gap_type_name(gap_type)} {label}", _norm(old), new))
                gap.description, gap.recommendation = description, recommendation
                self.plan.gaps_changed.append(gap)
        return shown

    # Coverage -------------------------------------------------------------------------------

    def coverage(self, sheet: Sheet) -> None:
        existing = {
            (row.issue_id, row.mechanism_id): row
            for row in Coverage.objects.only("pk", "issue_id", "mechanism_id", "status", "evidence")
        }
        issue_ids = set(Issue.objects.values_list("pk", flat=True))
        mechanism_ids = set(Mechanism.objects.values_list("pk", flat=True))
        disputed = set(
            ConsensusItem.objects.filter(coverage__isnull=False).values_list(
                "coverage_id", flat=True
            )
        )
        statuses = dict(Coverage.Status.choices)
        seen: dict[tuple[int, int], int] = {}
        for row in sheet.rows:
            errors_before = len(self.errors)
            issue_id = _id(sheet, row, "Issue ID", self.errors)
            mechanism_id = _id(sheet, row, "Mechanism ID", self.errors)
            if issue_id is None and row.text("Issue ID") == "":
                self.errors.append(sheet.error("give the Issue ID.", row=row, column="Issue ID"))
            elif issue_id is not None and issue_id not in issue_ids:
                self.errors.append(
                    sheet.error(f"no issue has the ID {issue_id}.", row=row, column="Issue ID")
                )
            if mechanism_id is None and row.text("Mechanism ID") == "":
                self.errors.append(
                    sheet.error("give the Mechanism ID.", row=row, column="Mechanism ID")
                )
            elif mechanism_id is not None and mechanism_id not in mechanism_ids:
                self.errors.append(
                    sheet.error(
                        f"no mechanism has the ID {mechanism_id} (add new mechanisms first, "
                        "then export to get their IDs).",
                        row=row,
                        column="Mechanism ID",
                    )
                )
            status = _choice(
                sheet,
                row,
                "Status",
                STATUS_VALUES,
                self.errors,
                what="status",
                choices=Coverage.Status,
            )
            if status is None and not row.text("Status"):
                self.errors.append(sheet.error("give the status.", row=row, column="Status"))
            pair = (issue_id, mechanism_id)
            if pair in seen:
                self.errors.append(
                    sheet.error(
                        f"issue {issue_id} and mechanism {mechanism_id} are also paired on row "
                        f"{seen[pair]}.",
                        row=row,
                        column="Mechanism ID",
                    )
                )
            seen.setdefault(pair, row.number)
            if len(self.errors) > errors_before:
                continue
            evidence = _norm(row["Evidence"]) if sheet.has_column("Evidence") else None
            current = existing.get(pair)
            subject = f"Coverage of issue {issue_id} by mechanism {mechanism_id}"
            if current is None:
                self.plan.coverage_new.append(
                    Coverage(
                        issue_id=issue_id,
                        mechanism_id=mechanism_id,
                        status=status,
                        evidence=evidence or "",
                    )
                )
                self.plan.changes.append(RowChange(COVERAGE, row.number, subject, "created"))
                continue
            shown = []
            if current.status != status:
                shown.append(("Status", statuses[current.status], statuses[status]))
            if evidence is not None and _norm(current.evidence) != evidence:
                shown.append(("Evidence", _norm(current.evidence), evidence))
            if not shown:
                self.plan.unchanged[COVERAGE] += 1
                continue
            current.status = status
            if evidence is not None:
                current.evidence = evidence
            self.plan.coverage_changed.append(current)
            self.plan.changes.append(RowChange(COVERAGE, row.number, subject, "updated", shown))
        for pair, current in existing.items():
            if pair in seen:
                continue
            if current.pk in disputed:
                self.errors.append(
                    sheet.error(
                        f"coverage of issue {pair[0]} by mechanism {pair[1]} is missing, but it "
                        "has an item without consensus: keep its row (or settle the item first).",
                    )
                )
                continue
            self.plan.coverage_deleted.append(current.pk)
            self.plan.changes.append(
                RowChange(
                    COVERAGE,
                    None,
                    f"Coverage of issue {pair[0]} by mechanism {pair[1]}",
                    "deleted",
                    [("Status", statuses[current.status], "")],
                )
            )


_MECHANISM_LABELS = {"name": "Name", "acronym": "Acronym", "kind": "Kind", "website": "Website"}
_ISSUE_LABELS = {
    "title": "Title",
    "description": "Description",
    "cluster_id": "Cluster",
    "state": "State",
    "consensus": "Consensus",
}
_CHOICE_LABELS = {
    "kind": dict(Mechanism.Kind.choices),
    "state": dict(Issue.State.choices),
    "consensus": dict(Issue.Consensus.choices),
}


def _diffs(
    instance, values: dict[str, Any], *, labels: dict[str, str], names: dict | None = None
) -> list[tuple[str, str, tuple[str, str]]]:
    """(attribute, column, (old shown, new shown)) for each value that differs."""
    names = names or {}
    diffs = []
    for attribute, new in values.items():
        old = getattr(instance, attribute)
        if isinstance(new, str) or isinstance(old, str):
            if _norm(old) == _norm(new):
                continue
        elif old == new:
            continue
        show = names.get(attribute) or _CHOICE_LABELS.get(attribute) or {}
        diffs.append(
            (
                attribute,
                labels[attribute],
                (str(show.get(old, old or "")), str(show.get(new, new or ""))),
            )
        )
    return diffs


def map_import_plan(files: Iterable[tuple[str, bytes]]) -> MapImportPlan:
    """Read the files (name, content) and plan the import; writes nothing."""
    files = list(files)
    plan = MapImportPlan(sources=[name for name, _ in files])
    sheets: dict[str, Sheet] = {}
    for name, content in files:
        try:
            for sheet_name, sheet in read_workbook(content, name).items():
                sheets[f"{name}:{sheet_name}"] = sheet
        except SpreadsheetError as error:
            plan.errors.append(error)
    if plan.errors:
        return plan
    tables, errors = _identify(sheets)
    plan.errors.extend(errors)
    if plan.errors:
        return plan
    plan.sheets = [name for name in (ISSUES, MECHANISMS, COVERAGE) if name in tables]
    planner = _Planner(plan)
    if MECHANISMS in tables:
        planner.mechanisms(tables[MECHANISMS])
    if ISSUES in tables:
        planner.issues(tables[ISSUES])
    if COVERAGE in tables:
        planner.coverage(tables[COVERAGE])
    return plan


@transaction.atomic
def map_import_apply(plan: MapImportPlan, *, user=None, reason: str = "map import") -> None:
    """Write a planned import (all of it, in one transaction)."""
    if plan.errors:
        raise ValueError("A plan with errors cannot be applied.")
    who = user if user is not None and user.is_authenticated else None
    history = {"default_user": who, "default_change_reason": reason, "batch_size": BATCH}
    now = timezone.now()
    if plan.mechanisms_new:
        bulk_create_with_history(plan.mechanisms_new, Mechanism, **history)
    for fields, mechanisms in plan.mechanisms_changed.items():
        bulk_update_with_history(mechanisms, Mechanism, fields.split(","), **history)
    if plan.issues_new:
        issues = [issue for issue, _ in plan.issues_new]
        for issue in issues:
            issue.created_at = issue.updated_at = now
        created = bulk_create_with_history(issues, Issue, **history)
        for issue, (_, gaps) in zip(created, plan.issues_new, strict=True):
            for gap in gaps:
                gap.issue_id = issue.pk
                plan.gaps_new.append(gap)
    for fields, issues in plan.issues_changed.items():
        for issue in issues:
            issue.updated_at = now
        bulk_update_with_history(issues, Issue, [*fields.split(","), "updated_at"], **history)
    _delete_with_history(Gap, plan.gaps_deleted, who, reason)
    if plan.gaps_new:
        bulk_create_with_history(plan.gaps_new, Gap, **history)
    if plan.gaps_changed:
        bulk_update_with_history(
            plan.gaps_changed, Gap, ["description", "recommendation"], **history
        )
    _delete_with_history(Coverage, plan.coverage_deleted, who, reason)
    if plan.coverage_new:
        bulk_create_with_history(plan.coverage_new, Coverage, **history)
    if plan.coverage_changed:
        bulk_update_with_history(plan.coverage_changed, Coverage, ["status", "evidence"], **history)
    if len(plan.changes) >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Fresh statistics at once, not when autovacuum comes round: the pages' plans depend on
        # them (a large first import would otherwise be read with the plans of an empty map).
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE issues_issue, mechanisms_mechanism, mechanisms_coverage, mechanisms_gap"
            )


def _delete_with_history(model, pks: list[int], user, reason: str) -> None:
    for start in range(0, len(pks), BATCH):
        for instance in model.objects.filter(pk__in=pks[start : start + BATCH]):
            instance._history_user = user
            instance._change_reason = reason
            instance.delete()


# Imports through the admin: read and applied by background tasks (issues/tasks.py) ------------

PREVIEW_CHANGES = 2000
PREVIEW_ERRORS = 500


def _pack(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def map_import_files(upload: MapImport) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(bytes(upload.content))) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def _preview(plan: MapImportPlan, *, stale: bool = False) -> dict:
    return {
        "counts": plan.counts(),
        "changes": [
            {
                "sheet": change.sheet,
                "row": change.row,
                "subject": change.subject,
                "action": change.action,
                "changes": [list(triple) for triple in change.changes],
            }
            for change in plan.changes[:PREVIEW_CHANGES]
        ],
        "change_total": len(plan.changes),
        "errors": [str(error) for error in plan.errors[:PREVIEW_ERRORS]],
        "error_total": len(plan.errors),
        "fingerprint": plan.fingerprint(),
        "stale": stale,
    }


@transaction.atomic
def map_import_upload(*, files: list[tuple[str, bytes]], user) -> MapImport:
    """Keep an uploaded workbook and have a worker read it."""
    from issues.tasks import map_import_prepare_task

    upload = MapImport.objects.create(
        filename=", ".join(name for name, _ in files)[:255],
        content=_pack(files),
        uploaded_by=user,
    )
    map_import_prepare_task.enqueue(import_id=upload.pk)
    return upload


def map_import_prepare(*, upload: MapImport) -> MapImport:
    """Read the workbook and store what importing it would do (run by a worker)."""
    plan = map_import_plan(map_import_files(upload))
    upload.preview = _preview(plan)
    upload.state = MapImport.State.READY if plan.ok else MapImport.State.INVALID
    upload.save(update_fields=["preview", "state"])
    return upload


@transaction.atomic
def map_import_confirm(*, upload: MapImport, fingerprint: str, user) -> MapImport:
    """The secretariat confirms the preview it saw; a worker applies it."""
    from issues.tasks import map_import_apply_task

    upload = MapImport.objects.select_for_update().get(pk=upload.pk)
    if upload.state != MapImport.State.READY:
        raise ValidationError(f"This import is {upload.get_state_display().lower()}.")
    upload.state = MapImport.State.APPLYING
    upload.applied_by = user
    upload.save(update_fields=["state", "applied_by"])
    map_import_apply_task.enqueue(import_id=upload.pk, fingerprint=fingerprint)
    return upload


@transaction.atomic
def map_import_run(*, upload: MapImport, fingerprint: str) -> MapImport:
    """Apply a confirmed import, unless the map changed since the preview (run by a worker).

    If it changed, the new preview is stored for the secretariat to confirm again.
    """
    upload = MapImport.objects.select_for_update().get(pk=upload.pk)
    if upload.state != MapImport.State.APPLYING:
        return upload
    plan = map_import_plan(map_import_files(upload))
    if not plan.ok or plan.fingerprint() != fingerprint:
        upload.preview = _preview(plan, stale=True)
        upload.state = MapImport.State.READY if plan.ok else MapImport.State.INVALID
        upload.save(update_fields=["preview", "state"])
        return upload
    map_import_apply(plan, user=upload.applied_by, reason=f"map import of {upload.filename}")
    upload.state = MapImport.State.APPLIED
    upload.applied_at = timezone.now()
    upload.save(update_fields=["state", "applied_at"])
    return upload


def map_import_fail(*, upload: MapImport, error: str) -> None:
    MapImport.objects.filter(pk=upload.pk).update(state=MapImport.State.FAILED, error=error)
