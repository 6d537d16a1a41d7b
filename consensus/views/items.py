"""Items without consensus: the coordinators mark them and draft options, members state which
option they support, the coordinators refer them, and the Chair or the secretariat records the
working group's decision. ``/referrals/`` lists what was referred."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from consensus.forms import DecisionForm, ItemForm, ItemSummaryForm, OptionForm, ReferForm
from consensus.models import ConsensusItem, Option, OptionSupport
from consensus.services.items import (
    decision_record,
    item_create,
    item_refer,
    item_update,
    option_save,
    option_support_state,
)
from issues.models import OPEN_ISSUE_STATES, Issue
from wgec.page_cache import Audience, cached_content, query_key, served_whole
from wgec.roles import Role, participant_of, role_of, role_required, speaking_participant
from wgec.text_checks import parse_id
from wgec.versions import StaleVersion

PAGE_SIZE = 25


def _item(pk: int) -> ConsensusItem:
    return get_object_or_404(ConsensusItem.objects.with_options(), pk=pk)


@served_whole(roles=True)
@require_safe
def referrals(request: HttpRequest) -> HttpResponse:
    """Every item referred to the working group, with its options and their support by
    stakeholder group, and the decision once taken; the content, the same for every visitor
    (no supporter is named), is cached until a public page's record changes."""
    items = (
        ConsensusItem.objects.filter(
            state__in=[ConsensusItem.State.REFERRED, ConsensusItem.State.DECIDED]
        )
        .with_options()
        .order_by("state", "referred_on", "pk")
    )
    content = cached_content(
        request,
        "consensus/referral_list.html",
        lambda: {
            "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": "",
        },
        vary=(query_key(request),),
        audience=Audience.EVERYONE,
    )
    return render(request, "consensus/referral_list.html", {"content": content})


@require_safe
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    role = role_of(request.user)
    participant = participant_of(request.user) if role >= Role.MEMBER else None
    mine = (
        OptionSupport.objects.filter(item=item, participant=participant).first()
        if participant
        else None
    )
    return render(
        request,
        "consensus/item_detail.html",
        {
            "item": item,
            "issue": item.subject_issue,
            "my_support": mine,
            "can_support": participant is not None,
            "can_edit": role >= Role.COORDINATOR,
            "can_decide": role >= Role.CHAIR,
            "refer_form": ReferForm(),
            "show_names": request.user.is_authenticated,
        },
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def item_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.filter(state__in=OPEN_ISSUE_STATES), pk=pk)
    form = ItemForm(request.POST or None, issue=issue)
    if request.method == "POST" and form.is_valid():
        subject = form.cleaned_data["subject"]
        try:
            item = item_create(
                summary=form.cleaned_data["summary"],
                issue=issue if subject == "issue" else None,
                coverage=form.coverage.get(subject),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Marked as without consensus; now draft the options."))
            return redirect("issues:item-detail", pk=item.pk)
    return render(request, "consensus/item_form.html", {"form": form, "issue": issue, "item": None})


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    form = ItemSummaryForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            item_update(
                item=item,
                summary=form.cleaned_data["summary"],
                user=request.user,
                read=form.read_version,
            )
        except StaleVersion as error:
            form.version_refused(error)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The item was updated."))
            return redirect("issues:item-detail", pk=item.pk)
    return render(
        request,
        "consensus/item_form.html",
        {"form": form, "issue": item.subject_issue, "item": item},
    )


def _option_page(request, item, option=None) -> HttpResponse:
    form = OptionForm(request.POST or None, instance=option)
    if request.method == "POST" and form.is_valid():
        try:
            option_save(
                item=item,
                option=option,
                label=form.cleaned_data["label"],
                text=form.cleaned_data["text"],
                user=request.user,
                read=form.read_version,
            )
        except StaleVersion as error:
            form.version_refused(error)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The option was saved."))
            return redirect("issues:item-detail", pk=item.pk)
    return render(
        request, "consensus/option_form.html", {"form": form, "item": item, "option": option}
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def option_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _option_page(request, _item(pk))


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def option_edit(request: HttpRequest, pk: int) -> HttpResponse:
    option = get_object_or_404(Option, pk=pk)
    # Edit a fresh copy, so that a failed save does not show half-changed text elsewhere.
    return _option_page(request, _item(option.item_id), option)


@role_required(Role.MEMBER)
@require_POST
def item_support(request: HttpRequest, pk: int) -> HttpResponse:
    participant = speaking_participant(request)
    item = get_object_or_404(ConsensusItem, pk=pk)
    choice = request.POST.get("option", "")
    option = None
    if choice:
        option_id = parse_id(choice)
        option = item.options.filter(pk=option_id).first() if option_id else None
        if option is None:
            messages.error(
                request,
                _("Choose one of this item's options: the option chosen is not one of them."),
            )
            return redirect("issues:item-detail", pk=item.pk)
    try:
        option_support_state(item=item, participant=participant, option=option, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your support for option %(label)s is recorded.") % {"label": option.label}
            if option
            else _("Your support was withdrawn."),
        )
    return redirect("issues:item-detail", pk=item.pk)


@role_required(Role.COORDINATOR)
@require_POST
def item_refer_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ConsensusItem, pk=pk)
    form = ReferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of the referral."))
        return redirect("issues:item-detail", pk=item.pk)
    try:
        item_refer(item=item, referred_on=form.cleaned_data["referred_on"], user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The item was referred to the working group."))
    return redirect("issues:item-detail", pk=item.pk)


@role_required(Role.CHAIR)
@require_http_methods(["GET", "POST"])
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    initial = None
    if hasattr(item, "decision"):
        decision = item.decision
        initial = {
            "option": decision.option_id,
            "text": decision.text,
            "meeting": decision.meeting_id,
            "decided_on": decision.decided_on,
        }
    form = DecisionForm(request.POST or None, item=item, initial=initial)
    if item.state == ConsensusItem.State.OPEN:
        messages.error(request, _("Only an item referred to the working group can be decided."))
        return redirect("issues:item-detail", pk=item.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision_record(
                item=item,
                option=data["option"],
                text=data["text"],
                meeting=data["meeting"],
                decided_on=data["decided_on"],
                user=request.user,
                read=form.read_version,
            )
        except StaleVersion as error:
            form.version_refused(error)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The working group's decision was recorded."))
            return redirect("issues:item-detail", pk=item.pk)
    return render(request, "consensus/item_decision_form.html", {"form": form, "item": item})
