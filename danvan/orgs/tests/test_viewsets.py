"""The back-office for organizations and memberships, through HTTP."""

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from danvan.core.models import AuditEvent
from danvan.orgs.models import Membership, Organization, Role
from danvan.orgs.services import membership_grant
from danvan.orgs.tests.conftest import DONG_THAP, MY_THO, Tree, vi
from danvan.orgs.tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(user: AbstractUser) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def grant(tree_org: Organization, role: Role, **user_fields: Any) -> AbstractUser:
    user = UserFactory(**user_fields)
    membership_grant(actor=None, user=user, organization=tree_org, role=role)
    return user  # type: ignore[no-any-return]


@pytest.fixture
def administrator(tree: Tree) -> AbstractUser:
    return grant(tree.province, Role.ADMINISTRATOR, username="quantri.dongthap")


@pytest.fixture
def handler(tree: Tree) -> AbstractUser:
    return grant(tree.province, Role.HANDLER, username="xuly.dongthap")


def organization_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "code": "so-xay-dung-dong-thap",
        "name": "Sở Xây dựng tỉnh Đồng Tháp",
        "short_name": "",
        "kind": "department",
        "level": "province",
        "parent": "",
        "province": str(DONG_THAP),
        "commune": "",
        "valid_from": "",
        "valid_to": "",
        "successor": "",
        "email": "",
        "phone": "",
        "address": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url",
    [
        "/admin/organizations/",
        "/admin/organizations/new/",
        "/admin/memberships/",
        "/admin/memberships/new/",
    ],
)
def test_administrator_opens_the_pages(administrator: AbstractUser, url: str) -> None:
    assert login(administrator).get(url).status_code == 200


@pytest.mark.parametrize("url", ["/admin/organizations/", "/admin/memberships/new/"])
def test_handler_is_sent_back_to_the_dashboard(handler: AbstractUser, url: str) -> None:
    response = login(handler).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_handler_enters_the_admin_but_sees_no_organizations_menu(handler: AbstractUser) -> None:
    response = login(handler).get("/admin/")
    assert response.status_code == 200
    assert b"/admin/organizations/" not in response.content


def test_user_without_membership_cannot_enter_the_admin(tree: Tree) -> None:
    response = login(UserFactory()).get("/admin/organizations/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_administrator_lists_only_the_bodies_administered(
    administrator: AbstractUser, tree: Tree
) -> None:
    content = login(administrator).get("/admin/organizations/").content.decode()
    assert "Thanh tra tỉnh Đồng Tháp" in content
    assert "Bộ phận tiếp công dân phường Mỹ Tho" in content
    assert "Ủy ban nhân dân tỉnh An Giang" not in content


def test_search_ignores_diacritics(administrator: AbstractUser, tree: Tree) -> None:
    response = login(administrator).get("/admin/organizations/", {"q": "thanh tra"})
    content = response.content.decode()
    assert "Thanh tra tỉnh Đồng Tháp" in content
    assert "Ủy ban nhân dân phường Mỹ Tho" not in content


def test_filters_by_kind_and_level(administrator: AbstractUser, tree: Tree) -> None:
    response = login(administrator).get(
        "/admin/organizations/", {"kind": "reception_office", "level": "commune"}
    )
    content = response.content.decode()
    assert "Bộ phận tiếp công dân phường Mỹ Tho" in content
    assert "Thanh tra tỉnh Đồng Tháp" not in content


def test_index_costs_a_bounded_number_of_queries(
    administrator: AbstractUser,
    tree: Tree,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for number in range(12):
        department = OrganizationFactory(
            code=f"so-{number}", parent=tree.province, province=tree.province.province
        )
        grant(department, Role.HANDLER, username=f"xuly{number}")
    client = login(administrator)
    client.get("/admin/organizations/")  # Warm the caches (content types, site).
    for url in ("/admin/organizations/", "/admin/memberships/"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get("/admin/organizations/", {"export": "csv"})
        assert b"so-11" in b"".join(response.streaming_content)


def test_export_to_spreadsheet(administrator: AbstractUser, tree: Tree) -> None:
    client = login(administrator)
    response = client.get("/admin/organizations/", {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = b"".join(client.get("/admin/organizations/", {"export": "csv"}).streaming_content)
    text = csv.decode()
    assert "t-thanh-tra-dong-thap" in text
    assert vi("Department") in text
    assert "t-ubnd-an-giang" not in text


def test_create_goes_through_the_service(administrator: AbstractUser, tree: Tree) -> None:
    response = login(administrator).post(
        "/admin/organizations/new/", organization_form(parent=str(tree.province.pk))
    )
    assert response.status_code == 302
    org = Organization.objects.get(code="so-xay-dung-dong-thap")
    assert org.name_folded == "so xay dung tinh dong thap"
    event = AuditEvent.objects.get(action="organization.create")
    assert event.actor == administrator
    assert event.target_id == str(org.pk)


def test_administrator_must_place_a_new_body_under_one_they_administer(
    administrator: AbstractUser, tree: Tree
) -> None:
    response = login(administrator).post(
        "/admin/organizations/new/", organization_form(parent=str(tree.other_province.pk))
    )
    assert response.status_code == 200
    assert not Organization.objects.filter(code="so-xay-dung-dong-thap").exists()


def test_create_shows_the_rule_broken(administrator: AbstractUser, tree: Tree) -> None:
    response = login(administrator).post(
        "/admin/organizations/new/",
        organization_form(level="commune", parent=str(tree.province.pk), province=""),
    )
    assert response.status_code == 200
    message = vi("A commune-level organization must name its commune.")
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="organization.create").exists()


def test_edit_updates_through_the_service(administrator: AbstractUser, tree: Tree) -> None:
    url = f"/admin/organizations/edit/{tree.inspectorate.pk}/"
    form = organization_form(
        code=tree.inspectorate.code,
        name="Thanh tra tỉnh Đồng Tháp",
        phone="0277 3851 234",
        parent=str(tree.province.pk),
    )
    assert login(administrator).post(url, form).status_code == 302
    event = AuditEvent.objects.get(action="organization.update")
    assert event.data == {"before": {"phone": ""}, "after": {"phone": "0277 3851 234"}}


def test_setting_the_end_date_closes_the_body(administrator: AbstractUser, tree: Tree) -> None:
    url = f"/admin/organizations/edit/{tree.commune_office.pk}/"
    form = organization_form(
        code=tree.commune_office.code,
        name=tree.commune_office.name,
        kind="reception_office",
        level="commune",
        parent=str(tree.commune.pk),
        commune=str(MY_THO),
        valid_to="2026-06-30",
    )
    response = login(administrator).post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    tree.commune_office.refresh_from_db()
    assert tree.commune_office.valid_to == datetime.date(2026, 6, 30)
    assert AuditEvent.objects.filter(action="organization.close").count() == 1


def test_bodies_outside_the_scope_are_not_found(administrator: AbstractUser, tree: Tree) -> None:
    client = login(administrator)
    assert client.get(f"/admin/organizations/edit/{tree.other_province.pk}/").status_code == 404
    assert client.get(f"/admin/organizations/history/{tree.other_province.pk}/").status_code == 404


def test_administrator_cannot_delete_an_organization(
    administrator: AbstractUser, tree: Tree
) -> None:
    response = login(administrator).post(f"/admin/organizations/delete/{tree.commune_office.pk}/")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert Organization.objects.filter(pk=tree.commune_office.pk).exists()


def test_superuser_deletes_an_unused_body_but_not_one_in_use(tree: Tree) -> None:
    client = login(UserFactory(is_superuser=True))
    response = client.post(f"/admin/organizations/delete/{tree.province.pk}/")
    assert response.status_code == 302
    assert Organization.objects.filter(pk=tree.province.pk).exists()
    client.post(f"/admin/organizations/delete/{tree.other_province.pk}/")
    assert not Organization.objects.filter(pk=tree.other_province.pk).exists()
    assert AuditEvent.objects.filter(action="organization.delete").count() == 1


def test_grant_and_revoke_through_the_back_office(administrator: AbstractUser, tree: Tree) -> None:
    client = login(administrator)
    officer = UserFactory(username="tiepdan.mytho")
    response = client.post(
        "/admin/memberships/new/",
        {
            "user": str(officer.pk),
            "organization": str(tree.commune_office.pk),
            "role": "reception_officer",
            "valid_from": "",
            "valid_to": "",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=officer)
    assert set(officer.groups.values_list("name", flat=True)) == {"Cán bộ tiếp công dân"}
    assert AuditEvent.objects.get(action="membership.grant", actor=administrator)

    search = client.get("/admin/memberships/", {"q": "tiepdan"}).content.decode()
    assert "tiepdan.mytho" in search

    response = client.post(f"/admin/memberships/delete/{membership.pk}/")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=officer).exists()
    assert not officer.groups.exists()
    assert AuditEvent.objects.filter(action="membership.revoke").count() == 1


def test_membership_dates_are_edited_through_the_service(
    administrator: AbstractUser, handler: AbstractUser
) -> None:
    membership = Membership.objects.get(user=handler)
    response = login(administrator).post(
        f"/admin/memberships/edit/{membership.pk}/",
        {"valid_from": "2026-01-01", "valid_to": "2025-12-31"},
    )
    assert response.status_code == 200
    assert vi("The end date cannot be before the start date.") in response.content.decode()
    response = login(administrator).post(
        f"/admin/memberships/edit/{membership.pk}/",
        {"valid_from": "2026-01-01", "valid_to": "2026-12-31"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.valid_to == datetime.date(2026, 12, 31)
    assert AuditEvent.objects.filter(action="membership.update").count() == 1


def test_memberships_outside_the_scope_are_hidden(administrator: AbstractUser, tree: Tree) -> None:
    outsider = grant(tree.other_province, Role.HEAD, username="lanhdao.angiang")
    client = login(administrator)
    assert "lanhdao.angiang" not in client.get("/admin/memberships/").content.decode()
    other = Membership.objects.get(user=outsider)
    assert client.get(f"/admin/memberships/edit/{other.pk}/").status_code == 404


def test_administrator_edits_the_top_body_they_administer(
    administrator: AbstractUser, tree: Tree
) -> None:
    response = login(administrator).post(
        f"/admin/organizations/edit/{tree.province.pk}/",
        organization_form(
            code=tree.province.code,
            name=tree.province.name,
            kind="peoples_committee",
            email="ubnd@dongthap.danvan.example",
        ),
    )
    assert response.status_code == 302
    tree.province.refresh_from_db()
    assert tree.province.email == "ubnd@dongthap.danvan.example"
    assert tree.province.parent is None


def test_edit_keeps_a_parent_outside_the_scope(tree: Tree) -> None:
    commission_admin = grant(tree.commission, Role.ADMINISTRATOR, username="quantri.bantgdv")
    response = login(commission_admin).post(
        f"/admin/organizations/edit/{tree.commission.pk}/",
        organization_form(
            code=tree.commission.code,
            name=tree.commission.name,
            kind="party_commission",
            parent=str(tree.central.pk),
            phone="0273 3872 100",
        ),
    )
    assert response.status_code == 302
    tree.commission.refresh_from_db()
    assert (tree.commission.parent, tree.commission.phone) == (tree.central, "0273 3872 100")
