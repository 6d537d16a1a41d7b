"""PDF documents typeset by Typst (PyPI's ``typst``: Typst's compiler inside the wheel), joined
by qpdf (PyPI's ``pikepdf``).

The long documents (the final document and the initial output) go through here: Typst lays out
thousands of pages in seconds, where WeasyPrint takes minutes and gigabytes. A template is a
``.typ`` file under ``templates/``; what the document says reaches it as JSON in
``sys.inputs.data`` and the template reads it with ``json()``: user text is data, placed as
text, never parsed as Typst markup, so no escaping can be forgotten.

Typst holds every page of a compilation in memory (about a megabyte a page), so a long document
is typeset in parts, each a compilation of its own, and the parts' pages are joined.
"""

import io
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

# The fonts Debian installs (Noto, DejaVu; Liberation or Times New Roman where present): a
# template names them in its order of preference, Typst's embedded fonts are the last fallback.
FONT_FOLDERS = ["/usr/share/fonts"]


@cache
def _fonts():
    import typst  # imported here: only PDFs need the compiler

    return typst.Fonts(include_system_fonts=False, font_paths=FONT_FOLDERS)


@dataclass
class TypesetPart:
    pdf: bytes
    pages: int
    marks: list  # the values of the metadata the template labelled with the label asked for


def typeset(template: str, data: dict, *, marks: str = "") -> TypesetPart:
    """Typeset ``template`` (a path under templates/) with ``data`` (JSON-serialisable) as PDF;
    with ``marks``, the values of the template's ``metadata`` labelled ``<marks>`` (where its
    headings fell, say)."""
    import pikepdf
    import typst

    path: Path = settings.BASE_DIR / "templates" / template
    compiler = typst.Compiler(
        str(path),
        root=str(path.parent),
        font_paths=_fonts(),
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False, separators=(",", ":"))},
    )
    pdf = compiler.compile(format="pdf")
    found = json.loads(compiler.query(f"<{marks}>", field="value")) if marks else []
    with pikepdf.Pdf.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
    return TypesetPart(pdf, pages, found)


def joined_pdf(parts: list[bytes], *, title: str = "", author: str = "") -> bytes:
    """The pages of ``parts`` (PDFs) one after another, as one PDF."""
    import pikepdf

    sources = []  # open until the joined file is written: its pages are copied from them
    with pikepdf.Pdf.new() as joined:
        for part in parts:
            sources.append(pikepdf.Pdf.open(io.BytesIO(part)))
            joined.pages.extend(sources[-1].pages)
        with joined.open_metadata(set_pikepdf_as_editor=False) as metadata:
            if title:
                metadata["dc:title"] = title
            if author:
                metadata["dc:creator"] = [author]
        joined.docinfo["/Title"] = title
        joined.docinfo["/Author"] = author
        buffer = io.BytesIO()
        joined.save(buffer, compress_streams=True)
    for source in sources:
        source.close()
    return buffer.getvalue()
