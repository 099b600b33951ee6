"""Back-office forms for organizations and memberships.

The choices offered follow the user: an administrator who is not a
superuser sees only the organizations they administer (`parent`,
`successor`, `organization`). The forms check the same rules as the
services (`organization_check`, `membership_check`) so that errors appear
next to their fields before anything is saved.
"""

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from danvan.geo.choosers import commune_chooser_viewset
from danvan.geo.models import Commune
from danvan.orgs.models import Membership, Organization
from danvan.orgs.selectors import organizations_user_administers
from danvan.orgs.services import ORGANIZATION_FIELDS, membership_check, organization_check


class CommuneChoiceField(forms.ModelChoiceField):
    """Communes labelled with their province: names repeat between provinces."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.province.name})"


def _administered(form: WagtailAdminModelForm) -> QuerySet[Organization]:
    return organizations_user_administers(form.for_user).select_related("province")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's `ValidationError` on the form, next to the fields it
    names when the form has them, at the top otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class OrganizationForm(WagtailAdminModelForm):
    """Create or edit an organization."""

    commune = CommuneChoiceField(
        queryset=Commune.objects.select_related("province"),
        required=False,
        label=_("commune served"),
        widget=commune_chooser_viewset.widget_class(),
    )

    class Meta:
        model = Organization
        fields: ClassVar = list(ORGANIZATION_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        administered = _administered(self)
        for name in ("parent", "successor"):
            choices = administered
            current = getattr(instance, f"{name}_id")
            if current is not None:
                # Keep the current value selectable even if it lies outside
                # the user's scope (a provincial commission under the
                # central one).
                choices = Organization.objects.filter(
                    Q(pk__in=administered.values("pk")) | Q(pk=current)
                ).select_related("province")
            if instance.pk is not None:
                choices = choices.exclude(pk=instance.pk)
            self.fields[name].queryset = choices  # type: ignore[attr-defined]
        if not getattr(self.for_user, "is_superuser", False) and (
            instance.pk is None or instance.parent_id is not None
        ):
            # Bodies an administrator creates or moves must stay under one
            # they administer, or they would drop out of their reach.
            self.fields["parent"].required = True

    def validate_constraints(self) -> None:
        """Check the hierarchy rules instead of the bare database constraints."""
        if self.errors:
            return
        try:
            organization_check(self.instance)
        except ValidationError as error:
            add_service_errors(self, error)


class MembershipForm(WagtailAdminModelForm):
    """Grant a role: who, where, what, and from when to when."""

    class Meta:
        model = Membership
        fields: ClassVar = ["user", "organization", "role", "is_deputy", "valid_from", "valid_to"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _administered(self)
        self.fields["user"].label_from_instance = _user_label

    def validate_constraints(self) -> None:
        """Check dates and the organization; granting a role already held
        is not an error (the grant returns the existing membership)."""
        if self.errors:
            return
        try:
            membership_check(self.instance)
        except ValidationError as error:
            add_service_errors(self, error)


class MembershipEditForm(MembershipForm):
    """Change the dates of a membership; the rest is revoked and granted anew."""

    class Meta:
        model = Membership
        fields: ClassVar = ["valid_from", "valid_to"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(MembershipForm, self).__init__(*args, **kwargs)


def _user_label(user: Any) -> str:
    full_name = f"{user.last_name} {user.first_name}".strip()
    return f"{user.get_username()} ({full_name})" if full_name else user.get_username()
