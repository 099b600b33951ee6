"""Bearer tokens for the staff API: issuing, revoking and checking them.

`POST /api/v1/auth/token` exchanges a username and password for a token
(limited per client address, `TOKEN_RATE`); `DELETE /api/v1/auth/token`
revokes the token it is called with. `TokenAuth` accepts
`Authorization: Bearer <token>` on the staff endpoints: the token is looked
up by its SHA-256 and compared in constant time, and must be neither
expired nor revoked, and its user active. A refused request answers 401
with the same message whatever the reason.
"""

import datetime
import hmac
from typing import Any, Final

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django_ratelimit.core import is_ratelimited
from ninja import Field, NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from danvan.api.models import ApiToken
from danvan.api.services import api_token_hash, api_token_issue, api_token_revoke

#: Attempts at `POST /auth/token` allowed per client address.
TOKEN_RATE: Final = "10/m"  # noqa: S105 (a rate, not a password)

#: `last_used_at` is written at most this often per token.
LAST_USED_PRECISION: Final = datetime.timedelta(minutes=1)

router = Router(tags=["auth"])


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, a token from `POST /api/v1/auth/token`."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        """Return the caller's `ApiToken` (and set `request.user`), or None."""
        digest = api_token_hash(token)
        api_token = ApiToken.objects.select_related("user").filter(token_hash=digest).first()
        if api_token is None or not hmac.compare_digest(api_token.token_hash, digest):
            return None
        now = timezone.now()
        if not api_token.is_usable(now) or not api_token.user.is_active:
            return None
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
        request.user = api_token.user
        return api_token


def authentication_error(
    request: HttpRequest, exc: AuthenticationError, api: NinjaAPI
) -> HttpResponse:
    """Answer 401 in the request's language, asking for a bearer token."""
    response = api.create_response(
        request,
        {"detail": gettext("Sign in with a valid API token (Authorization: Bearer …).")},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


class Credentials(Schema):
    """A staff account's username and password."""

    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=100, description="What the token is for (optional).")


class TokenOut(Schema):
    """A new token: shown only this once."""

    token: str
    expires_at: datetime.datetime


class MessageOut(Schema):
    """An error, explained in the request's language."""

    detail: str


@router.post(
    "/token",
    response={200: TokenOut, 401: MessageOut, 429: MessageOut},
    url_name="api_token_issue",
    summary="Get an API token",
    description=(
        "Exchanges a staff account's username and password for a bearer token, valid "
        "`API_TOKEN_DAYS` days (30 by default). Wrong credentials and an inactive account "
        "get the same 401. At most 10 attempts a minute from one address (429)."
    ),
)
def token_issue(request: HttpRequest, payload: Credentials) -> Any:
    if is_ratelimited(
        request, group="api.auth_token", key="ip", rate=TOKEN_RATE, method="POST", increment=True
    ):
        return Status(429, {"detail": gettext("Too many attempts. Try again in a minute.")})
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        return Status(401, {"detail": gettext("The username or password is not correct.")})
    issued = api_token_issue(user=user, name=payload.name)
    return {"token": issued.token, "expires_at": issued.expires_at}


@router.delete(
    "/token",
    auth=TokenAuth(),
    response={204: None, 401: MessageOut},
    url_name="api_token_revoke",
    summary="Revoke the token in use",
    description="The token sent in `Authorization` stops working at once.",
)
def token_revoke(request: HttpRequest) -> Any:
    api_token: ApiToken = request.auth  # type: ignore[attr-defined]
    api_token_revoke(api_token=api_token, actor=request.user)
    return Status(204, None)
