"""Register the staff workspace for petitions in the Wagtail back-office.

The pages live under `/admin/petitions/` (URL names `petitions_staff:*`);
Wagtail checks that the user may enter the back-office, the views check
the rest. The "Petitions" menu is shown to whoever works for a body.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from danvan.petitions.views_case import CaseView, StepView
from danvan.petitions.views_dashboard import DashboardView
from danvan.petitions.views_inbox import InboxView, bulk_assign, has_membership
from danvan.petitions.views_intake import IntakeView, may_receive
from danvan.petitions.views_publish import PublishView
from danvan.petitions.viewsets_config import LocalTimeLimitViewSet, RoutingRuleViewSet

app_name = "petitions_staff"

urlpatterns = [
    path("", InboxView.as_view(), name="inbox"),
    path("assign/", bulk_assign, name="assign"),
    path("receive/", IntakeView.as_view(), name="intake"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("<str:code>/", CaseView.as_view(), name="case"),
    path("<str:code>/step/<str:action>/", StepView.as_view(), name="step"),
    path("<str:code>/publish/", PublishView.as_view(), name="publish"),
]


@hooks.register("register_admin_urls")
def register_petition_urls() -> list[Any]:
    """Mount the staff workspace under `/admin/petitions/`."""
    return [path("petitions/", include((urlpatterns, app_name), namespace=app_name))]


class MemberMenuItem(MenuItem):
    """A menu item shown to those who work for a body."""

    def is_shown(self, request: HttpRequest) -> bool:
        return has_membership(request.user)


class IntakeMenuItem(MenuItem):
    """The intake item, shown to those who may enter petitions."""

    def is_shown(self, request: HttpRequest) -> bool:
        return may_receive(request.user)


class PetitionsMenuItem(SubmenuMenuItem):
    """The "Petitions" menu, shown to those who work for a body."""

    def is_shown(self, request: HttpRequest) -> bool:
        return has_membership(request.user)


def _menu() -> Menu:
    return Menu(
        register_hook_name=None,
        items=[
            MemberMenuItem(
                pgettext_lazy("menu", "Inbox"),
                reverse("petitions_staff:inbox"),
                icon_name="mail",
                order=100,
            ),
            IntakeMenuItem(
                _("Receive a petition"),
                reverse("petitions_staff:intake"),
                icon_name="form",
                order=200,
            ),
            MemberMenuItem(
                _("Petition dashboard"),
                reverse("petitions_staff:dashboard"),
                icon_name="table",
                order=300,
            ),
        ],
    )


@hooks.register("register_admin_menu_item")
def register_petitions_menu() -> PetitionsMenuItem:
    """Add the "Petitions" menu to the back-office."""
    return PetitionsMenuItem(
        pgettext_lazy("menu", "Petitions"), _menu(), name="petitions", icon_name="mail", order=150
    )


class PetitionSettingsViewSetGroup(ViewSetGroup):
    """The "Petition settings" menu: answer limits (administrators) and routing rules."""

    menu_label = _("Petition settings")
    menu_icon = "cog"
    menu_order = 850
    items = (
        LocalTimeLimitViewSet("local_time_limits"),
        RoutingRuleViewSet("routing_rules"),
    )


@hooks.register("register_admin_viewset")
def register_petition_settings() -> Any:
    """Add the petition settings menu; each viewset checks its own permissions."""
    return PetitionSettingsViewSetGroup()
