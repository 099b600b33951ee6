"""A chooser for communes in the back-office.

3,321 communes do not fit a drop-down: forms that need a commune use this
chooser's widget, a dialog with a diacritic-insensitive search and a
province filter.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from danvan.core.text import fold
from danvan.geo.models import Commune, Province


class CommuneFilterForm(BaseFilterForm):
    """Search communes by folded name ("phu quoc" finds "Đặc khu Phú Quốc")."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Commune name, e.g. my tho")}),
    )
    province = forms.ModelChoiceField(
        queryset=Province.objects.order_by("name"), required=False, label=_("Province")
    )

    def filter(self, objects: QuerySet[Commune]) -> QuerySet[Commune]:
        objects = super().filter(objects)
        province = self.cleaned_data.get("province")
        if province is not None:
            objects = objects.filter(province=province)
        query = fold(self.cleaned_data.get("q") or "")
        if query:
            objects = objects.filter(name_folded__contains=query)
            self.is_searching = True
            self.search_query = query
        return objects


class CommuneChooseViewMixin:
    """Communes with their province, filterable; names repeat between provinces."""

    filter_form_class = CommuneFilterForm
    ordering = ("province__name", "name")

    def get_object_list(self) -> QuerySet[Commune]:
        return Commune.objects.select_related("province")

    @property
    def columns(self) -> list[Column]:
        return [
            *super().columns,  # type: ignore[misc]
            Column("province", label=capfirst(_("province")), accessor="province"),
            Column("code", label=capfirst(_("code")), accessor="code"),
        ]


class CommuneChooseView(CommuneChooseViewMixin, ChooseView):
    pass


class CommuneChooseResultsView(CommuneChooseViewMixin, ChooseResultsView):
    pass


class CommuneChooserViewSet(ChooserViewSet):
    """The commune chooser dialog and its form widget."""

    model = Commune
    icon = "site"
    choose_one_text = _("Choose a commune")
    choose_another_text = _("Choose another commune")
    choose_view_class = CommuneChooseView
    choose_results_view_class = CommuneChooseResultsView
    per_page = 20

    def get_object_list(self) -> Any:
        return Commune.objects.select_related("province")


commune_chooser_viewset = CommuneChooserViewSet("commune_chooser")
