"""Back-office pages of the leaders' minimum duty days (`DutyRule`).

Whether Luật 136/2025/QH15 changed the 2013 minimums from 2026-07-01 is
UNCONFIRMED (legal-rules.md §3.1), so administrators keep them as data: to
change a figure, close its row (`valid_to`) and add the new one from the
next day (the copy button starts from the old row). Compliance applies, to
a month, the row in force on its first day (`schedules.leader_compliance`).

Who may do what (`DutyRulePermissionPolicy`, registered here for the model):

- view: every active user who works for a body today (any role), staff
  users and superusers;
- add and change: superusers and the users who are administrator of a
  central-level body today (the minimums are national law: an
  administrator of a province or commune must not change them for
  everyone);
- delete: superusers only; a figure that applied is closed, not deleted,
  so that past months keep the minimum they were judged by.

Every change is written to the audit trail (`duty_rule.create`,
`duty_rule.update` with the previous values, `duty_rule.delete`). The
viewset is `duty_rule_viewset`; `reception.wagtail_hooks` registers it.
"""

from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.forms import ModelForm, modelform_factory
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from danvan.core.audit import audit_record, model_changes
from danvan.orgs.models import Membership, OrganizationLevel, Role
from danvan.orgs.selectors import valid_on_q
from danvan.reception.models import DutyRule

_FIELDS = [
    "category",
    "days",
    "period",
    "legal_basis",
    "status",
    "note",
    "valid_from",
    "valid_to",
]
_VIEW_ACTIONS = frozenset({"view", "inspect"})
_EDIT_ACTIONS = frozenset({"add", "change"})
_CACHE_ATTRIBUTE = "_danvan_duty_rule_access"


def _memberships_today() -> QuerySet[Membership]:
    return Membership.objects.filter(valid_on_q(timezone.localdate())).order_by()


class DutyRulePermissionPolicy(ModelPermissionPolicy):
    """View for whoever works for a body; add and change for central
    administrators; delete for superusers (see the module docstring)."""

    def _access(self, user: Any) -> tuple[bool, bool]:
        """Return (may view, may edit) for `user`, cached on the user for the request."""
        cached: tuple[bool, bool] | None = getattr(user, _CACHE_ATTRIBUTE, None)
        if cached is not None:
            return cached
        if not (user.is_authenticated and user.is_active):
            access = (False, False)
        elif user.is_superuser:
            access = (True, True)
        else:
            roles = set(
                _memberships_today()
                .filter(user_id=user.pk)
                .values_list("role", "organization__level")
            )
            access = (
                bool(roles) or bool(user.is_staff),
                (Role.ADMINISTRATOR, OrganizationLevel.CENTRAL) in roles,
            )
        setattr(user, _CACHE_ATTRIBUTE, access)
        return access

    def user_has_permission(self, user: Any, action: str) -> bool:
        """Tell whether `user` may take `action` on duty rules."""
        may_view, may_edit = self._access(user)
        if action in _VIEW_ACTIONS:
            return may_view
        if action in _EDIT_ACTIONS:
            return may_edit
        return bool(action == "delete" and user.is_active and user.is_superuser)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        """Tell whether `user` may take any of `actions`."""
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Any) -> Any:
        """Return the active users who may take any of `actions`."""
        wanted = set(actions)
        allowed = Q(is_superuser=True)
        if wanted & _VIEW_ACTIONS:
            allowed |= Q(is_staff=True) | Q(pk__in=_memberships_today().values("user_id"))
        if wanted & _EDIT_ACTIONS:
            admins = (
                _memberships_today()
                .filter(role=Role.ADMINISTRATOR, organization__level=OrganizationLevel.CENTRAL)
                .values("user_id")
            )
            allowed |= Q(pk__in=admins)
        return get_user_model().objects.filter(allowed, is_active=True)


class DutyRuleForm(WagtailAdminModelForm):
    """The form of a duty rule: the end of its validity after its start."""

    def clean(self) -> dict[str, Any]:
        """Check the validity dates with a message on `valid_to`."""
        cleaned: dict[str, Any] = super().clean()
        valid_from, valid_to = cleaned.get("valid_from"), cleaned.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", gettext("The end date cannot be before the start date."))
        return cleaned


class _AuditedRuleForm:
    request: Any
    form: Any

    def save_instance(self) -> DutyRule:
        previous = None
        if self.form.instance.pk is not None:
            stored = DutyRule.objects.filter(pk=self.form.instance.pk).first()
            previous = model_changes(stored, _FIELDS) if stored is not None else None
        rule: DutyRule = super().save_instance()  # type: ignore[misc]
        audit_record(
            actor=self.request.user,
            action="duty_rule.create" if previous is None else "duty_rule.update",
            target=rule,
            data={**model_changes(rule, _FIELDS), "previous": previous},
        )
        return rule


class DutyRuleCreateView(_AuditedRuleForm, generic.CreateView):  # type: ignore[misc]
    """Add a minimum, audited."""


class DutyRuleEditView(_AuditedRuleForm, generic.EditView):  # type: ignore[misc]
    """Change a minimum (or close it with `valid_to`), audited."""


class DutyRuleDeleteView(generic.DeleteView):  # type: ignore[misc]
    """Remove a mistaken minimum (superusers), audited."""

    def delete_action(self) -> None:
        with transaction.atomic():
            audit_record(
                actor=self.request.user,
                action="duty_rule.delete",
                target=self.object,
                data=model_changes(self.object, _FIELDS),
            )
            super().delete_action()


class DutyRuleViewSet(ModelViewSet):
    """The leaders' minimum duty days, per category, as dated rows."""

    model = DutyRule
    icon = "date"
    menu_label = _("Reception duty minimums")
    add_to_admin_menu = False
    add_view_class = DutyRuleCreateView
    edit_view_class = DutyRuleEditView
    delete_view_class = DutyRuleDeleteView
    form_fields: ClassVar = _FIELDS
    list_display: ClassVar = [
        "category",
        "days",
        "period",
        "legal_basis",
        "status",
        "valid_from",
        "valid_to",
    ]
    list_filter: ClassVar = ["category", "period", "status"]
    ordering: ClassVar = ["category", "-valid_from"]

    def get_form_class(self, for_update: bool = False) -> type[ModelForm[DutyRule]]:
        """Build the form on `DutyRuleForm` (Wagtail's widgets, the date check)."""
        return modelform_factory(self.model, form=DutyRuleForm, fields=_FIELDS)


register_permission_policy(DutyRule, DutyRulePermissionPolicy(DutyRule))
duty_rule_viewset = DutyRuleViewSet("duty_rules")
