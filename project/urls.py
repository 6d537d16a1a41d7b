"""The site's URLs: each room's pages, mounted in the namespaces their names have always had."""

from django.contrib import admin
from django.urls import include, path

from consensus.urls import consensus_patterns
from issues.urls import issue_patterns
from mechanisms.urls import issue_map_patterns, mechanism_patterns
from project import errors, views
from wgec.urls import group_patterns, meeting_patterns
from wgec.views.languages import language_set
from wgec.views.membership import admin_login

handler500 = "project.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    # Answered by project.errors.HealthCheckMiddleware; named here so that it can be linked.
    path("healthz", errors.healthz, name="healthz"),
    # The language menu (each page's footer); the same path and name as Django's own.
    path("i18n/setlang/", language_set, name="set_language"),
    path("meetings/", include((meeting_patterns, "meetings"))),
    path(
        "",
        include(([path("account/", views.account, name="account"), *group_patterns], "wgec")),
    ),
    # The names of the issue map and of the correspondence group's work on issues have always
    # been in the ``issues`` namespace, whichever room's pages they are.
    path(
        "",
        include(([*issue_map_patterns, *issue_patterns, *consensus_patterns], "issues")),
    ),
    path("", include((mechanism_patterns, "mechanisms"))),
    path("", include("reports.urls")),
    path("", include("inbound.urls")),
    # One login for everyone, with allauth's throttling of failed attempts; the admin itself
    # lets in only the secretariat (active staff).
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
]
