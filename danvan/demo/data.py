"""The demo's data, declared: bodies of the Mekong Delta provinces, their
communes, the clusters, and one account per role per province.

Everything here is invented for the demo (people, e-mail addresses); only
the names of the provinces and communes are real, and the communes are
looked up by name in the units loaded by `load_units`, so that their codes
are the real current ones. Dates are illustrative: the provincial
"Ban Tuyên giáo và Dân vận" replaced the "Ban Dân vận" in early 2025
(shown for Đồng Tháp with its predecessor), and the bodies of the merged
provinces and communes start on 2025-07-01.

Tây Ninh is one of the six members although it is usually counted in the
Southeast: it absorbed Long An, one of the thirteen members of the old
cluster, so the new cluster still covers everything the old one reported
(docs/decisions/0005-clusters-of-the-mekong-delta.md).
"""

import datetime
from dataclasses import dataclass, field
from typing import Final

from danvan.core.text import slugify_vi
from danvan.geo.models import LEGACY_LAST_DAY, REFORM_DATE
from danvan.orgs.models import OrganizationKind, OrganizationLevel, Role

#: The one password of every demo account but the superuser. Public: the
#: demo must never hold real data.
DEMO_PASSWORD: Final = "DanVan@Demo2026"  # noqa: S105
SUPERUSER_USERNAME: Final = "admin"
SUPERUSER_PASSWORD: Final = "DanVan@Admin2026"  # noqa: S105
SUPERUSER_NAME: Final = ("Quản trị", "Hệ thống")  # (first_name, last_name)
EMAIL_DOMAIN: Final = "danvan.example"

#: Invented petitions the demo adds once (`petitions.generator`), received
#: over the two years before the first load, so that inboxes and the
#: dashboard are not empty.
DEMO_PETITIONS: Final = 300
DEMO_PETITIONS_SEED: Final = 2026
DEMO_PETITIONS_RUN: Final = "demo"

COMMISSIONS_FROM: Final = datetime.date(2025, 3, 1)
OLD_COMMISSION_LAST_DAY: Final = datetime.date(2025, 2, 28)


@dataclass(frozen=True)
class OrganizationSpec:
    """A body to create; `parent` and `successor` are codes, `commune` a name."""

    code: str
    name: str
    short_name: str
    kind: OrganizationKind
    level: OrganizationLevel
    parent: str | None = None
    province: int | None = None
    commune: str | None = None
    valid_from: datetime.date | None = None


@dataclass(frozen=True)
class RenameSpec:
    """A body closed on `valid_to` and continued by `successor` (a code)."""

    code: str
    valid_to: datetime.date
    successor: str


@dataclass(frozen=True)
class AccountSpec:
    """A demo account: who they are and the one role they hold, where."""

    username: str
    first_name: str
    last_name: str
    role: Role
    organization: str


@dataclass(frozen=True)
class ClusterSpec:
    """A cluster of current (`provinces`) or legacy provinces."""

    code: str
    name: str
    description: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    provinces: tuple[int, ...] = ()
    legacy_provinces: tuple[int, ...] = ()


@dataclass(frozen=True)
class ProvinceSpec:
    """A member province of the current Mekong Delta cluster."""

    key: str  # username prefix: dongthap.tiepdan
    slug: str  # code suffix: ubnd-dong-thap
    code: int  # national code of the current province
    title: str  # as written after a body's name: "tỉnh Đồng Tháp"
    party_committee: str  # "Tỉnh ủy Đồng Tháp"
    communes: tuple[str, ...]  # names of current communes, as in the units
    # (last_name, first_name) of the holder of each role.
    people: dict[Role, tuple[str, str]] = field(default_factory=dict)


CENTRAL_COMMISSION: Final = OrganizationSpec(
    code="bantgdv-tw",
    name="Ban Tuyên giáo và Dân vận Trung ương",
    short_name="Ban TG&DV Trung ương",
    kind=OrganizationKind.PARTY_COMMISSION,
    level=OrganizationLevel.CENTRAL,
    valid_from=COMMISSIONS_FROM,
)

CENTRAL_ACCOUNT: Final = AccountSpec(
    username="trunguong.danvan",
    first_name="Xuân",
    last_name="Nguyễn Thị Thanh",
    role=Role.COMMISSION_STAFF,
    organization=CENTRAL_COMMISSION.code,
)

PROVINCES: Final[tuple[ProvinceSpec, ...]] = (
    ProvinceSpec(
        key="dongthap",
        slug="dong-thap",
        code=82,
        title="tỉnh Đồng Tháp",
        party_committee="Tỉnh ủy Đồng Tháp",
        communes=("Phường Mỹ Tho", "Phường Cao Lãnh", "Phường Sa Đéc"),
        people={
            Role.RECEPTION_OFFICER: ("Trần Thị Mỹ", "Linh"),
            Role.HANDLER: ("Lê Văn", "Tâm"),
            Role.HEAD: ("Nguyễn Hoàng", "Phúc"),
            Role.COMMISSION_STAFF: ("Phạm Thị Ngọc", "Hân"),
            Role.EDITOR: ("Võ Minh", "Khoa"),
            Role.ADMINISTRATOR: ("Huỳnh Quốc", "Bảo"),
        },
    ),
    ProvinceSpec(
        key="angiang",
        slug="an-giang",
        code=91,
        title="tỉnh An Giang",
        party_committee="Tỉnh ủy An Giang",
        communes=("Phường Long Xuyên", "Phường Rạch Giá", "Đặc khu Phú Quốc"),
        people={
            Role.RECEPTION_OFFICER: ("Đặng Thị Kim", "Ngân"),
            Role.HANDLER: ("Nguyễn Văn", "Lợi"),
            Role.HEAD: ("Trương Công", "Danh"),
            Role.COMMISSION_STAFF: ("Lâm Thị Bích", "Trâm"),
            Role.EDITOR: ("Phan Thanh", "Tùng"),
            Role.ADMINISTRATOR: ("Dương Minh", "Trí"),
        },
    ),
    ProvinceSpec(
        key="cantho",
        slug="can-tho",
        code=92,
        title="thành phố Cần Thơ",
        party_committee="Thành ủy Cần Thơ",
        communes=("Phường Ninh Kiều", "Phường Cái Răng", "Xã Phong Điền"),
        people={
            Role.RECEPTION_OFFICER: ("Lý Thị Thanh", "Thảo"),
            Role.HANDLER: ("Hồ Văn", "Hiếu"),
            Role.HEAD: ("Châu Gia", "Huy"),
            Role.COMMISSION_STAFF: ("Ngô Thị Diễm", "My"),
            Role.EDITOR: ("Tô Hoàng", "Nam"),
            Role.ADMINISTRATOR: ("Mai Văn", "Khánh"),
        },
    ),
    ProvinceSpec(
        key="vinhlong",
        slug="vinh-long",
        code=86,
        title="tỉnh Vĩnh Long",
        party_committee="Tỉnh ủy Vĩnh Long",
        communes=("Phường Long Châu", "Phường Bến Tre", "Phường Trà Vinh"),
        people={
            Role.RECEPTION_OFFICER: ("Bùi Thị Cẩm", "Tú"),
            Role.HANDLER: ("Đỗ Thành", "Nhân"),
            Role.HEAD: ("Cao Văn", "Thịnh"),
            Role.COMMISSION_STAFF: ("Kiều Thị Phương", "Thảo"),
            Role.EDITOR: ("Thái Minh", "Luân"),
            Role.ADMINISTRATOR: ("La Quốc", "Việt"),
        },
    ),
    ProvinceSpec(
        key="camau",
        slug="ca-mau",
        code=96,
        title="tỉnh Cà Mau",
        party_committee="Tỉnh ủy Cà Mau",
        communes=("Phường An Xuyên", "Phường Bạc Liêu", "Xã Năm Căn"),
        people={
            Role.RECEPTION_OFFICER: ("Quách Thị Hồng", "Nhung"),
            Role.HANDLER: ("Từ Văn", "Sang"),
            Role.HEAD: ("Tạ Minh", "Đức"),
            Role.COMMISSION_STAFF: ("Hà Thị Yến", "Nhi"),
            Role.EDITOR: ("Lưu Trọng", "Nghĩa"),
            Role.ADMINISTRATOR: ("Diệp Văn", "Toàn"),
        },
    ),
    ProvinceSpec(
        key="tayninh",
        slug="tay-ninh",
        code=80,
        title="tỉnh Tây Ninh",
        party_committee="Tỉnh ủy Tây Ninh",
        communes=("Phường Tân Ninh", "Phường Tân An", "Phường Kiến Tường"),
        people={
            Role.RECEPTION_OFFICER: ("Vương Thị Ánh", "Tuyết"),
            Role.HANDLER: ("Trịnh Văn", "Phát"),
            Role.HEAD: ("Lục Thanh", "Sơn"),
            Role.COMMISSION_STAFF: ("Kha Thị Mai", "Anh"),
            Role.EDITOR: ("Tăng Quốc", "Hưng"),
            Role.ADMINISTRATOR: ("Giang Văn", "Lộc"),
        },
    ),
)

#: For each role: the username suffix and the body (code prefix) it works in.
ROLE_POSTS: Final[dict[Role, tuple[str, str]]] = {
    Role.RECEPTION_OFFICER: ("tiepdan", "bantcd"),
    Role.HANDLER: ("xuly", "thanhtra"),
    Role.HEAD: ("lanhdao", "ubnd"),
    Role.COMMISSION_STAFF: ("danvan", "bantgdv"),
    Role.EDITOR: ("bientap", "bantgdv"),
    Role.ADMINISTRATOR: ("quantri", "ubnd"),
}

#: One province shows a rename: its "Ban Dân vận" closed and continued as
#: the "Ban Tuyên giáo và Dân vận".
RENAMED_PROVINCE: Final = "dong-thap"

CLUSTERS: Final[tuple[ClusterSpec, ...]] = (
    ClusterSpec(
        code="dbscl",
        name="Cụm thi đua công tác dân vận các tỉnh, thành phố Đồng bằng sông Cửu Long",
        description=(
            "Sáu tỉnh, thành phố từ ngày 01/7/2025: Đồng Tháp, An Giang, Cần Thơ, "
            "Vĩnh Long, Cà Mau và Tây Ninh (tỉnh Long An cũ nay thuộc Tây Ninh)."
        ),
        valid_from=REFORM_DATE,
        valid_to=None,
        provinces=(82, 91, 92, 86, 96, 80),
    ),
    ClusterSpec(
        code="dbscl-2020",
        name="Cụm thi đua công tác dân vận 13 tỉnh, thành phố Đồng bằng sông Cửu Long",
        description=(
            "Mười ba tỉnh, thành phố trước ngày 01/7/2025: Long An, Tiền Giang, Bến Tre, "
            "Trà Vinh, Vĩnh Long, Đồng Tháp, An Giang, Kiên Giang, Cần Thơ, Hậu Giang, "
            "Sóc Trăng, Bạc Liêu và Cà Mau."
        ),
        valid_from=datetime.date(2020, 1, 1),
        valid_to=LEGACY_LAST_DAY,
        legacy_provinces=(80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96),
    ),
)


def _body_name(commune_name: str) -> str:
    """ "Phường Mỹ Tho" → "phường Mỹ Tho", as written after "Ủy ban nhân dân"."""
    return commune_name[:1].lower() + commune_name[1:]


def commune_code(commune_name: str) -> str:
    """Return the code of the people's committee of a commune."""
    return "ubnd-" + slugify_vi(commune_name)


def province_organizations(province: ProvinceSpec) -> list[OrganizationSpec]:
    """Return the bodies of one province, parents before children."""
    s, t, p = province.slug, province.title, province.code
    committee = f"ubnd-{s}"
    bodies = [
        OrganizationSpec(
            code=committee,
            name=f"Ủy ban nhân dân {t}",
            short_name=f"UBND {t}",
            kind=OrganizationKind.PEOPLES_COMMITTEE,
            level=OrganizationLevel.PROVINCE,
            province=p,
            valid_from=REFORM_DATE,
        ),
        OrganizationSpec(
            code=f"bantgdv-{s}",
            name=f"Ban Tuyên giáo và Dân vận {province.party_committee}",
            short_name=f"Ban TG&DV {province.party_committee}",
            kind=OrganizationKind.PARTY_COMMISSION,
            level=OrganizationLevel.PROVINCE,
            parent=CENTRAL_COMMISSION.code,
            province=p,
            valid_from=COMMISSIONS_FROM,
        ),
        OrganizationSpec(
            code=f"mttq-{s}",
            name=f"Ủy ban Mặt trận Tổ quốc Việt Nam {t}",
            short_name=f"UBMTTQ {t}",
            kind=OrganizationKind.FATHERLAND_FRONT,
            level=OrganizationLevel.PROVINCE,
            province=p,
            valid_from=REFORM_DATE,
        ),
        OrganizationSpec(
            code=f"bantcd-{s}",
            name=f"Ban Tiếp công dân {t}",
            short_name=f"Ban TCD {t}",
            kind=OrganizationKind.RECEPTION_OFFICE,
            level=OrganizationLevel.PROVINCE,
            parent=committee,
            province=p,
            valid_from=REFORM_DATE,
        ),
        OrganizationSpec(
            code=f"thanhtra-{s}",
            name=f"Thanh tra {t}",
            short_name=f"Thanh tra {t}",
            kind=OrganizationKind.DEPARTMENT,
            level=OrganizationLevel.PROVINCE,
            parent=committee,
            province=p,
            valid_from=REFORM_DATE,
        ),
        OrganizationSpec(
            code=f"sonnmt-{s}",
            name=f"Sở Nông nghiệp và Môi trường {t}",
            short_name=f"Sở NN&MT {t}",
            kind=OrganizationKind.DEPARTMENT,
            level=OrganizationLevel.PROVINCE,
            parent=committee,
            province=p,
            valid_from=REFORM_DATE,
        ),
        OrganizationSpec(
            code=f"soxd-{s}",
            name=f"Sở Xây dựng {t}",
            short_name=f"Sở XD {t}",
            kind=OrganizationKind.DEPARTMENT,
            level=OrganizationLevel.PROVINCE,
            parent=committee,
            province=p,
            valid_from=REFORM_DATE,
        ),
    ]
    bodies.extend(
        OrganizationSpec(
            code=commune_code(name),
            name=f"Ủy ban nhân dân {_body_name(name)}",
            short_name=f"UBND {_body_name(name)}",
            kind=OrganizationKind.PEOPLES_COMMITTEE,
            level=OrganizationLevel.COMMUNE,
            parent=committee,
            province=p,
            commune=name,
            valid_from=REFORM_DATE,
        )
        for name in province.communes
    )
    return bodies


def predecessor_organizations() -> list[tuple[OrganizationSpec, RenameSpec]]:
    """Return the bodies that were renamed, with how they ended."""
    province = next(p for p in PROVINCES if p.slug == RENAMED_PROVINCE)
    old = OrganizationSpec(
        code=f"bandv-{province.slug}",
        name=f"Ban Dân vận {province.party_committee}",
        short_name=f"Ban Dân vận {province.party_committee}",
        kind=OrganizationKind.PARTY_COMMISSION,
        level=OrganizationLevel.PROVINCE,
        province=province.code,
    )
    return [
        (
            old,
            RenameSpec(
                code=old.code,
                valid_to=OLD_COMMISSION_LAST_DAY,
                successor=f"bantgdv-{province.slug}",
            ),
        )
    ]


def all_organizations() -> list[OrganizationSpec]:
    """Return every demo body, parents before children."""
    bodies = [CENTRAL_COMMISSION]
    for province in PROVINCES:
        bodies.extend(province_organizations(province))
    bodies.extend(old for old, _ in predecessor_organizations())
    return bodies


def accounts() -> list[AccountSpec]:
    """Return every demo account but the superuser."""
    result = []
    for province in PROVINCES:
        for role, (suffix, body) in ROLE_POSTS.items():
            last_name, first_name = province.people[role]
            result.append(
                AccountSpec(
                    username=f"{province.key}.{suffix}",
                    first_name=first_name,
                    last_name=last_name,
                    role=role,
                    organization=f"{body}-{province.slug}",
                )
            )
    result.append(CENTRAL_ACCOUNT)
    return result
