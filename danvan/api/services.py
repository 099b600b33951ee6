"""Issuing and revoking API tokens.

The token itself is returned once by `api_token_issue` and never stored,
logged or audited: the database keeps its SHA-256 (`api_token_hash`).
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from danvan.api.models import ApiToken
from danvan.core.audit import audit_record

#: Random bytes in a token (before URL-safe base64), and its visible prefix.
TOKEN_BYTES: Final = 32
TOKEN_PREFIX: Final = "dv_"  # noqa: S105 (a prefix, not a password)


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedToken:
    """A token just issued: `token` is shown to the client this once."""

    token: str
    expires_at: datetime.datetime
    api_token: ApiToken


def api_token_hash(token: str) -> str:
    """Return the SHA-256 (hex) under which `token` is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def api_token_lifetime() -> datetime.timedelta:
    """Return how long a new token stays valid (`settings.API_TOKEN_DAYS`)."""
    return datetime.timedelta(days=int(getattr(settings, "API_TOKEN_DAYS", 30)))


@transaction.atomic
def api_token_issue(*, user: Any, name: str = "") -> IssuedToken:
    """Issue a new token for `user`, record it in the audit trail, and return it."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    api_token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        token_hash=api_token_hash(token),
        created_at=now,
        expires_at=now + api_token_lifetime(),
    )
    audit_record(
        actor=user,
        action="api_token.issue",
        target=api_token,
        data={
            "token_id": api_token.pk,
            "name": api_token.name,
            "expires_at": api_token.expires_at.isoformat(),
        },
    )
    return IssuedToken(token=token, expires_at=api_token.expires_at, api_token=api_token)


@transaction.atomic
def api_token_revoke(*, api_token: ApiToken, actor: Any) -> ApiToken:
    """Revoke `api_token` now (again: nothing changes) and record it."""
    locked = ApiToken.objects.select_for_update().get(pk=api_token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        target=locked,
        data={"token_id": locked.pk, "name": locked.name},
    )
    return locked
