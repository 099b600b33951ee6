"""The unit dashboard: petitions of a period, on-time rate, overdue cases."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from danvan.petitions.exports import XLSX_CONTENT_TYPE, dashboard_xlsx
from danvan.petitions.forms_staff import PeriodForm
from danvan.petitions.reports import dashboard_figures


class DashboardView(WagtailAdminTemplateMixin, View):
    """Figures of the bodies the user reads, for a period, on screen or in Excel."""

    template_name = "petitions/staff/dashboard.html"
    page_title = _("Petition dashboard")
    header_icon = "table"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("petitions_staff:inbox"), "label": _("Petitions")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render the dashboard, or the workbook when `format=xlsx`."""
        form = PeriodForm(request.GET if "date_from" in request.GET else None)
        date_from, date_to = form.period()
        if not form.is_bound:
            form = PeriodForm(initial={"date_from": date_from, "date_to": date_to})
        dashboard = dashboard_figures(user=request.user, date_from=date_from, date_to=date_to)
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(dashboard_xlsx(dashboard), content_type=XLSX_CONTENT_TYPE)
            filename = f"don-thu-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        context: dict[str, Any] = self.get_context_data(
            form=form,
            dashboard=dashboard,
            breakdowns=[
                (_("By kind"), _("Kind"), dashboard.by_kind),
                (_("By category"), _("Category"), dashboard.by_category),
                (_("By channel"), _("Channel"), dashboard.by_channel),
            ],
            query=request.GET.urlencode(),
        )
        return self.render_to_response(context)
