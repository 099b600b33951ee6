"""The rate limit on public intake: the portal form and POST /api/v1/petitions together."""

import json
import re
from typing import Any

import pytest
from django.test import Client

from danvan.petitions.models import Petition
from danvan.petitions.tests.conftest import COMMUNE, translated

pytestmark = pytest.mark.django_db

API_URL = "/api/v1/petitions"
FILE_URL = "/phan-anh-kien-nghi/gui/"
MESSAGE = (
    "Too many petitions were sent from your network in a short time. "
    "Please wait a while and send it again."
)


@pytest.fixture(autouse=True)
def _two_per_hour(settings: Any) -> None:
    settings.PETITION_RATE_LIMIT = "2/h"


def _api(client: Client, **headers: str) -> Any:
    body = {
        "kind": "feedback",
        "title": "Đèn đường hỏng",
        "content": "Đèn đường hẻm 3 hỏng đã một tuần.",
        "commune_code": COMMUNE,
        "is_anonymous": True,
    }
    return client.post(API_URL, json.dumps(body), content_type="application/json", headers=headers)


def test_api_answers_429_in_vietnamese_after_the_limit() -> None:
    client = Client(HTTP_HOST="localhost")

    statuses = [_api(client).status_code for _ in range(3)]

    assert statuses == [201, 201, 429]
    assert _api(client).json() == {"detail": translated(MESSAGE)}
    assert Petition.objects.count() == 2


def test_api_answers_in_english_when_asked() -> None:
    client = Client(HTTP_HOST="localhost")
    for _ in range(2):
        _api(client)

    response = _api(client, **{"Accept-Language": "en"})

    assert response.status_code == 429
    assert response.json() == {"detail": MESSAGE}


def test_each_client_address_has_its_own_count() -> None:
    first = Client(HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.1")
    second = Client(HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.2")
    for _ in range(2):
        _api(first)

    assert _api(first).status_code == 429
    assert _api(second).status_code == 201


def _portal_post(client: Client, url: str) -> Any:
    page = client.get(url).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert token
    return client.post(
        url,
        {
            "kind": "feedback",
            "title": "Cây đổ chắn đường",
            "content": "Cây xanh đổ chắn ngang đường Hùng Vương.",
            "province": 82,
            "commune": COMMUNE,
            "is_anonymous": "on",
            "people_count": 1,
            "form_token": token.group(1),
        },
    )


def test_portal_and_api_share_the_limit_and_the_page_keeps_the_text() -> None:
    client = Client(HTTP_HOST="localhost")
    _api(client)
    assert _portal_post(client, FILE_URL).status_code == 302

    response = _portal_post(client, FILE_URL)

    assert response.status_code == 429
    html = response.content.decode()
    assert 'data-testid="rate-limited"' in html
    assert (
        translated(
            "Too many petitions were sent from your network in a short time. "
            "Please wait a while and send it again; what you wrote is kept below."
        )
        in html
    )
    assert "Cây xanh đổ chắn ngang đường Hùng Vương." in html
    assert Petition.objects.count() == 2


def test_portal_limit_page_is_in_english_under_en() -> None:
    client = Client(HTTP_HOST="localhost")
    for _ in range(2):
        _api(client)

    response = _portal_post(client, "/en" + FILE_URL)

    assert response.status_code == 429
    assert "what you wrote is kept below" in response.content.decode()
