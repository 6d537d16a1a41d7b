from django.contrib import admin
from django.urls import include, path

from wgec import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("issues.urls")),
    path("", include("mechanisms.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]
