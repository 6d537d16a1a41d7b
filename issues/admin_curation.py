"""The secretariat's curation of the issue list in the admin: merging duplicates, undoing a merge,
and recording the working group's agreement.

Each view is reached from the Issue admin (an action) and calls the services of
``issues.services.issue_list``; nothing here writes on its own.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from issues.issue_parts import issue_parts
from issues.models import Issue, IssueMerge
from issues.services.issue_list import (
    issue_agreement_record,
    issue_merge,
    issue_merge_plan,
    issue_merge_undo,
)
from wgec.text_checks import CheckedTextMixin


def admin_page_context(model_admin, request: HttpRequest, **extra) -> dict:
    """What a page reached from the Issue admin needs to look like the admin's own pages."""
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
        model_admin.message_user(
            request, gettext("Select at least two issues to merge."), messages.WARNING
        )
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
                    ngettext(
                        "Merged %(count)s issue into “%(survivor)s”. Its page now leads to "
                        "it; “Undo the merge” reverses it.",
                        "Merged %(count)s issues into “%(survivor)s”. Their pages now lead to "
                        "it; “Undo the merge” reverses it.",
                        len(records),
                    )
                    % {"count": len(records), "survivor": survivor},
                    messages.SUCCESS,
                )
                return None
    return TemplateResponse(
        request,
        "admin/issues/issue/merge.html",
        admin_page_context(
            model_admin,
            request,
            title=gettext("Merge issues"),
            issues=issues,
            survivor=survivor,
            plans=plans,
            part_headings=[part.heading for part in issue_parts() if part.heading],
            error=error,
        ),
    )


def undo_merge_action(model_admin, request: HttpRequest, queryset: QuerySet) -> None:
    merges = IssueMerge.objects.filter(merged__in=queryset, undone_at__isnull=True)
    found = {merge.merged_id for merge in merges}
    for issue in queryset.exclude(pk__in=found):
        model_admin.message_user(
            request,
            gettext("“%(issue)s” is not merged: nothing to undo.") % {"issue": issue},
            messages.WARNING,
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
        if notes:
            text = gettext("Undone: %(merge)s. %(notes)s.") % {
                "merge": label,
                "notes": "; ".join(notes),
            }
        else:
            text = gettext("Undone: %(merge)s.") % {"merge": label}
        model_admin.message_user(request, text, messages.SUCCESS)


# Agreement ----------------------------------------------------------------------------------


class AgreementForm(CheckedTextMixin, forms.Form):
    agreed_on = forms.DateField(
        label=gettext_lazy("Date of the working group's agreement"),
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
                ngettext(
                    "%(count)s issue is now on the map.",
                    "%(count)s issues are now on the map.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        return None
    return TemplateResponse(
        request,
        "admin/issues/issue/agreement.html",
        admin_page_context(
            model_admin,
            request,
            title=gettext("Record the working group's agreement"),
            issues=issues,
            form=form,
        ),
    )


def issue_form_state_check(instance: Issue, state: str) -> None:
    """The admin form may not merge or unmerge: those go through the actions."""
    was = instance.state if instance.pk else None
    if state == Issue.State.MERGED and was != Issue.State.MERGED:
        raise ValidationError(
            gettext(
                "Merge issues with the action “Merge the selected issues”: it also moves "
                "sources, coverage and gaps."
            )
        )
    if was == Issue.State.MERGED and state != Issue.State.MERGED:
        raise ValidationError(gettext("Use the action “Undo the merge of the selected issues”."))
