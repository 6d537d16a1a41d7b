"""The secretariat's admin of mechanisms, coverage and gaps, and what this room adds to the Issue
admin: the coverage and gap inlines, and the map workbook's download and import."""

from functools import partial

from django.contrib import admin
from django.db.models import Count
from django.urls import path
from django.utils.translation import gettext_lazy as _

from issues.admin import IssueAdmin
from issues.models import Issue
from mechanisms import admin_workbook
from mechanisms.models import Coverage, Gap, Mechanism
from mechanisms.services import coverage_remove, coverage_set, gap_remove, gap_set
from wgec.admin_base import VersionedAdmin, VersionedStackedInline, VersionedTabularInline


class MapInlinesThroughServices:
    """Coverage and gap inlines save through mechanisms/services.py, like accepted proposals."""

    def save_formset(self, request, form, formset, change):
        if formset.model not in (Coverage, Gap):
            return super().save_formset(request, form, formset, change)
        user = request.user
        remove = coverage_remove if formset.model is Coverage else gap_remove
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                remove(**{_ROW[formset.model]: inline_form.instance}, user=user)
                formset.deleted_objects.append(inline_form.instance)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            row = inline_form.save(commit=False)
            setattr(row, formset.fk.name, formset.instance)
            existing = bool(row.pk)
            if existing and {"issue", "mechanism", "type"} & set(inline_form.changed_data):
                # Another issue, mechanism or gap type: a removal and an addition.
                remove(**{_ROW[formset.model]: formset.model.objects.get(pk=row.pk)}, user=user)
                existing = False
            if formset.model is Coverage:
                saved = coverage_set(
                    issue=row.issue,
                    mechanism=row.mechanism,
                    status=row.status,
                    evidence=row.evidence,
                    user=user,
                )
            else:
                saved = gap_set(
                    issue=row.issue,
                    type=row.type,
                    description=row.description,
                    recommendation=row.recommendation,
                    user=user,
                )
            inline_form.instance = saved
            if existing:
                formset.changed_objects.append((saved, inline_form.changed_data))
            else:
                formset.new_objects.append(saved)
        return None


_ROW = {Coverage: "coverage", Gap: "gap"}


class CoverageInline(VersionedTabularInline):
    """Coverage of one issue by one mechanism, edited from either side."""

    model = Coverage
    extra = 0
    autocomplete_fields = ["issue", "mechanism"]
    fields = ["issue", "mechanism", "status", "evidence"]


class GapInline(VersionedStackedInline):
    model = Gap
    extra = 0
    fields = ["type", "description", "recommendation"]


@admin.register(Mechanism)
class MechanismAdmin(MapInlinesThroughServices, VersionedAdmin):
    list_display = ["name", "acronym", "kind", "website", "issue_count"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym", "description"]
    inlines = [CoverageInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(issue_count=Count("coverage"))

    @admin.display(description=_("issues covered"), ordering="issue_count")
    def issue_count(self, obj: Mechanism) -> int:
        return obj.issue_count


@admin.register(Coverage)
class CoverageAdmin(VersionedAdmin):
    list_display = ["issue", "mechanism", "status"]
    list_filter = ["status", "mechanism__kind", "issue__cluster"]
    list_select_related = ["issue", "mechanism"]
    search_fields = ["issue__title", "mechanism__name", "mechanism__acronym", "evidence"]
    autocomplete_fields = ["issue", "mechanism"]


@admin.register(Gap)
class GapAdmin(VersionedAdmin):
    list_display = ["issue", "type", "recommendation"]
    list_filter = ["type", "issue__cluster"]
    list_select_related = ["issue"]
    search_fields = ["issue__title", "description", "recommendation"]
    autocomplete_fields = ["issue"]


# The Issue admin, with what this room knows of issues. The issues room's admin knows nothing of
# mechanisms; this subclass replaces it in the admin site.
admin.site.unregister(Issue)


@admin.register(Issue)
class MappedIssueAdmin(MapInlinesThroughServices, IssueAdmin):
    inlines = [*IssueAdmin.inlines, CoverageInline, GapInline]
    change_list_template = "admin/mechanisms/issue/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "map/export/",
                wrap(partial(admin_workbook.map_export_view, self)),
                name="issues_issue_map_export",
            ),
            path(
                "map/import/",
                wrap(partial(admin_workbook.map_import_view, self)),
                name="issues_issue_map_import",
            ),
            path(
                "map/import/<int:pk>/",
                wrap(partial(admin_workbook.map_import_preview_view, self)),
                name="issues_issue_map_import_preview",
            ),
            path(
                "map/import/<int:pk>/status/",
                wrap(partial(admin_workbook.map_import_status_view, self)),
                name="issues_issue_map_import_status",
            ),
            *super().get_urls(),
        ]
