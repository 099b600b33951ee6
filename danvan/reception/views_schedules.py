"""Leaders' duty days in the back-office: list, month calendar, forms, steps.

Every step (publish, record the connection test, record as held, cancel)
is a POST that calls its service in `schedules`; a refused step becomes a
message, an invalid one shows the page again with the errors beside the
fields. Lists read only the organizations the user reads.
"""

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.reception import rules, schedules
from danvan.reception.forms import (
    CalendarForm,
    ConnectionTestForm,
    HeldForm,
    ReasonForm,
    ScheduleFilterForm,
    ScheduleForm,
)
from danvan.reception.models import ReceptionMode, ReceptionSchedule, ScheduleStatus
from danvan.reception.views_common import (
    ReceptionView,
    month_bounds,
    nothing_recorded,
    object_or_404,
    page_number,
    page_of,
    query_without_page,
    readable_organizations,
    refused,
    service_errors_to_form,
    shift_month,
)

SCHEDULES = ("reception_staff:schedules", _("Reception schedule"))


def _schedule_or_404(user: Any, pk: int) -> ReceptionSchedule:
    return object_or_404(
        ReceptionSchedule.objects.select_related("organization", "leader"),
        user,
        pk,
        "organization",
    )


def _month(value: datetime.date | None, today: datetime.date) -> tuple[int, int]:
    day = value or today
    return day.year, day.month


class ScheduleListView(ReceptionView):
    """The duty days of the bodies the user reads, filtered and paged."""

    template_name = "reception/staff/schedules.html"
    page_title = _("Reception schedule")
    header_icon = "date"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the list."""
        organizations = readable_organizations(request.user)
        form = ScheduleFilterForm(request.GET or None, organizations=organizations)
        filters = form.values() if form.is_bound else {}
        if filters.get("late"):
            rows = schedules.schedules_late(organizations=organizations)
        else:
            rows = ReceptionSchedule.objects.filter(
                organization__in=organizations.values("pk")
            ).select_related("organization", "leader")
        if filters.get("organization"):
            rows = rows.filter(organization=filters["organization"])
        if filters.get("leader"):
            rows = rows.filter(leader=filters["leader"])
        if filters.get("status"):
            rows = rows.filter(status=filters["status"])
        if filters.get("month"):
            first, last = month_bounds(filters["month"].year, filters["month"].month)
            rows = rows.filter(date__gte=first, date__lte=last)
        rows = rows.order_by("-date", "starts_at", "pk")
        page = page_of(rows, number=page_number(request))
        today = timezone.localdate()
        context = self.get_context_data(
            form=form,
            page=page,
            rows=[(schedule, _late(schedule, today)) for schedule in page.items],
            query=query_without_page(request),
            may_create=schedules.organizations_keeping_schedules(request.user).exists(),
        )
        return self.render_to_response(context)


def _late(schedule: ReceptionSchedule, today: datetime.date) -> bool:
    """Tell whether the day was published late, or is still unpublished past `publish_by`."""
    if schedule.is_unscheduled or schedule.status == ScheduleStatus.CANCELLED:
        return False
    if schedule.published_at is None:
        return schedule.publish_by < today
    return schedule.published_late


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One cell of the month grid."""

    date: datetime.date
    in_month: bool
    is_today: bool
    sessions: list[ReceptionSchedule]


class CalendarView(ReceptionView):
    """The duty days of a month, in a Monday–Sunday grid."""

    template_name = "reception/staff/calendar.html"
    page_title = _("Duty days calendar")
    header_icon = "date"
    parents = (SCHEDULES,)

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render the month's grid."""
        organizations = readable_organizations(request.user)
        form = CalendarForm(request.GET or None, organizations=organizations)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        today = timezone.localdate()
        year, month = _month(data.get("month"), today)
        chosen = data.get("organization")
        sessions = list(
            schedules.schedules_month(
                organizations=[chosen] if chosen else organizations, year=year, month=month
            )
        )
        by_day: dict[datetime.date, list[ReceptionSchedule]] = {}
        for session in sessions:
            by_day.setdefault(session.date, []).append(session)
        weeks = [
            [
                CalendarDay(
                    date=day,
                    in_month=day.month == month,
                    is_today=day == today,
                    sessions=by_day.get(day, []),
                )
                for day in week
            ]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        query = request.GET.copy()
        query.pop("month", None)

        def link(by: int) -> str:
            y, m = shift_month(year, month, by)
            params = query.copy()
            params["month"] = f"{y:04d}-{m:02d}"
            return "?" + params.urlencode()

        context = self.get_context_data(
            form=form,
            weeks=weeks,
            month_first=datetime.date(year, month, 1),
            previous_url=link(-1),
            next_url=link(1),
            count=len(sessions),
        )
        return self.render_to_response(context)


class ScheduleCreateView(ReceptionView):
    """Enter a leader's duty day (a draft, to be published)."""

    template_name = "reception/staff/schedule_form.html"
    page_title = _("New duty day")
    header_icon = "date"
    parents = (SCHEDULES,)

    def _render(self, form: ScheduleForm) -> HttpResponse:
        if form.is_bound:
            nothing_recorded(self.request)
        return self.render_to_response(self.get_context_data(form=form))

    def get(self, request: HttpRequest) -> HttpResponse:
        """Show the empty form."""
        organizations = schedules.organizations_keeping_schedules(request.user)
        if not organizations.exists():
            raise PermissionDenied
        return self._render(ScheduleForm(organizations=organizations))

    def post(self, request: HttpRequest) -> HttpResponse:
        """Store the duty day as a draft and open it."""
        form = ScheduleForm(
            request.POST, organizations=schedules.organizations_keeping_schedules(request.user)
        )
        if not form.is_valid():
            return self._render(form)
        try:
            schedule = schedules.schedule_create(actor=request.user, **form.service_kwargs())
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self._render(form)
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._render(form)
        messages.success(
            request,
            gettext("Duty day of %(date)s entered as a draft: publish it by %(publish_by)s.")
            % {
                "date": f"{schedule.date:%d/%m/%Y}",
                "publish_by": f"{schedule.publish_by:%d/%m/%Y}",
            },
        )
        return HttpResponseRedirect(reverse("reception_staff:schedule", args=[schedule.pk]))


class ScheduleEditView(ReceptionView):
    """Change a draft or published duty day (`schedule_update`)."""

    template_name = "reception/staff/schedule_form.html"
    header_icon = "date"
    parents = (SCHEDULES,)

    def get_page_title(self) -> str:
        return gettext("Change the duty day of %(date)s") % {
            "date": f"{self.schedule.date:%d/%m/%Y}"
        }

    def _form(self, request: HttpRequest, data: Any = None) -> ScheduleForm:
        initial = {name: getattr(self.schedule, name) for name in ScheduleForm.EDITABLE}
        initial["leader"] = self.schedule.leader_id
        organizations = schedules.organizations_keeping_schedules(request.user).filter(
            pk=self.schedule.organization_id
        )
        return ScheduleForm(data, initial=initial, organizations=organizations, editing=True)

    def _render(self, form: ScheduleForm) -> HttpResponse:
        if form.is_bound:
            nothing_recorded(self.request)
        return self.render_to_response(self.get_context_data(form=form, schedule=self.schedule))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Show the form filled with the stored day."""
        self.schedule = _schedule_or_404(request.user, pk)
        return self._render(self._form(request))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Store the changes and go back to the day."""
        self.schedule = _schedule_or_404(request.user, pk)
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            schedules.schedule_update(
                actor=request.user, schedule=self.schedule, **form.service_kwargs()
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self._render(form)
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._render(form)
        messages.success(request, gettext("The duty day was changed."))
        return HttpResponseRedirect(reverse("reception_staff:schedule", args=[self.schedule.pk]))


#: The steps of a duty day: their form, label and success message.
STEPS: dict[str, tuple[type[forms.Form] | None, Any, Any]] = {
    "publish": (None, _("Publish on the portal"), _("The duty day was published on the portal.")),
    "test": (
        ConnectionTestForm,
        _("Record the connection test"),
        _("The connection test was recorded."),
    ),
    "held": (HeldForm, _("Record as held"), _("The duty day was recorded as held.")),
    "cancel": (ReasonForm, _("Cancel the duty day"), _("The duty day was cancelled.")),
}


def steps_open(schedule: ReceptionSchedule, today: datetime.date) -> list[str]:
    """Return the steps the page offers on `schedule` now (the service has the last word)."""
    status = schedule.status
    steps = []
    if status == ScheduleStatus.DRAFT and schedule.date >= today:
        steps.append("publish")
    if schedule.mode == ReceptionMode.ONLINE and status != ScheduleStatus.CANCELLED:
        steps.append("test")
    if status in (ScheduleStatus.DRAFT, ScheduleStatus.PUBLISHED):
        if schedule.date <= today:
            steps.append("held")
        steps.append("cancel")
    return steps


class ScheduleView(ReceptionView):
    """One duty day, its flags, and the steps open on it."""

    template_name = "reception/staff/schedule.html"
    header_icon = "date"
    parents = (SCHEDULES,)

    def get_page_title(self) -> str:
        return gettext("Duty day of %(date)s") % {"date": f"{self.schedule.date:%d/%m/%Y}"}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Render the duty day."""
        self.schedule = _schedule_or_404(request.user, pk)
        return self.render_page(request)

    def render_page(
        self, request: HttpRequest, failed: tuple[str, forms.Form] | None = None
    ) -> HttpResponse:
        """Render the page; `failed` replaces the form of its step, with its errors."""
        schedule = self.schedule
        today = timezone.localdate()
        may_write = (
            schedules.organizations_keeping_schedules(request.user)
            .filter(pk=schedule.organization_id)
            .exists()
        )
        step_forms = []
        if may_write:
            for step in steps_open(schedule, today):
                form_class, label, _message = STEPS[step]
                if failed is not None and failed[0] == step:
                    form: forms.Form | None = failed[1]
                elif form_class is ConnectionTestForm:
                    form = ConnectionTestForm(initial={"on": today}, prefix=step)
                else:
                    form = form_class(prefix=step) if form_class else None
                step_forms.append((step, label, form))
        test_by = (
            rules.connection_test_by(schedule.date)
            if schedule.mode == ReceptionMode.ONLINE
            else None
        )
        context = self.get_context_data(
            schedule=schedule,
            late=_late(schedule, today),
            test_by=test_by,
            test_late=schedules.connection_test_late(schedule),
            may_edit=may_write
            and schedule.status in (ScheduleStatus.DRAFT, ScheduleStatus.PUBLISHED),
            step_forms=step_forms,
            visits=schedule.visits.order_by("number").only("pk", "number", "year", "kind"),
        )
        return self.render_to_response(context, status=200)


class ScheduleStepView(ScheduleView):
    """Take one step on a duty day through its service."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        """Validate the step's form, call the service, and go back to the day."""
        if step not in STEPS:
            raise Http404
        self.schedule = _schedule_or_404(request.user, pk)
        url = reverse("reception_staff:schedule", args=[self.schedule.pk])
        form_class, _label, success = STEPS[step]
        form = form_class(request.POST, prefix=step) if form_class else None
        if form is not None and not form.is_valid():
            nothing_recorded(request)
            return self.render_page(request, failed=(step, form))
        data = form.cleaned_data if form is not None else {}
        try:
            if step == "publish":
                schedules.schedule_publish(actor=request.user, schedule=self.schedule)
            elif step == "test":
                schedules.schedule_record_connection_test(
                    actor=request.user, schedule=self.schedule, on=data["on"]
                )
            elif step == "held":
                schedules.schedule_record_held(
                    actor=request.user,
                    schedule=self.schedule,
                    held_by_deputy=bool(data.get("held_by_deputy")),
                    deputy_name=data.get("deputy_name") or "",
                    conclusion_notice_number=data.get("conclusion_notice_number") or "",
                )
            else:
                schedules.schedule_cancel(
                    actor=request.user, schedule=self.schedule, reason=data["reason"]
                )
        except PermissionDenied as error:
            return refused(request, error, url)
        except ValidationError as error:
            if form is None:
                for message in error.messages:
                    messages.error(request, message)
                return HttpResponseRedirect(url)
            service_errors_to_form(form, error)
            nothing_recorded(request)
            return self.render_page(request, failed=(step, form))
        messages.success(request, str(success))
        return HttpResponseRedirect(url)
