"""Communities (clubhouses, self-managed groups) and campaigns in the back-office.

The registry of communities with its filters and search, registering one,
a community's page with its members, meetings and activities (and the
models it is); the list of campaigns and launching one.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.text import fold
from danvan.movements import campaigns, communities, permissions
from danvan.movements.forms import CampaignForm, CommunityForm, EventForm, MemberForm
from danvan.movements.models import Campaign, CommunityKind
from danvan.movements.views_common import MovementView, get_or_404, readable_communities
from danvan.reception.forms import ANY
from danvan.reception.views_common import (
    nothing_recorded,
    page_number,
    page_of,
    query_without_page,
    service_errors_to_form,
)

COMMUNITIES = ("movements_staff:communities", _("Communities"))
CAMPAIGNS = ("movements_staff:campaigns", _("Campaigns"))


class CommunityFilterForm(forms.Form):
    """The filters of the registry."""

    q = forms.CharField(label=_("search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[ANY, *CommunityKind.choices]
    )


class CommunityListView(MovementView):
    """The communities the user reads, with their members and last meeting."""

    template_name = "movements/staff/communities.html"
    page_title = _("Communities")

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the registry."""
        form = CommunityFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = readable_communities(request.user)
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("q", "").strip():
            rows = rows.filter(name_folded__contains=fold(data["q"]))
        rows = (
            rows.select_related("organization", "commune")
            .annotate(member_count=Count("members", distinct=True), last_event=Max("events__date"))
            .order_by("name", "pk")
        )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                page=page_of(rows, number=page_number(request)),
                query=query_without_page(request),
                may_register=permissions.organizations_user_may_act_for(request.user).exists(),
            )
        )


class CommunityCreateView(MovementView):
    """Register a community."""

    template_name = "movements/staff/simple_form.html"
    page_title = _("Register a community")
    parents = (COMMUNITIES,)

    def _form(self, request: HttpRequest, data: Any = None) -> CommunityForm:
        return CommunityForm(
            data, organizations=permissions.organizations_user_may_act_for(request.user)
        )

    def _render(self, form: CommunityForm) -> HttpResponse:
        if form.is_bound:
            nothing_recorded(self.request)
        return self.render_to_response(
            self.get_context_data(
                form=form, submit=_("Register"), back="movements_staff:communities"
            )
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        """Show the empty form."""
        if not permissions.organizations_user_may_act_for(request.user).exists():
            raise PermissionDenied
        return self._render(self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        """Register and open the community."""
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            community = communities.community_register(actor=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            form.add_error("organization", str(error))
            return self._render(form)
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._render(form)
        messages.success(request, gettext("Registered: %(name)s.") % {"name": community.name})
        return HttpResponseRedirect(reverse("movements_staff:community", args=[community.pk]))


class CommunityView(MovementView):
    """One community: members, meetings and activities, the models it is."""

    template_name = "movements/staff/community.html"
    parents = (COMMUNITIES,)

    def get_page_title(self) -> str:
        return str(self.community.name)

    def _load(self, request: HttpRequest, pk: int) -> None:
        self.community = get_or_404(
            readable_communities(request.user).select_related("organization", "commune"), pk
        )
        self.may_record = permissions.may_act_for(request.user, self.community.organization)

    def render_page(self, failed: dict[str, Any] | None = None) -> HttpResponse:
        """Render the page; `failed` holds a form to show again with its errors."""
        community = self.community
        forms_: dict[str, Any] = {}
        if self.may_record:
            forms_ = {
                "member": MemberForm(prefix="member"),
                "event": EventForm(prefix="event", initial={"date": timezone.localdate()}),
                **(failed or {}),
            }
        return self.render_to_response(
            self.get_context_data(
                community=community,
                members=list(community.members.all()),
                events=list(community.events.all()[:100]),
                models=list(community.models.select_related("organization")),
                forms=forms_,
            )
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Render the page."""
        self._load(request, pk)
        return self.render_page()

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Add a member (`member-…` fields) or record a meeting or activity (`event-…`)."""
        self._load(request, pk)
        step = request.POST.get("step", "")
        if step not in ("member", "event") or not self.may_record:
            raise Http404
        form: forms.Form = (
            MemberForm(request.POST, prefix="member")
            if step == "member"
            else EventForm(request.POST, prefix="event")
        )
        if not form.is_valid():
            nothing_recorded(request)
            return self.render_page({step: form})
        try:
            if step == "member":
                communities.member_add(
                    actor=request.user, community=self.community, **form.cleaned_data
                )
                messages.success(request, gettext("Member added."))
            else:
                communities.event_record(
                    actor=request.user, community=self.community, **form.cleaned_data
                )
                messages.success(request, gettext("Meeting or activity recorded."))
        except PermissionDenied as error:
            form.add_error(None, str(error))
            nothing_recorded(request)
            return self.render_page({step: form})
        except ValidationError as error:
            service_errors_to_form(form, error)
            nothing_recorded(request)
            return self.render_page({step: form})
        return HttpResponseRedirect(reverse("movements_staff:community", args=[pk]))


class CampaignListView(MovementView):
    """Every campaign, newest first (they are public acts)."""

    template_name = "movements/staff/campaigns.html"
    page_title = _("Campaigns")

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the list."""
        rows = (
            Campaign.objects.select_related("organization", "province")
            .annotate(registered=Count("registrations"))
            .order_by("-starts_on", "pk")
        )
        return self.render_to_response(
            self.get_context_data(
                page=page_of(rows, number=page_number(request)),
                query=query_without_page(request),
                may_launch=permissions.review_scope(request.user).any,
            )
        )


class CampaignCreateView(MovementView):
    """Launch a campaign."""

    template_name = "movements/staff/simple_form.html"
    page_title = _("Launch a campaign")
    parents = (CAMPAIGNS,)

    def _form(self, request: HttpRequest, data: Any = None) -> CampaignForm:
        return CampaignForm(
            data, organizations=permissions.organizations_user_may_act_for(request.user)
        )

    def _render(self, form: CampaignForm) -> HttpResponse:
        if form.is_bound:
            nothing_recorded(self.request)
        return self.render_to_response(
            self.get_context_data(form=form, submit=_("Launch"), back="movements_staff:campaigns")
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        """Show the empty form."""
        if not permissions.review_scope(request.user).any:
            raise PermissionDenied
        return self._render(self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        """Launch the campaign."""
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            campaigns.campaign_launch(actor=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self._render(form)
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._render(form)
        messages.success(request, gettext("Campaign launched."))
        return HttpResponseRedirect(reverse("movements_staff:campaigns"))
