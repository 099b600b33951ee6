"""Builders of organizations, staff and petitions for petition tests.

Everything is made through the services, as in real use: organizations
with `orgs.services.organization_create`, roles with `membership_grant`,
petitions with `services.petition_receive`, then `routing.petition_route`
to the holding organization and `handling.petitions_assign`. Any app's
tests may import them:

    tree = org_tree()
    handler = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    petition = make_petition(
        kind=PetitionKind.DENUNCIATION, organization=tree.inspectorate, assigned_to=handler
    )

The petitions are filed in `COMMUNE` (Phường Mỹ Tho, Đồng Tháp), which
the tree's organizations serve.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from danvan.geo.models import Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import membership_grant, organization_create
from danvan.petitions import handling, routing, services
from danvan.petitions.models import Channel, Petition
from danvan.petitions.services import PetitionerInput
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.workflow import PetitionKind

#: The password of every user made here.
PASSWORD = "Thu-Nghiem@2026"

#: Đồng Tháp, the province of `COMMUNE`.
DONG_THAP = 82

#: The petitioner of `make_petition` unless others are given.
PERSON = PetitionerInput(
    name="Nguyễn Văn An",
    identity_number="082123456789",
    phone="0912 345 678",
    email="an@example.vn",
    address="12 Lê Lợi, phường Mỹ Tho",
)


@dataclass(frozen=True)
class OrgTree:
    """Ủy ban nhân dân tỉnh Đồng Tháp and its Thanh tra tỉnh (a department below it)."""

    province: Organization
    inspectorate: Organization


def org_tree(*, prefix: str = "t") -> OrgTree:
    """Create the province people's committee and its inspectorate below it.

    `prefix` starts the codes, so that a test may build two trees.
    """
    dong_thap = Province.objects.get(code=DONG_THAP)
    province = organization_create(
        actor=None,
        code=f"{prefix}-ubnd-dong-thap",
        name="Ủy ban nhân dân tỉnh Đồng Tháp",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.PROVINCE,
        province=dong_thap,
    )
    inspectorate = organization_create(
        actor=None,
        code=f"{prefix}-thanh-tra-dong-thap",
        name="Thanh tra tỉnh Đồng Tháp",
        kind=OrganizationKind.DEPARTMENT,
        level=OrganizationLevel.PROVINCE,
        province=dong_thap,
        parent=province,
    )
    return OrgTree(province=province, inspectorate=inspectorate)


def staff_user(
    organization: Organization | None = None,
    role: Role | str | None = None,
    *,
    username: str,
    first_name: str = "Bình",
    last_name: str = "Trần Thị",
    is_superuser: bool = False,
    is_active: bool = True,
) -> Any:
    """Create a user with `PASSWORD`, holding `role` in `organization` (if given)."""
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first_name,
        last_name=last_name,
        is_superuser=is_superuser,
        is_staff=is_superuser,
        is_active=is_active,
    )
    if organization is not None and role is not None:
        membership_grant(actor=None, user=user, organization=organization, role=role)
    return user


def _assigner() -> Any:
    """A superuser who may assign any petition (heads only assign)."""
    user, created = get_user_model().objects.get_or_create(
        username="factory-assigner", defaults={"is_superuser": True, "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def make_petition(
    *,
    kind: PetitionKind | str = PetitionKind.FEEDBACK,
    organization: Organization | None = None,
    assigned_to: Any = None,
    assigned_by: Any = None,
    title: str = "Đường ngập nước sau mưa",
    content: str = "Đường Lê Lợi ngập sâu sau mỗi trận mưa.",
    petitioners: Sequence[PetitionerInput] | None = None,
    is_anonymous: bool = False,
    channel: Channel = Channel.PORTAL,
    category: str = "",
    commune_code: int = COMMUNE,
    is_signed: bool = True,
    actor: Any = None,
) -> Petition:
    """File a petition and bring it to `organization`, assigned to `assigned_to`.

    Filed with `petition_receive` (one petitioner, `PERSON`, unless
    `petitioners` or `is_anonymous` say otherwise), then routed with
    `petition_route` to `organization` when routing suggested another, and
    assigned with `petitions_assign` by `assigned_by` (a superuser made for
    it by default). Return the petition as stored.
    """
    if petitioners is None:
        petitioners = [] if is_anonymous else [PERSON]
    received = services.petition_receive(
        kind=PetitionKind(kind),
        channel=channel,
        title=title,
        content=content,
        commune_code=commune_code,
        petitioners=petitioners,
        is_anonymous=is_anonymous,
        is_signed=is_signed,
        category=category,
        actor=actor,
    )
    petition = Petition.objects.get(code=received.code)
    if organization is not None and petition.organization_id != organization.pk:
        petition = routing.petition_route(
            petition=petition, organization=organization, actor=actor
        )
    if assigned_to is not None:
        handling.petitions_assign(
            petitions=[petition], assignee=assigned_to, actor=assigned_by or _assigner()
        )
    return Petition.objects.select_related("organization", "assigned_to", "commune").get(
        pk=petition.pk
    )
