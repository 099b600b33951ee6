"""The figures of `reception.rules`, checked against dates counted by hand."""

import datetime

import pytest

from danvan.core.calendar import DayOverride, WorkingCalendar
from danvan.petitions.rules import DayType
from danvan.reception import rules
from danvan.reception.models import RefusalGround

D = datetime.date


@pytest.mark.django_db
def test_one_working_day_before_a_monday_is_the_friday() -> None:
    # NĐ 154/2026 Art. 23: the connection of an online session on Mon
    # 7/12/2026 is tested at the latest on Fri 4/12, not on Sun 6/12.
    assert rules.connection_test_by(D(2026, 12, 7)) == D(2026, 12, 4)


def test_five_working_days_before_skip_a_day_off() -> None:
    # An invented day off on Mon 7/12/2026 (an override): for a reception on
    # Mon 14/12 the five working days before are Fri 11, Thu 10, Wed 9, Tue 8
    # and then Fri 4/12 (Mon 7 is off, so is the weekend of 5-6/12).
    calendar = WorkingCalendar({D(2026, 12, 7): _day_off()}, years=(2026, 2027))
    assert rules.days_before(D(2026, 12, 14), 5, DayType.WORKING, calendar) == D(2026, 12, 4)
    # Without the day off: Mon 7/12.
    assert rules.days_before(
        D(2026, 12, 14), 5, DayType.WORKING, WorkingCalendar({}, years=(2026, 2027))
    ) == D(2026, 12, 7)


def _day_off() -> DayOverride:
    return DayOverride(working=False, reason="Nghỉ bù (thử nghiệm)")


def test_calendar_days_before() -> None:
    # NĐ 124/2020 Art. 28(1) as amended: notice at least 5 days before a
    # dialogue on Fri 18/12/2026: Sun 13/12 at the latest.
    assert rules.dialogue_notice_by(D(2026, 12, 18)) == D(2026, 12, 13)


def test_no_dialogue_notice_figure_before_the_amendment() -> None:
    assert rules.dialogue_notice_by(D(2026, 6, 30)) is None


@pytest.mark.parametrize(
    ("people", "limits"),
    [
        (1, None),
        (4, None),
        (5, rules.RepresentativeLimits(1, 2)),
        (10, rules.RepresentativeLimits(1, 2)),
        (11, rules.RepresentativeLimits(1, 5)),
        (200, rules.RepresentativeLimits(1, 5)),
    ],
)
def test_representatives_follow_article_29(people, limits) -> None:
    assert rules.representative_limits(people) == limits


def test_grounds_of_the_2026_decree_apply_from_1_july_2026() -> None:
    assert rules.refusal_ground_valid_on(RefusalGround.DISORDERLY, D(2020, 1, 6))
    assert not rules.refusal_ground_valid_on(RefusalGround.WEAPONS, D(2026, 6, 30))
    assert rules.refusal_ground_valid_on(RefusalGround.WEAPONS, D(2026, 7, 1))
    assert not rules.refusal_ground_valid_on("drunk", D(2026, 7, 1))


@pytest.mark.django_db
def test_refusal_notice_is_due_three_working_days_later_for_two_grounds() -> None:
    # Established Thu 3/12/2026: Fri 4, Mon 7, Tue 8 → due Tue 8/12.
    assert rules.refusal_notice_due(RefusalGround.ALREADY_RESOLVED, D(2026, 12, 3)) == D(
        2026, 12, 8
    )
    assert rules.refusal_notice_due(RefusalGround.ANSWERED_NO_NEW_FACTS, D(2026, 12, 3)) == D(
        2026, 12, 8
    )
    assert rules.refusal_notice_due(RefusalGround.DISORDERLY, D(2026, 12, 3)) is None
    # Before NĐ 154/2026 no figure applies.
    assert rules.refusal_notice_due(RefusalGround.ALREADY_RESOLVED, D(2026, 6, 30)) is None
