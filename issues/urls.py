from django.urls import path, re_path

from issues.views import consensus, issue_map, open_data, participation, responses

app_name = "issues"

urlpatterns = [
    path("issues/", issue_map.issue_list, name="list"),
    path("issues/download.csv", issue_map.issue_list_download, {"fmt": "csv"}, name="list-csv"),
    path("issues/download.xlsx", issue_map.issue_list_download, {"fmt": "xlsx"}, name="list-xlsx"),
    path("issues/matrix/", issue_map.matrix, name="matrix"),
    path("issues/gaps/", issue_map.gaps, name="gaps"),
    path("issues/<int:pk>/", issue_map.issue_detail, name="detail"),
    path("data/", open_data.index, name="data"),
    path("data/<str:table>.<str:fmt>", open_data.table, name="data-table"),
    # Proposals and comments of the correspondence group.
    path("proposals/", participation.proposal_list, name="proposal-list"),
    path("proposals/queue/", participation.proposal_queue, name="proposal-queue"),
    path("proposals/new/", participation.proposal_create, name="proposal-create-issue"),
    path(
        "issues/<int:pk>/propose/<str:kind>/",
        participation.proposal_create,
        name="proposal-create",
    ),
    path("proposals/<int:pk>/", participation.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit/", participation.proposal_edit, name="proposal-edit"),
    path(
        "proposals/<int:pk>/withdraw/",
        participation.proposal_withdraw_view,
        name="proposal-withdraw",
    ),
    path("proposals/<int:pk>/accept/", participation.proposal_accept_view, name="proposal-accept"),
    path(
        "proposals/<int:pk>/decline/", participation.proposal_decline_view, name="proposal-decline"
    ),
    path("issues/<int:pk>/comments/", participation.comment_create, name="comment-create"),
    path("comments/<int:pk>/edit/", participation.comment_edit_view, name="comment-edit"),
    path("comments/<int:pk>/delete/", participation.comment_delete_view, name="comment-delete"),
    # Items without consensus and their referral to the working group.
    path("referrals/", consensus.referrals, name="referrals"),
    path("issues/<int:pk>/without-consensus/", consensus.item_create_view, name="item-create"),
    path("items/<int:pk>/", consensus.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", consensus.item_edit, name="item-edit"),
    path("items/<int:pk>/options/new/", consensus.option_create, name="option-create"),
    path("options/<int:pk>/edit/", consensus.option_edit, name="option-edit"),
    path("items/<int:pk>/support/", consensus.item_support, name="item-support"),
    path("items/<int:pk>/refer/", consensus.item_refer_view, name="item-refer"),
    path("items/<int:pk>/decision/", consensus.item_decide, name="item-decide"),
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
