"""The final document's PDF, typeset by Typst (templates/reports/document/final_document.typ).

The document is typeset in parts, each a Typst compilation of its own, and their pages joined
(``wgec.documents.typeset``): the title page with the contents; the body, a few thousand table
rows at a time (a part after the first goes on where the last stopped, on a new page); the map's
annex, landscape, a few thousand rows at a time; the list of participants. A part holds at most a
few hundred pages, so memory does not grow with the map. The parts are typeset at once
(settings.WGEC_TYPESET_WORKERS, one a core), so none knows the page it starts on: a part leaves
the running header's place empty and reports its headings' pages within it. Once every part's
pages are counted, the title page is typeset again with the contents' page numbers (first with
the widest numbers, so that it takes the same pages), and the running headers (symbol and page
number, on every page after the first) are typeset as pages of a header alone, of the same sizes,
and drawn under the joined pages.

Paragraph numbers are counted here, on through the parts, as the DOCX counts them.
"""

import itertools
from collections.abc import Iterable, Iterator, Sequence

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx.shared import Cm

from reports.final import (
    MAP_TABLE_HEADING,
    REMAINING_HEADING,
    FinalDocument,
    annex_heading,
    in_document_language,
)
from reports.formats import (
    CONTENTS_ISSUE_LIMIT,
    GAPS_HEADING,
    ILLUSTRATIVE_ITEM,
    NO_GAP,
    NO_MECHANISM,
    NO_REFERRAL,
    STATUS_HEADING,
    _notes,
    coverage_columns,
    listed_for,
    map_table_columns,
    map_table_rows,
    option_columns,
    remaining_line,
    remaining_lists,
    see_section,
)
from wgec.documents.docx import fitted_widths
from wgec.documents.typeset import joined_pdf, typeset_all
from wgec.participants import participant_line

TEMPLATE = "reports/document/final_document.typ"
# A body part: about this many table rows and paragraphs (some 150 pages); a map part: this
# many rows (some 150 landscape pages). Typst takes about a megabyte a page while it typesets.
BODY_PART_WEIGHT = 3_000
MAP_PART_ROWS = 5_000
# The running headers are typeset this many pages at a time (a page of a header alone is small).
STAMP_PAGES = 2_000
# A table of at most this many rows and characters is kept on one page (its header row then
# never needs repeating); a longer one is a table whose header repeats on every page.
KEEP_ROWS = 20
KEEP_CHARACTERS = 2_500
# The lines of a portrait and a landscape page (the template's margins), in EMU.
PORTRAIT_LINE = int(Cm(21.0 - 2 * 2.5))
LANDSCAPE_LINE = int(Cm(29.7 - 2 * 2.2))
# How Typst names each language: its text's language and region (hyphenation, quotes, the
# direction, Chinese line breaking). The template's fonts name a serif font of each script.
TYPST_LANGUAGES = {
    "ar": ("ar", None),
    "zh-hans": ("zh", "cn"),
    "en": ("en", "gb"),
    "fr": ("fr", "fr"),
    "ru": ("ru", "ru"),
    "es": ("es", "es"),
}


def _language(doc: FinalDocument) -> dict:
    """The document's language for Typst, and its fixed words (data, never markup)."""
    lang, region = TYPST_LANGUAGES.get(doc.language, TYPST_LANGUAGES["en"])
    return {
        "lang": lang,
        "region": region,
        "dir": "rtl" if translation.get_language_bidi() else "ltr",
        "words": {
            "distribution": _("Distr.: General"),
            "original": _("Original: English"),
            "without_formal_editing": _(
                "This document is being reproduced without formal editing."
            ),
            "contents": _("Contents"),
            # "Page 2", "第2页": the number's place in the words.
            "page": _("Page %(number)s").split("%(number)s", 1),
            "introduction": _("1. Introduction"),
            "status_heading": str(STATUS_HEADING),
            "gaps_heading": str(GAPS_HEADING),
            "coverage_columns": coverage_columns(),
            "option_columns": option_columns(),
            "recommendation": _("Recommendation needed:"),
            "no_referral": str(NO_REFERRAL),
            "illustrative_item": str(ILLUSTRATIVE_ITEM),
        },
    }


def _shares(
    headers: Sequence[str], rows: Sequence[Sequence[str]], line: int = PORTRAIT_LINE
) -> list[float]:
    """A table's columns as shares of the line (EMU), fitted to what they hold as in the
    DOCX."""
    return [round(width / line, 4) for width in fitted_widths(headers, rows, line)]


def _keep(rows: Sequence[Sequence[str]]) -> bool:
    return len(rows) <= KEEP_ROWS and sum(len(cell) for row in rows for cell in row) <= (
        KEEP_CHARACTERS
    )


class _Counter:
    """The numbered paragraphs' numbers, on through the document."""

    def __init__(self) -> None:
        self.numbers = itertools.count(1)

    def __call__(self, text: str) -> list:
        return [next(self.numbers), text]


def _issue(issue, anchor: bool, number: _Counter) -> dict:
    coverage = [[c.mechanism, c.status_label, c.evidence] for c in issue.coverage]
    columns = coverage_columns()
    return {
        "heading": issue.heading,
        "anchor": f"s-{issue.number}" if anchor else None,
        "description": number(issue.description) if issue.description else None,
        "consensus": number(issue.consensus_note) if issue.consensus_note else None,
        "coverage": coverage,
        "widths": _shares(columns, coverage) if coverage else [],
        "keep": _keep(coverage),
        "no_mechanism": None if coverage else number(str(NO_MECHANISM)),
        "gaps": [
            [next(number.numbers), gap.type_label, gap.description, gap.recommendation]
            for gap in issue.gaps
        ],
        "no_gap": None if issue.gaps else number(str(NO_GAP)),
    }


def _body_parts(doc: FinalDocument, number: _Counter) -> Iterator[dict]:
    """The body's parts: the introduction and the clusters' sections, BODY_PART_WEIGHT at a
    time, then what remains (a draft's) and annex I."""
    anchors = doc.issue_count <= CONTENTS_ISSUE_LIMIT
    part: dict = {"introduction": [number(text) for text in doc.introduction], "clusters": []}
    weight = 0
    for cluster in doc.clusters:
        entry = {
            "heading": cluster.heading,
            "anchor": f"c-{cluster.number}",
            "description": number(cluster.description) if cluster.description else None,
            "issues": [],
        }
        part["clusters"].append(entry)
        for issue in cluster.issues:
            if weight >= BODY_PART_WEIGHT:
                yield part
                # The cluster goes on in the next part, without its heading again.
                entry = {"heading": None, "anchor": None, "description": None, "issues": []}
                part, weight = {"clusters": [entry]}, 0
            entry["issues"].append(_issue(issue, anchors, number))
            weight += 4 + len(issue.coverage) + len(issue.gaps)
    if doc.remaining is not None:
        part["remaining"] = {
            "heading": f"{doc.remaining_number}. {REMAINING_HEADING}",
            "lists": [
                [next(number.numbers), remaining_line(heading, items), items]
                for heading, items in remaining_lists(doc)
            ],
        }
    items = []
    columns = option_columns()
    for index, item in enumerate(doc.referred, start=1):
        options = [[option.label, option.text, option.support_text] for option in item.options]
        items.append(
            {
                "heading": f"{index}. {item.subject}",
                "section": see_section(item.section) if item.section else "",
                "illustrative": item.illustrative,
                "summary": item.summary,
                "referral": item.referral,
                "options": options,
                "widths": _shares(columns, options) if options else [],
                "keep": _keep(options),
                "decision": item.decision,
            }
        )
    part["annex_referred"] = {
        "heading": annex_heading(1, doc.annex_referred_heading),
        "intro": doc.annex_referred_intro,
        "items": items,
    }
    yield part


def _map_parts(doc: FinalDocument) -> Iterator[dict]:
    """Annex II, MAP_PART_ROWS rows at a time; its columns fitted to its first rows."""
    rows = map_table_rows(doc)
    first = list(itertools.islice(rows, MAP_PART_ROWS))
    columns = map_table_columns()
    widths = _shares(columns, first[:200], LANDSCAPE_LINE)
    heading = annex_heading(2, MAP_TABLE_HEADING)
    chunk = first
    while chunk or heading:
        yield {
            "map": {
                "heading": heading,
                "columns": columns,
                "widths": widths,
                "rows": chunk,
            }
        }
        heading = None
        chunk = list(itertools.islice(rows, MAP_PART_ROWS))


def _participants_part(doc: FinalDocument) -> dict:
    return {
        "annex_participants": {
            "heading": annex_heading(3, doc.annex_participants_heading),
            "meeting": listed_for(doc.participants_meeting) if doc.participants_meeting else "",
            "sections": [
                {
                    "heading": section.heading,
                    "groups": [
                        {
                            "heading": group.heading or "",
                            "people": [
                                participant_line(person, heading=group.heading)
                                for person in group.participants
                            ],
                        }
                        for group in section.groups
                    ],
                }
                for section in doc.participants
            ],
        }
    }


def _front(doc: FinalDocument, pages: dict[str, int] | None) -> dict:
    """The title block and the contents, with each entry's page (the widest number there can
    be while the pages are not known)."""
    contents = doc.contents(issues=doc.issue_count <= CONTENTS_ISSUE_LIMIT)
    return {
        "front": {
            "symbol": doc.symbol,
            "distribution": True,
            "date": date_format(doc.date, "DATE_FORMAT") if doc.date else "",
            "masthead": list(doc.masthead),
            "without_formal_editing": doc.without_formal_editing,
            "subtitle": doc.subtitle,
            "notes": _notes(doc),
            "contents": [
                [level, text, pages.get(anchor, "") if pages is not None else 99_999]
                for level, text, anchor in contents
            ],
        }
    }


def _runs(kinds: Iterable[str]) -> list[list]:
    """Consecutive pages of one kind, as [kind, how many]."""
    return [[kind, len(list(same))] for kind, same in itertools.groupby(kinds)]


@in_document_language
def final_document_pdf(doc: FinalDocument) -> bytes:
    """The document as PDF: its parts typeset at once (settings.WGEC_TYPESET_WORKERS at a time),
    without their running headers; then the title page with the contents' page numbers, and
    the running headers of every page after the first, numbered from the pages each part took;
    the headers drawn under the joined pages."""
    common = {
        "title": doc.title,
        "group_name": _(settings.WGEC_GROUP_NAME),
        "running_header": doc.running_header,
        **_language(doc),
    }
    number = _Counter()
    datas = itertools.chain(
        [_front(doc, None)],
        _body_parts(doc, number),
        _map_parts(doc),
        [_participants_part(doc)],
    )
    map_columns: dict = {}

    def with_common(data: dict) -> dict:
        if "map" in data and not map_columns:
            map_columns.update(columns=data["map"]["columns"], widths=data["map"]["widths"])
        return {**common, **data}

    front, *parts = typeset_all(TEMPLATE, map(with_common, datas), marks="contents")
    pages: dict[str, int] = {}
    landscape: list[bool] = list(front.landscape)
    for part in parts:
        pages.update((mark["anchor"], mark["page"] + len(landscape)) for mark in part.marks)
        landscape += part.landscape
    map_first = pages.get("annex-2")
    kinds = [
        "portrait" if not wide else ("map-first" if page == map_first else "map")
        for page, wide in enumerate(landscape, start=1)
    ]
    stamps = [
        {
            "stamp": {
                "first": first,
                "runs": _runs(kinds[first - 1 : first - 1 + STAMP_PAGES]),
                "map": map_columns,
            }
        }
        for first in range(2, len(kinds) + 1, STAMP_PAGES)
    ]
    final_front, *stamped = typeset_all(
        TEMPLATE, map(with_common, [_front(doc, pages), *stamps]), marks="contents"
    )
    if final_front.pages != front.pages:  # never with the widest numbers first; said if it were
        raise RuntimeError("The contents took more pages once their page numbers were known.")
    return joined_pdf(
        [final_front.pdf, *(part.pdf for part in parts)],
        stamps=[stamp.pdf for stamp in stamped],
        title=doc.title,
        author=settings.WGEC_GROUP_NAME,
    )
