"""Planning the Issues sheet of an import: new issues and changes to listed ones, their life
cycle (merges and the working group's agreement stay with the admin), and their gaps."""

from collections import defaultdict
from typing import Any

from issues.models import Cluster, Issue
from mechanisms.map_workbook.columns import (
    CONSENSUS_VALUES,
    GAP_TYPE_VALUES,
    ISSUES,
    STATE_VALUES,
    fold,
    gap_type_name,
    split_by_gap_type,
)
from mechanisms.map_workbook.reading import (
    ISSUE_LABELS,
    MapImportPlan,
    RowChange,
    check_length,
    diffs,
    known_id,
    norm,
    read_choice,
    read_id,
)
from mechanisms.models import Gap
from wgec.documents.spreadsheets import Row, Sheet


class IssueSheet:
    def __init__(self, plan: MapImportPlan) -> None:
        self.plan = plan
        self.errors = plan.errors

    def plan_rows(self, sheet: Sheet) -> None:
        # Only the issues the sheet names are loaded as model instances (to be compared and
        # updated); the others are known by ID and title alone: a sheet of new issues on a map
        # of 20,000 loaded every one of them.
        ids: set[int] = set()
        titles: dict[str, int] = {}
        for pk, title, state in Issue.objects.values_list("pk", "title", "state").iterator(
            chunk_size=5000
        ):
            ids.add(pk)
            if state != Issue.State.MERGED:
                titles[fold(title)] = pk
        named = sorted(
            ids & {read_id(sheet, row, "Issue ID", []) for row in sheet.iter_rows()} - {None}
        )
        existing: dict[int, Issue] = {}
        # Likewise their gaps alone (every third issue has one at 100x: 6,700 of them).
        gaps_by_issue: dict[int, dict[str, Gap]] = defaultdict(dict)
        for start in range(0, len(named), 5000):
            chunk = named[start : start + 5000]
            existing.update((issue.pk, issue) for issue in Issue.objects.filter(pk__in=chunk))
            for gap in Gap.objects.filter(issue_id__in=chunk):
                gaps_by_issue[gap.issue_id][gap.type] = gap
        clusters = {}
        for cluster in Cluster.objects.all():
            clusters[fold(cluster.name)] = cluster
            clusters[fold(cluster.slug)] = cluster
        cluster_names = {cluster.pk: cluster.name for cluster in clusters.values()}
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
        for row in sheet.iter_rows():
            errors_before = len(self.errors)
            pk = read_id(sheet, row, "Issue ID", self.errors)
            issue = existing.get(pk) if pk is not None else None
            known_id(self.errors, sheet, row, "Issue ID", pk, seen_ids, ids, "issue")
            title = row.text("Title")
            check_length(sheet, row, "Title", title, 300, self.errors)
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
                values["description"] = norm(row["Description"])
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
                value = read_choice(
                    sheet, row, column, table, self.errors, what=what, choices=choices
                )
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
                read_id(sheet, row, "Merged into", self.errors)
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
            changes = diffs(issue, values, labels=ISSUE_LABELS, names={"cluster_id": cluster_names})
            gap_diffs = self._gap_changes(issue, gaps_by_issue.get(issue.pk, {}), gaps)
            if not changes and not gap_diffs:
                self.plan.unchanged[ISSUES] += 1
                continue
            if changes:
                for attribute, _, _ in changes:
                    setattr(issue, attribute, values[attribute])
                changed[",".join(sorted(attr for attr, _, _ in changes))].append(issue)
            self.plan.changes.append(
                RowChange(
                    ISSUES,
                    row.number,
                    f"Issue {issue.pk}",
                    "updated",
                    [(label, old, new) for _, label, (old, new) in changes] + gap_diffs,
                    record=("issue", issue.pk),
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
            lead, by_type = split_by_gap_type(norm(row[column]))
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
            if norm(gap.description) != description or norm(gap.recommendation) != recommendation:
                for label, old, new in (
                    ("gap", gap.description, description),
                    ("recommendation", gap.recommendation, recommendation),
                ):
                    if norm(old) != new:
                        shown.append((f"{gap_type_name(gap_type)} {label}", norm(old), new))
                gap.description, gap.recommendation = description, recommendation
                self.plan.gaps_changed.append(gap)
        return shown
