from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reports import services
from reports.models import (
    Deliverable,
    Delivery,
    DocumentExport,
    EditableTemplate,
    Report,
    Subscriber,
    SymbolPattern,
)
from reports.wording import EDITABLE_NAMES, EDITABLE_TEMPLATES, check_source, shipped_source
from wgec.admin_base import VersionedAdmin
from wgec.text_checks import CheckedTextMixin


@admin.register(Deliverable)
class DeliverableAdmin(VersionedAdmin):
    list_display = ["title", "slug", "kind", "due_date", "state", "sent_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "slug"]
    date_hierarchy = "due_date"
    fieldsets = [
        (None, {"fields": ["slug", "kind", "title", "due_date", "state", "sent_at"]}),
        (
            _("Title in the other official languages"),
            {"fields": ["title_ar", "title_zh_hans", "title_fr", "title_ru", "title_es"]},
        ),
        (
            _("Masthead of the documents"),
            {
                "fields": [
                    "masthead_body",
                    "masthead_meeting",
                    "masthead_place_dates",
                    "without_formal_editing",
                ]
            },
        ),
    ]


@admin.register(Report)
class ReportAdmin(VersionedAdmin):
    list_display = [
        "deliverable",
        "subject",
        "issued_on",
        "symbol",
        "sent_at",
        "sent_by",
        "illustrative",
        "page",
    ]
    list_select_related = ["deliverable", "sent_by"]
    search_fields = ["deliverable__title", "subject"]
    fields = [
        "deliverable",
        "introduction",
        "subject",
        "issued_on",
        "symbol",
        "since",
        "composed_at",
        "sent_at",
        "sent_by",
        "illustrative",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A sent report is frozen; a draft's introduction is written on the compose page.
        return self.fields

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("published page"))
    def page(self, obj: Report) -> str:
        url = reverse("reports:detail", args=[obj.deliverable.slug])
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "report",
        "to_chair",
        "language",
        "state",
        "attempts",
        "sent_at",
        "bounce_status",
        "last_error",
    ]
    list_filter = ["state", "to_chair", "bounce_permanent", "report"]
    list_select_related = ["report__deliverable"]
    search_fields = ["email", "name"]
    actions = ["resend_deliberately"]
    readonly_fields = [
        "report",
        "email",
        "name",
        "subscriber",
        "to_chair",
        "state",
        "attempts",
        "available_at",
        "claimed_at",
        "claimed_by",
        "lease_until",
        "started_at",
        "sent_at",
        "last_error",
        "message_id",
        "bounced_at",
        "bounce_permanent",
        "bounce_status",
        "bounce_diagnostic",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(
        description=_("Resend deliberately (failed or needing attention)"),
        permissions=["change"],
    )
    def resend_deliberately(self, request, queryset) -> None:
        count = services.deliveries_resend(deliveries=list(queryset), user=request.user)
        skipped = queryset.count() - count
        self.message_user(
            request,
            ngettext(
                "%(count)s delivery queued to be sent again.",
                "%(count)s deliveries queued to be sent again.",
                count,
            )
            % {"count": count}
            + (
                " "
                + ngettext(
                    "%(count)s left alone (sent, pending or sending).",
                    "%(count)s left alone (sent, pending or sending).",
                    skipped,
                )
                % {"count": skipped}
                if skipped
                else ""
            ),
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(Subscriber)
class SubscriberAdmin(VersionedAdmin):
    list_display = [
        "email",
        "name",
        "state",
        "language",
        "participant",
        "confirmed_at",
        "unsubscribed_at",
        "suspended_at",
    ]
    list_filter = ["state", "language", ("participant", admin.EmptyFieldListFilter)]
    list_select_related = ["participant"]
    search_fields = ["email", "name"]
    autocomplete_fields = ["participant"]
    readonly_fields = [
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
        "suspended_at",
        "suspended_reason",
        "created_at",
    ]
    actions = ["unsubscribe"]

    @admin.action(description=_("Unsubscribe"), permissions=["change"])
    def unsubscribe(self, request, queryset) -> None:
        for subscriber in queryset:
            services.subscriber_unsubscribe(subscriber=subscriber)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)s address unsubscribed.", "%(count)s addresses unsubscribed.", count)
            % {"count": count},
        )


class EditableTemplateForm(CheckedTextMixin, forms.ModelForm):
    class Meta:
        model = EditableTemplate
        fields = ["name", "source"]
        widgets = {"source": forms.Textarea(attrs={"rows": 24, "cols": 100})}

    def clean(self):
        cleaned = super().clean()
        name, source = cleaned.get("name"), cleaned.get("source")
        if name and source is not None:
            problem = check_source(name, source)
            if problem:
                self.add_error("source", problem)
        return cleaned


@admin.register(EditableTemplate)
class EditableTemplateAdmin(VersionedAdmin):
    form = EditableTemplateForm
    list_display = ["name_display", "name", "updated_at"]
    readonly_fields = ["shipped_text"]
    fields = ["name", "source", "shipped_text"]

    @admin.display(description=_("wording of"), ordering="name")
    def name_display(self, obj: EditableTemplate) -> str:
        return obj.get_name_display()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        name = request.GET.get("name")
        if name in EDITABLE_NAMES:
            initial["source"] = shipped_source(name)
        return initial

    @admin.display(description=_("shipped text (the default)"))
    def shipped_text(self, obj: EditableTemplate) -> str:
        if obj and obj.name:
            return format_html(
                '<pre style="white-space: pre-wrap">{}</pre><p>{}</p>',
                shipped_source(obj.name),
                _("Delete this record to go back to the shipped text."),
            )
        url = reverse("admin:reports_editabletemplate_add")
        links = format_html_join(
            "",
            '<li><a href="{}?name={}">{}</a></li>',
            ((url, n, label) for n, label in EDITABLE_TEMPLATES),
        )
        return format_html("<p>{}</p><ul>{}</ul>", _("Start from the shipped text of:"), links)


@admin.register(DocumentExport)
class DocumentExportAdmin(admin.ModelAdmin):
    list_display = [
        "deliverable", "format", "language", "frozen", "state", "created_at", "requested_by",
    ]  # fmt: skip
    list_filter = ["format", "language", "state", "frozen"]
    list_select_related = ["deliverable", "requested_by"]
    readonly_fields = [
        "deliverable", "format", "language", "frozen", "state", "file", "error", "requested_by",
        "created_at", "finished_at",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SymbolPattern)
class SymbolPatternAdmin(VersionedAdmin):
    """The one pattern of the documents' symbols (E/CN.16/{year}/CRP.{number})."""

    list_display = ["__str__"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not SymbolPattern.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
