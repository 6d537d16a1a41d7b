"""The Chair's summary of a meeting as a document, in the form of the published summaries: the
meeting's name, dates and venue, "Chairman's summary of the meeting", numbered paragraphs, the
terms of reference agreed at the meeting as Annex 1 and its list of participants as Annex 2.

Built from the meeting's records, which the secretariat keeps in the admin (``SummaryParagraph``,
``TermsOfReference`` and ``TermsParagraph``, the attendance); written as DOCX and PDF.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
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
    """A meeting's days as the active language writes them ("6-8 November 2013" in the UN's
    English)."""
    start, end = meeting.start_date, meeting.end_date
    if start == end:
        return date_format(start, "DATE_FORMAT")
    if translation.get_language() != "en":
        return _("%(start)s to %(end)s") % {
            "start": date_format(start, "DATE_FORMAT"),
            "end": date_format(end, "DATE_FORMAT"),
        }
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
                f"{date_format(record.agreed_on, 'DATE_FORMAT')}.",
            )
            for record in TermsOfReference.objects.filter(meeting=meeting).prefetch_related(
                "paragraphs"
            )
        ]
    )
    return ChairsSummary(
        meeting=meeting,
        heading=_("%(meeting)s of the %(group_name)s (%(group_short_name)s)")
        % {
            "meeting": meeting.title,
            "group_name": _(settings.WGEC_GROUP_NAME),
            "group_short_name": settings.WGEC_GROUP_SHORT_NAME,
        },
        dates=_dates(meeting),
        venue=meeting.venue,
        paragraphs=paragraphs,
        terms=terms,
        participants=meeting_participants(meeting) if participants is None else participants,
    )


def chairs_summary_docx(summary: ChairsSummary) -> bytes:
    """The summary as DOCX, its fixed words in the active language (the visitor's)."""
    writer = DocxWriter(
        docx_document(
            title=_("Chairman's summary of the meeting"),
            subtitle=f"{summary.heading}. {summary.dates}. {summary.venue}.",
        )
    )
    for lines in summary.paragraphs:
        writer.numbered(lines[0])
        for line in lines[1:]:
            writer.paragraph(line).paragraph_format.left_indent = Cm(1.5)
    for number, terms in enumerate(summary.terms, start=1):
        writer.page_break()
        writer.heading(_("Annex %(number)s") % {"number": number}, 1)
        writer.heading(terms.title, 2)
        for label, text in terms.paragraphs:
            writer.paragraph(f"{label}\t{text}" if label else text)
        if terms.closing:
            writer.paragraph(terms.closing)
        writer.paragraph(terms.agreed_on)
    writer.page_break()
    writer.heading(_("Annex %(number)s") % {"number": len(summary.terms) + 1}, 1)
    writer.heading(_("List of participants"), 2)
    if summary.participants:
        participants_docx(writer, summary.participants, level=3)
    else:
        writer.paragraph(_("No attendance is recorded for this meeting."), italic=True)
    return writer.close()


def chairs_summary_pdf(summary: ChairsSummary) -> bytes:
    return pdf_bytes(
        "wgec/chairs_summary_document.html",
        {
            "summary": summary,
            "title": _("Chairman's summary of the meeting"),
            "subtitle": f"{summary.heading}. {summary.dates}. {summary.venue}.",
            "sections": summary.participants,
        },
    )
