"""Forms of the reception back-office: shared fields, schedules, the dashboard.

Forms only parse and check input; the services decide (`schedules`,
`visits`, `dialogues`), and their errors are shown beside the fields they
name (`views_common.service_errors_to_form`). Organizations and leaders
offered are those of the user: the bodies they act for when writing,
those they read when filtering.
"""

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.orgs.models import Membership, Organization, Role
from danvan.orgs.selectors import valid_on_q
from danvan.petitions.forms_staff import PlainSelect
from danvan.reception.models import ReceptionMode, ScheduleStatus

#: The "no filter" choice of a select.
ANY = ("", pgettext_lazy("filter", "All"))

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MONTH_FORMAT = "%Y-%m"


class OrganizationField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An organization, shown by its short name, in a select rendered in one pass."""

    widget = PlainSelect

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Organization.objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.short_name or obj.name)


def organization_choices(
    field: forms.Field, organizations: QuerySet[Organization], *, blank: bool = True
) -> None:
    """Offer `organizations` (by name) in `field`; without `blank`, the first is chosen."""
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (a programming error)
    field.queryset = organizations.order_by("name")
    if not blank:
        field.empty_label = None


def user_label(user: Any) -> str:
    """Return a user's full name, family name first (or the username)."""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()


class LeaderField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A leader: a user shown by full name."""

    widget = PlainSelect

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", get_user_model().objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


def heads_of(organizations: QuerySet[Organization]) -> QuerySet[Any]:
    """Return the active users who head one of `organizations` today (not deputies)."""
    heads = Membership.objects.filter(
        valid_on_q(timezone.localdate()),
        organization__in=organizations.values("pk"),
        role=Role.HEAD,
        is_deputy=False,
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=heads, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


class MonthField(forms.DateField):
    """A month, posted as YYYY-MM (an `<input type="month">`), cleaned to its first day."""

    input_formats = [MONTH_FORMAT]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT))
        super().__init__(*args, **kwargs)


# Schedules -----------------------------------------------------------------


class ScheduleFilterForm(forms.Form):
    """The filters of the schedule list, read from the query string."""

    organization = OrganizationField(label=_("organization"), required=False)
    leader = LeaderField(label=_("leader"), required=False)
    month = MonthField(label=_("month"), required=False)
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[ANY, *ScheduleStatus.choices]
    )
    late = forms.BooleanField(label=_("published late or overdue for publication"), required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["organization"], organizations)
        self.fields["leader"].queryset = heads_of(organizations)  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """Return the valid filters (invalid ones are ignored)."""
        return self.cleaned_data if self.is_valid() else {}


class CalendarForm(forms.Form):
    """The month and organization of the calendar."""

    organization = OrganizationField(label=_("organization"), required=False)
    month = MonthField(label=_("month"), required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["organization"], organizations)


class ScheduleForm(forms.Form):
    """A leader's duty day: create (with its organization) or edit."""

    organization = OrganizationField(label=_("organization"))
    leader = LeaderField(label=_("leader"))
    leader_title = forms.CharField(
        label=_("leader's title"),
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Chairman of the commune")}),
    )
    date = forms.DateField(label=_("date"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("start time"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("end time"), widget=TIME_WIDGET)
    place = forms.CharField(label=_("place"), max_length=255)
    mode = forms.ChoiceField(
        label=_("mode"), choices=ReceptionMode.choices, initial=ReceptionMode.IN_PERSON
    )
    online_link = forms.CharField(
        label=_("online link"),
        required=False,
        max_length=200,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Only for an online reception (from 01/07/2026)."),
    )
    expected_content = forms.CharField(
        label=_("expected content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attendees = forms.CharField(
        label=_("attendees"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_unscheduled = forms.BooleanField(
        label=_("unscheduled reception"),
        required=False,
        help_text=_("Received outside the schedule in a case of Luật TCD Art. 18(3)."),
    )

    #: The fields `schedule_update` takes (the organization stays).
    EDITABLE = (
        "leader",
        "leader_title",
        "date",
        "starts_at",
        "ends_at",
        "place",
        "mode",
        "online_link",
        "expected_content",
        "attendees",
        "is_unscheduled",
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["organization"]
        else:
            organization_choices(self.fields["organization"], organizations, blank=False)
        self.fields["leader"].queryset = heads_of(organizations)  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments of `schedule_create` or `schedule_update`."""
        data = self.cleaned_data
        kwargs = {name: data.get(name) for name in self.EDITABLE}
        for name in ("leader_title", "place", "online_link", "expected_content", "attendees"):
            kwargs[name] = kwargs[name] or ""
        kwargs["is_unscheduled"] = bool(kwargs["is_unscheduled"])
        if not self.editing:
            kwargs["organization"] = data["organization"]
        return kwargs


class ConnectionTestForm(forms.Form):
    """The day an online session's connection was tested."""

    on = forms.DateField(label=_("tested on"), widget=DATE_WIDGET)


class HeldForm(forms.Form):
    """A duty day took place: by the leader, or (before 01/07/2026) a deputy."""

    held_by_deputy = forms.BooleanField(label=_("held by a deputy"), required=False)
    deputy_name = forms.CharField(label=_("deputy"), required=False, max_length=255)
    conclusion_notice_number = forms.CharField(
        label=_("conclusion notice number"), required=False, max_length=50
    )


class ReasonForm(forms.Form):
    """Cancel, with the reason."""

    reason = forms.CharField(label=_("reason for cancelling"), max_length=255)


# Dashboard ---------------------------------------------------------------------


def year_to_date(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first day of the year of `today`, and `today`."""
    return datetime.date(today.year, 1, 1), today


class DashboardForm(forms.Form):
    """The month of the compliance table, the organization, and the indicators' period."""

    organization = OrganizationField(label=_("organization"), required=False)
    month = MonthField(label=_("month"), required=False)
    date_from = forms.DateField(label=_("from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("to"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization_choices(self.fields["organization"], organizations)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(
                _("The end of the period cannot be before its start."), code="period"
            )
        return data

    def choices(
        self, today: datetime.date
    ) -> tuple[Any, datetime.date, datetime.date, datetime.date]:
        """Return the organization (or None), the month's first day and the period."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        month = data.get("month") or today.replace(day=1)
        start, end = year_to_date(today)
        return (
            data.get("organization"),
            month,
            data.get("date_from") or start,
            data.get("date_to") or end,
        )
