from django.contrib import admin
from django.urls import include, path

from wgec import meetings, views, views_membership

meeting_patterns = [
    path("", meetings.meeting_list, name="list"),
    path("<int:number>/", meetings.meeting_detail, name="detail"),
    path("<int:number>/documents/<int:pk>/", meetings.meeting_document, name="document"),
    path(
        "<int:number>/documents/<int:pk>/file/",
        meetings.meeting_document_file,
        name="document-file",
    ),
    path(
        "<int:number>/participants.docx",
        meetings.meeting_participants_download,
        {"fmt": "docx"},
        name="participants-docx",
    ),
    path(
        "<int:number>/participants.pdf",
        meetings.meeting_participants_download,
        {"fmt": "pdf"},
        name="participants-pdf",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", include((meeting_patterns, "meetings"))),
    path("", include("wgec.group_urls")),
    path("", include("issues.urls")),
    path("", include("mechanisms.urls")),
    path("", include("reports.urls")),
    # One login for everyone, with allauth's throttling of failed attempts; the admin itself
    # lets in only the secretariat (active staff).
    path("admin/login/", views_membership.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
]
