"""The case page of the staff workspace, and the steps taken from it.

The page offers one form per step `handling.actions_available` allows the
user now, and nothing else; each posts to `step`, which calls
`handling.petition_perform`, the one entry point for staff steps. A refused
step (not allowed now, not for this user) becomes a message, never an error
page. Petitioners are shown through `confidentiality.petitioners_for_viewer`,
which redacts a protected denouncer and records every view of an identity.
"""

import contextlib
import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from danvan.petitions import classification, handling, workflow
from danvan.petitions.actions import allowed_extensions
from danvan.petitions.confidentiality import attachments_for_viewer, petitioners_for_viewer
from danvan.petitions.forms_staff import STEP_LABELS, StepForm, step_form
from danvan.petitions.limits import LOCAL_LIMIT_RULE, RECEIPT_RULES, local_limit_for
from danvan.petitions.models import Petition
from danvan.petitions.rules import ClockRule, RuleLookupError, rules_in_force
from danvan.petitions.selectors import petition_get_for_staff, petitions_visible_to
from danvan.petitions.views_inbox import due_state_of
from danvan.petitions.workflow import PetitionKind

#: The session key holding the code and key of a petition just received,
#: shown once on its case page.
RECEIPT_SESSION_KEY = "petitions_staff_receipt"


@dataclass(frozen=True, slots=True)
class Clock:
    """The clock of the case as the page shows it."""

    rule: ClockRule | None
    due: datetime.date | None
    state: str
    extensions: int
    max_extensions: int


def petition_or_404(user: Any, code: str) -> Petition:
    """Return the petition `code` if `user` may open it; else raise Http404."""
    petition = petition_get_for_staff(user, code)
    if petition is None:
        raise Http404(gettext("No petition you may open has this code."))
    return petition


def case_clock(petition: Petition, today: datetime.date) -> Clock:
    """Return the running clock: the resolution rule once accepted, else the receipt rule."""
    if petition.clock_rule_code and petition.clock_started_on:
        code, start = petition.clock_rule_code, petition.clock_started_on
    else:
        code = RECEIPT_RULES[PetitionKind(petition.kind)]
        start = timezone.localdate(petition.received_at)
    override = None
    if code == LOCAL_LIMIT_RULE:
        override = local_limit_for(petition.organization, petition.category, start)
    try:
        rule: ClockRule | None = rules_in_force(code, start, override=override)
    except RuleLookupError:
        rule = None
    max_extensions = rule.max_extensions if rule else 0
    if rule is not None and petition.clock_rule_code:
        # What this case may have (once if complex, twice if especially
        # complex), not the most the rule allows any case.
        with contextlib.suppress(RuleLookupError):
            max_extensions = allowed_extensions(petition, petition.clock_rule_code)
    return Clock(
        rule=rule,
        due=petition.expected_response_by,
        state=due_state_of(petition, today),
        extensions=petition.extensions,
        max_extensions=max_extensions,
    )


def _attachment_url(code: str, pk: int) -> str | None:
    try:
        return reverse("petition_attachment", args=[code, pk])
    except NoReverseMatch:
        # The protected download view is not wired yet: list without a link.
        return None


def _linked(user: Any, petition: Petition) -> dict[str, list[Petition]]:
    visible = petitions_visible_to(user).order_by("received_at", "pk")
    linked: dict[str, list[Petition]] = {
        "parent": list(visible.filter(pk=petition.parent_id)) if petition.parent_id else [],
        "parts": list(visible.filter(parent=petition)),
        "original": (
            list(visible.filter(pk=petition.duplicate_of_id)) if petition.duplicate_of_id else []
        ),
        "duplicates": list(visible.filter(duplicate_of=petition)),
        "candidates": list(
            visible.filter(pk__in=classification.duplicate_candidates(petition).values("pk"))
        ),
        "group": (
            list(visible.filter(group_id=petition.group_id).exclude(pk=petition.pk))
            if petition.group_id
            else []
        ),
    }
    return linked


class CaseView(WagtailAdminTemplateMixin, View):
    """One petition, as the staff member may see it, with the steps they may take."""

    template_name = "petitions/staff/case.html"
    header_icon = "doc-full"

    def get_page_title(self) -> str:
        return gettext("Petition %(code)s") % {"code": self.petition.code}

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("petitions_staff:inbox"), "label": gettext("Petitions")},
            {"url": "", "label": self.petition.code},
        ]

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        """Render the case page."""
        self.petition = petition_or_404(request.user, code)
        return self.render_case(request)

    def render_case(
        self, request: HttpRequest, failed: StepForm | None = None, status: int = 200
    ) -> HttpResponse:
        """Render the page; `failed` replaces the form of its step, with its errors."""
        petition = self.petition
        user = request.user
        today = timezone.localdate()
        forms = []
        for action in handling.actions_available(user, petition):
            if failed is not None and failed.action == action:
                forms.append(failed)
            else:
                forms.append(step_form(action, petition=petition, user=user))
        suggestions = [
            (reason.label, classification.REASON_BASIS[reason])
            for reason in classification.ineligibility_suggestions(petition)
        ]
        attachments = [
            (attachment, _attachment_url(petition.code, attachment.pk))
            for attachment in attachments_for_viewer(user, petition)
        ]
        context = self.get_context_data(
            petition=petition,
            receipt=request.session.pop(RECEIPT_SESSION_KEY, None),
            petitioners=petitioners_for_viewer(user=user, petition=petition, where="case_page"),
            clock=case_clock(petition, today),
            is_open=not workflow.is_terminal(workflow.Status(petition.status)),
            events=petition.events.select_related("actor").order_by("occurred_at", "pk"),
            attachments=attachments,
            linked=_linked(user, petition),
            suggestions=suggestions,
            ratings=petition.ratings.order_by("created_at", "pk"),
            step_forms=forms,
            publish_form=getattr(self, "publish_form", None) or _publish_form(user, petition),
        )
        return self.render_to_response(context, status=status)


def _publish_form(user: Any, petition: Petition) -> Any:
    from danvan.petitions.views_publish import publish_form_for  # it imports this module

    return publish_form_for(user, petition)


def _attach_errors(form: StepForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            target = name if name in form.fields else None
            for message in messages_:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class StepView(CaseView):
    """Take one step on the petition through `handling.petition_perform`."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str, action: str) -> HttpResponse:
        """Validate the step's form, perform it, and go back to the case page."""
        self.petition = petition_or_404(request.user, code)
        case_url = reverse("petitions_staff:case", args=[self.petition.code])
        if action not in handling.actions_available(request.user, self.petition):
            messages.error(
                request,
                gettext("The step “%(step)s” is not available to you on this petition now.")
                % {"step": STEP_LABELS.get(action, action)},
            )
            return HttpResponseRedirect(case_url)
        form = step_form(action, petition=self.petition, user=request.user, data=request.POST)
        if not form.is_valid():
            messages.error(request, gettext("The step was not taken: correct the errors below."))
            return self.render_case(request, failed=form)
        try:
            # One transaction for the step: the services lock the petition
            # row (SELECT ... FOR UPDATE), which PostgreSQL allows only inside
            # one, and a refused step leaves nothing behind.
            with transaction.atomic():
                handling.petition_perform(
                    petition=self.petition,
                    actor=request.user,
                    action=action,
                    **form.perform_kwargs(),
                )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(case_url)
        except workflow.InvalidTransition as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(case_url)
        except ValidationError as error:
            _attach_errors(form, error)
            messages.error(request, gettext("The step was not taken: correct the errors below."))
            return self.render_case(request, failed=form)
        messages.success(
            request,
            gettext("Step taken: %(step)s.") % {"step": form.step_label()},
        )
        if petition_get_for_staff(request.user, self.petition.code) is None:
            # Transferred out of the user's reach: back to the inbox.
            return HttpResponseRedirect(reverse("petitions_staff:inbox"))
        return HttpResponseRedirect(case_url)
