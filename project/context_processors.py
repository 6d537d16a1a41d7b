"""What every page shows: the group's name, the visitor's role, and the site's sections."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

from wgec.languages import language_menu
from wgec.roles import Role, role_of

# The pages of each section of the site, for its navigation.
SECTION_VIEWS = {
    "responses": {
        "issues:question-list",
        "issues:question-detail",
        "issues:theme-detail",
        "issues:respondent-list",
        "issues:respondent-detail",
        "issues:statistics",
    },
    "map": {"issues:list", "issues:detail", "issues:matrix", "issues:gaps"},
}

# The group's name in the official languages of the UN, for the catalogues; a deployment that
# names another group shows that name as it is set.
gettext_noop("Working Group on Enhanced Cooperation")


def site(request: HttpRequest) -> dict:
    """What every page shows: the group's name, the visitor's role and the language menu."""
    role = role_of(request.user)
    return {
        "group_name": gettext(settings.WGEC_GROUP_NAME),
        "group_short_name": settings.WGEC_GROUP_SHORT_NAME,
        "user_role": role,
        "Role": Role,
        "section_views": SECTION_VIEWS,
        "language_menu": language_menu(getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)),
    }
