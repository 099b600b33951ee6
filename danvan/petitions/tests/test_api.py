"""The citizen's petition endpoints under /api/v1/petitions."""

import json
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from danvan.core.models import AuditEvent
from danvan.petitions import services
from danvan.petitions.models import IdempotencyRecord, Petition
from danvan.petitions.tests.conftest import COMMUNE, translated

pytestmark = pytest.mark.django_db

URL = "/api/v1/petitions"


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


def _body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "recommendation",
        "title": "Lắp đèn đường",
        "content": "Hẻm 12 Lê Lợi tối, xin lắp đèn.",
        "commune_code": COMMUNE,
        "petitioners": [{"name": "Trần Thị Bình", "phone": "0912345678"}],
    }
    body.update(overrides)
    return body


def _post(client: Client, body: dict[str, Any] | str, **headers: str) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", headers=headers)


def test_filing_answers_201_with_code_and_key(client: Client) -> None:
    response = _post(client, _body())

    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"code", "lookup_key", "status", "received_at", "expected_response_by"}
    assert data["status"] == "received"
    petition = Petition.objects.get(code=data["code"])
    assert petition.channel == "api"
    assert data["lookup_key"] not in petition.lookup_key_hash


def test_citizen_sees_status_and_public_history_with_code_and_key(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    created = _post(client, _body()).json()

    with django_assert_max_num_queries(3):
        response = client.get(f"{URL}/{created['code']}", {"key": created["lookup_key"]})

    assert response.status_code == 200
    data = response.json()
    assert data["code"] == created["code"]
    assert data["status"] == "received"
    assert data["status_label"] == "Đã tiếp nhận"
    assert data["expected_response_by"] == created["expected_response_by"]
    assert [(e["action"], e["status"]) for e in data["history"]] == [("receive", "received")]
    assert "Trần" not in response.content.decode()


def test_wrong_key_answers_exactly_like_unknown_code(client: Client) -> None:
    created = _post(client, _body()).json()

    wrong_key = client.get(f"{URL}/{created['code']}", {"key": "not-the-key"})
    unknown = client.get(f"{URL}/PA-2026-999999", {"key": created["lookup_key"]})
    no_key = client.get(f"{URL}/{created['code']}")

    assert wrong_key.status_code == unknown.status_code == no_key.status_code == 404
    assert wrong_key.content == unknown.content == no_key.content
    assert wrong_key.json() == {
        "detail": translated("No petition matches this code and lookup key.")
    }


def test_retry_with_same_idempotency_key_returns_first_answer_and_creates_nothing(
    client: Client,
) -> None:
    first = _post(client, _body(), **{"Idempotency-Key": "b6f1e0c2-retry"})
    again = _post(client, _body(), **{"Idempotency-Key": "b6f1e0c2-retry"})

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Petition.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert "b6f1e0c2-retry" not in record.key
    assert first.json()["lookup_key"] not in json.dumps(record.response_body)


def test_same_idempotency_key_with_another_body_is_refused(client: Client) -> None:
    _post(client, _body(), **{"Idempotency-Key": "k-1"})

    response = _post(client, _body(title="Khác"), **{"Idempotency-Key": "k-1"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "field": "Idempotency-Key",
                "message": translated(
                    "This Idempotency-Key was already used for another request."
                ),
            }
        ]
    }
    assert Petition.objects.count() == 1


def test_invalid_request_is_not_remembered_for_the_idempotency_key(client: Client) -> None:
    refused = _post(client, _body(title=""), **{"Idempotency-Key": "k-2"})
    fixed = _post(client, _body(), **{"Idempotency-Key": "k-3"})

    assert refused.status_code == 422
    assert fixed.status_code == 201
    assert IdempotencyRecord.objects.count() == 1


def test_crash_after_storing_before_answering_leaves_one_petition_for_the_retry(
    client: Client,
) -> None:
    real = services.petition_receive_idempotent
    calls = {"n": 0}

    def crash_once(**kwargs: Any) -> Any:
        result = real(**kwargs)
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionResetError("client went away")
        return result

    client.raise_request_exception = True
    with (
        mock.patch.object(services, "petition_receive_idempotent", crash_once),
        pytest.raises(ConnectionResetError),
    ):
        _post(client, _body(), **{"Idempotency-Key": "k-crash"})
    with mock.patch.object(services, "petition_receive_idempotent", crash_once):
        retry = _post(client, _body(), **{"Idempotency-Key": "k-crash"})

    assert retry.status_code == 201
    assert Petition.objects.count() == 1
    assert retry.json()["code"] == Petition.objects.get().code
    assert AuditEvent.objects.filter(action="petition.receive").count() == 1


@pytest.mark.parametrize(("language", "header"), [("vi", {}), ("en", {"Accept-Language": "en"})])
def test_service_errors_answer_422_per_field_in_the_asked_language(
    client: Client, language: str, header: dict[str, str]
) -> None:
    response = _post(
        client, _body(title="x" * 300, commune_code=99999999, people_count=0), **header
    )

    assert response.status_code == 422
    assert response["Content-Language"] == language
    assert response.json() == {
        "detail": [
            {
                "field": "title",
                "message": translated(
                    "Too long: at most %(max)d characters (%(length)d given).",
                    language,
                    max=255,
                    length=300,
                ),
            },
            {
                "field": "commune_code",
                "message": translated(
                    "No current commune has the code %(code)s.", language, code=99999999
                ),
            },
            {
                "field": "people_count",
                "message": translated("The number of people must be at least 1.", language),
            },
        ]
    }


@pytest.mark.parametrize(("language", "header"), [("vi", {}), ("en", {"Accept-Language": "en"})])
def test_schema_errors_answer_422_per_field_in_the_asked_language(
    client: Client, language: str, header: dict[str, str]
) -> None:
    body = _body(kind="rumour", commune_code="abc")
    del body["title"]
    body["petitioners"] = [{"phone": "0912345678"}]

    response = _post(client, body, **header)

    assert response.status_code == 422
    detail = {item["field"]: item["message"] for item in response.json()["detail"]}
    assert detail["title"] == translated("This field is required.", language)
    assert detail["commune_code"] == translated("Enter a whole number.", language)
    assert detail["petitioners[0].name"] == translated("This field is required.", language)
    # The values only, without pydantic's English "or" between them.
    assert detail["kind"] == translated(
        "Choose one of: %(choices)s.",
        language,
        choices="feedback, recommendation, complaint, denunciation",
    )


def test_body_that_is_not_json_answers_400_and_stores_nothing(client: Client) -> None:
    response = _post(client, "{not json")

    assert response.status_code == 400
    assert not Petition.objects.exists()


def test_unit_endpoints_keep_ninja_error_shape(client: Client) -> None:
    response = client.get("/api/v1/units/search", {"q": "dong thap", "limit": "many"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]
