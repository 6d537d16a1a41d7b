"""The working group's meetings: their pages, documents and lists of participants."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wgec.documents.docx import DocxWriter, docx_document
from wgec.documents.http import download
from wgec.documents.pdf import pdf_bytes
from wgec.models import Contribution, Meeting, MeetingDocument
from wgec.participants import meeting_participants, participants_docx
from wgec.roles import Role, has_role, role_required
from wgec.summaries import chairs_summary, chairs_summary_docx, chairs_summary_pdf


def _meeting(number: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("chair"), number=number)


@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.select_related("chair").prefetch_related("documents")
    return render(request, "wgec/meeting_list.html", {"meetings": meetings})


@require_safe
def meeting_detail(request: HttpRequest, number: int) -> HttpResponse:
    meeting = _meeting(number)
    sections = meeting_participants(meeting)
    return render(
        request,
        "wgec/meeting_detail.html",
        {
            "meeting": meeting,
            "documents": meeting.documents.all(),
            "contributions": Contribution.objects.for_meeting(meeting).order_by("title"),
            "sections": sections,
            "attended": sum(section.count for section in sections),
            "summary": chairs_summary(meeting, participants=sections),
            "can_produce": has_role(request.user, Role.COORDINATOR),
        },
    )


@require_safe
def meeting_document(request: HttpRequest, number: int, pk: int) -> HttpResponse:
    document = get_object_or_404(
        MeetingDocument.objects.select_related("meeting"), meeting__number=number, pk=pk
    )
    return render(request, "wgec/meetingdocument_detail.html", {"document": document})


@require_safe
def meeting_document_file(request: HttpRequest, number: int, pk: int) -> FileResponse:
    document = get_object_or_404(MeetingDocument, meeting__number=number, pk=pk)
    if not document.file:
        raise Http404("This document has no file.")
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


def _subtitle(meeting: Meeting) -> str:
    """The meeting, its days and its place, in the active language (the visitor's)."""
    dates = f"{meeting.start_date:%-d} to {meeting.end_date:%-d %B %Y}"
    if meeting.start_date.month != meeting.end_date.month:
        dates = f"{meeting.start_date:%-d %B} to {meeting.end_date:%-d %B %Y}"
    if translation.get_language() != "en":
        dates = _("%(start)s to %(end)s") % {
            "start": date_format(meeting.start_date, "DATE_FORMAT"),
            "end": date_format(meeting.end_date, "DATE_FORMAT"),
        }
    return f"{meeting.title}, {dates}, {meeting.venue}"


@require_safe
def meeting_participants_download(request: HttpRequest, number: int, fmt: str) -> HttpResponse:
    """The list of participants of a meeting as DOCX or PDF, as the secretariat issues it."""
    meeting = _meeting(number)
    sections = meeting_participants(meeting)
    title = _("List of participants")
    filename = f"{slugify(meeting.title)}-list-of-participants.{fmt}"
    if fmt == "docx":
        writer = DocxWriter(docx_document(title=title, subtitle=_subtitle(meeting)))
        participants_docx(writer, sections, level=1)
        return download(writer.close(), filename)
    content = pdf_bytes(
        "wgec/participants_document.html",
        {"title": title, "subtitle": _subtitle(meeting), "sections": sections},
    )
    return download(content, filename)


@require_safe
@role_required(Role.COORDINATOR)
def chairs_summary_download(request: HttpRequest, number: int, fmt: str) -> HttpResponse:
    """The Chair's summary of a meeting as DOCX or PDF, from the meeting's records."""
    meeting = _meeting(number)
    summary = chairs_summary(meeting)
    if summary.is_empty:
        raise Http404("No paragraph of a Chair's summary is recorded for this meeting.")
    filename = f"{slugify(meeting.title)}-chairs-summary.{fmt}"
    if fmt == "docx":
        return download(chairs_summary_docx(summary), filename)
    return download(chairs_summary_pdf(summary), filename)
