"""Back-office pages of the platform core: the audit trail (read only)."""

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from danvan.core.models import AuditEvent


class AuditEventPermissionPolicy(ModelPermissionPolicy):
    """Audit events can be looked at by whom may view them; nobody may add,
    change or delete one, superusers included."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action not in {"view", "inspect"}:
            return False
        return bool(
            user.is_active and (user.is_superuser or user.has_perm("core.view_auditevent"))
        )

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Any, **kwargs: Any) -> Any:
        if not {"view", "inspect"} & set(actions):
            return self.user_model.objects.none()
        return super().users_with_any_permission(["view"], **kwargs)


class AuditEventViewSet(ModelViewSet):
    """Browse and filter the audit trail; there is no way to change it."""

    model = AuditEvent
    # Not in Wagtail's reference index: otherwise every audit event, written
    # by every service, queues a task that indexes it (an extra row per
    # write, and the task worker's time); nothing is looked up through it.
    add_to_reference_index = False
    icon = "history"
    menu_label = _("Audit trail")
    menu_order = 900
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["occurred_at", "kind", "action", "actor_username", "target_repr", "ip_address"]
    list_filter = ["kind", "action", "target_type", "occurred_at"]
    search_fields = ["action", "actor_username", "target_repr", "target_id", "request_id"]
    list_export = [
        "occurred_at",
        "kind",
        "action",
        "actor_username",
        "target_type",
        "target_id",
        "target_repr",
        "ip_address",
        "request_id",
    ]
    inspect_view_fields = [
        "occurred_at",
        "kind",
        "action",
        "actor_username",
        "target_type",
        "target_id",
        "target_repr",
        "data",
        "ip_address",
        "request_id",
    ]
    form_fields = ["action"]

    def get_urlpatterns(self) -> list[Any]:
        """Expose only the list and the inspect pages: no add, edit or delete."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<str:pk>/", self.inspect_view, name="inspect"),
        ]


register_permission_policy(AuditEvent, AuditEventPermissionPolicy(AuditEvent))
audit_event_viewset = AuditEventViewSet("audit")
