"""Moderating reader feedback in the back-office (`/admin/reader-feedback/`).

The queue counts the feedback in each status, filters by status and
article, shows a page of feedback with the sender's details (for the
editors only) and approves or rejects the ticked ones at once
(`feedback.feedback_approve` / `feedback_reject`, which record who, when
and an audit event). Only users with `portal.change_readerfeedback` may
enter; others who may enter the back-office get a 403 page. A page costs
a fixed number of queries whatever its length.
"""

from typing import Any, Final

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from danvan.portal import feedback
from danvan.portal.forms_readers import RejectForm
from danvan.portal.models import ArticlePage, ReaderFeedback

PAGE_SIZE: Final = 25
#: What a bare queue shows: the feedback awaiting moderation.
DEFAULT_STATUS: Final = ReaderFeedback.Status.PENDING
ALL_STATUSES: Final = "all"


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/moderation/forbidden.html", status=403)


class QueueFilterForm(forms.Form):
    """The queue's filters: status and article."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    article = forms.TypedChoiceField(
        label=_("Article"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field: Any = self.fields["status"]
        status_field.choices = [
            *ReaderFeedback.Status.choices,
            (ALL_STATUSES, _("All")),
        ]
        with_feedback = (
            ArticlePage.objects.filter(
                pk__in=ReaderFeedback.objects.values("article_id").distinct()
            )
            .order_by("title")
            .values_list("pk", "title")
        )
        article_field: Any = self.fields["article"]
        article_field.choices = [("", _("All articles")), *with_feedback]

    def status_value(self) -> str:
        if self.is_valid() and self.cleaned_data["status"]:
            return str(self.cleaned_data["status"])
        return DEFAULT_STATUS

    def article_value(self) -> int | None:
        if self.is_valid():
            return self.cleaned_data["article"]
        return None


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


class QueueView(WagtailAdminTemplateMixin, View):
    """The reader feedback queue: counts, filters, a page of feedback, bulk actions."""

    template_name = "portal/moderation/queue.html"
    page_title = _("Reader feedback")
    header_icon = "comment"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the queue."""
        if not feedback.may_moderate(request.user):
            return _forbidden(request)
        form = QueueFilterForm(request.GET or None)
        status = form.status_value()
        article_id = form.article_value()
        rows = ReaderFeedback.objects.select_related("moderated_by").order_by("created_at", "pk")
        if status != ALL_STATUSES:
            rows = rows.filter(status=status)
        if article_id:
            rows = rows.filter(article_id=article_id)
        rows = rows.select_related("article").only(
            "pk",
            "name",
            "email",
            "phone",
            "address",
            "content",
            "status",
            "created_at",
            "moderated_at",
            "rejection_reason",
            "sender_notified_at",
            "article__id",
            "article__title",
            "moderated_by__username",
            "moderated_by__first_name",
            "moderated_by__last_name",
        )
        page = Paginator(rows, PAGE_SIZE).get_page(_page_number(request))
        query = request.GET.copy()
        query.pop("page", None)
        counts = feedback.counts_by_status()
        context = self.get_context_data(
            form=form,
            page=page,
            status=status,
            counts=[
                {"value": value, "label": label, "count": counts[value]}
                for value, label in ReaderFeedback.Status.choices
            ],
            total=sum(counts.values()),
            query=query.urlencode(),
            reject_form=RejectForm(),
            statuses=ReaderFeedback.Status,
        )
        return self.render_to_response(context)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal_moderation:queue")


def moderate(request: HttpRequest) -> HttpResponse:
    """Approve or reject the ticked feedback (POST), then go back to the queue."""
    if not feedback.may_moderate(request.user):
        return _forbidden(request)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("portal_moderation:queue"))
    ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
    action = request.POST.get("action")
    if not ids:
        messages.error(request, gettext("Tick at least one feedback."))
        return HttpResponseRedirect(_back(request))
    chosen = list(ReaderFeedback.objects.filter(pk__in=ids).only("pk"))
    try:
        if action == "approve":
            count = feedback.feedback_approve(actor=request.user, feedbacks=chosen)
            done = ngettext(
                "%(count)d feedback published.", "%(count)d feedback published.", count
            )
        elif action == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, str(error))
                return HttpResponseRedirect(_back(request))
            count = feedback.feedback_reject(
                actor=request.user, feedbacks=chosen, reason=form.cleaned_data["reason"]
            )
            done = ngettext("%(count)d feedback rejected.", "%(count)d feedback rejected.", count)
        else:
            messages.error(request, gettext("Choose to approve or to reject."))
            return HttpResponseRedirect(_back(request))
    except PermissionDenied:
        return _forbidden(request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(_back(request))
    messages.success(request, done % {"count": count})
    return HttpResponseRedirect(_back(request))
