"""PDF documents typeset by Typst (PyPI's ``typst``: Typst's compiler inside the wheel), joined
by qpdf (PyPI's ``pikepdf``).

The long documents (the final document and the initial output) go through here: Typst lays out
thousands of pages in seconds, where WeasyPrint takes minutes and gigabytes. A template is a
``.typ`` file under ``templates/``; what the document says reaches it as JSON in
``sys.inputs.data`` and the template reads it with ``json()``: user text is data, placed as
text, never parsed as Typst markup, so no escaping can be forgotten.

Typst holds every page of a compilation in memory (about a megabyte a page), and keeps what it
laid out in a cache that lives as long as the process: a long document is typeset in parts,
each in a process of its own (forked, gone when the part is done), and the parts' pages are
joined.
"""

import atexit
import glob
import io
import json
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

# The fonts the templates name (serif, with the Arabic, Hebrew and Chinese scripts): Times New
# Roman or Liberation Serif where installed, else DejaVu Serif and Noto (Debian's
# fonts-dejavu-core, fonts-noto-core, fonts-noto-cjk); Typst's embedded fonts are the last
# fallback. Only these are read: reading
# every font the system has would take longer than a part of the document.
FONT_FILES = [
    "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman*.ttf",
    "/usr/share/fonts/truetype/liberation*/LiberationSerif-*.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif*.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerif-*.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-*.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerifHebrew-*.ttf",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-*.ttc",
]


@cache
def _font_folder() -> str:
    """A folder of links to FONT_FILES (Typst reads fonts by folder)."""
    folder = tempfile.mkdtemp(prefix="wgec-fonts-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for pattern in FONT_FILES:
        for path in glob.glob(pattern):
            os.symlink(path, os.path.join(folder, os.path.basename(path)))
    return folder


@dataclass
class TypesetPart:
    pdf: bytes
    pages: int
    marks: list  # the values of the metadata the template labelled with the label asked for


def _compile(path: Path, data: str, marks: str) -> tuple[bytes, list]:
    import typst  # imported here: only PDFs need the compiler

    compiler = typst.Compiler(
        str(path),
        root=str(path.parent),
        font_paths=[_font_folder()],
        ignore_system_fonts=True,
        sys_inputs={"data": data},
    )
    pdf = compiler.compile(format="pdf")
    found = json.loads(compiler.query(f"<{marks}>", field="value")) if marks else []
    return pdf, found


def typeset(template: str, data: dict, *, marks: str = "") -> TypesetPart:
    """Typeset ``template`` (a path under templates/) with ``data`` (JSON-serialisable) as PDF,
    in a process of its own; with ``marks``, the values of the template's ``metadata``
    labelled ``<marks>`` (where its headings fell, say)."""
    import pikepdf

    path: Path = settings.BASE_DIR / "templates" / template
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    _font_folder()  # made once, by this process
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: typeset, answer through the pipe, leave without clean-up
        try:
            answer = ("ok", *_compile(path, text, marks))
        except BaseException as error:  # noqa: BLE001 - the parent raises it
            answer = ("error", f"{type(error).__name__}: {error}", None)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(pickle.dumps(answer))
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    if not answer:
        raise RuntimeError(f"Typesetting {template} stopped without an answer.")
    status, pdf, found = pickle.loads(answer)  # noqa: S301 - from our own child process
    if status == "error":
        raise RuntimeError(f"Typesetting {template} failed: {pdf}")
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
        joined.docinfo["/Title"] = title
        joined.docinfo["/Author"] = author
        buffer = io.BytesIO()
        joined.save(buffer, compress_streams=True)
    for source in sources:
        source.close()
    return buffer.getvalue()
