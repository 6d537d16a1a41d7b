"""The formatters of the final document: DOCX, PDF, XLSX and CSV.

DOCX and PDF render the ``FinalDocument`` that ``reports/final.py`` builds; XLSX holds the map
workbook's sheets (``mechanisms/map_workbook/export.py``) plus the referred items and the
participants; the CSV is one table of the map as the document shows it: one row per issue on the
map and mechanism addressing it (an issue without a mechanism has one row with the mechanism
columns empty).
"""

from collections.abc import Iterator
from pathlib import PurePath

from issues.models import Issue
from mechanisms.map_workbook.export import map_sheets
from mechanisms.models import Coverage, Gap
from reports.final import FinalDocument, final_document_build, referred_items
from reports.models import Deliverable, DocumentFormat
from wgec.documents.docx import DocxWriter, docx_document
from wgec.documents.pdf import pdf_bytes
from wgec.documents.spreadsheets import csv_bytes, xlsx_bytes
from wgec.participants import participants_by_section, participants_docx

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


def final_document_bytes(*, deliverable: Deliverable, format: str) -> bytes:
    """The document of ``deliverable`` (initial output or final document) in ``format``."""
    if format == "docx":
        return final_document_docx(final_document_build(deliverable=deliverable))
    if format == "pdf":
        return final_document_pdf(final_document_build(deliverable=deliverable))
    if format == "xlsx":
        return final_document_xlsx()
    if format == "csv":
        return final_document_csv()
    raise UnknownFormat(f"Unknown format “{format}”.")


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
        },
    )


# XLSX and CSV --------------------------------------------------------------------------------

REFERRED_SHEET = "Referred items"
REFERRED_COLUMNS = ["Item", "Subject", "Summary", "State", "Option", "Option text", "Support"]
PARTICIPANTS_SHEET = "Participants"
PARTICIPANT_COLUMNS = ["Section", "Group", "Name", "Title", "Organisation"]


def _referred_rows() -> Iterator[list[object]]:
    for number, item in enumerate(referred_items(), start=1):
        for option in item.options or [None]:
            yield [
                number,
                item.subject,
                item.summary,
                item.state_label,
                option.label if option else "",
                option.text if option else "",
                option.support_text if option else "",
            ]


def _participant_rows() -> Iterator[list[object]]:
    for section in participants_by_section():
        for group in section.groups:
            for person in group.participants:
                yield [
                    section.heading,
                    group.heading,
                    person.display_name,
                    person.title,
                    person.organisation,
                ]


def final_document_xlsx() -> bytes:
    """The map workbook (Issues, Mechanisms, Coverage) plus referred items and participants."""
    return xlsx_bytes(
        [
            *map_sheets(),
            (REFERRED_SHEET, REFERRED_COLUMNS, _referred_rows()),
            (PARTICIPANTS_SHEET, PARTICIPANT_COLUMNS, _participant_rows()),
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


def _csv_rows() -> Iterator[list[object]]:
    consensus = dict(Issue.Consensus.choices)
    statuses = dict(Coverage.Status.choices)
    gaps: dict[int, list[tuple[str, str]]] = {}
    for issue_id, gap_type, recommendation in (
        Gap.objects.filter(issue__state=Issue.State.ON_MAP)
        .order_by("issue_id", "type")
        .values_list("issue_id", "type", "recommendation")
        .iterator(chunk_size=5000)
    ):
        gaps.setdefault(issue_id, []).append((Gap.Type(gap_type).label, recommendation))
    coverage = (
        Coverage.objects.filter(issue__state=Issue.State.ON_MAP)
        .order_by("issue_id", "mechanism__name")
        .values_list("issue_id", "mechanism__name", "status", "evidence")
        .iterator(chunk_size=5000)
    )
    pending = next(coverage, None)
    issues = (
        Issue.objects.on_map()
        .order_by("pk")
        .values_list("pk", "cluster__name", "title", "description", "consensus")
    )
    rows = []
    for pk, cluster, title, description, agreement in issues.iterator(chunk_size=2000):
        issue_gaps = gaps.get(pk, [])
        tail = [
            "; ".join(label for label, _ in issue_gaps),
            "\n".join(f"{label}: {text}" for label, text in issue_gaps if text),
        ]
        head = [cluster, pk, title, description, consensus[agreement]]
        mechanisms = []
        while pending is not None and pending[0] == pk:
            mechanisms.append(pending)
            pending = next(coverage, None)
        for _, name, status, evidence in mechanisms or [(pk, "", "", "")]:
            rows.append([*head, name, statuses.get(status, ""), evidence, *tail])
    rows.sort(key=lambda row: (row[0].casefold(), row[2].casefold(), row[5].casefold()))
    yield from rows


def final_document_csv() -> bytes:
    return csv_bytes(CSV_COLUMNS, _csv_rows())
