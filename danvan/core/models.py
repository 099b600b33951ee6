"""Models of the platform core: the calendar override table and the audit trail."""

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: an official of one or more organizations.

    Vietnamese names are written family name first: `last_name` holds the
    family and middle names ("Nguyễn Văn"), `first_name` the given name
    ("An"), and the full name is "Nguyễn Văn An".
    """

    def get_full_name(self) -> str:
        """Return the name in Vietnamese order: family, middle, given."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    def get_short_name(self) -> str:
        """Return the given name, by which Vietnamese address each other."""
        return self.first_name


class CalendarOverride(models.Model):
    """A day whose status differs from what the `holidays` library says.

    Used for government decisions the library does not know yet (a swapped
    working Saturday announced for next year, an extra day off), per the
    Prime Minister's yearly decisions under Bộ luật Lao động 2019 Art. 112(3).
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering: ClassVar = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["day_off", "working_day"]),
                name="calendaroverride_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an append-only record."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Rows can be added and read, never changed or removed in bulk."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(self.model.append_only_change_message)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.model.append_only_delete_message)


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or removed: the audit
    trail, a petition's case events.

    Subclasses set the two messages and `objects = AppendOnlyQuerySet.as_manager()`;
    a migration may add a database trigger on top.
    """

    ImmutableError = AppendOnlyError
    append_only_change_message: ClassVar[Any] = _("These records cannot be changed.")
    append_only_delete_message: ClassVar[Any] = _("These records cannot be deleted.")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError(self.append_only_change_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.append_only_delete_message)


class AuditEvent(AppendOnlyModel):
    """One append-only entry of the audit trail.

    Written by every service that changes data (`kind=write`) and by every
    view of protected personal data (`kind=view`), e.g. a denouncer's
    identity (Luật Tố cáo 2018 Art. 47).
    """

    append_only_change_message = _("Audit events cannot be changed.")
    append_only_delete_message = _("Audit events cannot be deleted.")

    class Kind(models.TextChoices):
        WRITE = "write", _("Change")
        VIEW = "view", _("View of protected data")
        AUTH = "auth", _("Sign-in")

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.WRITE)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(_("actor's username"), max_length=150, blank=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes: ClassVar = [
            models.Index(fields=["target_type", "target_id"], name="auditevent_target_idx"),
            models.Index(fields=["actor", "occurred_at"], name="auditevent_actor_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["write", "view", "auth"]),
                name="auditevent_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"
