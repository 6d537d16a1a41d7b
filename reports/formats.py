"""The formatters of the final document: DOCX, PDF, XLSX and CSV.

Every format renders the ``FinalDocument`` that ``reports/final.py`` builds for one
``DocumentIssue`` (the map as of its date of issue): DOCX and PDF the document itself; XLSX the
map workbook's sheets (``mechanisms/map_workbook/export.py``) as of the same moment plus the
referred items and the participants; the CSV one table of the map as the document shows it: one
row per issue on the map and mechanism addressing it (an issue without a mechanism has one row
with the mechanism columns empty).
"""

import datetime
from collections.abc import Iterator
from pathlib import PurePath

from issues.models import Issue
from mechanisms.map_workbook.export import map_sheets
from reports.final import DocumentIssue, FinalDocument, document_issue, final_document_build
from reports.models import Deliverable, DocumentFormat
from wgec.documents.docx import DocxWriter, docx_document
from wgec.documents.pdf import pdf_bytes
from wgec.documents.spreadsheets import csv_bytes, xlsx_bytes
from wgec.participants import participants_docx

ILLUSTRATIVE_NOTE = (
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


def final_document_bytes(
    *,
    deliverable: Deliverable,
    format: str,
    date: datetime.date | None = None,
    issue: DocumentIssue | None = None,
) -> bytes:
    """The document of ``deliverable`` (initial output or final document) in ``format``: as it
    was issued, or prepared as of ``date`` (see ``document_issue``)."""
    if format not in FORMATS:
        raise UnknownFormat(f"Unknown format “{format}”.")
    issue = issue or document_issue(deliverable, date=date)
    doc = final_document_build(issue=issue)
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
        note for note in (doc.status_line, ILLUSTRATIVE_NOTE if doc.illustrative else "") if note
    ]


# DOCX ----------------------------------------------------------------------------------------


def _roman(number: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][number - 1]


def final_document_docx(doc: FinalDocument) -> bytes:
    writer = DocxWriter(
        docx_document(
            title=doc.title,
            subtitle=doc.subtitle,
            symbol=doc.symbol,
            date=doc.date,
            title_page=True,
            note=" ".join(_notes(doc)),
        )
    )
    writer.heading(f"{_roman(1)}. Introduction", 1)
    for paragraph in doc.introduction:
        writer.numbered(paragraph)

    writer.heading(f"{_roman(2)}. {doc.map_heading}", 1)
    for cluster in doc.clusters:
        writer.heading(f"{cluster.letter}. {cluster.name}", 2)
        if cluster.description:
            writer.numbered(cluster.description)
        for issue in cluster.issues:
            writer.heading(issue.title, 3)
            if issue.description:
                writer.numbered(issue.description)
            if issue.consensus != Issue.Consensus.AGREED:
                writer.numbered(f"Consensus: {issue.consensus_label.lower()} (see annex I).")
            if issue.coverage:
                writer.numbered("Mechanisms addressing the issue, with their status:")
                writer.table(
                    ["Mechanism", "Status", "Evidence"],
                    [[c.mechanism, c.status_label, c.evidence] for c in issue.coverage],
                    widths_cm=[5.0, 3.0, 8.0],
                )
            else:
                writer.numbered("No mechanism addressing the issue has been identified.")
            for gap in issue.gaps:
                text = f"{gap.type_label}."
                if gap.description:
                    text += f" {gap.description}"
                if gap.recommendation:
                    text += f" Recommendation needed: {gap.recommendation}"
                writer.numbered(text)

    writer.page_break()
    writer.heading(f"Annex I. {doc.annex_referred_heading}", 1)
    for paragraph in doc.annex_referred_intro:
        writer.paragraph(paragraph)
    if not doc.referred:
        writer.paragraph("No item has been referred to the working group.")
    for number, item in enumerate(doc.referred, start=1):
        writer.heading(f"{number}. {item.subject}", 2)
        if item.illustrative:
            writer.paragraph("Illustrative: invented for the demonstration.", italic=True)
        writer.paragraph(item.summary)
        referred = f" on {item.referred_on:%-d %B %Y}" if item.referred_on else ""
        writer.paragraph(f"{item.state_label}{referred}.", italic=True)
        writer.table(
            ["Option", "Text", "Support by stakeholder group"],
            [[option.label, option.text, option.support_text] for option in item.options],
            widths_cm=[1.5, 7.5, 7.0],
        )
        if item.decision:
            writer.paragraph(item.decision)

    writer.page_break()
    writer.heading(f"Annex II. {doc.annex_participants_heading}", 1)
    if doc.participants_meeting:
        writer.paragraph(f"As listed for the {doc.participants_meeting.lower()}.", italic=True)
    participants_docx(writer, doc.participants, level=2)
    return writer.close()


# PDF -----------------------------------------------------------------------------------------


def final_document_pdf(doc: FinalDocument) -> bytes:
    return pdf_bytes(
        "reports/document/final_document.html",
        {
            "doc": doc,
            "title": doc.title,
            "subtitle": doc.subtitle,
            "symbol": doc.symbol,
            "date": doc.date,
            "title_page": True,
            "notes": _notes(doc),
        },
    )


# XLSX and CSV --------------------------------------------------------------------------------

REFERRED_SHEET = "Referred items"
REFERRED_COLUMNS = ["Item", "Subject", "Summary", "State", "Option", "Option text", "Support"]
PARTICIPANTS_SHEET = "Participants"
PARTICIPANT_COLUMNS = ["Section", "Group", "Name", "Title", "Organisation", "Remote participant"]
ABOUT_SHEET = "About"


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
        yield ["Illustrative", ILLUSTRATIVE_NOTE]


def final_document_xlsx(doc: FinalDocument, issue: DocumentIssue) -> bytes:
    """The map workbook (Issues, Mechanisms, Coverage) as of the document's moment, plus
    referred items, participants, and what the workbook is (title, symbol, date)."""
    return xlsx_bytes(
        [
            *map_sheets(issue.moment),
            (REFERRED_SHEET, REFERRED_COLUMNS, _referred_rows(doc)),
            (PARTICIPANTS_SHEET, PARTICIPANT_COLUMNS, _participant_rows(doc)),
            (ABOUT_SHEET, ["About", ""], _about_rows(doc)),
        ]
    )


CSV_COLUMNS = [
    "Cluster",
    "Issue ID",
    "Issue",
    "Description",
    "Consensus",
    "Mechanism",
    "Status",
    "Evidence",
    "Gap types",
    "Recommendation",
]


def _csv_rows(doc: FinalDocument) -> Iterator[list[object]]:
    rows = []
    for cluster in doc.clusters:
        for issue in cluster.issues:
            tail = [
                "; ".join(gap.type_label for gap in issue.gaps),
                "\n".join(
                    f"{gap.type_label}: {gap.recommendation}"
                    for gap in issue.gaps
                    if gap.recommendation
                ),
            ]
            head = [cluster.name, issue.id, issue.title, issue.description, issue.consensus_label]
            for coverage in issue.coverage or [None]:
                if coverage is None:
                    rows.append([*head, "", "", "", *tail])
                else:
                    rows.append(
                        [*head, coverage.name, coverage.status_label, coverage.evidence, *tail]
                    )
    rows.sort(key=lambda row: (row[0].casefold(), row[2].casefold(), row[5].casefold()))
    yield from rows


def final_document_csv(doc: FinalDocument) -> bytes:
    return csv_bytes(CSV_COLUMNS, _csv_rows(doc))
