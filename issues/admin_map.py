"""The secretariat's curation of the issue list in the admin: merging duplicates, undoing a merge,
recording the working group's agreement, and the map workbook's download and import.

Each view is reached from the Issue admin (an action or a button) and calls the services of
``issues.services``; nothing here writes on its own.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from issues.map_workbook import map_xlsx
from issues.models import Issue, IssueMerge, MapImport
from issues.services.issue_map import (
    issue_agreement_record,
    issue_merge,
    issue_merge_plan,
    issue_merge_undo,
)
from issues.services.map_workbook import map_import_confirm, map_import_upload
from wgec.documents.http import download

MAX_UPLOAD = 50 * 2**20  # bytes


def _context(model_admin, request: HttpRequest, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "action_checkbox_name": "_selected_action",
        **extra,
    }


# Merging ------------------------------------------------------------------------------------


def merge_action(model_admin, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
    """Choose the survivor among the selected issues, see what will move, then merge."""
    issues = list(queryset.select_related("cluster", "merged_into").order_by("title"))
    if len(issues) < 2:
        model_admin.message_user(request, "Select at least two issues to merge.", messages.WARNING)
        return None
    survivor_id = request.POST.get("survivor")
    survivor = next((issue for issue in issues if str(issue.pk) == survivor_id), None)
    plans, error = None, None
    if survivor is not None:
        others = [issue for issue in issues if issue.pk != survivor.pk]
        try:
            plans = issue_merge_plan(survivor=survivor, duplicates=others)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        if plans and request.POST.get("confirm") == "yes":
            try:
                records = issue_merge(survivor=survivor, duplicates=others, user=request.user)
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                model_admin.message_user(
                    request,
                    f"Merged {len(records)} issue{'s' if len(records) > 1 else ''} into "
                    f"“{survivor}”. Their pages now lead to it; “Undo the merge” reverses it.",
                    messages.SUCCESS,
                )
                return None
    return TemplateResponse(
        request,
        "admin/issues/issue/merge.html",
        _context(
            model_admin,
            request,
            title="Merge issues",
            issues=issues,
            survivor=survivor,
            plans=plans,
            error=error,
        ),
    )


def undo_merge_action(model_admin, request: HttpRequest, queryset: QuerySet) -> None:
    merges = IssueMerge.objects.filter(merged__in=queryset, undone_at__isnull=True)
    found = {merge.merged_id for merge in merges}
    for issue in queryset.exclude(pk__in=found):
        model_admin.message_user(
            request, f"“{issue}” is not merged: nothing to undo.", messages.WARNING
        )
    undo_merges(model_admin, request, merges)


def undo_merges(model_admin, request: HttpRequest, merges) -> None:
    for merge in merges.select_related("merged", "survivor"):
        label = str(merge)
        try:
            notes = issue_merge_undo(merge=merge, user=request.user)
        except ValidationError as problem:
            model_admin.message_user(request, " ".join(problem.messages), messages.ERROR)
            continue
        text = f"Undone: {label}."
        if notes:
            text += " " + "; ".join(notes) + "."
        model_admin.message_user(request, text, messages.SUCCESS)


# Agreement ----------------------------------------------------------------------------------


class AgreementForm(forms.Form):
    agreed_on = forms.DateField(
        label="Date of the working group's agreement",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def agreement_action(model_admin, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
    """Put proposed issues on the map once the working group has agreed to add them."""
    issues = list(queryset.order_by("title"))
    form = AgreementForm(
        request.POST if "agreed_on" in request.POST else None,
        initial={"agreed_on": timezone.localdate()},
    )
    if form.is_bound and form.is_valid():
        done = 0
        for issue in issues:
            try:
                issue_agreement_record(
                    issue=issue, agreed_on=form.cleaned_data["agreed_on"], user=request.user
                )
            except ValidationError as problem:
                model_admin.message_user(request, " ".join(problem.messages), messages.ERROR)
            else:
                done += 1
        if done:
            model_admin.message_user(
                request,
                f"{done} issue{'s are' if done > 1 else ' is'} now on the map.",
                messages.SUCCESS,
            )
        return None
    return TemplateResponse(
        request,
        "admin/issues/issue/agreement.html",
        _context(
            model_admin,
            request,
            title="Record the working group's agreement",
            issues=issues,
            form=form,
        ),
    )


# The map workbook ---------------------------------------------------------------------------


def map_export_view(model_admin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    return download(map_xlsx(), f"wgec-map-{timezone.localdate():%Y-%m-%d}.xlsx")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented recipe)."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class MapUploadForm(forms.Form):
    files = MultipleFileField(
        label="Map workbook",
        help_text="The .xlsx workbook (sheets Issues, Mechanisms, Coverage), or its .csv "
        "tables (select several files at once).",
        widget=MultipleFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_files(self):
        uploads = [upload for upload in self.cleaned_data["files"] if upload]
        if not uploads:
            raise ValidationError("Choose a file.")
        for upload in uploads:
            if upload.size > MAX_UPLOAD:
                raise ValidationError(f"{upload.name} is larger than {MAX_UPLOAD // 2**20} MB.")
            if not upload.name.lower().endswith((".xlsx", ".csv")):
                raise ValidationError(f"{upload.name}: choose .xlsx or .csv files.")
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
        "admin/issues/issue/map_import.html",
        _context(
            model_admin,
            request,
            title="Import a map workbook",
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
        "admin/issues/issue/map_import_preview.html",
        _context(
            model_admin,
            request,
            title=f"Import of {upload.filename}",
            upload=upload,
            preview=preview,
            hidden_changes=max(0, preview.get("change_total", 0) - len(preview.get("changes", []))),
        ),
    )


def issue_form_state_check(instance: Issue, state: str) -> None:
    """The admin form may not merge or unmerge: those go through the actions."""
    was = instance.state if instance.pk else None
    if state == Issue.State.MERGED and was != Issue.State.MERGED:
        raise ValidationError(
            "Merge issues with the action “Merge the selected issues”: it also moves sources, "
            "coverage and gaps."
        )
    if was == Issue.State.MERGED and state != Issue.State.MERGED:
        raise ValidationError("Use the action “Undo the merge of the selected issues”.")
