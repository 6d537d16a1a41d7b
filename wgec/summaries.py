"""The Chair's summary of a meeting as a document, in the form of the published summaries: the
meeting's name, dates and venue, "Chairman's summary of the meeting", numbered paragraphs, the
terms of reference agreed at the meeting as Annex 1 and its list of participants as Annex 2.

Built from the meeting's records, which the secretariat keeps in the admin (``SummaryParagraph``,
``TermsOfReference`` and ``TermsParagraph``, the attendance); written as DOCX and PDF.
"""

from dataclasses import dataclass, field

from django.conf import settings
from docx.shared import Cm

from wgec.documents.docx import DocxWriter, docx_document
from wgec.documents.pdf import pdf_bytes
from wgec.models import Meeting, SummaryParagraph, TermsOfReference
from wgec.participants import ParticipantSection, meeting_participants, participants_docx


@dataclass
class SummaryTerms:
    title: str
    paragraphs: list[tuple[str, str]]  # (label, text)
    closing: str
    agreed_on: str


@dataclass
class ChairsSummary:
    meeting: Meeting
    heading: str
    dates: str
    venue: str
    paragraphs: list[list[str]]  # each: the paragraph, then its sub-paragraphs
    terms: list[SummaryTerms] = field(default_factory=list)
    participants: list[ParticipantSection] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.paragraphs


def _dates(meeting: Meeting) -> str:
    start, end = meeting.start_date, meeting.end_date
    if start == end:
        return f"{start:%-d %B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%-d}-{end:%-d %B %Y}"
    return f"{start:%-d %B} - {end:%-d %B %Y}"


def chairs_summary(
    meeting: Meeting, *, participants: list[ParticipantSection] | None = None
) -> ChairsSummary:
    """What the summary says, read from the meeting's records (``participants``: its list, if
    already read)."""
    paragraphs = [
        paragraph.lines
        for paragraph in SummaryParagraph.objects.filter(meeting=meeting).order_by("position")
    ]
    terms = (
        []
        if not paragraphs
        else [
            SummaryTerms(
                record.title,
                [(item.label, item.text) for item in record.paragraphs.order_by("position", "pk")],
                record.closing,
                f"{record.agreed_on:%-d %B %Y}.",
            )
            for record in TermsOfReference.objects.filter(meeting=meeting).prefetch_related(
                "paragraphs"
            )
        ]
    )
    return ChairsSummary(
        meeting=meeting,
        heading=f"{meeting.title} of the {settings.WGEC_GROUP_NAME} "
        f"({settings.WGEC_GROUP_SHORT_NAME})",
        dates=_dates(meeting),
        venue=meeting.venue,
        paragraphs=paragraphs,
        terms=terms,
        participants=meeting_participants(meeting) if participants is None else participants,
    )


def chairs_summary_docx(summary: ChairsSummary) -> bytes:
    writer = DocxWriter(
        docx_document(
            title="Chairman's summary of the meeting",
            subtitle=f"{summary.heading}. {summary.dates}. {summary.venue}.",
        )
    )
    for lines in summary.paragraphs:
        writer.numbered(lines[0])
        for line in lines[1:]:
            writer.paragraph(line).paragraph_format.left_indent = Cm(1.5)
    for number, terms in enumerate(summary.terms, start=1):
        writer.page_break()
        writer.heading(f"Annex {number}", 1)
        writer.heading(terms.title, 2)
        for label, text in terms.paragraphs:
            writer.paragraph(f"{label}\t{text}" if label else text)
        if terms.closing:
            writer.paragraph(terms.closing)
        writer.paragraph(terms.agreed_on)
    writer.page_break()
    writer.heading(f"Annex {len(summary.terms) + 1}", 1)
    writer.heading("List of participants", 2)
    if summary.participants:
        participants_docx(writer, summary.participants, level=3)
    else:
        writer.paragraph("No attendance is recorded for this meeting.", italic=True)
    return writer.close()


def chairs_summary_pdf(summary: ChairsSummary) -> bytes:
    return pdf_bytes(
        "wgec/chairs_summary_document.html",
        {
            "summary": summary,
            "title": "Chairman's summary of the meeting",
            "subtitle": f"{summary.heading}. {summary.dates}. {summary.venue}.",
            "sections": summary.participants,
        },
    )
