"""The working group's pages. ``project/urls.py`` mounts them: ``meeting_patterns`` under
``meetings/`` in the ``meetings`` namespace, ``group_patterns`` in the ``wgec`` namespace."""

from django.urls import path

from wgec.views import contributions, meetings, membership

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
    path(
        "<int:number>/summary.docx",
        meetings.chairs_summary_download,
        {"fmt": "docx"},
        name="summary-docx",
    ),
    path(
        "<int:number>/summary.pdf",
        meetings.chairs_summary_download,
        {"fmt": "pdf"},
        name="summary-pdf",
    ),
]

group_patterns = [
    path("join/", membership.join, name="join"),
    path("join/requests/", membership.join_requests, name="join-requests"),
    path("join/requests/<int:pk>/", membership.join_request_detail, name="join-request"),
    path("contributions/", contributions.contribution_list, name="contribution-list"),
    path("contributions/new/", contributions.contribution_create, name="contribution-create"),
    path(
        "contributions/<int:pk>/",
        contributions.contribution_detail,
        name="contribution-detail",
    ),
    path(
        "contributions/documents/<int:pk>/",
        contributions.contribution_document,
        name="contribution-document",
    ),
]
