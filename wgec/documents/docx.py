"""DOCX documents as a UN secretariat issues them, through python-docx.

``docx_document`` opens an A4 document with the title block of a working document (symbol,
distribution and date of issue top right, the masthead, the title) in the plain house style:
black serif headings, no theme colours. ``DocxWriter`` then writes headings, numbered
paragraphs, tables, a table of contents and landscape sections in time linear in the
document's length, however long it is.
"""

import copy
import datetime
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from wgec.documents.direction import text_direction

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

SERIF = "Times New Roman"
# The font of right-to-left text: Times New Roman carries the Arabic and Hebrew scripts on the
# systems Word runs on (LibreOffice falls back to a font with the script where it does not).
COMPLEX_SCRIPT_FONT = "Times New Roman"

# python-docx cannot store the control characters XML 1.0 forbids.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# The UN's plain house style: sizes of the title and headings, all black, all serif, bold.
_HEADING_SIZES = {"Title": 16, "Heading 1": 13, "Heading 2": 12, "Heading 3": 11, "Heading 4": 11}


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
    masthead: Sequence[str] = (),
    distribution: bool = False,
    without_formal_editing: bool = False,
    running_header: str = "",
) -> Document:
    """A new A4 document opening with the symbol, date and title of a working document.

    ``masthead``: the lines naming the body, the group, the meeting, its place and dates (by
    default the group's name alone);
    ``distribution``: "Distr.: General" and "Original: English" beside the date;
    the fixed words and the date are in the active language, and an Arabic document runs right
    to left throughout;
    ``without_formal_editing``: the secretariat's line saying so; ``running_header``: the text
    (the symbol, say) of the header every page after the first carries with its page number.
    With ``title_page`` the title stands alone on the first page; ``note`` (what the document
    is, e.g. illustrative data) stands under the title.
    """
    document = new_docx()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    _plain_house_style(document)
    _document_language(document, translation.get_language() or "en")
    document.core_properties.title = xml_safe(title)
    document.core_properties.author = settings.WGEC_GROUP_NAME
    if running_header:
        _running_header(document, running_header)

    header = document.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if symbol:
        header.add_run(xml_safe(symbol)).bold = True
    lines = []
    if distribution:
        lines.append(_("Distr.: General"))
    if date:
        lines.append(date_format(date, "DATE_FORMAT"))
    if distribution:
        # The map is written in English: other languages' documents are its versions.
        lines.append(_("Original: English"))
    for index, line in enumerate(lines):
        if index or symbol:
            header.add_run().add_break()
        header.add_run(line)
    group = document.add_paragraph()
    if masthead:
        for index, line in enumerate(masthead):
            if index:
                group.add_run().add_break()
            group.add_run(xml_safe(line)).bold = index < 2
    else:
        group.add_run(_(settings.WGEC_GROUP_NAME)).italic = True
    if without_formal_editing:
        document.add_paragraph(_("This document is being reproduced without formal editing."))
    heading = document.add_heading(xml_safe(title), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if subtitle:
        document.add_paragraph(xml_safe(subtitle)).runs[0].bold = True
    if note:
        document.add_paragraph(xml_safe(note)).runs[0].italic = True
    if title_page:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return document


# The language tags Word gives a document's text, by the site's language codes.
_WORD_LANGUAGES = {
    "ar": "ar-SA",
    "zh-hans": "zh-CN",
    "en": "en-GB",
    "fr": "fr-FR",
    "ru": "ru-RU",
    "es": "es-ES",
}


def _document_language(document: Document, language: str) -> None:
    """The document's language (spelling, hyphenation, the script's fonts), and for a language
    written right to left every paragraph and table set right to left by default."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for element in run_defaults.findall(qn("w:lang")):
        run_defaults.remove(element)
    tag = _WORD_LANGUAGES.get(language, "en-GB")
    run_defaults.append(
        OxmlElement(
            "w:lang",
            {
                qn("w:val"): tag,
                qn("w:eastAsia"): "zh-CN" if language == "zh-hans" else "en-GB",
                qn("w:bidi"): "ar-SA",
            },
        )
    )
    if not translation.get_language_info(language).get("bidi"):
        return
    paragraph_defaults = defaults.find(qn("w:pPrDefault"))
    if paragraph_defaults is None:
        paragraph_defaults = OxmlElement("w:pPrDefault")
        defaults.append(paragraph_defaults)
    properties = paragraph_defaults.find(qn("w:pPr"))
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph_defaults.append(properties)
    properties.insert(0, OxmlElement("w:bidi"))
    fonts = run_defaults.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_defaults.insert(0, fonts)
    fonts.attrib.pop(qn("w:cstheme"), None)  # a theme's font would win over the one named
    fonts.set(qn("w:cs"), COMPLEX_SCRIPT_FONT)


def _plain_house_style(document: Document) -> None:
    """Title and headings black, bold and serif: python-docx's template gives them theme
    colours and theme fonts (Word's blue Calibri Light), which its API cannot take away."""
    for name, size in _HEADING_SIZES.items():
        style = document.styles[name]
        properties = style.element.get_or_add_rPr()
        for tag in ("w:rFonts", "w:color", "w:sz", "w:szCs", "w:i", "w:spacing", "w:kern"):
            for element in properties.findall(qn(tag)):
                properties.remove(element)
        style.font.name = SERIF
        style.font.bold = True
        style.font.size = Pt(size)
        style.font.italic = False
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "000000")
        properties.append(color)
        paragraph = style.element.get_or_add_pPr()
        for element in paragraph.findall(qn("w:pBdr")):  # the Title's blue rule
            paragraph.remove(element)
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True


def _field(paragraph, instruction: str, result: str = "") -> None:
    """A Word field (PAGE, TOC ...) with the result shown until the field is updated."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        run = OxmlElement("w:r")
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run.append(element)
        paragraph.append(run)
    if result:
        _append_run(paragraph, result)
    end = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end.append(char)
    paragraph.append(end)


def _running_header(document: Document, text: str) -> None:
    """Every page after the first: ``text`` on the left, the page number on the right."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    width = section.page_width - section.left_margin - section.right_margin
    stops = paragraph.paragraph_format.tab_stops
    for position in (Twips(4680), Twips(9360)):  # the Header style's stops, for Letter paper
        stops.add_tab_stop(position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    # "Page 2", "第2页": the words around the number, in the document's language.
    before, _number, after = _("Page %(number)s").partition("%(number)s")
    _append_run(paragraph._p, f"{text}\t{before}", bold=True)
    _field(paragraph._p, "PAGE", "2")
    if after:
        _append_run(paragraph._p, after, bold=True)


class DocxWriter:
    """Writes a python-docx document in time linear in its length and memory that does not
    grow with it.

    python-docx inserts every new block before the section properties at the end of the body,
    which it finds by scanning the body (and looks the page width up for every table): a
    document of thousands of blocks takes quadratic time. The writer takes the section
    properties out, appends each block at the end, and puts them back in ``close``. Runs are
    built directly, because python-docx sets run text a character at a time, and styles are
    set by their ID, because python-docx looks the default style up on every assignment.

    The body is streamed: python-docx makes the skeleton (styles, settings, headers, the
    section's properties), and the blocks written, once a few hundred are waiting, go as XML
    into the package's word/document.xml (compressed as they come) and leave the tree. Only the
    block last returned can still be changed by the caller (a paragraph's indent, say); the
    writer never goes back to an earlier one.
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self.body = document.element.body
        section = document.sections[-1]
        self.portrait_width = section.page_width - section.left_margin - section.right_margin
        self.landscape_width = section.page_height - section.left_margin - section.right_margin
        self.width = self.portrait_width
        self.section = self.body.sectPr
        # A table of a right-to-left document runs right to left (its first column on the right).
        self._table_direction = "<w:bidiVisual/>" if translation.get_language_bidi() else ""
        if self.section is not None:
            self.body.remove(self.section)
        self.style_ids: dict[str, str] = {}
        self.number = 0
        self.sections = 1
        # The blocks not yet streamed wait in a body element of their own, outside the
        # document: streamed, they are dropped with it at once (taking each out of the
        # document's tree would cost lxml a walk over its elements).
        self._blocks = OxmlElement("w:body")
        for block in list(self.body):
            self._blocks.append(block)
        self._waiting = len(self._blocks)
        self._output = io.BytesIO()
        self._package = zipfile.ZipFile(self._output, "w", zipfile.ZIP_DEFLATED)
        self._head, self._tail, self._types = self._skeleton()
        self._package.writestr(_CONTENT_TYPES, self._types)
        self._stream = self._package.open(_DOCUMENT_XML, "w", force_zip64=True)
        self._stream.write(self._head)

    def _skeleton(self) -> tuple[bytes, bytes, bytes]:
        """The document part's XML around its body's blocks, and the package's content types
        (written first, where programs that sniff a file's type look for them)."""
        document = etree.tostring(
            self.document.element, encoding="UTF-8", xml_declaration=True, standalone=True
        )
        head, _, tail = document.partition(b"<w:body/>")
        return head + b"<w:body>", b"</w:body>" + tail, self._parts()[_CONTENT_TYPES]

    def _parts(self) -> dict[str, bytes]:
        """The package's parts as python-docx writes them (its document part's body empty)."""
        saved = io.BytesIO()
        self.document.save(saved)
        with zipfile.ZipFile(saved) as package:
            return {name: package.read(name) for name in package.namelist()}

    def _append(self, element) -> None:
        # The blocks before this one are done (a caller changes only the block last returned).
        if self._waiting >= _STREAM_EVERY:
            self._flush()
        self._blocks.append(element)
        self._waiting += 1

    def _flush(self) -> None:
        """Stream the waiting blocks into the document part."""
        if self._waiting:
            xml = etree.tostring(self._blocks, encoding="UTF-8", xml_declaration=False)
            # Their XML without the tags of the body element that held them.
            self._stream.write(xml[xml.index(b">") + 1 : -len(b"</w:body>")])
        self._blocks = OxmlElement("w:body")
        self._waiting = 0

    def _style_id(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def paragraph(
        self,
        text: str = "",
        *,
        style: str = "",
        bold: bool = False,
        italic: bool = False,
        rtl: bool = False,
        indent: str = "",
    ) -> Paragraph:
        """A paragraph; ``rtl``: set right to left (Arabic, Hebrew ...), in a font with the
        script; ``indent``: a hanging indent of that many twips."""
        element = OxmlElement("w:p")
        self._append(element)
        # The properties built in their schema order (style, indentation, direction), appended:
        # python-docx's get_or_add searches the element's children for where each one goes.
        if style or rtl or indent:
            properties = OxmlElement("w:pPr")
            element.append(properties)
            if style:
                properties.append(OxmlElement("w:pStyle", {qn("w:val"): self._style_id(style)}))
            if indent:
                properties.append(
                    OxmlElement("w:ind", {qn("w:left"): indent, qn("w:hanging"): indent})
                )
            if rtl:
                properties.append(OxmlElement("w:bidi"))
        if text:
            _append_run(element, text, bold=bold, italic=italic, rtl=rtl)
        return Paragraph(element, self.document._body)

    def heading(self, text: str, level: int) -> Paragraph:
        return self.paragraph(text, style=f"Heading {level}")

    def text(self, text: str, *, language: str = "") -> None:
        """A text as paragraphs, one per line its author wrote, each set in the direction its
        script runs (right to left for Arabic, say; ``language`` decides a line without
        letters)."""
        for part in [part.strip() for part in (text or "").split("\n") if part.strip()] or [""]:
            self.paragraph(part, rtl=text_direction(part, language) == "rtl")

    def numbered(self, text: str) -> Paragraph:
        """A numbered paragraph: numbers run on through the document, as UN documents number
        them."""
        self.number += 1
        return self.paragraph(f"{self.number}.\t{text}", indent=_NUMBER_INDENT)

    def contents(self, entries: Iterable[tuple[int, str]], *, levels: int = 2) -> None:
        """A table of contents: a TOC field Word fills in with page numbers (it asks to update
        the document's fields on opening), showing ``entries`` (level, heading) until then."""
        self.paragraph(_("Contents"), style="Heading 1")
        paragraph = self.paragraph()
        _field(paragraph._p, f'TOC \\o "1-{levels}" \\h \\z \\u')
        # The field's result, which Word replaces, as paragraphs between begin and end.
        end = paragraph._p[-1]
        paragraph._p.remove(end)
        for level, text in entries:
            line = self.paragraph(text)
            line.paragraph_format.left_indent = Cm(0.75 * (level - 1))
            line.paragraph_format.space_after = Pt(2)
        closing = self.paragraph()
        closing._p.append(end)
        settings_element = self.document.settings.element
        if settings_element.find(qn("w:updateFields")) is None:
            update = OxmlElement("w:updateFields")
            update.set(qn("w:val"), "true")
            settings_element.append(update)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        widths_cm: Sequence[float] | None = None,
    ) -> None:
        """A table whose header row repeats on every page and whose rows never split across
        pages; without ``widths_cm`` its columns are fitted to their content (its first rows).

        The table's XML is written as text straight into the document part, a few thousand
        rows at a time: python-docx would build and look up every cell's elements one by one,
        and lxml would hold them all (the map's annex has a row per coverage row)."""
        rows = iter(rows)
        first = [_cells(row) for row in itertools.islice(rows, _FITTED_ROWS)]
        widths = (
            [Cm(width) for width in widths_cm]
            if widths_cm
            else fitted_widths(headers, first, int(self.width))
        )
        # Columns beyond the widths given keep an equal share of the line, as python-docx sets.
        share = Emu(int(self.width) // len(headers)).twips
        twips = [Emu(width).twips for width in widths[: len(headers)]]
        twips += [share] * (len(headers) - len(twips))
        cells = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>' for width in twips]
        self._flush()
        parts = [
            "<w:tbl><w:tblPr>"
            f'<w:tblStyle w:val="{self._style_id("Table Grid")}"/>{self._table_direction}'
            '<w:tblW w:type="auto" w:w="0"/>'
            '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" '
            'w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" '
            'w:val="04A0"/></w:tblPr><w:tblGrid>',
            *(f'<w:gridCol w:w="{width}"/>' for width in twips),
            "</w:tblGrid>",
        ]
        all_rows = itertools.chain([list(headers)], first, map(_cells, rows))
        for index, row in enumerate(all_rows):
            if len(row) != len(headers):
                raise ValueError(
                    f"Row {index} of the table has {len(row)} cells; its header has "
                    f"{len(headers)} columns."
                )
            parts.append(
                "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                if index == 0
                else "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            )
            for cell, text in zip(cells, row, strict=True):
                parts.append(cell)
                parts.append(
                    f"<w:p>{_run_xml(text, bold=index == 0)}</w:p></w:tc>"
                    if text
                    else "<w:p/></w:tc>"
                )
            parts.append("</w:tr>")
            if len(parts) >= _TABLE_PARTS:
                self._stream.write("".join(parts).encode())
                parts.clear()
        parts.append("</w:tbl>")
        self._stream.write("".join(parts).encode())

    def page_break(self) -> None:
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def landscape(self) -> None:
        """What follows goes on landscape pages (until ``portrait``)."""
        self._end_section(landscape=False)
        self.width = self.landscape_width

    def portrait(self) -> None:
        """What follows goes on portrait pages again."""
        self._end_section(landscape=True)
        self.width = self.portrait_width

    def _end_section(self, *, landscape: bool) -> None:
        """Close the section written so far: in DOCX a section's properties stand in its last
        paragraph. The first keeps its title page (no header on page 1); later ones do not."""
        properties = copy.deepcopy(self.section)
        if self.sections > 1:
            _inherit_headers(properties)
        if landscape:
            size = properties.find(qn("w:pgSz"))
            width, height = size.get(qn("w:w")), size.get(qn("w:h"))
            size.set(qn("w:w"), height)
            size.set(qn("w:h"), width)
            size.set(qn("w:orient"), "landscape")
        paragraph = self.paragraph()
        paragraph._p.get_or_add_pPr().append(properties)
        self.sections += 1

    def close(self) -> bytes:
        """The document's bytes: the last blocks and the section's properties streamed, the
        document part closed, python-docx's other parts added to the package."""
        if self.section is not None:
            if self.sections > 1:
                _inherit_headers(self.section)
            self._append(self.section)
            self.section = None
        self._flush()
        self._stream.write(self._tail)
        self._stream.close()
        parts = self._parts()
        if parts[_CONTENT_TYPES] != self._types:
            raise RuntimeError("A part was added to the document after its writer began.")
        for name, content in parts.items():
            if name not in (_CONTENT_TYPES, _DOCUMENT_XML):
                self._package.writestr(name, content)
        self._package.close()
        return self._output.getvalue()


# A table's columns are fitted to this many of its first rows; its XML is written this many
# pieces at a time.
_FITTED_ROWS = 200
_TABLE_PARTS = 20_000
# The body's blocks go into the document part this many at a time.
_STREAM_EVERY = 500
_CONTENT_TYPES = "[Content_Types].xml"
_DOCUMENT_XML = "word/document.xml"

# What a character and a cell's margins take, in EMU, at the body's 11 points (bold headers
# are a little wider): enough to say how wide a column must be, not to lay it out.
_CHARACTER = int(Cm(0.22))
_CELL_MARGINS = int(Cm(0.45))
# A numbered paragraph's hanging indent, in twips: its number in the first centimetre.
_NUMBER_INDENT = str(Cm(1.0).twips)


def _inherit_headers(properties) -> None:
    """A later section takes the first one's running header (linked to the previous section),
    without a title page of its own."""
    for tag in ("w:titlePg", "w:headerReference", "w:footerReference"):
        for element in properties.findall(qn(tag)):
            properties.remove(element)


def fitted_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], total: int) -> list[int]:
    """Column widths (EMU) sharing ``total`` by what each column holds: each at least as wide
    as its longest word (a header or a status never breaks inside a word), the rest of the
    width shared by how long the column's texts typically are (measured on the first rows)."""
    sample = rows[:200]
    least, wanted = [], []
    for column, header in enumerate(headers):
        texts = [row[column] for row in sample if column < len(row)]
        lengths = sorted(_display_width(text) for text in texts) or [0]
        typical = lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]
        words = [
            _display_width(unit) for text in [*texts, header] for unit in _UNBROKEN.findall(text)
        ]
        least.append(max(words or [1]) * _CHARACTER + _CELL_MARGINS)
        wanted.append(max(least[-1], min(typical, 80) * _CHARACTER + _CELL_MARGINS))
    if sum(least) >= total:
        return [int(total * width / sum(least)) for width in least]
    if sum(wanted) <= total:
        return [int(total * width / sum(wanted)) for width in wanted]
    spare = total - sum(least)
    extra = [want - low for want, low in zip(wanted, least, strict=True)]
    return [int(low + spare * more / sum(extra)) for low, more in zip(least, extra, strict=True)]


# What a line never breaks inside: a word, or a single Chinese or Japanese character (those
# lines break between any two).
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_UNBROKEN = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+")


def _display_width(text: str) -> int:
    """How many characters' widths a text takes: a Chinese character two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cells(row: Sequence[object]) -> list[str]:
    return ["" if value is None else str(value) for value in row]


def _append_run(
    paragraph, text: str, *, bold: bool = False, italic: bool = False, rtl: bool = False
) -> None:
    run = OxmlElement("w:r")
    if bold or italic or rtl:
        properties = OxmlElement("w:rPr")
        if rtl:
            # Word takes a right-to-left run's font from the complex-script slot.
            fonts = OxmlElement("w:rFonts")
            fonts.set(qn("w:cs"), COMPLEX_SCRIPT_FONT)
            properties.append(fonts)
        for flag, tag in ((bold, "w:b"), (bold and rtl, "w:bCs"), (italic, "w:i")):
            if flag:
                properties.append(OxmlElement(tag))
        if italic and rtl:
            properties.append(OxmlElement("w:iCs"))
        if rtl:
            properties.append(OxmlElement("w:rtl"))
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


def _run_xml(text: str, *, bold: bool = False) -> str:
    """The XML of a run as ``_append_run`` builds it (without right-to-left), as a string."""
    parts = xml_safe(text).split("\t")
    content = "<w:tab/>".join(
        f'<w:t xml:space="preserve">{escape(part)}</w:t>' if part else "" for part in parts
    )
    return f"<w:r><w:rPr><w:b/></w:rPr>{content}</w:r>" if bold else f"<w:r>{content}</w:r>"


def docx_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
