"""The secretariat's view of the mail that came in: every message with what it became, and the
replies to update reports (which it may delete, as it may any comment)."""

from django.contrib import admin

from inbound.models import InboundMessage, ReportReply


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["taken_at", "sender", "subject", "outcome", "reason", "answered_at"]
    list_filter = ["outcome", ("answered_at", admin.EmptyFieldListFilter)]
    search_fields = ["sender", "subject", "message_id", "reason"]
    date_hierarchy = "taken_at"
    readonly_fields = [field.name for field in InboundMessage._meta.get_fields() if field.concrete]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # shown, never edited: the record of what arrived


@admin.register(ReportReply)
class ReportReplyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "report", "created_at"]
    list_filter = ["report"]
    list_select_related = ["author", "report__deliverable"]
    search_fields = ["text", "subject", "author__name"]
    readonly_fields = ["report", "author", "subject", "text", "created_at"]
    exclude = ["text_html"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a member's words as they came: shown, or deleted, never edited
