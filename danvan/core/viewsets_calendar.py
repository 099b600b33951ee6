"""Back-office pages of the working-day calendar: the override table.

Administrators enter here the government's decisions that the `holidays`
library does not know yet (an extra day off, a swapped working Saturday,
BLLĐ 2019 Art. 112(3)). Every change goes through
`danvan.core.services`, which validates it, writes the audit trail and
refreshes the calendar of every process.
"""

from typing import Any, ClassVar

import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from danvan.core.models import CalendarOverride
from danvan.core.services import calendar_override_delete, calendar_override_set


def _year_choices() -> list[tuple[str, str]]:
    """Return the years that have overrides, latest first."""
    years = CalendarOverride.objects.dates("date", "year", order="DESC")
    return [(str(day.year), str(day.year)) for day in years]


class CalendarOverrideFilterSet(WagtailFilterSet):
    """Filters of the list: by kind and by year."""

    year = django_filters.ChoiceFilter(
        label=_("Year"), field_name="date", lookup_expr="year", choices=_year_choices
    )

    class Meta:
        model = CalendarOverride
        fields: ClassVar[list[str]] = ["kind"]


class _ServiceFormMixin:
    """Show a service's `ValidationError` on the form instead of a 500."""

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            response: HttpResponse = super().form_valid(form)  # type: ignore[misc]
        except ValidationError as error:
            form.add_error(None, error)
            # What `is_valid` sets when the form itself is invalid.
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()  # type: ignore[attr-defined]
            invalid: HttpResponse = self.form_invalid(form)  # type: ignore[attr-defined]
            return invalid
        return response


class CalendarOverrideCreateView(_ServiceFormMixin, generic.CreateView):  # type: ignore[misc]
    """Add an override through `calendar_override_set`."""

    def save_instance(self) -> CalendarOverride:
        data = self.form.cleaned_data
        return calendar_override_set(
            actor=self.request.user,
            date=data["date"],
            kind=data["kind"],
            reason=data["reason"],
            legal_basis=data.get("legal_basis") or "",
        )


class CalendarOverrideEditView(_ServiceFormMixin, generic.EditView):  # type: ignore[misc]
    """Change an override through the services.

    Moving an override to another date removes the old one and sets the new
    one, in the same transaction.
    """

    def save_instance(self) -> CalendarOverride:
        data = self.form.cleaned_data
        with transaction.atomic():
            current = CalendarOverride.objects.get(pk=self.form.instance.pk)
            if current.date != data["date"]:
                calendar_override_delete(actor=self.request.user, override=current)
            return calendar_override_set(
                actor=self.request.user,
                date=data["date"],
                kind=data["kind"],
                reason=data["reason"],
                legal_basis=data.get("legal_basis") or "",
            )


class CalendarOverrideDeleteView(generic.DeleteView):  # type: ignore[misc]
    """Remove an override through `calendar_override_delete`."""

    def delete_action(self) -> None:
        calendar_override_delete(actor=self.request.user, override=self.object)


class CalendarOverrideViewSet(ModelViewSet):
    """List, add, change and remove days off and working days (administrators)."""

    model = CalendarOverride
    icon = "date"
    menu_label = _("Days off and working days")
    menu_order = 910
    add_to_admin_menu = False
    copy_view_enabled = False  # a copy would have the same (unique) date
    add_view_class = CalendarOverrideCreateView
    edit_view_class = CalendarOverrideEditView
    delete_view_class = CalendarOverrideDeleteView
    form_fields: ClassVar[list[str]] = ["date", "kind", "reason", "legal_basis"]
    list_display: ClassVar[list[str]] = ["date", "kind", "reason", "legal_basis"]
    list_export: ClassVar[list[str]] = [
        "date",
        "kind",
        "reason",
        "legal_basis",
        "created_at",
        "updated_at",
    ]
    filterset_class = CalendarOverrideFilterSet
    search_fields: ClassVar[list[str]] = ["reason", "legal_basis"]
    search_backend_name = None  # the table is small: search it with the ORM
    ordering: ClassVar[list[str]] = ["-date"]


calendar_override_viewset = CalendarOverrideViewSet("calendar_overrides")
