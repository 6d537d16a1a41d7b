from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from wgec.admin_base import VersionedAdmin, VersionedStackedInline, VersionedTabularInline
from wgec.models import (
    Attendance,
    Contribution,
    ContributionDocument,
    JoinRequest,
    Meeting,
    MeetingDocument,
    Participant,
    StakeholderGroup,
    SummaryParagraph,
    TermsOfReference,
    TermsParagraph,
)
from wgec.services import contribution_publish, contribution_unpublish, join_request_accept


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(VersionedAdmin):
    list_display = ["name", "slug", "position", "participant_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(participant_count=Count("participants"))

    @admin.display(description=_("participants"), ordering="participant_count")
    def participant_count(self, obj: StakeholderGroup) -> int:
        return obj.participant_count


class AttendanceInline(VersionedTabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["participant", "meeting"]


@admin.register(Participant)
class ParticipantAdmin(VersionedAdmin):
    list_display = [
        "name",
        "honorific",
        "role",
        "stakeholder_group",
        "country",
        "organisation",
        "correspondence_group",
        "illustrative",
        "user",
    ]
    list_filter = [
        "role",
        "stakeholder_group",
        "correspondence_group",
        "illustrative",
        ("country", CountryFilter),
    ]
    list_select_related = ["stakeholder_group", "user"]
    search_fields = ["name", "organisation", "title", "email"]
    autocomplete_fields = ["user"]
    inlines = [AttendanceInline]
    fieldsets = [
        (None, {"fields": ["honorific", "name", "title", "organisation", "country"]}),
        (_("Role"), {"fields": ["stakeholder_group", "role", "correspondence_group", "position"]}),
        (_("Demonstration data"), {"fields": ["illustrative"]}),
        (_("Contact and account"), {"fields": ["email", "user"]}),
    ]


class MeetingDocumentInline(VersionedStackedInline):
    model = MeetingDocument
    extra = 0
    fields = [("kind", "position"), "title", "text", "file", "url"]


class SummaryParagraphInline(VersionedStackedInline):
    model = SummaryParagraph
    extra = 0
    fields = ["position", "text"]
    verbose_name_plural = _("the Chair's summary: its numbered paragraphs, in order")


class TermsParagraphInline(VersionedTabularInline):
    model = TermsParagraph
    extra = 0
    fields = ["position", "label", "text"]


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(VersionedAdmin):
    """Terms of reference agreed at a meeting: annex 1 of its Chair's summary."""

    list_display = ["title", "meeting", "agreed_on"]
    list_select_related = ["meeting"]
    inlines = [TermsParagraphInline]


@admin.register(Meeting)
class MeetingAdmin(VersionedAdmin):
    list_display = ["number", "title", "start_date", "end_date", "venue", "chair"]
    list_select_related = ["chair"]
    search_fields = ["title", "venue"]
    autocomplete_fields = ["chair"]
    date_hierarchy = "start_date"
    inlines = [SummaryParagraphInline, MeetingDocumentInline, AttendanceInline]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(VersionedAdmin):
    list_display = ["title", "meeting", "kind"]
    list_filter = ["meeting", "kind"]
    list_select_related = ["meeting"]
    search_fields = ["title", "text"]


@admin.register(Attendance)
class AttendanceAdmin(VersionedAdmin):
    list_display = ["participant", "meeting", "remote"]
    list_filter = ["meeting", "remote", "participant__stakeholder_group"]
    list_select_related = ["participant", "meeting"]
    search_fields = ["participant__name", "participant__organisation"]
    autocomplete_fields = ["participant", "meeting"]


@admin.register(JoinRequest)
class JoinRequestAdmin(VersionedAdmin):
    list_display = ["name", "organisation", "stakeholder_group", "country", "state", "created_at"]
    list_filter = ["state", "stakeholder_group"]
    list_select_related = ["stakeholder_group"]
    search_fields = ["name", "organisation", "user__email"]
    readonly_fields = ["user", "created_at", "reviewed_by", "reviewed_at", "participant", "state"]
    actions = ["accept"]

    def has_add_permission(self, request):
        return False  # people ask on the site, after confirming their e-mail address

    @admin.action(description=_("Accept the selected requests"), permissions=["change"])
    def accept(self, request, queryset):
        for join_request in queryset.filter(state=JoinRequest.State.PENDING):
            try:
                join_request_accept(join_request=join_request, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{join_request}: {' '.join(error.messages)}", "error")
            else:
                self.message_user(
                    request,
                    gettext("%(name)s is now a member.") % {"name": join_request.name},
                )


class ContributionDocumentInline(VersionedTabularInline):
    model = ContributionDocument
    extra = 0
    fields = ["original_name", "size", "uploaded_at"]
    readonly_fields = ["original_name", "size", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False  # documents come with the contribution, checked by the submission form


@admin.register(Contribution)
class ContributionAdmin(VersionedAdmin):
    list_display = ["title", "author", "kind", "meeting", "state", "submitted_at", "published_at"]
    list_filter = ["state", "kind", "meeting", "author__stakeholder_group", "illustrative"]
    list_select_related = ["author", "meeting"]
    search_fields = ["title", "text", "author__name"]
    autocomplete_fields = ["author", "meeting"]
    readonly_fields = ["state", "submitted_at", "submitted_by", "published_at"]
    inlines = [ContributionDocumentInline]
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.submitted_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected contributions"), permissions=["change"])
    def publish(self, request, queryset):
        count = contribution_publish(contributions=list(queryset), user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)s contribution published on /contributions/.",
                "%(count)s contributions published on /contributions/.",
                count,
            )
            % {"count": count},
        )

    @admin.action(
        description=_("Withdraw the selected contributions from publication"),
        permissions=["change"],
    )
    def unpublish(self, request, queryset):
        count = contribution_unpublish(contributions=list(queryset), user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)s contribution withdrawn from publication.",
                "%(count)s contributions withdrawn from publication.",
                count,
            )
            % {"count": count},
        )
