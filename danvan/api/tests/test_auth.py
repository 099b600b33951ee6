"""API tokens: `POST`/`DELETE /api/v1/auth/token` and the bearer authentication."""

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from danvan.api.models import ApiToken
from danvan.api.services import api_token_hash, api_token_issue
from danvan.core.models import AuditEvent
from danvan.petitions.tests.conftest import translated
from danvan.petitions.tests.factories import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"
INBOX_URL = "/api/v1/staff/petitions"
WRONG = "The username or password is not correct."


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache: start each test with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def officer() -> Any:
    return staff_user(username="canbo.xuly")


def _login(client: Client, username: str, password: str, **headers: str) -> Any:
    body = json.dumps({"username": username, "password": password})
    return client.post(TOKEN_URL, body, content_type="application/json", headers=headers)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_issued_for_good_credentials_and_only_its_hash_is_kept(
    client: Client, officer: Any
) -> None:
    before = timezone.now()
    response = _login(client, "canbo.xuly", PASSWORD)

    assert response.status_code == 200
    data = response.json()
    token = data["token"]
    stored = ApiToken.objects.get(user=officer)
    assert stored.token_hash == api_token_hash(token)
    assert token not in stored.token_hash
    expires = datetime.datetime.fromisoformat(data["expires_at"])
    assert (
        before + datetime.timedelta(days=30)
        <= expires
        <= timezone.now() + datetime.timedelta(days=30)
    )
    issued = AuditEvent.objects.get(action="api_token.issue")
    assert issued.actor == officer
    assert token not in json.dumps(issued.data)
    # The token opens the staff API.
    assert client.get(INBOX_URL, headers=_bearer(token)).status_code == 200


def test_the_lifetime_comes_from_api_token_days(officer: Any, settings: Any) -> None:
    settings.API_TOKEN_DAYS = 7
    issued = api_token_issue(user=officer)
    lifetime = issued.expires_at - issued.api_token.created_at
    assert lifetime == datetime.timedelta(days=7)


@pytest.mark.parametrize("case", ["wrong_password", "unknown_user", "inactive_user"])
def test_wrong_credentials_and_inactive_users_get_the_same_401(
    client: Client, officer: Any, case: str
) -> None:
    staff_user(username="da.nghi", is_active=False)
    username, password = {
        "wrong_password": ("canbo.xuly", "sai-mat-khau"),
        "unknown_user": ("khong.co", PASSWORD),
        "inactive_user": ("da.nghi", PASSWORD),
    }[case]

    response = _login(client, username, password)
    english = _login(client, username, password, **{"Accept-Language": "en"})

    assert response.status_code == english.status_code == 401
    assert response.json() == {"detail": translated(WRONG, "vi")}
    assert response["Content-Language"] == "vi"
    assert english.json() == {"detail": WRONG}
    assert not ApiToken.objects.exists()


def test_token_requests_are_limited_per_address(client: Client, officer: Any) -> None:
    for _attempt in range(10):
        assert _login(client, "canbo.xuly", "sai-mat-khau").status_code == 401

    limited = _login(client, "canbo.xuly", PASSWORD, **{"Accept-Language": "en"})
    assert limited.status_code == 429
    assert limited.json() == {"detail": "Too many attempts. Try again in a minute."}
    assert not ApiToken.objects.exists()
    # Another address is not limited.
    other = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.1.2.3")
    assert _login(other, "canbo.xuly", PASSWORD).status_code == 200


def test_an_expired_token_is_refused(client: Client, officer: Any) -> None:
    token = api_token_issue(user=officer).token
    later = timezone.now() + datetime.timedelta(days=30, seconds=1)

    with time_machine.travel(later, tick=False):
        response = client.get(INBOX_URL, headers={**_bearer(token), "Accept-Language": "en"})

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Sign in with a valid API token (Authorization: Bearer …)."
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(
    client: Client, officer: Any
) -> None:
    token = api_token_issue(user=officer).token

    response = client.delete(TOKEN_URL, headers=_bearer(token))

    assert response.status_code == 204
    assert ApiToken.objects.get(user=officer).revoked_at is not None
    revoked = AuditEvent.objects.get(action="api_token.revoke")
    assert revoked.actor == officer
    assert token not in json.dumps(revoked.data)
    assert client.get(INBOX_URL, headers=_bearer(token)).status_code == 401
    assert client.delete(TOKEN_URL, headers=_bearer(token)).status_code == 401


def test_a_token_of_a_user_made_inactive_is_refused(client: Client, officer: Any) -> None:
    token = api_token_issue(user=officer).token
    officer.is_active = False
    officer.save(update_fields=["is_active"])

    assert client.get(INBOX_URL, headers=_bearer(token)).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer dv_khong-phai-token", "Basic Y2FuYm86eA==", "Token abc"],
)
def test_missing_or_unknown_tokens_are_refused(client: Client, header: str) -> None:
    headers = {"Authorization": header} if header else {}
    assert client.get(INBOX_URL, headers=headers).status_code == 401
    assert client.delete(TOKEN_URL, headers=headers).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(client: Client, officer: Any) -> None:
    start = timezone.now()
    token = api_token_issue(user=officer).token

    def used_at(moment: datetime.datetime) -> datetime.datetime | None:
        with time_machine.travel(moment, tick=False):
            assert client.get(INBOX_URL, headers=_bearer(token)).status_code == 200
        return ApiToken.objects.get(user=officer).last_used_at

    first = used_at(start + datetime.timedelta(seconds=1))
    assert first == start + datetime.timedelta(seconds=1)
    assert used_at(start + datetime.timedelta(seconds=50)) == first
    assert used_at(start + datetime.timedelta(seconds=62)) == start + datetime.timedelta(
        seconds=62
    )


def test_token_request_with_missing_fields_answers_422_field_by_field(client: Client) -> None:
    response = client.post(
        TOKEN_URL,
        json.dumps({"username": "canbo"}),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "password", "message": "This field is required."}
    ]


def test_the_openapi_document_describes_bearer_tokens(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()

    assert "/api/v1/auth/token" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    inbox = schema["paths"]["/api/v1/staff/petitions"]["get"]
    assert inbox["security"]
