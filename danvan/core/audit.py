"""The audit trail: one append-only event per change made through a service
and per view of protected personal data.

Services call `audit_record` inside their transaction, so the event is
stored if and only if the change is. Views of protected data (a denouncer's
identity, Luật Tố cáo 2018 Art. 47(1)(a)) call `audit_record_view`.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from danvan.core.models import AuditEvent
from danvan.core.request_context import current_request_info

Actor = AbstractBaseUser | AnonymousUser | None


def _target_fields(target: models.Model | None) -> dict[str, str]:
    if target is None:
        return {"target_type": "", "target_id": "", "target_repr": ""}
    return {
        "target_type": target._meta.label_lower,
        "target_id": str(target.pk),
        "target_repr": str(target)[:255],
    }


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    kind: str = AuditEvent.Kind.WRITE,
) -> AuditEvent:
    """Append one event to the audit trail and return it.

    `action` is a dotted name, `<entity>.<verb>` ("organization.create").
    `data` holds what changed; never put protected personal data in it.
    """
    event = audit_event_new(actor=actor, action=action, target=target, data=data, kind=kind)
    event.save(force_insert=True)
    return event


def audit_event_new(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    kind: str = AuditEvent.Kind.WRITE,
) -> AuditEvent:
    """Return the event `audit_record` stores, not yet stored.

    For a service that stores it itself, in one statement with the change
    (petition intake on PostgreSQL).
    """
    info = current_request_info()
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent(  # type: ignore[misc]  # any user model
        kind=kind,
        action=action,
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        data=data or {},
        ip_address=info.ip_address,
        request_id=info.request_id,
        **_target_fields(target),
    )


def audit_record_view(
    *, actor: Actor, target: models.Model, fields: list[str], reason: str = ""
) -> AuditEvent:
    """Record that `actor` was shown the protected `fields` of `target`."""
    return audit_record(
        actor=actor,
        action=f"{target._meta.model_name}.view_protected",
        target=target,
        data={"fields": sorted(fields), "reason": reason},
        kind=AuditEvent.Kind.VIEW,
    )


def model_changes(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Return `{field: value}` for the audit trail, values made JSON-safe."""
    changes: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name, None)
        if isinstance(value, models.Model):
            value = value.pk
        elif value is not None and not isinstance(value, str | int | float | bool):
            value = str(value)
        changes[name] = value
    return changes
