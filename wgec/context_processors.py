from django.conf import settings
from django.http import HttpRequest

from wgec.roles import Role, role_of


def site(request: HttpRequest) -> dict:
    """What every page shows: the group's name and the visitor's role."""
    role = role_of(request.user)
    return {
        "group_name": settings.WGEC_GROUP_NAME,
        "group_short_name": settings.WGEC_GROUP_SHORT_NAME,
        "user_role": role,
        "Role": Role,
    }
