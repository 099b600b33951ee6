"""Pages of the platform core: the home page and staff sign-in."""

from django.contrib.auth import views as auth_views
from django.urls import path

from danvan.core.views import pages

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
