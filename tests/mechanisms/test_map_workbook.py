"""The map workbook: export, edit in a spreadsheet program, import exactly that edit."""

import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from issues.models import Issue
from mechanisms.map_workbook.export import map_xlsx
from mechanisms.map_workbook.imports import map_import_apply, map_import_plan
from mechanisms.models import Coverage, Gap, MapImport, Mechanism
from project.demo import demo_load
from tests.mechanisms.map_dataset import build_map_dataset
from wgec.documents.spreadsheets import read_workbook

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


def _history_rows() -> int:
    return sum(model.history.count() for model in (Issue, Mechanism, Coverage, Gap))


def _edit(workbook_bytes: bytes, edit) -> bytes:
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(sheet, first_cell):
    return next(row for row in sheet.iter_rows(min_row=2) if row[0].value == first_cell)


def test_export_then_import_changes_nothing_on_the_demo_map():
    demo_load()
    before = _history_rows()
    plan = map_import_plan([("map.xlsx", map_xlsx())])
    assert plan.ok, plan.errors
    assert not plan.changed
    counts = plan.counts()
    assert counts["Issues"]["unchanged"] == Issue.objects.count()
    assert counts["Coverage"]["unchanged"] == Coverage.objects.count()
    map_import_apply(plan)
    assert _history_rows() == before


def test_csv_tables_round_trip_through_the_commands(tmp_path):
    build_map_dataset()
    out = StringIO()
    call_command("export_map", "-o", str(tmp_path / "map.csv"), stdout=out)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["map-coverage.csv", "map-issues.csv", "map-mechanisms.csv"]
    assert all(f"wrote {tmp_path / name}" in out.getvalue() for name in names)
    coverage = (tmp_path / "map-coverage.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in coverage  # escaped so that spreadsheet programs do not run it
    out = StringIO()
    call_command("import_map", *(str(tmp_path / name) for name in names), stdout=out)
    assert "Coverage: 0 created, 0 updated, 0 removed, 4 unchanged" in out.getvalue()
    assert "Nothing to change." in out.getvalue()


def test_xlsx_export_keeps_formula_like_text_as_text():
    build_map_dataset()
    sheet = load_workbook(io.BytesIO(map_xlsx()))["Coverage"]
    cell = _row(sheet, 9101)[3]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"


def _assert_the_libreoffice_edits_were_applied():
    spam = Issue.objects.get(pk=9102)
    assert spam.title == "Spam and unsolicited communications"
    assert spam.gaps.get(type="awareness").description == (
        "Users are unaware of reporting channels."
    )
    assert spam.gaps.get(type="policy").recommendation == "Name a forum."
    iot = Issue.objects.get(title="The Internet of Things")
    assert iot.state == "on_map" and iot.cluster.slug == "infrastructure"
    assert not iot.needs_agreement
    assert Mechanism.objects.get(pk=9001).website == "https://www.itu.int/en/"
    assert Mechanism.objects.get(acronym="IETF").kind == "standards"
    changed = Coverage.objects.get(issue=9102, mechanism=9003)
    assert changed.status == "not_addressing"
    assert changed.evidence == "Convention 185 does not cover spam."
    assert not Coverage.objects.filter(issue=9101, mechanism=9002).exists()
    assert Coverage.objects.get(issue=9101, mechanism=9001).evidence == '=HYPERLINK("http://x")'
    assert (
        Issue.objects.get(pk=9101).description == "Coordination of the DNS.\r\nIncluding new gTLDs."
    )


def test_libreoffice_resaved_workbook_imports_as_no_change():
    build_map_dataset()
    plan = map_import_plan([("map.xlsx", (FILES / "map-libreoffice-resaved.xlsx").read_bytes())])
    assert plan.ok, plan.errors
    assert plan.changes == []


def test_libreoffice_edited_workbook_imports_as_exactly_those_edits():
    build_map_dataset()
    plan = map_import_plan([("map.xlsx", (FILES / "map-libreoffice-edited.xlsx").read_bytes())])
    assert plan.ok, plan.errors
    assert {(c.sheet, c.action) for c in plan.changes} == {
        ("Issues", "updated"),
        ("Issues", "created"),
        ("Mechanisms", "updated"),
        ("Mechanisms", "created"),
        ("Coverage", "updated"),
        ("Coverage", "deleted"),
    }
    assert len(plan.changes) == 6
    map_import_apply(plan)
    _assert_the_libreoffice_edits_were_applied()


def test_libreoffice_semicolon_csv_tables_import_the_same_edits():
    build_map_dataset()
    files = [
        (path.name, path.read_bytes())
        for path in sorted(FILES.glob("map-libreoffice-edited-*.csv"))
    ]
    plan = map_import_plan(files)
    assert plan.ok, plan.errors
    map_import_apply(plan)
    _assert_the_libreoffice_edits_were_applied()


def test_a_second_import_of_new_rows_is_refused_not_duplicated():
    build_map_dataset()
    content = (FILES / "map-libreoffice-edited.xlsx").read_bytes()
    map_import_apply(map_import_plan([("map.xlsx", content)]))
    again = map_import_plan([("map.xlsx", content)])
    messages = [str(error) for error in again.errors]
    assert any("“The Internet of Things” exists as Issue ID" in m for m in messages)
    assert any("exists as Mechanism ID" in m for m in messages)
    assert Issue.objects.filter(title="The Internet of Things").count() == 1


def test_every_bad_value_is_reported_with_sheet_row_and_column_and_nothing_is_written():
    build_map_dataset()

    def spoil(workbook):
        spam = _row(workbook["Issues"], 9102)
        spam[2].value = "Outer space"
        spam[7].value = "Policy; Budget"
        _row(workbook["Issues"], 9101)[4].value = "Archived"
        workbook["Issues"].append([9999, "Ghost", "Security", "", "On the map"])
        _row(workbook["Coverage"], 9102)[2].value = "Mostly"
        workbook["Coverage"].append([9101, 4242, "Addressing", ""])
        workbook["Mechanisms"].append(["abc", "Nameless body", "", "Club", "not a url"])

    before = _history_rows()
    plan = map_import_plan([("map.xlsx", _edit(map_xlsx(), spoil))])
    messages = [str(error) for error in plan.errors]
    expected = [
        "Sheet “Issues”, row 3, column “Cluster”: unknown cluster “Outer space”.",
        "Sheet “Issues”, row 3, column “Gap types”: unknown gap type “Budget”",
        "Sheet “Issues”, row 2, column “State”: unknown state “Archived”",
        "Sheet “Issues”, row 5, column “Issue ID”: no issue has the ID 9999",
        "Sheet “Coverage”, row 4, column “Status”: unknown status “Mostly”",
        "Sheet “Coverage”, row 6, column “Mechanism ID”: no mechanism has the ID 4242",
        "Sheet “Mechanisms”, row 5, column “Mechanism ID”: “abc” is not an ID.",
        "Sheet “Mechanisms”, row 5, column “Kind”: unknown kind “Club”",
        "Sheet “Mechanisms”, row 5, column “Website”: “not a url” is not a web address.",
    ]
    for text in expected:
        assert any(message.startswith(text) for message in messages), (text, messages)
    with pytest.raises(ValueError):
        map_import_apply(plan)
    assert _history_rows() == before


def test_a_pair_listed_twice_is_refused_and_a_pair_listed_with_a_bad_value_is_not_removed():
    build_map_dataset()

    def edit(workbook):
        coverage = workbook["Coverage"]
        for row in coverage.iter_rows(min_row=2):
            if (row[0].value, row[1].value) == (9101, 9002):
                row[2].value = "Mostly"
        coverage.append([9102, 9003, "Addressing", "Listed again"])

    plan = map_import_plan([("map.xlsx", _edit(map_xlsx(), edit))])
    rows = {
        (row.text("Issue ID"), row.text("Mechanism ID")): row.number
        for row in read_workbook(map_xlsx(), "map.xlsx")["Coverage"].rows
    }
    assert [str(error) for error in plan.errors] == [
        f"Sheet “Coverage”, row {rows['9101', '9002']}, column “Status”: unknown status "
        "“Mostly” (one of: Addressing; Partly addressing; Not addressing; Unknown).",
        "Sheet “Coverage”, row 6, column “Mechanism ID”: issue 9102 and mechanism 9003 are also "
        f"paired on row {rows['9102', '9003']}.",
    ]
    assert [(change.sheet, change.action) for change in plan.changes] == []


def test_merges_and_unagreed_additions_are_refused_with_a_reason():
    build_map_dataset()

    def edit(workbook):
        spam = _row(workbook["Issues"], 9102)
        spam[4].value = "Merged"
        spam[5].value = 9101
        _row(workbook["Issues"], 9103)[4].value = "On the map"

    plan = map_import_plan([("map.xlsx", _edit(map_xlsx(), edit))])
    messages = " ".join(str(error) for error in plan.errors)
    assert "row 3, column “State”: issues are merged, and merges undone, with the admin" in messages
    assert "row 4, column “State”: this issue was added after the second meeting" in messages


def test_gaps_need_their_type_when_several_are_listed():
    build_map_dataset()

    def edit(workbook):
        spam = _row(workbook["Issues"], 9102)
        spam[8].value = "Two gaps but no types written"

    plan = map_import_plan([("map.xlsx", _edit(map_xlsx(), edit))])
    assert [str(error) for error in plan.errors] == [
        "Sheet “Issues”, row 3, column “Gaps”: start the text of each gap with its type, as in "
        "“Policy: …”."
    ]


def test_missing_required_column_and_unknown_file_are_clear():
    plan = map_import_plan([("map.csv", b"Issue ID;Name\r\n1;x\r\n")])
    assert [str(e) for e in plan.errors] == [
        "No Issues, Mechanisms or Coverage table found (check the sheet names or the column "
        "headers)."
    ]
    plan = map_import_plan([("map.ods", b"%PDF-1.4 ...")])
    assert str(plan.errors[0]) == (
        "The file “map.ods” is a PDF document, not a spreadsheet: choose .xlsx or .csv."
    )


def test_import_command_dry_run_writes_nothing_and_errors_exit_non_zero(tmp_path):
    build_map_dataset()
    edited = tmp_path / "map.xlsx"
    edited.write_bytes((FILES / "map-libreoffice-edited.xlsx").read_bytes())
    out = StringIO()
    call_command("import_map", str(edited), "--dry-run", stdout=out)
    assert "Issues, row 3: Issue 9102 updated" in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert Issue.objects.get(pk=9102).title == "Spam"
    bad = tmp_path / "bad.csv"
    bad.write_text("Issue ID,Mechanism ID,Status\r\n9101,9001,Sideways\r\n")
    err = StringIO()
    with pytest.raises(CommandError, match="1 error; nothing was imported"):
        call_command("import_map", str(bad), stdout=StringIO(), stderr=err)
    assert "column “Status”: unknown status “Sideways”" in err.getvalue()


def _upload(client, name: str, content: bytes):
    return client.post(
        reverse("admin:issues_issue_map_import"),
        {"files": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_admin_import_previews_then_applies_under_the_importing_user(
    secretariat_client, secretariat_user
):
    build_map_dataset()
    response = _upload(
        secretariat_client, "map-edited.xlsx", (FILES / "map-libreoffice-edited.xlsx").read_bytes()
    )
    text = response.content.decode()
    assert "Import of map-edited.xlsx" in text
    assert "Ready to apply" in text
    assert "<del>Spam</del> → <ins>Spam and unsolicited communications</ins>" in text
    assert Issue.objects.get(pk=9102).title == "Spam"
    upload = MapImport.objects.get()
    preview_url = response.redirect_chain[-1][0]
    done = secretariat_client.post(
        preview_url, {"fingerprint": upload.preview["fingerprint"]}, follow=True
    )
    assert "Imported on" in done.content.decode()
    _assert_the_libreoffice_edits_were_applied()
    spam = Issue.objects.get(pk=9102)
    assert spam.history.first().history_user == secretariat_user
    assert Coverage.history.filter(history_type="-").get().history_user == secretariat_user
    upload.refresh_from_db()
    assert upload.state == MapImport.State.APPLIED and upload.applied_by == secretariat_user
    # Confirming again does nothing more.
    again = secretariat_client.post(
        preview_url, {"fingerprint": upload.preview["fingerprint"]}, follow=True
    )
    assert "This import is applied." in again.content.decode()


def test_admin_import_shows_errors_and_writes_nothing(secretariat_client):
    build_map_dataset()
    before = _history_rows()
    response = _upload(
        secretariat_client,
        "coverage.csv",
        b"Issue ID,Mechanism ID,Status\r\n9101,77,Addressing\r\n9102,9001,Maybe\r\n",
    )
    text = response.content.decode()
    assert "Nothing can be imported until 2 problems in the file are corrected" in text
    assert "row 2, column “Mechanism ID”: no mechanism has the ID 77" in text
    assert "row 3, column “Status”: unknown status “Maybe”" in text
    assert "Apply these changes" not in text
    assert MapImport.objects.get().state == MapImport.State.INVALID
    assert _history_rows() == before


def test_admin_confirmation_of_a_stale_preview_shows_the_new_preview(secretariat_client):
    build_map_dataset()
    response = _upload(
        secretariat_client, "map.xlsx", (FILES / "map-libreoffice-edited.xlsx").read_bytes()
    )
    fingerprint = MapImport.objects.get().preview["fingerprint"]
    Mechanism.objects.filter(pk=9001).update(website="https://example.org/")
    stale = secretariat_client.post(
        response.redirect_chain[-1][0], {"fingerprint": fingerprint}, follow=True
    )
    assert "The map changed since you saw the preview" in stale.content.decode()
    assert Issue.objects.get(pk=9102).title == "Spam"
    assert MapImport.objects.get().state == MapImport.State.READY


def test_admin_upload_form_refuses_other_files(secretariat_client):
    response = secretariat_client.post(
        reverse("admin:issues_issue_map_import"),
        {"files": SimpleUploadedFile("map.ods", b"...")},
    )
    assert "map.ods: choose .xlsx or .csv files." in response.content.decode()
    assert not MapImport.objects.exists()


def test_a_worker_that_fails_marks_the_import_failed(secretariat_user, monkeypatch):
    from mechanisms.map_workbook import imports as map_workbook

    monkeypatch.setattr(map_workbook, "map_import_plan", lambda files: 1 / 0)
    map_workbook.map_import_upload(files=[("map.xlsx", b"x")], user=secretariat_user)
    upload = MapImport.objects.get()
    assert upload.state == MapImport.State.FAILED
    assert "could not be read" in upload.error


def test_admin_export_downloads_the_workbook(secretariat_client):
    build_map_dataset()
    response = secretariat_client.get(reverse("admin:issues_issue_map_export"))
    assert response["Content-Disposition"].startswith('attachment; filename="wgec-map.xlsx"')
    sheets = read_workbook(response.content, "map.xlsx")
    assert [row.text("Title") for row in sheets["Issues"].rows] == [
        "Domain name system",
        "Spam",
        "Algorithmic accountability",
    ]
