"""The statutory clocks of petitions, as versioned data, and their arithmetic.

Each `ClockRule` holds one time limit: its figure, whether it counts
calendar or working days, the event that starts it, its legal basis and the
dates it is valid between. Where `../shared/reference/legal-rules.md` marks
a figure UNCONFIRMED, the rule says so (`RuleStatus.UNCONFIRMED`) and its
note names the source to check; a rule that is only a local default
(`RuleStatus.LOCAL_DEFAULT`) is what an organization's administrator
overrides.

Law and decree disagree on complaint acceptance (*thụ lý*). Luật Khiếu nại
2011 Art. 27 and 36 say "10 ngày" (calendar days, BLDS 2015 Art. 145(2));
NĐ 124/2020 Art. 16(1) is commonly cited as "10 ngày làm việc" (text not
seen). Until 2026-06-30 the law governs: a text of higher legal force
prevails over a lower one that differs (Luật Ban hành văn bản quy phạm pháp
luật), and 10 calendar days is never longer than 10 working days, so a
handler who meets it meets both. The decree's figure is kept as an
unconfirmed, informational rule (`complaint.acceptance.decree_2020`). From
2026-07-01 NĐ 124/2020 Art. 16(1) as amended by NĐ 155/2026 says "07 ngày
làm việc"; it was issued to implement Luật 136/2025/QH15, in force the same
day, so it is applied, with a note to check the amended law's Art. 27/36.

Day counting is the foundation's (`danvan.core.calendar`): BLDS 2015 Art.
147(2) (the start day is not counted) and Art. 148(5) (a period ending on a
day off ends on the next working day).
"""

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from danvan.core.calendar import WorkingCalendar, get_calendar

D = datetime.date


class DayType(enum.StrEnum):
    """How a period is counted."""

    #: "ngày": calendar days (BLDS 2015 Art. 145(2), 147, 148).
    CALENDAR = "calendar"
    #: "ngày làm việc": working days (weekends and holidays skipped).
    WORKING = "working"


class RuleStatus(enum.StrEnum):
    """How far a figure is established."""

    #: Quoted from a source that was opened (legal-rules.md).
    CONFIRMED = "confirmed"
    #: Commonly cited or carried over but not verified: see the note.
    UNCONFIRMED = "unconfirmed"
    #: Not set by law: a default each organization may override.
    LOCAL_DEFAULT = "local_default"


class StartEvent(enum.StrEnum):
    """The event whose date starts a clock (that day itself not counted)."""

    RECEIPT = "receipt"
    ACCEPTANCE = "acceptance"
    KNOWLEDGE_OF_DECISION = "knowledge_of_decision"
    FIRST_INSTANCE_OUTCOME = "first_instance_outcome"


class DueState(enum.StrEnum):
    """Where today stands against a due date."""

    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True, kw_only=True)
class ClockRule:
    """One statutory (or local) time limit, valid between two dates.

    `days` is the normal figure; `complex_days`, `remote_days` and
    `remote_complex_days` replace it for a complex case (*vụ việc phức
    tạp*), a remote area (*vùng sâu, vùng xa*) or both. `extension_days` is
    what each written extension adds, at most `max_extensions` times.
    `valid_to` is the last day of validity (None: still valid).
    """

    code: str
    label: str
    days: int
    day_type: DayType
    start_event: StartEvent
    legal_basis: str
    valid_from: D
    valid_to: D | None = None
    status: RuleStatus = RuleStatus.CONFIRMED
    note: str = ""
    complex_days: int | None = None
    remote_days: int | None = None
    remote_complex_days: int | None = None
    extension_days: int = 0
    max_extensions: int = 0

    def is_valid_on(self, day: D) -> bool:
        """Return whether the rule applies on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def base_days(self, *, complex: bool = False, remote: bool = False) -> int:
        """Return the figure for the case, before extensions."""
        if remote and complex and self.remote_complex_days is not None:
            return self.remote_complex_days
        if remote and self.remote_days is not None:
            return self.remote_days
        if complex and self.complex_days is not None:
            return self.complex_days
        return self.days


@dataclass(frozen=True, slots=True, kw_only=True)
class ClockOverride:
    """An organization's own figure for a rule that is a local default.

    Built by the model layer from its per-organization (and per-category)
    table; `legal_basis` names the organization's decision.
    """

    days: int
    day_type: DayType
    legal_basis: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Suspension:
    """A pause of the clock: suspended on one day, resumed on another.

    `resumed_on` is None while the case is still suspended.
    """

    suspended_on: D
    resumed_on: D | None = None


class RuleLookupError(LookupError):
    """No rule, or more than one, answers a code on a date."""


_LAW_KN: Final = "Luật Khiếu nại 2011 (02/2011/QH13)"
_LAW_TC: Final = "Luật Tố cáo 2018 (25/2018/QH14)"
_LAW_TCD: Final = "Luật Tiếp công dân 2013 (42/2013/QH13)"
_CHECK_136: Final = (
    "Figures carried over from the 2011 text: check the full text of Luật 136/2025/QH15 "
    "(in force 2026-07-01) for changes."
)
_CAL_VS_WD: Final = (
    "The law says 'ngày', counted as calendar days (BLDS 2015 Art. 145(2)); check whether "
    "Thanh tra Chính phủ guidance counts them as working days."
)

_LAW_PREVAILS: Final = (
    "The law prevails over NĐ 124/2020 Art. 16(1) (see complaint.acceptance.decree_2020)."
)
_DAY_BEFORE_2026_07_01: Final = D(2026, 6, 30)
_FROM_2026_07_01: Final = D(2026, 7, 1)

#: Every clock, each row with its legal basis. Lookups go through
#: `rules_in_force`, which picks the row valid on the day.
STATUTORY_RULES: Final[tuple[ClockRule, ...]] = (
    # --- Complaints (khiếu nại) -------------------------------------------
    ClockRule(
        code="complaint.limitation",
        label="Thời hiệu khiếu nại",
        days=90,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.KNOWLEDGE_OF_DECISION,
        legal_basis=f"{_LAW_KN} Art. 9",
        valid_from=D(2012, 7, 1),
        note="Time lost to illness, disaster or another objective obstacle is not counted.",
    ),
    ClockRule(
        code="complaint.acceptance.first",
        label="Thụ lý khiếu nại lần đầu",
        days=10,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.RECEIPT,
        legal_basis=f"{_LAW_KN} Art. 27",
        valid_from=D(2012, 7, 1),
        valid_to=_DAY_BEFORE_2026_07_01,
        note=_LAW_PREVAILS,
    ),
    ClockRule(
        code="complaint.acceptance.first",
        label="Thụ lý khiếu nại lần đầu",
        days=7,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis="NĐ 124/2020/NĐ-CP Art. 16(1), sửa đổi bởi NĐ 155/2026/NĐ-CP Art. 10",
        valid_from=_FROM_2026_07_01,
        note="Source: OCR of NĐ 155/2026; check against vanban.chinhphu.vn and Luật Khiếu nại "
        "Art. 27 as amended by Luật 136/2025/QH15.",
    ),
    ClockRule(
        code="complaint.acceptance.second",
        label="Thụ lý khiếu nại lần hai",
        days=10,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.RECEIPT,
        legal_basis=f"{_LAW_KN} Art. 36",
        valid_from=D(2012, 7, 1),
        valid_to=_DAY_BEFORE_2026_07_01,
        note=_LAW_PREVAILS,
    ),
    ClockRule(
        code="complaint.acceptance.second",
        label="Thụ lý khiếu nại lần hai",
        days=7,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis="NĐ 124/2020/NĐ-CP Art. 16(1), sửa đổi bởi NĐ 155/2026/NĐ-CP Art. 10",
        valid_from=_FROM_2026_07_01,
        note="Source: OCR of NĐ 155/2026; check against vanban.chinhphu.vn and Luật Khiếu nại "
        "Art. 36 as amended by Luật 136/2025/QH15.",
    ),
    ClockRule(
        code="complaint.acceptance.decree_2020",
        label="Thụ lý khiếu nại (NĐ 124/2020, bản gốc)",
        days=10,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis="NĐ 124/2020/NĐ-CP Art. 16(1) (original text)",
        valid_from=D(2020, 12, 5),
        valid_to=_DAY_BEFORE_2026_07_01,
        status=RuleStatus.UNCONFIRMED,
        note="Informational: not used for due dates, the law's 10 calendar days prevail. The "
        "figure is commonly cited (TT 07/2013 Art. 5(1) said 10 ngày làm việc); check the "
        "original NĐ 124/2020 text and its date in force (datafiles.chinhphu.vn).",
    ),
    ClockRule(
        code="complaint.resolution.first",
        label="Giải quyết khiếu nại lần đầu",
        days=30,
        complex_days=45,
        remote_days=45,
        remote_complex_days=60,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.ACCEPTANCE,
        legal_basis=f"{_LAW_KN} Art. 28",
        valid_from=D(2012, 7, 1),
        valid_to=_DAY_BEFORE_2026_07_01,
        note=_CAL_VS_WD,
    ),
    ClockRule(
        code="complaint.resolution.first",
        label="Giải quyết khiếu nại lần đầu",
        days=30,
        complex_days=45,
        remote_days=45,
        remote_complex_days=60,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.ACCEPTANCE,
        legal_basis=f"{_LAW_KN} Art. 28; complex case: NĐ 124/2020 Art. 3a (NĐ 155/2026)",
        valid_from=_FROM_2026_07_01,
        status=RuleStatus.UNCONFIRMED,
        note=f"{_CHECK_136} {_CAL_VS_WD}",
    ),
    ClockRule(
        code="complaint.second_instance_window",
        label="Thời hạn khiếu nại lần hai",
        days=30,
        remote_days=45,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.FIRST_INSTANCE_OUTCOME,
        legal_basis=f"{_LAW_KN} Art. 33(1)",
        valid_from=D(2012, 7, 1),
        valid_to=_DAY_BEFORE_2026_07_01,
        note="Starts at the expiry of the Art. 28 period (no decision) or on receipt of the "
        "first-instance decision.",
    ),
    ClockRule(
        code="complaint.second_instance_window",
        label="Thời hạn khiếu nại lần hai",
        days=30,
        remote_days=45,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.FIRST_INSTANCE_OUTCOME,
        legal_basis=f"{_LAW_KN} Art. 33(1)",
        valid_from=_FROM_2026_07_01,
        status=RuleStatus.UNCONFIRMED,
        note=_CHECK_136,
    ),
    ClockRule(
        code="complaint.resolution.second",
        label="Giải quyết khiếu nại lần hai",
        days=45,
        complex_days=60,
        remote_days=60,
        remote_complex_days=70,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.ACCEPTANCE,
        legal_basis=f"{_LAW_KN} Art. 37",
        valid_from=D(2012, 7, 1),
        valid_to=_DAY_BEFORE_2026_07_01,
        note=_CAL_VS_WD,
    ),
    ClockRule(
        code="complaint.resolution.second",
        label="Giải quyết khiếu nại lần hai",
        days=45,
        complex_days=60,
        remote_days=60,
        remote_complex_days=70,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.ACCEPTANCE,
        legal_basis=f"{_LAW_KN} Art. 37; complex case: NĐ 124/2020 Art. 3a (NĐ 155/2026)",
        valid_from=_FROM_2026_07_01,
        status=RuleStatus.UNCONFIRMED,
        note=f"{_CHECK_136} {_CAL_VS_WD}",
    ),
    # --- Denunciations (tố cáo) -------------------------------------------
    ClockRule(
        code="denunciation.initial_processing",
        label="Xử lý ban đầu thông tin tố cáo",
        days=7,
        complex_days=10,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis=f"{_LAW_TC} Art. 24(1)",
        valid_from=D(2019, 1, 1),
        note="Up to 10 working days when verification is needed at several places or by "
        "delegation (the complex variant).",
    ),
    ClockRule(
        code="denunciation.transfer",
        label="Chuyển đơn tố cáo không thuộc thẩm quyền",
        days=5,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis=f"{_LAW_TC} Art. 24(2)",
        valid_from=D(2019, 1, 1),
    ),
    ClockRule(
        code="denunciation.acceptance_notice",
        label="Thông báo thụ lý tố cáo",
        days=5,
        day_type=DayType.WORKING,
        start_event=StartEvent.ACCEPTANCE,
        legal_basis=f"{_LAW_TC} Art. 29(3); NĐ 31/2019/NĐ-CP Art. 9(2)",
        valid_from=D(2019, 1, 1),
    ),
    ClockRule(
        code="denunciation.resolution",
        label="Giải quyết tố cáo",
        days=30,
        extension_days=30,
        max_extensions=2,
        day_type=DayType.CALENDAR,
        start_event=StartEvent.ACCEPTANCE,
        legal_basis=f"{_LAW_TC} Art. 30; NĐ 31/2019/NĐ-CP Art. 3",
        valid_from=D(2019, 1, 1),
        note="A complex case is extended once, an especially complex one (≥2 criteria of "
        "NĐ 31/2019 Art. 3) twice, each by at most 30 days, by written decision.",
    ),
    # --- Citizen reception and petition processing ------------------------
    ClockRule(
        code="reception.result_notice",
        label="Thông báo kết quả xử lý nội dung tiếp công dân",
        days=10,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis=f"{_LAW_TCD} Art. 28(1)",
        valid_from=D(2014, 7, 1),
    ),
    ClockRule(
        code="petition.processing",
        label="Xử lý đơn",
        days=10,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis="TT 05/2021/TT-TTCP",
        valid_from=D(2021, 11, 15),
        status=RuleStatus.UNCONFIRMED,
        note="Commonly cited; check the text of TT 05/2021/TT-TTCP (article and figure) and "
        "whether it was replaced after NĐ 154/2026.",
    ),
    # --- Feedback and recommendations (phản ánh, kiến nghị) ---------------
    ClockRule(
        code="feedback_on_rules.transfer",
        label="Chuyển phản ánh, kiến nghị về quy định hành chính",
        days=5,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis="NĐ 20/2008/NĐ-CP Art. 9(1)(d)",
        valid_from=D(2008, 3, 3),
    ),
    ClockRule(
        code="feedback_on_rules.processing",
        label="Xử lý phản ánh, kiến nghị về quy định hành chính",
        days=15,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis="NĐ 20/2008/NĐ-CP, sửa đổi bởi NĐ 92/2017/NĐ-CP",
        valid_from=D(2017, 8, 7),
        status=RuleStatus.UNCONFIRMED,
        note="Figure from one secondary source (a city's service catalogue); check NĐ 92/2017 "
        "and the national public service portal's rules.",
    ),
    ClockRule(
        code="feedback.local_limit",
        label="Thời hạn trả lời phản ánh, kiến nghị (mặc định địa phương)",
        days=5,
        day_type=DayType.WORKING,
        start_event=StartEvent.RECEIPT,
        legal_basis="Quy định của cơ quan (mặc định)",
        valid_from=D(2008, 3, 3),
        status=RuleStatus.LOCAL_DEFAULT,
        note="Not set by law: each organization's administrator sets its own limit per "
        "category; this default applies where none is set.",
    ),
)


def rules_in_force(
    code: str,
    on_date: D,
    *,
    override: ClockOverride | None = None,
    rules: Iterable[ClockRule] = STATUTORY_RULES,
) -> ClockRule:
    """Return the one rule `code` valid on `on_date`.

    With `override`, an organization's own figure replaces a local default
    (`RuleStatus.LOCAL_DEFAULT`); a statutory rule cannot be overridden.
    Raise `RuleLookupError` when no rule, or more than one, is valid.
    """
    matching = [rule for rule in rules if rule.code == code and rule.is_valid_on(on_date)]
    if not matching:
        known = any(rule.code == code for rule in rules)
        reason = "is not valid on that day" if known else "is unknown"
        raise RuleLookupError(f"Clock rule {code!r} {reason} ({on_date.isoformat()}).")
    if len(matching) > 1:
        raise RuleLookupError(
            f"{len(matching)} versions of clock rule {code!r} are valid on "
            f"{on_date.isoformat()}; their validity periods overlap."
        )
    rule = matching[0]
    if override is None:
        return rule
    if rule.status is not RuleStatus.LOCAL_DEFAULT:
        raise RuleLookupError(
            f"Clock rule {code!r} is statutory ({rule.legal_basis}); it cannot be overridden."
        )
    return replace(
        rule,
        days=override.days,
        day_type=override.day_type,
        legal_basis=override.legal_basis,
        note=override.note,
        complex_days=None,
        remote_days=None,
        remote_complex_days=None,
    )


@dataclass(slots=True)
class _Clock:
    anchor: D
    remaining: int
    calendar: WorkingCalendar = field(repr=False)
    day_type: DayType

    def end(self) -> D:
        if self.day_type is DayType.WORKING:
            return self.calendar.add_working_days(self.anchor, self.remaining)
        return self.calendar.add_calendar_days(self.anchor, self.remaining)

    def used_until(self, day: D) -> int:
        if self.day_type is DayType.WORKING:
            return self.calendar.working_days_between(self.anchor, day)
        return (day - self.anchor).days


def due_date(
    rule: ClockRule,
    start: D,
    *,
    complex: bool = False,
    remote: bool = False,
    extensions: int = 0,
    suspensions: Sequence[Suspension] = (),
    calendar: WorkingCalendar | None = None,
) -> D | None:
    """Return the last day of the period of `rule` started on `start`.

    The figure is the rule's for the case (`complex`, `remote`) plus
    `extensions` times its extension (Luật Tố cáo Art. 30). The start day is
    not counted and a period in calendar days ending on a day off ends on
    the next working day (BLDS 2015 Art. 147(2), 148(5)).

    Suspensions pause the clock (NĐ 124/2020 Art. 28b as amended by NĐ
    155/2026: "thời hạn giải quyết khiếu nại tiếp tục được tính từ ngày ban
    hành quyết định tiếp tục giải quyết khiếu nại"). Counting, for each
    suspension in date order:

    - the days used are those after the start (or the last resume) up to
      and including the day of the suspension decision: the clock runs on
      that day, as the handler works on it;
    - the remaining days (never fewer than 0) count from the resume
      decision, that day not counted (Art. 147(2)), in the rule's day type;
      with 0 days left the period ends on the resume day (rolled forward to
      a working day for calendar days);
    - a suspension decided after the period has ended changes nothing.

    Return None while the case is suspended (the last suspension has no
    resume date): the clock is paused and has no due date.
    """
    if extensions < 0 or extensions > rule.max_extensions:
        raise ValueError(
            f"Clock rule {rule.code!r} allows 0 to {rule.max_extensions} extensions, "
            f"not {extensions}."
        )
    clock = _Clock(
        anchor=start,
        remaining=rule.base_days(complex=complex, remote=remote)
        + extensions * rule.extension_days,
        calendar=calendar or get_calendar(),
        day_type=rule.day_type,
    )
    previous_end = start
    for suspension in sorted(suspensions, key=lambda s: s.suspended_on):
        if suspension.suspended_on < previous_end:
            raise ValueError(
                "Suspensions must start on or after the start of the clock and must not "
                f"overlap ({suspension.suspended_on.isoformat()})."
            )
        if suspension.suspended_on > clock.end():
            break
        if suspension.resumed_on is None:
            return None
        if suspension.resumed_on < suspension.suspended_on:
            raise ValueError(
                f"A case resumed on {suspension.resumed_on.isoformat()} cannot have been "
                f"suspended on {suspension.suspended_on.isoformat()}."
            )
        used = clock.used_until(suspension.suspended_on)
        clock.remaining = max(clock.remaining - used, 0)
        clock.anchor = suspension.resumed_on
        previous_end = suspension.resumed_on
    return clock.end()


def due_state(due: D, today: D, soon_days: int) -> DueState:
    """Return whether `today` is on time, near `due` or past it.

    A period ends at the end of its last day (BLDS 2015 Art. 148(1), (6)),
    so the due day itself is not overdue. `soon_days` is in calendar days:
    due soon when `due - today <= soon_days`.
    """
    if soon_days < 0:
        raise ValueError(f"soon_days cannot be negative ({soon_days}).")
    if today > due:
        return DueState.OVERDUE
    if (due - today).days <= soon_days:
        return DueState.DUE_SOON
    return DueState.ON_TIME
