import csv
import datetime
import io
import re

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl.utils import get_column_letter

from issues.models import Issue
from reports.final import document_issue
from reports.models import Deliverable, DocumentExport, EditableTemplate, Report
from tests.documents import pdf_text
from tests.factories import (
    CoverageFactory,
    DeliverableFactory,
    GapFactory,
    IssueFactory,
    ParticipantFactory,
)
from tests.reports.conftest import committed

pytestmark = pytest.mark.django_db


def _export(tmp_path, name: str, *args: str) -> bytes:
    path = tmp_path / name
    out = io.StringIO()
    call_command("export_final_document", "-o", str(path), *args, stdout=out)
    assert f"Wrote {path}" in out.getvalue()
    return path.read_bytes()


def test_docx_reads_like_a_working_document(tmp_path, small_map):
    document = docx.Document(io.BytesIO(_export(tmp_path, "final.docx")))
    texts = [p.text for p in document.paragraphs]
    assert "Final document of the CG" in texts
    # Prepared, not issued: no symbol, today's date, and said so.
    assert re.fullmatch(r"Distr\.: General\n\d{1,2} \w+ \d{4}\nOriginal: English", texts[0])
    assert any(t.startswith("Prepared from the map as it stood on") for t in texts)
    assert "1. Introduction" in texts
    assert any(t.startswith("1.\tAt its second meeting") for t in texts)
    assert "2. Infrastructure" in texts and "3. Security" in texts
    assert "3.1 Cybercrime" in texts and "3.2 Spam" in texts
    assert "Withdrawn one" not in " ".join(texts)
    assert any(t.endswith("\tCrime online.") for t in texts)
    assert any("Capacity gap. Few experts. Recommendation needed: Train." in t for t in texts)
    assert any("No mechanism addressing the issue has been identified." in t for t in texts)
    coverage = document.tables[0]
    assert [c.text for c in coverage.rows[1].cells] == [
        "Council of Europe (CoE)",
        "Partly addressing",
        "=Budapest Convention",
    ]
    referred = next(t for t in document.tables if t.rows[0].cells[0].text == "Option")
    assert referred.rows[1].cells[1].text == "[Keep it on the map.]"
    assert "Governments (1): Mr. Benedicto Fonseca (Brazil)" in referred.rows[1].cells[2].text
    assert referred.rows[2].cells[2].text == "No support stated"
    assert "Annex III. List of participants" in texts
    assert "States Members of the Working Group" in texts and "Brazil" in texts
    assert "Representatives from the civil society" in texts


def test_pdf_has_the_same_content(tmp_path, small_map):
    text = " ".join(pdf_text(_export(tmp_path, "final.pdf")).split())
    for expected in [
        "Final document of the CG",
        "1. Introduction",
        "Cybercrime",
        "Partly",
        "Capacity gap. Few experts. Recommendation needed: Train.",
        "Annex I. Items referred to the Working Group",
        "[Keep it on the map.]",
        "Annex III. List of participants",
        "Mr. Benedicto Fonseca",
    ]:
        assert expected in text
    assert "1. At its second meeting" in text


def test_xlsx_has_the_documents_tables_in_its_order_with_names_beside_ids(tmp_path, small_map):
    workbook = openpyxl.load_workbook(io.BytesIO(_export(tmp_path, "final.xlsx")))
    assert workbook.sheetnames == [
        "Issues",
        "Coverage",
        "Mechanisms",
        "Issues off the map",
        "Referred items",
        "Participants",
        "About",
    ]
    assert workbook.properties.title == "Final document of the CG"
    rows = {name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}
    # The map's order, the document's sections: 2.1 Net neutrality, 3.1 Cybercrime, 3.2 Spam.
    assert [row[:3] for row in rows["Issues"]] == [
        ("Section", "Issue ID", "Issue"),
        ("2.1", rows["Issues"][1][1], "Net neutrality"),
        ("3.1", rows["Issues"][2][1], "Cybercrime"),
        ("3.2", rows["Issues"][3][1], "Spam"),
    ]
    cyber = rows["Issues"][2]
    assert cyber[3:6] == ("Security", "Crime online.", "Agreed")
    assert cyber[7:] == ("Capacity gap", "Capacity gap: Few experts.", "Capacity gap: Train.")
    assert rows["Issues"][1][6] == "1"  # Net neutrality: annex I, item 1
    [coverage] = rows["Coverage"][1:]
    mechanism = rows["Mechanisms"][1]
    assert mechanism[1:3] == ("Council of Europe", "CoE")
    assert coverage == (
        "3.1",
        cyber[1],
        "Cybercrime",
        mechanism[0],
        "Council of Europe",
        "Partly addressing",
        "=Budapest Convention",
    )
    assert workbook["Coverage"]["G2"].data_type == "s"  # text, never a formula
    # Only the issues on the map are in the map's sheets; the others have a sheet of their own.
    assert [row[1:4] for row in rows["Issues off the map"][1:]] == [
        ("Withdrawn one", "Security", "Withdrawn")
    ]
    assert rows["Referred items"][1][4:6] == ("A", "[Keep it on the map.]")


def test_xlsx_sheets_filter_freeze_fit_and_print_landscape_to_the_width(tmp_path, small_map):
    workbook = openpyxl.load_workbook(io.BytesIO(_export(tmp_path, "final.xlsx")))
    for sheet in workbook.worksheets:
        columns = sheet.max_column
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(columns)}{sheet.max_row}"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    widths = workbook["Coverage"].column_dimensions
    # Fitted: the section narrow, the mechanism's name as wide as it is, a long text capped.
    assert widths["A"].width < widths["E"].width
    assert widths["E"].width >= len("Council of Europe")
    assert all(widths[letter].width <= 60 for letter in "ABCDEFG")


def test_csv_is_one_table_of_the_map_in_the_documents_order(tmp_path, small_map):
    text = _export(tmp_path, "final.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Section", "Cluster", "Issue ID", "Issue"]
    assert [row[0] for row in rows[1:]] == ["2.1", "3.1", "3.2"]
    by_issue = {row[3]: row for row in rows[1:]}
    assert by_issue["Cybercrime"][7:10] == [
        "Council of Europe",
        "Partly addressing",
        "'=Budapest Convention",
    ]
    assert by_issue["Cybercrime"][6] != ""  # the mechanism's ID beside its name
    assert by_issue["Spam"][6:8] == ["", ""]
    assert "Withdrawn one" not in by_issue
    assert len(rows) == 1 + 3


def test_the_initial_output_takes_its_own_title_and_symbol(tmp_path, small_map):
    document = docx.Document(
        io.BytesIO(_export(tmp_path, "initial.docx", "--deliverable", "initial-output"))
    )
    texts = [p.text for p in document.paragraphs]
    assert "Initial output of the CG" in texts
    assert "This document presents the initial output" in " ".join(texts)


def test_an_unknown_extension_is_a_clear_error_and_nothing_is_written(tmp_path, small_map):
    with pytest.raises(CommandError, match=r"must end in \.docx, \.pdf, \.xlsx, \.csv"):
        call_command("export_final_document", "-o", str(tmp_path / "final.odt"))
    with pytest.raises(CommandError, match="No deliverable"):
        call_command(
            "export_final_document", "-o", str(tmp_path / "x.csv"), "--deliverable", "nope"
        )
    assert list(tmp_path.iterdir()) == []


def test_the_secretariats_wording_replaces_the_shipped_text(tmp_path, small_map):
    EditableTemplate.objects.create(
        name="reports/document/annex_participants_heading.txt",
        source="Participants of the {{ group_short_name }}",
    )
    document = docx.Document(io.BytesIO(_export(tmp_path, "final.docx")))
    assert "Annex III. Participants of the WGEC" in [p.text for p in document.paragraphs]


def test_coordinators_prepare_and_download_the_document(
    coordinator_client, observer_client, small_map
):
    response = committed(
        lambda: coordinator_client.post(
            "/reports/exports/", {"deliverable": "final-document", "format": "docx"}
        )
    )
    assert response.status_code == 302
    export = DocumentExport.objects.get()
    assert export.state == "done"
    page = coordinator_client.get("/reports/dashboard/").content.decode()
    assert f"/reports/exports/{export.pk}/" in page
    download = coordinator_client.get(f"/reports/exports/{export.pk}/")
    assert download["Content-Disposition"] == 'attachment; filename="final-document.docx"'
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "3.1 Cybercrime" in [p.text for p in document.paragraphs]
    assert observer_client.get(f"/reports/exports/{export.pk}/").status_code == 403
    assert observer_client.post("/reports/exports/", {"format": "pdf"}).status_code == 403


@pytest.mark.parametrize("size", [2, 20])
def test_export_download_query_budget(coordinator_client, django_assert_max_num_queries, size):
    DeliverableFactory(slug="final-document", kind="final_document")
    for n in range(size):
        CoverageFactory(issue=IssueFactory(title=f"Issue {n}"))
    committed(
        lambda: coordinator_client.post(
            "/reports/exports/", {"deliverable": "final-document", "format": "xlsx"}
        )
    )
    export = DocumentExport.objects.get()
    with django_assert_max_num_queries(8):
        assert coordinator_client.get(f"/reports/exports/{export.pk}/").status_code == 200


@pytest.mark.parametrize("format", ["docx", "pdf", "xlsx", "csv"])
def test_building_each_document_runs_a_constant_number_of_queries(
    django_assert_max_num_queries, format
):
    from reports.formats import final_document_bytes

    deliverable = DeliverableFactory(slug="final-document", kind="final_document")
    counts = []
    for size in (2, 12):
        for n in range(size):
            issue = IssueFactory(title=f"Issue {size}-{n}")
            CoverageFactory(issue=issue)
            GapFactory(issue=issue)
            ParticipantFactory()
        with django_assert_max_num_queries(25) as captured:
            final_document_bytes(
                issue=document_issue(deliverable, now=timezone.now()), format=format
            )
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_a_sent_final_document_publishes_its_frozen_files(client, small_map):
    from reports import services
    from reports.models import Deliverable

    deliverable = Deliverable.objects.get(slug="final-document")
    committed(lambda: services.report_send(deliverable=deliverable, introduction="Attached."))
    assert DocumentExport.objects.filter(frozen=True, state="done").count() == 4
    Issue.objects.filter(title="Cybercrime").update(title="Renamed later")
    response = client.get("/reports/final-document/documents/docx/")
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert "3.1 Cybercrime" in [p.text for p in document.paragraphs]
    page = client.get("/reports/final-document/").content.decode()
    assert "/reports/final-document/documents/pdf/" in page
    assert client.get("/reports/update-9/documents/docx/").status_code == 404


def test_a_prepared_document_bears_the_date_of_issue_set_on_its_draft(small_map):
    deliverable = Deliverable.objects.get(slug="final-document")
    Report.objects.create(deliverable=deliverable, issued_on=datetime.date(2014, 2, 12))
    issue = document_issue(deliverable, now=timezone.now())
    assert issue.date == datetime.date(2014, 2, 12)
    assert issue.moment is not None and issue.moment.date() >= datetime.date(2014, 2, 12)
    assert not issue.issued and issue.symbol == ""


def test_an_export_built_after_the_day_it_was_asked_for_bears_the_day_it_was_asked_for(
    small_map,
):
    from reports import services

    deliverable = Deliverable.objects.get(slug="final-document")
    export = DocumentExport.objects.create(deliverable=deliverable, format="docx")
    asked = timezone.now() - datetime.timedelta(days=2)
    DocumentExport.objects.filter(pk=export.pk).update(created_at=asked)
    built = services.document_export_build(export_id=export.pk)
    document = docx.Document(built.file.open("rb"))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [p.text for section in document.sections for p in section.header.paragraphs]
    )
    asked_day = timezone.localdate(asked)
    assert f"{asked_day.day} {asked_day:%B %Y}" in text
    today = timezone.localdate()
    assert f"{today.day} {today:%B %Y}" not in text
