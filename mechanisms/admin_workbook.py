"""The map workbook in the admin, reached from the Issues list: its download, and its import
(upload, then a preview of every change to confirm). The views call
``mechanisms.map_workbook``; nothing here writes on its own."""

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
from mechanisms.map_workbook.export import map_xlsx
from mechanisms.map_workbook.imports import map_import_confirm, map_import_upload
from mechanisms.models import MapImport
from wgec.documents.http import download
from wgec.imports import import_progress_text, import_size_refusal
from wgec.text_checks import CheckedTextMixin


def map_export_view(model_admin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    # The map as it stands when downloaded: the name carries no date from the machine's clock.
    return download(map_xlsx(), "wgec-map.xlsx")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented recipe)."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class MapUploadForm(CheckedTextMixin, forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Map workbook"),
        help_text=gettext_lazy(
            "The .xlsx workbook (sheets Issues, Mechanisms, Coverage), or its .csv tables "
            "(select several files at once)."
        ),
        widget=MultipleFileInput(attrs={"accept": ".xlsx,.csv"}),
        allow_empty_file=True,  # the worker says what is wrong with it, as with any file
    )

    def clean_files(self):
        uploads = [upload for upload in self.cleaned_data["files"] if upload]
        if not uploads:
            raise ValidationError(gettext("Choose a file."))
        for upload in uploads:
            if upload.size > settings.IMPORT_MAX_MB * 2**20:
                raise ValidationError(import_size_refusal(upload.name, upload.size))
            if not upload.name.lower().endswith((".xlsx", ".csv")):
                raise ValidationError(
                    gettext("%(file)s: choose .xlsx or .csv files.") % {"file": upload.name}
                )
        return uploads


def map_import_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Upload a workbook; a worker reads it and its preview page shows what it would do."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    form = MapUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
        upload = map_import_upload(files=files, user=request.user)
        return HttpResponseRedirect(
            reverse("admin:issues_issue_map_import_preview", args=[upload.pk])
        )
    return TemplateResponse(
        request,
        "admin/mechanisms/issue/map_import.html",
        admin_page_context(
            model_admin,
            request,
            title=gettext("Import a map workbook"),
            form=form,
            recent=MapImport.objects.select_related("uploaded_by", "applied_by").defer("content")[
                :10
            ],
        ),
    )


def map_import_preview_view(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """What the import will create, update, remove and leave alone; confirm to apply it."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    upload = get_object_or_404(
        MapImport.objects.select_related("applied_by").defer("content"), pk=pk
    )
    if request.method == "POST":
        try:
            map_import_confirm(
                upload=upload, fingerprint=request.POST.get("fingerprint", ""), user=request.user
            )
        except ValidationError as problem:
            model_admin.message_user(request, " ".join(problem.messages), messages.WARNING)
        return HttpResponseRedirect(request.path)
    preview = upload.preview or {}
    return TemplateResponse(
        request,
        "admin/mechanisms/issue/map_import_preview.html",
        admin_page_context(
            model_admin,
            request,
            title=gettext("Import of %(file)s") % {"file": upload.filename},
            upload=upload,
            preview=preview,
            status_url=reverse("admin:issues_issue_map_import_status", args=[upload.pk]),
            progress_text=import_progress_text(upload.progress, 0),
            hidden_changes=max(0, preview.get("change_total", 0) - len(preview.get("changes", []))),
        ),
    )


def map_import_status_view(model_admin, request: HttpRequest, pk: int) -> JsonResponse:
    """The state and progress of an import, polled by its page."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    upload = get_object_or_404(MapImport.objects.defer("content"), pk=pk)
    return JsonResponse(
        {
            "state": upload.state,
            "label": upload.get_state_display(),
            "working": upload.working,
            "done": upload.progress,
            "total": 0,
            "progress_text": import_progress_text(upload.progress, 0),
            "waiting_for_worker": upload.waiting_for_worker,
        }
    )
