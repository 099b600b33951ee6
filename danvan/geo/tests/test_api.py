"""The public unit endpoints under /api/v1/units/."""

import pytest
from django.http import HttpResponse
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from danvan.geo import cache as units_cache
from danvan.geo.tests.conftest import has_vietnamese, translated

pytestmark = pytest.mark.django_db

BASE = "/api/v1/units"


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


def _is_public(response: HttpResponse) -> bool:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    return "public" in directives and "max-age=3600" in directives


def test_provinces_lists_34_with_code_name_kind(client: Client) -> None:
    response = client.get(f"{BASE}/provinces")

    assert response.status_code == 200
    data = response.json()
    assert len(data) == 34
    assert data[0] == {"code": 1, "name": "Thành phố Hà Nội", "kind": "municipality"}
    assert {"code": 82, "name": "Tỉnh Đồng Tháp", "kind": "province"} in data
    assert _is_public(response)


def test_province_communes_lists_the_communes(client: Client) -> None:
    response = client.get(f"{BASE}/provinces/1/communes")

    assert response.status_code == 200
    data = response.json()
    assert len(data) == 126
    assert {"code": 4, "name": "Phường Ba Đình", "kind": "ward"} in data
    assert _is_public(response)


@pytest.mark.parametrize("url", ["/provinces", "/provinces/1/communes"])
def test_list_endpoints_cost_a_fixed_number_of_queries(
    client: Client,
    url: str,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(2):
        assert client.get(BASE + url).status_code == 200
    with django_assert_max_num_queries(0):
        assert client.get(BASE + url).status_code == 200


def test_cached_answers_are_dropped_when_units_change(
    client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client.get(f"{BASE}/provinces")
    units_cache.invalidate()

    with django_assert_max_num_queries(2) as captured:
        assert client.get(f"{BASE}/provinces").status_code == 200
    assert len(captured.captured_queries) >= 1


def test_search_and_legacy_endpoints_cost_at_most_two_queries(
    client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for url in ("/search?q=thanh&limit=50", "/legacy/provinces/82", "/legacy/communes/19"):
        with django_assert_max_num_queries(2):
            assert client.get(BASE + url).status_code == 200


def test_unknown_province_is_404_with_vietnamese_message_by_default(client: Client) -> None:
    response = client.get(f"{BASE}/provinces/99/communes")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": translated("No province has the code %(code)s.") % {"code": 99}
    }
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.skipif(
    not has_vietnamese("No province has the code %(code)s."),
    reason="The Vietnamese catalog (locale/vi) does not yet translate the geo API messages.",
)
def test_unknown_province_message_is_in_vietnamese(client: Client) -> None:
    response = client.get(f"{BASE}/provinces/99/communes")

    assert response.json() == {"detail": "Không có tỉnh, thành phố nào mang mã 99."}


def test_unknown_province_message_is_in_english_on_request(client: Client) -> None:
    response = client.get(f"{BASE}/provinces/99/communes", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {"detail": "No province has the code 99."}
    assert response["Content-Language"] == "en"


def test_huge_code_is_404_not_a_server_error(client: Client) -> None:
    response = client.get(f"{BASE}/provinces/{10**30}/communes", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json()["detail"] == f"No province has the code {10**30}."


def test_non_numeric_code_is_rejected_by_validation(client: Client) -> None:
    assert client.get(f"{BASE}/provinces/abc/communes").status_code == 422


@pytest.mark.parametrize("query", ["dong thap", "Đồng Tháp"])
def test_search_finds_dong_thap_province(client: Client, query: str) -> None:
    response = client.get(f"{BASE}/search", {"q": query})

    assert response.status_code == 200
    assert response.json()[0] == {
        "code": 82,
        "name": "Tỉnh Đồng Tháp",
        "kind": "province",
        "level": "province",
        "province_code": 82,
        "province_name": "Tỉnh Đồng Tháp",
    }
    assert _is_public(response)


def test_search_gives_communes_with_their_province(client: Client) -> None:
    response = client.get(f"{BASE}/search", {"q": "quan thanh"})

    assert response.json() == [
        {
            "code": 17569,
            "name": "Xã Quan Thành",
            "kind": "commune",
            "level": "commune",
            "province_code": 40,
            "province_name": "Tỉnh Nghệ An",
        }
    ]


def test_search_honours_limit(client: Client) -> None:
    response = client.get(f"{BASE}/search", {"q": "an", "limit": 3})

    assert len(response.json()) == 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a name to search for."),
        ("   ", "Type a name to search for."),
        ("a", "Type at least 2 characters: one letter matches too many units."),
        ("Đ", "Type at least 2 characters: one letter matches too many units."),
        ("x" * 101, "The search text is too long: at most 100 characters."),
    ],
)
def test_search_rejects_empty_and_one_letter_queries_with_reason(
    client: Client, query: str, message: str
) -> None:
    response = client.get(f"{BASE}/search", {"q": query}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"detail": message}


def test_search_without_q_is_400_in_vietnamese_by_default(client: Client) -> None:
    response = client.get(f"{BASE}/search")

    assert response.status_code == 400
    assert response.json() == {"detail": translated("Type a name to search for.")}


@pytest.mark.parametrize("limit", [0, 51, -1])
def test_search_rejects_limit_out_of_range(client: Client, limit: int) -> None:
    response = client.get(f"{BASE}/search", {"q": "an", "limit": limit}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"detail": "The limit must be between 1 and 50."}


def test_legacy_province_shows_the_current_province(client: Client) -> None:
    response = client.get(f"{BASE}/legacy/provinces/82")

    assert response.status_code == 200
    assert response.json() == {
        "code": 82,
        "name": "Tỉnh Tiền Giang",
        "kind": "province",
        "valid_to": "2025-06-30",
        "current_provinces": [{"code": 82, "name": "Tỉnh Đồng Tháp", "kind": "province"}],
    }
    assert _is_public(response)
    old_dong_thap = client.get(f"{BASE}/legacy/provinces/87").json()
    assert old_dong_thap["current_provinces"] == [
        {"code": 82, "name": "Tỉnh Đồng Tháp", "kind": "province"}
    ]


def test_legacy_commune_shows_district_province_and_current_communes(client: Client) -> None:
    response = client.get(f"{BASE}/legacy/communes/13")

    assert response.status_code == 200
    assert response.json() == {
        "code": 13,
        "name": "Phường Quán Thánh",
        "kind": "ward",
        "valid_to": "2025-06-30",
        "district": {"code": 1, "name": "Quận Ba Đình", "kind": "urban_district"},
        "province": {"code": 1, "name": "Thành phố Hà Nội", "kind": "municipality"},
        "current_communes": [
            {
                "code": 4,
                "name": "Phường Ba Đình",
                "kind": "ward",
                "province_code": 1,
                "province_name": "Thành phố Hà Nội",
                "is_partial": False,
            }
        ],
    }


def test_split_legacy_commune_lists_every_current_commune_as_partial(client: Client) -> None:
    data = client.get(f"{BASE}/legacy/communes/19").json()

    assert [(c["code"], c["is_partial"]) for c in data["current_communes"]] == [
        (4, True),
        (70, True),
        (190, True),
        (226, True),
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/legacy/provinces/99", "No legacy province has the code 99."),
        ("/legacy/communes/999999", "No legacy commune has the code 999999."),
    ],
)
def test_unknown_legacy_units_are_404_with_message(client: Client, url: str, message: str) -> None:
    response = client.get(BASE + url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {"detail": message}


def test_errors_are_not_cached(client: Client) -> None:
    first = client.get(f"{BASE}/legacy/provinces/99", HTTP_ACCEPT_LANGUAGE="en")
    second = client.get(f"{BASE}/legacy/provinces/99")

    assert first.json() == {"detail": "No legacy province has the code 99."}
    assert second.json() == {
        "detail": translated("No legacy province has the code %(code)s.") % {"code": 99}
    }


def test_openapi_documents_the_unit_schemas(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()

    paths = document["paths"]
    for path in (
        "/api/v1/units/provinces",
        "/api/v1/units/provinces/{code}/communes",
        "/api/v1/units/search",
        "/api/v1/units/legacy/provinces/{code}",
        "/api/v1/units/legacy/communes/{code}",
    ):
        assert path in paths
    schemas = document["components"]["schemas"]
    for name in (
        "ProvinceOut",
        "CommuneOut",
        "UnitMatchOut",
        "LegacyProvinceOut",
        "LegacyCommuneOut",
        "ErrorOut",
    ):
        assert name in schemas
    search = paths["/api/v1/units/search"]["get"]
    assert set(search["responses"]) >= {"200", "400"}
    assert {p["name"] for p in search["parameters"]} == {"q", "limit"}
    assert set(paths["/api/v1/units/legacy/communes/{code}"]["get"]["responses"]) >= {
        "200",
        "404",
    }
