"""Fixtures of the orgs tests: a small hierarchy in Đồng Tháp and An Giang.

Ban Tuyên giáo và Dân vận Trung ương (central commission)
└── Ban Tuyên giáo và Dân vận Tỉnh ủy Đồng Tháp (commission)
UBND tỉnh Đồng Tháp (province)
├── Thanh tra tỉnh Đồng Tháp (department)
└── UBND phường Mỹ Tho (commune)
    └── Bộ phận tiếp công dân phường Mỹ Tho (commune)
UBND tỉnh An Giang (province)
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import translation

from danvan.geo.models import Commune, Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel
from danvan.orgs.tests.factories import OrganizationFactory

DONG_THAP = 82
AN_GIANG = 91
MY_THO = 28261  # Phường Mỹ Tho, Đồng Tháp
LONG_XUYEN = 30307  # Phường Long Xuyên, An Giang


@dataclass
class Tree:
    central: Organization
    commission: Organization
    province: Organization
    inspectorate: Organization
    commune: Organization
    commune_office: Organization
    other_province: Organization


def vi(msgid: str) -> str:
    """Return `msgid` as the back-office shows it (in Vietnamese once translated)."""
    with translation.override("vi"):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Assert the English msgids; the Vietnamese catalog is checked apart."""
    with translation.override("en"):
        yield


@pytest.fixture
def tree(db: None) -> Tree:
    dong_thap = Province.objects.get(code=DONG_THAP)
    my_tho = Commune.objects.get(code=MY_THO)
    central = OrganizationFactory(
        code="t-bantgdv-tw",
        name="Ban Tuyên giáo và Dân vận Trung ương",
        kind=OrganizationKind.PARTY_COMMISSION,
        level=OrganizationLevel.CENTRAL,
    )
    commission = OrganizationFactory(
        code="t-bantgdv-dong-thap",
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy Đồng Tháp",
        kind=OrganizationKind.PARTY_COMMISSION,
        province=dong_thap,
        parent=central,
    )
    province = OrganizationFactory(
        code="t-ubnd-dong-thap", name="Ủy ban nhân dân tỉnh Đồng Tháp", province=dong_thap
    )
    inspectorate = OrganizationFactory(
        code="t-thanh-tra-dong-thap",
        name="Thanh tra tỉnh Đồng Tháp",
        kind=OrganizationKind.DEPARTMENT,
        province=dong_thap,
        parent=province,
    )
    commune = OrganizationFactory(
        code="t-ubnd-my-tho",
        name="Ủy ban nhân dân phường Mỹ Tho",
        level=OrganizationLevel.COMMUNE,
        province=dong_thap,
        commune=my_tho,
        parent=province,
    )
    commune_office = OrganizationFactory(
        code="t-tcd-my-tho",
        name="Bộ phận tiếp công dân phường Mỹ Tho",
        kind=OrganizationKind.RECEPTION_OFFICE,
        level=OrganizationLevel.COMMUNE,
        province=dong_thap,
        commune=my_tho,
        parent=commune,
    )
    other_province = OrganizationFactory(
        code="t-ubnd-an-giang",
        name="Ủy ban nhân dân tỉnh An Giang",
        province=Province.objects.get(code=AN_GIANG),
    )
    return Tree(
        central=central,
        commission=commission,
        province=province,
        inspectorate=inspectorate,
        commune=commune,
        commune_office=commune_office,
        other_province=other_province,
    )
