"""API tokens: how staff applications sign in to `/api/v1/staff/`.

A token is shown once, when issued; only its SHA-256 is stored, so a copy
of the database gives nobody a working token. A token ends at
`expires_at` (`settings.API_TOKEN_DAYS` after issue) or when revoked.
"""

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token of one user, stored as its SHA-256."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="danvan_api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        # Never the token, nor its hash.
        return f"{self._meta.verbose_name} #{self.pk}"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        """Tell whether the token is neither expired nor revoked at `now`."""
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at
