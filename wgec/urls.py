from django.contrib import admin
from django.urls import include, path

from wgec import views, views_membership

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("wgec.group_urls")),
    path("", include("issues.urls")),
    path("", include("mechanisms.urls")),
    path("", include("reports.urls")),
    # One login for everyone, with allauth's throttling of failed attempts; the admin itself
    # lets in only the secretariat (active staff).
    path("admin/login/", views_membership.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
]
