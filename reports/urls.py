from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.schedule, name="schedule"),
    path("reports/dashboard/", views.dashboard, name="dashboard"),
    path("reports/exports/", views.export_request, name="export-request"),
    path("reports/exports/<int:pk>/", views.export_download, name="export-download"),
    path("reports/subscribe/", views.subscribe, name="subscribe"),
    path(
        "reports/subscribe/confirm/<str:token>/",
        views.subscribe_confirm,
        name="subscribe-confirm",
    ),
    path("reports/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("reports/<slug:slug>/", views.deliverable_detail, name="detail"),
    path("reports/<slug:slug>/changes/", views.report_changes, name="changes"),
    path("reports/<slug:slug>/compose/", views.report_compose, name="compose"),
    path("reports/<slug:slug>/resume/", views.report_resume, name="resume"),
    path(
        "reports/<slug:slug>/documents/<str:format>/",
        views.report_document,
        name="document",
    ),
]
