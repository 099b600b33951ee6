"""The reception log and its visits in the back-office.

- the log (`visits.visits_log`: three queries a page, never a protected
  name, whoever looks) with its filters, and its exports to Excel and Word
  for one organization and a period (`exports.reception_log_xlsx/docx`);
- recording a visit (`visits.visit_record`): the visit's columns, the
  people, and for a visit recorded as petition the petition part(s); the
  visit's number, the petitions' codes and their lookup key are shown once,
  on the visit's page, to be handed to the citizen;
- a visit's page: the 13 columns, its people as the user may see them
  (`visits.visit_people_for`, redacted otherwise, each view of a protected
  visitor audited), the follow-up, the refusal notice, the receipts;
- a receipt (Mẫu 02/TCD), printable as HTML on A4 and as Word
  (`exports.receipt_docx`): it names who handed the documents over, so
  only those who may see the visit's people may open it.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.formats import document_date_line
from danvan.orgs.models import Organization
from danvan.reception import exports, visits
from danvan.reception.forms import year_to_date
from danvan.reception.forms_visits import (
    DocumentFormSet,
    FollowUpForm,
    LogFilterForm,
    PartFormSet,
    PersonFormSet,
    ReceiptForm,
    RefusalNoticeForm,
    VisitForm,
    document_inputs,
    part_inputs,
    people_inputs,
)
from danvan.reception.models import Receipt, Visit, VisitOutcome
from danvan.reception.views_common import (
    PAGE_SIZE,
    VISIT_RECEIPT_SESSION_KEY,
    Page,
    ReceptionView,
    acting_organizations,
    nothing_recorded,
    object_or_404,
    page_number,
    query_without_page,
    readable_organizations,
    refused,
    service_errors_to_form,
    service_errors_to_formset,
)

LOG = ("reception_staff:log", _("Reception log"))


def _visit_or_404(user: Any, pk: int) -> Visit:
    return object_or_404(
        Visit.objects.select_related(
            "organization__parent", "accepted_by", "schedule", "received_by"
        ),
        user,
        pk,
        "organization",
    )


class LogView(ReceptionView):
    """The reception log of the bodies the user reads, filtered and paged."""

    template_name = "reception/staff/log.html"
    page_title = _("Reception log")
    header_icon = "list-ul"

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the log."""
        organizations = readable_organizations(request.user)
        form = LogFilterForm(request.GET or None, organizations=organizations)
        filters = form.values()
        number = page_number(request)
        chosen = filters.get("organization")
        exported = chosen
        if exported is None:
            # One body read: its log is the one to export.
            only = list(organizations.order_by("pk")[:2])
            exported = only[0] if len(only) == 1 else None
        log = visits.visits_log(
            user=request.user,
            organizations=[chosen] if chosen else None,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            kind=filters.get("kind") or None,
            outcome=filters.get("outcome") or None,
            q=filters.get("q") or None,
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        page = Page(items=log.rows, number=number, size=PAGE_SIZE, has_next=log.has_more)
        export_query = ""
        if exported is not None:
            start, end = year_to_date(timezone.localdate())
            export_query = (
                f"organization={exported.pk}"
                f"&date_from={(filters.get('date_from') or start):%Y-%m-%d}"
                f"&date_to={(filters.get('date_to') or end):%Y-%m-%d}"
            )
        context = self.get_context_data(
            form=form,
            page=page,
            query=query_without_page(request),
            export_query=export_query,
            may_record=acting_organizations(request.user).exists(),
        )
        return self.render_to_response(context)


def log_export(request: HttpRequest) -> HttpResponse:
    """Send the log of one organization for a period as Excel or Word."""
    from danvan.petitions.views_inbox import has_membership

    if not has_membership(request.user):
        raise PermissionDenied
    organizations = readable_organizations(request.user)
    form = LogFilterForm(request.GET, organizations=organizations)
    file_format = request.GET.get("format", "xlsx")
    back = reverse("reception_staff:log") + "?" + request.GET.urlencode()
    filters = form.values()
    organization: Organization | None = filters.get("organization")
    if organization is None or file_format not in ("xlsx", "docx"):
        messages.error(request, gettext("Choose one organization to export its log."))
        return HttpResponseRedirect(back)
    start, end = year_to_date(timezone.localdate())
    date_from = filters.get("date_from") or start
    date_to = filters.get("date_to") or end
    build = exports.reception_log_xlsx if file_format == "xlsx" else exports.reception_log_docx
    content = build(
        organization=organization, date_from=date_from, date_to=date_to, user=request.user
    )
    content_type = (
        exports.XLSX_CONTENT_TYPE if file_format == "xlsx" else exports.DOCX_CONTENT_TYPE
    )
    response = HttpResponse(content, content_type=content_type)
    filename = exports.reception_log_filename(organization, date_from, date_to, file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class VisitCreateView(ReceptionView):
    """Record a visit: its columns, the people, and the petition(s) it brings."""

    template_name = "reception/staff/visit_form.html"
    page_title = _("Record a visit")
    header_icon = "form"
    parents = (LOG,)

    def _render(self, form: VisitForm, people: Any, parts: Any) -> HttpResponse:
        if form.is_bound:
            nothing_recorded(self.request)
        context = self.get_context_data(
            form=form,
            people=people,
            parts=parts,
            media=form.media,
            recorded=VisitOutcome.RECORDED.value,
            mixed="mixed",
        )
        return self.render_to_response(context)

    def get(self, request: HttpRequest) -> HttpResponse:
        """Show the empty form."""
        organizations = acting_organizations(request.user)
        if not organizations.exists():
            raise PermissionDenied
        return self._render(
            VisitForm(organizations=organizations),
            PersonFormSet(prefix="people"),
            PartFormSet(prefix="parts"),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        """Record the visit, then show its page with what to hand to the citizen."""
        form = VisitForm(request.POST, organizations=acting_organizations(request.user))
        people = PersonFormSet(request.POST, prefix="people")
        parts = PartFormSet(request.POST, prefix="parts")
        if not (form.is_valid() and people.is_valid() and parts.is_valid()):
            return self._render(form, people, parts)
        kwargs = form.service_kwargs()
        try:
            recorded = visits.visit_record(
                actor=request.user,
                people=people_inputs(people),
                parts=part_inputs(parts, kind=kwargs["kind"], outcome=kwargs["outcome"]),
                **kwargs,
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self._render(form, people, parts)
        except ValidationError as error:
            rest = service_errors_to_formset(people, "people", error)
            if rest is not None:
                rest = service_errors_to_formset(parts, "parts", rest)
            if rest is not None:
                if hasattr(rest, "error_dict") and "commune_code" in rest.error_dict:
                    rest.error_dict["commune"] = rest.error_dict.pop("commune_code")
                service_errors_to_form(form, rest)
            return self._render(form, people, parts)
        visit = recorded.visit
        request.session[VISIT_RECEIPT_SESSION_KEY] = {
            "visit": visit.pk,
            "codes": recorded.codes,
            "key": recorded.lookup_key,
            "result_notice_due": (
                recorded.result_notice_due.isoformat() if recorded.result_notice_due else ""
            ),
        }
        messages.success(
            request,
            gettext("Visit recorded under the number %(number)s.")
            % {"number": f"{visit.number}/{visit.year}"},
        )
        return HttpResponseRedirect(reverse("reception_staff:visit", args=[visit.pk]))


class VisitView(ReceptionView):
    """One visit: the 13 columns, its people as the user may see them, and its forms."""

    template_name = "reception/staff/visit.html"
    header_icon = "doc-full"
    parents = (LOG,)

    def get_page_title(self) -> str:
        return gettext("Visit %(number)s") % {"number": f"{self.visit.number}/{self.visit.year}"}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Render the visit."""
        self.visit = _visit_or_404(request.user, pk)
        return self.render_page(request)

    def render_page(
        self, request: HttpRequest, failed: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Render the page; `failed` holds forms to show again with their errors."""
        visit = self.visit
        user = request.user
        failed = failed or {}
        receipt = request.session.get(VISIT_RECEIPT_SESSION_KEY)
        if receipt and receipt.get("visit") == visit.pk:
            request.session.pop(VISIT_RECEIPT_SESSION_KEY)
            due = receipt.get("result_notice_due")
            receipt["result_notice_due"] = datetime.date.fromisoformat(due) if due else None
        else:
            receipt = None
        may_write = visits.may_record_visits(user, visit.organization)
        may_see_people = visits.visit_people_visible_to(user, visit)
        context = self.get_context_data(
            visit=visit,
            receipt=receipt,
            people=visits.visit_people_for(user, visit),
            may_see_people=may_see_people,
            petitions=list(visit.petitions.order_by("pk").only("pk", "code", "kind", "title")),
            receipts=list(visit.receipts.order_by("-issued_at", "-pk")),
            notice_state=visits.refusal_notice_state(visit),
            may_write=may_write,
            follow_up_form=failed.get("follow_up")
            or FollowUpForm(
                initial={"result_follow_up": visit.result_follow_up, "notes": visit.notes}
            ),
            notice_form=failed.get("notice")
            or RefusalNoticeForm(initial={"sent_on": timezone.localdate()}),
            receipt_form=failed.get("receipt") or ReceiptForm(),
            documents=failed.get("documents") or DocumentFormSet(prefix="documents"),
        )
        return self.render_to_response(context)


class VisitStepView(VisitView):
    """The forms of a visit's page: follow-up, refusal notice, receipt."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        """Validate the form, call the service, and go back to the visit."""
        self.visit = _visit_or_404(request.user, pk)
        url = reverse("reception_staff:visit", args=[self.visit.pk])
        handlers = {
            "follow-up": self._follow_up,
            "refusal-notice": self._refusal_notice,
            "receipt": self._receipt,
        }
        if step not in handlers:
            raise Http404
        try:
            response = handlers[step](request)
        except PermissionDenied as error:
            return refused(request, error, url)
        return response or HttpResponseRedirect(url)

    def _invalid(self, request: HttpRequest, **failed: Any) -> HttpResponse:
        nothing_recorded(request)
        return self.render_page(request, failed=failed)

    def _follow_up(self, request: HttpRequest) -> HttpResponse | None:
        form = FollowUpForm(request.POST)
        if not form.is_valid():
            return self._invalid(request, follow_up=form)
        try:
            visits.visit_update_follow_up(
                actor=request.user,
                visit=self.visit,
                result_follow_up=form.cleaned_data["result_follow_up"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._invalid(request, follow_up=form)
        messages.success(request, gettext("The follow-up was recorded."))
        return None

    def _refusal_notice(self, request: HttpRequest) -> HttpResponse | None:
        form = RefusalNoticeForm(request.POST)
        if not form.is_valid():
            return self._invalid(request, notice=form)
        try:
            visits.visit_record_refusal_notice(
                actor=request.user,
                visit=self.visit,
                number=form.cleaned_data["number"],
                sent_on=form.cleaned_data["sent_on"],
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._invalid(request, notice=form)
        messages.success(request, gettext("The refusal notice was recorded."))
        return None

    def _receipt(self, request: HttpRequest) -> HttpResponse | None:
        form = ReceiptForm(request.POST)
        documents = DocumentFormSet(request.POST, prefix="documents")
        if not (form.is_valid() and documents.is_valid()):
            return self._invalid(request, receipt=form, documents=documents)
        try:
            receipt = visits.receipt_issue(
                actor=request.user,
                visit=self.visit,
                handed_over_by=form.cleaned_data["handed_over_by"],
                documents=document_inputs(documents),
            )
        except ValidationError as error:
            rest = service_errors_to_formset(documents, "documents", error)
            if rest is not None:
                service_errors_to_form(form, rest)
            return self._invalid(request, receipt=form, documents=documents)
        messages.success(
            request,
            gettext("Receipt %(number)s issued.")
            % {"number": f"{receipt.number:02d}/{receipt.year}"},
        )
        return HttpResponseRedirect(reverse("reception_staff:receipt", args=[receipt.pk]))


def _receipt_or_404(request: HttpRequest, pk: int) -> Receipt:
    """Return the receipt if the user may see who handed the documents over."""
    from danvan.petitions.views_inbox import has_membership

    if not has_membership(request.user):
        raise PermissionDenied
    receipt = (
        Receipt.objects.select_related(
            "visit__organization__parent",
            "visit__organization__province",
            "visit__organization__commune",
            "received_by",
        )
        .filter(
            pk=pk,
            visit__organization__in=readable_organizations(request.user).values("pk"),
        )
        .first()
    )
    if receipt is None:
        raise Http404(gettext("Nothing you may open has this number."))
    if not visits.visit_people_visible_to(request.user, receipt.visit):
        raise PermissionDenied
    return receipt


def receipt_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the receipt as a printable A4 page (Mẫu 02/TCD)."""
    receipt = _receipt_or_404(request, pk)
    visit = receipt.visit
    organization = visit.organization
    person = next(
        (p for p in visit.people.all() if p.name.strip() == receipt.handed_over_by.strip()),
        None,
    )
    issued = timezone.localtime(receipt.issued_at)
    documents = [item for item in receipt.documents if isinstance(item, dict)]
    copies = {
        "original": "Bản chính",
        "copy": "Bản sao",
        "certified_copy": "Bản sao có chứng thực",
    }
    rows = [
        {
            "title": item.get("title", ""),
            "pages": item.get("pages", ""),
            "copy": copies.get(str(item.get("copy", "")), item.get("copy", "")),
        }
        for item in documents
    ]
    officer = receipt.received_by
    context = {
        "receipt": receipt,
        "visit": visit,
        "organization": organization,
        "parent_name": (
            organization.parent.name
            if organization.parent is not None and organization.kind != "peoples_committee"
            else ""
        ),
        "number_line": exports.receipt_number_line(receipt),
        "date_line": document_date_line(issued.date(), exports.place_name(organization)),
        "time_line": f"{issued:%H} giờ {issued:%M} phút, ngày {issued:%d/%m/%Y}",
        "where": organization.address.strip() or organization.name,
        "officer": f"{officer.last_name} {officer.first_name}".strip() if officer else "",
        "person": person,
        "rows": rows,
        "total_documents": f"{len(rows):02d}",
        "total_pages": f"{sum(r['pages'] for r in rows if isinstance(r['pages'], int)):02d}",
    }
    return render(request, "reception/staff/receipt_print.html", context)


def receipt_word(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the receipt as a Word file (`exports.receipt_docx`)."""
    receipt = _receipt_or_404(request, pk)
    response = HttpResponse(exports.receipt_docx(receipt), content_type=exports.DOCX_CONTENT_TYPE)
    filename = f"giay-bien-nhan-{receipt.number:02d}-{receipt.year}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
