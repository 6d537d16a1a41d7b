import io

import docx
from django.template import engines

from tests.documents import pdf_text
from wgec.documents.docx import DocxWriter, docx_document
from wgec.documents.http import download
from wgec.documents.pdf import pdf_from_html


def test_docx_has_title_block_numbered_paragraphs_and_tables():
    writer = DocxWriter(
        docx_document(title="Final document", symbol="WGEC/CG/2014/1", title_page=True)
    )
    writer.numbered("The correspondence group met by e-mail.")
    writer.numbered("It reviewed the issues.\x07")
    writer.heading("Annex", 1)
    writer.paragraph("In italics", italic=True)
    writer.table(["Mechanism", "Status"], [["ITU", "Addressing"], ["W3C", None]])
    reopened = docx.Document(io.BytesIO(writer.close()))
    texts = [paragraph.text for paragraph in reopened.paragraphs]
    assert "Final document" in texts
    assert "1.\tThe correspondence group met by e-mail." in texts
    assert "2.\tIt reviewed the issues." in texts
    [table] = reopened.tables
    assert [cell.text for cell in table.rows[0].cells] == ["Mechanism", "Status"]
    assert [cell.text for cell in table.rows[1].cells] == ["ITU", "Addressing"]
    assert [cell.text for cell in table.rows[2].cells] == ["W3C", ""]
    # The section properties (page size and margins) stay last, where Word expects them.
    assert reopened.element.body[-1].tag.endswith("sectPr")
    assert round(reopened.sections[0].page_width.cm, 1) == 21.0
    assert reopened.paragraphs[-1].runs[0].italic
    assert reopened.core_properties.title == "Final document"


def test_pdf_renders_text_from_a_template():
    template = engines["django"].from_string(
        '{% extends "documents/base_document.html" %}{% block body %}'
        '<p class="numbered"><span class="n">1.</span>Право на доступ · 互联网</p>{% endblock %}'
    )
    html = template.render({"title": "Participants", "symbol": "WGEC/2013/2"})
    content = pdf_from_html(html)
    text = pdf_text(content)
    assert "Participants" in text
    assert "Право на доступ" in text


def test_download_names_the_file_safely():
    response = download(b"x", 'responses "by question".csv')
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="responses-by-question-.csv"'
