"""The map import refuses rows changed in the map since the export the workbook came from
(issue 11, item 2): the export stamps the workbook, the import compares with the history."""

import io

import pytest
from openpyxl import load_workbook

from issues.models import Issue
from mechanisms.map_workbook.export import map_xlsx
from mechanisms.map_workbook.imports import map_import_plan
from mechanisms.models import Coverage, Mechanism
from mechanisms.services import coverage_set
from tests.factories import UserFactory
from tests.mechanisms.map_dataset import build_map_dataset

pytestmark = pytest.mark.django_db


def _edit(workbook_bytes: bytes, edit) -> bytes:
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row_number(sheet, first_cell) -> int:
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == first_cell)


def test_export_is_stamped_with_its_moment_in_a_hidden_sheet():
    build_map_dataset()
    workbook = load_workbook(io.BytesIO(map_xlsx()))
    assert workbook.sheetnames == ["Issues", "Mechanisms", "Coverage", "About"]
    assert workbook["About"].sheet_state == "hidden"
    assert workbook["About"]["A1"].value == "Exported at"


def test_a_row_whose_issue_changed_since_the_export_is_refused_naming_sheet_row_and_id():
    build_map_dataset()
    exported = map_xlsx()
    editor = UserFactory(username="coordinator")
    dns = Issue.objects.get(pk=9101)
    dns.description = "Changed in the admin after the export."
    dns._history_user = editor
    dns.save()

    def edit(workbook):
        workbook["Issues"].cell(_row_number(workbook["Issues"], 9101), 2).value = "DNS"
        workbook["Issues"].cell(_row_number(workbook["Issues"], 9102), 2).value = "Spam and scams"

    data = _edit(exported, edit)
    plan = map_import_plan([("map.xlsx", data)])
    row = _row_number(load_workbook(io.BytesIO(data))["Issues"], 9101)
    assert len(plan.errors) == 1
    error = plan.errors[0]
    assert (error.sheet, error.row, error.column) == ("Issues", row, "Issue ID")
    assert error.message.startswith("Issue 9101 was changed on ")
    assert "by coordinator, after this workbook was exported" in error.message
    assert "importing this row would undo that change" in error.message
    # Issue 9102 was not changed since: only the stale row is refused (and nothing is written).
    assert Issue.objects.get(pk=9101).title == "Domain name system"
    assert Issue.objects.get(pk=9102).title == "Spam"


def test_a_fresh_export_edited_imports_and_an_unstamped_workbook_is_not_checked():
    build_map_dataset()
    exported = map_xlsx()

    def edit(workbook):
        workbook["Issues"].cell(_row_number(workbook["Issues"], 9102), 2).value = "Spam and scams"

    plan = map_import_plan([("map.xlsx", _edit(exported, edit))])
    assert plan.ok, plan.errors
    mechanism = Mechanism.objects.get(pk=9001)
    mechanism.acronym = "UIT"
    mechanism.save()

    def edit_and_unstamp(workbook):
        workbook["Mechanisms"].cell(_row_number(workbook["Mechanisms"], 9001), 3).value = "I.T.U."
        del workbook["About"]

    assert map_import_plan([("map.xlsx", _edit(exported, edit_and_unstamp))]).ok


def test_coverage_added_since_the_export_is_not_removed_by_the_older_workbook():
    build_map_dataset()
    exported = map_xlsx()
    coverage_set(
        issue=Issue.objects.get(pk=9101),
        mechanism=Mechanism.objects.get(pk=9003),
        status="partly",
    )  # a pair the workbook does not have: importing it would remove the pair
    plan = map_import_plan([("map.xlsx", exported)])
    assert len(plan.errors) == 1
    error = plan.errors[0]
    assert (error.sheet, error.row) == ("Coverage", None)
    assert error.message.startswith("coverage of issue 9101 by mechanism 9003 was changed on ")
    assert "importing the workbook, which lacks it, would remove it" in error.message
    assert Coverage.objects.filter(issue_id=9101, mechanism_id=9003).exists()
