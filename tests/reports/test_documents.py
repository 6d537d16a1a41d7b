import csv
import io
import re

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from consensus.models import ConsensusItem
from issues.models import Issue
from mechanisms.map_workbook.columns import COVERAGE_COLUMNS, ISSUE_COLUMNS, MECHANISM_COLUMNS
from reports.models import DocumentExport, EditableTemplate
from tests.documents import pdf_text
from tests.factories import (
    ClusterFactory,
    ConsensusItemFactory,
    CoverageFactory,
    DeliverableFactory,
    GapFactory,
    IssueFactory,
    MechanismFactory,
    OptionFactory,
    OptionSupportFactory,
    ParticipantFactory,
    StakeholderGroupFactory,
)
from tests.reports.conftest import committed
from wgec.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_map(db):
    DeliverableFactory(
        slug="final-document", kind="final_document", title="Final document of the CG"
    )
    DeliverableFactory(
        slug="initial-output", kind="initial_output", title="Initial output of the CG"
    )
    security = ClusterFactory(slug="security")
    cyber = IssueFactory(title="Cybercrime", cluster=security, description="Crime online.")
    coe = MechanismFactory(name="Council of Europe", acronym="CoE")
    CoverageFactory(issue=cyber, mechanism=coe, status="partly", evidence="=Budapest Convention")
    GapFactory(issue=cyber, type="capacity", description="Few experts.", recommendation="Train.")
    IssueFactory(title="Spam", cluster=security, description="Unsolicited mail.")
    IssueFactory(title="Withdrawn one", cluster=security, state=Issue.State.WITHDRAWN)
    item = ConsensusItemFactory(
        issue=IssueFactory(title="Net neutrality", cluster=ClusterFactory(slug="infrastructure")),
        state=ConsensusItem.State.REFERRED,
        referred_on="2014-01-28",
        summary="Whether net neutrality is an international public policy issue.",
    )
    option = OptionFactory(item=item, label="A", text="[Keep it on the map.]")
    OptionFactory(item=item, label="B", text="[Leave it to national regulators.]")
    OptionSupportFactory(
        option=option,
        participant=ParticipantFactory(name="Benedicto Fonseca", honorific="Mr.", country="BR"),
    )
    ParticipantFactory(
        name="Joy Liddicoat",
        stakeholder_group=StakeholderGroupFactory(slug="civil-society"),
        role=Participant.Role.COORDINATOR,
    )


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
    assert re.match(r"\n\d{1,2} \w+ \d{4}", texts[0])
    assert any(t.startswith("Prepared from the map as it stood on") for t in texts)
    assert "I. Introduction" in texts
    assert any(t.startswith("1.\tAt its second meeting") for t in texts)
    assert "A. Infrastructure" in texts and "B. Security" in texts
    assert "Cybercrime" in texts and "Withdrawn one" not in texts
    assert any(t.endswith("\tCrime online.") for t in texts)
    assert any("Capacity gap. Few experts. Recommendation needed: Train." in t for t in texts)
    assert any("No mechanism addressing the issue has been identified." in t for t in texts)
    coverage = document.tables[0]
    assert [c.text for c in coverage.rows[1].cells] == [
        "Council of Europe (CoE)",
        "Partly addressing",
        "=Budapest Convention",
    ]
    referred = document.tables[-1]
    assert referred.rows[1].cells[1].text == "[Keep it on the map.]"
    assert "Governments (1): Mr. Benedicto Fonseca (Brazil)" in referred.rows[1].cells[2].text
    assert referred.rows[2].cells[2].text == "No support stated"
    assert "Annex II. List of participants" in texts
    assert "States Members of the Working Group" in texts and "Brazil" in texts
    assert "Representatives from the civil society" in texts


def test_pdf_has_the_same_content(tmp_path, small_map):
    text = " ".join(pdf_text(_export(tmp_path, "final.pdf")).split())
    for expected in [
        "Final document of the CG",
        "I. Introduction",
        "Cybercrime",
        "Partly",
        "Capacity gap. Few experts. Recommendation needed: Train.",
        "Annex I. Items referred to the Working Group",
        "[Keep it on the map.]",
        "Annex II. List of participants",
        "Mr. Benedicto Fonseca",
    ]:
        assert expected in text
    assert "1. At its second meeting" in text


def test_xlsx_has_the_map_sheets_with_the_map_workbook_columns(tmp_path, small_map):
    workbook = openpyxl.load_workbook(io.BytesIO(_export(tmp_path, "final.xlsx")))
    assert workbook.sheetnames == [
        "Issues",
        "Mechanisms",
        "Coverage",
        "Referred items",
        "Participants",
        "About",
    ]
    rows = {name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}
    assert list(rows["Issues"][0]) == ISSUE_COLUMNS
    assert list(rows["Mechanisms"][0]) == MECHANISM_COLUMNS
    assert list(rows["Coverage"][0]) == COVERAGE_COLUMNS
    cyber = next(row for row in rows["Issues"] if row[1] == "Cybercrime")
    assert cyber[2:5] == ("Security", "Crime online.", "On the map")
    assert cyber[7:] == ("Capacity", "Capacity: Few experts.", "Capacity: Train.")
    assert any(row[1] == "Withdrawn one" and row[4] == "Withdrawn" for row in rows["Issues"])
    [coverage] = rows["Coverage"][1:]
    assert coverage == (
        cyber[0],
        rows["Mechanisms"][1][0],
        "Partly addressing",
        "=Budapest Convention",
    )
    cell = workbook["Coverage"]["D2"]
    assert cell.data_type == "s"  # text, never a formula
    assert rows["Referred items"][1][4:6] == ("A", "[Keep it on the map.]")


def test_csv_is_one_table_of_the_map(tmp_path, small_map):
    text = _export(tmp_path, "final.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Cluster", "Issue ID", "Issue"]
    by_issue = {row[2]: row for row in rows[1:]}
    assert by_issue["Cybercrime"][5:8] == [
        "Council of Europe",
        "Partly addressing",
        "'=Budapest Convention",
    ]
    assert by_issue["Spam"][5] == ""
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
    assert "Annex II. Participants of the WGEC" in [p.text for p in document.paragraphs]


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
    assert "Cybercrime" in [p.text for p in document.paragraphs]
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
            final_document_bytes(deliverable=deliverable, format=format)
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
    assert "Cybercrime" in [p.text for p in document.paragraphs]
    page = client.get("/reports/final-document/").content.decode()
    assert "/reports/final-document/documents/pdf/" in page
    assert client.get("/reports/update-9/documents/docx/").status_code == 404
