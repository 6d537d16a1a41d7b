"""The pages that gather every room: the home page, and each person's own page."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from consensus.models import ConsensusItem, Proposal
from issues.models import Issue, Question, Respondent
from mechanisms.models import Coverage, Gap, Mechanism
from reports.models import Deliverable
from wgec.models import Contribution, JoinRequest, Meeting, Participant
from wgec.page_cache import Audience, cached_content, served_whole
from wgec.roles import Role, participant_of, role_of, role_required


@served_whole(roles=True)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The exercise at a glance: who leads it, what is due, and how far the map has come; the
    content, the same for every visitor, is cached until a public page's record changes."""
    content = cached_content(
        request, "project/home.html", _home_context, audience=Audience.EVERYONE
    )
    return render(request, "project/home.html", {"content": content})


def _home_context() -> dict:
    today = timezone.localdate()
    people = Participant.objects.aggregate(
        members=Count("pk", filter=Q(correspondence_group=True)),
        total=Count("pk"),
    )
    return {
        "today": today,
        "leads": Participant.objects.filter(
            role__in=[Participant.Role.CHAIR, Participant.Role.COORDINATOR]
        ).order_by("-role", "name"),
        "people": people,
        "meetings": Meeting.objects.all(),
        "deliverables": [
            (deliverable, deliverable.schedule_state(today))
            for deliverable in Deliverable.objects.all()
        ],
        "counts": {
            "questions": Question.objects.count(),
            "respondents": Respondent.objects.count(),
            **Issue.objects.order_by().aggregate(
                issues=Count("pk", filter=Q(state=Issue.State.ON_MAP)),
                proposed=Count("pk", filter=Q(state=Issue.State.PROPOSED)),
            ),
            "mechanisms": Mechanism.objects.count(),
            "coverage": Coverage.objects.count(),
            "gaps": Gap.objects.count(),
            "without_consensus": ConsensusItem.objects.exclude(
                state=ConsensusItem.State.DECIDED
            ).count(),
        },
    }


@role_required(Role.OBSERVER)
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    participant = participant_of(request.user)
    context = {
        "participant": participant,
        "join_requests": JoinRequest.objects.filter(user=request.user).select_related(
            "stakeholder_group"
        )[:5],
        "proposals": Proposal.objects.by(participant).with_people()[:10],
        "contributions": Contribution.objects.filter(author=participant).select_related("meeting")
        if participant
        else [],
        "pending_requests": JoinRequest.objects.pending().count()
        if role_of(request.user) >= Role.COORDINATOR
        else None,
        "pending_proposals": Proposal.objects.pending().count()
        if role_of(request.user) >= Role.COORDINATOR
        else None,
    }
    return render(request, "project/account.html", context)
