"""Members' proposals and the coordinators' review of them: a member's own proposals, the
coordinators' queue, each proposal's page, and proposing, editing, withdrawing, accepting and
declining."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from consensus.forms import PROPOSAL_FORMS, DeclineForm
from consensus.models import Proposal
from consensus.services.proposals import (
    proposal_accept,
    proposal_decline,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from issues.models import OPEN_ISSUE_STATES, Issue
from wgec.roles import Role, participant_of, role_of, role_required, speaking_participant
from wgec.versions import StaleVersion

REVIEWED_SHOWN = 50


def _own_proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.with_people(), pk=pk)
    if proposal.proposer.user_id != request.user.pk:
        raise PermissionDenied("Only the proposer may change a proposal.")
    return proposal


@role_required(Role.MEMBER)
@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    """A member's own proposals and what became of them."""
    participant = participant_of(request.user)
    proposals = Proposal.objects.by(participant).with_people()
    return render(
        request,
        "consensus/proposal_list.html",
        # The secretariat's staff accounts speak as no participant: no link they would be refused.
        {"proposals": proposals, "can_propose": participant is not None},
    )


@role_required(Role.COORDINATOR)
@require_safe
def proposal_queue(request: HttpRequest) -> HttpResponse:
    """The coordinators' queue: pending proposals, oldest first, and the latest decided."""
    return render(
        request,
        "consensus/proposal_queue.html",
        {
            "pending": Proposal.objects.pending().with_people().order_by("created_at"),
            "reviewed": Proposal.objects.filter(
                state__in=[Proposal.State.ACCEPTED, Proposal.State.DECLINED]
            )
            .with_people()
            .order_by("-reviewed_at")[:REVIEWED_SHOWN],
            "decline_form": DeclineForm(),
        },
    )


@role_required(Role.OBSERVER)
@require_safe
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.with_people().select_related("issue__merged_into"), pk=pk
    )
    return render(
        request,
        "consensus/proposal_detail.html",
        {
            "proposal": proposal,
            "is_proposer": proposal.proposer.user_id == request.user.pk,
            "can_review": role_of(request.user) >= Role.COORDINATOR,
            "decline_form": DeclineForm(),
        },
    )


def _proposal_form_page(request, form, *, issue, editing=None) -> HttpResponse:
    return render(
        request,
        "consensus/proposal_form.html",
        {"form": form, "issue": issue, "kind": form.kind, "editing": editing},
    )


@role_required(Role.MEMBER)
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, pk: int | None = None, kind: str = "issue"):
    """Propose a new issue (``/proposals/new/``) or, from an issue's page, a mechanism, a change
    of a coverage status, or a gap (``/issues/<pk>/propose/<kind>/``)."""
    participant = speaking_participant(request)
    form_class = PROPOSAL_FORMS.get(kind)
    if form_class is None or (pk is None) != (kind == Proposal.Kind.ISSUE):
        raise Http404("No such kind of proposal.")
    issue = None
    if pk is not None:
        issue = get_object_or_404(Issue.objects.filter(state__in=OPEN_ISSUE_STATES), pk=pk)
    if request.method == "POST":
        form = form_class(request.POST, issue=issue)
        if form.is_valid():
            try:
                proposal = proposal_submit(proposal=form.save(commit=False), proposer=participant)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _(
                        "Your proposal #%(number)s was sent to the coordinators; you will be told "
                        "by e-mail what they decide."
                    )
                    % {"number": proposal.pk},
                )
                return redirect(proposal)
    else:
        form = form_class(issue=issue)
    return _proposal_form_page(request, form, issue=issue)


@role_required(Role.MEMBER)
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    if proposal.state != Proposal.State.PENDING:
        messages.error(
            request,
            _("This proposal is %(state)s: it stays as it is.")
            % {"state": proposal.get_state_display().lower()},
        )
        return redirect(proposal)
    form_class = PROPOSAL_FORMS[proposal.kind]
    form = form_class(request.POST or None, instance=proposal, issue=proposal.issue)
    if request.method == "POST" and form.is_valid():
        try:
            proposal_update(
                proposal=form.save(commit=False), user=request.user, read=form.read_version
            )
        except StaleVersion as error:
            form.version_refused(error)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your proposal was updated."))
            return redirect(proposal)
    return _proposal_form_page(request, form, issue=proposal.issue, editing=proposal)


@role_required(Role.MEMBER)
@require_POST
def proposal_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    try:
        proposal_withdraw(proposal=proposal, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Proposal #%(number)s was withdrawn.") % {"number": proposal.pk}
        )
    return redirect(proposal)


@role_required(Role.COORDINATOR)
@require_POST
def proposal_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        proposal = proposal_accept(proposal=proposal, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(proposal)
    messages.success(
        request,
        _("Proposal #%(number)s was accepted and applied; the proposer was told.")
        % {"number": proposal.pk},
    )
    return redirect("issues:proposal-queue")


@role_required(Role.COORDINATOR)
@require_POST
def proposal_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.with_people(), pk=pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            proposal_decline(
                proposal=proposal, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Proposal #%(number)s was declined; the proposer was told.")
                % {"number": proposal.pk},
            )
            return redirect("issues:proposal-queue")
    else:
        # A reason that is missing, or one holding a control character (the form says which).
        errors = form.errors.as_data().get("reason", [])
        problems = " ".join(message for error in errors for message in error.messages)
        if any(error.code == "required" for error in errors):
            messages.error(request, _("Give the reason for declining the proposal."))
        else:
            messages.error(
                request,
                _("Give the reason for declining the proposal: %(problems)s")
                % {"problems": problems},
            )
    return redirect(proposal)
