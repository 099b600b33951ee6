"""Register the citizen reception pages in the Wagtail back-office.

The pages live under `/admin/reception/` (URL names `reception_staff:*`);
Wagtail checks that the user may enter the back-office, the views check
the rest. The "Citizen reception" menu is shown to whoever works for a
body, as the "Petitions" menu; it also leads to the leaders' minimum duty
days (`viewsets_rules.duty_rule_viewset`, which checks its own
permissions).
"""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from danvan.petitions.views_inbox import has_membership
from danvan.reception import views_dashboard, views_dialogues, views_schedules, views_visits
from danvan.reception.viewsets_rules import DutyRuleViewSet, duty_rule_viewset

app_name = "reception_staff"

urlpatterns = [
    path("", views_schedules.ScheduleListView.as_view(), name="schedules"),
    path("calendar/", views_schedules.CalendarView.as_view(), name="calendar"),
    path("schedules/new/", views_schedules.ScheduleCreateView.as_view(), name="schedule_create"),
    path("schedules/<int:pk>/", views_schedules.ScheduleView.as_view(), name="schedule"),
    path(
        "schedules/<int:pk>/edit/",
        views_schedules.ScheduleEditView.as_view(),
        name="schedule_edit",
    ),
    path(
        "schedules/<int:pk>/<str:step>/",
        views_schedules.ScheduleStepView.as_view(),
        name="schedule_step",
    ),
    path("dashboard/", views_dashboard.DashboardView.as_view(), name="dashboard"),
    path("log/", views_visits.LogView.as_view(), name="log"),
    path("log/export/", views_visits.log_export, name="log_export"),
    path("visits/new/", views_visits.VisitCreateView.as_view(), name="visit_create"),
    path("visits/<int:pk>/", views_visits.VisitView.as_view(), name="visit"),
    path(
        "visits/<int:pk>/<str:step>/",
        views_visits.VisitStepView.as_view(),
        name="visit_step",
    ),
    path("receipts/<int:pk>/", views_visits.receipt_print, name="receipt"),
    path("receipts/<int:pk>/docx/", views_visits.receipt_word, name="receipt_docx"),
    path("dialogues/", views_dialogues.DialogueListView.as_view(), name="dialogues"),
    path("dialogues/new/", views_dialogues.DialoguePlanView.as_view(), name="dialogue_plan"),
    path("dialogues/<int:pk>/", views_dialogues.DialogueView.as_view(), name="dialogue"),
    path(
        "dialogues/<int:pk>/minutes/",
        views_dialogues.dialogue_minutes,
        name="dialogue_minutes",
    ),
    path(
        "dialogues/<int:pk>/<str:step>/",
        views_dialogues.DialogueStepView.as_view(),
        name="dialogue_step",
    ),
    path("commitments/", views_dialogues.CommitmentListView.as_view(), name="commitments"),
    path(
        "commitments/<int:pk>/",
        views_dialogues.CommitmentView.as_view(),
        name="commitment",
    ),
]


@hooks.register("register_admin_urls")
def register_reception_urls() -> list[Any]:
    """Mount the reception pages under `/admin/reception/`."""
    return [path("reception/", include((urlpatterns, app_name), namespace=app_name))]


class MemberMenuItem(MenuItem):
    """A menu item shown to those who work for a body."""

    def is_shown(self, request: HttpRequest) -> bool:
        return has_membership(request.user)


class ReceptionMenuItem(SubmenuMenuItem):
    """The "Citizen reception" menu, shown to those who work for a body."""

    def is_shown(self, request: HttpRequest) -> bool:
        return has_membership(request.user)


def _menu() -> Menu:
    items = [
        (_("Reception schedule"), "reception_staff:schedules", "date"),
        (_("Duty days calendar"), "reception_staff:calendar", "calendar"),
        (_("Reception log"), "reception_staff:log", "list-ul"),
        (_("Record a visit"), "reception_staff:visit_create", "form"),
        (_("Dialogues"), "reception_staff:dialogues", "group"),
        (_("Commitments"), "reception_staff:commitments", "tasks"),
        (_("Reception dashboard"), "reception_staff:dashboard", "table"),
        (_("Reception duty minimums"), duty_rule_viewset.get_url_name("index"), "cog"),
    ]
    return Menu(
        register_hook_name=None,
        items=[
            MemberMenuItem(label, reverse(name), icon_name=icon, order=100 * (index + 1))
            for index, (label, name, icon) in enumerate(items)
        ],
    )


@hooks.register("register_admin_menu_item")
def register_reception_menu() -> ReceptionMenuItem:
    """Add the "Citizen reception" menu to the back-office."""
    return ReceptionMenuItem(
        _("Citizen reception"), _menu(), name="reception", icon_name="group", order=160
    )


@hooks.register("register_admin_viewset")
def register_duty_rules() -> DutyRuleViewSet:
    """Add the pages of the leaders' minimum duty days (in the menu above)."""
    return duty_rule_viewset
