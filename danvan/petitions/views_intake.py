"""Staff intake: a petition received on a citizen's behalf ("Nhận đơn").

Officers who act for a body (reception officers, handlers, heads) enter a
petition that came in person, on paper, by phone, email or the hotline.
One part goes through `petition_receive`, several through
`petition_receive_mixed`. The code and the lookup key are shown once, on
the case page the officer is sent to, to be handed to the citizen.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from danvan.petitions import services
from danvan.petitions.forms_staff import IntakeForm, PartFormSet, PetitionerFormSet
from danvan.petitions.handling import ACTING_ROLES
from danvan.petitions.models import Channel, Petition
from danvan.petitions.selectors import petition_get_for_staff
from danvan.petitions.views_case import RECEIPT_SESSION_KEY
from danvan.petitions.views_inbox import roles_today
from danvan.petitions.workflow import PetitionKind


def may_receive(user: Any) -> bool:
    """Tell whether `user` may enter petitions (an acting role somewhere)."""
    if user.is_superuser:
        return True
    return bool(roles_today(user) & {role.value for role in ACTING_ROLES})


class IntakeView(WagtailAdminTemplateMixin, View):
    """Enter a petition received at the desk, by phone, post or email."""

    template_name = "petitions/staff/intake.html"
    page_title = _("Receive a petition")
    header_icon = "form"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("petitions_staff:inbox"), "label": _("Petitions")},
            {"url": "", "label": self.get_page_title()},
        ]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_receive(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _render(
        self, form: IntakeForm, parts: Any, people: Any, status: int = 200
    ) -> HttpResponse:
        context = self.get_context_data(
            form=form,
            parts=parts,
            people=people,
            attachments_enabled=True,
        )
        return self.render_to_response(context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        """Show the empty form."""
        return self._render(
            IntakeForm(user=request.user),
            PartFormSet(prefix="parts"),
            PetitionerFormSet(prefix="people"),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        """Store the petition, then show its case page with the code and the key."""
        form = IntakeForm(request.POST, user=request.user)
        parts = PartFormSet(request.POST, prefix="parts")
        people = PetitionerFormSet(request.POST, prefix="people")
        if not (form.is_valid() and parts.is_valid() and people.is_valid()):
            return self._render(form, parts, people)
        files = request.FILES.getlist("attachments")
        try:
            # Petition and attachments are stored in one transaction by the service.
            received = self._receive(form.cleaned_data, parts, people, files)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self._render(form, parts, people)
        receipt = {"codes": [item.code for item in received], "key": received[0].lookup_key}
        messages.success(
            request,
            gettext("Petition received under the code %(code)s.") % {"code": received[0].code},
        )
        if petition_get_for_staff(request.user, received[0].code) is None:
            # Filed with a body the officer does not read: the receipt only.
            holder = Petition.objects.select_related("organization").get(code=received[0].code)
            context = self.get_context_data(receipt=receipt, petition=holder)
            return TemplateResponse(request, "petitions/staff/intake_receipt.html", context)
        request.session[RECEIPT_SESSION_KEY] = receipt
        return HttpResponseRedirect(reverse("petitions_staff:case", args=[received[0].code]))

    def _receive(
        self, data: dict[str, Any], parts: Any, people: Any, files: list[Any]
    ) -> list[Any]:
        petitioners = [
            services.PetitionerInput(**person)
            for person in people.cleaned_data
            if person and person.get("name")
        ]
        chosen = [part for part in parts.cleaned_data if part and part.get("title")]
        common: dict[str, Any] = {
            "channel": Channel(data["channel"]),
            "commune_code": data["commune"].code,
            "petitioners": petitioners,
            "address": data.get("address", ""),
            "people_count": data["people_count"],
            "is_signed": bool(data.get("is_signed")),
            "is_anonymous": bool(data.get("is_anonymous")),
            "actor": self.request.user,
            "attachments": files,
            "organization": data["organization"],
        }
        if len(chosen) == 1:
            part = chosen[0]
            return [
                services.petition_receive(
                    kind=PetitionKind(part["kind"]),
                    title=part["title"],
                    content=part["content"],
                    category=part.get("category", ""),
                    **common,
                )
            ]
        return services.petition_receive_mixed(
            parts=[
                services.PetitionPart(
                    kind=PetitionKind(part["kind"]),
                    title=part["title"],
                    content=part["content"],
                    category=part.get("category", ""),
                )
                for part in chosen
            ],
            **common,
        )
