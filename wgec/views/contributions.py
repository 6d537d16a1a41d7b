"""Contributions to the working group: posted by members and the secretariat, published by the
secretariat, listed by meeting and by stakeholder group."""

from itertools import groupby
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from wgec.forms import ContributionForm
from wgec.models import Contribution, ContributionDocument
from wgec.roles import Role, participant_of, role_of, role_required
from wgec.services import CONTRIBUTION_DOCUMENT_TYPES, contribution_submit


@require_safe
def contribution_list(request: HttpRequest) -> HttpResponse:
    by = "group" if request.GET.get("by") == "group" else "meeting"
    contributions = Contribution.objects.published().with_attribution()
    if by == "group":
        contributions = contributions.order_by(
            "author__stakeholder_group__position", "author__name", "-published_at"
        )
        groups = [
            (group, list(rows))
            for group, rows in groupby(contributions, key=lambda c: c.author.stakeholder_group)
        ]
    else:
        contributions = contributions.order_by(
            "meeting__number", "kind", "author__name", "-published_at"
        )
        groups = [
            (meeting, list(rows))
            for meeting, rows in groupby(contributions, key=lambda c: c.meeting)
        ]
        # Contributions not yet scheduled come last.
        groups.sort(key=lambda pair: (pair[0] is None, pair[0].number if pair[0] else 0))
    return render(request, "wgec/contribution_list.html", {"groups": groups, "by": by})


def _visible(request: HttpRequest):
    return Contribution.objects.visible_to(request.user)


@require_safe
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(_visible(request).with_attribution(), pk=pk)
    return render(request, "wgec/contribution_detail.html", {"contribution": contribution})


@role_required(Role.MEMBER)
@require_http_methods(["GET", "POST"])
def contribution_create(request: HttpRequest) -> HttpResponse:
    secretariat = role_of(request.user) >= Role.SECRETARIAT
    participant = participant_of(request.user)
    if participant is None and not secretariat:
        raise Http404("No participant is linked to your account.")
    if request.method == "POST":
        form = ContributionForm(request.POST, request.FILES, choose_author=secretariat)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contribution = contribution_submit(
                    author=data.get("author") or participant,
                    title=data["title"],
                    kind=data["kind"],
                    text=data["text"],
                    meeting=data["meeting"],
                    documents=data["documents"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _(
                        "Your contribution was submitted; the secretariat will publish it on the "
                        "contributions page."
                    ),
                )
                return redirect(contribution)
    else:
        form = ContributionForm(
            choose_author=secretariat, initial={"author": participant} if participant else None
        )
    return render(request, "wgec/contribution_form.html", {"form": form})


@require_safe
def contribution_document(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(
        ContributionDocument.objects.filter(contribution__in=_visible(request)), pk=pk
    )
    suffix = PurePath(document.file.name).suffix.lower()
    stem = get_valid_filename(PurePath(document.original_name).stem) or "document"
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The document's file is missing; tell the secretariat.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stem[:100]}{suffix}",
        content_type=CONTRIBUTION_DOCUMENT_TYPES.get(suffix, "application/octet-stream"),
    )
