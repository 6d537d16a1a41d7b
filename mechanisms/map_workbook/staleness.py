"""Rows edited since the export a workbook came from: the export stamps the workbook with the
moment it was exported (a hidden sheet, ``About``, which spreadsheet programs keep), and the
import compares each row it would change with the change history. A row whose issue, mechanism,
coverage or gaps were changed after that moment is refused, naming its sheet, row and ID: the
workbook was edited from an older map, and importing it would undo that change.

CSV tables carry no stamp: they are imported without this check."""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from issues.models import Issue
from mechanisms.map_workbook.columns import COVERAGE, ISSUES, MECHANISMS, fold
from mechanisms.map_workbook.reading import MapImportPlan, RowChange
from mechanisms.models import Coverage, Gap, Mechanism
from wgec.documents.spreadsheets import Sheet, SpreadsheetError, parse_datetime

ABOUT = "About"
EXPORTED_AT = "Exported at"
NOTE = (
    "The moment this workbook was exported. Leave this sheet as it is: the import uses it to "
    "refuse rows that someone changed in the map after this moment."
)
BATCH = 1000


def about_sheet(moment: datetime.datetime) -> tuple[str, list[str], list[list[str]]]:
    """The stamp the export adds to a workbook."""
    return (ABOUT, [EXPORTED_AT, "Note"], [[moment.isoformat(), NOTE]])


def exported_at(sheets: dict[str, Sheet]) -> datetime.datetime | None:
    """The moment a workbook was exported, from its About sheet (None: no stamp)."""
    for sheet in sheets.values():
        if fold(sheet.name) != fold(ABOUT) or not sheet.has_column(EXPORTED_AT):
            continue
        row = next(sheet.iter_rows(), None)
        value = row[EXPORTED_AT] if row else ""
        try:
            return parse_datetime(value)
        except ValueError:
            raise SpreadsheetError(
                f"“{value}” is not the moment of an export; leave the About sheet as the export "
                "wrote it.",
                sheet=sheet.name,
                row=row.number if row else 2,
                column=EXPORTED_AT,
            ) from None
    return None


def _last_changes(model, ids: Iterable[int], since: datetime.datetime, key: str = "id") -> dict:
    """For each ID changed after ``since``: (when, by whom) of its latest change."""
    ids = sorted(set(ids))
    found: dict[int, tuple[datetime.datetime, str]] = {}
    for start in range(0, len(ids), BATCH):
        rows = (
            model.history.filter(**{f"{key}__in": ids[start : start + BATCH]})
            .filter(history_date__gt=since)
            .order_by(key, "-history_date")
            .values_list(key, "history_date", "history_user__username")
        )
        for pk, when, who in rows:
            found.setdefault(pk, (when, who or "an import or the system"))
    return found


def check_edited_since(plan: MapImportPlan, since: datetime.datetime) -> None:
    """Add an error for each row the plan would change whose record changed after ``since``."""
    touched: dict[str, list[RowChange]] = {"issue": [], "mechanism": [], "coverage": []}
    for change in plan.changes:
        if change.record is not None:
            touched[change.record[0]].append(change)
    if not any(touched.values()):
        return
    issue_ids = [change.record[1] for change in touched["issue"]]
    issues = _last_changes(Issue, issue_ids, since)
    for pk, moment in _last_changes(Gap, issue_ids, since, key="issue_id").items():
        issues[pk] = max(issues.get(pk, moment), moment)
    changed = {
        "issue": issues,
        "mechanism": _last_changes(
            Mechanism, [change.record[1] for change in touched["mechanism"]], since
        ),
        "coverage": _last_changes(
            Coverage, [change.record[1] for change in touched["coverage"]], since
        ),
    }
    stamp = timezone.localtime(since).strftime("%Y-%m-%d %H:%M")
    for kind, changes in touched.items():
        for change in changes:
            last = changed[kind].get(change.record[1])
            if last is None:
                continue
            when = timezone.localtime(last[0]).strftime("%Y-%m-%d %H:%M")
            column = {ISSUES: "Issue ID", MECHANISMS: "Mechanism ID", COVERAGE: "Issue ID"}
            what = change.subject if kind != "coverage" else change.subject.lower()
            if change.action == "deleted":
                undo = "importing the workbook, which lacks it, would remove it"
            else:
                undo = "importing this row would undo that change"
            plan.errors.append(
                SpreadsheetError(
                    f"{what} was changed on {when} by {last[1]}, after this workbook was "
                    f"exported ({stamp}); {undo}. Export the map again and make the edit "
                    "there.",
                    sheet=change.sheet,
                    row=change.row,
                    column=column[change.sheet] if change.row is not None else "",
                )
            )
