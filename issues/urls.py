"""The issues room's pages. ``project/urls.py`` mounts ``issue_patterns`` in the ``issues``
namespace."""

from django.urls import path, re_path

from issues.views import comments, issue_page, responses

issue_patterns = [
    path("issues/<int:pk>/", issue_page.issue_detail, name="detail"),
    path("issues/<int:pk>/comments/", comments.comment_create, name="comment-create"),
    path("comments/<int:pk>/edit/", comments.comment_edit_view, name="comment-edit"),
    path("comments/<int:pk>/delete/", comments.comment_delete_view, name="comment-delete"),
    # The published responses.
    path("questions/", responses.question_list, name="question-list"),
    re_path(
        r"^questions/export\.(?P<fmt>docx|pdf|xlsx)$",
        responses.question_export,
        name="question-export",
    ),
    path("questions/<str:code>/", responses.question_detail, name="question-detail"),
    path("respondents/", responses.respondent_list, name="respondent-list"),
    re_path(
        r"^respondents/export\.(?P<fmt>docx|pdf|xlsx)$",
        responses.respondent_export,
        name="respondent-export",
    ),
    path("respondents/<int:pk>/", responses.respondent_detail, name="respondent-detail"),
    path("themes/<str:letter>/", responses.theme_detail, name="theme-detail"),
    path("responses/statistics/", responses.statistics, name="statistics"),
]
