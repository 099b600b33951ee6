# ruff: noqa: E501 (the demo's Vietnamese texts are kept whole on one line)
"""The demo's "Dân vận khéo" movement: a campaign, models, exemplars,
evaluations, recognitions, replications and two communities.

Made once through the movement's services, as the demo accounts would: the
provincial commission's staff (`<province>.danvan`) register on behalf of
their communes, evaluate against the default criteria and recognize; the
central commission (`trunguong.danvan`) recognizes one model at central
level. The campaign "Năm Dân vận khéo <year>" is launched by the central
commission for the whole country. Dates are counted back from the day of
the first load (registrations some months ago, recognitions after them);
one model of Vĩnh Long was recognized last year and is screened out this
year. Photos are drawn with Pillow. Every model, person and text is
invented. The run is recorded in the audit trail (`demo.movements`), and
nothing is added again once it is there.
"""

import dataclasses
import datetime
import io
from dataclasses import dataclass
from typing import Any, Final

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from danvan.core.audit import audit_record
from danvan.core.models import AuditEvent
from danvan.demo import data
from danvan.geo.models import Commune
from danvan.movements import campaigns, communities, registrations, replications
from danvan.movements.criteria import criteria_for
from danvan.movements.models import Campaign, Registration, Theme
from danvan.movements.registrations import ResultInput
from danvan.orgs.models import Organization

#: The audit action that marks the demo's movement as loaded.
RUN_ACTION: Final = "demo.movements"

D = datetime.timedelta


@dataclass(frozen=True)
class ModelSpec:
    """A demo model or exemplar and what happens to it."""

    province: str  # data.ProvinceSpec.key
    commune: str  # a name in the province's communes
    name: str
    field: str
    description: str
    people: str
    results: tuple[tuple[str, int, str], ...]
    #: "registered", "review", "recognize", "reject", "screen_out"
    outcome: str
    level: str = "province"
    themes: tuple[str, ...] = ()
    #: (province key, commune name, results) of each adoption.
    adoptions: tuple[tuple[str, str, tuple[tuple[str, int, str], ...]], ...] = ()
    exemplar_kind: str = ""
    title: str = ""
    photo: tuple[int, int, int] | None = None
    community: str = ""
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


MODELS: Final[tuple[ModelSpec, ...]] = (
    ModelSpec(
        province="dongthap",
        commune="Phường Mỹ Tho",
        name="Hội quán Nông dân ấp Mỹ Tây",
        field="economy",
        description=(
            "Mỗi tối thứ Bảy, nông dân trong ấp về hội quán uống trà, kể cho nhau nghe vụ lúa "
            "vừa rồi được mất ra sao. Cán bộ khuyến nông đến nghe và trả lời tại chỗ; chuyện "
            "đường sá, thủy lợi thì hội quán tự bàn, tự góp công góp của mà làm."
        ),
        people="62 hội viên là nông dân trong ấp; ban điều hành 5 người do hội viên bầu.",
        results=(
            ("Hội viên", 62, "người"),
            ("Giảm chi phí sản xuất lúa", 18, "%"),
            ("Đường nội đồng tự làm", 2.4, "km"),
        ),  # type: ignore[arg-type]
        outcome="recognize",
        level="province",
        themes=("nong-thon-moi",),
        adoptions=(
            ("dongthap", "Phường Cao Lãnh", (("Hội viên", 35, "người"),)),
            ("dongthap", "Phường Sa Đéc", (("Hội viên", 28, "người"),)),
            ("angiang", "Phường Long Xuyên", (("Hội viên", 40, "người"),)),
        ),
        photo=(46, 125, 50),
        community="Hội quán ấp Mỹ Tây",
    ),
    ModelSpec(
        province="dongthap",
        commune="Phường Sa Đéc",
        name="Tổ tự quản tuyến đường hoa kiểu mẫu",
        field="culture_society",
        description=(
            "Các hộ hai bên đường tự chia nhau trồng và chăm bồn hoa trước nhà, thay phiên quét "
            "dọn mỗi sáng Chủ nhật, và nhắc nhau không để xe, không đổ rác lấn lòng đường."
        ),
        people="48 hộ dân trên tuyến đường dài 1,2 km.",
        results=(("Hộ tham gia", 48, "hộ"), ("Bồn hoa", 96, "bồn")),
        outcome="recognize",
        level="commune",
        themes=("do-thi-van-minh",),
        photo=(194, 24, 91),
        community="Tổ tự quản đường hoa khóm 3",
    ),
    ModelSpec(
        province="dongthap",
        commune="Phường Cao Lãnh",
        name="Vận động hiến đất mở rộng đường liên ấp",
        field="economy",
        description=(
            "Cán bộ ấp đến từng nhà, họp dân bàn phương án; hộ nào khó khăn thì cả xóm góp công "
            "dời hàng rào. Không có khiếu nại nào trong suốt quá trình làm đường."
        ),
        people="Chi bộ ấp, Mặt trận, các đoàn thể và 120 hộ dân.",
        results=(("Đất hiến", 6200, "m²"), ("Hộ hiến đất", 87, "hộ")),
        outcome="review",
        themes=("nong-thon-moi",),
    ),
    ModelSpec(
        province="angiang",
        commune="Phường Rạch Giá",
        name="Tổ liên gia an toàn phòng cháy chữa cháy",
        field="defence_security",
        description=(
            "Mười hộ liền kề lập một tổ, có bình chữa cháy chung, số điện thoại gọi nhau và "
            "phân công ai ngắt điện, ai đưa người già, trẻ nhỏ ra ngoài khi có sự cố."
        ),
        people="34 tổ liên gia, 340 hộ; công an phường hướng dẫn diễn tập hằng quý.",
        results=(("Tổ liên gia", 34, "tổ"), ("Bình chữa cháy", 68, "bình")),
        outcome="recognize",
        level="province",
        adoptions=(("cantho", "Phường Cái Răng", (("Tổ liên gia", 12, "tổ"),)),),
        photo=(183, 28, 28),
    ),
    ModelSpec(
        province="angiang",
        commune="Phường Long Xuyên",
        name="Chợ phiên nông sản sạch cuối tuần",
        field="economy",
        description="Hội Nông dân phường tổ chức chợ phiên để nông dân bán thẳng rau quả sạch cho người tiêu dùng.",
        people="25 hộ bán hàng, Hội Nông dân và Hội Liên hiệp Phụ nữ phường.",
        results=(("Hộ bán hàng", 25, "hộ"),),
        outcome="registered",
    ),
    ModelSpec(
        province="cantho",
        commune="Phường Ninh Kiều",
        name="Dân hỏi – Chính quyền trả lời trên nhóm tin nhắn khu vực",
        field="political_system",
        description=(
            "Mỗi khu vực có một nhóm tin nhắn gồm người dân, trưởng khu vực và cán bộ phường. "
            "Câu hỏi của dân được trả lời trong 48 giờ; việc vượt thẩm quyền được chuyển đúng "
            "nơi và báo lại cho người hỏi."
        ),
        people="Cán bộ phường, 14 trưởng khu vực và hơn 3.000 người dân.",
        results=(("Câu hỏi được trả lời", 1240, "câu hỏi"), ("Trả lời trong 48 giờ", 93, "%")),
        outcome="recognize",
        level="central",
        themes=("chuyen-doi-so",),
        adoptions=(
            ("vinhlong", "Phường Long Châu", (("Câu hỏi được trả lời", 310, "câu hỏi"),)),
            ("camau", "Phường An Xuyên", ()),
        ),
        photo=(21, 101, 192),
    ),
    ModelSpec(
        province="cantho",
        commune="Xã Phong Điền",
        name="Câu lạc bộ phụ nữ tiết kiệm giúp nhau thoát nghèo",
        field="economy",
        description="Các chị góp tiết kiệm hằng tháng, cho hội viên nghèo vay không lãi để nuôi heo, trồng rau.",
        people="30 hội viên Hội Liên hiệp Phụ nữ xã.",
        results=(("Hội viên", 30, "người"),),
        outcome="reject",
        themes=("giam-ngheo",),
        extra={
            "reason": "Mới hoạt động 5 tháng, chưa có kết quả thoát nghèo để đánh giá; đề nghị đăng ký lại năm sau."
        },
    ),
    ModelSpec(
        province="vinhlong",
        commune="Phường Bến Tre",
        name="Ngôi nhà khuyến học dòng họ",
        field="culture_society",
        description="Mỗi dòng họ lập quỹ khuyến học, tặng thưởng con cháu học giỏi và đỡ đầu học sinh khó khăn.",
        people="9 dòng họ trong phường.",
        results=(("Học sinh được đỡ đầu", 57, "em"), ("Quỹ khuyến học", 214, "triệu đồng")),
        outcome="recognize",
        level="commune",
        photo=(255, 143, 0),
    ),
    ModelSpec(
        province="vinhlong",
        commune="Phường Trà Vinh",
        name="Camera an ninh do dân góp vốn",
        field="defence_security",
        description="Các hộ góp tiền lắp camera ở đầu hẻm, nối về điện thoại của tổ bảo vệ dân phố.",
        people="Tổ bảo vệ dân phố và 60 hộ dân.",
        results=(("Camera", 12, "chiếc"),),
        outcome="screen_out",
        level="commune",
        extra={
            "reason": "Từ đầu năm các camera hư hỏng không được sửa, tổ bảo vệ không còn theo dõi; mô hình không còn hiệu quả."
        },
    ),
    ModelSpec(
        province="camau",
        commune="Xã Năm Căn",
        name="Tổ hợp tác nuôi tôm sinh thái dưới tán rừng",
        field="economy",
        description="Các hộ giữ rừng đước, nuôi tôm quảng canh không dùng thức ăn công nghiệp, cùng bán cho một doanh nghiệp có chứng nhận.",
        people="22 hộ nhận khoán rừng.",
        results=(("Diện tích rừng giữ được", 310, "ha"), ("Thu nhập tăng", 25, "%")),
        outcome="recognize",
        level="province",
        photo=(0, 121, 107),
    ),
    ModelSpec(
        province="tayninh",
        commune="Phường Tân An",
        name="Bếp ăn tình thương tại bệnh viện",
        field="culture_society",
        description="Tình nguyện viên nấu cơm miễn phí cho người nhà bệnh nhân nghèo mỗi trưa.",
        people="40 tình nguyện viên, các cơ sở tôn giáo và nhà hảo tâm.",
        results=(("Suất ăn mỗi tháng", 3600, "suất"),),
        outcome="registered",
    ),
    ModelSpec(
        province="tayninh",
        commune="Phường Kiến Tường",
        name="Tổ hòa giải gắn với tổ dân phố",
        field="political_system",
        description="Tổ trưởng tổ dân phố cùng người có uy tín hòa giải mâu thuẫn ngay từ khi mới phát sinh.",
        people="18 tổ hòa giải.",
        results=(("Vụ việc hòa giải thành", 46, "vụ"),),
        outcome="review",
    ),
)

EXEMPLARS: Final[tuple[ModelSpec, ...]] = (
    ModelSpec(
        province="dongthap",
        commune="Phường Mỹ Tho",
        name="Ông Nguyễn Văn Bảy",
        field="economy",
        description="Hiến 800 m² đất làm đường và vận động 15 hộ lân cận cùng hiến đất.",
        people="",
        results=(("Đất hiến", 800, "m²"),),
        outcome="recognize",
        level="province",
        exemplar_kind="individual",
        title="Nông dân, ấp Mỹ Tây",
    ),
    ModelSpec(
        province="angiang",
        commune="Phường Long Xuyên",
        name="Chi hội Cựu chiến binh khóm Bình Khánh",
        field="defence_security",
        description="Tuần tra ban đêm cùng công an khu vực, giúp khóm nhiều năm liền không có tội phạm ma túy.",
        people="26 hội viên Cựu chiến binh.",
        results=(("Buổi tuần tra", 96, "buổi"),),
        outcome="recognize",
        level="commune",
        exemplar_kind="collective",
    ),
    ModelSpec(
        province="cantho",
        commune="Phường Cái Răng",
        name="Bà Trần Thị Út",
        field="culture_society",
        description="Mở lớp học tình thương miễn phí cho trẻ em bán vé số buổi tối.",
        people="",
        results=(("Học sinh", 24, "em"),),
        outcome="registered",
        exemplar_kind="individual",
        title="Giáo viên về hưu",
    ),
)


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _province(key: str) -> data.ProvinceSpec:
    return next(p for p in data.PROVINCES if p.key == key)


def _unit(key: str, commune: str) -> Organization:
    return Organization.objects.get(code=data.commune_code(commune))


def _photo(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """Draw a simple picture: a sky, fields in the model's colour, a roof."""
    image = Image.new("RGB", (960, 640), (225, 238, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 400, 960, 640), fill=colour)
    for x in range(0, 960, 80):
        draw.line((x, 640, 480, 400), fill=tuple(min(255, c + 40) for c in colour), width=3)
    draw.polygon(((330, 400), (480, 260), (630, 400)), fill=(150, 60, 40))
    draw.rectangle((370, 400, 590, 520), fill=(245, 230, 200))
    draw.ellipse((760, 60, 860, 160), fill=(255, 213, 79))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return SimpleUploadedFile(f"{name}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _results(rows: tuple[tuple[str, Any, str], ...]) -> list[ResultInput]:
    return [ResultInput(label=label, value=str(value), unit=unit) for label, value, unit in rows]


def _scores(row: Registration, kind: str, *, high: bool) -> dict[int, int]:
    return {
        c.pk: (c.max_score - (1 if high else 6))
        for c in criteria_for(row.province_id, target=kind)
    }


def _decide(
    spec: ModelSpec,
    row: Registration,
    reviewer: Any,
    central: Any,
    kind: str,
    today: datetime.date,
) -> None:
    """Take `row` through the steps of `spec.outcome`."""
    if spec.outcome == "registered":
        return
    row = registrations.registration_review(actor=reviewer, registration=row)
    if spec.outcome == "review":
        registrations.evaluation_record(
            actor=reviewer,
            registration=row,
            scores=_scores(row, kind, high=True),
            evaluated_on=today - D(days=5),
            note="Đang chờ ý kiến của Mặt trận xã.",
        )
        return
    if spec.outcome == "reject":
        registrations.evaluation_record(
            actor=reviewer,
            registration=row,
            scores=_scores(row, kind, high=False),
            evaluated_on=today - D(days=20),
        )
        registrations.registration_reject(
            actor=reviewer, registration=row, reason=spec.extra["reason"]
        )
        return
    decided_on = row.registered_on + D(days=45)
    if spec.outcome == "screen_out":
        decided_on = datetime.date(today.year - 1, 11, 20)
    actor = central if spec.level == "central" else reviewer
    registrations.evaluation_record(
        actor=actor,
        registration=row,
        scores=_scores(row, kind, high=True),
        evaluated_on=decided_on,
    )
    row = registrations.registration_recognize(
        actor=actor,
        registration=row,
        level=spec.level,
        decided_on=decided_on,
        decision_number=f"{40 + row.pk}-QĐ/BTGDV",
    )
    if spec.outcome == "screen_out":
        registrations.registration_screen_out(
            actor=reviewer, registration=row, reason=spec.extra["reason"]
        )


def _community(spec: ModelSpec, unit: Organization, staff: Any, today: datetime.date) -> Any:
    kind = "clubhouse" if spec.name.startswith("Hội quán") else "self_managed"
    community = communities.community_register(
        actor=staff,
        organization=unit,
        name=spec.community,
        kind=kind,
        commune=None,
        founded_on=datetime.date(today.year - 3, 3, 15),
        hamlet="Ấp Mỹ Tây" if kind == "clubhouse" else "Khóm 3",
        leader_name="Lê Văn Tư" if kind == "clubhouse" else "Phạm Thị Lan",
        description=spec.description,
    )
    for name, role in (
        ("Lê Văn Tư", "Chủ nhiệm"),
        ("Võ Thị Hạnh", "Thư ký"),
        ("Đặng Văn Lợi", "Hội viên"),
    ):
        communities.member_add(actor=staff, community=community, name=name, role=role)
    for weeks, title, kind_, people in (
        (1, "Sinh hoạt định kỳ: bàn lịch xuống giống vụ Đông Xuân", "meeting", 41),
        (5, "Sinh hoạt định kỳ: chia sẻ cách giảm phân bón", "meeting", 38),
        (9, "Cùng làm cầu bê tông qua kênh ấp", "activity", 27),
    ):
        communities.event_record(
            actor=staff,
            community=community,
            kind=kind_,
            date=today - D(weeks=weeks),
            title=title,
            participants=people,
        )
    return community


def load_movements(report: Any) -> None:
    """Add the demo's movement data once (see the module docstring)."""
    if AuditEvent.objects.filter(action=RUN_ACTION).exists():
        report.count("movement runs", created=False)
        return
    today = timezone.localdate()
    central = _user(data.CENTRAL_ACCOUNT.username)
    campaign = campaigns.campaign_launch(
        actor=central,
        organization=Organization.objects.get(code=data.CENTRAL_COMMISSION.code),
        name=f"Năm Dân vận khéo {today.year}",
        theme="Dân vận khéo góp phần xây dựng nông thôn mới và đô thị văn minh",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
        description="Mỗi xã, phường đăng ký ít nhất một mô hình; Mặt trận và các đoàn thể mỗi nơi ít nhất một mô hình.",
    )
    report.count("movement campaigns", created=True)
    themes = {theme.code: theme for theme in Theme.objects.all()}
    for index, spec in enumerate((*MODELS, *EXEMPLARS)):
        province = _province(spec.province)
        reviewer = _user(f"{province.key}.danvan")
        unit = _unit(spec.province, spec.commune)
        is_exemplar = bool(spec.exemplar_kind)
        registered_on = today - D(days=260 - 12 * index)
        if spec.outcome == "screen_out":
            registered_on = datetime.date(today.year - 1, 9, 1)
        common: dict[str, Any] = {
            "actor": reviewer,
            "organization": unit,
            "name": spec.name,
            "field": spec.field,
            "started_on": registered_on - D(days=400),
            "description": spec.description,
            "commune": Commune.objects.get(province_id=province.code, name=spec.commune),
            "people_involved": spec.people,
            "campaign": campaign if registered_on.year == today.year else None,
            "themes": [themes[code] for code in spec.themes if code in themes],
            "results": _results(spec.results),
            "registered_on": registered_on,
        }
        if is_exemplar:
            row: Registration = registrations.exemplar_register(
                kind=spec.exemplar_kind, title=spec.title, **common
            )
        else:
            community = _community(spec, unit, reviewer, today) if spec.community else None
            if community is not None:
                report.count("movement communities", created=True)
            row = registrations.model_register(community=community, **common)
        report.count("movement exemplars" if is_exemplar else "movement models", created=True)
        if spec.photo is not None:
            registrations.evidence_add(
                actor=reviewer,
                registration=row,
                caption=f"{spec.name} — ảnh minh họa",
                photo=_photo(f"dvk-{index}", spec.photo),
            )
        _decide(spec, row, reviewer, central, "exemplar" if is_exemplar else "model", today)
        for key, commune, results in spec.adoptions:
            adopter = _unit(key, commune)
            replications.replication_record(
                actor=_user(f"{key}.danvan"),
                model=row,  # type: ignore[arg-type]
                organization=adopter,
                started_on=min(today, row.registered_on + D(days=80)),
                note="Áp dụng có điều chỉnh cho phù hợp với địa phương.",
                results=_results(results),
            )
            report.count("movement replications", created=True)
    audit_record(
        actor=None,
        action=RUN_ACTION,
        data={
            "campaigns": Campaign.objects.count(),
            "registrations": Registration.objects.count(),
        },
    )
    report.count("movement runs", created=True)
