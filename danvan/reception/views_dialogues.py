"""Dialogues and their commitments in the back-office.

The list of dialogues, planning one (`dialogues.dialogue_plan`; a dialogue
in resolving a complaint names the complaint by its code), a dialogue's
page with its notice, its minutes ("record as held": participants, issues,
conclusion, commitments) and their Word file, cancelling it; the list of
commitments and the follow-up of one (`dialogues.commitment_update`).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.reception import dialogues, exports
from danvan.reception.forms_dialogues import (
    CancelForm,
    CommitmentFilterForm,
    CommitmentFormSet,
    CommitmentUpdateForm,
    DialogueFilterForm,
    DialoguePlanForm,
    IssueFormSet,
    MinutesForm,
    NoticeForm,
    ParticipantFormSet,
    commitment_owners,
    held_inputs,
)
from danvan.reception.models import Commitment, CommitmentStatus, Dialogue, DialogueStatus
from danvan.reception.views_common import (
    ReceptionView,
    acting_organizations,
    nothing_recorded,
    object_or_404,
    page_number,
    page_of,
    query_without_page,
    readable_organizations,
    refused,
    service_errors_to_form,
    service_errors_to_formset,
)

DIALOGUES = ("reception_staff:dialogues", _("Dialogues"))
COMMITMENTS = ("reception_staff:commitments", _("Commitments"))


def _dialogue_or_404(user: Any, pk: int) -> Dialogue:
    return object_or_404(
        Dialogue.objects.select_related("organization", "petition", "fatherland_front"),
        user,
        pk,
        "organization",
    )


class DialogueListView(ReceptionView):
    """The dialogues of the bodies the user reads, filtered and paged."""

    template_name = "reception/staff/dialogues.html"
    page_title = _("Dialogues")
    header_icon = "group"

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the list."""
        organizations = readable_organizations(request.user)
        form = DialogueFilterForm(request.GET or None, organizations=organizations)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = Dialogue.objects.filter(organization__in=organizations.values("pk"))
        if data.get("organization"):
            rows = rows.filter(organization=data["organization"])
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("status"):
            rows = rows.filter(status=data["status"])
        if data.get("year"):
            rows = rows.filter(date__year=data["year"])
        rows = rows.select_related("organization", "petition").order_by("-date", "-pk")
        page = page_of(rows, number=page_number(request))
        context = self.get_context_data(
            form=form,
            page=page,
            query=query_without_page(request),
            may_plan=acting_organizations(request.user).exists(),
        )
        return self.render_to_response(context)


class DialoguePlanView(ReceptionView):
    """Plan a dialogue."""

    template_name = "reception/staff/dialogue_form.html"
    page_title = _("Plan a dialogue")
    header_icon = "group"
    parents = (DIALOGUES,)

    def _render(self, form: DialoguePlanForm) -> HttpResponse:
        if form.is_bound:
            nothing_recorded(self.request)
        return self.render_to_response(self.get_context_data(form=form))

    def _form(self, request: HttpRequest, data: Any = None) -> DialoguePlanForm:
        initial = {}
        code = request.GET.get("petition", "")
        if code:
            initial = {"kind": "complaint", "petition": code}
        return DialoguePlanForm(
            data,
            initial=initial,
            user=request.user,
            organizations=acting_organizations(request.user),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        """Show the empty form."""
        if not acting_organizations(request.user).exists():
            raise PermissionDenied
        return self._render(self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        """Plan the dialogue and open it."""
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            dialogue = dialogues.dialogue_plan(actor=request.user, **form.service_kwargs())
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self._render(form)
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._render(form)
        messages.success(
            request,
            gettext("Dialogue planned for %(date)s.") % {"date": f"{dialogue.date:%d/%m/%Y}"},
        )
        return HttpResponseRedirect(reverse("reception_staff:dialogue", args=[dialogue.pk]))


class DialogueView(ReceptionView):
    """One dialogue: notice, minutes, commitments, and the steps open on it."""

    template_name = "reception/staff/dialogue.html"
    header_icon = "group"
    parents = (DIALOGUES,)

    def get_page_title(self) -> str:
        return str(self.dialogue.subject)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Render the dialogue."""
        self.dialogue = _dialogue_or_404(request.user, pk)
        return self.render_page(request)

    def render_page(
        self, request: HttpRequest, failed: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Render the page; `failed` holds forms to show again with their errors."""
        dialogue = self.dialogue
        failed = failed or {}
        planned = dialogue.status == DialogueStatus.PLANNED
        may_organize = (
            acting_organizations(request.user).filter(pk=dialogue.organization_id).exists()
        )
        owners = commitment_owners(dialogue.organization)
        context: dict[str, Any] = self.get_context_data(
            dialogue=dialogue,
            notice_due=dialogues.dialogue_notice_due(dialogue),
            notice_late=dialogues.dialogue_notice_late(dialogue),
            participants=list(dialogue.participants.all()),
            issues=list(dialogue.issues.all()),
            commitments=list(dialogue.commitments.select_related("owner", "issue")),
            may_act=planned and may_organize,
            today=timezone.localdate(),
        )
        if context["may_act"]:
            context.update(
                notice_form=failed.get("notice")
                or NoticeForm(
                    initial={
                        "notice_number": dialogue.notice_number,
                        "notice_sent_on": dialogue.notice_sent_on,
                    },
                    prefix="notice",
                ),
                cancel_form=failed.get("cancel") or CancelForm(prefix="cancel"),
                participant_forms=failed.get("participants")
                or ParticipantFormSet(prefix="participants"),
                issue_forms=failed.get("issues") or IssueFormSet(prefix="issues"),
                commitment_forms=failed.get("commitments")
                or CommitmentFormSet(prefix="commitments", form_kwargs={"owners": owners}),
                minutes_form=failed.get("minutes") or MinutesForm(prefix="held"),
            )
        return self.render_to_response(context)


class DialogueStepView(DialogueView):
    """Record the notice, record the dialogue as held, or cancel it."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        """Validate the step's forms, call the service, and go back to the dialogue."""
        self.dialogue = _dialogue_or_404(request.user, pk)
        url = reverse("reception_staff:dialogue", args=[self.dialogue.pk])
        handlers = {"notice": self._notice, "held": self._held, "cancel": self._cancel}
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

    def _notice(self, request: HttpRequest) -> HttpResponse | None:
        form = NoticeForm(request.POST, prefix="notice")
        if not form.is_valid():
            return self._invalid(request, notice=form)
        try:
            dialogue = dialogues.dialogue_send_notice(
                actor=request.user,
                dialogue=self.dialogue,
                number=form.cleaned_data["notice_number"],
                sent_on=form.cleaned_data["notice_sent_on"],
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._invalid(request, notice=form)
        if dialogues.dialogue_notice_late(dialogue):
            messages.warning(
                request,
                gettext("The notice was recorded; it was sent after %(date)s, which is late.")
                % {"date": f"{dialogues.dialogue_notice_due(dialogue):%d/%m/%Y}"},
            )
        else:
            messages.success(request, gettext("The notice was recorded."))
        return None

    def _held(self, request: HttpRequest) -> HttpResponse | None:
        owners = commitment_owners(self.dialogue.organization)
        participants = ParticipantFormSet(request.POST, prefix="participants")
        issues = IssueFormSet(request.POST, prefix="issues")
        commitments = CommitmentFormSet(
            request.POST, prefix="commitments", form_kwargs={"owners": owners}
        )
        minutes = MinutesForm(request.POST, prefix="held")
        failed = {
            "minutes": minutes,
            "participants": participants,
            "issues": issues,
            "commitments": commitments,
        }
        valid = [form.is_valid() for form in (minutes, participants, issues, commitments)]
        if not all(valid):
            return self._invalid(request, **failed)
        people, raised, promised = held_inputs(participants, issues, commitments)
        try:
            dialogues.dialogue_record_held(
                actor=request.user,
                dialogue=self.dialogue,
                participants=people,
                issues=raised,
                minutes_summary=minutes.cleaned_data["minutes_summary"],
                commitments=promised,
            )
        except ValidationError as error:
            rest: ValidationError | None = error
            for formset, prefix in (
                (participants, "participants"),
                (issues, "issues"),
                (commitments, "commitments"),
            ):
                if rest is not None:
                    rest = service_errors_to_formset(formset, prefix, rest)
            if rest is not None:
                service_errors_to_form(minutes, rest)
            return self._invalid(request, **failed)
        messages.success(request, gettext("The dialogue was recorded as held."))
        return None

    def _cancel(self, request: HttpRequest) -> HttpResponse | None:
        form = CancelForm(request.POST, prefix="cancel")
        if not form.is_valid():
            return self._invalid(request, cancel=form)
        try:
            dialogues.dialogue_cancel(
                actor=request.user, dialogue=self.dialogue, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._invalid(request, cancel=form)
        messages.success(request, gettext("The dialogue was cancelled."))
        return None


def dialogue_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the minutes of a dialogue as a Word file."""
    from danvan.petitions.views_inbox import has_membership

    if not has_membership(request.user):
        raise PermissionDenied
    dialogue = _dialogue_or_404(request.user, pk)
    response = HttpResponse(
        exports.dialogue_minutes_docx(dialogue, request.user),
        content_type=exports.DOCX_CONTENT_TYPE,
    )
    filename = f"bien-ban-doi-thoai-{dialogue.date:%Y%m%d}-{dialogue.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _commitments_visible_to(user: Any) -> QuerySet[Commitment]:
    """Commitments owned by, or made in a dialogue of, a body the user reads."""
    readable = readable_organizations(user).values("pk")
    return Commitment.objects.filter(
        Q(owner__in=readable) | Q(dialogue__organization__in=readable)
    )


class CommitmentListView(ReceptionView):
    """The commitments the user follows, filtered and paged."""

    template_name = "reception/staff/commitments.html"
    page_title = _("Commitments")
    header_icon = "tasks"
    parents = (DIALOGUES,)

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the list."""
        organizations = readable_organizations(request.user)
        form = CommitmentFilterForm(request.GET or None, organizations=organizations)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        today = timezone.localdate()
        rows = _commitments_visible_to(request.user)
        if data.get("owner"):
            rows = rows.filter(owner=data["owner"])
        if data.get("status"):
            rows = rows.filter(status=data["status"])
        if data.get("overdue"):
            rows = rows.filter(status=CommitmentStatus.OPEN, due_on__lt=today)
        rows = rows.select_related("owner", "dialogue").order_by("due_on", "pk")
        page = page_of(rows, number=page_number(request))
        context = self.get_context_data(
            form=form, page=page, query=query_without_page(request), today=today
        )
        return self.render_to_response(context)


class CommitmentView(ReceptionView):
    """One commitment, its follow-up, and the form to record the next step."""

    template_name = "reception/staff/commitment.html"
    header_icon = "tasks"
    parents = (DIALOGUES, COMMITMENTS)

    def get_page_title(self) -> str:
        return gettext("Commitment of the dialogue of %(date)s") % {
            "date": f"{self.commitment.dialogue.date:%d/%m/%Y}"
        }

    def _get(self, request: HttpRequest, pk: int) -> Commitment:
        commitment = (
            _commitments_visible_to(request.user)
            .select_related("owner", "dialogue__organization", "issue")
            .filter(pk=pk)
            .first()
        )
        if commitment is None:
            raise Http404(gettext("Nothing you may open has this number."))
        return commitment

    def _render(self, request: HttpRequest, form: CommitmentUpdateForm) -> HttpResponse:
        commitment = self.commitment
        may_follow = (
            acting_organizations(request.user)
            .filter(pk__in=[commitment.owner_id, commitment.dialogue.organization_id])
            .exists()
        )
        context = self.get_context_data(
            commitment=commitment,
            updates=list(commitment.updates.select_related("actor")),
            form=form if may_follow else None,
            today=timezone.localdate(),
        )
        return self.render_to_response(context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Render the commitment."""
        self.commitment = self._get(request, pk)
        return self._render(request, CommitmentUpdateForm(initial={"status": "done"}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Record one step of the follow-up."""
        self.commitment = self._get(request, pk)
        url = reverse("reception_staff:commitment", args=[self.commitment.pk])
        form = CommitmentUpdateForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        try:
            dialogues.commitment_update(
                actor=request.user, commitment=self.commitment, **form.service_kwargs()
            )
        except PermissionDenied as error:
            return refused(request, error, url)
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._render(request, form)
        messages.success(request, gettext("The follow-up was recorded."))
        return HttpResponseRedirect(url)
