"""DOCX documents as a UN secretariat issues them, through python-docx.

``docx_document`` opens an A4 document with the title block of a working document;
``DocxWriter`` then writes headings, numbered paragraphs and plain tables in time linear in the
document's length, however long it is.
"""

import datetime
import io
import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from docx import Document as new_docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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
    note: str = "",
) -> Document:
    """A new A4 document opening with the symbol, date and title of a working document.

    With ``title_page`` the title stands alone on the first page; ``note`` (what the document
    is, e.g. illustrative data) stands under the title.
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
    if note:
        document.add_paragraph(xml_safe(note)).runs[0].italic = True
    if title_page:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return document


class DocxWriter:
    """Writes a python-docx document in time linear in its length.

    python-docx inserts every new block before the section properties at the end of the body,
    which it finds by scanning the body (and looks the page width up for every table): a
    document of thousands of blocks takes quadratic time. The writer takes the section
    properties out, appends each block at the end, and puts them back in ``close``. Runs are
    built directly, because python-docx sets run text a character at a time.
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self.body = document.element.body
        section = document.sections[-1]
        self.width = section.page_width - section.left_margin - section.right_margin
        self.section = self.body.sectPr
        if self.section is not None:
            self.body.remove(self.section)
        self.styles: dict[str, object] = {}
        self.number = 0

    def _style(self, name: str):
        if name not in self.styles:
            self.styles[name] = self.document.styles[name]
        return self.styles[name]

    def paragraph(
        self, text: str = "", *, style: str = "", bold: bool = False, italic: bool = False
    ) -> Paragraph:
        element = OxmlElement("w:p")
        self.body.append(element)
        paragraph = Paragraph(element, self.document._body)
        if style:
            paragraph.style = self._style(style)
        if text:
            _append_run(element, text, bold=bold, italic=italic)
        return paragraph

    def heading(self, text: str, level: int) -> Paragraph:
        return self.paragraph(text, style=f"Heading {level}")

    def text(self, text: str) -> None:
        """A text as paragraphs, one per line its author wrote."""
        for part in [part.strip() for part in (text or "").split("\n") if part.strip()] or [""]:
            self.paragraph(part)

    def numbered(self, text: str) -> Paragraph:
        """A numbered paragraph: numbers run on through the document, as UN documents number
        them."""
        self.number += 1
        paragraph = self.paragraph()
        paragraph.paragraph_format.left_indent = Cm(1.0)
        paragraph.paragraph_format.first_line_indent = Cm(-1.0)
        _append_run(paragraph._p, f"{self.number}.\t{text}")
        return paragraph

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        widths_cm: Sequence[float] | None = None,
    ) -> Table:
        rows = [list(row) for row in rows]
        element = CT_Tbl.new_tbl(len(rows) + 1, len(headers), self.width)
        self.body.append(element)
        table = Table(element, self.document._body)
        table.style = self._style("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for index, row in enumerate([headers, *rows]):
            for column, (tc, value) in enumerate(
                zip(element.tr_lst[index].tc_lst, row, strict=True)
            ):
                text = "" if value is None else str(value)
                if text:
                    _append_run(tc.p_lst[0], text, bold=index == 0)
                if widths_cm and column < len(widths_cm):
                    tc.width = Cm(widths_cm[column])
        return table

    def page_break(self) -> None:
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def close(self) -> bytes:
        if self.section is not None:
            self.body.append(self.section)
            self.section = None
        return docx_bytes(self.document)


def _append_run(paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    run = OxmlElement("w:r")
    if bold or italic:
        properties = OxmlElement("w:rPr")
        for flag, tag in ((bold, "w:b"), (italic, "w:i")):
            if flag:
                properties.append(OxmlElement(tag))
        run.append(properties)
    parts = xml_safe(text).split("\t")
    for index, part in enumerate(parts):
        if index:
            run.append(OxmlElement("w:tab"))
        if part:
            content = OxmlElement("w:t")
            content.text = part
            content.set(qn("xml:space"), "preserve")
            run.append(content)
    paragraph.append(run)


def docx_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
