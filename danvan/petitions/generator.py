"""Realistic petition data for the demo and for benchmarks.

Pure functions make the rows (`generate`; they read only the calendar of
days off, through `rules.due_date`): petitions, their petitioners and
their case events as plain dicts of column values, following the workflow
(`workflow.TRANSITIONS`): a petition's status is reached by a path of
allowed actions, one case event per step, with dates that follow each other,
`resolved_on` on the decision, `closed_at` on closing and
`expected_response_by` from the statutory clocks (`rules.py`). Open
petitions are recent, closed ones older, and some are overdue. Everything is
invented: the names come from small lists of common Vietnamese family,
middle and given names, and the content never names the petitioner (so a
denouncer's name is never in `search_text`).

Simplifications: due dates use the default limits (an organization's own
`LocalTimeLimit` is ignored), nothing is extended, transferred in or
appealed to a second instance, and the lookup key hash is a constant that
no key matches (a citizen cannot look a generated petition up).

`write` stores the rows (`bulk_create`, or `COPY` on PostgreSQL) and
`reserve_codes` takes the codes from `PetitionCodeSequence` first, so that
live intake continues after them. Deterministic for a seed, given the same
context (communes, organizations, users) and the same `now`.
"""

import datetime
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

from django.db import connection, transaction
from django.utils import timezone

from danvan.core.text import fold, fold_cached
from danvan.petitions.actions import RESOLUTION_RULES
from danvan.petitions.limits import expected_response_date
from danvan.petitions.models import (
    CaseEvent,
    Channel,
    Eligibility,
    IneligibilityReason,
    Petition,
    PetitionCodeSequence,
    Petitioner,
)
from danvan.petitions.rules import StartEvent, due_date, rules_in_force
from danvan.petitions.workflow import (
    INITIAL_STATUS,
    KIND_ACTIONS,
    TRANSITIONS,
    Action,
    PetitionKind,
    Status,
)

#: The audit action that records a generation run (and makes a re-run refuse).
GENERATE_ACTION: Final = "petition.generate"

#: Not a real key: generated petitions cannot be looked up by a citizen.
GENERATED_KEY_HASH: Final = "0" * 64

KIND_WEIGHTS: Final[dict[PetitionKind, int]] = {
    PetitionKind.FEEDBACK: 45,
    PetitionKind.RECOMMENDATION: 30,
    PetitionKind.COMPLAINT: 18,
    PetitionKind.DENUNCIATION: 7,
}

CHANNEL_WEIGHTS: Final[dict[Channel, int]] = {
    Channel.PORTAL: 34,
    Channel.IN_PERSON: 24,
    Channel.PAPER: 16,
    Channel.HOTLINE: 10,
    Channel.PHONE: 6,
    Channel.EMAIL: 5,
    Channel.API: 5,
}


@dataclass(frozen=True)
class CategorySpec:
    """A field and category of petitions, with what such petitions say."""

    field: str
    category: str
    weight: int
    titles: tuple[str, ...]
    contents: tuple[str, ...]
    #: Organization code prefix of the province body that handles it.
    body: str


CATEGORIES: Final[tuple[CategorySpec, ...]] = (
    CategorySpec(
        "Đất đai",
        "Cấp giấy chứng nhận quyền sử dụng đất",
        14,
        (
            "Chậm cấp giấy chứng nhận quyền sử dụng đất",
            "Đề nghị cấp đổi sổ đỏ bị sai diện tích",
            "Hồ sơ cấp giấy chứng nhận bị trả lại nhiều lần",
        ),
        (
            "Hồ sơ nộp từ nhiều tháng trước nhưng đến nay vẫn chưa được giải quyết.",
            "Diện tích ghi trên giấy chứng nhận không đúng với thực tế sử dụng.",
            "Cán bộ một cửa yêu cầu bổ sung giấy tờ không có trong quy định.",
        ),
        "sonnmt",
    ),
    CategorySpec(
        "Đất đai",
        "Bồi thường, hỗ trợ, tái định cư",
        9,
        (
            "Khiếu nại mức bồi thường khi thu hồi đất",
            "Chưa được bố trí tái định cư sau giải tỏa",
            "Đề nghị xem xét lại đơn giá bồi thường cây trồng",
        ),
        (
            "Gia đình bị thu hồi đất làm đường nhưng mức bồi thường thấp hơn giá thị trường.",
            "Sau khi bàn giao mặt bằng đã hơn một năm vẫn chưa nhận được nền tái định cư.",
            "Đơn giá cây ăn trái áp dụng không đúng với bảng giá hiện hành của tỉnh.",
        ),
        "sonnmt",
    ),
    CategorySpec(
        "Đất đai",
        "Tranh chấp, lấn chiếm đất",
        6,
        (
            "Hộ liền kề lấn chiếm ranh đất",
            "Lấn chiếm đất công làm nơi kinh doanh",
            "Đề nghị giải quyết tranh chấp lối đi chung",
        ),
        (
            "Hộ bên cạnh xây tường rào lấn sang phần đất của gia đình khoảng một mét.",
            "Đất công ven kênh bị rào lại để buôn bán, cản trở đi lại.",
            "Lối đi chung của xóm bị chặn, người dân phải đi vòng rất xa.",
        ),
        "sonnmt",
    ),
    CategorySpec(
        "Môi trường",
        "Ô nhiễm môi trường",
        10,
        (
            "Cơ sở sản xuất xả nước thải ra kênh",
            "Khói bụi từ lò đốt rác gây ô nhiễm",
            "Mùi hôi từ trại chăn nuôi heo",
        ),
        (
            "Nước thải chưa qua xử lý chảy thẳng ra kênh làm cá chết hàng loạt.",
            "Lò đốt hoạt động cả ban đêm, khói bụi bay vào nhà dân.",
            "Mùi hôi nồng nặc ảnh hưởng đến sinh hoạt và sức khỏe của bà con trong ấp.",
        ),
        "sonnmt",
    ),
    CategorySpec(
        "Môi trường",
        "Thu gom rác thải",
        6,
        (
            "Rác thải không được thu gom đúng lịch",
            "Bãi rác tự phát ven đường",
            "Đề nghị bố trí thêm điểm tập kết rác",
        ),
        (
            "Xe thu gom rác không đến theo lịch, rác tồn đọng nhiều ngày gây mất vệ sinh.",
            "Người dân đổ rác bừa bãi ven đường, bốc mùi và thu hút ruồi muỗi.",
            "Khu dân cư mới chưa có điểm tập kết rác, bà con phải tự xử lý.",
        ),
        "sonnmt",
    ),
    CategorySpec(
        "Giao thông",
        "Đường giao thông nông thôn",
        8,
        (
            "Đường liên ấp xuống cấp nghiêm trọng",
            "Đề nghị sửa chữa cầu bắc qua kênh",
            "Đề nghị lắp đèn chiếu sáng tuyến đường",
        ),
        (
            "Mặt đường nhiều ổ gà, mùa mưa ngập nước, học sinh đi lại rất khó khăn.",
            "Cầu cũ đã xuống cấp, nhiều thanh gỗ mục, nguy hiểm cho người đi đường.",
            "Tuyến đường không có đèn chiếu sáng, ban đêm thường xảy ra va quẹt.",
        ),
        "soxd",
    ),
    CategorySpec(
        "Giao thông",
        "Trật tự an toàn giao thông",
        5,
        (
            "Xe tải chạy quá tốc độ qua khu dân cư",
            "Lấn chiếm lòng lề đường để buôn bán",
            "Đề nghị đặt gờ giảm tốc trước trường học",
        ),
        (
            "Xe tải trọng lớn chạy nhanh qua khu đông dân cư vào giờ tan học.",
            "Vỉa hè bị lấn chiếm, người đi bộ phải đi xuống lòng đường.",
            "Trước cổng trường thường xuyên xảy ra va chạm, cần có biển báo và gờ giảm tốc.",
        ),
        "soxd",
    ),
    CategorySpec(
        "Xây dựng",
        "Trật tự xây dựng",
        7,
        (
            "Công trình xây dựng không phép",
            "Xây dựng sai giấy phép gây nứt nhà liền kề",
            "Công trình thi công gây ồn ban đêm",
        ),
        (
            "Công trình đang xây dựng nhưng không treo biển thông tin giấy phép.",
            "Việc đào móng làm nhà bên cạnh bị nứt tường, chủ đầu tư chưa khắc phục.",
            "Thi công đổ bê tông đến khuya gây ồn ào ảnh hưởng giấc ngủ của người dân.",
        ),
        "soxd",
    ),
    CategorySpec(
        "An sinh xã hội",
        "Chế độ chính sách",
        9,
        (
            "Chưa được hưởng trợ cấp xã hội hằng tháng",
            "Đề nghị xem xét hộ nghèo, hộ cận nghèo",
            "Chậm chi trả chế độ người có công",
        ),
        (
            "Người cao tuổi trên tám mươi tuổi đã nộp hồ sơ nhưng chưa được nhận trợ cấp.",
            "Gia đình khó khăn nhưng không có tên trong danh sách bình xét hộ nghèo.",
            "Khoản trợ cấp hằng tháng bị chậm chi trả ba tháng liền.",
        ),
        "bantcd",
    ),
    CategorySpec(
        "An sinh xã hội",
        "Bảo hiểm xã hội, bảo hiểm y tế",
        4,
        (
            "Chưa được cấp thẻ bảo hiểm y tế",
            "Doanh nghiệp nợ tiền bảo hiểm xã hội",
            "Đề nghị hướng dẫn thủ tục hưởng bảo hiểm",
        ),
        (
            "Trẻ em dưới sáu tuổi trong gia đình chưa được cấp thẻ bảo hiểm y tế.",
            "Công ty nợ đóng bảo hiểm xã hội nhiều tháng, người lao động không chốt được sổ.",
            "Người dân chưa rõ thủ tục, hồ sơ để hưởng chế độ một lần.",
        ),
        "bantcd",
    ),
    CategorySpec(
        "Hành chính",
        "Thái độ, trách nhiệm cán bộ",
        7,
        (
            "Cán bộ tiếp dân có thái độ chưa đúng mực",
            "Đề nghị xem xét trách nhiệm cán bộ chậm giải quyết hồ sơ",
            "Phản ánh việc gây nhũng nhiễu khi làm thủ tục",
        ),
        (
            "Khi đến làm thủ tục, cán bộ trả lời thiếu tôn trọng và không hướng dẫn rõ ràng.",
            "Hồ sơ bị giữ quá hạn mà không có văn bản giải thích lý do.",
            "Có dấu hiệu yêu cầu nộp thêm tiền ngoài quy định để được giải quyết nhanh.",
        ),
        "thanhtra",
    ),
    CategorySpec(
        "Hành chính",
        "Thủ tục hành chính",
        6,
        (
            "Thủ tục chứng thực còn rườm rà",
            "Đề nghị mở rộng dịch vụ công trực tuyến",
            "Cổng dịch vụ công thường xuyên bị lỗi",
        ),
        (
            "Người dân phải đi lại nhiều lần mới hoàn thành một thủ tục đơn giản.",
            "Nhiều thủ tục vẫn phải nộp giấy dù đã có trên cổng dịch vụ công.",
            "Hệ thống báo lỗi khi nộp hồ sơ trực tuyến, không có số điện thoại hỗ trợ.",
        ),
        "bantcd",
    ),
    CategorySpec(
        "Nông nghiệp",
        "Thủy lợi, sản xuất nông nghiệp",
        5,
        (
            "Cống thủy lợi hư hỏng gây ngập úng ruộng",
            "Xâm nhập mặn ảnh hưởng vườn cây ăn trái",
            "Đề nghị hỗ trợ giống sau thiên tai",
        ),
        (
            "Cống đầu kênh bị hư, nước không thoát được, lúa ngập úng trên diện rộng.",
            "Nước mặn vào sâu trong nội đồng, nhiều vườn sầu riêng bị ảnh hưởng.",
            "Sau đợt sạt lở vừa qua, nhiều hộ mất trắng vụ mùa, đề nghị hỗ trợ giống.",
        ),
        "sonnmt",
    ),
    CategorySpec(
        "Giáo dục, y tế",
        "Trường học, trạm y tế",
        4,
        (
            "Trường học thiếu phòng học",
            "Thu các khoản ngoài quy định tại trường",
            "Trạm y tế thiếu thuốc",
        ),
        (
            "Học sinh phải học ca ba vì trường chưa xây thêm phòng học.",
            "Phụ huynh được yêu cầu đóng nhiều khoản thu chưa được công khai.",
            "Trạm y tế thường xuyên hết thuốc thông thường, người dân phải ra thị trấn mua.",
        ),
        "bantcd",
    ),
)

#: Closing sentences, added after the content.
REQUESTS: Final[tuple[str, ...]] = (
    "Kính đề nghị cơ quan có thẩm quyền xem xét, giải quyết.",
    "Rất mong được quan tâm giải quyết sớm.",
    "Đề nghị kiểm tra và trả lời bằng văn bản.",
    "Kính mong các cấp chính quyền xem xét.",
)

FAMILY_NAMES: Final[tuple[str, ...]] = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Hồ",
    "Dương",
    "Lý",
    "Đinh",
    "Lâm",
    "Châu",
    "Tô",
)
MIDDLE_NAMES: Final[dict[bool, tuple[str, ...]]] = {
    True: ("Thị", "Thị Ngọc", "Thị Thanh", "Ngọc", "Thị Kim", "Thị Mỹ", "Thu"),
    False: ("Văn", "Minh", "Hoàng", "Quốc", "Thanh", "Công", "Hữu", "Đức"),
}
GIVEN_NAMES: Final[dict[bool, tuple[str, ...]]] = {
    True: ("Lan", "Hoa", "Mai", "Hương", "Thảo", "Trang", "Nhung", "Yến", "Tuyết", "Hạnh"),
    False: ("Hùng", "Dũng", "Tuấn", "Phước", "Lộc", "Tài", "Sơn", "Bình", "Nghĩa", "Thắng"),
}
STREETS: Final[tuple[str, ...]] = (
    "ấp Tân Hòa",
    "ấp Bình Phú",
    "ấp Mỹ Thạnh",
    "khóm 3",
    "khóm 5",
    "đường 30 Tháng 4",
    "đường Nguyễn Huệ",
    "đường Trần Hưng Đạo",
)

#: How to reach each status after RECEIVE: the actions, in order. Every path
#: is allowed by `TRANSITIONS` (the tests walk them).
STATUS_PATHS: Final[Mapping[Status, tuple[Action, ...]]] = {
    Status.RECEIVED: (),
    Status.AWAITING_INFORMATION: (Action.REQUEST_INFORMATION,),
    Status.CLASSIFIED: (Action.CLASSIFY,),
    Status.ACCEPTED: (Action.CLASSIFY, Action.ACCEPT),
    Status.VERIFYING: (Action.CLASSIFY, Action.ACCEPT, Action.VERIFY),
    Status.DIALOGUE: (Action.CLASSIFY, Action.ACCEPT, Action.VERIFY, Action.HOLD_DIALOGUE),
    Status.SUSPENDED: (Action.CLASSIFY, Action.ACCEPT, Action.VERIFY, Action.SUSPEND),
    Status.DECIDED: (Action.CLASSIFY, Action.ACCEPT, Action.VERIFY, Action.DECIDE),
    Status.NOTIFIED: (Action.CLASSIFY, Action.ACCEPT, Action.VERIFY, Action.DECIDE, Action.NOTIFY),
    Status.CLOSED: (
        Action.CLASSIFY,
        Action.ACCEPT,
        Action.VERIFY,
        Action.DECIDE,
        Action.NOTIFY,
        Action.CLOSE,
    ),
    Status.TRANSFERRED: (Action.CLASSIFY, Action.TRANSFER),
    Status.GUIDED: (Action.CLASSIFY, Action.GUIDE),
    Status.FILED: (Action.CLASSIFY, Action.FILE),
    Status.WITHDRAWN: (Action.CLASSIFY, Action.WITHDRAW),
    Status.APPEALED: (
        Action.CLASSIFY,
        Action.ACCEPT,
        Action.VERIFY,
        Action.DECIDE,
        Action.NOTIFY,
        Action.APPEAL,
    ),
}

#: Feedback and recommendations whose facts are clear are answered without
#: a verification step.
_SHORT_PATH_SKIPS: Final = frozenset({Action.VERIFY})

#: Status weights by the age of the petition in days (up to the bound).
_STATUS_BY_AGE: Final[tuple[tuple[int, dict[Status, float]], ...]] = (
    (3, {Status.RECEIVED: 60, Status.AWAITING_INFORMATION: 8, Status.CLASSIFIED: 32}),
    (
        15,
        {
            Status.RECEIVED: 8,
            Status.AWAITING_INFORMATION: 8,
            Status.CLASSIFIED: 18,
            Status.ACCEPTED: 38,
            Status.VERIFYING: 12,
            Status.TRANSFERRED: 5,
            Status.GUIDED: 3,
            Status.FILED: 5,
            Status.WITHDRAWN: 3,
        },
    ),
    (
        60,
        {
            Status.AWAITING_INFORMATION: 2,
            Status.CLASSIFIED: 3,
            Status.ACCEPTED: 14,
            Status.VERIFYING: 20,
            Status.DIALOGUE: 4,
            Status.SUSPENDED: 2,
            Status.DECIDED: 9,
            Status.NOTIFIED: 10,
            Status.CLOSED: 22,
            Status.TRANSFERRED: 5,
            Status.GUIDED: 3,
            Status.FILED: 5,
            Status.WITHDRAWN: 1,
        },
    ),
    (
        365,
        {
            Status.ACCEPTED: 2,
            Status.VERIFYING: 2,
            Status.SUSPENDED: 1,
            Status.NOTIFIED: 3,
            Status.CLOSED: 72,
            Status.TRANSFERRED: 6,
            Status.GUIDED: 4,
            Status.FILED: 6,
            Status.WITHDRAWN: 2,
            Status.APPEALED: 2,
        },
    ),
    (
        100_000,
        {
            # Older than a year: very few still open (forgotten, overdue).
            Status.ACCEPTED: 0.2,
            Status.VERIFYING: 0.2,
            Status.SUSPENDED: 0.1,
            Status.NOTIFIED: 3,
            Status.CLOSED: 72,
            Status.TRANSFERRED: 6,
            Status.GUIDED: 4,
            Status.FILED: 6,
            Status.WITHDRAWN: 2,
            Status.APPEALED: 2,
        },
    ),
)

#: Public steps are shown to the citizen in the lookup.
_PUBLIC_ACTIONS: Final = frozenset(
    {
        Action.RECEIVE,
        Action.REQUEST_INFORMATION,
        Action.ACCEPT,
        Action.TRANSFER,
        Action.GUIDE,
        Action.FILE,
        Action.NOTIFY,
        Action.CLOSE,
        Action.WITHDRAW,
        Action.APPEAL,
    }
)

_HOUR: Final = 3600.0
_DAY: Final = 86400.0


@dataclass(frozen=True)
class OrganizationRef:
    """A body that may hold generated petitions."""

    pk: int
    code: str
    name: str
    #: Ids of the users it may assign petitions to (its handlers).
    handlers: tuple[int, ...] = ()


@dataclass(frozen=True)
class ProvinceContext:
    """The communes of one province and its bodies, by code prefix."""

    code: int
    communes: tuple[tuple[int, str], ...]  # (code, name)
    #: Body code prefix ("sonnmt", "thanhtra"...) → the province's body.
    bodies: Mapping[str, OrganizationRef]
    #: Commune code → the people's committee of that commune.
    commune_bodies: Mapping[int, OrganizationRef] = field(default_factory=dict)


@dataclass(frozen=True)
class GeneratorContext:
    """Where generated petitions go, and the period they span."""

    provinces: tuple[ProvinceContext, ...]
    start: datetime.datetime
    end: datetime.datetime


@dataclass
class GeneratedPetition:
    """The rows of one petition, as column values (attnames)."""

    petition: dict[str, Any]
    petitioners: list[dict[str, Any]]
    events: list[dict[str, Any]]


def path_for(kind: PetitionKind, status: Status) -> tuple[Action, ...]:
    """Return the actions that lead a petition of `kind` from RECEIVE to `status`."""
    path = STATUS_PATHS[status]
    if kind in (PetitionKind.FEEDBACK, PetitionKind.RECOMMENDATION) and status not in (
        Status.VERIFYING,
        Status.SUSPENDED,
        Status.DIALOGUE,
    ):
        path = tuple(a for a in path if a not in _SHORT_PATH_SKIPS)
    return path


def path_statuses(kind: PetitionKind, path: Sequence[Action]) -> list[Status]:
    """Walk `path` through `TRANSITIONS` from the initial status; raise if not allowed."""
    status = INITIAL_STATUS
    statuses = [status]
    for action in path:
        target = TRANSITIONS[status].get(action)
        if target is None or action not in KIND_ACTIONS[kind]:
            raise ValueError(f"{action} is not allowed from {status} for a {kind}.")
        status = target
        statuses.append(status)
    return statuses


def _reachable(kind: PetitionKind, status: Status) -> bool:
    try:
        path_statuses(kind, path_for(kind, status))
    except ValueError:
        return False
    return True


def _local_date(moment: datetime.datetime) -> datetime.date:
    """`timezone.localdate`, without its per-call lookups (called millions of times)."""
    return moment.astimezone(timezone.get_default_timezone()).date()


def _pick(rng: random.Random, weights: Mapping[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@lru_cache(maxsize=65536)
def _receipt_due(kind: PetitionKind, received_on: datetime.date) -> datetime.date | None:
    return expected_response_date(kind, received_on)


@lru_cache(maxsize=65536)
def _resolution_clock(
    kind: PetitionKind,
    received_on: datetime.date,
    accepted_on: datetime.date,
    is_complex: bool,
    is_remote: bool,
) -> tuple[str, datetime.date, datetime.date | None]:
    code = RESOLUTION_RULES[(kind, 1)]
    rule = rules_in_force(code, accepted_on)
    start = received_on if rule.start_event is StartEvent.RECEIPT else accepted_on
    rule = rules_in_force(code, start)
    due = due_date(rule, start, complex=is_complex, remote=is_remote)
    return code, start, due


def received_times(
    rng: random.Random, count: int, start: datetime.datetime, end: datetime.datetime
) -> list[datetime.datetime]:
    """Return `count` receipt times between `start` and `end`, sorted.

    More in office hours and on working days, and a slow growth over the
    years (more people use the portal).
    """
    span = (end - start).total_seconds()
    times: list[datetime.datetime] = []
    while len(times) < count:
        # Growth: the density rises linearly by half over the period.
        x = rng.random()
        if rng.random() > (1 + 0.5 * x) / 1.5:
            continue
        moment = start + datetime.timedelta(seconds=x * span)
        local = moment.astimezone(timezone.get_default_timezone())
        if local.weekday() >= 5 and rng.random() < 0.7:
            continue
        if not 7 <= local.hour < 17 and rng.random() < 0.8:
            continue
        times.append(moment)
    times.sort()
    return times


def _person(rng: random.Random) -> tuple[str, bool]:
    female = rng.random() < 0.5
    name = (
        f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES[female])} "
        f"{rng.choice(GIVEN_NAMES[female])}"
    )
    return name, female


def _petitioners(
    rng: random.Random, kind: PetitionKind, channel: Channel, address: str
) -> list[dict[str, Any]]:
    many = kind in (PetitionKind.COMPLAINT, PetitionKind.RECOMMENDATION) and rng.random() < 0.08
    people = []
    for index in range(rng.randint(2, 4) if many else 1):
        name, _female = _person(rng)
        people.append(
            {
                "name": name,
                "name_folded": fold_cached(name),
                "identity_number": f"0{rng.randint(10, 99)}{rng.randint(0, 999_999_999):09d}"
                if rng.random() < 0.6
                else "",
                "phone": f"09{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.7 else "",
                "email": f"nguoidan{rng.randint(1, 999_999)}@example.com"
                if channel in (Channel.PORTAL, Channel.EMAIL) and rng.random() < 0.6
                else "",
                "address": address,
                "is_representative": many and index == 0,
                "protection_waived": kind == PetitionKind.DENUNCIATION and rng.random() < 0.05,
            }
        )
    return people


def _organization(
    rng: random.Random, province: ProvinceContext, commune: int, spec: CategorySpec
) -> OrganizationRef | None:
    local = province.commune_bodies.get(commune)
    if local is not None and rng.random() < 0.5:
        return local
    roll = rng.random()
    if roll < 0.55:
        prefix = spec.body
    elif roll < 0.75:
        prefix = "thanhtra"
    elif roll < 0.9:
        prefix = "bantcd"
    elif roll < 0.96:
        prefix = "mttq"
    else:
        prefix = "bantgdv"
    return province.bodies.get(prefix) or next(iter(province.bodies.values()), None)


def _event(
    action: Action,
    from_status: Status | str,
    to_status: Status,
    at: datetime.datetime,
    actor: int | None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "action": action.value,
        "from_status": str(from_status),
        "to_status": to_status.value,
        "actor_id": actor,
        "occurred_at": at,
        "note": "",
        "is_public": action in _PUBLIC_ACTIONS,
        "data": data or {},
    }


def _step_days(rng: random.Random, action: Action) -> float:
    """Days between the previous step and `action`."""
    low, high = {
        Action.REQUEST_INFORMATION: (0.2, 3),
        Action.CLASSIFY: (0.3, 4),
        Action.ACCEPT: (0.5, 6),
        Action.VERIFY: (1, 10),
        Action.HOLD_DIALOGUE: (3, 15),
        Action.SUSPEND: (2, 20),
        Action.DECIDE: (3, 25),
        Action.NOTIFY: (0.1, 4),
        Action.CLOSE: (1, 20),
        Action.TRANSFER: (0.5, 4),
        Action.GUIDE: (0.1, 2),
        Action.FILE: (0.5, 5),
        Action.WITHDRAW: (1, 20),
        Action.APPEAL: (5, 30),
    }[action]
    return rng.uniform(low, high)


def _status(rng: random.Random, kind: PetitionKind, age_days: float) -> Status:
    weights = next(w for bound, w in _STATUS_BY_AGE if age_days <= bound)
    status: Status = _pick(rng, weights)
    if not _reachable(kind, status):
        status = Status.VERIFYING if status is not Status.APPEALED else Status.CLOSED
    return status


def generate_one(
    rng: random.Random,
    context: GeneratorContext,
    *,
    code: str,
    received_at: datetime.datetime,
) -> GeneratedPetition:
    """Return the rows of one petition received at `received_at` under `code`."""
    now = context.end
    kind: PetitionKind = _pick(rng, KIND_WEIGHTS)
    channel: Channel = _pick(rng, CHANNEL_WEIGHTS)
    spec = rng.choices(CATEGORIES, weights=[c.weight for c in CATEGORIES])[0]
    province = rng.choice(context.provinces)
    commune, commune_name = rng.choice(province.communes)
    organization = _organization(rng, province, commune, spec)
    address = f"Số {rng.randint(1, 300)}, {rng.choice(STREETS)}, {commune_name}"
    title = rng.choice(spec.titles)
    parts = [
        f"Tại {commune_name}:",
        *rng.sample(spec.contents, k=rng.randint(1, len(spec.contents))),
        rng.choice(REQUESTS),
    ]
    content = " ".join(parts)
    is_anonymous = (kind == PetitionKind.DENUNCIATION and rng.random() < 0.12) or (
        kind == PetitionKind.FEEDBACK and channel == Channel.HOTLINE and rng.random() < 0.3
    )
    home = address
    if kind == PetitionKind.DENUNCIATION and not is_anonymous:
        # A denouncer's home is not the place of the facts, which every reader
        # of the petition sees (Luật Tố cáo 2018 Art. 47(1)(a)). Drawn apart
        # (seeded by the code) so that the rest of the rows stay as they were.
        own = random.Random(f"home-{code}")  # noqa: S311  # invented data, not secrets
        while home == address:
            home = f"Số {own.randint(1, 300)}, {own.choice(STREETS)}, {commune_name}"
    people = [] if is_anonymous else _petitioners(rng, kind, channel, home)
    received_on = _local_date(received_at)
    age = (now - received_at).total_seconds() / _DAY
    status = _status(rng, kind, age)
    if is_anonymous and kind == PetitionKind.DENUNCIATION:
        # An anonymous denunciation is not handled (Luật Tố cáo Art. 25(2)).
        status = Status.FILED if age > 1 else Status.RECEIVED
    path = path_for(kind, status)
    is_complex = kind in (PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION) and (
        rng.random() < 0.15
    )
    is_remote = spec.field == "Nông nghiệp" and rng.random() < 0.3

    # Offsets of the steps from receipt, in seconds, squeezed before `now`.
    offsets = []
    total = 0.0
    for action in path:
        total += _step_days(rng, action) * _DAY
        offsets.append(total)
    room = max((now - received_at).total_seconds() - _HOUR, 0.0)
    if offsets and offsets[-1] > room:
        scale = room / offsets[-1]
        offsets = [o * scale for o in offsets]

    handlers = organization.handlers if organization is not None else ()
    assigned = (
        rng.choice(handlers) if handlers and Action.ACCEPT in path and rng.random() < 0.7 else None
    )
    expected = _receipt_due(kind, received_on)
    petition: dict[str, Any] = {
        "code": code,
        "lookup_key_hash": GENERATED_KEY_HASH,
        "kind": kind.value,
        "status": status.value,
        "channel": channel.value,
        "field": spec.field,
        "category": spec.category,
        "title": title,
        "content": content,
        "commune_id": commune,
        "address": address,
        "latitude": None,
        "longitude": None,
        "people_count": max(len(people), 1)
        if len(people) < 2
        else len(people) + rng.randint(0, 15),
        "is_signed": (not is_anonymous and channel != Channel.PORTAL) or rng.random() < 0.3,
        "is_anonymous": is_anonymous,
        "organization_id": organization.pk if organization is not None else None,
        "received_at": received_at,
        "expected_response_by": expected,
        "clock_rule_code": "",
        "clock_started_on": None,
        "is_complex": is_complex,
        "is_especially_complex": False,
        "is_remote": is_remote,
        "extensions": 0,
        "previous_status": "",
        "parent_id": None,
        "instance": 1,
        "assigned_to_id": assigned,
        "eligibility": Eligibility.PENDING.value,
        "ineligibility_reason": "",
        "duplicate_of_id": None,
        "group_id": None,
        "transfer_count": 0,
        "decision_known_on": None,
        "late_reason": "",
        "resolved_on": None,
        "closed_at": None,
        # `services.petition_search_text(code=…, title=…, content=…, kind=…,
        # names=…)`, folded part by part from a cache: the same text (the tests
        # check it), faster. Never a denouncer's name.
        "search_text": " ".join(
            " ".join(
                [
                    fold(code),
                    *(fold_cached(part) for part in (title, *parts)),
                    *(
                        fold_cached(person["name"])
                        for person in people
                        if kind != PetitionKind.DENUNCIATION
                    ),
                ]
            ).split()
        ),
    }
    if kind == PetitionKind.COMPLAINT:
        petition["decision_known_on"] = received_on - datetime.timedelta(days=rng.randint(5, 80))
    receive_data: dict[str, Any] = {"channel": channel.value}
    if organization is not None:
        receive_data["routed_to"] = organization.code
        receive_data["routed_to_name"] = organization.name
    events = [_event(Action.RECEIVE, "", Status.RECEIVED, received_at, None, receive_data)]
    current = Status.RECEIVED
    for action, offset in zip(path, offsets, strict=True):
        at = received_at + datetime.timedelta(seconds=offset)
        on = _local_date(at)
        target = TRANSITIONS[current][action]
        data: dict[str, Any] = {}
        actor = assigned if action not in (Action.CLASSIFY, Action.REQUEST_INFORMATION) else None
        if action is Action.CLASSIFY:
            petition["eligibility"] = Eligibility.ELIGIBLE.value
        elif action is Action.ACCEPT:
            rule, start, due = _resolution_clock(kind, received_on, on, is_complex, is_remote)
            petition.update(clock_rule_code=rule, clock_started_on=start)
            petition["expected_response_by"] = due
            data["clock"] = {
                "effective_on": on.isoformat(),
                "rule": rule,
                "started_on": start.isoformat(),
                "extensions": 0,
                "due": due.isoformat() if due else None,
            }
        elif action is Action.SUSPEND:
            petition["previous_status"] = current.value
            petition["expected_response_by"] = None
            data["previous_status"] = current.value
        elif action is Action.DECIDE:
            petition["resolved_on"] = on
        elif action is Action.CLOSE:
            petition["closed_at"] = at
        elif action in (Action.TRANSFER, Action.GUIDE):
            petition["eligibility"] = Eligibility.INELIGIBLE.value
            petition["ineligibility_reason"] = IneligibilityReason.NOT_COMPETENT.value
            if action is Action.TRANSFER:
                petition["transfer_count"] = 1
        elif action is Action.FILE:
            petition["eligibility"] = Eligibility.INELIGIBLE.value
            petition["ineligibility_reason"] = (
                IneligibilityReason.ANONYMOUS_DENUNCIATION.value
                if is_anonymous and kind == PetitionKind.DENUNCIATION
                else rng.choice(
                    [IneligibilityReason.DUPLICATE_HANDLED.value, IneligibilityReason.OTHER.value]
                )
            )
        events.append(_event(action, current, target, at, actor, data))
        current = target
    return GeneratedPetition(petition=petition, petitioners=people, events=events)


def generate(
    context: GeneratorContext,
    *,
    count: int,
    seed: int,
    numbers: Mapping[int, int],
    batch_size: int = 5000,
) -> Iterator[list[GeneratedPetition]]:
    """Yield the rows of `count` petitions in batches, oldest first.

    `numbers` is the last number already issued in each year: the codes of
    a year continue after it (see `reserve_codes`).
    """
    rng = random.Random(seed)  # noqa: S311  # invented data, not secrets
    times = received_times(rng, count, context.start, context.end)
    next_number = dict(numbers)
    batch: list[GeneratedPetition] = []
    for received_at in times:
        year = _local_date(received_at).year
        next_number[year] = next_number.get(year, 0) + 1
        code = f"PA-{year}-{next_number[year]:06d}"
        batch.append(generate_one(rng, context, code=code, received_at=received_at))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def year_counts(context: GeneratorContext, *, count: int, seed: int) -> dict[int, int]:
    """Return how many petitions of each year `generate` makes (same seed)."""
    rng = random.Random(seed)  # noqa: S311  # invented data, not secrets
    counts: dict[int, int] = {}
    for received_at in received_times(rng, count, context.start, context.end):
        year = _local_date(received_at).year
        counts[year] = counts.get(year, 0) + 1
    return counts


@transaction.atomic
def reserve_codes(counts: Mapping[int, int]) -> dict[int, int]:
    """Take `counts[year]` numbers in each year's sequence; return the last before them.

    Under the row lock that intake takes (`services._issue_code`), so that
    live intake, now or later, continues after the generated codes.
    """
    before: dict[int, int] = {}
    for year, n in sorted(counts.items()):
        sequence, _created = PetitionCodeSequence.objects.select_for_update().get_or_create(
            year=year
        )
        before[year] = sequence.last_number
        sequence.last_number += n
        sequence.save(update_fields=["last_number"])
    return before


def _copy(model: Any, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Insert `rows` with PostgreSQL COPY (ids already set)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    json_columns = {
        f.column for f in model._meta.concrete_fields if f.get_internal_type() == "JSONField"
    }
    from psycopg.types.json import Jsonb

    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row([Jsonb(row[c]) if c in json_columns else row[c] for c in columns])


def _next_ids(model: Any, n: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, n],
        )
        return [row[0] for row in cursor.fetchall()]


def write(batch: Sequence[GeneratedPetition], *, use_copy: bool | None = None) -> None:
    """Store one batch: petitions, then their petitioners and case events.

    `COPY` on PostgreSQL (by default there), `bulk_create` elsewhere.
    """
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    now = timezone.now()
    with transaction.atomic():
        if use_copy:
            ids = _next_ids(Petition, len(batch))
            for pk, item in zip(ids, batch, strict=True):
                item.petition.update(id=pk, created_at=now, updated_at=now)
            _copy(Petition, [g.petition for g in batch], list(batch[0].petition))
            people = []
            events = []
            for g in batch:
                for person in g.petitioners:
                    people.append(
                        {
                            **person,
                            "petition_id": g.petition["id"],
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                for event in g.events:
                    events.append({**event, "petition_id": g.petition["id"]})
            if people:
                for pk, person in zip(_next_ids(Petitioner, len(people)), people, strict=True):
                    person["id"] = pk
                _copy(Petitioner, people, list(people[0]))
            for pk, event in zip(_next_ids(CaseEvent, len(events)), events, strict=True):
                event["id"] = pk
            _copy(CaseEvent, events, list(events[0]))
            return
        petitions = Petition.objects.bulk_create([Petition(**g.petition) for g in batch])
        Petitioner.objects.bulk_create(
            [
                Petitioner(petition_id=p.pk, **person)
                for p, g in zip(petitions, batch, strict=True)
                for person in g.petitioners
            ]
        )
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(petition_id=p.pk, **event)
                for p, g in zip(petitions, batch, strict=True)
                for event in g.events
            ]
        )


def demo_context(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    organizations: Sequence[str] = (),
) -> GeneratorContext:
    """Return the context of the demo provinces: their current communes and demo bodies.

    `organizations` limits the bodies to those codes (all demo bodies if
    empty); a province none of whose bodies is kept is left out. Handlers
    are the users holding the handler role in a body. Needs `load_units`
    and `load_demo`.
    """
    from danvan.demo import data
    from danvan.geo.models import Commune
    from danvan.orgs.models import Membership, Organization, Role

    wanted = set(organizations)
    bodies = {
        o.code: o
        for o in Organization.objects.filter(
            code__in=[s.code for s in data.all_organizations()], valid_to__isnull=True
        )
        if not wanted or o.code in wanted
    }
    handlers: dict[int, list[int]] = {}
    for org_id, user_id in (
        Membership.objects.filter(
            organization__in=list(bodies.values()), role=Role.HANDLER, user__is_active=True
        )
        .order_by("user_id")
        .values_list("organization_id", "user_id")
    ):
        handlers.setdefault(org_id, []).append(user_id)

    def ref(code: str) -> OrganizationRef | None:
        org = bodies.get(code)
        if org is None:
            return None
        return OrganizationRef(org.pk, org.code, org.name, tuple(handlers.get(org.pk, ())))

    provinces = []
    for spec in data.PROVINCES:
        own = {
            prefix: r
            for prefix in ("ubnd", "bantgdv", "mttq", "bantcd", "thanhtra", "sonnmt", "soxd")
            if (r := ref(f"{prefix}-{spec.slug}")) is not None
        }
        communes = tuple(
            Commune.objects.filter(province_id=spec.code, valid_to__isnull=True)
            .order_by("code")
            .values_list("code", "name")
        )
        by_name = {name: code for code, name in communes}
        local = {
            by_name[name]: r
            for name in spec.communes
            if name in by_name and (r := ref(data.commune_code(name))) is not None
        }
        if not own and not local:
            continue
        if not own:
            # Only commune bodies kept: petitions go to their communes.
            communes = tuple((c, n) for c, n in communes if c in local)
            own = {"ubnd": next(iter(local.values()))}
        provinces.append(
            ProvinceContext(code=spec.code, communes=communes, bodies=own, commune_bodies=local)
        )
    if not provinces:
        raise ValueError(
            "No demo organization found: run `manage.py load_units` and `load_demo` first."
        )
    return GeneratorContext(provinces=tuple(provinces), start=start, end=end)


def run_key(
    *, seed: int, start: datetime.date, end: datetime.date, organizations: Sequence[str]
) -> str:
    """Return what identifies a generation run (the same seed over the same range)."""
    return f"{seed}:{start.isoformat()}:{end.isoformat()}:{','.join(sorted(organizations)) or '*'}"


class AlreadyGenerated(Exception):
    """The same seed over the same range was generated already."""


def petitions_generate(
    context: GeneratorContext,
    *,
    count: int,
    seed: int,
    organizations: Sequence[str] = (),
    batch_size: int = 5000,
    force: bool = False,
    use_copy: bool | None = None,
    progress: Any = None,
    key: str = "",
) -> int:
    """Generate and store `count` petitions; return how many were stored.

    Refuse (`AlreadyGenerated`) when a run with the same seed and range (or
    the same `key`, when given) is recorded in the audit trail, unless
    `force`. The codes are reserved
    first (`reserve_codes`); each batch is stored in its own transaction,
    then the run is recorded (`petition.generate`, no actor).
    """
    from danvan.core.audit import audit_record
    from danvan.core.models import AuditEvent

    key = key or run_key(
        seed=seed,
        start=timezone.localdate(context.start),
        end=timezone.localdate(context.end),
        organizations=organizations,
    )
    if not force and AuditEvent.objects.filter(action=GENERATE_ACTION, data__run=key).exists():
        raise AlreadyGenerated(key)
    numbers = reserve_codes(year_counts(context, count=count, seed=seed))
    stored = 0
    for batch in generate(context, count=count, seed=seed, numbers=numbers, batch_size=batch_size):
        write(batch, use_copy=use_copy)
        stored += len(batch)
        if progress is not None:
            progress(stored)
    audit_record(
        actor=None,
        action=GENERATE_ACTION,
        data={"run": key, "seed": seed, "count": stored, "source": "generator"},
    )
    return stored
