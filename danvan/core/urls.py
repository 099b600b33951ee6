"""Pages of the platform core: staff sign-in and sign-out.

The home page ("/") is the portal's Wagtail `HomePage` (`danvan.portal`).
"""

from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "core"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
