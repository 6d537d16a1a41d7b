"""Pages about the working group itself: joining, people's own pages, contributions."""

from django.urls import path

from wgec import views_contributions, views_membership

app_name = "wgec"

urlpatterns = [
    path("account/", views_membership.account, name="account"),
    path("join/", views_membership.join, name="join"),
    path("join/requests/", views_membership.join_requests, name="join-requests"),
    path("join/requests/<int:pk>/", views_membership.join_request_detail, name="join-request"),
    path("contributions/", views_contributions.contribution_list, name="contribution-list"),
    path("contributions/new/", views_contributions.contribution_create, name="contribution-create"),
    path(
        "contributions/<int:pk>/",
        views_contributions.contribution_detail,
        name="contribution-detail",
    ),
    path(
        "contributions/documents/<int:pk>/",
        views_contributions.contribution_document,
        name="contribution-document",
    ),
]
