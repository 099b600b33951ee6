"""Realistic invented visits of the reception log, for tests, the demo and benchmarks.

`visits_generate` stores `count` visits of one organization in one year,
numbered after the last number of the year (`ReceptionSequence`, under a row
lock, which it moves on so that live recording continues after them), with
their people, in batches (`bulk_create`). The rows follow the model's rules:

- dates are working days of the year (Monday to Friday, a few Saturdays),
  not after today, in the order of their numbers;
- the kinds, outcomes and group sizes follow rough real-world shares: most
  visitors come alone, some in a group that chose its representatives within
  the limits of Luật TCD Art. 29 (`rules.representative_limits`);
- a visit that brought a denunciation, or several kinds (a generated visit
  brings no petition, so nothing says its kinds held no denunciation), is
  `identity_protected`: its `listed_name` is blank and its names and
  addresses stay out of `search_text` (`visits.visit_search_text`; Luật Tố
  cáo 2018 Art. 47);
- guided visits name the competent body and the guidance document, transfers
  the body that accepted them and the transfer document; refusals use a
  ground valid on the day (`rules.refusal_ground_valid_on`) and, where
  required, the written notice's due date (`rules.refusal_notice_due`);
- online visits only from 2026-07-01 (`rules.ONLINE_RECEPTION_FROM`);
- recorded and transferred visits have the due date of their result
  notice (Luật TCD Art. 28(1)), as `visits.visit_record` sets it.

Everything is invented: names from short lists of common family, middle
and given names, addresses from made-up hamlets and streets, and summaries
written for this module that never name anyone. Generated visits bring no
petition (`Visit.petitions` stays empty) and belong to no duty day.
Deterministic for a seed, given the same organization, users and year.
"""

import datetime
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from danvan.core.audit import audit_record
from danvan.orgs.models import Membership, Organization, Role
from danvan.orgs.selectors import valid_on_q
from danvan.petitions.rules import due_date, rules_in_force
from danvan.reception import rules
from danvan.reception.models import (
    ReceptionMode,
    ReceptionSequence,
    RefusalGround,
    Visit,
    VisitKind,
    VisitOutcome,
    VisitPerson,
)
from danvan.reception.visits import RESULT_NOTICE_RULE, visit_search_text

#: The audit action of a generation run.
GENERATE_ACTION: Final = "visit.generate"
BATCH_SIZE: Final = 2000

KIND_WEIGHTS: Final[dict[str, int]] = {
    VisitKind.COMPLAINT: 34,
    VisitKind.RECOMMENDATION: 24,
    VisitKind.FEEDBACK: 22,
    VisitKind.DENUNCIATION: 10,
    VisitKind.MIXED: 10,
}
OUTCOME_WEIGHTS: Final[dict[str, int]] = {
    VisitOutcome.RECORDED: 46,
    VisitOutcome.GUIDED: 24,
    VisitOutcome.TRANSFERRED: 14,
    VisitOutcome.INFORMED: 12,
    VisitOutcome.REFUSED: 4,
}
#: How many people came: (lowest, highest, weight).
GROUP_SIZES: Final[tuple[tuple[int, int, int], ...]] = (
    (1, 1, 80),
    (2, 4, 11),
    (5, 10, 6),
    (11, 40, 3),
)

FAMILY: Final = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng",
    "Đỗ", "Ngô", "Hồ", "Dương", "Lý", "Đoàn", "Lương", "Mai", "Cao", "Tạ",
)  # fmt: skip
MIDDLE: Final[dict[bool, tuple[str, ...]]] = {
    True: ("Thị", "Thị Ngọc", "Thị Bích", "Thị Kim", "Ngọc", "Thị Thu", "Thị Hồng", "Mỹ"),
    False: ("Văn", "Hữu", "Minh", "Quang", "Công", "Thành", "Tấn", "Phước", "Ngọc"),
}
GIVEN: Final[dict[bool, tuple[str, ...]]] = {
    True: (
        "Loan", "Phượng", "Diễm", "Cúc", "Huệ", "Thủy", "Nga", "Vân", "Liên", "Hằng",
        "Ngân", "Xuân",
    ),
    False: (
        "Quý", "Hiếu", "Trung", "Khánh", "Nhân", "Toàn", "Lợi", "Đạt", "Hải", "Thiện",
        "Vinh", "Cường",
    ),
}  # fmt: skip
HAMLETS: Final = (
    "ấp Phú Hòa", "ấp Long Thạnh", "ấp Tân Quới", "ấp Hòa Lợi", "ấp An Thạnh",
    "khu phố 2", "khu phố 4", "khóm Bình Đức", "tổ 7, khóm Mỹ Lợi",
)  # fmt: skip
STREETS: Final = (
    "đường Lê Lợi", "đường Hùng Vương", "đường Phan Đình Phùng", "đường Ngô Quyền",
    "đường Lý Thường Kiệt", "hẻm 12 đường Nguyễn Trãi",
)  # fmt: skip

#: What visitors come about: (opening, details, request), one list per kind.
SUMMARIES: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {
    VisitKind.COMPLAINT: (
        (
            "Khiếu nại quyết định thu hồi đất để mở rộng tuyến đường tỉnh",
            "Khiếu nại việc áp giá bồi thường đất nông nghiệp",
            "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng",
            "Khiếu nại việc không được xét hỗ trợ chuyển đổi nghề nghiệp",
            "Khiếu nại quyết định cưỡng chế tháo dỡ mái che lấn chiếm",
            "Khiếu nại việc từ chối cấp giấy chứng nhận quyền sử dụng đất",
        ),
        (
            "Gia đình cho rằng diện tích đo đạc ít hơn thực tế sử dụng từ năm 1995.",
            "Đơn giá áp dụng thấp hơn nhiều so với thửa đất liền kề cùng dự án.",
            "Công dân đã nhận quyết định giải quyết lần đầu nhưng không đồng ý.",
            "Hồ sơ kê khai nguồn gốc đất đã nộp đủ nhưng bị trả lại không rõ lý do.",
            "Việc lập biên bản không có mặt chủ hộ và không có người làm chứng.",
        ),
        (
            "Đề nghị xem xét lại quyết định.",
            "Đề nghị đo đạc lại và bồi thường theo đúng diện tích.",
            "Đề nghị thủ trưởng cơ quan giải quyết lần hai.",
        ),
    ),
    VisitKind.DENUNCIATION: (
        (
            "Tố cáo cán bộ địa chính nhận tiền để hợp thức hóa đất công",
            "Tố cáo việc lập khống danh sách nhận tiền hỗ trợ",
            "Tố cáo cán bộ thu phí dịch vụ ngoài quy định khi làm hồ sơ",
            "Tố cáo cơ sở khai thác cát trái phép ban đêm trên sông",
            "Tố cáo việc chia lô, bán nền trên đất nông nghiệp",
        ),
        (
            "Người tố cáo cung cấp hình ảnh và ghi âm kèm theo.",
            "Sự việc kéo dài nhiều tháng, nhiều hộ dân trong khu vực biết rõ.",
            "Người tố cáo đề nghị giữ bí mật thông tin cá nhân.",
            "Nội dung liên quan đến người có chức vụ tại địa phương.",
        ),
        (
            "Đề nghị xác minh, xử lý nghiêm theo quy định.",
            "Đề nghị cơ quan có thẩm quyền kiểm tra và thông báo kết quả.",
        ),
    ),
    VisitKind.RECOMMENDATION: (
        (
            "Kiến nghị nâng cấp tuyến đường đal liên ấp",
            "Kiến nghị bố trí thêm điểm thu gom rác thải sinh hoạt",
            "Kiến nghị sửa chữa cống thoát nước bị sụt lún",
            "Kiến nghị lắp đặt hệ thống đèn chiếu sáng công cộng",
            "Kiến nghị xem xét đưa gia đình vào diện hộ cận nghèo",
            "Kiến nghị điều chỉnh quy hoạch khu dân cư",
        ),
        (
            "Mùa mưa đường ngập sâu, học sinh và người già đi lại khó khăn.",
            "Khu vực đông dân nhưng chưa được đầu tư hạ tầng tương xứng.",
            "Nhiều hộ dân đã ký tên đồng thuận và sẵn sàng hiến đất.",
            "Gia đình có người bệnh nặng, thu nhập không ổn định.",
        ),
        (
            "Đề nghị chính quyền quan tâm xem xét.",
            "Đề nghị đưa vào kế hoạch đầu tư năm tới.",
            "Rất mong được trả lời bằng văn bản.",
        ),
    ),
    VisitKind.FEEDBACK: (
        (
            "Phản ánh tình trạng xả nước thải chưa qua xử lý ra kênh",
            "Phản ánh cơ sở xay xát gây tiếng ồn và bụi",
            "Phản ánh việc lấn chiếm vỉa hè để buôn bán",
            "Phản ánh chậm trả kết quả hồ sơ tại bộ phận một cửa",
            "Phản ánh tình trạng sạt lở bờ sông đe dọa nhà dân",
        ),
        (
            "Tình trạng diễn ra thường xuyên, nhất là vào buổi tối.",
            "Người dân đã báo tổ trưởng nhưng chưa được khắc phục.",
            "Ảnh hưởng đến sức khỏe và sinh hoạt của nhiều hộ xung quanh.",
            "Hồ sơ đã quá hẹn trả kết quả hơn một tháng.",
        ),
        (
            "Đề nghị kiểm tra, chấn chỉnh.",
            "Đề nghị có biện pháp xử lý dứt điểm.",
        ),
    ),
}
MIXED_OPENINGS: Final = (
    "Khiếu nại việc bồi thường và tố cáo cán bộ thực hiện dự án có sai phạm",
    "Kiến nghị cấp giấy chứng nhận và khiếu nại quyết định xử phạt",
    "Phản ánh ô nhiễm và kiến nghị di dời cơ sở sản xuất ra khỏi khu dân cư",
)
PREVIOUS_BODIES: Final = (
    "UBND phường đã giải quyết lần đầu",
    "UBND xã đã hòa giải không thành",
    "Thanh tra tỉnh đã có văn bản trả lời",
    "Sở Nông nghiệp và Môi trường đã trả lời bằng văn bản",
)
GUIDED_TO: Final = (
    "Tòa án nhân dân khu vực",
    "UBND phường nơi có đất",
    "Sở Xây dựng",
    "Bảo hiểm xã hội tỉnh",
    "Công an tỉnh",
    "Văn phòng đăng ký đất đai",
)
FOLLOW_UPS: Final = (
    "Đã có quyết định giải quyết",
    "Đã trả lời bằng văn bản",
    "Đang xác minh",
    "Cơ quan tiếp nhận đã thông báo thụ lý",
    "",
)
NOTES: Final = ("", "", "", "", "Công dân đến lần thứ hai", "Có đơn kèm theo", "Tiếp trực tuyến")


@dataclass(frozen=True)
class GeneratorContext:
    """What the rows refer to: the organization, its officers, bodies to transfer to."""

    organization_id: int
    officer_ids: tuple[int, ...]
    transfer_ids: tuple[int, ...]
    transfer_names: dict[int, str]


def _context(organization: Organization, on_date: datetime.date) -> GeneratorContext:
    officers = tuple(
        Membership.objects.filter(
            valid_on_q(on_date),
            organization=organization,
            role__in=[Role.RECEPTION_OFFICER, Role.HEAD],
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    others = Organization.objects.exclude(pk=organization.pk).order_by("pk")
    if organization.province_id is not None:
        others = others.filter(province_id=organization.province_id)
    bodies = dict(others.values_list("pk", "name")[:20])
    return GeneratorContext(
        organization_id=organization.pk,
        officer_ids=officers,
        transfer_ids=tuple(bodies),
        transfer_names=bodies,
    )


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name(rng: random.Random) -> str:
    female = rng.random() < 0.5
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[female])} {rng.choice(GIVEN[female])}"


def _address(rng: random.Random, place: str) -> str:
    if rng.random() < 0.6:
        where = rng.choice(HAMLETS)
    else:
        where = f"số {rng.randint(1, 250)} {rng.choice(STREETS)}"
    return f"{where}, {place}" if place else where


def _identity_document(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return f"Hộ chiếu {rng.choice('BCN')}{rng.randint(1_000_000, 9_999_999)}"
    return f"CCCD {rng.randint(0, 99):03d}{rng.randint(0, 999_999_999):09d}"


def _summary(rng: random.Random, kind: str) -> str:
    if kind == VisitKind.MIXED:
        opening = rng.choice(MIXED_OPENINGS)
        _, details, requests = SUMMARIES[VisitKind.COMPLAINT]
    else:
        openings, details, requests = SUMMARIES[kind]
        opening = rng.choice(openings)
    return f"{opening}. {rng.choice(details)} {rng.choice(requests)}"


def working_days(year: int, until: datetime.date) -> list[datetime.date]:
    """Return the days of `year` up to `until` when citizens are received.

    Monday to Friday, and the first Saturday of each month (some bodies
    receive on a Saturday morning); public holidays are ignored.
    """
    day = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), until)
    days = []
    while day <= end:
        if day.weekday() < 5 or (day.weekday() == 5 and day.day <= 7):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


@dataclass
class GeneratedVisit:
    """One visit and its people, unsaved."""

    visit: Visit
    people: list[VisitPerson]


def generate(
    context: GeneratorContext,
    *,
    count: int,
    year: int,
    seed: int,
    first_number: int,
    place: str = "",
    today: datetime.date | None = None,
) -> Iterator[GeneratedVisit]:
    """Yield `count` unsaved visits numbered from `first_number`, in date order."""
    rng = random.Random(seed)  # noqa: S311 (invented data, not security)
    today = today or timezone.localdate()
    days = working_days(year, today)
    if not days:
        raise ValueError(f"No day of {year} is on or before {today}.")
    dates = sorted(rng.choice(days) for _ in range(count))
    current_tz = timezone.get_current_timezone()
    notice_due: dict[datetime.date, datetime.date | None] = {}
    for offset, day in enumerate(dates):
        kind = _pick(rng, KIND_WEIGHTS)
        # A denunciation, or several kinds: a visit of several kinds that
        # brought no petition may have brought a denunciation (visits.py).
        protected = kind in (VisitKind.DENUNCIATION, VisitKind.MIXED)
        low, high, _weight = rng.choices(GROUP_SIZES, weights=[g[2] for g in GROUP_SIZES])[0]
        people_count = rng.randint(low, high)
        limits = rules.representative_limits(people_count)
        people: list[VisitPerson] = []
        if limits is None:
            listed = people_count
            representatives = 0
        else:
            representatives = rng.randint(limits.minimum, min(limits.maximum, 3))
            listed = representatives + (1 if rng.random() < 0.3 else 0)
        for position in range(listed):
            people.append(
                VisitPerson(
                    position=position,
                    name=_name(rng),
                    address=_address(rng, place),
                    identity_document=_identity_document(rng),
                    phone=f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.4 else "",
                    is_representative=position < representatives,
                )
            )
        outcome = _pick(rng, OUTCOME_WEIGHTS)
        within = outcome in (VisitOutcome.RECORDED, VisitOutcome.INFORMED)
        received_at = datetime.datetime.combine(
            day,
            datetime.time(rng.choice((7, 8, 9, 10, 13, 14, 15)), rng.randrange(0, 60, 5)),
            tzinfo=current_tz,
        )
        online = day >= rules.ONLINE_RECEPTION_FROM and rng.random() < 0.06
        visit = Visit(
            organization_id=context.organization_id,
            year=year,
            number=first_number + offset,
            received_on=day,
            received_at=received_at,
            received_by_id=rng.choice(context.officer_ids) if context.officer_ids else None,
            mode=ReceptionMode.ONLINE if online else ReceptionMode.IN_PERSON,
            summary=_summary(rng, kind),
            kind=kind,
            people_count=people_count,
            within_competence=within,
            outcome=outcome,
            identity_protected=protected,
            notes="Tiếp trực tuyến" if online else rng.choice(NOTES[:-1]),
        )
        if kind in (VisitKind.COMPLAINT, VisitKind.MIXED) and rng.random() < 0.4:
            visit.previously_handled_by = rng.choice(PREVIOUS_BODIES)
        if outcome == VisitOutcome.GUIDED:
            visit.guided_to = rng.choice(GUIDED_TO)
            visit.guidance_document_number = f"{rng.randint(1, 999):02d}/HD-TCD"
        elif outcome == VisitOutcome.TRANSFERRED and context.transfer_ids:
            visit.accepted_by_id = rng.choice(context.transfer_ids)
            visit.transfer_document_number = f"{rng.randint(1, 999):02d}/PC-TCD"
        elif outcome == VisitOutcome.TRANSFERRED:
            visit.outcome = VisitOutcome.GUIDED
            visit.guided_to = rng.choice(GUIDED_TO)
        elif outcome == VisitOutcome.REFUSED:
            grounds = [g for g in RefusalGround.values if rules.refusal_ground_valid_on(g, day)]
            visit.refusal_ground = rng.choice(grounds)
            visit.refusal_notice_due = rules.refusal_notice_due(visit.refusal_ground, day)
            if visit.refusal_notice_due is not None and visit.refusal_notice_due < today:
                visit.refusal_notice_number = f"{rng.randint(1, 99):02d}/TB-TCD"
                visit.refusal_notice_sent_on = visit.refusal_notice_due
        if visit.outcome in (VisitOutcome.RECORDED, VisitOutcome.TRANSFERRED):
            if day not in notice_due:
                notice_due[day] = result_notice_due(day)
            visit.result_notice_due = notice_due[day]
        if outcome in (VisitOutcome.RECORDED, VisitOutcome.TRANSFERRED) and (
            (today - day).days > 30
        ):
            visit.result_follow_up = rng.choice(FOLLOW_UPS)
        visit.listed_name = "" if protected or not people else _listed(people).name
        visit.search_text = visit_search_text(
            number=visit.number,
            year=year,
            summary=visit.summary,
            people=people,
            protected=protected,
        )
        yield GeneratedVisit(visit=visit, people=people)


def result_notice_due(day: datetime.date) -> datetime.date | None:
    """Return when the result of a visit of `day` is due (Luật TCD Art. 28(1))."""
    try:
        rule = rules_in_force(RESULT_NOTICE_RULE, day)
    except LookupError:
        return None
    return due_date(rule, day)


def _listed(people: Sequence[VisitPerson]) -> VisitPerson:
    """The person a list shows: the first representative, or the first person."""
    return next((p for p in people if p.is_representative), people[0])


def _place(organization: Organization) -> str:
    """Return the unit of an address: "Phường Mỹ Tho" → "phường Mỹ Tho"."""
    unit = organization.commune or organization.province
    if unit is None:
        return ""
    return unit.name[:1].lower() + unit.name[1:]


def visits_generate(
    *,
    organization: Organization,
    count: int,
    year: int,
    seed: int,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], Any] | None = None,
) -> int:
    """Store `count` invented visits of `organization` in `year`; return how many.

    Numbers continue after the year's last number, which is moved on in
    `ReceptionSequence` under a row lock first (one short transaction), so
    that live recording is never given a generated number. Then each batch
    of `batch_size` visits and their people is stored in its own
    transaction. One audit event records the run.
    """
    if count < 1 or batch_size < 1:
        raise ValueError("count and batch_size must be positive.")
    today = timezone.localdate()
    if year > today.year:
        raise ValueError(f"The year {year} has not started yet.")
    with transaction.atomic():
        sequence, _created = ReceptionSequence.objects.select_for_update().get_or_create(
            organization=organization, register=ReceptionSequence.Register.VISIT, year=year
        )
        highest = (
            Visit.objects.filter(organization=organization, year=year).aggregate(
                top=Max("number")
            )["top"]
            or 0
        )
        first_number = max(sequence.last_number, highest) + 1
        sequence.last_number = first_number + count - 1
        sequence.save(update_fields=["last_number"])
        audit_record(
            actor=None,
            action=GENERATE_ACTION,
            target=organization,
            data={"count": count, "year": year, "seed": seed, "first_number": first_number},
        )
    context = _context(organization, today)
    rows = generate(
        context,
        count=count,
        year=year,
        seed=seed,
        first_number=first_number,
        place=_place(organization),
        today=today,
    )
    stored = 0
    batch: list[GeneratedVisit] = []
    for item in rows:
        batch.append(item)
        if len(batch) >= batch_size:
            stored += _store(batch, batch_size)
            batch = []
            if progress is not None:
                progress(stored)
    if batch:
        stored += _store(batch, batch_size)
        if progress is not None:
            progress(stored)
    return stored


@transaction.atomic
def _store(batch: list[GeneratedVisit], batch_size: int) -> int:
    visits = Visit.objects.bulk_create([item.visit for item in batch], batch_size=batch_size)
    people = []
    for visit, item in zip(visits, batch, strict=True):
        for person in item.people:
            person.visit_id = visit.pk
            people.append(person)
    VisitPerson.objects.bulk_create(people, batch_size=batch_size)
    return len(visits)
