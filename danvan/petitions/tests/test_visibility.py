"""Which petitions a user may open: `selectors.petitions_visible_to`.

Every list and case page starts from it. The bodies a user reads are read
once a request (`orgs.selectors.organization_ids_user_can_read`) and named
in the query: one body as a plain condition, up to
`READABLE_IDS_INLINE_LIMIT` as a list, more as a subquery. Each way must
give the same petitions.
"""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from danvan.orgs.models import Membership, Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import membership_revoke, organization_create
from danvan.petitions import selectors
from danvan.petitions.models import Petition
from danvan.petitions.selectors import InboxFilters, petition_inbox, petitions_visible_to
from danvan.petitions.tests.factories import (
    PASSWORD,
    OrgTree,
    make_petition,
    org_tree,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> OrgTree:
    return org_tree()


@pytest.fixture
def reception_office(tree: OrgTree) -> Organization:
    """A body below the inspectorate: a head of the province reads it too."""
    return organization_create(
        actor=None,
        code="t-phong-tiep-dan",
        name="Phòng Tiếp công dân, Thanh tra tỉnh Đồng Tháp",
        kind=OrganizationKind.DEPARTMENT,
        level=OrganizationLevel.PROVINCE,
        province=tree.province.province,
        parent=tree.inspectorate,
    )


def fresh(user: Any) -> Any:
    """The user as the next request loads it (nothing kept from this one)."""
    return get_user_model().objects.get(pk=user.pk)


def codes(petitions: Any) -> set[str]:
    return set(petitions.values_list("code", flat=True))


@pytest.fixture
def petitions(tree: OrgTree, reception_office: Organization) -> dict[str, Petition]:
    return {
        "province": make_petition(organization=tree.province),
        "inspectorate": make_petition(organization=tree.inspectorate),
        "office": make_petition(organization=reception_office),
    }


def test_a_handler_sees_the_petitions_of_their_one_body(
    tree: OrgTree, petitions: dict[str, Petition]
) -> None:
    handler = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    assert codes(petitions_visible_to(handler)) == {petitions["inspectorate"].code}
    # One body is a plain condition on it, which its own indexes serve in order.
    sql = str(petitions_visible_to(fresh(handler)).query)
    assert f'"organization_id" = {tree.inspectorate.pk}' in sql


@pytest.mark.parametrize("limit", [500, 1])
def test_a_head_sees_every_body_below_as_a_list_or_a_subquery(
    tree: OrgTree, petitions: dict[str, Petition], monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setattr(selectors, "READABLE_IDS_INLINE_LIMIT", limit)
    head = staff_user(tree.province, Role.HEAD, username="lanhdao")
    expected = {petition.code for petition in petitions.values()}
    assert codes(petitions_visible_to(head)) == expected
    assert codes(petition_inbox(fresh(head), InboxFilters())) == expected
    sql = str(petitions_visible_to(fresh(head)).query)
    assert ("WITH RECURSIVE" in sql) is (limit == 1)


def test_a_superuser_sees_all_and_a_user_without_a_body_none(
    tree: OrgTree, petitions: dict[str, Petition]
) -> None:
    superuser = staff_user(username="quantri", is_superuser=True)
    assert codes(petitions_visible_to(superuser)) == {p.code for p in petitions.values()}
    nobody = staff_user(username="khach")
    assert not petitions_visible_to(nobody).exists()
    inactive = staff_user(tree.province, Role.HEAD, username="nghiviec", is_active=False)
    assert not petitions_visible_to(inactive).exists()


def test_the_next_request_no_longer_shows_a_body_the_user_left(
    tree: OrgTree, petitions: dict[str, Petition]
) -> None:
    handler = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    client = Client()
    assert client.login(username="xuly", password=PASSWORD)
    case = reverse("petitions_staff:case", args=[petitions["inspectorate"].code])
    assert petitions["inspectorate"].code in client.get(reverse("petitions_staff:inbox")).text
    assert client.get(case).status_code == 200
    membership_revoke(actor=None, membership=Membership.objects.get(user=handler))
    assert (
        petitions["inspectorate"].code
        not in client.get(reverse("petitions_staff:inbox") + "?status=").text
    )
    # Without a role anywhere the user also leaves the back-office's group.
    refused = client.get(case)
    assert refused.status_code in (302, 403, 404)
    assert petitions["inspectorate"].title not in refused.text
