"""Register the platform core's pages in the Wagtail back-office."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from danvan.core.viewsets import audit_event_viewset
from danvan.core.viewsets_calendar import calendar_override_viewset


class PlatformViewSetGroup(ViewSetGroup):
    """The "Platform" menu: the audit trail and the working-day calendar."""

    menu_label = _("Platform")
    menu_icon = "cogs"
    menu_order = 800
    items = (calendar_override_viewset, audit_event_viewset)


@hooks.register("register_admin_viewset")
def register_platform_viewsets() -> Any:
    """Add the platform menu to the back-office."""
    return PlatformViewSetGroup()
