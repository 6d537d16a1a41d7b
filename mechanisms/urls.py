"""The mechanisms room's pages. ``project/urls.py`` mounts ``mechanism_patterns`` in the
``mechanisms`` namespace, and ``issue_map_patterns`` in the ``issues`` namespace, where the
issue map's names have always been (``issues:list``, ``issues:matrix``, ``issues:data``)."""

from django.urls import path

from mechanisms.views import issue_map, mechanisms, open_data

mechanism_patterns = [
    path("mechanisms/", mechanisms.mechanism_list, name="list"),
    path("mechanisms/<int:pk>/", mechanisms.mechanism_detail, name="detail"),
]

issue_map_patterns = [
    path("issues/", issue_map.issue_list, name="list"),
    path("issues/proposed/", issue_map.proposed_issue_list, name="proposed"),
    path("issues/download.csv", issue_map.issue_list_download, {"fmt": "csv"}, name="list-csv"),
    path("issues/download.xlsx", issue_map.issue_list_download, {"fmt": "xlsx"}, name="list-xlsx"),
    path("issues/matrix/", issue_map.matrix, name="matrix"),
    path("issues/gaps/", issue_map.gaps, name="gaps"),
    path("data/", open_data.index, name="data"),
    path("data/<str:table>.<str:fmt>", open_data.table, name="data-table"),
]
