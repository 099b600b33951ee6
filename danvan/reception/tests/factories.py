"""Builders of the organizations and people of reception tests.

Made through the services, as in real use (`orgs.services`), and shared by
every reception test module:

    place = reception_place()
    place.commune          # Ủy ban nhân dân phường Mỹ Tho (commune level)
    place.chairman         # its head (Chủ tịch), a user
    place.officer          # a reception officer of the commune
    place.front            # Ủy ban MTTQ phường Mỹ Tho
    place.province         # Ủy ban nhân dân tỉnh Đồng Tháp, above the commune
    place.province_chairman
    place.department       # Sở Tài nguyên và Môi trường (an agency of the province)
    place.department_head
"""

from dataclasses import dataclass
from typing import Any

from danvan.geo.models import Commune
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel, Role
from danvan.orgs.services import organization_create
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.tests.factories import org_tree, staff_user


@dataclass(frozen=True)
class ReceptionPlace:
    """A province, one of its communes and the people who receive citizens there."""

    province: Organization
    province_chairman: Any
    department: Organization
    department_head: Any
    commune: Organization
    chairman: Any
    officer: Any
    front: Organization


def reception_place(*, prefix: str = "t") -> ReceptionPlace:
    """Create the organizations and users of `ReceptionPlace` (codes start with `prefix`)."""
    tree = org_tree(prefix=prefix)
    my_tho = Commune.objects.get(code=COMMUNE)
    commune = organization_create(
        actor=None,
        code=f"{prefix}-ubnd-my-tho",
        name="Ủy ban nhân dân phường Mỹ Tho",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=OrganizationLevel.COMMUNE,
        province=tree.province.province,
        commune=my_tho,
        parent=tree.province,
    )
    front = organization_create(
        actor=None,
        code=f"{prefix}-mttq-my-tho",
        name="Ủy ban Mặt trận Tổ quốc Việt Nam phường Mỹ Tho",
        kind=OrganizationKind.FATHERLAND_FRONT,
        level=OrganizationLevel.COMMUNE,
        province=tree.province.province,
        commune=my_tho,
    )
    department = organization_create(
        actor=None,
        code=f"{prefix}-so-tnmt-dong-thap",
        name="Sở Nông nghiệp và Môi trường tỉnh Đồng Tháp",
        kind=OrganizationKind.DEPARTMENT,
        level=OrganizationLevel.PROVINCE,
        province=tree.province.province,
        parent=tree.province,
    )
    return ReceptionPlace(
        province=tree.province,
        province_chairman=staff_user(
            tree.province, Role.HEAD, username=f"{prefix}-ct-tinh", first_name="Hùng"
        ),
        department=department,
        department_head=staff_user(
            department, Role.HEAD, username=f"{prefix}-gd-so", first_name="Minh"
        ),
        commune=commune,
        chairman=staff_user(commune, Role.HEAD, username=f"{prefix}-ct-xa", first_name="Tâm"),
        officer=staff_user(
            commune, Role.RECEPTION_OFFICER, username=f"{prefix}-tcd-xa", first_name="Lan"
        ),
        front=front,
    )
