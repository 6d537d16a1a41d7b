"""Typst's parts typeset at once (wgec.documents.typeset): in the order asked for, whichever
finishes first; a part that fails stops the others and leaves no process behind. The final
document's template, asked only for running headers (pages of a header alone), is the document
typeset here."""

import os
from pathlib import Path

import pytest

from tests.documents import pdf_page_sizes, pdf_pages
from wgec.documents.typeset import joined_pdf, typeset_all

TEMPLATE = "reports/document/final_document.typ"


def _headers(first: int, runs: list) -> dict:
    map_columns = {"columns": ["Section", "Issue"], "widths": [0.3, 0.7]}
    return {
        "title": "Final document",
        "group_name": "Illustrative group",
        "running_header": "WGEC/CG/2014/2",
        "stamp": {"first": first, "runs": runs, "map": map_columns},
        # The document's language and its fixed words, as reports/typeset.py passes them.
        "lang": "en",
        "region": "gb",
        "dir": "ltr",
        "words": {"page": ["Page ", ""]},
    }


def _children() -> set[str]:
    """This process's children (other tests' servers among them, such as the mail tests' IMAP
    server: a test compares them before and after)."""
    return {
        child
        for task in Path(f"/proc/{os.getpid()}/task").iterdir()
        for child in (task / "children").read_text().split()
    }


def test_parts_typeset_two_at_once_come_back_in_the_order_asked_for():
    # The first part is the longest: the second and third finish before it.
    before = _children()
    counts = [40, 1, 2, 3]
    firsts = [2, 42, 43, 45]
    datas = [_headers(first, [["portrait", n]]) for first, n in zip(firsts, counts, strict=True)]
    parts = list(typeset_all(TEMPLATE, datas, workers=2))
    assert [part.pages for part in parts] == counts
    for part, first in zip(parts, firsts, strict=True):
        assert pdf_pages(part.pdf)[0] == f"WGEC/CG/2014/2 Page {first}"
    assert _children() <= before


def test_headers_of_landscape_pages_are_landscape_and_numbered_on():
    [part] = typeset_all(
        TEMPLATE, [_headers(5, [["portrait", 1], ["map-first", 1], ["map", 2], ["portrait", 1]])]
    )
    assert part.landscape == [False, True, True, True, False]
    assert pdf_pages(part.pdf) == [f"WGEC/CG/2014/2 Page {n}" for n in range(5, 10)]
    width, height = pdf_page_sizes(part.pdf)[1]
    assert width > height


def test_a_part_that_fails_says_so_and_leaves_no_process_behind():
    before = _children()
    broken = _headers(2, [["portrait", 1]])
    del broken["running_header"]
    datas = [_headers(2, [["portrait", 300]]), broken, _headers(2, [["portrait", 1]])]
    with pytest.raises(RuntimeError, match=f"Typesetting {TEMPLATE} failed.*running_header"):
        list(typeset_all(TEMPLATE, datas, workers=2))
    assert _children() <= before


def test_stamps_are_drawn_under_every_page_after_the_first_or_the_join_refuses():
    [body] = typeset_all(TEMPLATE, [_headers(1, [["portrait", 3]])])
    [stamp] = typeset_all(TEMPLATE, [_headers(2, [["portrait", 2]])])
    pages = pdf_pages(joined_pdf([body.pdf], stamps=[stamp.pdf]))
    # Each page of the body bears its own number; under pages 2 and 3, the stamps' numbers too.
    assert pages == [
        "WGEC/CG/2014/2 Page 1",
        "WGEC/CG/2014/2 Page 2 WGEC/CG/2014/2 Page 2",
        "WGEC/CG/2014/2 Page 3 WGEC/CG/2014/2 Page 3",
    ]
    with pytest.raises(RuntimeError, match="2 pages stamped, not 1"):
        joined_pdf([stamp.pdf], stamps=[stamp.pdf])
