from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import Deliverable


@admin.register(Deliverable)
class DeliverableAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "kind", "due_date", "state", "sent_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "slug"]
    date_hierarchy = "due_date"
