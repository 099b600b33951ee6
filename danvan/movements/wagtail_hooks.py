"""Register the movement's pages in the Wagtail back-office.

The pages live under `/admin/movements/` (URL names `movements_staff:*`),
in the "Dân vận khéo" menu, shown to whoever works for a body; the views
and services check the rest (`permissions.py`). The recognition criteria
(`viewsets.criterion_viewset`) and the pass marks (`viewsets.rule_viewset`)
are in the same menu, for those with Django's permission on them
(administrators).
"""

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from danvan.movements import views_communities, views_registrations
from danvan.movements.viewsets import (
    CriterionViewSet,
    RuleViewSet,
    criterion_viewset,
    rule_viewset,
)
from danvan.petitions.views_inbox import has_membership

app_name = "movements_staff"

urlpatterns = [
    path("", views_registrations.ModelListView.as_view(), name="models"),
    path("export/", views_registrations.models_export, name="models_export"),
    path("models/new/", views_registrations.RegisterView.as_view(), name="model_register"),
    path("exemplars/", views_registrations.ExemplarListView.as_view(), name="exemplars"),
    path("exemplars/export/", views_registrations.exemplars_export, name="exemplars_export"),
    path(
        "exemplars/new/",
        views_registrations.RegisterView.as_view(exemplar=True),
        name="exemplar_register",
    ),
    path(
        "registrations/<int:pk>/",
        views_registrations.RegistrationView.as_view(),
        name="registration",
    ),
    path(
        "registrations/<int:pk>/edit/",
        views_registrations.RegistrationEditView.as_view(),
        name="registration_edit",
    ),
    path(
        "registrations/<int:pk>/results/",
        views_registrations.RegistrationResultsView.as_view(),
        name="registration_results",
    ),
    path(
        "registrations/<int:pk>/results/<int:result_pk>/",
        views_registrations.ResultCorrectView.as_view(),
        name="result_correct",
    ),
    path(
        "registrations/<int:pk>/results/<int:result_pk>/remove/",
        views_registrations.ResultRemoveView.as_view(),
        name="result_remove",
    ),
    path(
        "registrations/<int:pk>/<str:step>/",
        views_registrations.RegistrationStepView.as_view(),
        name="registration_step",
    ),
    path("communities/", views_communities.CommunityListView.as_view(), name="communities"),
    path("communities/export/", views_communities.communities_export, name="communities_export"),
    path(
        "communities/new/",
        views_communities.CommunityCreateView.as_view(),
        name="community_create",
    ),
    path("communities/<int:pk>/", views_communities.CommunityView.as_view(), name="community"),
    path("campaigns/", views_communities.CampaignListView.as_view(), name="campaigns"),
    path(
        "campaigns/new/",
        views_communities.CampaignCreateView.as_view(),
        name="campaign_create",
    ),
]


@hooks.register("register_admin_urls")
def register_movement_urls() -> list[Any]:
    """Mount the movement's pages under `/admin/movements/`."""
    return [path("movements/", include((urlpatterns, app_name), namespace=app_name))]


class MemberMenuItem(MenuItem):
    """A menu item shown to those who work for a body."""

    def is_shown(self, request: HttpRequest) -> bool:
        return has_membership(request.user)


class CriteriaMenuItem(MenuItem):
    """The criteria, for those who may view them."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("movements.view_recognitioncriterion"))


class PassMarksMenuItem(MenuItem):
    """The pass marks, for those who may view them."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("movements.view_recognitionrule"))


class MovementMenuItem(SubmenuMenuItem):
    """The "Dân vận khéo" menu, shown to those who work for a body."""

    def is_shown(self, request: HttpRequest) -> bool:
        return has_membership(request.user)


def _menu() -> Menu:
    items = [
        (_("Models"), "movements_staff:models", "pick"),
        (_("Exemplars"), "movements_staff:exemplars", "user"),
        (_("Communities"), "movements_staff:communities", "group"),
        (_("Campaigns"), "movements_staff:campaigns", "date"),
    ]
    menu_items: list[MenuItem] = [
        MemberMenuItem(label, reverse(name), icon_name=icon, order=100 * (index + 1))
        for index, (label, name, icon) in enumerate(items)
    ]
    menu_items.append(
        CriteriaMenuItem(
            _("Recognition criteria"),
            reverse(criterion_viewset.get_url_name("index")),
            icon_name="tasks",
            order=900,
        )
    )
    menu_items.append(
        PassMarksMenuItem(
            _("Pass marks"),
            reverse(rule_viewset.get_url_name("index")),
            icon_name="success",
            order=910,
        )
    )
    return Menu(register_hook_name=None, items=menu_items)


@hooks.register("register_admin_menu_item")
def register_movement_menu() -> MovementMenuItem:
    """Add the "Dân vận khéo" menu to the back-office."""
    return MovementMenuItem(
        _("Dân vận khéo"), _menu(), name="movements", icon_name="pick", order=170
    )


@hooks.register("register_admin_viewset")
def register_criteria() -> CriterionViewSet:
    """Add the pages of the recognition criteria (in the menu above)."""
    return criterion_viewset


@hooks.register("register_admin_viewset")
def register_pass_marks() -> RuleViewSet:
    """Add the pages of the pass marks (in the menu above)."""
    return rule_viewset
