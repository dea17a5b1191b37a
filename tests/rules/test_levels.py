"""Levels of responsibility (rules/levels.py): measures, the daily review, demotion, the rules in words.

Known answers come from a hand-made three-day log (`LOG`) and a scripted
sixteen-day stay fed through the review one day at a time.
"""

import math
from dataclasses import replace
from typing import get_args

import numpy as np
import pytest

from milieusim.params_tables import DEFAULT_LEVEL_RULES, Criterion, LevelRule, Measure
from milieusim.rules.levels import (
    COUNTS,
    LEVEL_NAMES,
    MEASURE_WORDS,
    DayRecord,
    demote,
    describe,
    measure,
    met,
    review,
)

LOG = (
    DayRecord(0.2, 0.3, groups=0, expected=2, attended=1, incidents=2, destructive=1, peer_help=0,
              autonomy=0.1, trust=0.2, goal_progress=0.0),
    DayRecord(0.5, 0.5, groups=1, expected=4, attended=3, incidents=1, destructive=0, peer_help=1,
              autonomy=0.3, trust=0.4, goal_progress=0.5),
    DayRecord(0.8, 0.7, groups=2, expected=4, attended=4, incidents=0, destructive=0, peer_help=2,
              autonomy=0.5, trust=0.6, goal_progress=1.0),
)  # fmt: skip

# Means of decimal fractions carry float rounding: compared with approx's default 1e-6 relative.
OVER_3_DAYS = {
    "destructive_incidents": 1.0,
    "incidents": 3.0,
    "peer_help": 3.0,
    "groups_per_day": 1.0,
    "attendance": 0.8,  # 8 attended of 10 expected
    "goal_progress": 1.0,  # the last day's value
    "orientation": 0.5,
    "hygiene": 0.5,
    "autonomy": 0.3,
    "trust": 0.4,
}
OVER_2_DAYS = {
    "destructive_incidents": 0.0,
    "incidents": 1.0,
    "peer_help": 3.0,
    "groups_per_day": 1.5,
    "attendance": 0.875,  # 7 of 8
    "goal_progress": 1.0,
    "orientation": 0.65,
    "hygiene": 0.6,
    "autonomy": 0.4,
    "trust": 0.5,
}


def crit(measure_name, op, value, window=1):
    return Criterion(measure=measure_name, op=op, value=value, window_days=window)


def rule(*criteria, from_level=1, min_days=0):
    return LevelRule(from_level=from_level, min_days=min_days, criteria=criteria)


# -- measures


def test_every_measure_has_words_and_a_known_value():
    assert set(OVER_3_DAYS) == set(MEASURE_WORDS) == set(get_args(Measure))


@pytest.mark.parametrize("name", sorted(OVER_3_DAYS))
def test_measure_over_the_whole_log(name):
    assert measure(LOG, name, 3) == pytest.approx(OVER_3_DAYS[name])


@pytest.mark.parametrize("name", sorted(OVER_2_DAYS))
def test_measure_over_the_last_two_days(name):
    assert measure(LOG, name, 2) == pytest.approx(OVER_2_DAYS[name])


@pytest.mark.parametrize("name", sorted(OVER_3_DAYS))
def test_a_window_longer_than_the_log_uses_every_day(name):
    assert measure(LOG, name, 10) == measure(LOG, name, 3)


def test_counts_are_exact_sums():
    assert measure(LOG, "incidents", 3) == 3.0
    assert measure(LOG, "destructive_incidents", 1) == 0.0
    assert measure(LOG, "peer_help", 1) == 2.0


def test_attendance_with_nothing_expected_is_full():
    assert measure([DayRecord(expected=0, attended=0)] * 3, "attendance", 3) == 1.0


@pytest.mark.parametrize("name", sorted(OVER_3_DAYS))
def test_measure_of_an_empty_log_is_nan(name):
    assert math.isnan(measure([], name, 3))


def test_unknown_measure_is_an_error():
    with pytest.raises(ValueError, match="unknown measure 'happiness'; valid: destructive_incidents"):
        measure(LOG, "happiness", 3)


def test_a_zero_day_window_has_no_days():
    assert math.isnan(measure(LOG, "incidents", 0))


# -- met


def test_met_at_least_includes_the_threshold():
    c = crit("orientation", ">=", 0.6)
    assert met(0.6, c) is True
    assert met(0.7, c) is True
    assert met(0.59, c) is False


def test_met_at_most_includes_the_threshold():
    c = crit("incidents", "<=", 0)
    assert met(0.0, c) is True
    assert met(1.0, c) is False


def test_nan_meets_no_criterion():
    assert met(float("nan"), crit("orientation", ">=", 0.6)) is False
    assert met(float("nan"), crit("incidents", "<=", 0)) is False


# -- review

GOOD = DayRecord(0.8, 0.6, groups=1, expected=3, attended=3, autonomy=0.5, trust=0.6, goal_progress=0.6)
BAD = DayRecord(0.3, 0.2, incidents=1, destructive=1)


def test_no_rule_promotes_from_level_4():
    rng = np.random.default_rng(0)
    helping = replace(GOOD, peer_help=1, goal_progress=1.0)
    assert review(4, 50, [helping] * 10, DEFAULT_LEVEL_RULES, 0.0, rng) == (
        4,
        ["no rule promotes from this level"],
    )


def test_a_level_whose_criteria_no_longer_hold_is_withdrawn():
    """L3 was earned with a group a day, no incident and autonomy 0.4: missing groups withdraws it."""
    rng = np.random.default_rng(0)
    no_groups = replace(GOOD, groups=0, attended=0)
    new, notes = review(3, 5, [no_groups] * 5, DEFAULT_LEVEL_RULES, 0.0, rng)
    assert new == 2
    assert notes[-1] == "withdrawn: groups_per_day 0.00 (judged 0.00) >= 1: not met"


def test_a_level_is_not_withdrawn_before_its_window_has_passed_at_it():
    rng = np.random.default_rng(0)
    no_groups = replace(GOOD, groups=0, attended=0)
    window = max(c.window_days for c in DEFAULT_LEVEL_RULES[1].criteria)
    assert review(3, window - 1, [no_groups] * 5, DEFAULT_LEVEL_RULES, 0.0, rng)[0] == 3
    assert review(3, window, [no_groups] * 5, DEFAULT_LEVEL_RULES, 0.0, rng)[0] == 2


def test_a_level_still_earned_is_kept():
    rng = np.random.default_rng(0)
    assert review(3, 10, [GOOD] * 5, DEFAULT_LEVEL_RULES, 0.0, rng)[0] == 3


def test_too_few_days_at_the_level_blocks_promotion():
    rng = np.random.default_rng(0)
    assert review(1, 1, [GOOD] * 10, DEFAULT_LEVEL_RULES, 0.0, rng) == (1, ["1 of 2 days at level 1"])


def test_a_log_shorter_than_a_window_blocks_promotion():
    rng = np.random.default_rng(0)
    assert review(1, 2, [GOOD] * 2, DEFAULT_LEVEL_RULES, 0.0, rng) == (1, ["only 2 of 3 days recorded"])


def test_all_criteria_met_promotes_with_a_note_for_each():
    rng = np.random.default_rng(0)
    level, notes = review(1, 2, [GOOD] * 3, DEFAULT_LEVEL_RULES, 0.0, rng)
    assert level == 2
    assert notes == [
        "destructive_incidents 0.00 (judged 0.00) <= 0: met",
        "orientation 0.80 (judged 0.80) >= 0.6: met",
        "hygiene 0.60 (judged 0.60) >= 0.4: met",
    ]


def test_one_unmet_criterion_keeps_the_level():
    rng = np.random.default_rng(0)
    unkempt = DayRecord(0.8, 0.3)
    level, notes = review(1, 2, [unkempt] * 3, DEFAULT_LEVEL_RULES, 0.0, rng)
    assert level == 1
    assert [n.rsplit(": ", 1)[1] for n in notes] == ["met", "met", "not met"]


def test_counts_are_judged_without_noise_however_large():
    counts_only = [rule(crit("incidents", "<=", 0, 3), crit("peer_help", ">=", 1, 3))]
    helped = [DayRecord(peer_help=1)] * 3
    hurt = [DayRecord(peer_help=1, incidents=1)] * 3
    for seed in range(50):
        rng = np.random.default_rng(seed)
        before = rng.bit_generator.state
        assert review(1, 0, helped, counts_only, 1e6, rng)[0] == 2
        assert review(1, 0, hurt, counts_only, 1e6, rng)[0] == 1
        assert rng.bit_generator.state == before  # no draw was made


def test_continuous_measures_with_no_noise_are_judged_exactly_at_the_threshold():
    rng = np.random.default_rng(0)
    rules = [rule(crit("orientation", ">=", 0.6, 2))]
    assert review(1, 0, [DayRecord(orientation=0.6)] * 2, rules, 0.0, rng)[0] == 2
    just_below = np.nextafter(0.6, 0.0)
    assert review(1, 0, [DayRecord(orientation=just_below)] * 2, rules, 0.0, rng)[0] == 1


def test_continuous_measures_are_judged_with_one_normal_draw_each():
    rules = [rule(crit("trust", ">=", 0.5))]
    draw = np.random.default_rng(3).normal(0.0, 0.2)
    level, notes = review(1, 0, [DayRecord(trust=0.5)], rules, 0.2, np.random.default_rng(3))
    assert notes == [f"trust 0.50 (judged {0.5 + draw:.2f}) >= 0.5: {'met' if draw >= 0 else 'not met'}"]
    assert level == (2 if draw >= 0 else 1)


def test_noise_can_fail_a_patient_who_meets_a_continuous_criterion():
    rules = [rule(crit("trust", ">=", 0.5))]
    levels = [
        review(1, 0, [DayRecord(trust=0.55)], rules, 0.5, np.random.default_rng(s))[0] for s in range(200)
    ]
    # judged < 0.5 when the draw is below -0.05: P(Z < -0.1) = 0.46, so about 92 of 200 stay
    assert 60 < levels.count(1) < 125


def test_scripted_stay_promotes_on_the_expected_days():
    """Day 1 destructive; day 6 a minor incident at level 2; help given on days 8 and 15.

    L1->L2 needs 3 days free of destructive behaviour (day 4); L2->L3 needs 3 days at
    level 2 free of destructive behaviour, and the minor incident on day 6 does not hold
    it back (day 7); L3->L4 needs 4 days at level 3 and peer help in the last 5 days,
    which the help on day 8 gives (day 11).
    """
    script = {1: BAD, 6: replace(GOOD, incidents=1)}
    script |= {d: replace(GOOD, peer_help=1) for d in (8, 15)}
    rng = np.random.default_rng(2024)
    level, days_at_level, log, levels = 1, 0, [], []
    for day in range(1, 17):
        log.append(script.get(day, GOOD))
        days_at_level += 1
        new, _ = review(level, days_at_level, log, DEFAULT_LEVEL_RULES, 0.0, rng)
        if new != level:
            level, days_at_level = new, 0
        levels.append(level)
    assert levels == [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4]


# -- demotion


@pytest.mark.parametrize(("level", "after"), [(4, 3), (3, 2), (2, 1), (1, 1)])
def test_demotion_one_level_down_stops_at_level_1(level, after):
    assert demote(level, "one_level") == after


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_demotion_to_level_1(level):
    assert demote(level, "to_level_1") == 1


def test_unknown_demotion_policy_is_an_error():
    with pytest.raises(ValueError, match="unknown demotion policy 'two_levels'"):
        demote(3, "two_levels")


# -- the rules in words


def test_describe_names_every_level_and_the_review():
    text = describe(DEFAULT_LEVEL_RULES, "one_level", "08:00", 0.1)
    for k, words in LEVEL_NAMES.items():
        assert f"L{k}: {words}" in text
    assert "Daily review at 08:00; staff judgement noise 0.1 x (1 - consistency)." in text
    assert "L1 -> L2, after at least 2 days at L1, when all of:" in text
    assert "L3 -> L4, after at least 4 days at L3, when all of:" in text


def test_describe_puts_each_criterion_in_words():
    text = describe(DEFAULT_LEVEL_RULES, "one_level", "08:00", 0.1)
    for r in DEFAULT_LEVEL_RULES:
        for c in r.criteria:
            assert MEASURE_WORDS[c.measure] in text
    assert f"  - {MEASURE_WORDS['destructive_incidents']} over the last 3 days: at most 0\n" in text
    assert f"  - {MEASURE_WORDS['autonomy']} now: at least 0.4 (as judged by staff)\n" in text
    assert f"  - {MEASURE_WORDS['peer_help']} over the last 5 days: at least 1\n" in text


def test_describe_marks_only_continuous_measures_as_judged():
    lines = [
        ln for ln in describe(DEFAULT_LEVEL_RULES, "one_level", "08:00", 0.1).splitlines() if "  - " in ln
    ]
    assert len(lines) == sum(len(r.criteria) for r in DEFAULT_LEVEL_RULES)
    for ln in lines:
        is_count = any(MEASURE_WORDS[m] in ln for m in COUNTS)
        assert ln.endswith("(as judged by staff)") is not is_count


@pytest.mark.parametrize(("policy", "words"), [("one_level", "one level down"), ("to_level_1", "back to L1")])
def test_describe_states_the_demotion_policy(policy, words):
    text = describe(DEFAULT_LEVEL_RULES, policy, "08:00", 0.1)
    assert text.endswith(f"Demotion: after destructive behaviour, {words}.")
