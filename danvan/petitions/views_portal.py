"""The citizen's petition pages on the portal: file, receipt, look up, rate.

Filing stores the petition (and its documents) before anything is shown;
the code and the key then travel in the session to the receipt page, which
shows them once (Post/Redirect/Get, the key never in a URL). A hidden
one-time token makes a double submit file one petition
(`services.petition_receive_idempotent`). The lookup takes the code and the
key by POST; a wrong key answers exactly like an unknown code. No page here
shows who sent a petition.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from danvan.core.formats import page_date_line
from danvan.petitions import selectors, services
from danvan.petitions.forms_portal import (
    FIELD_OF_SERVICE_ERROR,
    KIND_GUIDES,
    LookupForm,
    PetitionFilingForm,
    RatingForm,
    form_token_new,
    request_hash,
)
from danvan.petitions.models import Channel, Petition
from danvan.petitions.ratings import petition_can_be_rated, petition_rate
from danvan.petitions.throttle import intake_limited
from danvan.petitions.workflow import Action, PetitionKind, Status

#: The session entry that carries the code and key to the receipt, once.
SESSION_FILED = "petitions.portal.filed"
TOKEN_PREFIX = "portal:"  # noqa: S105 (a prefix of idempotency keys)
NOT_FOUND_MESSAGE = _("No petition matches this code and lookup key.")

#: What each status means for the citizen, in plain words.
STATUS_HELP: dict[str, Any] = {
    Status.RECEIVED: _("Your petition has been received and will be examined."),
    Status.AWAITING_INFORMATION: _(
        "The authority needs more information from you; check your email or phone."
    ),
    Status.CLASSIFIED: _("Your petition has been examined and sent to the right officer."),
    Status.ACCEPTED: _("The competent authority has accepted to handle your petition."),
    Status.VERIFYING: _("The authority is checking the facts."),
    Status.DIALOGUE: _("The authority is holding a dialogue with the people concerned."),
    Status.SUSPENDED: _("Handling is paused for a reason given in the history below."),
    Status.DECIDED: _("The authority has decided; the answer is below."),
    Status.NOTIFIED: _("The answer has been sent to you; it is below."),
    Status.CLOSED: _("Handling is finished. You can rate the answer below."),
    Status.TRANSFERRED: _(
        "Your petition was sent to the competent authority, under the same code."
    ),
    Status.GUIDED: _("The authority told you which body to send it to."),
    Status.FILED: _("Your petition was filed without handling; the reason is below."),
    Status.WITHDRAWN: _("You withdrew your petition."),
    Status.APPEALED: _("Your complaint is being handled at the second instance."),
}

_ANSWER_ACTIONS = frozenset({Action.DECIDE, Action.NOTIFY})


def _date_line(day: Any) -> str:
    return page_date_line(day, get_language() or "vi") if day else ""


def _receive(form: PetitionFilingForm, request: HttpRequest) -> services.ReceivedPetition:
    data = form.cleaned_data
    petitioners = []
    if not data["is_anonymous"]:
        petitioners.append(
            services.PetitionerInput(
                name=data["name"],
                identity_number=data["identity_number"],
                phone=data["phone"],
                email=data["email"],
                address=data["petitioner_address"],
                protection_waived=data["protection_waived"],
            )
        )
    received = services.petition_receive(
        kind=PetitionKind(data["kind"]),
        channel=Channel.PORTAL,
        title=data["title"],
        content=data["content"],
        commune_code=data["commune"],
        petitioners=petitioners,
        address=data["address"],
        people_count=data["people_count"],
        is_signed=data["is_signed"],
        is_anonymous=data["is_anonymous"],
        field=data["field"],
        category=data["category"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        actor=request.user,
        attachments=form.files_list(),
    )
    if data.get("publish_consent"):
        # In the transaction of the intake (`petition_receive_idempotent`).
        Petition.objects.filter(code=received.code).update(publish_consent=True)
    return received


def _render_file(
    request: HttpRequest, form: PetitionFilingForm, status: int = 200
) -> HttpResponse:
    chosen = str(form["kind"].value() or "")
    return render(
        request,
        "petitions/portal/file.html",
        {"form": form, "guides": KIND_GUIDES, "chosen_kind": chosen},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def petition_file(request: HttpRequest) -> HttpResponse:
    """Show the filing form, or store a petition and send the citizen to the receipt."""
    if request.method != "POST":
        return _render_file(request, PetitionFilingForm())
    if request.POST.get("action") == "choose_province":
        # Without JavaScript: show the communes of the chosen province, keep the rest.
        return _render_file(request, PetitionFilingForm(initial=request.POST.dict()))
    if intake_limited(request):
        form = PetitionFilingForm(initial=request.POST.dict())
        form.limited = True  # type: ignore[attr-defined]
        return _render_file(request, form, status=429)
    form = PetitionFilingForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_file(request, form)
    token = form.cleaned_data["form_token"]
    try:
        received, _replayed = services.petition_receive_idempotent(
            idempotency_key=TOKEN_PREFIX + token,
            request_hash=request_hash(request.POST, request.FILES),
            receive=lambda: _receive(form, request),
        )
    except ValidationError as error:
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(FIELD_OF_SERVICE_ERROR.get(field), message)
        return _render_file(request, form)
    except services.IdempotencyKeyReused:
        fresh = PetitionFilingForm(initial={**request.POST.dict(), "form_token": form_token_new()})
        fresh.already_sent = True  # type: ignore[attr-defined]
        return _render_file(request, fresh)
    request.session[SESSION_FILED] = {
        "code": received.code,
        "key": received.lookup_key,
        "expected": (
            received.expected_response_by.isoformat() if received.expected_response_by else ""
        ),
        "emailed": bool(form.cleaned_data.get("email")),
        # A denouncer's receipt email leaves the key out (notifications.py).
        "key_emailed": form.cleaned_data.get("kind") != PetitionKind.DENUNCIATION,
    }
    return redirect("petitions_portal:filed")


@never_cache
def petition_filed(request: HttpRequest) -> HttpResponse:
    """Show the code and the key of the petition just filed, this once."""
    filed = request.session.pop(SESSION_FILED, None)
    context: dict[str, Any] = {"filed": filed}
    if filed:
        expected = filed.get("expected")
        context["expected_line"] = (
            _date_line(datetime.date.fromisoformat(expected)) if expected else ""
        )
    return render(request, "petitions/portal/filed.html", context)


def _history(petition: Petition) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    steps: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    for event in selectors.petition_public_history(petition):
        data = event.data or {}
        step = {
            "occurred_at": event.occurred_at,
            "action": Action(event.action).label,
            "status": Status(event.to_status).label,
            "organization": data.get("to_organization_name") or data.get("routed_to_name") or "",
            "note": event.note,
        }
        steps.append(step)
        if event.action in _ANSWER_ACTIONS and event.note:
            answers.append(step)
    return steps, answers


def _result_context(petition: Petition, rating_form: RatingForm | None = None) -> dict[str, Any]:
    steps, answers = _history(petition)
    status = Status(petition.status)
    can_rate = petition_can_be_rated(petition)
    if can_rate and rating_form is None:
        rating_form = RatingForm(initial={"code": petition.code})
    return {
        "petition": petition,
        "kind_label": PetitionKind(petition.kind).label,
        "status_label": status.label,
        "status_help": STATUS_HELP.get(status, ""),
        "organization": petition.organization.name if petition.organization else "",
        "received_line": _date_line(petition.received_at.date()),
        "expected_line": _date_line(petition.expected_response_by),
        "steps": steps,
        "answers": answers,
        # A form passed in carries errors to show, even once rating is refused.
        "rating_form": rating_form,
    }


def _lookup_page(
    request: HttpRequest, form: LookupForm, extra: dict[str, Any] | None = None
) -> HttpResponse:
    return render(request, "petitions/portal/lookup.html", {"form": form, **(extra or {})})


def _find(code: str, key: str) -> Petition | None:
    petition = selectors.petition_get_for_citizen(code=code, key=key)
    if petition is None:
        return None
    return Petition.objects.select_related("organization").get(pk=petition.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def petition_lookup(request: HttpRequest) -> HttpResponse:
    """Ask for the code and the key; show the petition's status, history and answer."""
    if request.method != "POST":
        return _lookup_page(request, LookupForm())
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, form)
    petition = _find(form.cleaned_data["code"], form.cleaned_data["key"])
    if petition is None:
        form.add_error(None, str(NOT_FOUND_MESSAGE))
        return _lookup_page(request, form)
    return _lookup_page(
        request, LookupForm(initial={"code": petition.code}), _result_context(petition)
    )


@never_cache
@require_POST
def petition_rating(request: HttpRequest) -> HttpResponse:
    """Record the citizen's rating of a closed petition (the key is asked again)."""
    form = RatingForm(request.POST)
    code = str(request.POST.get("code", "")).strip().upper()
    key = str(request.POST.get("key", "")).strip()
    petition = _find(code, key) if code and key else None
    if petition is None:
        lookup = LookupForm(initial={"code": code})
        return _lookup_page(request, lookup, {"not_found": True, "message": NOT_FOUND_MESSAGE})
    if not form.is_valid():
        return _lookup_page(
            request, LookupForm(initial={"code": petition.code}), _result_context(petition, form)
        )
    try:
        petition_rate(
            petition=petition,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            reopen_requested=form.cleaned_data["reopen_requested"],
        )
    except ValidationError as error:
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
        return _lookup_page(
            request, LookupForm(initial={"code": petition.code}), _result_context(petition, form)
        )
    messages.success(request, gettext("Thank you: your rating was recorded."))
    return HttpResponseRedirect(reverse("petitions_portal:lookup"))
