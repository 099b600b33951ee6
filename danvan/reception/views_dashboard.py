"""The reception dashboard: leaders' compliance, annual dialogues, commitments, figures.

For the organizations the user reads (or the one chosen): each leader's
duty days of a month against the minimum (`schedules.leader_compliance`),
the commune committees without an annual dialogue in that month's year
(`dialogues.communes_without_annual_dialogue`), the overdue commitments,
and the figures of a period (`selectors.reception_indicators`, this year
to date by default). The number of queries does not grow with the rows;
the indicators cost a few per month of the period.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.orgs.models import OrganizationKind, OrganizationLevel
from danvan.reception.dialogues import commitments_overdue, communes_without_annual_dialogue
from danvan.reception.forms import DashboardForm
from danvan.reception.schedules import leader_compliance
from danvan.reception.selectors import reception_indicators
from danvan.reception.views_common import ReceptionView, readable_organizations

#: The most rows of the communes and commitments lists shown on the page.
LIST_LIMIT = 50


class DashboardView(ReceptionView):
    """Compliance of a month, annual dialogues, overdue commitments and figures."""

    template_name = "reception/staff/dashboard.html"
    page_title = _("Reception dashboard")
    header_icon = "table"

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render the dashboard."""
        today = timezone.localdate()
        readable = readable_organizations(request.user)
        form = DashboardForm(request.GET or None, organizations=readable)
        chosen, month, date_from, date_to = form.choices(today)
        organizations = list(
            readable.filter(pk=chosen.pk) if chosen is not None else readable.order_by("name")
        )
        ids = {organization.pk for organization in organizations}
        compliance = leader_compliance(
            organizations=organizations, year=month.year, month=month.month
        )
        provinces = {organization.province_id for organization in organizations}
        province = next(iter(provinces)) if len(provinces) == 1 else None
        communes = [
            commune
            for commune in communes_without_annual_dialogue(year=month.year, province=province)
            if commune.pk in ids
        ]
        overdue = list(
            commitments_overdue(organizations=organizations, today=today)[: LIST_LIMIT + 1]
        )
        indicators = reception_indicators(
            organizations=organizations, date_from=date_from, date_to=date_to, today=today
        )
        if not form.is_bound:
            form = DashboardForm(
                initial={"month": month, "date_from": date_from, "date_to": date_to},
                organizations=readable,
            )
        has_communes = any(
            organization.kind == OrganizationKind.PEOPLES_COMMITTEE
            and organization.level == OrganizationLevel.COMMUNE
            for organization in organizations
        )
        context: dict[str, Any] = self.get_context_data(
            form=form,
            month=month,
            compliance=compliance,
            communes=communes[:LIST_LIMIT],
            communes_more=max(0, len(communes) - LIST_LIMIT),
            has_communes=has_communes,
            overdue=overdue[:LIST_LIMIT],
            overdue_more=len(overdue) > LIST_LIMIT,
            indicators=indicators,
            today=today,
        )
        return self.render_to_response(context)
