from django.urls import path

from issues.views import issue_map

app_name = "issues"

urlpatterns = [
    path("issues/<int:pk>/", issue_map.issue_detail, name="detail"),
]
