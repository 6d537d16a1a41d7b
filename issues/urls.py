from django.urls import path

from issues.views import issue_map, open_data

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
]
