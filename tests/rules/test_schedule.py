"""The ward's day (rules/schedule.py) and its table models (params_tables.py), with known answers.

Times are written as ``h * 60 + m`` so each minute reads as a clock time.
"""

import pydantic
import pytest

from milieusim.params_tables import (
    DEFAULT_LEVEL_RULES,
    DEFAULT_TIMETABLE,
    Criterion,
    LevelRule,
    TimetableBlock,
    minutes_of,
)
from milieusim.rules.schedule import FREE, Timetable, expected, on_shift, shift_of


def block(start, end, activity="group", place="therapy", expected_from=1):
    return TimetableBlock(start=start, end=end, activity=activity, place=place, expected_from=expected_from)


@pytest.fixture
def day():
    return Timetable(DEFAULT_TIMETABLE)


# -- minutes_of and TimetableBlock


def test_minutes_of_reads_hours_and_minutes():
    assert minutes_of("00:00") == 0
    assert minutes_of("07:30") == 450
    assert minutes_of("24:00") == 1440


@pytest.mark.parametrize("bad", ["9:00", "24:01", "25:00", "12:60", "12-00", "noon", ""])
def test_block_rejects_a_time_that_is_not_hh_mm(bad):
    with pytest.raises(pydantic.ValidationError, match="is not a time HH:MM"):
        block(bad, "23:00")


def test_block_accepts_midnight_as_the_end_of_the_day():
    assert block("23:00", "24:00").end == "24:00"


@pytest.mark.parametrize(("start", "end"), [("10:00", "10:00"), ("11:00", "10:00"), ("24:00", "24:00")])
def test_block_must_end_after_it_starts(start, end):
    with pytest.raises(pydantic.ValidationError, match="before it starts"):
        block(start, end)


def test_block_expects_everyone_by_default_and_bounds_expected_from():
    assert block("10:00", "11:00").expected_from == 1
    with pytest.raises(pydantic.ValidationError):
        block("10:00", "11:00", expected_from=6)
    with pytest.raises(pydantic.ValidationError):
        block("10:00", "11:00", expected_from=0)


def test_block_rejects_unknown_fields_and_activities():
    with pytest.raises(pydantic.ValidationError):
        TimetableBlock(start="10:00", end="11:00", activity="group", place="therapy", room="x")
    with pytest.raises(pydantic.ValidationError):
        block("10:00", "11:00", activity="party")


# -- Criterion and LevelRule


def test_criterion_looks_back_three_days_by_default():
    c = Criterion(measure="trust", op=">=", value=0.5)
    assert c.window_days == 3


def test_criterion_rejects_unknown_measure_and_operator():
    with pytest.raises(pydantic.ValidationError):
        Criterion(measure="happiness", op=">=", value=0.5)
    with pytest.raises(pydantic.ValidationError):
        Criterion(measure="trust", op=">", value=0.5)


def test_level_rule_defaults_to_two_days_and_promotes_one_level():
    rule = LevelRule(from_level=2, criteria=())
    assert rule.min_days == 2
    assert rule.to_level == 3


def test_no_level_rule_promotes_beyond_level_4():
    with pytest.raises(pydantic.ValidationError):
        LevelRule(from_level=4, criteria=())


def test_default_rules_promote_1_to_2_to_3_to_4():
    assert [(r.from_level, r.to_level) for r in DEFAULT_LEVEL_RULES] == [(1, 2), (2, 3), (3, 4)]
    assert [r.min_days for r in DEFAULT_LEVEL_RULES] == [2, 3, 4]


# -- Timetable lookups


def test_block_at_the_first_and_last_minute_of_a_block(day):
    assert day.block_at(8 * 60).activity == "meal"  # breakfast 08:00-08:45
    assert day.block_at(8 * 60 + 44).activity == "meal"
    assert day.block_at(10 * 60 + 30).activity == "group"  # group 10:30-11:30
    assert day.block_at(11 * 60 + 29).activity == "group"


def test_block_at_back_to_back_blocks_switches_at_the_boundary(day):
    assert day.block_at(11 * 60 + 29).activity == "group"
    assert day.block_at(11 * 60 + 30).activity == "work"  # work starts as the group ends


def test_gaps_between_blocks_are_free_time(day):
    assert day.block_at(8 * 60 + 45) is FREE  # 08:45-09:00
    assert day.block_at(9 * 60 + 30) is FREE  # 09:30-10:30
    assert day.block_at(20 * 60) is FREE  # 20:00-22:30
    assert FREE.activity == "free"
    assert FREE.expected_from == 5


def test_block_at_wraps_around_midnight(day):
    assert day.block_at(0).activity == "sleep"
    assert day.block_at(1440) is day.block_at(0)
    assert day.block_at(1439).start == "22:30"
    assert day.block_at(-1) is day.block_at(1439)


def test_block_end_of_a_block_and_of_free_time(day):
    assert day.block_end(0) == 7 * 60
    assert day.block_end(8 * 60 + 10) == 8 * 60 + 45
    assert day.block_end(8 * 60 + 45) == 9 * 60  # free time ends when the meeting starts
    assert day.block_end(20 * 60) == 22 * 60 + 30
    assert day.block_end(22 * 60 + 30) == 1440


def test_block_end_of_back_to_back_blocks_stops_at_the_next_block(day):
    assert day.block_end(10 * 60 + 30) == 11 * 60 + 30  # the group, not the work after it


def test_an_empty_timetable_is_free_all_day():
    t = Timetable(())
    assert t.block_at(720) is FREE
    assert t.block_end(0) == 1440
    assert t.groups_per_day() == 0


def test_starts_lists_blocks_in_time_order():
    late, early = block("14:00", "15:00"), block("09:00", "10:00", "meeting", "dayroom")
    assert Timetable((late, early)).starts() == [(540, early), (840, late)]


def test_default_day_holds_two_groups(day):
    assert day.groups_per_day() == 2


def test_overlapping_blocks_raise_naming_both_activities():
    with pytest.raises(ValueError, match="overlap at 10:30: group and work"):
        Timetable((block("10:00", "11:00", "group"), block("10:30", "11:30", "work", "dayroom")))


def test_touching_blocks_do_not_overlap():
    t = Timetable((block("10:00", "11:00", "group"), block("11:00", "12:00", "work", "dayroom")))
    assert t.block_at(11 * 60).activity == "work"


# -- who is expected


@pytest.mark.parametrize(
    ("level", "expected_from", "want"),
    [(1, 1, True), (1, 2, False), (2, 2, True), (2, 3, False), (3, 3, True), (4, 3, True), (4, 5, False)],
)
def test_expected_by_level_outside_group_therapy(level, expected_from, want):
    assert expected(level, block("11:30", "12:15", "work", "dayroom", expected_from), 0) is want


def test_level_1_is_not_expected_at_the_morning_group(day):
    group = day.block_at(10 * 60 + 30)
    assert expected(1, group, 0) is False


def test_level_2_is_expected_at_one_group_a_day(day):
    morning, afternoon = day.block_at(10 * 60 + 30), day.block_at(14 * 60)
    assert expected(2, morning, 0) is True
    assert expected(2, afternoon, 1) is False  # has had their group today


def test_level_2_who_missed_the_morning_group_is_expected_at_the_afternoon_one(day):
    afternoon = day.block_at(14 * 60)
    assert afternoon.expected_from == 3
    assert expected(2, afternoon, 0) is True


def test_levels_3_and_4_are_expected_at_every_group(day):
    for level in (3, 4):
        assert expected(level, day.block_at(10 * 60 + 30), 1) is True
        assert expected(level, day.block_at(14 * 60), 1) is True


def test_nobody_is_expected_in_free_time():
    assert [expected(level, FREE, 0) for level in (1, 2, 3, 4)] == [False] * 4


def test_nobody_is_expected_at_a_group_marked_for_nobody():
    closed = block("10:00", "11:00", "group", "therapy", expected_from=5)
    assert [expected(level, closed, 0) for level in (1, 2, 3, 4)] == [False] * 4


# -- shifts


@pytest.mark.parametrize(
    ("minute", "shift"),
    [
        (0, "night"),
        (6 * 60 + 59, "night"),
        (7 * 60, "early"),
        (14 * 60 + 59, "early"),
        (15 * 60, "late"),
        (22 * 60 + 59, "late"),
        (23 * 60, "night"),
        (1439, "night"),
    ],
)
def test_shift_of_each_minute(minute, shift):
    assert shift_of(minute) == shift


@pytest.mark.parametrize(
    ("shift", "on", "off"),
    [
        ("early", [7 * 60, 12 * 60, 15 * 60 - 1], [7 * 60 - 1, 15 * 60, 0]),
        ("late", [15 * 60, 20 * 60, 23 * 60 - 1], [15 * 60 - 1, 23 * 60, 7 * 60]),
        ("night", [23 * 60, 1439, 0, 3 * 60, 7 * 60 - 1], [7 * 60, 12 * 60, 23 * 60 - 1]),
    ],
)
def test_nurses_are_on_duty_during_their_shift_only(shift, on, off):
    assert [on_shift("nurse", m, 2, shift) for m in on] == [True] * len(on)
    assert [on_shift("nurse", m, 2, shift) for m in off] == [False] * len(off)


def test_nursing_shifts_run_at_weekends():
    assert on_shift("assistant", 10 * 60, 6, "early") is True


@pytest.mark.parametrize("role", ["therapist", "doctor"])
def test_therapists_and_doctors_keep_weekday_office_hours(role):
    assert on_shift(role, 9 * 60, 0, "night") is True  # the shift is ignored
    assert on_shift(role, 17 * 60 - 1, 4, "early") is True
    assert on_shift(role, 9 * 60 - 1, 0, "early") is False
    assert on_shift(role, 17 * 60, 0, "early") is False
    assert on_shift(role, 12 * 60, 5, "early") is False  # Saturday
    assert on_shift(role, 12 * 60, 6, "early") is False  # Sunday


def test_therapists_ignore_an_unknown_shift():
    assert on_shift("therapist", 12 * 60, 1, "bogus") is True


def test_unknown_shift_is_an_error_for_nurses():
    with pytest.raises(ValueError, match="unknown shift 'bogus'; valid: early, late, night"):
        on_shift("nurse", 12 * 60, 1, "bogus")
