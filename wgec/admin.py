from django.contrib import admin
from django.db.models import Count
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from wgec.models import Attendance, Meeting, MeetingDocument, Participant, StakeholderGroup

admin.site.site_header = "wgec: secretariat"
admin.site.site_title = "wgec secretariat"
admin.site.index_title = "The correspondence exercise"


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "position", "participant_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(participant_count=Count("participants"))

    @admin.display(description="participants", ordering="participant_count")
    def participant_count(self, obj: StakeholderGroup) -> int:
        return obj.participant_count


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["participant", "meeting"]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "honorific",
        "role",
        "stakeholder_group",
        "country",
        "organisation",
        "correspondence_group",
        "user",
    ]
    list_filter = ["role", "stakeholder_group", "correspondence_group", ("country", CountryFilter)]
    list_select_related = ["stakeholder_group", "user"]
    search_fields = ["name", "organisation", "title", "email"]
    autocomplete_fields = ["user"]
    inlines = [AttendanceInline]
    fieldsets = [
        (None, {"fields": ["honorific", "name", "title", "organisation", "country"]}),
        ("Role", {"fields": ["stakeholder_group", "role", "correspondence_group"]}),
        ("Contact and account", {"fields": ["email", "user"]}),
    ]


class MeetingDocumentInline(admin.StackedInline):
    model = MeetingDocument
    extra = 0
    fields = [("kind", "position"), "title", "text", "file", "url"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "start_date", "end_date", "venue", "chair"]
    list_select_related = ["chair"]
    search_fields = ["title", "venue"]
    autocomplete_fields = ["chair"]
    date_hierarchy = "start_date"
    inlines = [MeetingDocumentInline, AttendanceInline]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "kind"]
    list_filter = ["meeting", "kind"]
    list_select_related = ["meeting"]
    search_fields = ["title", "text"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["participant", "meeting", "remote"]
    list_filter = ["meeting", "remote", "participant__stakeholder_group"]
    list_select_related = ["participant", "meeting"]
    search_fields = ["participant__name", "participant__organisation"]
    autocomplete_fields = ["participant", "meeting"]
