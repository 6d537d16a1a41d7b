from django.urls import path

from inbound import views

app_name = "inbound"

urlpatterns = [
    path("archive/", views.archive_index, name="index"),
    path("archive/reports/<slug:slug>/", views.archive_report, name="report"),
    path("archive/issues/<int:pk>/", views.archive_issue, name="issue"),
]
