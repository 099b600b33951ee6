"""Back-office pages of units and clusters (Wagtail admin)."""

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import translation
from pytest_django import DjangoAssertNumQueries
from wagtail.users.models import UserProfile

from danvan.core.models import AuditEvent
from danvan.geo.models import Cluster
from danvan.geo.services import cluster_create
from danvan.geo.tests.conftest import translated

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin(django_user_model: type[User]) -> User:
    """A superuser who reads the back-office in English (the msgids)."""
    user = django_user_model.objects.create_superuser("geo-admin", "geo@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def admin_client(admin: User) -> Client:
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    return client


def _form_errors(response: Any) -> dict[str, list[str]]:
    """Return the form's errors as English text (some messages are lazy)."""
    with translation.override("en"):
        return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def _rows(response: Any) -> list[str]:
    return [str(obj) for obj in response.context["object_list"]]


def test_menu_has_administrative_units_group(admin_client: Client) -> None:
    response = admin_client.get("/admin/")

    assert response.status_code == 200
    assert "Administrative units" in response.content.decode()


def test_menu_is_in_vietnamese_by_default(django_user_model: type[User]) -> None:
    user = django_user_model.objects.create_superuser("geo-vi", "vi@example.org", "pw")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    body = client.get("/admin/").content.decode()

    label = translated("Administrative units")
    # The sidebar is rendered as JSON, with non-ASCII letters escaped.
    assert json.dumps(label)[1:-1] in body


def test_province_list_search_ignores_accents(admin_client: Client) -> None:
    response = admin_client.get("/admin/provinces/", {"q": "dong thap"})

    assert response.status_code == 200
    assert _rows(response) == ["Tỉnh Đồng Tháp"]


def test_commune_list_filters_by_province_and_searches_by_name(admin_client: Client) -> None:
    response = admin_client.get("/admin/communes/", {"province": "1", "q": "Ba Đình"})

    assert response.status_code == 200
    assert _rows(response) == ["Phường Ba Đình"]


def test_commune_list_costs_a_bounded_number_of_queries(
    admin_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    admin_client.get("/admin/communes/")  # warm per-session caches (permissions, site)
    with django_assert_max_num_queries(25):
        response = admin_client.get("/admin/communes/", {"province": "82"})
    assert len(response.context["object_list"]) == 50


def test_legacy_commune_list_shows_current_communes(admin_client: Client) -> None:
    response = admin_client.get("/admin/legacy_communes/", {"q": "quan thanh"})

    body = response.content.decode()
    assert "Phường Quán Thánh" in _rows(response)
    assert "Phường Ba Đình" in body


def test_legacy_province_list_shows_current_province(admin_client: Client) -> None:
    response = admin_client.get("/admin/legacy_provinces/", {"q": "tien giang"})

    assert _rows(response) == ["Tỉnh Tiền Giang"]
    assert "Tỉnh Đồng Tháp" in response.content.decode()


def test_units_can_be_inspected_but_not_added_or_edited(admin_client: Client) -> None:
    assert admin_client.get("/admin/provinces/inspect/82/").status_code == 200
    assert admin_client.get("/admin/provinces/new/").status_code == 404
    assert admin_client.get("/admin/provinces/edit/82/").status_code == 404
    assert admin_client.get("/admin/communes/delete/4/").status_code == 404
    listing = admin_client.get("/admin/provinces/").content.decode()
    assert "/admin/provinces/edit/" not in listing


def test_staff_without_view_permission_cannot_see_units(django_user_model: type[User]) -> None:
    user = django_user_model.objects.create_user("clerk", "clerk@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    assert client.get("/admin/provinces/").status_code == 302

    user.user_permissions.add(Permission.objects.get(codename="view_province"))
    user = django_user_model.objects.get(pk=user.pk)
    client.force_login(user)
    assert client.get("/admin/provinces/").status_code == 200


def _cluster_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "dbscl",
        "name": "Cụm ĐBSCL",
        "description": "",
        "valid_from": "2025-07-01",
        "valid_to": "",
        "provinces": ["82", "86"],
    }
    data.update(overrides)
    return data


def test_creating_a_cluster_in_the_back_office_goes_through_the_service(
    admin_client: Client, admin: User
) -> None:
    response = admin_client.post("/admin/clusters/new/", _cluster_form())

    assert response.status_code == 302
    cluster = Cluster.objects.get(code="dbscl")
    assert sorted(cluster.provinces.values_list("code", flat=True)) == [82, 86]
    event = AuditEvent.objects.get(action="cluster.create")
    assert event.actor == admin
    assert event.data["provinces"] == [82, 86]


def test_back_office_shows_why_a_cluster_is_refused(admin_client: Client) -> None:
    response = admin_client.post("/admin/clusters/new/", _cluster_form(legacy_provinces=["87"]))

    assert response.status_code == 200
    assert _form_errors(response) == {
        "legacy_provinces": [
            "A cluster groups either current provinces or legacy provinces, not both."
        ]
    }
    assert not Cluster.objects.exists()
    assert not AuditEvent.objects.filter(action="cluster.create").exists()


def test_back_office_shows_legacy_date_rule(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/clusters/new/",
        _cluster_form(provinces=[], legacy_provinces=["82", "87"], valid_from="", valid_to=""),
    )

    assert _form_errors(response) == {
        "valid_to": [
            "A cluster of legacy provinces must end by 30 June 2025, when they were abolished."
        ]
    }


def test_editing_a_cluster_in_the_back_office_audits_the_change(
    admin_client: Client, admin: User
) -> None:
    cluster = cluster_create(
        actor=admin,
        code="dbscl",
        name="Cụm ĐBSCL",
        valid_from=datetime.date(2025, 7, 1),
        valid_to=None,
        province_codes=[82, 86],
    )

    response = admin_client.post(
        f"/admin/clusters/edit/{cluster.pk}/",
        _cluster_form(name="Cụm Đồng bằng sông Cửu Long", provinces=["82", "86", "91"]),
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="cluster.update")
    assert event.data == {
        "name": ["Cụm ĐBSCL", "Cụm Đồng bằng sông Cửu Long"],
        "provinces": [[82, 86], [82, 86, 91]],
    }
    history = admin_client.get(f"/admin/clusters/history/{cluster.pk}/")
    assert history.status_code == 200


def test_service_errors_the_form_cannot_see_are_shown_on_the_form(
    admin_client: Client, admin: User
) -> None:
    # Unknown codes cannot be posted through the checkboxes, but the code's
    # uniqueness is checked by the service inside the transaction too.
    cluster_create(
        actor=admin,
        code="dbscl",
        name="Cụm ĐBSCL",
        valid_from=datetime.date(2025, 7, 1),
        valid_to=None,
        province_codes=[82],
    )

    response = admin_client.post("/admin/clusters/new/", _cluster_form())

    assert response.status_code == 200
    assert _form_errors(response) == {"code": ["Cluster with this Code already exists."]}


def test_deleting_a_cluster_in_the_back_office_audits_it(
    admin_client: Client, admin: User
) -> None:
    cluster = cluster_create(
        actor=admin,
        code="dbscl",
        name="Cụm ĐBSCL",
        valid_from=datetime.date(2025, 7, 1),
        valid_to=None,
        province_codes=[82],
    )

    response = admin_client.post(f"/admin/clusters/delete/{cluster.pk}/")

    assert response.status_code == 302
    assert not Cluster.objects.exists()
    assert AuditEvent.objects.get(action="cluster.delete").data["provinces"] == [82]


def test_cluster_list_searches_and_filters(admin_client: Client, admin: User) -> None:
    for code, provinces in (("dbscl", [82, 86]), ("north", [1])):
        cluster_create(
            actor=admin,
            code=code,
            name=code.upper(),
            valid_from=datetime.date(2025, 7, 1),
            valid_to=None,
            province_codes=provinces,
        )

    assert _rows(admin_client.get("/admin/clusters/", {"q": "north"})) == ["NORTH"]
    assert _rows(admin_client.get("/admin/clusters/", {"provinces": "82"})) == ["DBSCL"]
