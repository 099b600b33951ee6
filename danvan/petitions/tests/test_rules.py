"""Statutory clocks: versions, figures, due dates and due states.

Every expected date below was worked out by hand from the official
calendars (Tết 2025: Sat 25/1 – Sun 2/2/2025 off; Tết 2026: Mon 16/2 – Fri
20/2/2026 off; Sat 26/4/2025 worked for Fri 2/5/2025; Mon 31/8/2026 off for
Sat 22/8/2026, with 1/9 and 2/9/2026 off for Quốc khánh) and BLDS 2015 Art.
147–148 (start day not counted; a period in calendar days ending on a day off
ends on the next working day). Due-date tests read the calendar, whose
override table lives in the database, hence `django_db`.
"""

import dataclasses
import datetime
import itertools

import pytest

from danvan.petitions.rules import (
    STATUTORY_RULES,
    ClockOverride,
    ClockRule,
    DayType,
    DueState,
    RuleLookupError,
    RuleStatus,
    StartEvent,
    Suspension,
    due_date,
    due_state,
    rules_in_force,
)

D = datetime.date
CAL, WD = DayType.CALENDAR, DayType.WORKING
CONFIRMED, UNCONFIRMED = RuleStatus.CONFIRMED, RuleStatus.UNCONFIRMED


# --- versions and figures -------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "on", "days", "day_type", "status"),
    [
        ("complaint.limitation", D(2025, 1, 1), 90, CAL, CONFIRMED),
        ("complaint.acceptance.first", D(2026, 6, 30), 10, CAL, CONFIRMED),
        ("complaint.acceptance.first", D(2026, 7, 1), 7, WD, CONFIRMED),
        ("complaint.acceptance.second", D(2026, 6, 30), 10, CAL, CONFIRMED),
        ("complaint.acceptance.second", D(2026, 7, 1), 7, WD, CONFIRMED),
        ("complaint.acceptance.decree_2020", D(2025, 1, 1), 10, WD, UNCONFIRMED),
        ("complaint.resolution.first", D(2025, 1, 1), 30, CAL, CONFIRMED),
        ("complaint.resolution.first", D(2026, 7, 1), 30, CAL, UNCONFIRMED),
        ("complaint.resolution.second", D(2025, 1, 1), 45, CAL, CONFIRMED),
        ("complaint.resolution.second", D(2026, 7, 1), 45, CAL, UNCONFIRMED),
        ("complaint.second_instance_window", D(2025, 1, 1), 30, CAL, CONFIRMED),
        ("complaint.second_instance_window", D(2026, 7, 1), 30, CAL, UNCONFIRMED),
        ("denunciation.initial_processing", D(2025, 1, 1), 7, WD, CONFIRMED),
        ("denunciation.transfer", D(2025, 1, 1), 5, WD, CONFIRMED),
        ("denunciation.acceptance_notice", D(2025, 1, 1), 5, WD, CONFIRMED),
        ("denunciation.resolution", D(2025, 1, 1), 30, CAL, CONFIRMED),
        ("reception.result_notice", D(2025, 1, 1), 10, WD, CONFIRMED),
        ("petition.processing", D(2025, 1, 1), 10, WD, UNCONFIRMED),
        ("feedback_on_rules.transfer", D(2025, 1, 1), 5, WD, CONFIRMED),
        ("feedback_on_rules.processing", D(2025, 1, 1), 15, WD, UNCONFIRMED),
        ("feedback.local_limit", D(2025, 1, 1), 5, WD, RuleStatus.LOCAL_DEFAULT),
    ],
)
def test_each_rule_has_its_figure_day_type_and_status(
    code: str, on: D, days: int, day_type: DayType, status: RuleStatus
) -> None:
    rule = rules_in_force(code, on)
    assert (rule.days, rule.day_type, rule.status) == (days, day_type, status)
    assert rule.legal_basis


def test_complaint_acceptance_switches_to_seven_working_days_on_1_july_2026() -> None:
    before = rules_in_force("complaint.acceptance.first", D(2026, 6, 30))
    after = rules_in_force("complaint.acceptance.first", D(2026, 7, 1))
    assert before.legal_basis.endswith("Art. 27")
    assert "NĐ 155/2026" in after.legal_basis
    assert before.valid_to == D(2026, 6, 30)
    assert after.valid_from == D(2026, 7, 1)


@pytest.mark.parametrize(
    ("code", "normal", "complex_", "remote", "remote_complex"),
    [
        ("complaint.resolution.first", 30, 45, 45, 60),  # Luật Khiếu nại Art. 28
        ("complaint.resolution.second", 45, 60, 60, 70),  # Art. 37
        ("complaint.second_instance_window", 30, 30, 45, 45),  # Art. 33(1)
        ("denunciation.initial_processing", 7, 10, 7, 10),  # Luật Tố cáo Art. 24(1)
    ],
)
def test_complex_and_remote_variants(
    code: str, normal: int, complex_: int, remote: int, remote_complex: int
) -> None:
    for on in (D(2025, 1, 1), D(2026, 7, 1)):
        rule = rules_in_force(code, on)
        assert rule.base_days() == normal
        assert rule.base_days(complex=True) == complex_
        assert rule.base_days(remote=True) == remote
        assert rule.base_days(complex=True, remote=True) == remote_complex


def test_denunciation_resolution_is_extended_at_most_twice_by_thirty_days() -> None:
    rule = rules_in_force("denunciation.resolution", D(2025, 1, 1))
    assert (rule.extension_days, rule.max_extensions) == (30, 2)


def test_every_unconfirmed_or_local_rule_says_what_to_check() -> None:
    for rule in STATUTORY_RULES:
        if rule.status is not CONFIRMED:
            assert rule.note, rule.code
    unconfirmed = [r for r in STATUTORY_RULES if r.status is UNCONFIRMED]
    assert all("check" in r.note.lower() for r in unconfirmed)


def test_versions_of_a_rule_never_overlap() -> None:
    codes = {rule.code for rule in STATUTORY_RULES}
    for code in codes:
        versions = sorted(
            (r for r in STATUTORY_RULES if r.code == code), key=lambda r: r.valid_from
        )
        for earlier, later in itertools.pairwise(versions):
            assert earlier.valid_to is not None
            assert earlier.valid_to < later.valid_from, code


def test_unknown_rule_is_a_clear_error() -> None:
    with pytest.raises(RuleLookupError, match=r"'complaint\.nope' is unknown"):
        rules_in_force("complaint.nope", D(2025, 1, 1))


def test_rule_before_its_validity_is_a_clear_error() -> None:
    with pytest.raises(RuleLookupError, match=r"not valid on that day \(2018-12-31\)"):
        rules_in_force("denunciation.resolution", D(2018, 12, 31))


def test_overlapping_versions_are_a_clear_error() -> None:
    rule = rules_in_force("denunciation.transfer", D(2025, 1, 1))
    twin = dataclasses.replace(rule, days=6)
    with pytest.raises(
        RuleLookupError, match=r"2 versions of clock rule 'denunciation\.transfer'"
    ):
        rules_in_force("denunciation.transfer", D(2025, 1, 1), rules=(rule, twin))


def test_organization_overrides_the_local_default() -> None:
    override = ClockOverride(days=3, day_type=WD, legal_basis="QĐ 12/QĐ-UBND xã")
    rule = rules_in_force("feedback.local_limit", D(2026, 9, 1), override=override)
    assert (rule.days, rule.day_type, rule.legal_basis) == (3, WD, "QĐ 12/QĐ-UBND xã")
    assert rule.status is RuleStatus.LOCAL_DEFAULT


def test_statutory_rule_cannot_be_overridden() -> None:
    override = ClockOverride(days=3, day_type=WD, legal_basis="QĐ 12/QĐ-UBND xã")
    with pytest.raises(RuleLookupError, match=r"statutory .*cannot be overridden"):
        rules_in_force("denunciation.transfer", D(2025, 1, 1), override=override)


# --- due dates around Tết and swapped days --------------------------------------


@pytest.mark.django_db
def test_complaint_accepted_within_ten_calendar_days_rolls_past_tet_2025() -> None:
    rule = rules_in_force("complaint.acceptance.first", D(2025, 1, 22))
    # Wed 22/1 + 10 = Sat 1/2 (Tết), Sun 2/2 off → Mon 3/2/2025.
    assert due_date(rule, D(2025, 1, 22)) == D(2025, 2, 3)


@pytest.mark.django_db
def test_denunciation_initial_processing_skips_tet_2025() -> None:
    rule = rules_in_force("denunciation.initial_processing", D(2025, 1, 24))
    # Fri 24/1: Tết to Sun 2/2; Mon 3/2 = 1 … Fri 7/2 = 5, Mon 10 = 6, Tue 11 = 7.
    assert due_date(rule, D(2025, 1, 24)) == D(2025, 2, 11)
    # Up to 10 working days: Wed 12 = 8, Thu 13 = 9, Fri 14 = 10.
    assert due_date(rule, D(2025, 1, 24), complex=True) == D(2025, 2, 14)


@pytest.mark.django_db
def test_denunciation_transfer_skips_tet_2026() -> None:
    rule = rules_in_force("denunciation.transfer", D(2026, 2, 12))
    # Thu 12/2: Fri 13 = 1, Sat 14 – Sun 22 off, Mon 23 = 2 … Thu 26 = 5.
    assert due_date(rule, D(2026, 2, 12)) == D(2026, 2, 26)


@pytest.mark.django_db
def test_reception_result_notice_counts_the_working_saturday_26_april_2025() -> None:
    rule = rules_in_force("reception.result_notice", D(2025, 4, 24))
    # Thu 24/4: Fri 25 = 1, Sat 26 = 2 (worked), Mon 28 = 3, Tue 29 = 4,
    # 30/4 – 4/5 off, Mon 5/5 = 5 … Fri 9/5 = 9, Mon 12/5 = 10.
    assert due_date(rule, D(2025, 4, 24)) == D(2025, 5, 12)


@pytest.mark.django_db
def test_complaint_acceptance_after_1_july_2026_skips_31_august_and_national_day() -> None:
    rule = rules_in_force("complaint.acceptance.first", D(2026, 8, 21))
    # Fri 21/8: Sat 22/8 = 1 (worked), Mon 24 = 2 … Fri 28 = 6,
    # Mon 31/8, Tue 1/9, Wed 2/9 off, Thu 3/9 = 7.
    assert due_date(rule, D(2026, 8, 21)) == D(2026, 9, 3)


@pytest.mark.django_db
def test_resolution_ending_on_a_sunday_before_31_august_2026_rolls_to_3_september() -> None:
    rule = rules_in_force("complaint.resolution.first", D(2026, 7, 31))
    # Fri 31/7 + 30 = Sun 30/8; Mon 31/8, Tue 1/9, Wed 2/9 off → Thu 3/9.
    assert due_date(rule, D(2026, 7, 31)) == D(2026, 9, 3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "complex_", "remote", "expected"),
    [
        # Accepted Mon 3/3/2025.
        ("complaint.resolution.first", False, False, D(2025, 4, 2)),  # +30 Wed
        ("complaint.resolution.first", True, False, D(2025, 4, 17)),  # +45 Thu
        ("complaint.resolution.first", False, True, D(2025, 4, 17)),  # +45 Thu
        # +60 = Fri 2/5 (swapped day off), weekend → Mon 5/5.
        ("complaint.resolution.first", True, True, D(2025, 5, 5)),
        ("complaint.resolution.second", False, False, D(2025, 4, 17)),  # +45
        ("complaint.resolution.second", True, False, D(2025, 5, 5)),  # +60
        ("complaint.resolution.second", False, True, D(2025, 5, 5)),  # +60
        ("complaint.resolution.second", True, True, D(2025, 5, 12)),  # +70 Mon
    ],
)
def test_complex_and_remote_due_dates(
    code: str, complex_: bool, remote: bool, expected: D
) -> None:
    rule = rules_in_force(code, D(2025, 3, 3))
    assert due_date(rule, D(2025, 3, 3), complex=complex_, remote=remote) == expected


@pytest.mark.django_db
def test_denunciation_resolution_with_extensions() -> None:
    rule = rules_in_force("denunciation.resolution", D(2025, 3, 3))
    # Mon 3/3: +30 Wed 2/4; +60 Fri 2/5 (off) → Mon 5/5; +90 Sun 1/6 → Mon 2/6.
    assert due_date(rule, D(2025, 3, 3)) == D(2025, 4, 2)
    assert due_date(rule, D(2025, 3, 3), extensions=1) == D(2025, 5, 5)
    assert due_date(rule, D(2025, 3, 3), extensions=2) == D(2025, 6, 2)
    with pytest.raises(ValueError, match="0 to 2 extensions, not 3"):
        due_date(rule, D(2025, 3, 3), extensions=3)


@pytest.mark.django_db
def test_complaint_cannot_be_extended() -> None:
    rule = rules_in_force("complaint.resolution.first", D(2025, 3, 3))
    with pytest.raises(ValueError, match="0 to 0 extensions, not 1"):
        due_date(rule, D(2025, 3, 3), extensions=1)


# --- suspension -------------------------------------------------------------------


@pytest.fixture
def thirty_days() -> ClockRule:
    return rules_in_force("denunciation.resolution", D(2025, 3, 3))


@pytest.mark.django_db
def test_resume_restarts_the_remaining_days_from_the_resume_date(thirty_days: ClockRule) -> None:
    # Mon 3/3: suspended Thu 13/3 (used 4/3 … 13/3 = 10, 20 left); resumed Mon
    # 14/4: +20 = Sun 4/5 → Mon 5/5.
    suspension = Suspension(D(2025, 3, 13), D(2025, 4, 14))
    assert due_date(thirty_days, D(2025, 3, 3), suspensions=[suspension]) == D(2025, 5, 5)


@pytest.mark.django_db
def test_still_suspended_case_has_no_due_date(thirty_days: ClockRule) -> None:
    suspension = Suspension(D(2025, 3, 13))
    assert due_date(thirty_days, D(2025, 3, 3), suspensions=[suspension]) is None


@pytest.mark.django_db
def test_two_suspensions_each_pause_the_clock(thirty_days: ClockRule) -> None:
    # Used 4/3 – 13/3 = 10 (20 left); resumed Thu 20/3; used 21/3 – 25/3 = 5
    # (15 left); resumed Tue 1/4: +15 = Wed 16/4.
    suspensions = [
        Suspension(D(2025, 3, 25), D(2025, 4, 1)),
        Suspension(D(2025, 3, 13), D(2025, 3, 20)),
    ]
    assert due_date(thirty_days, D(2025, 3, 3), suspensions=suspensions) == D(2025, 4, 16)


@pytest.mark.django_db
def test_suspension_after_the_due_date_changes_nothing(thirty_days: ClockRule) -> None:
    late = Suspension(D(2025, 4, 3), D(2025, 5, 1))
    assert due_date(thirty_days, D(2025, 3, 3), suspensions=[late]) == D(2025, 4, 2)


@pytest.mark.django_db
def test_suspension_on_the_last_day_leaves_the_resume_day(thirty_days: ClockRule) -> None:
    # All 30 days used by Wed 2/4; resumed Thu 10/4 with 0 left → Thu 10/4.
    last_day = Suspension(D(2025, 4, 2), D(2025, 4, 10))
    assert due_date(thirty_days, D(2025, 3, 3), suspensions=[last_day]) == D(2025, 4, 10)


@pytest.mark.django_db
def test_suspension_in_working_days_counts_the_working_saturday() -> None:
    rule = rules_in_force("reception.result_notice", D(2025, 3, 3))
    # Mon 3/3: Tue 4 = 1, Wed 5 = 2 (suspended, 8 left); resumed Fri 25/4:
    # Sat 26/4 = 1, Mon 28 = 2, Tue 29 = 3, Mon 5/5 = 4 … Fri 9/5 = 8.
    suspension = Suspension(D(2025, 3, 5), D(2025, 4, 25))
    assert due_date(rule, D(2025, 3, 3), suspensions=[suspension]) == D(2025, 5, 9)


@pytest.mark.django_db
def test_overlapping_or_backward_suspensions_are_refused(thirty_days: ClockRule) -> None:
    with pytest.raises(ValueError, match="must not overlap"):
        due_date(
            thirty_days,
            D(2025, 3, 3),
            suspensions=[
                Suspension(D(2025, 3, 10), D(2025, 3, 20)),
                Suspension(D(2025, 3, 15), D(2025, 3, 25)),
            ],
        )
    with pytest.raises(ValueError, match="cannot have been suspended"):
        due_date(
            thirty_days, D(2025, 3, 3), suspensions=[Suspension(D(2025, 3, 10), D(2025, 3, 9))]
        )
    with pytest.raises(ValueError, match="must not overlap"):
        due_date(
            thirty_days, D(2025, 3, 3), suspensions=[Suspension(D(2025, 3, 1), D(2025, 3, 9))]
        )


# --- due state ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2025, 3, 29), DueState.ON_TIME),  # 4 days left
        (D(2025, 3, 30), DueState.DUE_SOON),  # 3 days left
        (D(2025, 4, 2), DueState.DUE_SOON),  # the last day is not overdue (Art. 148(6))
        (D(2025, 4, 3), DueState.OVERDUE),
    ],
)
def test_due_state_boundaries(today: D, expected: DueState) -> None:
    assert due_state(D(2025, 4, 2), today, soon_days=3) is expected


def test_due_state_with_no_warning_period_is_due_soon_only_on_the_day() -> None:
    assert due_state(D(2025, 4, 2), D(2025, 4, 1), soon_days=0) is DueState.ON_TIME
    assert due_state(D(2025, 4, 2), D(2025, 4, 2), soon_days=0) is DueState.DUE_SOON
    with pytest.raises(ValueError, match="cannot be negative"):
        due_state(D(2025, 4, 2), D(2025, 4, 2), soon_days=-1)


def test_start_events_are_named() -> None:
    assert rules_in_force("denunciation.resolution", D(2025, 1, 1)).start_event is (
        StartEvent.ACCEPTANCE
    )
