"""The back-office for organizations and memberships (Wagtail viewsets).

Who may use it: a user needs Wagtail's model permissions (Wagtail's
`ModelPermissionPolicy`): superusers have them all; the "Quản trị viên"
group, which `membership_grant` gives every holder of the administrator
role, has add/change/view on organizations and add/change/delete/view on
memberships. Deleting an organization is left to superusers: bodies are
closed, not deleted. Anyone else (a handler, a reception officer) is
turned away by Wagtail with a redirect to the dashboard.

What they see: a superuser sees everything; an administrator sees and
edits only the organizations they administer (their own and every one
below it) and the memberships in those (`organizations_user_administers`).

Every write goes through `danvan.orgs.services`, so the rules are checked
and the audit trail is written; Wagtail's own history log is kept too.
"""

from typing import Any, ClassVar

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log

from danvan.core.text import fold
from danvan.orgs.forms import (
    MembershipEditForm,
    MembershipForm,
    OrganizationForm,
    add_service_errors,
)
from danvan.orgs.models import Membership, Organization
from danvan.orgs.selectors import organizations_user_administers
from danvan.orgs.services import (
    membership_grant,
    membership_revoke,
    membership_update,
    organization_close,
    organization_create,
    organization_delete,
    organization_update,
)


def _administered(request: HttpRequest) -> QuerySet[Organization]:
    return organizations_user_administers(request.user)


class ServiceFormMixin:
    """Turn a service's `ValidationError` into form errors, not a crash."""

    def form_valid(self, form: forms.BaseForm) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as error:
            add_service_errors(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()  # type: ignore[attr-defined]
            return self.form_invalid(form)  # type: ignore[attr-defined]


class ServiceDeleteMixin:
    """Show a service's refusal to delete as a message, not a crash."""

    def form_valid(self, form: forms.BaseForm) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)  # type: ignore[attr-defined]
            return HttpResponseRedirect(self.request.path)  # type: ignore[attr-defined]


# Organizations ------------------------------------------------------------


class OrganizationScopeMixin:
    """Limit the organizations to those the user administers (a 404 for
    any other)."""

    request: HttpRequest

    def get_queryset(self) -> QuerySet[Organization]:
        return _administered(self.request).select_related("parent", "province", "commune")

    def get_base_object_queryset(self) -> QuerySet[Organization]:
        return self.get_queryset()


class OrganizationHistoryView(OrganizationScopeMixin, history.HistoryView):
    """Wagtail's history of an organization the user administers."""


class OrganizationUsageView(OrganizationScopeMixin, usage.UsageView):
    """Where an organization the user administers is referenced."""


class OrganizationIndexView(generic.IndexView):
    """List, filter, search and export organizations."""

    def get_base_queryset(self) -> QuerySet[Organization]:
        return _administered(self.request).select_related("parent", "province", "commune")

    def search_queryset(self, queryset: QuerySet[Organization]) -> QuerySet[Organization]:
        """Match the name without diacritics ("dong thap"), the short name or the code."""
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        return queryset.filter(
            Q(name_folded__contains=fold(query))
            | Q(short_name__icontains=query)
            | Q(code__icontains=query)
        )


class OrganizationCreateView(ServiceFormMixin, generic.CreateView):
    """Create an organization through `organization_create`."""

    def save_instance(self) -> Organization:
        organization = organization_create(actor=self.request.user, **self.form.cleaned_data)
        log(instance=organization, action="wagtail.create", user=self.request.user)
        return organization


class OrganizationEditView(
    ServiceFormMixin,
    OrganizationScopeMixin,
    generic.EditView,
):
    """Edit an organization; setting its end date closes it (moving its
    subordinate bodies and members to the successor, if one is named)."""

    def save_instance(self) -> Organization:
        data: dict[str, Any] = dict(self.form.cleaned_data)
        # The form changed `self.object` in memory; compare with the database.
        current = Organization.objects.get(pk=self.object.pk)
        if current.valid_to is None and data.get("valid_to") is not None:
            valid_to = data.pop("valid_to")
            successor = data.pop("successor", None)
            organization_update(actor=self.request.user, organization=current, data=data)
            organization = organization_close(
                actor=self.request.user,
                organization=current,
                valid_to=valid_to,
                successor=successor,
            )
        else:
            organization = organization_update(
                actor=self.request.user, organization=current, data=data
            )
        log(instance=organization, action="wagtail.edit", user=self.request.user)
        return organization


class OrganizationDeleteView(
    ServiceDeleteMixin,
    OrganizationScopeMixin,
    generic.DeleteView,
):
    """Delete an organization entered by mistake (superusers only)."""

    def delete_action(self) -> None:
        organization_delete(actor=self.request.user, organization=self.object)


class OrganizationViewSet(ModelViewSet):
    """Organizations: list, filter, search, export, create and edit."""

    model = Organization
    icon = "site"
    menu_label = _("Organizations")
    add_to_admin_menu = False
    copy_view_enabled = False
    index_view_class = OrganizationIndexView
    add_view_class = OrganizationCreateView
    edit_view_class = OrganizationEditView
    delete_view_class = OrganizationDeleteView
    history_view_class = OrganizationHistoryView
    usage_view_class = OrganizationUsageView
    list_display: ClassVar = ["name", "code", "kind", "level", "province", "parent", "valid_to"]
    list_filter: ClassVar = ["kind", "level", "province"]
    search_fields: ClassVar = ["name", "short_name", "code"]
    search_backend_name = None
    ordering: ClassVar = ["province__code", "name"]
    list_export: ClassVar = [
        "code",
        "name",
        "short_name",
        "get_kind_display",
        "get_level_display",
        "province",
        "commune",
        "parent",
        "valid_from",
        "valid_to",
        "successor",
        "email",
        "phone",
        "address",
    ]
    export_headings: ClassVar = {
        "get_kind_display": _("kind"),
        "get_level_display": _("level"),
    }
    export_filename = "co-quan"

    def get_form_class(self, for_update: bool = False) -> type[OrganizationForm]:
        return OrganizationForm


# Memberships --------------------------------------------------------------


class MembershipScopeMixin:
    """Limit the memberships to those in organizations the user administers
    (a 404 for any other)."""

    request: HttpRequest

    def get_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.filter(
            organization__in=_administered(self.request)
        ).select_related("user", "organization")

    def get_base_object_queryset(self) -> QuerySet[Membership]:
        return self.get_queryset()


class MembershipHistoryView(MembershipScopeMixin, history.HistoryView):
    """Wagtail's history of a membership the user administers."""


class MembershipUsageView(MembershipScopeMixin, usage.UsageView):
    """Where a membership the user administers is referenced."""


class MembershipFilterSet(WagtailFilterSet):
    """Filter memberships by role and by an organization the user administers."""

    organization = django_filters.ModelChoiceFilter(
        queryset=_administered, label=_("organization")
    )

    class Meta:
        model = Membership
        fields: ClassVar = ["role", "organization"]


class MembershipIndexView(generic.IndexView):
    """List, filter, search (by username or name) and export memberships."""

    def get_base_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.filter(
            organization__in=_administered(self.request)
        ).select_related("user", "organization")


class MembershipCreateView(ServiceFormMixin, generic.CreateView):
    """Grant a role through `membership_grant`."""

    def save_instance(self) -> Membership:
        membership = membership_grant(actor=self.request.user, **self.form.cleaned_data)
        log(instance=membership, action="wagtail.create", user=self.request.user)
        return membership


class MembershipEditView(
    ServiceFormMixin,
    MembershipScopeMixin,
    generic.EditView,
):
    """Change the dates of a membership through `membership_update`."""

    def save_instance(self) -> Membership:
        membership = membership_update(
            actor=self.request.user,
            membership=Membership.objects.get(pk=self.object.pk),
            valid_from=self.form.cleaned_data["valid_from"],
            valid_to=self.form.cleaned_data["valid_to"],
        )
        log(instance=membership, action="wagtail.edit", user=self.request.user)
        return membership


class MembershipDeleteView(
    MembershipScopeMixin,
    generic.DeleteView,
):
    """Revoke a membership through `membership_revoke`."""

    def delete_action(self) -> None:
        log(instance=self.object, action="wagtail.delete", user=self.request.user)
        membership_revoke(actor=self.request.user, membership=self.object)


def _full_name(membership: Membership) -> str:
    """The holder's name in Vietnamese order: family, middle, given name."""
    user = membership.user
    return f"{user.last_name} {user.first_name}".strip()


class MembershipViewSet(ModelViewSet):
    """Memberships (who works where in which role): grant, change, revoke."""

    model = Membership
    icon = "group"
    menu_label = _("Roles of staff")
    add_to_admin_menu = False
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = MembershipIndexView
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    history_view_class = MembershipHistoryView
    usage_view_class = MembershipUsageView
    list_display: ClassVar = [
        "user",
        Column("full_name", label=_("full name"), accessor=_full_name),
        "organization",
        "role",
        "valid_from",
        "valid_to",
    ]
    filterset_class = MembershipFilterSet
    search_fields: ClassVar = ["user__username", "user__first_name", "user__last_name"]
    search_backend_name = None
    ordering: ClassVar = ["organization__name", "role", "user__username"]
    list_export: ClassVar = [
        "user.username",
        "user.last_name",
        "user.first_name",
        "organization.code",
        "organization.name",
        "get_role_display",
        "valid_from",
        "valid_to",
    ]
    export_headings: ClassVar = {
        "user.username": _("username"),
        "user.last_name": _("family and middle names"),
        "user.first_name": _("given name"),
        "organization.code": _("organization code"),
        "organization.name": _("organization"),
        "get_role_display": _("role"),
    }
    export_filename = "phan-quyen"

    def get_form_class(
        self, for_update: bool = False
    ) -> type[MembershipForm] | type[MembershipEditForm]:
        return MembershipEditForm if for_update else MembershipForm


class OrganizationsViewSetGroup(ModelViewSetGroup):
    """The "Organizations and roles" menu of the back-office."""

    menu_label = _("Organizations and roles")
    menu_icon = "site"
    menu_order = 800
    items = (OrganizationViewSet("organizations"), MembershipViewSet("memberships"))
