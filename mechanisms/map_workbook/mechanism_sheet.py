"""Planning the Mechanisms sheet of an import: new mechanisms, and changes to listed ones."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from mechanisms.map_workbook.columns import KIND_VALUES, MECHANISMS, fold
from mechanisms.map_workbook.reading import (
    MECHANISM_LABELS,
    MapImportPlan,
    RowChange,
    check_length,
    diffs,
    known_id,
    read_choice,
    read_id,
)
from mechanisms.models import Mechanism
from wgec.documents.spreadsheets import Sheet


class MechanismSheet:
    def __init__(self, plan: MapImportPlan) -> None:
        self.plan = plan
        self.errors = plan.errors

    def plan_rows(self, sheet: Sheet) -> None:
        existing = {mechanism.pk: mechanism for mechanism in Mechanism.objects.all()}
        names = {fold(mechanism.name): mechanism.pk for mechanism in existing.values()}
        seen_ids: dict[int, int] = {}
        seen_names: dict[str, int] = {}
        validate_url = URLValidator(schemes=["http", "https"])
        changed: dict[str, list[Mechanism]] = defaultdict(list)
        for row in sheet.iter_rows():
            errors_before = len(self.errors)
            pk = read_id(sheet, row, "Mechanism ID", self.errors)
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
            check_length(sheet, row, "Name", name, 300, self.errors)
            check_length(sheet, row, "Acronym", row.text("Acronym"), 50, self.errors)
            kind = (
                read_choice(
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
            check_length(sheet, row, "Website", website, 200, self.errors)
            if website and len(website) <= 200:
                try:
                    validate_url(website)
                except ValidationError:
                    self.errors.append(
                        sheet.error(f"“{website}” is not a web address.", row=row, column="Website")
                    )
            known_id(self.errors, sheet, row, "Mechanism ID", pk, seen_ids, existing, "mechanism")
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
            changes = diffs(mechanism, values, labels=MECHANISM_LABELS)
            if not changes:
                self.plan.unchanged[MECHANISMS] += 1
                continue
            for attribute, _, _ in changes:
                setattr(mechanism, attribute, values[attribute])
            changed[",".join(sorted(attr for attr, _, _ in changes))].append(mechanism)
            self.plan.changes.append(
                RowChange(
                    MECHANISMS,
                    row.number,
                    f"Mechanism {pk}",
                    "updated",
                    [(label, old, new) for _, label, (old, new) in changes],
                    record=("mechanism", pk),
                )
            )
        self.plan.mechanisms_changed = dict(changed)
