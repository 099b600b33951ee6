"""Communities (clubhouses, self-managed groups) and campaigns in the back-office.

The registry of communities with its filters, search and Excel export,
registering one, a community's page with its members, meetings and
activities (and the models it is); the list of campaigns with its filters
and search, and launching one.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from danvan.geo.models import Commune, Province
from danvan.movements import campaigns, communities, exports, permissions
from danvan.movements.forms import (
    CampaignForm,
    CommunityForm,
    EventForm,
    MemberForm,
    NamedChoiceField,
)
from danvan.movements.models import Campaign, Community, CommunityKind
from danvan.movements.selectors import campaigns_filtered, communities_filtered
from danvan.movements.views_common import (
    MovementView,
    get_or_404,
    readable_communities,
    xlsx_response,
)
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

    q = forms.CharField(
        label=_("search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name or managing unit")}),
    )
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[ANY, *CommunityKind.choices]
    )
    province = NamedChoiceField(
        label=_("province"),
        required=False,
        queryset=Province.objects.order_by("name"),
        empty_label=ANY[1],
    )
    commune = NamedChoiceField(
        label=_("commune"), required=False, queryset=Commune.objects.none(), empty_label=ANY[1]
    )
    active = forms.ChoiceField(
        label=pgettext_lazy("community", "active"),
        required=False,
        choices=[ANY, ("yes", _("Still active")), ("no", _("No longer active"))],
    )

    def __init__(self, *args: Any, communes: QuerySet[Commune], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """Return the keyword arguments of `selectors.communities_filtered`."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "kind": data.get("kind", ""),
            "province": data.get("province"),
            "commune": data.get("commune"),
            "active": data.get("active", ""),
            "search": data.get("q", ""),
        }


def _communities(request: HttpRequest) -> tuple[CommunityFilterForm, QuerySet[Community]]:
    """Return the filter form and the communities it keeps, with their
    member count, meetings and last meeting (the list's and export's columns)."""
    readable = readable_communities(request.user)
    # The communes offered are those of the communities the user reads.
    communes = Commune.objects.filter(pk__in=readable.values("commune_id")).order_by("name")
    form = CommunityFilterForm(request.GET or None, communes=communes)
    rows = (
        communities_filtered(readable, **form.filters())
        .select_related("organization", "commune__province")
        .annotate(
            member_count=Count("members", distinct=True),
            event_count=Count("events", distinct=True),
            last_event=Max("events__date"),
        )
        .order_by("name", "pk")
    )
    return form, rows


class CommunityListView(MovementView):
    """The communities the user reads, with their members and last meeting."""

    template_name = "movements/staff/communities.html"
    page_title = _("Communities")

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the registry."""
        form, rows = _communities(request)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                page=page_of(rows, number=page_number(request)),
                query=query_without_page(request),
                may_register=permissions.organizations_user_may_act_for(request.user).exists(),
            )
        )


def communities_export(request: HttpRequest) -> HttpResponse:
    """The filtered communities as an Excel file (the list's columns and
    counts; no leader's or member's name: see `exports`)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    _form, rows = _communities(request)
    return xlsx_response(exports.communities_xlsx(rows, user=request.user), "cong-dong-dan-cu")


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


class CampaignFilterForm(forms.Form):
    """The filters of the list of campaigns."""

    q = forms.CharField(
        label=_("search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name or theme")}),
    )
    year = forms.IntegerField(
        label=_("year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("The campaigns running some day of that year."),
    )
    scope = forms.ChoiceField(label=_("scope"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = [(str(p.pk), p.name) for p in Province.objects.order_by("name")]
        self.fields["scope"].choices = [  # type: ignore[attr-defined]
            ANY,
            ("national", _("Whole country")),
            *provinces,
        ]

    def filters(self) -> dict[str, Any]:
        """Return the keyword arguments of `selectors.campaigns_filtered`."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "year": data.get("year"),
            "scope": data.get("scope", ""),
            "search": data.get("q", ""),
        }


class CampaignListView(MovementView):
    """Every campaign, newest first (they are public acts), filtered."""

    template_name = "movements/staff/campaigns.html"
    page_title = _("Campaigns")

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the list."""
        form = CampaignFilterForm(request.GET or None)
        rows = (
            campaigns_filtered(Campaign.objects.all(), **form.filters())
            .select_related("organization", "province")
            .annotate(registered=Count("registrations"))
            .order_by("-starts_on", "pk")
        )
        return self.render_to_response(
            self.get_context_data(
                form=form,
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
