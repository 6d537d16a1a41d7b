"""Documents as a UN secretariat issues them, and file downloads.

DOCX through python-docx (A4, a title block, numbered paragraphs, plain tables); PDF through
WeasyPrint from an HTML template (``templates/documents/base_document.html`` carries the page
set-up); downloads with a safe file name.
"""

import datetime
import io
import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from docx import Document as new_docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from wgec.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"

CONTENT_TYPES = {
    ".docx": DOCX_CONTENT_TYPE,
    ".pdf": PDF_CONTENT_TYPE,
    ".xlsx": XLSX_CONTENT_TYPE,
    ".csv": CSV_CONTENT_TYPE,
}

# python-docx cannot store the control characters XML 1.0 forbids.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text or "")


def docx_document(
    *,
    title: str,
    subtitle: str = "",
    symbol: str = "",
    date: datetime.date | None = None,
    title_page: bool = False,
) -> Document:
    """A new A4 document opening with the symbol, date and title of a working document.

    With ``title_page`` the title stands alone on the first page.
    """
    document = new_docx()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    document.core_properties.title = xml_safe(title)
    document.core_properties.author = settings.WGEC_GROUP_NAME

    header = document.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if symbol:
        header.add_run(xml_safe(symbol)).bold = True
    if date:
        header.add_run(f"\n{date:%-d %B %Y}")
    document.add_paragraph(settings.WGEC_GROUP_NAME).runs[0].italic = True
    heading = document.add_heading(xml_safe(title), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if subtitle:
        document.add_paragraph(xml_safe(subtitle)).runs[0].bold = True
    if title_page:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return document


class ParagraphNumbers:
    """Consecutive paragraph numbers across a document, as UN documents number them."""

    def __init__(self) -> None:
        self.number = 0

    def add(self, document: Document, text: str) -> None:
        self.number += 1
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(1.0)
        paragraph.paragraph_format.first_line_indent = Cm(-1.0)
        paragraph.add_run(f"{self.number}.\t")
        paragraph.add_run(xml_safe(text))


def docx_table(
    document: Document,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    widths_cm: Sequence[float] | None = None,
) -> None:
    # Document.add_table looks the page width up in the whole body for every table (quadratic
    # in a long document): the width is read once per document instead.
    width = getattr(document, "_wgec_block_width", None)
    if width is None:
        section = document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        document._wgec_block_width = width
    table = document._body.add_table(rows=1, cols=len(headers), width=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_safe(str(header))).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = xml_safe("" if value is None else str(value))
    if widths_cm:
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(width)


def docx_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(template: str, context: dict) -> bytes:
    """Render an HTML template (extending documents/base_document.html) to PDF."""
    return pdf_from_html(
        render_to_string(template, {"group_name": settings.WGEC_GROUP_NAME, **context})
    )


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def download(content: bytes, filename: str) -> HttpResponse:
    """An attachment response; the content type follows the file name's extension."""
    suffix = filename[filename.rfind(".") :].lower()
    response = HttpResponse(content, content_type=CONTENT_TYPES[suffix])
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or f"download{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response
