from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from mechanisms.models import Coverage, Gap, Mechanism


class CoverageInline(admin.TabularInline):
    """Coverage of one issue by one mechanism, edited from either side."""

    model = Coverage
    extra = 0
    autocomplete_fields = ["issue", "mechanism"]
    fields = ["issue", "mechanism", "status", "evidence"]


class GapInline(admin.StackedInline):
    model = Gap
    extra = 0
    fields = ["type", "description", "recommendation"]


@admin.register(Mechanism)
class MechanismAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "website", "issue_count"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym", "description"]
    inlines = [CoverageInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(issue_count=Count("coverage"))

    @admin.display(description="issues covered", ordering="issue_count")
    def issue_count(self, obj: Mechanism) -> int:
        return obj.issue_count


@admin.register(Coverage)
class CoverageAdmin(SimpleHistoryAdmin):
    list_display = ["issue", "mechanism", "status"]
    list_filter = ["status", "mechanism__kind", "issue__cluster"]
    list_select_related = ["issue", "mechanism"]
    search_fields = ["issue__title", "mechanism__name", "mechanism__acronym", "evidence"]
    autocomplete_fields = ["issue", "mechanism"]


@admin.register(Gap)
class GapAdmin(SimpleHistoryAdmin):
    list_display = ["issue", "type", "recommendation"]
    list_filter = ["type", "issue__cluster"]
    list_select_related = ["issue"]
    search_fields = ["issue__title", "description", "recommendation"]
    autocomplete_fields = ["issue"]
