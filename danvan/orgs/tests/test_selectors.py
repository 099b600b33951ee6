"""The permission helpers: who acts for and who reads which organizations."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from danvan.orgs.models import Organization, Role
from danvan.orgs.selectors import (
    membership_list,
    organization_descendant_ids,
    organization_get_by_code,
    organization_list,
    organizations_user_acts_for,
    organizations_user_administers,
    organizations_user_can_read,
    user_can_read_organization,
    user_has_role,
    user_memberships,
    user_roles,
)
from danvan.orgs.tests.conftest import DONG_THAP, Tree
from danvan.orgs.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def codes(organizations: object) -> set[str]:
    return {org.code for org in organizations}  # type: ignore[attr-defined]


def test_head_reads_own_body_and_every_subordinate_at_any_depth(tree: Tree) -> None:
    head = MembershipFactory(organization=tree.province, role=Role.HEAD).user
    assert codes(organizations_user_can_read(head)) == {
        "t-ubnd-dong-thap",
        "t-thanh-tra-dong-thap",
        "t-ubnd-my-tho",
        "t-tcd-my-tho",
    }
    assert codes(organizations_user_acts_for(head)) == {"t-ubnd-dong-thap"}


@pytest.mark.parametrize("role", [Role.HANDLER, Role.RECEPTION_OFFICER, Role.EDITOR])
def test_staff_without_a_reader_role_reads_only_their_own_body(tree: Tree, role: Role) -> None:
    user = MembershipFactory(organization=tree.province, role=role).user
    assert codes(organizations_user_can_read(user)) == {"t-ubnd-dong-thap"}
    assert codes(organizations_user_acts_for(user)) == {"t-ubnd-dong-thap"}


def test_commission_staff_read_the_commissions_below_theirs(tree: Tree) -> None:
    staff = MembershipFactory(organization=tree.central, role=Role.COMMISSION_STAFF).user
    assert codes(organizations_user_can_read(staff)) == {
        "t-bantgdv-tw",
        "t-bantgdv-dong-thap",
    }


def test_administrator_reads_and_administers_the_subtree(tree: Tree) -> None:
    admin = MembershipFactory(organization=tree.commune, role=Role.ADMINISTRATOR).user
    assert codes(organizations_user_can_read(admin)) == {"t-ubnd-my-tho", "t-tcd-my-tho"}
    assert codes(organizations_user_administers(admin)) == {"t-ubnd-my-tho", "t-tcd-my-tho"}
    head = MembershipFactory(organization=tree.province, role=Role.HEAD).user
    assert not organizations_user_administers(head).exists()


def test_several_memberships_add_up(tree: Tree) -> None:
    user = UserFactory()
    MembershipFactory(user=user, organization=tree.inspectorate, role=Role.HANDLER)
    MembershipFactory(user=user, organization=tree.commune, role=Role.HEAD)
    MembershipFactory(user=user, organization=tree.other_province, role=Role.EDITOR)
    assert codes(organizations_user_can_read(user)) == {
        "t-thanh-tra-dong-thap",
        "t-ubnd-my-tho",
        "t-tcd-my-tho",
        "t-ubnd-an-giang",
    }
    assert codes(organizations_user_acts_for(user)) == {
        "t-thanh-tra-dong-thap",
        "t-ubnd-my-tho",
        "t-ubnd-an-giang",
    }
    assert user_roles(user, tree.commune) == {Role.HEAD}
    assert user_roles(user, tree.commune_office) == set()


def test_expired_membership_gives_nothing(tree: Tree) -> None:
    head = MembershipFactory(
        organization=tree.province,
        role=Role.HEAD,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=YESTERDAY,
    ).user
    assert not organizations_user_can_read(head).exists()
    assert not organizations_user_acts_for(head).exists()
    assert user_roles(head, tree.province) == set()
    assert not user_has_role(head, tree.province)
    assert not user_memberships(head).exists()
    # On a day the membership counted, it did.
    assert codes(organizations_user_acts_for(head, on_date=YESTERDAY)) == {"t-ubnd-dong-thap"}
    assert user_has_role(head, tree.province, Role.HEAD, on_date=YESTERDAY)


def test_membership_that_starts_tomorrow_gives_nothing_today(tree: Tree) -> None:
    handler = MembershipFactory(organization=tree.province, valid_from=TOMORROW).user
    assert not organizations_user_acts_for(handler).exists()
    assert codes(organizations_user_acts_for(handler, on_date=TOMORROW)) == {"t-ubnd-dong-thap"}


def test_last_day_of_a_membership_still_counts(tree: Tree) -> None:
    handler = MembershipFactory(organization=tree.province, valid_to=TODAY).user
    assert codes(organizations_user_acts_for(handler)) == {"t-ubnd-dong-thap"}


def test_inactive_user_gets_nothing(tree: Tree) -> None:
    head = MembershipFactory(organization=tree.province, role=Role.HEAD).user
    head.is_active = False
    head.save()
    assert not organizations_user_can_read(head).exists()
    assert not organizations_user_acts_for(head).exists()
    assert user_roles(head, tree.province) == set()
    assert not user_has_role(head, tree.province, Role.HEAD)
    assert not user_can_read_organization(head, tree.province)


def test_inactive_superuser_gets_nothing(tree: Tree) -> None:
    root = UserFactory(is_superuser=True, is_active=False)
    assert not organizations_user_can_read(root).exists()
    assert user_roles(root, tree.province) == set()


def test_anonymous_user_gets_nothing(tree: Tree) -> None:
    anonymous = AnonymousUser()
    assert not organizations_user_can_read(anonymous).exists()
    assert not organizations_user_acts_for(None).exists()
    assert not user_has_role(anonymous, tree.province)


def test_superuser_reads_and_acts_for_every_organization_in_every_role(tree: Tree) -> None:
    root = UserFactory(is_superuser=True)
    everything = set(Organization.objects.values_list("code", flat=True))
    assert codes(organizations_user_can_read(root)) == everything
    assert codes(organizations_user_acts_for(root)) == everything
    assert codes(organizations_user_administers(root)) == everything
    assert user_roles(root, tree.commune) == set(Role)
    assert user_has_role(root, tree.commune, Role.HANDLER)


def test_user_has_role_checks_the_roles_named(tree: Tree) -> None:
    handler = MembershipFactory(organization=tree.inspectorate, role=Role.HANDLER).user
    assert user_has_role(handler, tree.inspectorate)
    assert user_has_role(handler, tree.inspectorate, Role.HEAD, Role.HANDLER)
    assert not user_has_role(handler, tree.inspectorate, Role.HEAD)
    assert not user_has_role(handler, tree.province, Role.HANDLER)


def test_user_can_read_organization(tree: Tree) -> None:
    head = MembershipFactory(organization=tree.province, role=Role.HEAD).user
    assert user_can_read_organization(head, tree.commune_office)
    assert not user_can_read_organization(head, tree.other_province)


def test_descendant_ids_with_and_without_the_roots(tree: Tree) -> None:
    ids = organization_descendant_ids([tree.province.pk])
    assert ids == {
        tree.province.pk,
        tree.inspectorate.pk,
        tree.commune.pk,
        tree.commune_office.pk,
    }
    assert organization_descendant_ids([tree.province.pk], include_self=False) == {
        tree.inspectorate.pk,
        tree.commune.pk,
        tree.commune_office.pk,
    }
    assert organization_descendant_ids([tree.commune_office.pk, tree.central.pk]) == {
        tree.commune_office.pk,
        tree.central.pk,
        tree.commission.pk,
    }


def test_descendant_ids_of_nothing_costs_no_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(0):
        assert organization_descendant_ids([]) == set()


def test_descendant_ids_end_on_a_cycle_in_bad_data(tree: Tree) -> None:
    # Bypass the services, which refuse cycles, to corrupt the hierarchy.
    Organization.objects.filter(pk=tree.province.pk).update(parent=tree.commune_office)
    ids = organization_descendant_ids([tree.commune.pk])
    assert ids == {tree.province.pk, tree.inspectorate.pk, tree.commune.pk, tree.commune_office.pk}


def test_helpers_cost_one_query_each(
    tree: Tree,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    user = UserFactory()
    for org in (tree.province, tree.commune, tree.inspectorate):
        MembershipFactory(user=user, organization=org, role=Role.HEAD)
    with django_assert_num_queries(1):
        assert len(list(organizations_user_can_read(user))) == 4
    with django_assert_num_queries(1):
        assert len(list(organizations_user_acts_for(user))) == 3
    with django_assert_num_queries(1):
        assert user_roles(user, tree.province) == {Role.HEAD}
    with django_assert_num_queries(1):
        assert user_has_role(user, tree.province, Role.HEAD)
    with django_assert_num_queries(1):
        assert len(organization_descendant_ids([tree.province.pk, tree.central.pk])) == 6


def test_organization_list_loads_related_rows_in_one_query(
    tree: Tree,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(1):
        rows = [
            (org.name, org.parent and org.parent.name, org.province and org.province.name)
            for org in organization_list(province=DONG_THAP)
        ]
    assert len(rows) == 5


def test_organization_list_filters(tree: Tree) -> None:
    assert codes(organization_list(search="dong thap", level="province")) == {
        "t-bantgdv-dong-thap",
        "t-ubnd-dong-thap",
        "t-thanh-tra-dong-thap",
    }
    assert codes(organization_list(search="MỸ THO", kind="reception_office")) == {"t-tcd-my-tho"}
    assert codes(organization_list(parent=tree.province)) == {
        "t-thanh-tra-dong-thap",
        "t-ubnd-my-tho",
    }
    assert codes(organization_list(search="t-ubnd-an")) == {"t-ubnd-an-giang"}
    handler = MembershipFactory(organization=tree.commune).user
    assert codes(organization_list(for_user=handler)) == {"t-ubnd-my-tho"}


def test_organization_list_on_a_date_keeps_the_bodies_that_existed(tree: Tree) -> None:
    Organization.objects.filter(pk=tree.commission.pk).update(valid_from=datetime.date(2025, 2, 1))
    Organization.objects.filter(pk=tree.inspectorate.pk).update(
        valid_to=datetime.date(2024, 12, 31)
    )
    on_day = codes(organization_list(province=DONG_THAP, on_date=datetime.date(2025, 1, 15)))
    assert "t-bantgdv-dong-thap" not in on_day
    assert "t-thanh-tra-dong-thap" not in on_day
    assert "t-ubnd-dong-thap" in on_day


def test_organization_get_by_code_ignores_case_and_spaces(tree: Tree) -> None:
    assert organization_get_by_code("  T-UBND-Dong-Thap ") == tree.province
    with pytest.raises(Organization.DoesNotExist):
        organization_get_by_code("khong-co")


def test_membership_list_filters(tree: Tree) -> None:
    MembershipFactory(organization=tree.province, role=Role.HEAD)
    MembershipFactory(organization=tree.province, role=Role.HANDLER, valid_to=YESTERDAY)
    assert membership_list(organization=tree.province).count() == 2
    assert membership_list(organization=tree.province, role=Role.HEAD).count() == 1
    assert membership_list(organization=tree.province, on_date=TODAY).count() == 1
