from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django_countries.filters import CountryFilter

from issues import admin_curation, admin_imports
from issues.models import (
    Answer,
    Cluster,
    Comment,
    Cosigner,
    Issue,
    IssueMerge,
    IssueSource,
    Question,
    Respondent,
    Theme,
)
from issues.responses.table import responses_table
from issues.services.compilations import compilations_discard
from wgec.admin_base import VersionedAdmin, VersionedStackedInline, VersionedTabularInline
from wgec.documents.http import download
from wgec.documents.spreadsheets import xlsx_bytes
from wgec.text_checks import CheckedTextMixin


@admin.register(Theme)
class ThemeAdmin(VersionedAdmin):
    list_display = ["letter", "title", "question_count"]
    search_fields = ["title"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description=gettext_lazy("questions"), ordering="question_count")
    def question_count(self, obj: Theme) -> int:
        return obj.question_count


@admin.register(Question)
class QuestionAdmin(VersionedAdmin):
    list_display = ["code", "short_text", "theme"]
    list_filter = ["theme"]
    list_select_related = ["theme"]
    search_fields = ["code", "text"]

    @admin.display(description=gettext_lazy("text"))
    def short_text(self, obj: Question) -> str:
        return truncatechars(obj.text, 100)


class AnswerInline(VersionedStackedInline):
    model = Answer
    extra = 0
    fields = ["question", "text"]


class CosignerInline(VersionedTabularInline):
    model = Cosigner
    extra = 0
    fields = ["name", "stakeholder_group", "country", "position"]
    verbose_name_plural = gettext_lazy(
        "co-signers (a joint submission is one respondent, counted once)"
    )


@admin.register(Respondent)
class RespondentAdmin(VersionedAdmin):
    """Respondents, with the import of a responses file (preview, then confirm) and the
    downloads: the import format (every respondent, with IDs) and the public compilations."""

    change_list_template = "admin/issues/respondent/change_list.html"
    actions = ["download_import_format"]
    list_display = [
        "name",
        "organisation",
        "country",
        "stakeholder_group",
        "submitted_at",
        "consent_to_cite",
        "illustrative",
        "answer_count",
    ]
    list_filter = [
        "stakeholder_group",
        "consent_to_cite",
        "illustrative",
        "language",
        ("country", CountryFilter),
    ]
    list_select_related = ["stakeholder_group"]
    search_fields = ["name", "organisation"]
    date_hierarchy = "submitted_at"
    inlines = [CosignerInline, AnswerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answer_count=Count("answers"))

    # A withdrawn consent or a deleted respondent: the kept compilations go once it is saved.

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "consent_to_cite" in form.changed_data and not obj.consent_to_cite:
            transaction.on_commit(compilations_discard)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(compilations_discard)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(compilations_discard)

    @admin.display(description=gettext_lazy("answers"), ordering="answer_count")
    def answer_count(self, obj: Respondent) -> int:
        return obj.answer_count

    # The import -------------------------------------------------------------------------------

    IMPORT_PERMISSIONS = [
        "issues.add_respondent",
        "issues.change_respondent",
        "issues.add_answer",
        "issues.change_answer",
        "issues.delete_answer",
    ]

    def has_import_permission(self, request) -> bool:
        # An import adds and changes respondents and adds, changes and removes answers.
        return request.user.has_perms(self.IMPORT_PERMISSIONS)

    # Downloads --------------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "download/",
                wrap(self.download_all_view),
                name="issues_respondent_download",
            ),
            path(
                "import/",
                wrap(partial(admin_imports.responses_import_view, self)),
                name="issues_respondent_import",
            ),
            path(
                "import/<int:pk>/",
                wrap(partial(admin_imports.responses_import_preview_view, self)),
                name="issues_respondent_import_preview",
            ),
            path(
                "import/<int:pk>/status/",
                wrap(partial(admin_imports.responses_import_status_view, self)),
                name="issues_respondent_import_status",
            ),
            *super().get_urls(),
        ]

    def _download(self, queryset):
        headers, rows = responses_table(queryset)
        filename = f"{settings.WGEC_GROUP_SHORT_NAME}-responses-import-format.xlsx"
        return download(xlsx_bytes([("Responses", headers, rows)]), filename)

    def download_all_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._download(Respondent.objects.all())

    @admin.action(
        description=gettext_lazy("Download the selected respondents in the import format (XLSX)"),
        permissions=["view"],
    )
    def download_import_format(self, request, queryset):
        return self._download(queryset)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": self.has_import_permission(request),
            "publications": [
                (gettext("By question (DOCX)"), reverse("issues:question-export", args=["docx"])),
                (gettext("By question (XLSX)"), reverse("issues:question-export", args=["xlsx"])),
                (
                    gettext("By respondent (DOCX)"),
                    reverse("issues:respondent-export", args=["docx"]),
                ),
                (
                    gettext("By respondent (XLSX)"),
                    reverse("issues:respondent-export", args=["xlsx"]),
                ),
            ],
        }
        return super().changelist_view(request, extra_context)


class IssueSourceInline(VersionedStackedInline):
    model = IssueSource
    extra = 0
    autocomplete_fields = ["answer"]
    fields = ["answer", "excerpt"]


class RaisedIssueInline(VersionedStackedInline):
    """The issues an answer raises, each with the passage that raises it (provenance)."""

    model = IssueSource
    extra = 0
    autocomplete_fields = ["issue"]
    fields = ["issue", "excerpt"]
    verbose_name = gettext_lazy("issue raised")
    verbose_name_plural = gettext_lazy(
        "issues raised by this answer (quote the passage word for word)"
    )


@admin.register(Answer)
class AnswerAdmin(VersionedAdmin):
    list_display = ["respondent", "question", "short_text", "illustrative", "issue_count"]
    list_filter = [
        "question__theme",
        "question",
        "respondent__consent_to_cite",
        "respondent__illustrative",
    ]
    readonly_fields = ["illustrative"]
    list_select_related = ["respondent", "question"]
    search_fields = ["text", "respondent__name", "respondent__organisation", "question__code"]
    autocomplete_fields = ["respondent", "question"]
    inlines = [RaisedIssueInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(issue_count=Count("issue_sources"))

    @admin.display(description=gettext_lazy("issues raised"), ordering="issue_count")
    def issue_count(self, obj: Answer) -> int:
        return obj.issue_count

    @admin.display(description=gettext_lazy("text"))
    def short_text(self, obj: Answer) -> str:
        return truncatechars(obj.text, 100)

    @admin.display(description=gettext_lazy("illustrative text"), boolean=True)
    def illustrative(self, obj: Answer) -> bool:
        """Invented for the demonstration: the respondent is fictional."""
        return obj.respondent.illustrative


@admin.register(Cluster)
class ClusterAdmin(VersionedAdmin):
    list_display = ["name", "slug", "position", "issue_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(issue_count=Count("issues"))

    @admin.display(description=gettext_lazy("issues"), ordering="issue_count")
    def issue_count(self, obj: Cluster) -> int:
        return obj.issue_count


class IssueAdminForm(CheckedTextMixin, forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["title", "cluster", "description", "state", "agreed_on", "consensus"]

    def clean_state(self):
        state = self.cleaned_data["state"]
        admin_curation.issue_form_state_check(self.instance, state)
        return state


@admin.register(Issue)
class IssueAdmin(VersionedAdmin):
    """Issues with their sources, merges and the working group's agreement. The rooms above add
    their inlines and pages by registering a subclass (``mechanisms/admin.py``)."""

    form = IssueAdminForm
    list_display = ["title", "cluster", "state", "consensus", "merged_into", "updated_at"]
    list_filter = ["state", "consensus", "cluster", "needs_agreement"]
    list_select_related = ["cluster", "merged_into"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["cluster"]
    readonly_fields = ["merged_into", "needs_agreement", "created_at", "updated_at"]
    inlines = [IssueSourceInline]
    actions = ["merge_issues", "undo_merge", "record_agreement"]
    fieldsets = [
        (None, {"fields": ["title", "cluster", "description"]}),
        (
            gettext_lazy("Life cycle"),
            {"fields": ["state", "merged_into", "needs_agreement", "agreed_on", "consensus"]},
        ),
        (gettext_lazy("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.action(description=gettext_lazy("Merge the selected issues…"), permissions=["change"])
    def merge_issues(self, request, queryset):
        return admin_curation.merge_action(self, request, queryset)

    @admin.action(
        description=gettext_lazy("Undo the merge of the selected issues"), permissions=["change"]
    )
    def undo_merge(self, request, queryset):
        admin_curation.undo_merge_action(self, request, queryset)

    @admin.action(
        description=gettext_lazy("Record the working group's agreement to put them on the map…"),
        permissions=["change"],
    )
    def record_agreement(self, request, queryset):
        return admin_curation.agreement_action(self, request, queryset)


@admin.register(IssueMerge)
class IssueMergeAdmin(admin.ModelAdmin):
    list_display = ["merged", "survivor", "merged_at", "merged_by", "undone_at"]
    list_filter = [("undone_at", admin.EmptyFieldListFilter)]
    list_select_related = ["merged", "survivor", "merged_by"]
    search_fields = ["merged__title", "survivor__title"]
    actions = ["undo"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Undo the selected merges"), permissions=["view"])
    def undo(self, request, queryset):
        if not request.user.has_perm("issues.change_issue"):
            raise PermissionDenied
        admin_curation.undo_merges(self, request, queryset.filter(undone_at__isnull=True))


@admin.register(IssueSource)
class IssueSourceAdmin(VersionedAdmin):
    list_display = ["issue", "respondent", "question", "short_excerpt"]
    list_filter = ["answer__question", "issue__cluster"]
    list_select_related = ["issue", "answer__respondent", "answer__question"]
    search_fields = ["issue__title", "excerpt", "answer__respondent__name"]
    autocomplete_fields = ["issue", "answer"]

    @admin.display(ordering="answer__respondent__name")
    def respondent(self, obj: IssueSource) -> str:
        return obj.answer.respondent.name

    @admin.display(ordering="answer__question")
    def question(self, obj: IssueSource) -> str:
        return obj.answer.question.code

    @admin.display(description=gettext_lazy("excerpt"))
    def short_excerpt(self, obj: IssueSource) -> str:
        return truncatechars(obj.excerpt, 80)


@admin.register(Comment)
class CommentAdmin(VersionedAdmin):
    list_display = [
        "__str__",
        "author",
        "issue",
        "created_at",
        "edited_at",
        "by_email",
        "illustrative",
    ]
    list_filter = ["author__stakeholder_group", "by_email", "illustrative"]
    list_select_related = ["author", "issue"]
    search_fields = ["text", "author__name", "issue__title"]
    autocomplete_fields = ["issue", "author"]
    readonly_fields = ["created_at", "edited_at"]
