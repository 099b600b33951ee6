"""The portal's page of leaders' duty days: /lich-tiep-cong-dan/ (and /en/…).

A citizen chooses a province, and optionally a commune (its people's
committee), and sees the duty days published there (Luật Tiếp công dân
Art. 24: the place, the time and the leader), from a month back to some
weeks ahead, through `schedules.schedules_published`, which gives nothing
but the leader's title and name, the body, the place, the time, the mode
and, for an online session only, its link. The form works without
JavaScript (a GET form; choosing a province offers its communes).
"""

import datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.geo.models import Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel
from danvan.orgs.selectors import valid_on_q
from danvan.reception.models import ReceptionMode
from danvan.reception.schedules import schedules_published

#: How far back and ahead the page shows duty days.
DAYS_BACK = 31
DAYS_AHEAD = 8 * 7


class ProvinceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CommuneChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.commune.name if obj.commune_id else obj.name)


class PortalScheduleForm(forms.Form):
    """A province and, optionally, the people's committee of one of its communes."""

    province = ProvinceChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name"),
        empty_label=pgettext_lazy("province", "Choose a province"),
    )
    commune = CommuneChoiceField(
        label=_("Commune"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=pgettext_lazy("commune", "Every commune and body of the province"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.data.get("province") if self.is_bound else None
        if code and str(code).isdigit():
            self.fields["commune"].queryset = (  # type: ignore[attr-defined]
                Organization.objects.filter(
                    valid_on_q(timezone.localdate()),
                    province_id=int(code),
                    kind=OrganizationKind.PEOPLES_COMMITTEE,
                    level=OrganizationLevel.COMMUNE,
                )
                .select_related("commune")
                .order_by("commune__name", "name")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A commune of another province (the province was changed): forget it.
        if "commune" in self.errors:
            del self.errors["commune"]
            data["commune"] = None
        return data


def reception_schedule(request: HttpRequest) -> HttpResponse:
    """Show the published duty days of a province or one of its communes."""
    form = PortalScheduleForm(request.GET if request.GET.get("province") else None)
    today = timezone.localdate()
    context: dict[str, Any] = {"form": form, "online": ReceptionMode.ONLINE.value}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        rows = schedules_published(
            province=data["province"],
            commune_org=data.get("commune"),
            date_from=today - datetime.timedelta(days=DAYS_BACK),
            date_to=today + datetime.timedelta(days=DAYS_AHEAD),
        )
        context.update(
            chosen=data.get("commune") or data["province"],
            upcoming=[row for row in rows if row.date >= today],
            past=[row for row in rows if row.date < today][::-1],
            today=today,
        )
    return render(request, "reception/portal/schedule.html", context)
