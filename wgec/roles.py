"""Who may do what: the roles of DESIGN.md, resolved from a user, and the guards views use.

Roles are ordered; each may do what the ones below it may:
anonymous < observer < correspondence-group member < coordinator < chair < secretariat.

- secretariat: an active staff user (works in the admin);
- chair, coordinator: a user linked to a participant with that role;
- member: a user linked to a participant in the correspondence group;
- observer: any other signed-in user (reads what is published, writes nothing);
- anonymous: everyone else.

A signed-in person speaks as the participant linked to their account (``participant_of``):
members propose, comment and state support as that participant.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from wgec.models import Participant


class Role(models.IntegerChoices):
    ANONYMOUS = 0, _("Anonymous")
    OBSERVER = 10, _("Observer")
    MEMBER = 20, _("Correspondence-group member")
    COORDINATOR = 30, _("Coordinator")
    CHAIR = 40, _("Chair")
    SECRETARIAT = 50, _("Secretariat")


_CACHE_ATTR = "_wgec_role"


def role_of(user) -> Role:
    """The role of a user; computed once per user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    role = _resolve(user)
    if user.is_authenticated:
        setattr(user, _CACHE_ATTR, role)
    return role


def _resolve(user) -> Role:
    if not user.is_authenticated or not user.is_active:
        return Role.ANONYMOUS
    if user.is_staff:
        return Role.SECRETARIAT
    try:
        participant = user.participant
    except ObjectDoesNotExist:
        return Role.OBSERVER
    if participant.role == Participant.Role.CHAIR:
        return Role.CHAIR
    if participant.role == Participant.Role.COORDINATOR:
        return Role.COORDINATOR
    if participant.correspondence_group:
        return Role.MEMBER
    return Role.OBSERVER


def has_role(user, minimum: Role) -> bool:
    return role_of(user) >= minimum


def role_required(minimum: Role) -> Callable:
    """Let a view run only for users holding ``minimum`` or a higher role.

    Anonymous users are sent to log in; signed-in users below the role get 403.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            role = role_of(request.user)
            if role >= minimum:
                return view(request, *args, **kwargs)
            if role == Role.ANONYMOUS:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        guarded.minimum_role = minimum  # read by the permission tests
        return guarded

    return decorator


def participant_of(user) -> Participant | None:
    """The participant a signed-in user speaks as, if any: the record loaded with a request's
    user (``wgec.auth_backends``), else read."""
    if not user.is_authenticated:
        return None
    try:
        return user.participant
    except ObjectDoesNotExist:
        return None


def speaking_participant(request: HttpRequest) -> Participant:
    """The participant a member writes as; the secretariat's staff accounts have none."""
    participant = participant_of(request.user)
    if participant is None:
        raise PermissionDenied(
            "Proposals, comments and support are made by participants; the secretariat edits "
            "the map in the admin."
        )
    return participant
