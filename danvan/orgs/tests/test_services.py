"""The services that write organizations and memberships: rules, messages,
audit events and the role groups."""

import datetime
import io
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from danvan.core.models import AuditEvent
from danvan.geo.models import Commune, Province
from danvan.orgs.models import Membership, Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.roles import ROLE_GROUP_NAMES
from danvan.orgs.services import (
    membership_grant,
    membership_revoke,
    membership_update,
    organization_close,
    organization_create,
    organization_delete,
    organization_update,
    user_role_groups_sync,
)
from danvan.orgs.tests.conftest import AN_GIANG, DONG_THAP, LONG_XUYEN, MY_THO, Tree
from danvan.orgs.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def create(**kwargs: Any) -> Organization:
    fields: dict[str, Any] = {
        "actor": None,
        "code": "thu-nghiem",
        "name": "Cơ quan thử nghiệm",
        "kind": OrganizationKind.DEPARTMENT,
        "level": OrganizationLevel.PROVINCE,
    }
    fields.update(kwargs)
    return organization_create(**fields)


# organization_create ------------------------------------------------------


def test_create_folds_the_name_and_records_an_audit_event(tree: Tree) -> None:
    actor = UserFactory(username="quantri")
    org = create(
        actor=actor,
        code=" So-Xay-Dung-Dong-Thap ",
        name="  Sở Xây dựng   tỉnh Đồng Tháp ",
        province=Province.objects.get(code=DONG_THAP),
        parent=tree.province,
    )
    assert org.code == "so-xay-dung-dong-thap"
    assert org.name == "Sở Xây dựng tỉnh Đồng Tháp"
    assert org.name_folded == "so xay dung tinh dong thap"
    [event] = events("organization.create")
    assert event.actor == actor
    assert event.target_id == str(org.pk)
    assert event.data["code"] == "so-xay-dung-dong-thap"
    assert event.data["parent"] == tree.province.pk
    assert event.data["province"] == DONG_THAP


def test_commune_level_body_must_name_its_commune(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        create(level=OrganizationLevel.COMMUNE, parent=tree.province)
    assert messages_of(caught.value) == {
        "commune": ["A commune-level organization must name its commune."]
    }
    assert not events("organization.create")


def test_commune_level_body_gets_the_province_of_its_commune(tree: Tree) -> None:
    org = create(
        level=OrganizationLevel.COMMUNE,
        commune=Commune.objects.get(code=MY_THO),
        parent=tree.province,
    )
    assert org.province_id == DONG_THAP


def test_commune_must_be_in_the_province_named(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        create(
            level=OrganizationLevel.COMMUNE,
            province=Province.objects.get(code=DONG_THAP),
            commune=Commune.objects.get(code=LONG_XUYEN),
        )
    assert messages_of(caught.value) == {
        "commune": ["Phường Long Xuyên is not in Tỉnh Đồng Tháp."]
    }


def test_province_level_body_must_name_its_province(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        create(commune=Commune.objects.get(code=MY_THO))
    assert messages_of(caught.value) == {
        "province": ["A province-level organization must name its province."],
        "commune": [
            "A province-level organization serves the whole province: leave the commune empty."
        ],
    }


def test_central_body_serves_no_province(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        create(level=OrganizationLevel.CENTRAL, province=Province.objects.get(code=DONG_THAP))
    assert messages_of(caught.value) == {
        "province": [
            "A central organization serves the whole country: "
            "leave the province and the commune empty."
        ]
    }


def test_parent_must_not_be_of_a_lower_level(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        create(province=Province.objects.get(code=DONG_THAP), parent=tree.commune)
    assert messages_of(caught.value) == {
        "parent": ["A commune-level organization cannot oversee a province-level one."]
    }


def test_parent_must_serve_the_same_province(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        create(province=Province.objects.get(code=AN_GIANG), parent=tree.province)
    assert messages_of(caught.value) == {
        "parent": ["The parent organization serves another province (Tỉnh Đồng Tháp)."]
    }


def test_parent_must_still_be_open(tree: Tree) -> None:
    Organization.objects.filter(pk=tree.inspectorate.pk).update(
        valid_to=datetime.date(2025, 6, 30)
    )
    with pytest.raises(ValidationError) as caught:
        create(
            province=Province.objects.get(code=DONG_THAP),
            parent=Organization.objects.get(pk=tree.inspectorate.pk),
        )
    assert messages_of(caught.value) == {
        "parent": ["Thanh tra tỉnh Đồng Tháp closed on 30/6/2025: choose its successor."]
    }


def test_end_date_cannot_precede_start_date(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        create(
            province=Province.objects.get(code=DONG_THAP),
            valid_from=datetime.date(2025, 7, 1),
            valid_to=datetime.date(2025, 6, 30),
        )
    assert messages_of(caught.value) == {
        "valid_to": ["The end date cannot be before the start date."]
    }


def test_code_must_be_unique(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        create(code="t-ubnd-dong-thap", province=Province.objects.get(code=DONG_THAP))
    assert list(messages_of(caught.value)) == ["code"]


# organization_update ------------------------------------------------------


def test_update_refuses_a_cycle(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        organization_update(
            actor=None,
            organization=tree.province,
            data={"parent": tree.commune_office, "level": OrganizationLevel.COMMUNE},
        )
    assert messages_of(caught.value)["parent"] == [
        "An organization cannot be placed under itself or one of its subordinates."
    ]


def test_update_saves_and_records_only_what_changed(tree: Tree) -> None:
    org = organization_update(
        actor=None,
        organization=tree.inspectorate,
        data={"name": "Thanh tra  tỉnh Đồng Tháp (mới)", "phone": "0277 3851 234"},
    )
    org.refresh_from_db()
    assert org.name_folded == "thanh tra tinh dong thap (moi)"
    [event] = events("organization.update")
    assert event.data == {
        "before": {"name": "Thanh tra tỉnh Đồng Tháp", "phone": ""},
        "after": {"name": "Thanh tra tỉnh Đồng Tháp (mới)", "phone": "0277 3851 234"},
    }
    organization_update(actor=None, organization=org, data={"phone": "0277 3851 234"})
    assert len(events("organization.update")) == 1


def test_update_rejects_unknown_fields(tree: Tree) -> None:
    with pytest.raises(ValueError, match="name_folded"):
        organization_update(actor=None, organization=tree.province, data={"name_folded": "x"})


def test_update_cannot_end_a_body_with_open_subordinates(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        organization_update(
            actor=None, organization=tree.commune, data={"valid_to": datetime.date(2026, 1, 1)}
        )
    assert messages_of(caught.value) == {
        "valid_to": [
            "Ủy ban nhân dân phường Mỹ Tho still has 1 open subordinate organization: "
            "close or move it first."
        ]
    }


# organization_close -------------------------------------------------------


def test_close_with_successor_moves_subordinates_and_members(tree: Tree) -> None:
    successor = create(
        code="t-ubnd-my-tho-moi",
        name="Ủy ban nhân dân phường Mỹ Tho (mới)",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.COMMUNE,
        commune=Commune.objects.get(code=MY_THO),
        parent=tree.province,
        valid_from=datetime.date(2026, 1, 1),
    )
    head = MembershipFactory(organization=tree.commune, role=Role.HEAD).user
    closed = organization_close(
        actor=None,
        organization=tree.commune,
        valid_to=datetime.date(2025, 12, 31),
        successor=successor,
    )
    assert closed.valid_to == datetime.date(2025, 12, 31)
    assert closed.successor == successor
    tree.commune_office.refresh_from_db()
    assert tree.commune_office.parent == successor
    old = Membership.objects.get(user=head, organization=tree.commune)
    assert old.valid_to == datetime.date(2025, 12, 31)
    new = Membership.objects.get(user=head, organization=successor)
    assert (new.role, new.valid_from, new.valid_to) == (
        Role.HEAD,
        datetime.date(2026, 1, 1),
        None,
    )
    [event] = events("organization.close")
    assert event.data == {
        "valid_to": "2025-12-31",
        "successor": "t-ubnd-my-tho-moi",
        "moved_children": ["t-tcd-my-tho"],
        "moved_memberships": 1,
    }


def test_close_without_successor_needs_no_open_subordinates(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        organization_close(actor=None, organization=tree.province, valid_to=YESTERDAY)
    assert messages_of(caught.value) == {
        "valid_to": [
            "Ủy ban nhân dân tỉnh Đồng Tháp still has 2 open subordinate organizations: "
            "close or move them first."
        ]
    }


def test_close_twice_is_refused(tree: Tree) -> None:
    organization_close(actor=None, organization=tree.commune_office, valid_to=YESTERDAY)
    with pytest.raises(ValidationError, match="already closed"):
        organization_close(actor=None, organization=tree.commune_office, valid_to=TODAY)


def test_successor_must_outlive_the_body(tree: Tree) -> None:
    Organization.objects.filter(pk=tree.other_province.pk).update(
        valid_to=datetime.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as caught:
        organization_close(
            actor=None,
            organization=tree.commune_office,
            valid_to=datetime.date(2025, 6, 30),
            successor=Organization.objects.get(pk=tree.other_province.pk),
        )
    assert messages_of(caught.value)["successor"] == [
        "The successor must still exist after 30/6/2025."
    ]


def test_a_body_cannot_succeed_itself(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        organization_close(
            actor=None,
            organization=tree.commune_office,
            valid_to=TODAY,
            successor=tree.commune_office,
        )
    assert messages_of(caught.value)["successor"] == [
        "An organization cannot succeed itself, directly or through others."
    ]


# organization_delete ------------------------------------------------------


def test_delete_refuses_a_body_in_use_and_deletes_an_unused_one(tree: Tree) -> None:
    with pytest.raises(ValidationError, match="close it instead"):
        organization_delete(actor=None, organization=tree.province)
    organization_delete(actor=None, organization=tree.other_province)
    assert not Organization.objects.filter(code="t-ubnd-an-giang").exists()
    [event] = events("organization.delete")
    assert event.target_repr == "Ủy ban nhân dân tỉnh An Giang"


# memberships and role groups ----------------------------------------------


def group_names(user: Any) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_role_groups_exist_with_their_permissions() -> None:
    for role, name in ROLE_GROUP_NAMES.items():
        group = Group.objects.get(name=name)
        perms = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert "wagtailadmin.access_admin" in perms
        assert ("orgs.change_organization" in perms) == (role == Role.ADMINISTRATOR)
        assert "orgs.delete_organization" not in perms


def test_grant_adds_the_role_group_and_is_idempotent(tree: Tree) -> None:
    actor = UserFactory(username="quantri")
    user = UserFactory()
    first = membership_grant(
        actor=actor, user=user, organization=tree.province, role=Role.RECEPTION_OFFICER
    )
    again = membership_grant(
        actor=actor, user=user, organization=tree.province, role=Role.RECEPTION_OFFICER
    )
    assert again.pk == first.pk
    assert Membership.objects.filter(user=user).count() == 1
    assert group_names(user) == {"Cán bộ tiếp công dân"}
    assert user.has_perm("wagtailadmin.access_admin")
    [event] = events("membership.grant")
    assert event.actor == actor
    assert event.data == {
        "user": user.username,
        "organization": "t-ubnd-dong-thap",
        "role": "reception_officer",
        "valid_from": None,
        "valid_to": None,
        "is_deputy": False,
        "reopened": False,
        "groups_added": ["Cán bộ tiếp công dân"],
        "groups_removed": [],
    }


def test_grant_reopens_an_ended_membership(tree: Tree) -> None:
    ended = MembershipFactory(organization=tree.province, role=Role.HEAD, valid_to=YESTERDAY)
    membership = membership_grant(
        actor=None, user=ended.user, organization=tree.province, role=Role.HEAD, valid_from=TODAY
    )
    assert membership.pk == ended.pk
    assert (membership.valid_from, membership.valid_to) == (TODAY, None)
    assert events("membership.grant")[0].data["reopened"] is True


def test_grant_in_a_closed_body_is_refused(tree: Tree) -> None:
    organization_close(actor=None, organization=tree.commune_office, valid_to=YESTERDAY)
    tree.commune_office.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        membership_grant(
            actor=None, user=UserFactory(), organization=tree.commune_office, role="head"
        )
    day = f"{YESTERDAY.day}/{YESTERDAY.month}/{YESTERDAY.year}"
    assert messages_of(caught.value) == {
        "organization": [
            f"Bộ phận tiếp công dân phường Mỹ Tho closed on {day}: "
            "end the role by that day, or grant it in its successor instead."
        ]
    }


def test_grant_refuses_an_unknown_role(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        membership_grant(actor=None, user=UserFactory(), organization=tree.province, role="boss")
    assert list(messages_of(caught.value)) == ["role"]


def test_revoke_leaves_the_group_only_when_no_membership_of_the_role_is_left(
    tree: Tree,
) -> None:
    user = UserFactory()
    at_province = membership_grant(
        actor=None, user=user, organization=tree.province, role=Role.HANDLER
    )
    at_commune = membership_grant(
        actor=None, user=user, organization=tree.commune, role=Role.HANDLER
    )
    membership_grant(actor=None, user=user, organization=tree.commune, role=Role.EDITOR)
    membership_revoke(actor=None, membership=at_province)
    assert group_names(user) == {"Chuyên viên xử lý đơn", "Biên tập viên"}
    membership_revoke(actor=None, membership=at_commune)
    assert group_names(user) == {"Biên tập viên"}
    revokes = events("membership.revoke")
    assert [event.data["groups_removed"] for event in revokes] == [[], ["Chuyên viên xử lý đơn"]]
    assert revokes[1].data["organization"] == "t-ubnd-my-tho"
    assert not Membership.objects.filter(user=user, role=Role.HANDLER).exists()


def test_update_of_dates_records_before_and_after(tree: Tree) -> None:
    membership = membership_grant(
        actor=None, user=UserFactory(), organization=tree.province, role=Role.HEAD
    )
    membership_update(
        actor=None, membership=membership, valid_from=None, valid_to=datetime.date(2030, 6, 30)
    )
    [event] = events("membership.update")
    assert event.data["before"] == {"valid_from": None, "valid_to": None}
    assert event.data["after"] == {"valid_from": None, "valid_to": "2030-06-30"}
    with pytest.raises(ValidationError, match="end date cannot be before"):
        membership_update(
            actor=None,
            membership=membership,
            valid_from=datetime.date(2030, 7, 1),
            valid_to=datetime.date(2030, 6, 30),
        )


def test_sync_removes_the_group_of_a_membership_that_ended(tree: Tree) -> None:
    user = UserFactory()
    membership = membership_grant(
        actor=None, user=user, organization=tree.province, role=Role.HEAD
    )
    Membership.objects.filter(pk=membership.pk).update(valid_to=YESTERDAY)
    assert user_role_groups_sync(actor=None, user=user) == {
        "groups_added": [],
        "groups_removed": ["Lãnh đạo cơ quan"],
    }
    assert group_names(user) == set()
    assert user_role_groups_sync(actor=None, user=user) == {
        "groups_added": [],
        "groups_removed": [],
    }
    assert len(events("user.role_groups_sync")) == 1


def test_a_missing_role_group_is_created_with_its_permissions(tree: Tree) -> None:
    Group.objects.filter(name="Quản trị viên").delete()
    user = UserFactory()
    membership_grant(actor=None, user=user, organization=tree.province, role=Role.ADMINISTRATOR)
    assert group_names(user) == {"Quản trị viên"}
    assert user.has_perms(["wagtailadmin.access_admin", "orgs.change_organization"])


def test_sync_command_removes_groups_of_ended_memberships(tree: Tree) -> None:
    user = UserFactory(username="het.han")
    membership = membership_grant(actor=None, user=user, organization=tree.province, role="head")
    membership_grant(actor=None, user=UserFactory(), organization=tree.province, role="head")
    Membership.objects.filter(pk=membership.pk).update(valid_to=YESTERDAY)
    out = io.StringIO()
    call_command("sync_role_groups", stdout=out)
    assert "het.han: +[] -['Lãnh đạo cơ quan']" in out.getvalue()
    assert "1 users changed." in out.getvalue()
    assert group_names(user) == set()
