"""Back-office pages of administrative units and clusters (Wagtail admin).

Units are read-only here: they come from `manage.py load_units`, so their
permission policy grants "view" at most. Clusters are created, edited and
deleted through `geo.services`, so that every change is validated the same
way as elsewhere and leaves an audit event; Wagtail's own history log is
written as well.
"""

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from danvan.core.text import fold
from danvan.geo import services
from danvan.geo.models import Cluster, Commune, LegacyCommune, LegacyProvince, Province


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Grant at most the "view" permission: units are loaded, never edited by hand."""

    def user_has_permission(self, user: AbstractBaseUser | AnonymousUser, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions: list[str]) -> QuerySet[Any]:
        return super().users_with_any_permission([a for a in actions if a == "view"])


class UnitIndexView(generic.IndexView):
    """List units; search ignores accents and case ("dong thap" finds Đồng Tháp)."""

    related: tuple[str, ...] = ()
    prefetched: tuple[str, ...] = ()

    def get_base_queryset(self) -> QuerySet[Any]:
        queryset = super().get_base_queryset()
        if self.related:
            queryset = queryset.select_related(*self.related)
        if self.prefetched:
            queryset = queryset.prefetch_related(*self.prefetched)
        return queryset

    def search_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.is_searching:
            return queryset
        return queryset.filter(name_folded__contains=fold(self.search_query))


def _names(units: Any) -> str:
    return ", ".join(unit.name for unit in units.all())


class UnitViewSet(ModelViewSet):
    """Read-only listing, search, filters, inspection and export of units."""

    index_view_class = UnitIndexView
    search_fields = ["name"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    ordering = "code"
    list_per_page = 50
    export_headings = {"get_kind_display": _("kind")}
    related: tuple[str, ...] = ()
    prefetched: tuple[str, ...] = ()

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_index_view_kwargs(
            related=self.related, prefetched=self.prefetched, **kwargs
        )

    def get_urlpatterns(self) -> list[Any]:
        """Expose only the list and the inspect pages: no add, edit or delete."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{self.pk_path_converter}:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self) -> QuerySet[Any]:
        """Offer only the "view" permission in the group settings."""
        return super().get_permissions_to_register().filter(codename__startswith="view_")


class ProvinceViewSet(UnitViewSet):
    model = Province
    name = "provinces"
    icon = "site"
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    list_export = ["code", "name", "get_kind_display", "valid_from"]
    inspect_view_fields = ["code", "name", "kind", "codename", "valid_from"]


class CommuneViewSet(UnitViewSet):
    model = Commune
    name = "communes"
    icon = "home"
    related = ("province",)
    list_display = ["name", "code", "kind", "province"]
    list_filter = ["province", "kind"]
    list_export = ["code", "name", "get_kind_display", "province", "valid_from"]
    inspect_view_fields = ["code", "name", "kind", "province", "codename", "valid_from"]


class LegacyProvinceViewSet(UnitViewSet):
    model = LegacyProvince
    name = "legacy_provinces"
    icon = "history"
    prefetched = ("current_provinces",)
    list_display = [
        "name",
        "code",
        "kind",
        Column(
            "current_provinces",
            label=_("current provinces"),
            accessor=lambda unit: _names(unit.current_provinces),
        ),
    ]
    list_filter = ["kind"]
    list_export = ["code", "name", "get_kind_display", "valid_to"]
    inspect_view_fields = ["code", "name", "kind", "codename", "valid_to"]


class LegacyCommuneViewSet(UnitViewSet):
    model = LegacyCommune
    name = "legacy_communes"
    icon = "history"
    related = ("district", "province")
    prefetched = ("current_communes",)
    list_display = [
        "name",
        "code",
        "kind",
        "district",
        "province",
        Column(
            "current_communes",
            label=_("current communes"),
            accessor=lambda unit: _names(unit.current_communes),
        ),
    ]
    list_filter = ["province", "kind"]
    list_export = ["code", "name", "get_kind_display", "district", "province", "valid_to"]
    inspect_view_fields = ["code", "name", "kind", "district", "province", "codename", "valid_to"]


class ClusterForm(WagtailAdminModelForm):
    """The cluster form; checks the choice of provinces against the dates."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        errors = services.cluster_scope_errors(
            valid_from=cleaned.get("valid_from"),
            valid_to=cleaned.get("valid_to"),
            has_current=bool(cleaned.get("provinces")),
            has_legacy=bool(cleaned.get("legacy_provinces")),
        )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)
        return cleaned


def _service_kwargs(form: forms.ModelForm[Any]) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "code": data["code"],
        "name": data["name"],
        "description": data.get("description", ""),
        "valid_from": data.get("valid_from"),
        "valid_to": data.get("valid_to"),
        "province_codes": [p.code for p in data.get("provinces") or ()],
        "legacy_province_codes": [p.code for p in data.get("legacy_provinces") or ()],
    }


class ServiceFormMixin:
    """Turn a service's `ValidationError` into errors on the form."""

    form: forms.ModelForm[Any]
    produced_error_message: str | None

    def form_valid(self, form: forms.ModelForm[Any]) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as exc:
            form.add_error(None, exc)
            self.produced_error_message = self.get_error_message()  # type: ignore[attr-defined]
            return self.form_invalid(form)  # type: ignore[attr-defined,no-any-return]


class ClusterCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self) -> Model:
        cluster = services.cluster_create(actor=self.request.user, **_service_kwargs(self.form))
        log(instance=cluster, action="wagtail.create", user=self.request.user)
        return cluster


class ClusterEditView(ServiceFormMixin, generic.EditView):
    def save_instance(self) -> Model:
        cluster = services.cluster_update(
            actor=self.request.user, cluster=self.object, **_service_kwargs(self.form)
        )
        log(instance=cluster, action="wagtail.edit", user=self.request.user)
        return cluster


class ClusterDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        log(instance=self.object, action="wagtail.delete", user=self.request.user)
        services.cluster_delete(actor=self.request.user, cluster=self.object)


class ClusterViewSet(ModelViewSet):
    model = Cluster
    name = "clusters"
    icon = "group"
    add_view_class = ClusterCreateView
    edit_view_class = ClusterEditView
    delete_view_class = ClusterDeleteView
    copy_view_enabled = False
    inspect_view_enabled = True
    search_fields = ["code", "name"]
    search_backend_name = None
    ordering = "code"
    list_display = ["name", "code", "valid_from", "valid_to"]
    list_filter = ["valid_from", "valid_to", "provinces", "legacy_provinces"]
    list_export = ["code", "name", "valid_from", "valid_to"]
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        FieldPanel("provinces", widget=forms.CheckboxSelectMultiple),
        FieldPanel("legacy_provinces", widget=forms.CheckboxSelectMultiple),
    ]

    def get_edit_handler(self) -> Any:
        return ObjectList(self.panels, base_form_class=ClusterForm).bind_to_model(self.model)


class UnitsViewSetGroup(ModelViewSetGroup):
    """The "Administrative units" menu: clusters, current and legacy units."""

    menu_label = _("Administrative units")
    menu_icon = "site"
    menu_order = 250
    items = (
        ClusterViewSet,
        ProvinceViewSet,
        CommuneViewSet,
        LegacyProvinceViewSet,
        LegacyCommuneViewSet,
    )


READ_ONLY_MODELS: tuple[type[Model], ...] = (Province, Commune, LegacyProvince, LegacyCommune)
