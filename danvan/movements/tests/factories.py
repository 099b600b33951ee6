"""Builders of the organizations, people and records of movement tests.

world = movement_world()
world.commission       # Ban Tuyên giáo và Dân vận Tỉnh ủy Đồng Tháp (reviews Đồng Tháp)
world.reviewer         # its staff (Role.COMMISSION_STAFF)
world.my_tho           # UBND phường Mỹ Tho (commune level, Đồng Tháp)
world.my_tho_staff     # a handler of Mỹ Tho
world.my_tho_head      # its chairman (Role.HEAD)
world.dao_thanh        # UBND phường Đạo Thạnh (another commune of Đồng Tháp)
world.dao_thanh_staff
world.province         # UBND tỉnh Đồng Tháp
world.an_giang         # UBND phường Long Xuyên, An Giang (another province)
world.an_giang_staff
world.central          # Ban Tuyên giáo và Dân vận Trung ương
world.central_staff
"""

import datetime
from dataclasses import dataclass
from typing import Any

from danvan.geo.models import Commune, Province
from danvan.movements import registrations
from danvan.movements.models import MovementField, MovementModel
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import organization_create
from danvan.petitions.tests.factories import staff_user

DONG_THAP = 82
AN_GIANG = 91
MY_THO = 28261
DAO_THANH = 28249
LONG_XUYEN = 30307


@dataclass(frozen=True)
class MovementWorld:
    province: Organization
    commission: Organization
    reviewer: Any
    my_tho: Organization
    my_tho_staff: Any
    my_tho_head: Any
    dao_thanh: Organization
    dao_thanh_staff: Any
    an_giang: Organization
    an_giang_staff: Any
    an_giang_commission: Organization
    an_giang_reviewer: Any
    central: Organization
    central_staff: Any
    editor: Any


def _org(code: str, name: str, kind: str, level: str, **kwargs: Any) -> Organization:
    return organization_create(actor=None, code=code, name=name, kind=kind, level=level, **kwargs)


def movement_world(prefix: str = "m") -> MovementWorld:
    """Create the bodies and users of `MovementWorld` (codes start with `prefix`)."""
    dong_thap = Province.objects.get(code=DONG_THAP)
    an_giang = Province.objects.get(code=AN_GIANG)
    ubnd = OrganizationKind.PEOPLES_COMMITTEE
    party = OrganizationKind.PARTY_COMMISSION
    province = _org(
        f"{prefix}-ubnd-dt",
        "Ủy ban nhân dân tỉnh Đồng Tháp",
        ubnd,
        OrganizationLevel.PROVINCE,
        province=dong_thap,
    )
    commission = _org(
        f"{prefix}-btgdv-dt",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy Đồng Tháp",
        party,
        OrganizationLevel.PROVINCE,
        province=dong_thap,
    )
    my_tho = _org(
        f"{prefix}-ubnd-my-tho",
        "Ủy ban nhân dân phường Mỹ Tho",
        ubnd,
        OrganizationLevel.COMMUNE,
        province=dong_thap,
        commune=Commune.objects.get(code=MY_THO),
        parent=province,
    )
    dao_thanh = _org(
        f"{prefix}-ubnd-dao-thanh",
        "Ủy ban nhân dân phường Đạo Thạnh",
        ubnd,
        OrganizationLevel.COMMUNE,
        province=dong_thap,
        commune=Commune.objects.get(code=DAO_THANH),
        parent=province,
    )
    an_giang_province = _org(
        f"{prefix}-ubnd-ag",
        "Ủy ban nhân dân tỉnh An Giang",
        ubnd,
        OrganizationLevel.PROVINCE,
        province=an_giang,
    )
    an_giang_org = _org(
        f"{prefix}-ubnd-long-xuyen",
        "Ủy ban nhân dân phường Long Xuyên",
        ubnd,
        OrganizationLevel.COMMUNE,
        province=an_giang,
        commune=Commune.objects.get(code=LONG_XUYEN),
        parent=an_giang_province,
    )
    an_giang_commission = _org(
        f"{prefix}-btgdv-ag",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy An Giang",
        party,
        OrganizationLevel.PROVINCE,
        province=an_giang,
    )
    central = _org(
        f"{prefix}-btgdv-tw",
        "Ban Tuyên giáo và Dân vận Trung ương",
        party,
        OrganizationLevel.CENTRAL,
    )
    return MovementWorld(
        province=province,
        commission=commission,
        reviewer=staff_user(commission, Role.COMMISSION_STAFF, username=f"{prefix}-reviewer"),
        my_tho=my_tho,
        my_tho_staff=staff_user(my_tho, Role.HANDLER, username=f"{prefix}-my-tho"),
        my_tho_head=staff_user(my_tho, Role.HEAD, username=f"{prefix}-my-tho-head"),
        dao_thanh=dao_thanh,
        dao_thanh_staff=staff_user(dao_thanh, Role.HANDLER, username=f"{prefix}-dao-thanh"),
        an_giang=an_giang_org,
        an_giang_staff=staff_user(an_giang_org, Role.HANDLER, username=f"{prefix}-long-xuyen"),
        an_giang_commission=an_giang_commission,
        an_giang_reviewer=staff_user(
            an_giang_commission, Role.COMMISSION_STAFF, username=f"{prefix}-ag-reviewer"
        ),
        central=central,
        central_staff=staff_user(central, Role.COMMISSION_STAFF, username=f"{prefix}-central"),
        editor=staff_user(commission, Role.EDITOR, username=f"{prefix}-editor"),
    )


def register_model(
    world: MovementWorld,
    *,
    name: str = "Hội quán nông dân ấp Mỹ Tho",
    organization: Organization | None = None,
    actor: Any = None,
    registered_on: datetime.date | None = None,
    started_on: datetime.date = datetime.date(2024, 3, 1),
    field: str = MovementField.ECONOMY,
) -> MovementModel:
    """Register a model of Mỹ Tho (or of `organization`) through the service."""
    organization = organization or world.my_tho
    return registrations.model_register(
        actor=actor or world.reviewer,
        organization=organization,
        name=name,
        field=field,
        started_on=started_on,
        description="Nông dân gặp nhau mỗi tháng để chia sẻ kỹ thuật canh tác.",
        commune=organization.commune,
        registered_on=registered_on or datetime.date(2026, 1, 5),
    )


def full_scores(model: Any) -> dict[int, int]:
    """Return the maximum score of every criterion that applies to `model`."""
    from danvan.movements.criteria import criteria_for

    return {c.pk: c.max_score for c in criteria_for(model.province_id)}


def recognize(
    world: MovementWorld,
    model: Any,
    *,
    on: datetime.date,
    level: str = "province",
    actor: Any = None,
) -> Any:
    """Review, evaluate (full marks) and recognize `model` on `on`."""
    actor = actor or world.reviewer
    if model.status == "registered":
        model = registrations.registration_review(actor=actor, registration=model)
    registrations.evaluation_record(
        actor=actor, registration=model, scores=full_scores(model), evaluated_on=on
    )
    return registrations.registration_recognize(
        actor=actor, registration=model, level=level, decided_on=on
    )
