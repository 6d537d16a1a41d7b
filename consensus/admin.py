"""The secretariat's admin of proposals and items without consensus. Decisions and accepted
proposals go through the room's services, so that the item, its issue and the map follow."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consensus.models import ConsensusItem, Decision, Option, OptionSupport, Proposal
from consensus.services.items import decision_record, decision_withdraw, issue_consensus_follow
from consensus.services.proposals import proposal_accept
from wgec.admin_base import VersionedAdmin, VersionedStackedInline


class OptionInline(VersionedStackedInline):
    model = Option
    extra = 0
    fields = ["label", "text"]


@admin.register(ConsensusItem)
class ConsensusItemAdmin(VersionedAdmin):
    list_display = ["__str__", "state", "referred_on", "created_at", "illustrative"]
    list_filter = ["state", "illustrative"]
    list_select_related = ["issue", "coverage__issue", "coverage__mechanism"]
    search_fields = ["summary", "issue__title", "coverage__issue__title"]
    autocomplete_fields = ["issue", "coverage"]
    readonly_fields = ["created_at", "created_by"]
    inlines = [OptionInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        issue_consensus_follow(item=obj)


@admin.register(Option)
class OptionAdmin(VersionedAdmin):
    list_display = ["__str__", "item", "short_text"]
    list_select_related = ["item__issue", "item__coverage__issue", "item__coverage__mechanism"]
    search_fields = ["text", "item__issue__title", "item__coverage__issue__title"]
    autocomplete_fields = ["item"]

    @admin.display(description=_("text"))
    def short_text(self, obj: Option) -> str:
        return truncatechars(obj.text, 100)


@admin.register(OptionSupport)
class OptionSupportAdmin(VersionedAdmin):
    list_display = ["participant", "option", "item", "stated_at"]
    list_filter = ["participant__stakeholder_group"]
    list_select_related = [
        "participant",
        "option",
        "item__issue",
        "item__coverage__issue",
        "item__coverage__mechanism",
    ]
    search_fields = ["participant__name", "option__text"]
    autocomplete_fields = ["item", "option", "participant"]


@admin.register(Decision)
class DecisionAdmin(VersionedAdmin):
    list_display = ["__str__", "option", "meeting", "decided_on", "illustrative"]
    list_select_related = [
        "item__issue",
        "item__coverage__issue",
        "item__coverage__mechanism",
        "option",
        "meeting",
    ]
    search_fields = ["text", "item__issue__title", "item__coverage__issue__title"]
    autocomplete_fields = ["item", "option", "meeting"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        # Through the service, so that the item becomes decided and its issue follows.
        saved = decision_record(
            item=obj.item,
            option=obj.option,
            text=obj.text,
            meeting=obj.meeting,
            decided_on=obj.decided_on,
            user=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        decision_withdraw(decision=obj)

    def delete_queryset(self, request, queryset):
        for decision in queryset:
            decision_withdraw(decision=decision)


@admin.register(Proposal)
class ProposalAdmin(VersionedAdmin):
    list_display = [
        "__str__",
        "kind",
        "proposer",
        "state",
        "created_at",
        "reviewed_at",
        "illustrative",
    ]
    list_filter = ["state", "kind", "proposer__stakeholder_group", "illustrative"]
    list_select_related = ["proposer", "issue", "mechanism", "coverage__mechanism"]
    search_fields = ["title", "justification", "proposer__name", "issue__title"]
    readonly_fields = [
        "kind",
        "issue",
        "proposer",
        "baseline",
        "state",
        "reviewer",
        "reviewed_at",
        "reason",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["cluster", "mechanism", "coverage"]
    actions = ["accept"]

    def has_add_permission(self, request):
        return False  # members propose on the site

    @admin.action(description=_("Accept and apply the selected proposals"), permissions=["change"])
    def accept(self, request, queryset):
        for proposal in queryset.filter(state=Proposal.State.PENDING).order_by("created_at"):
            try:
                proposal_accept(proposal=proposal, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), "error")
            else:
                self.message_user(
                    request,
                    gettext("Proposal #%(number)s accepted and applied.") % {"number": proposal.pk},
                )
