"""Back-office pages for the petition settings administrators keep.

- Local time limits (`LocalTimeLimit`): each organization's administrator
  sets the answer limit for feedback and recommendations, per category
  (NĐ 20/2008 leaves it to each body). Administrators see and change only
  the organizations they administer; writes go through `limits.py`, which
  checks that and writes the audit trail.
- Routing rules (`RoutingRule`): which body is suggested as competent. They
  cut across provinces, so only superusers keep them (Wagtail's model
  permissions; no group has them).
"""

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from danvan.core.audit import audit_record, model_changes
from danvan.orgs.selectors import organizations_user_administers
from danvan.petitions.limits import local_time_limit_delete, local_time_limit_save
from danvan.petitions.models import LocalTimeLimit, RoutingRule

_LIMIT_FIELDS = [
    "organization",
    "category",
    "days",
    "working_days",
    "legal_basis",
    "valid_from",
    "valid_to",
]
_RULE_FIELDS = [
    "kind",
    "category",
    "province",
    "target_organization",
    "target_kind",
    "target_level",
    "priority",
    "legal_basis",
    "is_active",
]


class _ScopedLimits:
    request: HttpRequest

    def get_queryset(self) -> QuerySet[LocalTimeLimit]:
        administered = organizations_user_administers(self.request.user)
        return LocalTimeLimit.objects.filter(organization__in=administered).select_related(
            "organization"
        )

    def get_base_object_queryset(self) -> QuerySet[LocalTimeLimit]:
        return self.get_queryset()


class _LimitForm:
    request: HttpRequest

    def get_form(self, *args: Any, **kwargs: Any) -> Any:
        form = super().get_form(*args, **kwargs)  # type: ignore[misc]
        form.fields["organization"].queryset = organizations_user_administers(self.request.user)
        return form

    def save_instance(self) -> LocalTimeLimit:
        limit: LocalTimeLimit = self.form.instance  # type: ignore[attr-defined]
        return local_time_limit_save(actor=self.request.user, limit=limit)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            response: HttpResponse = super().form_valid(form)  # type: ignore[misc]
        except (ValidationError, PermissionDenied) as error:
            form.add_error(
                None, error.messages if isinstance(error, ValidationError) else str(error)
            )
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()  # type: ignore[attr-defined]
            invalid: HttpResponse = self.form_invalid(form)  # type: ignore[attr-defined]
            return invalid
        return response


class LocalTimeLimitIndexView(_ScopedLimits, generic.IndexView):  # type: ignore[misc]
    """The limits of the organizations the user administers."""


class LocalTimeLimitCreateView(_LimitForm, generic.CreateView):  # type: ignore[misc]
    """Add a limit through `local_time_limit_save`."""


class LocalTimeLimitEditView(_ScopedLimits, _LimitForm, generic.EditView):  # type: ignore[misc]
    """Change a limit through `local_time_limit_save`."""


class LocalTimeLimitDeleteView(_ScopedLimits, generic.DeleteView):  # type: ignore[misc]
    """Remove a limit through `local_time_limit_delete`."""

    def delete_action(self) -> None:
        local_time_limit_delete(actor=self.request.user, limit=self.object)


class LocalTimeLimitViewSet(ModelViewSet):
    """Answer limits for feedback and recommendations, per organization and category."""

    model = LocalTimeLimit
    icon = "time"
    menu_label = _("Answer time limits")
    add_to_admin_menu = False
    copy_view_enabled = False
    index_view_class = LocalTimeLimitIndexView
    add_view_class = LocalTimeLimitCreateView
    edit_view_class = LocalTimeLimitEditView
    delete_view_class = LocalTimeLimitDeleteView
    form_fields: ClassVar = _LIMIT_FIELDS
    list_display: ClassVar = [
        "organization",
        "category",
        "days",
        "working_days",
        "valid_from",
        "valid_to",
    ]


class _AuditedRuleForm:
    request: HttpRequest

    def save_instance(self) -> RoutingRule:
        rule: RoutingRule = super().save_instance()  # type: ignore[misc]
        audit_record(
            actor=self.request.user,
            action="routing_rule.save",
            target=rule,
            data=model_changes(rule, _RULE_FIELDS),
        )
        return rule


class RoutingRuleCreateView(_AuditedRuleForm, generic.CreateView):  # type: ignore[misc]
    """Add a routing rule, audited."""


class RoutingRuleEditView(_AuditedRuleForm, generic.EditView):  # type: ignore[misc]
    """Change a routing rule, audited."""


class RoutingRuleDeleteView(generic.DeleteView):  # type: ignore[misc]
    """Remove a routing rule, audited."""

    def delete_action(self) -> None:
        audit_record(
            actor=self.request.user,
            action="routing_rule.delete",
            target=self.object,
            data=model_changes(self.object, _RULE_FIELDS),
        )
        super().delete_action()


class RoutingRuleViewSet(ModelViewSet):
    """Which body is suggested as competent for a kind and category (superusers)."""

    model = RoutingRule
    icon = "redirect"
    menu_label = _("Routing rules")
    add_to_admin_menu = False
    add_view_class = RoutingRuleCreateView
    edit_view_class = RoutingRuleEditView
    delete_view_class = RoutingRuleDeleteView
    form_fields: ClassVar = _RULE_FIELDS
    list_display: ClassVar = ["__str__", "province", "priority", "is_active"]
