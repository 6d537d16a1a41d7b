"""The responses import in the admin, off the request path: the upload page stores the file and
has a worker read it; the import's page follows the worker's progress (a static script polls the
status), then shows the preview to confirm. The views call ``issues.services.response_uploads``;
nothing here reads the file or writes on its own."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from issues.admin_curation import admin_page_context
from issues.models import ResponsesImport
from issues.services.response_uploads import responses_confirm, responses_upload
from wgec.imports import import_progress_text, import_size_refusal


class ResponsesUploadForm(forms.Form):
    import_file = forms.FileField(
        label=gettext_lazy("Responses file"),
        help_text=gettext_lazy("CSV or XLSX, one row per respondent."),
        allow_empty_file=True,  # the worker says what is wrong with it, as with any file
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    date_order = forms.ChoiceField(
        label=gettext_lazy("Date order"),
        choices=ResponsesImport.DateOrder.choices,
        required=False,
        help_text=gettext_lazy(
            "Needed only when no date in the file decides (every day and month are 12 or less): "
            "then say whether 9/2/2013 is 9 February or 2 September."
        ),
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_MB * 2**20:
            raise ValidationError(import_size_refusal(upload.name, upload.size))
        return upload


def _status(upload: ResponsesImport) -> dict:
    return {
        "state": upload.state,
        "label": upload.get_state_display(),
        "working": upload.working,
        "done": upload.progress,
        "total": upload.progress_total,
        "progress_text": import_progress_text(upload.progress, upload.progress_total),
        "waiting_for_worker": upload.waiting_for_worker,
    }


def responses_import_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Upload a responses file; a worker reads it and its page shows what it would do."""
    if not model_admin.has_import_permission(request):
        raise PermissionDenied
    form = ResponsesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["import_file"]
        upload = responses_upload(
            file=file,
            filename=file.name,
            date_order=form.cleaned_data["date_order"],
            user=request.user,
        )
        return HttpResponseRedirect(
            reverse("admin:issues_respondent_import_preview", args=[upload.pk])
        )
    return TemplateResponse(
        request,
        "admin/issues/respondent/import.html",
        admin_page_context(
            model_admin,
            request,
            title=gettext("Import responses"),
            form=form,
            recent=ResponsesImport.objects.select_related("uploaded_by", "applied_by")[:10],
        ),
    )


def responses_import_preview_view(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """The worker's progress, then what the import will create, update and remove; confirm to
    import it."""
    if not model_admin.has_import_permission(request):
        raise PermissionDenied
    upload = get_object_or_404(
        ResponsesImport.objects.select_related("uploaded_by", "applied_by"), pk=pk
    )
    if request.method == "POST":
        try:
            responses_confirm(
                upload=upload, digest=request.POST.get("digest", ""), user=request.user
            )
        except ValidationError as problem:
            model_admin.message_user(request, " ".join(problem.messages), messages.WARNING)
        return HttpResponseRedirect(request.path)
    preview = upload.preview or {}
    return TemplateResponse(
        request,
        "admin/issues/respondent/import_preview.html",
        admin_page_context(
            model_admin,
            request,
            title=gettext("Import of %(file)s") % {"file": upload.filename},
            upload=upload,
            preview=preview,
            status_url=reverse("admin:issues_respondent_import_status", args=[upload.pk]),
            progress_text=import_progress_text(upload.progress, upload.progress_total),
            hidden_rows=max(0, preview.get("row_total", 0) - len(preview.get("rows", []))),
            hidden_errors=max(0, preview.get("error_total", 0) - len(preview.get("errors", []))),
        ),
    )


def responses_import_status_view(model_admin, request: HttpRequest, pk: int) -> JsonResponse:
    """The state and progress of an import, polled by its page."""
    if not model_admin.has_import_permission(request):
        raise PermissionDenied
    return JsonResponse(_status(get_object_or_404(ResponsesImport, pk=pk)))
