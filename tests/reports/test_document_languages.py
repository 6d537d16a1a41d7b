"""The final document in any of the six official languages, chosen when it is prepared: its
fixed wording (headings, annexes, table headers, "Distr.: General", the date of issue) in that
language, the map's own text as it was written; Arabic right to left, Chinese in a CJK font."""

import csv
import datetime
import io
import re
import subprocess
import zipfile

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from reports.models import Deliverable, DocumentExport, Report
from tests.documents import pdf_text
from tests.reports.conftest import committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated(small_map):
    """The final document's draft bears a date of issue of the exercise: the documents are
    dated from it, never from the clock."""
    deliverable = Deliverable.objects.get(slug="final-document")
    Report.objects.create(deliverable=deliverable, issued_on=datetime.date(2014, 1, 30))


def _export(tmp_path, name: str, *args: str) -> bytes:
    path = tmp_path / name
    out = io.StringIO()
    call_command("export_final_document", "-o", str(path), *args, stdout=out)
    assert f"Wrote {path}" in out.getvalue()
    return path.read_bytes()


def _paragraphs(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


def test_a_french_docx_bears_its_date_of_issue_in_french(tmp_path, dated):
    texts = _paragraphs(_export(tmp_path, "final.docx", "--language", "fr"))
    assert texts[0] == "Distr. générale\n30 janvier 2014\nOriginal : anglais"
    assert "Groupe de travail sur le renforcement de la coopération" in texts
    assert any(
        t.startswith("Établi à partir de la carte telle qu’elle était le 30 janvier 2014")
        for t in texts
    )
    assert "Table des matières" in texts and "Annexe III. Liste des participants" in texts


def test_a_french_docx_has_its_fixed_wording_in_french(tmp_path, small_map):
    content = _export(tmp_path, "final.docx", "--language", "fr")
    texts = _paragraphs(content)
    assert texts[0].startswith("Distr. générale\n") and texts[0].endswith("\nOriginal : anglais")
    assert "Table des matières" in texts
    assert "1. Introduction" in texts
    assert any(t.startswith("1.\tÀ sa deuxième réunion (Genève, 6-8 novembre 2013)") for t in texts)
    assert "Statut des mécanismes de gouvernance" in texts and "Lacunes éventuelles" in texts
    assert any("Recommandation nécessaire : Train." in t for t in texts)
    assert "Annexe I. Points renvoyés au Groupe de travail" in texts
    assert "Annexe III. Liste des participants" in texts
    assert "États membres du Groupe de travail" in texts
    # The map's own text stays as it was written.
    assert "3.1 Cybercrime" in texts and any(t.endswith("\tCrime online.") for t in texts)
    document = docx.Document(io.BytesIO(content))
    coverage = document.tables[0]
    assert [c.text for c in coverage.rows[0].cells] == [
        "Mécanisme",
        "Statut",
        "Éléments d’appréciation",
    ]
    assert coverage.rows[1].cells[0].text == "Council of Europe (CoE)"
    assert not any("Distr.: General" in t or "Original: English" in t for t in texts)


def test_an_arabic_docx_runs_right_to_left(tmp_path, dated):
    content = _export(tmp_path, "final.docx", "--language", "ar")
    texts = _paragraphs(content)
    assert texts[0] == "التوزيع: عام\n30 كانون الثاني/يناير 2014\nالأصل: بالإنكليزية"
    assert "المحتويات" in texts


def test_an_arabic_docx_sets_its_tables_right_to_left(tmp_path, small_map):
    content = _export(tmp_path, "final.docx", "--language", "ar")
    texts = _paragraphs(content)
    assert "المحتويات" in texts and "حالة آليات الحوكمة" in texts
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        styles = package.read("word/styles.xml").decode()
        body = package.read("word/document.xml").decode()
    defaults = re.search(r"<w:docDefaults>.*</w:docDefaults>", styles, re.S).group(0)
    assert "<w:bidi/>" in defaults and 'w:val="ar-SA"' in defaults
    assert "<w:bidiVisual/>" in body  # its tables too


def test_an_english_docx_stays_left_to_right(tmp_path, dated):
    content = _export(tmp_path, "final.docx")
    assert _paragraphs(content)[0] == "Distr.: General\n30 January 2014\nOriginal: English"
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert "<w:bidi/>" not in package.read("word/styles.xml").decode()
        assert "<w:bidiVisual/>" not in package.read("word/document.xml").decode()


def _fonts(content: bytes) -> str:
    return subprocess.run(
        ["pdffonts", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


def test_an_arabic_pdf_has_the_arabic_wording_in_an_arabic_font(tmp_path, dated):
    content = _export(tmp_path, "final.pdf", "--language", "ar")
    # pdftotext gives right-to-left words with embedding marks, each line's words from the
    # right: the words are checked one by one.
    words = set(re.sub("[\u202a-\u202e\u200e\u200f]", " ", pdf_text(content)).split())
    for expected in ["التوزيع", "عام", "المحتويات", "الحوكمة", "المشاركين", "الصفحة", "يناير"]:
        assert expected in words
    assert {"30", "2014"} <= words and "Distr." not in words
    assert "NotoNaskhArabic" in _fonts(content)


def test_a_chinese_pdf_has_the_chinese_wording_in_a_cjk_font(tmp_path, small_map):
    content = _export(tmp_path, "final.pdf", "--language", "zh-hans")
    text = "".join(pdf_text(content).split())
    for expected in ["目录", "1.导言", "治理机制的状况", "可能存在的差距", "附件三.与会者名单"]:
        assert expected in text
    assert "第2页" in text  # the running header, as Chinese writes a page number
    assert "NotoSerifCJK" in _fonts(content)


def test_a_french_pdf_has_the_french_wording(tmp_path, small_map):
    text = pdf_text(_export(tmp_path, "final.pdf", "--language", "fr"))
    for expected in [
        "Distr. générale",
        "Original : anglais",
        "Statut des mécanismes de gouvernance",
        "Annexe II. La carte : questions, mécanismes, leur statut et les lacunes",
        "Page 2",
    ]:
        assert expected in text


def test_a_chinese_pdf_bears_its_date_of_issue_in_chinese(tmp_path, dated):
    text = "".join(pdf_text(_export(tmp_path, "final.pdf", "--language", "zh-hans")).split())
    assert "2014年1月30日" in text and "加强合作工作组" in text


def test_the_workbook_names_its_sheets_in_the_language_and_keeps_english_headers(
    tmp_path, small_map
):
    workbook = openpyxl.load_workbook(
        io.BytesIO(_export(tmp_path, "final.xlsx", "--language", "fr"))
    )
    assert workbook.sheetnames[:3] == ["Questions", "Prise en charge", "Mécanismes"]
    header = [cell.value for cell in next(workbook["Questions"].iter_rows(max_row=1))]
    assert header[:3] == ["Section", "Issue ID", "Issue"]


def test_the_csv_is_english_data_whatever_the_language(tmp_path, small_map):
    french = _export(tmp_path, "final.csv", "--language", "fr")
    assert french == _export(tmp_path, "english.csv")
    rows = list(csv.reader(io.StringIO(french.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Section", "Cluster", "Issue ID", "Issue"]


def test_an_unknown_language_is_refused_with_the_languages_named(tmp_path, dated):
    path = tmp_path / "final.docx"
    with pytest.raises(CommandError) as error:
        call_command("export_final_document", "-o", str(path), "--language", "de")
    assert "Unknown language “de”" in str(error.value)
    assert "ar, zh-hans, en, fr, ru, es" in str(error.value)
    assert not path.exists()


def test_a_language_code_is_read_in_any_of_its_spellings(tmp_path, dated):
    text = pdf_text(_export(tmp_path, "final.pdf", "--language", "zh_Hans"))
    assert "目录" in text


def test_coordinators_prepare_the_document_in_a_language(coordinator_client, dated):
    page = coordinator_client.get("/reports/dashboard/").content.decode()
    assert '<option value="fr">français</option>' in page.lower()
    committed(
        lambda: coordinator_client.post(
            "/reports/exports/",
            {"deliverable": "final-document", "format": "docx", "language": "ru"},
        )
    )
    export = DocumentExport.objects.get()
    assert (export.state, export.language) == ("done", "ru")
    download = coordinator_client.get(f"/reports/exports/{export.pk}/")
    assert download["Content-Disposition"] == 'attachment; filename="final-document-ru.docx"'
    texts = _paragraphs(b"".join(download.streaming_content))
    assert texts[0].startswith("Distr.: общая\n") and "Содержание" in texts
