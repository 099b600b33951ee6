"""The public statistics page, at /thong-ke/ (and /en/thong-ke/).

The period is chosen by GET (this month, quarter, half-year, year, or
from–to); a wrong choice is answered beside its field, with what was typed
kept, and the page then shows this month. The figures come from
`portal.stats`, kept in the cache for ten minutes, which the page says.
"""

import datetime
from typing import Any, Final

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from danvan.geo.models import Province
from danvan.petitions.forms_portal import province_choices
from danvan.portal import stats

#: The longest period one may ask for (the data go back a few years).
MAX_DAYS: Final = 366 * 10


class Period:
    """The names of the periods offered."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    RANGE = "range"


PERIOD_CHOICES: Final = [
    (Period.MONTH, _("This month")),
    (Period.QUARTER, _("This quarter")),
    (Period.HALF, _("This half-year")),
    (Period.YEAR, _("This year")),
    (Period.RANGE, _("From … to …")),
]


def period_dates(period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first day of the named period that contains `today`, and `today`."""
    if period == Period.QUARTER:
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
    if period == Period.HALF:
        return today.replace(month=1 if today.month <= 6 else 7, day=1), today
    if period == Period.YEAR:
        return today.replace(month=1, day=1), today
    return today.replace(day=1), today


class StatisticsForm(forms.Form):
    """The period and, optionally, the province whose communes are shown."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=PERIOD_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Choose a period from the list.")},
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-01-31.")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-06-30.")},
    )
    province = forms.TypedChoiceField(
        label=_("Province or city"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=(),
        error_messages={"invalid_choice": _("Choose a province or city from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Offer the current provinces."""
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [  # type: ignore[attr-defined]
            ("", gettext("All provinces and cities")),
            *province_choices()[1:],
        ]

    def clean(self) -> dict[str, Any]:
        """Require both dates of a from–to period, in order, and not too far apart."""
        data = super().clean() or {}
        if data.get("period") != Period.RANGE:
            return data
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from is None and "date_from" not in self.errors:
            self.add_error("date_from", _("Enter the first day of the period."))
        if date_to is None and "date_to" not in self.errors:
            self.add_error("date_to", _("Enter the last day of the period."))
        if date_from and date_to:
            if date_from > date_to:
                self.add_error("date_to", _("The last day must not be before the first day."))
            elif (date_to - date_from).days > MAX_DAYS:
                self.add_error("date_to", _("Choose a period of at most ten years."))
        return data

    def dates(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """Return the chosen period (this month when nothing valid was chosen)."""
        if not self.is_bound or not self.is_valid():
            return period_dates(Period.MONTH, today)
        period = self.cleaned_data.get("period") or Period.MONTH
        if period == Period.RANGE:
            return self.cleaned_data["date_from"], self.cleaned_data["date_to"]
        return period_dates(period, today)


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Show received, resolved, on time and average days per province or commune."""
    today = timezone.localdate()
    bound = any(key in request.GET for key in ("period", "date_from", "date_to", "province"))
    form = StatisticsForm(request.GET if bound else None)
    date_from, date_to = form.dates(today)
    province = None
    if form.is_bound and form.is_valid() and form.cleaned_data.get("province"):
        province = Province.objects.filter(code=form.cleaned_data["province"]).first()
    figures = stats.statistics(date_from=date_from, date_to=date_to, province=province)
    unit = gettext("commune or ward") if province else gettext("province or city")
    chart = stats.bar_chart_svg(
        figures.rows,
        title=gettext("Petitions received and resolved per %(unit)s") % {"unit": unit},
        received=gettext("Received"),
        resolved=gettext("Resolved"),
    )
    base_query = request.GET.copy()
    base_query.pop("province", None)
    context = {
        "form": form,
        "base_query": base_query.urlencode(),
        "stats": figures,
        "chart": chart,
        "chart_truncated": len(figures.rows) > stats.CHART_MAX_ROWS,
        "chart_max": stats.CHART_MAX_ROWS,
        "cache_minutes": stats.CACHE_SECONDS // 60,
        "province": province,
    }
    return render(request, "portal/stats/statistics.html", context)
