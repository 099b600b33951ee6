"""Builders of clusters, member bodies and briefings for briefing tests.

cluster = current_cluster()          # dbscl-t: Đồng Tháp (82) and An Giang (91)
legacy = legacy_cluster()            # dbscl-2020-t: Tiền Giang (82), Đồng Tháp (87), An Giang (89)
body = commission(82)                # Ban Tuyên giáo và Dân vận Tỉnh ủy Đồng Tháp
"""

import datetime

from danvan.geo.models import LEGACY_LAST_DAY, REFORM_DATE, Cluster, Province
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel
from danvan.orgs.services import organization_create

DONG_THAP = 82
AN_GIANG = 91
#: Legacy codes: Tiền Giang and Đồng Tháp became today's Đồng Tháp (82),
#: An Giang and Kiên Giang today's An Giang (91).
LEGACY_TIEN_GIANG = 82
LEGACY_DONG_THAP = 87
LEGACY_AN_GIANG = 89
LEGACY_KIEN_GIANG = 91


def current_cluster(code: str = "dbscl-t") -> Cluster:
    cluster = Cluster.objects.create(code=code, name="Cụm thi đua thử", valid_from=REFORM_DATE)
    cluster.provinces.set([DONG_THAP, AN_GIANG])
    return cluster


def legacy_cluster(code: str = "dbscl-2020-t") -> Cluster:
    cluster = Cluster.objects.create(
        code=code,
        name="Cụm thi đua cũ thử",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=LEGACY_LAST_DAY,
    )
    cluster.legacy_provinces.set(
        [LEGACY_TIEN_GIANG, LEGACY_DONG_THAP, LEGACY_AN_GIANG, LEGACY_KIEN_GIANG]
    )
    return cluster


def commission(province_code: int, *, prefix: str = "b") -> Organization:
    """Create the provincial Party commission (the member's reporting body)."""
    province = Province.objects.get(code=province_code)
    return organization_create(
        actor=None,
        code=f"{prefix}-bantgdv-{province_code}",
        name=f"Ban Tuyên giáo và Dân vận Tỉnh ủy {province.name.removeprefix('Tỉnh ')}",
        kind=OrganizationKind.PARTY_COMMISSION,
        level=OrganizationLevel.PROVINCE,
        province=province,
    )
