"""Joining the correspondence group: a signed-up person's request and the coordinators' review;
the admin's login page, which leads everyone to the one login."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from wgec.forms import DeclineForm, JoinRequestForm
from wgec.models import JoinRequest, Participant
from wgec.roles import Role, role_of, role_required
from wgec.services import join_request_accept, join_request_decline, join_request_submit
from wgec.text_checks import control_character_problem

REVIEWED_SHOWN = 50


@role_required(Role.OBSERVER)
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    pending = JoinRequest.objects.pending().filter(user=request.user).first()
    if request.method == "POST":
        if role != Role.OBSERVER:
            raise PermissionDenied("You are already a member of the correspondence group.")
        form = JoinRequestForm(request.POST)
        if form.is_valid():
            try:
                join_request_submit(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your request was sent to the coordinators. You will hear "
                        "from them by e-mail."
                    ),
                )
                return redirect("wgec:account")
    else:
        form = JoinRequestForm(initial={"name": request.user.get_full_name()})
    return render(
        request,
        "wgec/join_request_form.html",
        {"form": form, "pending": pending, "is_member": role >= Role.MEMBER},
    )


@role_required(Role.COORDINATOR)
@require_safe
def join_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "wgec/join_request_list.html",
        {
            "pending": JoinRequest.objects.pending().with_people().order_by("created_at"),
            "reviewed": JoinRequest.objects.exclude(state=JoinRequest.State.PENDING)
            .with_people()
            .order_by("-reviewed_at")[:REVIEWED_SHOWN],
        },
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def join_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = get_object_or_404(JoinRequest.objects.with_people(), pk=pk)
    decline_form = DeclineForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                join_request_accept(join_request=join_request, user=request.user)
                messages.success(
                    request, _("%(name)s is now a member.") % {"name": join_request.name}
                )
                return redirect("wgec:join-requests")
            if action == "decline":
                decline_form = DeclineForm(request.POST)
                if decline_form.is_valid():
                    join_request_decline(
                        join_request=join_request,
                        user=request.user,
                        reason=decline_form.cleaned_data["reason"],
                    )
                    messages.success(
                        request,
                        _("The request of %(name)s was declined.") % {"name": join_request.name},
                    )
                    return redirect("wgec:join-requests")
            else:
                messages.error(request, _("Choose to accept or to decline the request."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    email = join_request.user.email
    match = (
        Participant.objects.filter(email__iexact=email).select_related("stakeholder_group").first()
        if email
        else None
    )
    return render(
        request,
        "wgec/join_request_detail.html",
        {"join_request": join_request, "match": match, "decline_form": decline_form},
    )


@require_safe
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's login page: everyone logs in on the accounts page (where failed attempts are
    throttled); a signed-in person who is not of the secretariat is refused the admin."""
    if request.user.is_authenticated:
        if role_of(request.user) >= Role.SECRETARIAT:
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}
            ) and not control_character_problem(target, field="next")
            # A URL, never a view name: redirect() would try to reverse any other text.
            return HttpResponseRedirect(target) if target and safe else redirect("admin:index")
        raise PermissionDenied("Only the secretariat uses the admin.")
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("account_login") + (f"?{query}" if query else ""))
