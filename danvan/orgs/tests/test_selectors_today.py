"""Today's memberships and the ids of the bodies a user reads, read once a request.

Every list of petitions filters by `organization_ids_user_can_read`: it must
give exactly the bodies `organizations_user_can_read` gives, cost one query
for a user without a reader role, and never let an ended membership count.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from danvan.orgs.models import Role
from danvan.orgs.selectors import (
    memberships_today,
    organization_ids_user_can_read,
    organizations_user_can_read,
)
from danvan.orgs.tests.conftest import DONG_THAP, Tree
from danvan.orgs.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def fresh(user: object) -> object:
    """The same user as a new request would load it (nothing kept)."""
    return get_user_model().objects.get(pk=user.pk)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "role"),
    [
        ("province", Role.HEAD),
        ("province", Role.HANDLER),
        ("central", Role.COMMISSION_STAFF),
        ("commune", Role.ADMINISTRATOR),
        ("inspectorate", Role.RECEPTION_OFFICER),
    ],
)
def test_the_ids_are_the_bodies_the_user_reads(tree: Tree, body: str, role: Role) -> None:
    user = MembershipFactory(organization=getattr(tree, body), role=role).user
    expected = set(organizations_user_can_read(user).values_list("pk", flat=True))
    assert expected
    assert organization_ids_user_can_read(fresh(user)) == expected


def test_several_memberships_add_up_and_an_ended_one_does_not_count(tree: Tree) -> None:
    user = UserFactory()
    MembershipFactory(user=user, organization=tree.inspectorate, role=Role.HANDLER)
    MembershipFactory(user=user, organization=tree.commune, role=Role.HEAD)
    MembershipFactory(
        user=user, organization=tree.other_province, role=Role.HEAD, valid_to=YESTERDAY
    )
    ids = organization_ids_user_can_read(user)
    assert ids == {tree.inspectorate.pk, tree.commune.pk, tree.commune_office.pk}
    assert tree.other_province.pk not in ids
    rows = memberships_today(fresh(user))
    assert {(m.organization_id, m.role) for m in rows} == {
        (tree.inspectorate.pk, Role.HANDLER),
        (tree.commune.pk, Role.HEAD),
    }
    assert {m.province_id for m in rows} == {DONG_THAP}


def test_a_superuser_reads_every_body_and_nobody_else_reads_any(tree: Tree) -> None:
    superuser = UserFactory(is_superuser=True)
    assert organization_ids_user_can_read(superuser) is None
    inactive = MembershipFactory(organization=tree.province, role=Role.HEAD).user
    inactive.is_active = False
    assert organization_ids_user_can_read(inactive) == frozenset()
    assert memberships_today(inactive) == ()
    assert organization_ids_user_can_read(AnonymousUser()) == frozenset()
    assert organization_ids_user_can_read(None) == frozenset()


def test_a_handler_costs_one_query_and_a_head_two_then_none(
    tree: Tree, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    handler = fresh(MembershipFactory(organization=tree.inspectorate, role=Role.HANDLER).user)
    head = fresh(MembershipFactory(organization=tree.province, role=Role.HEAD).user)
    with django_assert_num_queries(1):  # the memberships; no body below to look for
        assert organization_ids_user_can_read(handler) == {tree.inspectorate.pk}
        memberships_today(handler)
    with django_assert_num_queries(2):  # the memberships, the bodies below
        organization_ids_user_can_read(head)
    with django_assert_num_queries(0):  # kept on the user object, which lives for a request
        organization_ids_user_can_read(head)
        memberships_today(head)


def test_a_new_request_sees_a_membership_that_ended(tree: Tree) -> None:
    membership = MembershipFactory(organization=tree.inspectorate, role=Role.HANDLER)
    assert organization_ids_user_can_read(fresh(membership.user)) == {tree.inspectorate.pk}
    membership.valid_to = YESTERDAY
    membership.save()
    assert organization_ids_user_can_read(fresh(membership.user)) == frozenset()
