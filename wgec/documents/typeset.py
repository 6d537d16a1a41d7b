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
import gc
import glob
import io
import json
import os
import pickle
import select
import shutil
import signal
import tempfile
from collections.abc import Iterable, Iterator, Sequence
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
    landscape: list[bool]  # each page's: wider than high


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


def _start(path: Path, data: dict, marks: str) -> tuple[int, int]:
    """Fork a process that typesets ``path`` with ``data`` and answers through a pipe: its id
    and the pipe's end to read."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: typeset, answer through the pipe, leave without clean-up
        os.close(read)
        try:
            answer = ("ok", *_compile(path, text, marks))
        except BaseException as error:  # noqa: BLE001 - the parent raises it
            answer = ("error", f"{type(error).__name__}: {error}", None)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(pickle.dumps(answer))
        os._exit(0)
    os.close(write)
    return pid, read


def _answer(template: str, pid: int, answer: bytes) -> TypesetPart:
    import pikepdf

    os.waitpid(pid, 0)
    if not answer:
        raise RuntimeError(f"Typesetting {template} stopped without an answer.")
    status, pdf, found = pickle.loads(answer)  # noqa: S301 - from our own child process
    if status == "error":
        raise RuntimeError(f"Typesetting {template} failed: {pdf}")
    with pikepdf.Pdf.open(io.BytesIO(pdf)) as document:
        landscape = [
            page.mediabox[2] - page.mediabox[0] > page.mediabox[3] - page.mediabox[1]
            for page in document.pages
        ]
    return TypesetPart(pdf, len(landscape), found, landscape)


def typeset_all(
    template: str, datas: Iterable[dict], *, marks: str = "", workers: int | None = None
) -> Iterator[TypesetPart]:
    """Typeset ``template`` (a path under templates/) once for each of ``datas``
    (JSON-serialisable), each in a process of its own, ``workers`` at once (by default
    settings.WGEC_TYPESET_WORKERS): the parts, in the order of ``datas``. ``datas`` is read
    only as a process is free to take the next, so the data of a long document is not all
    made at once. With ``marks``, each part's values of the template's ``metadata`` labelled
    ``<marks>`` (where its headings fell, say)."""
    path: Path = settings.BASE_DIR / "templates" / template
    workers = max(1, workers or settings.WGEC_TYPESET_WORKERS)
    _font_folder()  # made once, by this process
    pending = iter(enumerate(datas))
    running: dict[int, tuple[int, int, list[bytes]]] = {}  # pipe: (index, pid, what it said)
    done: dict[int, TypesetPart] = {}
    following = 0
    # The objects there are now are left out of garbage collection while processes forked from
    # this one typeset (Python's advice for forking): a collection would write to every one of
    # them, and the kernel would copy each page written for the forked processes' sake.
    gc.freeze()
    try:
        while True:
            while len(running) < workers:
                index, data = next(pending, (None, None))
                if index is None:
                    break
                pid, read = _start(path, data, marks)
                running[read] = (index, pid, [])
            if not running:
                break
            readable, _, _ = select.select(list(running), [], [])
            for read in readable:
                index, pid, chunks = running[read]
                chunk = os.read(read, 1 << 20)
                if chunk:
                    chunks.append(chunk)
                    continue
                os.close(read)
                del running[read]
                done[index] = _answer(template, pid, b"".join(chunks))
            while following in done:
                yield done.pop(following)
                following += 1
    finally:  # stopped early (an error, or the caller stopped reading): no process left behind
        for read, (_, pid, _) in running.items():
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
        gc.unfreeze()


def joined_pdf(
    parts: list[bytes], *, stamps: Sequence[bytes] = (), title: str = "", author: str = ""
) -> bytes:
    """The pages of ``parts`` (PDFs) one after another, as one PDF; the pages of ``stamps``
    (PDFs), one after another, drawn under the joined pages from the second on (the running
    header and page number, say, once every page's number is known).

    qpdf's own page selection joins the parts, from files: adding them page by page to a PDF
    in memory takes longer with each page already there (7 s for 13,000 pages, against 1 s)."""
    import pikepdf

    with tempfile.TemporaryDirectory(prefix="wgec-pdf-") as folder:
        files = []
        for index, part in enumerate(parts):
            files.append(os.path.join(folder, f"{index}.pdf"))
            Path(files[-1]).write_bytes(part)
        target = os.path.join(folder, "joined.pdf")
        pikepdf.Job(["qpdf", "--empty", "--pages", *files, "--", target]).run()
        sources = [pikepdf.Pdf.open(io.BytesIO(stamp)) for stamp in stamps]
        try:
            with pikepdf.Pdf.open(target) as joined:
                if stamps:
                    _stamp(joined, [page for source in sources for page in source.pages])
                joined.docinfo["/Title"] = title
                joined.docinfo["/Author"] = author
                buffer = io.BytesIO()
                joined.save(buffer, compress_streams=True)
        finally:
            for source in sources:
                source.close()
    return buffer.getvalue()


def _stamp(joined, stamp_pages: list) -> None:
    """Draw ``stamp_pages`` (pages of other PDFs), one after another, under the pages of
    ``joined`` from the second on."""
    pages = list(joined.pages)
    if len(stamp_pages) != len(pages) - 1:
        raise RuntimeError(f"{len(stamp_pages)} pages stamped, not {len(pages) - 1}.")
    for page, stamp_page in zip(pages[1:], stamp_pages, strict=True):
        _underlay(joined, page, stamp_page)


def _underlay(pdf, page, stamp):
    """Draw ``stamp`` (a page of another PDF, of the same size) under ``page``: its content as
    a form placed first in the page's content (pikepdf's add_underlay, without rewriting the
    page's own content stream)."""
    import pikepdf

    form = pdf.copy_foreign(stamp.as_form_xobject())
    name = page.add_resource(form, pikepdf.Name.XObject, prefix="Stamp")
    placed = page.calc_form_xobject_placement(form, name, pikepdf.Rectangle(page.mediabox))
    page.contents_add(b"q\n" + placed + b"\nQ\n", prepend=True)
