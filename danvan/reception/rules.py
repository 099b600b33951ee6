"""The figures of citizen reception, as dated data with their legal basis.

Deadlines reuse `petitions.rules.ClockRule` (one row per version, valid
between two dates) and the foundation's day counting (`core.calendar`).
The leaders' minimum duty days are `models.DutyRule` rows instead, because
whether Luật 136/2025/QH15 changed them from 2026-07-01 is UNCONFIRMED
(legal-rules.md §3.1): an administrator must be able to change them.

Sources: Luật Tiếp công dân 2013 (42/2013/QH13) Art. 9, 12, 15, 18, 24, 28,
29; Luật 136/2025/QH15 (in force 2026-07-01: online reception, no
delegation to a deputy); NĐ 154/2026 Art. 4, 23; NĐ 124/2020 Art. 28 as
amended by NĐ 155/2026 (dialogue notice).
"""

import datetime
from dataclasses import dataclass
from typing import Final

from django.db.models import Q

from danvan.core.calendar import WorkingCalendar, get_calendar
from danvan.orgs.models import Organization, OrganizationKind, OrganizationLevel
from danvan.petitions.rules import ClockRule, DayType, StartEvent, rules_in_force
from danvan.reception.models import DutyRule, LeaderCategory, RefusalGround

D = datetime.date

_LAW_TCD: Final = "Luật Tiếp công dân 2013 (42/2013/QH13)"
_FROM_2026_07_01: Final = D(2026, 7, 1)

#: From this day reception may be online (Luật TCD Art. 3a, Luật 136/2025/QH15)
#: and a leader may no longer send a deputy in their place.
ONLINE_RECEPTION_FROM: Final = _FROM_2026_07_01
DELEGATION_FORBIDDEN_FROM: Final = _FROM_2026_07_01

#: The clocks of reception. "before" rules count back from the day of the
#: reception or dialogue; the others count forward from their start event.
RECEPTION_RULES: Final[tuple[ClockRule, ...]] = (
    ClockRule(
        code="reception.schedule_publication",
        label="Niêm yết lịch tiếp công dân của người đứng đầu",
        days=5,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis=f"{_LAW_TCD} Art. 24(4)",
        valid_from=D(2014, 7, 1),
        note="At least 5 working days before the day of reception.",
    ),
    ClockRule(
        code="reception.online_connection_test",
        label="Kiểm tra kết nối tiếp công dân trực tuyến",
        days=1,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis="NĐ 154/2026/NĐ-CP Art. 23",
        valid_from=_FROM_2026_07_01,
        note="At least 1 working day before an online reception.",
    ),
    ClockRule(
        code="reception.refusal_notice",
        label="Thông báo từ chối tiếp công dân (Mẫu 01/TCD)",
        days=3,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis="NĐ 154/2026/NĐ-CP Art. 4(3)",
        valid_from=_FROM_2026_07_01,
        note="Within 3 working days from the day the ground is established, for the grounds "
        "of Luật TCD Art. 9(3) and NĐ 154/2026 Art. 4(h).",
    ),
    ClockRule(
        code="reception.dialogue_notice",
        label="Thông báo bằng văn bản về việc đối thoại",
        days=5,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.RECEIPT,
        legal_basis="NĐ 124/2020/NĐ-CP Art. 28(1), sửa đổi bởi NĐ 155/2026/NĐ-CP",
        valid_from=_FROM_2026_07_01,
        note="Written notice at least 5 days before the dialogue.",
    ),
)

#: The refusal grounds after which the head must send a written notice
#: (Mẫu 01/TCD): NĐ 154/2026 Art. 4(3).
NOTICE_REQUIRED_GROUNDS: Final = frozenset(
    {RefusalGround.ALREADY_RESOLVED, RefusalGround.ANSWERED_NO_NEW_FACTS}
)

#: The grounds of NĐ 154/2026 Art. 4, which exist only from 2026-07-01;
#: before that only Luật TCD Art. 9 applies.
GROUNDS_FROM_2026: Final = frozenset(
    {
        RefusalGround.WEAPONS,
        RefusalGround.SECURITY_CHECK,
        RefusalGround.RECORDING,
        RefusalGround.AGITATION,
        RefusalGround.NO_REPRESENTATIVE,
        RefusalGround.NO_PROOF,
        RefusalGround.ANSWERED_NO_NEW_FACTS,
        RefusalGround.COURT_JUDGMENT,
        RefusalGround.HANDLED_ELSEWHERE,
    }
)


def reception_rule(code: str, on_date: D) -> ClockRule:
    """Return the reception clock `code` valid on `on_date` (see `RECEPTION_RULES`)."""
    return rules_in_force(code, on_date, rules=RECEPTION_RULES)


def days_before(
    day: D, days: int, day_type: DayType, calendar: WorkingCalendar | None = None
) -> D:
    """Return the last day that is `days` days before `day`.

    For working days: the `days`-th working day before `day`, counting back
    over working days only (`day` itself not counted), so "05 ngày làm
    việc trước ngày tiếp" of a Monday is the Monday before in an ordinary
    week, and "01 ngày làm việc trước" of a Monday is the Friday, never the
    Sunday. For calendar days: `day - days`.
    """
    if day_type is DayType.CALENDAR:
        return day - datetime.timedelta(days=days)
    calendar = calendar or get_calendar()
    candidate, counted = day, 0
    while counted < days:
        candidate -= datetime.timedelta(days=1)
        if calendar.is_working_day(candidate):
            counted += 1
    return candidate


def schedule_publish_by(day: D) -> D:
    """Return the last day to publish a leader's duty day (Luật TCD Art. 24(4))."""
    rule = reception_rule("reception.schedule_publication", day)
    return days_before(day, rule.days, rule.day_type)


def connection_test_by(day: D) -> D:
    """Return the last day to test an online session's connection (NĐ 154/2026 Art. 23)."""
    rule = reception_rule("reception.online_connection_test", day)
    return days_before(day, rule.days, rule.day_type)


def dialogue_notice_by(day: D) -> D | None:
    """Return the last day to send a dialogue's written notice, or None before 2026-07-01.

    NĐ 124/2020 Art. 28(1) as amended: at least 5 days before. Before the
    amendment the text asked for a notice without a figure (Luật Khiếu nại
    Art. 30).
    """
    try:
        rule = reception_rule("reception.dialogue_notice", day)
    except LookupError:
        return None
    return days_before(day, rule.days, rule.day_type)


def refusal_notice_due(ground: str, established_on: D) -> D | None:
    """Return when the written refusal notice is due, or None when none is required."""
    if ground not in NOTICE_REQUIRED_GROUNDS:
        return None
    try:
        rule = reception_rule("reception.refusal_notice", established_on)
    except LookupError:
        return None
    return get_calendar().add_working_days(established_on, rule.days)


def refusal_ground_valid_on(ground: str, on_date: D) -> bool:
    """Tell whether `ground` is a lawful refusal ground on `on_date`."""
    if ground not in RefusalGround.values:
        return False
    return on_date >= _FROM_2026_07_01 or ground not in GROUNDS_FROM_2026


@dataclass(frozen=True, slots=True)
class RepresentativeLimits:
    """How many representatives a group must choose (Luật TCD Art. 29)."""

    minimum: int
    maximum: int


def representative_limits(people_count: int) -> RepresentativeLimits | None:
    """Return the representatives a group of `people_count` must choose.

    Luật TCD Art. 29: 5–10 people choose 1 or 2 representatives; more than
    10 may choose more, but at most 5. Fewer than 5 people: no rule (None).
    """
    if people_count < 5:
        return None
    if people_count <= 10:
        return RepresentativeLimits(minimum=1, maximum=2)
    return RepresentativeLimits(minimum=1, maximum=5)


def leader_category_of(organization: Organization) -> LeaderCategory:
    """Return whose minimum applies to the head of `organization`.

    The chairman of a commune or provincial people's committee (Luật TCD
    Art. 15(2)(d), 12(5)); the head of any other agency (Art. 18(2)).
    """
    if organization.kind == OrganizationKind.PEOPLES_COMMITTEE:
        if organization.level == OrganizationLevel.COMMUNE:
            return LeaderCategory.COMMUNE_CHAIRMAN
        if organization.level == OrganizationLevel.PROVINCE:
            return LeaderCategory.PROVINCE_CHAIRMAN
    return LeaderCategory.AGENCY_HEAD


def duty_rule_for(category: str, on_date: D) -> DutyRule | None:
    """Return the `DutyRule` for `category` valid on `on_date` (latest first), or None."""
    return (
        DutyRule.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on_date),
            category=category,
            valid_from__lte=on_date,
        )
        .order_by("-valid_from", "-pk")
        .first()
    )
