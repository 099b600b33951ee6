"""Register the cluster briefing pages in the Wagtail back-office.

The pages live under `/admin/briefings/` (URL names `briefings_staff:*`);
the "Cluster briefings" menu (Giao ban cụm) shows to whoever holds a
reading role (`permissions.can_use_briefings`); the views check the rest.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from danvan.briefings import permissions, views

app_name = "briefings_staff"

urlpatterns = [
    path("", views.BriefingListView.as_view(), name="list"),
    path("new/", views.BriefingCreateView.as_view(), name="create"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/export/", views.tasks_export, name="tasks_export"),
    path("<int:pk>/", views.BriefingView.as_view(), name="briefing"),
    path("<int:pk>/files/<str:name>", views.download, name="download"),
    path("reports/<int:pk>/", views.ReportView.as_view(), name="report"),
]


@hooks.register("register_admin_urls")
def register_briefing_urls() -> list[Any]:
    """Mount the briefing pages under `/admin/briefings/`."""
    return [path("briefings/", include((urlpatterns, app_name), namespace=app_name))]


class BriefingsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return permissions.can_use_briefings(request.user)


@hooks.register("register_admin_menu_item")
def register_briefings_menu() -> BriefingsMenuItem:
    """Add "Cluster briefings" to the back-office menu."""
    return BriefingsMenuItem(
        _("Cluster briefings"),
        reverse("briefings_staff:list"),
        name="briefings",
        icon_name="list-ul",
        order=175,
    )


@hooks.register("register_admin_viewset")
def register_issuing_bodies() -> Any:
    """Add the issuing bodies' document formats to the Settings menu (`viewsets.py`)."""
    from danvan.briefings.viewsets import issuing_body_viewset

    return issuing_body_viewset
