"""Publishing an answer on the portal, from the staff case page (decision 0013).

The case page shows the form when the petition is a resolved feedback or
recommendation whose sender agreed (`publication.petition_publishable`) and
the user may act on it (`handling.may_act`): the handler writes the title,
the question and the answer as the portal will show them, without personal
data, and publishes them, or takes them off again.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.petitions import handling, publication
from danvan.petitions.models import Petition
from danvan.petitions.views_case import CaseView, petition_or_404
from danvan.petitions.workflow import Action


class PublishForm(forms.Form):
    """The text of a public answer, as the portal will show it."""

    public_title = forms.CharField(label=_("Public title"), max_length=300)
    public_question = forms.CharField(
        label=_("Question, without personal data"),
        max_length=publication.QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Rewrite the question in a few sentences: no names, addresses, phone numbers or "
            "anything that identifies the sender or another person."
        ),
    )
    public_answer = forms.CharField(
        label=_("Answer, as published"),
        max_length=publication.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


def _last_answer(petition: Petition) -> str:
    event = (
        petition.events.filter(
            is_public=True, action__in=[Action.DECIDE, Action.NOTIFY], note__gt=""
        )
        .order_by("-occurred_at", "-pk")
        .first()
    )
    return event.note if event is not None else ""


def publish_form_for(user: Any, petition: Petition) -> PublishForm | None:
    """Return the publication form for the case page, or None when it does not apply."""
    if not publication.petition_publishable(petition) or not handling.may_act(user, petition):
        return None
    return PublishForm(
        initial={
            "public_title": petition.public_title or petition.title,
            "public_question": petition.public_question,
            "public_answer": petition.public_answer or _last_answer(petition),
        }
    )


class PublishView(CaseView):
    """Publish (or take off) the public answer of a petition."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        """Validate and publish, or unpublish with `unpublish` in the POST."""
        self.petition = petition_or_404(request.user, code)
        case_url = reverse("petitions_staff:case", args=[self.petition.code])
        if not handling.may_act(request.user, self.petition):
            messages.error(request, gettext("You may not publish the answer of this petition."))
            return HttpResponseRedirect(case_url)
        if "unpublish" in request.POST:
            publication.petition_unpublish(petition=self.petition, actor=request.user)
            messages.success(request, gettext("The answer was taken off the portal."))
            return HttpResponseRedirect(case_url)
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                publication.petition_publish(
                    petition=self.petition,
                    title=form.cleaned_data["public_title"],
                    question=form.cleaned_data["public_question"],
                    answer=form.cleaned_data["public_answer"],
                    actor=request.user,
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(request, gettext("The answer is published on the portal."))
                return HttpResponseRedirect(case_url)
        messages.error(request, gettext("The answer was not published: correct the errors below."))
        self.publish_form = form
        return self.render_case(request)
