from django.urls import path, re_path

from issues.views import issue_map, responses

app_name = "issues"

urlpatterns = [
    path("issues/<int:pk>/", issue_map.issue_detail, name="detail"),
    # The published responses.
    path("questions/", responses.question_list, name="question-list"),
    re_path(
        r"^questions/export\.(?P<fmt>docx|xlsx)$",
        responses.question_export,
        name="question-export",
    ),
    path("questions/<str:code>/", responses.question_detail, name="question-detail"),
    path("respondents/", responses.respondent_list, name="respondent-list"),
    re_path(
        r"^respondents/export\.(?P<fmt>docx|xlsx)$",
        responses.respondent_export,
        name="respondent-export",
    ),
    path("respondents/<int:pk>/", responses.respondent_detail, name="respondent-detail"),
    path("themes/<str:letter>/", responses.theme_detail, name="theme-detail"),
    path("responses/statistics/", responses.statistics, name="statistics"),
]
