"""The back-office pages of cluster briefings, under `/admin/briefings/`
(URL names `briefings_staff:*`, registered by `wagtail_hooks`).

The list of briefings and the list of conclusion tasks (with its Excel
export) show what the user's bodies read
(`permissions.readable_organization_ids`), filtered and paged as the other
back-office lists. Wagtail checks that the user may enter the back-office;
each view checks the rule of `permissions` (who reads, who writes a member
report, who hosts) and calls the services, whose `ValidationError`s show
beside the fields, with what was typed kept. A page without the right is a
404 (nothing tells that the briefing exists), an action without it a 403.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from danvan.briefings import documents, exports, forms, indicators, permissions, services
from danvan.briefings.chart import bar_chart_svg
from danvan.briefings.models import Briefing, ConclusionTask, IssuingBody, Meeting, ReportStatus
from danvan.briefings.selectors import (
    briefing_clusters,
    briefing_get,
    briefing_list,
    briefing_years,
    conclusion_items,
    open_tasks_for,
    report_corrections,
    report_get,
    task_filter_choices,
    task_list,
)
from danvan.briefings.summary import cluster_summary
from danvan.core.periods import Period
from danvan.geo.models import Province
from danvan.reception.views_common import (
    page_number,
    page_of,
    query_without_page,
    service_errors_to_form,
)

#: The indicators drawn as charts on the briefing's page.
CHARTS = (
    "petitions_on_time_percent",
    "leader_days_percent",
    "dialogues_held",
    "models_recognized",
)


class BriefingsView(WagtailAdminTemplateMixin, View):
    """A page of briefings: for holders of a reading role (or a superuser)."""

    header_icon = "list-ul"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not permissions.can_use_briefings(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("briefings_staff:list"), "label": _("Cluster briefings")},
            {"url": "", "label": self.get_page_title()},
        ]


def _period(briefing: Briefing) -> Period:
    return Period(briefing.period_start, briefing.period_end, briefing.period_code)


def _briefing_or_404(request: HttpRequest, pk: int) -> Briefing:
    briefing = briefing_get(pk)
    if briefing is None or not permissions.can_read(request.user, briefing):
        raise Http404(gettext("Nothing you may open has this number."))
    return briefing


class BriefingListView(BriefingsView):
    """The briefings the user reads, filtered, searched and paged."""

    template_name = "briefings/list.html"
    page_title = _("Cluster briefings")

    def get(self, request: HttpRequest) -> HttpResponse:
        org_ids = permissions.readable_organization_ids(request.user)
        form = forms.BriefingFilterForm(
            request.GET or None,
            clusters=briefing_clusters(org_ids),
            years=briefing_years(org_ids),
        )
        rows = briefing_list(org_ids=org_ids, **form.filters())
        context = self.get_context_data(
            form=form,
            page=page_of(rows, number=page_number(request)),
            query=query_without_page(request),
            may_create=permissions.can_create(request.user),
        )
        return self.render_to_response(context)


def _tasks(request: HttpRequest) -> tuple[forms.TaskFilterForm, Any]:
    """The filter form and the tasks the user follows, filtered."""
    org_ids = permissions.readable_organization_ids(request.user)
    briefings, clusters, provinces = task_filter_choices(org_ids)
    form = forms.TaskFilterForm(
        request.GET or None, briefings=briefings, clusters=clusters, provinces=provinces
    )
    rows = task_list(org_ids=org_ids, today=timezone.localdate(), **form.filters())
    return form, rows


class TaskListView(BriefingsView):
    """The conclusion tasks the user follows, across briefings, filtered and paged.

    A member's body sees its province's tasks, a host every task of the
    briefings it hosts, central staff every task. Follow-ups are recorded
    on the briefing's page, where each row links.
    """

    template_name = "briefings/tasks.html"
    page_title = _("Conclusion tasks")
    header_icon = "tasks"

    def get(self, request: HttpRequest) -> HttpResponse:
        form, rows = _tasks(request)
        page = page_of(rows, number=page_number(request))
        today = timezone.localdate()
        for task in page.items:
            updates = list(task.updates.all())
            task.last_update = updates[-1] if updates else None
            task.is_overdue = exports.is_overdue(task, today)
        context = self.get_context_data(
            form=form, page=page, query=query_without_page(request), today=today
        )
        return self.render_to_response(context)


def tasks_export(request: HttpRequest) -> HttpResponse:
    """The filtered conclusion tasks as an Excel file."""
    if not permissions.can_use_briefings(request.user):
        raise PermissionDenied
    _form, rows = _tasks(request)
    today = timezone.localdate()
    response = HttpResponse(
        exports.tasks_xlsx(rows, today=today), content_type=exports.XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="nhiem-vu-giao-ban-{today:%Y%m%d}.xlsx"'
    )
    return response


class BriefingCreateView(BriefingsView):
    template_name = "briefings/form.html"
    page_title = _("New briefing")

    def _render(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form))

    def get(self, request: HttpRequest) -> HttpResponse:
        if not permissions.can_create(request.user):
            raise PermissionDenied
        return self._render(forms.BriefingCreateForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if not permissions.can_create(request.user):
            raise PermissionDenied
        form = forms.BriefingCreateForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            briefing = services.briefing_create(
                actor=request.user,
                cluster=form.cleaned_data["cluster"],
                period=form.cleaned_data["period"],
                host_province=form.cleaned_data["host_province"],
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._render(form)
        messages.success(request, gettext("The briefing was created."))
        return HttpResponseRedirect(reverse("briefings_staff:briefing", args=[briefing.pk]))


class BriefingView(BriefingsView):
    """The briefing: members' reports, the summary with charts, the meeting, the conclusion."""

    template_name = "briefings/briefing.html"

    def get_page_title(self) -> str:
        return str(self.briefing)

    def _context(self, request: HttpRequest, **forms_: Any) -> dict[str, Any]:
        briefing = self.briefing
        summary = cluster_summary(briefing.cluster, _period(briefing))
        may_host = permissions.can_host(request.user, briefing)
        meeting = Meeting.objects.filter(briefing=briefing).first()
        members = Province.objects.filter(
            code__in=[r.province_id for r in briefing.reports.all() if r.province_id]
        ).order_by("code")
        rows = [
            {
                "indicator": indicator,
                "cells": [
                    (
                        m.figures.get(indicator.key),
                        summary.rankings.get(indicator.key, {}).get(m.code),
                    )
                    for m in summary.members
                ],
                "total": summary.totals.get(indicator.key),
                "change": summary.change(indicator.key),
            }
            for indicator in indicators.INDICATORS
        ]
        initial_meeting = (
            {name: getattr(meeting, name) for name in services.MEETING_FIELDS} if meeting else {}
        )
        return self.get_context_data(
            briefing=briefing,
            summary=summary,
            rows=rows,
            charts=[bar_chart_svg(summary, key) for key in CHARTS],
            reports=sorted(briefing.reports.all(), key=lambda r: r.member_name),
            may_host=may_host,
            meeting=meeting,
            meeting_form=forms_.get("meeting_form")
            or (forms.MeetingForm(initial=initial_meeting) if may_host else None),
            item_form=forms_.get("item_form")
            or (forms.ConclusionItemForm(members=members) if may_host else None),
            conclude_form=forms_.get("conclude_form") or forms.ConcludeForm(),
            follow_up_form=forms.FollowUpForm(),
            items=conclusion_items(briefing),
            number_text=indicators.number_text,
            issuer_missing=not (
                briefing.host_organization_id
                and IssuingBody.objects.filter(
                    organization_id=briefing.host_organization_id
                ).exists()
            ),
            issuers_url=reverse("briefing_issuing_bodies:index")
            if request.user.is_superuser or request.user.has_perm("briefings.change_issuingbody")
            else "",
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.briefing = _briefing_or_404(request, pk)
        return self.render_to_response(self._context(request))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.briefing = briefing = _briefing_or_404(request, pk)
        url = reverse("briefings_staff:briefing", args=[briefing.pk])
        action = request.POST.get("action")
        if action == "follow_up":
            return self._follow_up(request, url)
        if not permissions.can_host(request.user, briefing):
            raise PermissionDenied
        members = Province.objects.filter(briefing_member_reports_q(briefing))
        handlers: dict[str, tuple[Any, str, Any]] = {
            "meeting": (forms.MeetingForm, "meeting_form", self._meeting),
            "item": (
                lambda data: forms.ConclusionItemForm(data, members=members),
                "item_form",
                self._item,
            ),
            "conclude": (forms.ConcludeForm, "conclude_form", self._conclude),
        }
        if action not in handlers:
            raise Http404
        make, name, handle = handlers[action]
        form = make(request.POST)
        if form.is_valid():
            try:
                handle(request, form.cleaned_data)
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, gettext("Saved."))
                return HttpResponseRedirect(url)
        messages.error(request, gettext("Nothing was recorded: correct the errors below."))
        return self.render_to_response(self._context(request, **{name: form}), status=400)

    def _meeting(self, request: HttpRequest, data: dict[str, Any]) -> None:
        services.meeting_save(actor=request.user, briefing=self.briefing, **data)

    def _item(self, request: HttpRequest, data: dict[str, Any]) -> None:
        services.conclusion_item_add(
            actor=request.user,
            briefing=self.briefing,
            text=data["text"],
            due_on=data["due_on"],
            provinces=list(data["provinces"]),
        )

    def _conclude(self, request: HttpRequest, data: dict[str, Any]) -> None:
        services.briefing_conclude(actor=request.user, briefing=self.briefing, **data)

    def _follow_up(self, request: HttpRequest, url: str) -> HttpResponse:
        task = (
            ConclusionTask.objects.filter(
                pk=request.POST.get("task") or 0, item__briefing=self.briefing
            )
            .select_related("item")
            .first()
        )
        if task is None:
            raise Http404
        if not permissions.can_follow_up(request.user, task, self.briefing):
            raise PermissionDenied
        form = forms.FollowUpForm(request.POST)
        if form.is_valid():
            services.task_follow_up(actor=request.user, task=task, **form.cleaned_data)
            messages.success(request, gettext("The follow-up was recorded."))
        else:
            messages.error(request, " ".join(str(e) for e in form.errors.values()))
        return HttpResponseRedirect(url + "#tasks")


def briefing_member_reports_q(briefing: Briefing) -> Q:
    """The current provinces that are members of `briefing`."""
    return Q(code__in=[r.province_id for r in briefing.reports.all() if r.province_id])


class ReportView(BriefingsView):
    """A member report: figures with corrections, narrative, submission, acceptance."""

    template_name = "briefings/report.html"

    def get_page_title(self) -> str:
        return gettext("Report of %(member)s") % {"member": self.report.member_name}

    def _load(self, request: HttpRequest, pk: int) -> None:
        report = report_get(pk)
        if report is None:
            raise Http404(gettext("Nothing you may open has this number."))
        briefing = briefing_get(report.briefing_id)
        assert briefing is not None  # noqa: S101 (the report's briefing)
        if not permissions.can_read(request.user, briefing):
            raise Http404(gettext("Nothing you may open has this number."))
        self.report, self.briefing = report, briefing

    def _context(self, request: HttpRequest, **forms_: Any) -> dict[str, Any]:
        report = self.report
        may_write = permissions.can_write_report(request.user, report) and report.is_editable
        may_host = (
            permissions.can_host(request.user, self.briefing)
            and report.status == ReportStatus.SUBMITTED
        )
        rows = [
            {
                "indicator": i,
                "system": report.system_figures.get(i.key),
                "value": report.figures.get(i.key),
                "corrected": report.figures.get(i.key) != report.system_figures.get(i.key),
            }
            for i in indicators.INDICATORS
        ]
        corrections = report_corrections(report)
        for correction in corrections:
            found = indicators.BY_KEY.get(correction.key)
            correction.label = str(found.label) if found else correction.key  # type: ignore[attr-defined]
        open_tasks = (
            open_tasks_for(
                report.province_id,
                before=self.briefing.period_start,
                cluster=self.briefing.cluster_id,
            )
            if report.province_id
            else []
        )
        return self.get_context_data(
            report=report,
            briefing=self.briefing,
            rows=rows,
            corrections=corrections,
            open_tasks=open_tasks,
            may_write=may_write,
            may_host=may_host,
            correction_form=forms_.get("correction_form") or forms.CorrectionForm(),
            narrative_form=forms_.get("narrative_form")
            or forms.NarrativeForm(
                initial={s: getattr(report, s) for s in services.NARRATIVE_FIELDS}
            ),
            return_form=forms_.get("return_form") or forms.ReturnForm(),
            number_text=indicators.number_text,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._load(request, pk)
        return self.render_to_response(self._context(request))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._load(request, pk)
        report = self.report
        url = reverse("briefings_staff:report", args=[report.pk])
        action = request.POST.get("action")
        host_actions = {"accept", "return"}
        if action in host_actions:
            if not permissions.can_host(request.user, self.briefing):
                raise PermissionDenied
        elif not permissions.can_write_report(request.user, report):
            raise PermissionDenied
        form: Any = None
        name = ""
        try:
            if action == "correct":
                form, name = forms.CorrectionForm(request.POST), "correction_form"
                if form.is_valid():
                    services.report_correct(actor=request.user, report=report, **form.cleaned_data)
            elif action in ("narrative", "submit"):
                form, name = forms.NarrativeForm(request.POST), "narrative_form"
                if form.is_valid():
                    services.report_write(actor=request.user, report=report, **form.cleaned_data)
                    if action == "submit":
                        services.report_submit(actor=request.user, report=report)
            elif action == "refresh":
                services.report_refresh(actor=request.user, report=report)
            elif action == "accept":
                services.report_accept(actor=request.user, report=report)
            elif action == "return":
                form, name = forms.ReturnForm(request.POST), "return_form"
                if form.is_valid():
                    services.report_return(
                        actor=request.user, report=report, reason=form.cleaned_data["reason"]
                    )
            else:
                raise Http404
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return HttpResponseRedirect(url)
            service_errors_to_form(form, error)
        if form is not None and form.errors:
            self.report = report_get(report.pk) or report
            messages.error(request, gettext("Nothing was recorded: correct the errors below."))
            return self.render_to_response(self._context(request, **{name: form}), status=400)
        messages.success(request, gettext("Saved."))
        return HttpResponseRedirect(url)


DOCUMENT_TYPES = {
    "report.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "notice.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "indicators.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "report.pdf": "application/pdf",
}


def download(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The briefing's documents: report (Word, PDF), notice (Word), indicators (Excel)."""
    if not permissions.can_use_briefings(request.user):
        raise PermissionDenied
    briefing = _briefing_or_404(request, pk)
    if name not in DOCUMENT_TYPES:
        raise Http404
    style = documents.style_for(briefing)
    today = timezone.localdate()
    if name == "notice.docx":
        content = documents.notice_docx(briefing, style, day=today)
    else:
        summary = cluster_summary(briefing.cluster, _period(briefing))
        if name == "indicators.xlsx":
            content = documents.indicators_xlsx(summary)
        else:
            content = documents.report_docx(summary, style, day=today)
            if name == "report.pdf":
                try:
                    content = documents.docx_to_pdf(content)
                except documents.DocumentUnavailable as error:
                    raise Http404(str(error)) from error
    response = HttpResponse(content, content_type=DOCUMENT_TYPES[name])
    filename = f"giao-ban-{briefing.cluster.code}-{briefing.period_code}-{name}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
