"""The formatters of the final document: DOCX, PDF, XLSX and CSV.

Every format renders the ``FinalDocument`` that ``reports/final.py`` builds for one
``DocumentIssue`` (the map as of its date of issue), in one order, the map's (clusters by
position, their issues by title, numbered as sections 2, 2.1 ...): DOCX and PDF the document
itself in the form of a UN working document; XLSX its tables, sheet by sheet, with the names
beside the IDs, the issues off the map in a sheet of their own; the CSV one table of the map as
the document shows it: one row per issue on the map and mechanism addressing it (an issue
without a mechanism has one row with the mechanism columns empty).
"""

import itertools
from collections.abc import Iterator
from pathlib import PurePath

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.shared import Cm

from mechanisms.map_workbook.export import mechanism_rows
from reports.final import (
    MAP_TABLE_HEADING,
    REMAINING_HEADING,
    DocumentIssue,
    FinalDocument,
    annex_heading,
    document_language,
    final_document_build,
    in_document_language,
    other_issues,
)
from reports.models import DocumentFormat
from wgec.documents.docx import DocxWriter, docx_document, fitted_widths
from wgec.documents.pdf import pdf_bytes
from wgec.documents.spreadsheets import csv_bytes, xlsx_bytes
from wgec.participants import participants_docx

ILLUSTRATIVE_NOTE = gettext_lazy(
    "Illustrative: demonstration data. The map, its statuses and gaps, the items referred and "
    "the support for their options, and the dates of this document are invented for the "
    "demonstration of the 2013-14 exercise; they are not the record of the working group."
)

FORMATS = DocumentFormat.values


class UnknownFormat(ValueError):
    pass


def format_of(filename: str) -> str:
    """The format a file name asks for; UnknownFormat names the ones there are."""
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        choices = ", ".join(f".{name}" for name in FORMATS)
        raise UnknownFormat(
            f"Cannot tell the format of “{filename}”: the file name must end in {choices}."
        )
    return suffix


def final_document_bytes(*, issue: DocumentIssue, format: str, language: str = "en") -> bytes:
    """The document of ``issue`` (an initial output or the final document, as it was issued or
    as prepared: ``document_issue``) in ``format``; its fixed wording (headings,
    annexes, table headers, the date of issue) in ``language``, one of the six official
    languages (the map's own text as it was written). The CSV is a data file: English always.
    The XLSX's sheets and title follow the language, its column headers stay English (programs
    read them)."""
    if format not in FORMATS:
        raise UnknownFormat(f"Unknown format “{format}”.")
    language = "en" if format == "csv" else document_language(language)
    with translation.override(language):
        doc = final_document_build(issue=issue, language=language)
        if format == "docx":
            return final_document_docx(doc)
        if format == "pdf":
            return final_document_pdf(doc)
        if format == "xlsx":
            return final_document_xlsx(doc, issue)
        return final_document_csv(doc)


def _notes(doc: FinalDocument) -> list[str]:
    """What the title page says of the document: prepared, not issued; illustrative data."""
    return [
        str(note)
        for note in (doc.status_line, ILLUSTRATIVE_NOTE if doc.illustrative else "")
        if note
    ]


# DOCX ----------------------------------------------------------------------------------------

# Above this many issues the table of contents lists the sections alone: a line per issue would
# make the contents of a 20,000-issue map hundreds of pages long.
CONTENTS_ISSUE_LIMIT = 500

NO_GAP = gettext_lazy("No gap has been identified.")
NO_MECHANISM = gettext_lazy("No mechanism addressing the issue has been identified.")


def map_table_columns() -> list[str]:
    """The header of annex II's table, in the active language."""
    return [_("Section"), _("Issue"), _("Mechanism"), _("Status"), _("Gap types")]


def coverage_columns() -> list[str]:
    """The header of an issue's table of mechanisms, in the active language."""
    return [_("Mechanism"), _("Status"), _("Evidence")]


def option_columns() -> list[str]:
    """The header of a referred item's table of options, in the active language."""
    return [_("Option"), _("Text"), _("Support by stakeholder group")]


STATUS_HEADING = gettext_lazy("Status of governance mechanisms")
GAPS_HEADING = gettext_lazy("Possible gaps")
NO_REFERRAL = gettext_lazy("No item has been referred to the working group.")
ILLUSTRATIVE_ITEM = gettext_lazy("Illustrative: invented for the demonstration.")
# The line of a landscape A4 page in the PDF (templates/documents/base_document.html).
LANDSCAPE_LINE = Cm(29.7 - 2 * 2.2)


def _gap_text(gap) -> str:
    text = f"{gap.type_label}."
    if gap.description:
        text += f" {gap.description}"
    if gap.recommendation:
        text += " " + _("Recommendation needed: %(text)s") % {"text": gap.recommendation}
    return text


def see_section(section: str) -> str:
    return _("See section %(section)s.") % {"section": section}


def listed_for(meeting: str) -> str:
    """Under the list of participants: the meeting it is the list of."""
    return _("As listed for the %(meeting)s.") % {"meeting": meeting.lower()}


def map_table_rows(doc: FinalDocument) -> Iterator[list[str]]:
    """Annex II: the whole map as one table, a row per issue and mechanism addressing it (an
    issue without a mechanism has one row), with the issue's gap types."""
    none = _("None identified")
    for cluster in doc.clusters:
        for issue in cluster.issues:
            for coverage in issue.coverage or [None]:
                yield [
                    issue.number,
                    issue.title,
                    coverage.mechanism if coverage else none,
                    coverage.status_label if coverage else "",
                    issue.gap_types,
                ]


def _contents(doc: FinalDocument) -> list[tuple[int, str, str]]:
    return doc.contents(issues=doc.issue_count <= CONTENTS_ISSUE_LIMIT)


@in_document_language
def final_document_docx(doc: FinalDocument) -> bytes:
    writer = DocxWriter(
        docx_document(
            title=doc.title,
            subtitle=doc.subtitle,
            symbol=doc.symbol,
            date=doc.date,
            title_page=False,
            note=" ".join(_notes(doc)),
            masthead=doc.masthead,
            distribution=True,
            without_formal_editing=doc.without_formal_editing,
            running_header=doc.running_header,
        )
    )
    writer.contents([(level, text) for level, text, _ in _contents(doc)])
    writer.page_break()
    writer.heading(_("1. Introduction"), 1)
    for paragraph in doc.introduction:
        writer.numbered(paragraph)

    for cluster in doc.clusters:
        writer.heading(cluster.heading, 1)
        if cluster.description:
            writer.numbered(cluster.description)
        for issue in cluster.issues:
            writer.heading(issue.heading, 2)
            if issue.description:
                writer.numbered(issue.description)
            if issue.consensus_note:
                writer.numbered(issue.consensus_note)
            writer.heading(str(STATUS_HEADING), 3)
            if issue.coverage:
                writer.table(
                    coverage_columns(),
                    [[c.mechanism, c.status_label, c.evidence] for c in issue.coverage],
                )
            else:
                writer.numbered(str(NO_MECHANISM))
            writer.heading(str(GAPS_HEADING), 3)
            for gap in issue.gaps:
                writer.numbered(_gap_text(gap))
            if not issue.gaps:
                writer.numbered(str(NO_GAP))

    if doc.remaining is not None:
        _remaining_docx(writer, doc)

    writer.page_break()
    writer.heading(annex_heading(1, doc.annex_referred_heading), 1)
    for paragraph in doc.annex_referred_intro:
        writer.paragraph(paragraph)
    if not doc.referred:
        writer.paragraph(str(NO_REFERRAL))
    for number, item in enumerate(doc.referred, start=1):
        writer.heading(f"{number}. {item.subject}", 2)
        if item.section:
            writer.paragraph(see_section(item.section), italic=True)
        if item.illustrative:
            writer.paragraph(str(ILLUSTRATIVE_ITEM), italic=True)
        writer.paragraph(item.summary)
        writer.paragraph(item.referral, italic=True)
        if item.options:
            writer.table(
                option_columns(),
                [[option.label, option.text, option.support_text] for option in item.options],
            )
        if item.decision:
            writer.paragraph(item.decision)

    writer.landscape()
    writer.heading(annex_heading(2, MAP_TABLE_HEADING), 1)
    writer.table(map_table_columns(), map_table_rows(doc))
    writer.portrait()

    writer.heading(annex_heading(3, doc.annex_participants_heading), 1)
    if doc.participants_meeting:
        writer.paragraph(listed_for(doc.participants_meeting), italic=True)
    participants_docx(writer, doc.participants, level=2)
    return writer.close()


def remaining_lists(doc: FinalDocument) -> list[tuple[str, list[str]]]:
    """The draft's section on what remains: (what, the items), each said even when empty."""
    remaining = doc.remaining
    if remaining is None:
        return []
    return [
        (
            _("Issues not yet reviewed (neither a mechanism nor a gap recorded)"),
            remaining.not_reviewed,
        ),
        (_("Mechanisms whose status is not yet known"), remaining.without_status),
        (
            _("Items without consensus not yet referred to the working group"),
            remaining.not_referred,
        ),
    ]


def remaining_line(heading: str, items: list[str]) -> str:
    """ "Issues not yet reviewed (...): 3." or "...: none." """
    return _("%(what)s: %(count)s.") % {"what": heading, "count": len(items) or _("none")}


def _remaining_docx(writer: DocxWriter, doc: FinalDocument) -> None:
    writer.heading(f"{doc.remaining_number}. {REMAINING_HEADING}", 1)
    for heading, items in remaining_lists(doc):
        writer.numbered(remaining_line(heading, items))
        for item in items:
            writer.paragraph(item).paragraph_format.left_indent = Cm(1.5)


# PDF -----------------------------------------------------------------------------------------


def final_document_pdf(doc: FinalDocument) -> bytes:
    """The document as PDF, typeset by Typst in parts (reports/typeset.py)."""
    from reports.typeset import final_document_pdf as typeset_pdf  # it uses this module's texts

    return typeset_pdf(doc)


def final_document_pdf_weasyprint(doc: FinalDocument) -> bytes:
    """The document as PDF by WeasyPrint, from the HTML template: the path used until Typst
    replaced it, kept for the benchmark's comparison (bench/bench_final_document.py). At 10x the
    2013 exercise it took 69 times the DOCX's time and 4 GiB: WeasyPrint keeps every page in
    memory until the file is written."""
    # The map's table is laid out with fixed columns, fitted to a sample of its rows: WeasyPrint's
    # automatic layout would measure every cell of a table of one row per coverage row.
    rows = map_table_rows(doc)
    sample = list(itertools.islice(rows, 200))
    width = int(LANDSCAPE_LINE)
    columns = map_table_columns()
    widths = fitted_widths(columns, sample, width)
    return pdf_bytes(
        "reports/document/final_document.html",
        {
            "doc": doc,
            "title": doc.title,
            "subtitle": doc.subtitle,
            "symbol": doc.symbol,
            "date": doc.date,
            "notes": _notes(doc),
            "masthead": doc.masthead,
            "distribution": True,
            "without_formal_editing": doc.without_formal_editing,
            "running_header": doc.running_header,
            "contents": _contents(doc),
            "map_heading": MAP_TABLE_HEADING,
            "map_columns": columns,
            "map_rows": itertools.chain(sample, rows),
            "map_widths": [f"{100 * column / width:.1f}%" for column in widths],
            "remaining_heading": REMAINING_HEADING,
            "remaining": remaining_lists(doc),
            "no_gap": NO_GAP,
            "no_mechanism": NO_MECHANISM,
        },
    )


# XLSX and CSV --------------------------------------------------------------------------------

REFERRED_SHEET = gettext_lazy("Referred items")
REFERRED_COLUMNS = ["Item", "Subject", "Summary", "State", "Option", "Option text", "Support"]
PARTICIPANTS_SHEET = gettext_lazy("Participants")
PARTICIPANT_COLUMNS = ["Section", "Group", "Name", "Title", "Organisation", "Remote participant"]
ABOUT_SHEET = gettext_lazy("About")


def _referred_rows(doc: FinalDocument) -> Iterator[list[object]]:
    for number, item in enumerate(doc.referred, start=1):
        summary = f"{item.summary} (Illustrative.)" if item.illustrative else item.summary
        for option in item.options or [None]:
            yield [
                number,
                item.subject,
                summary,
                item.state_label,
                option.label if option else "",
                option.text if option else "",
                option.support_text if option else "",
            ]


def _participant_rows(doc: FinalDocument) -> Iterator[list[object]]:
    for section in doc.participants:
        for group in section.groups:
            for person in group.participants:
                yield [
                    section.heading,
                    group.heading,
                    person.display_name,
                    person.title,
                    person.organisation,
                    "Yes" if getattr(person, "remote", False) else "",
                ]


def _about_rows(doc: FinalDocument) -> Iterator[list[object]]:
    yield ["Title", doc.title]
    yield ["Symbol", doc.symbol or "(unsymbolled working document)"]
    yield ["Date", doc.date]
    if doc.status_line:
        yield ["Note", doc.status_line]
    if doc.illustrative:
        yield ["Illustrative", str(ILLUSTRATIVE_NOTE)]


ISSUES_SHEET = gettext_lazy("Issues")
ISSUES_COLUMNS = [
    "Section",
    "Issue ID",
    "Issue",
    "Cluster",
    "Description",
    "Consensus",
    "Annex I items",
    "Gap types",
    "Gaps",
    "Recommendations",
]
COVERAGE_SHEET = gettext_lazy("Coverage")
COVERAGE_COLUMNS = [
    "Section",
    "Issue ID",
    "Issue",
    "Mechanism ID",
    "Mechanism",
    "Status",
    "Evidence",
]
MECHANISMS_SHEET = gettext_lazy("Mechanisms")
MECHANISMS_COLUMNS = ["Mechanism ID", "Name", "Acronym", "Kind", "Website"]
OTHER_ISSUES_SHEET = gettext_lazy("Issues off the map")
OTHER_ISSUES_COLUMNS = ["Issue ID", "Issue", "Cluster", "State", "Merged into ID", "Merged into"]


def _by_gap(issue, text) -> str:
    return "\n".join(f"{gap.type_label}: {text(gap)}" for gap in issue.gaps if text(gap))


def _issue_rows(doc: FinalDocument) -> Iterator[list[object]]:
    """The issues on the map, in the document's order (its sections)."""
    for cluster in doc.clusters:
        for issue in cluster.issues:
            yield [
                issue.number,
                issue.id,
                issue.title,
                cluster.name,
                issue.description,
                issue.consensus_label,
                ", ".join(str(number) for number in issue.annex_items),
                issue.gap_types,
                _by_gap(issue, lambda gap: gap.description),
                _by_gap(issue, lambda gap: gap.recommendation),
            ]


def _coverage_rows(doc: FinalDocument) -> Iterator[list[object]]:
    """Each issue on the map and mechanism addressing it, in the document's order, the names
    beside the IDs."""
    for cluster in doc.clusters:
        for issue in cluster.issues:
            for coverage in issue.coverage:
                yield [
                    issue.number,
                    issue.id,
                    issue.title,
                    coverage.mechanism_id,
                    coverage.name,
                    coverage.status_label,
                    coverage.evidence,
                ]


def _mechanism_rows(issue: DocumentIssue) -> list[list[object]]:
    """The mechanisms as of the document's moment, by name."""
    return sorted(mechanism_rows(issue.moment), key=lambda row: (row[1].casefold(), row[0]))


def _other_issue_rows(issue: DocumentIssue) -> Iterator[list[object]]:
    for other in other_issues(issue.moment):
        yield [
            other.id,
            other.title,
            other.cluster,
            other.state_label,
            other.merged_into_id or "",
            other.merged_into,
        ]


@in_document_language
def final_document_xlsx(doc: FinalDocument, issue: DocumentIssue) -> bytes:
    """The document as a workbook, in its order: the issues on the map (with their sections),
    the coverage with the names beside the IDs, the mechanisms, the issues off the map
    (proposed, merged, withdrawn), the referred items, the participants, and what the workbook
    is (title, symbol, date)."""
    return xlsx_bytes(
        [
            (str(ISSUES_SHEET), ISSUES_COLUMNS, _issue_rows(doc)),
            (str(COVERAGE_SHEET), COVERAGE_COLUMNS, _coverage_rows(doc)),
            (str(MECHANISMS_SHEET), MECHANISMS_COLUMNS, _mechanism_rows(issue)),
            (str(OTHER_ISSUES_SHEET), OTHER_ISSUES_COLUMNS, _other_issue_rows(issue)),
            (str(REFERRED_SHEET), REFERRED_COLUMNS, _referred_rows(doc)),
            (str(PARTICIPANTS_SHEET), PARTICIPANT_COLUMNS, _participant_rows(doc)),
            (str(ABOUT_SHEET), ["About", ""], _about_rows(doc)),
        ],
        title=" ".join(part for part in (doc.symbol, doc.title) if part),
    )


CSV_COLUMNS = [
    "Section",
    "Cluster",
    "Issue ID",
    "Issue",
    "Description",
    "Consensus",
    "Mechanism ID",
    "Mechanism",
    "Status",
    "Evidence",
    "Gap types",
    "Recommendations",
]


def _csv_rows(doc: FinalDocument) -> Iterator[list[object]]:
    """One row per issue on the map and mechanism addressing it (one with the mechanism's
    columns empty for an issue without), in the document's order."""
    for cluster in doc.clusters:
        for issue in cluster.issues:
            head = [
                issue.number,
                cluster.name,
                issue.id,
                issue.title,
                issue.description,
                issue.consensus_label,
            ]
            tail = [issue.gap_types, _by_gap(issue, lambda gap: gap.recommendation)]
            for coverage in issue.coverage or [None]:
                if coverage is None:
                    yield [*head, "", "", "", "", *tail]
                else:
                    yield [
                        *head,
                        coverage.mechanism_id,
                        coverage.name,
                        coverage.status_label,
                        coverage.evidence,
                        *tail,
                    ]


def final_document_csv(doc: FinalDocument) -> bytes:
    return csv_bytes(CSV_COLUMNS, _csv_rows(doc))
