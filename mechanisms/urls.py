from django.urls import path

from mechanisms import views

app_name = "mechanisms"

urlpatterns = [
    path("mechanisms/", views.mechanism_list, name="list"),
    path("mechanisms/<int:pk>/", views.mechanism_detail, name="detail"),
]
