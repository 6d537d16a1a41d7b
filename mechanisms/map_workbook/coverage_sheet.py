"""Planning the Coverage sheet of an import: it lists all coverage, so a pair missing from it is
removed, unless a room above holds it (``mechanisms.coverage_holds``)."""

import sys
from collections import defaultdict

from issues.models import Issue
from mechanisms.coverage_holds import CoverageHold, coverage_held
from mechanisms.map_workbook.columns import COVERAGE, STATUS_VALUES
from mechanisms.map_workbook.reading import MapImportPlan, RowChange, norm, read_choice, read_id
from mechanisms.models import Coverage, Mechanism
from wgec.documents.spreadsheets import Sheet
from wgec.languages import labels


class CoverageSheet:
    def __init__(self, plan: MapImportPlan) -> None:
        self.plan = plan
        self.errors = plan.errors

    def plan_rows(self, sheet: Sheet) -> None:
        # Plain values by issue and mechanism, not model instances: at 200,000 rows a third of
        # the time and of the memory of the preview went to building instances that were only
        # compared. A pair is taken out once a row lists it (what is left is missing from the
        # sheet), so that the coverage and the pairs seen are not both held in full; each status
        # is one string, not one a row.
        existing: dict[int, dict[int, tuple[int, str, str]]] = defaultdict(dict)
        for pk, issue_id, mechanism_id, status, evidence in Coverage.objects.values_list(
            "pk", "issue_id", "mechanism_id", "status", "evidence"
        ).iterator(chunk_size=5000):
            existing[issue_id][mechanism_id] = (pk, sys.intern(status), evidence)
        issue_ids = set(Issue.objects.values_list("pk", flat=True))
        mechanism_ids = set(Mechanism.objects.values_list("pk", flat=True))
        held = coverage_held()
        statuses = labels(Coverage.Status)
        seen: dict[tuple[int, int], int] = {}
        for row in sheet.iter_rows():
            errors_before = len(self.errors)
            issue_id = read_id(sheet, row, "Issue ID", self.errors)
            mechanism_id = read_id(sheet, row, "Mechanism ID", self.errors)
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
            status = read_choice(
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
            current = existing.get(issue_id, {}).pop(mechanism_id, None)
            if len(self.errors) > errors_before:
                continue
            evidence = norm(row["Evidence"]) if sheet.has_column("Evidence") else None
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
            pk, current_status, current_evidence = current
            shown = []
            if current_status != status:
                shown.append(("Status", statuses[current_status], statuses[status]))
            if evidence is not None and norm(current_evidence) != evidence:
                shown.append(("Evidence", norm(current_evidence), evidence))
            if not shown:
                self.plan.unchanged[COVERAGE] += 1
                continue
            self.plan.coverage_changed.append(
                Coverage(
                    pk=pk,
                    issue_id=issue_id,
                    mechanism_id=mechanism_id,
                    status=status,
                    evidence=current_evidence if evidence is None else evidence,
                )
            )
            self.plan.changes.append(
                RowChange(COVERAGE, row.number, subject, "updated", shown, record=("coverage", pk))
            )
        for issue_id, by_mechanism in existing.items():
            for mechanism_id, (pk, current_status, _evidence) in by_mechanism.items():
                self._missing(sheet, issue_id, mechanism_id, pk, statuses[current_status], held)

    def _missing(
        self,
        sheet: Sheet,
        issue_id: int,
        mechanism_id: int,
        pk: int,
        status: str,
        held: dict[int, CoverageHold],
    ) -> None:
        """A pair of the map that no row lists: removed, unless a room above holds it."""
        if pk in held:
            hold = held[pk]
            self.errors.append(
                sheet.error(
                    f"coverage of issue {issue_id} by mechanism {mechanism_id} is missing, but "
                    f"{hold.reason}: keep its row (or {hold.remedy}).",
                )
            )
            return
        self.plan.coverage_deleted.append(pk)
        self.plan.changes.append(
            RowChange(
                COVERAGE,
                None,
                f"Coverage of issue {issue_id} by mechanism {mechanism_id}",
                "deleted",
                [("Status", status, "")],
                record=("coverage", pk),
            )
        )
