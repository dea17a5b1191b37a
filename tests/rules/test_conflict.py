"""Flashpoints, conflict and the staff response (rules/conflict.py), with known answers.

Kinds are drawn by inverse transform from a uniform `u`, so sweeping `u` over
an even grid gives each kind a count equal to its share of the weights.
"""

import math

import numpy as np
import pytest

from milieusim.rules.conflict import (
    AGGRESSIVE,
    CONFLICT_KINDS,
    CONTAINMENT_KINDS,
    DESTRUCTIVE,
    ESCALATES_TO,
    KIND_WEIGHTS_MILD,
    KIND_WEIGHTS_SEVERE,
    choose_kind,
    conflict_probability,
    containment_for,
    decay,
    limit_setting_flashpoint,
    proneness,
    respond,
    talk_down_chance,
)

GRID = np.linspace(0.0, 1.0, 20_000, endpoint=False)  # even uniform draws in [0, 1)
NOT_DESTRUCTIVE = [k for k in CONFLICT_KINDS if k not in DESTRUCTIVE]


def kind_counts(severity, level, prone=1.0):
    kinds = [choose_kind(severity, level, float(u), prone) for u in GRID]
    return {k: kinds.count(k) for k in CONFLICT_KINDS}


def share(weights, kinds):
    return sum(w for k, w in zip(CONFLICT_KINDS, weights, strict=True) if k in kinds) / weights.sum()


# -- the tables


def test_kind_tables_line_up():
    assert KIND_WEIGHTS_MILD.shape == KIND_WEIGHTS_SEVERE.shape == (len(CONFLICT_KINDS),)
    assert DESTRUCTIVE.issubset(CONFLICT_KINDS)
    assert AGGRESSIVE.issubset(CONFLICT_KINDS)
    assert set(ESCALATES_TO) == set(CONFLICT_KINDS)
    assert set(ESCALATES_TO.values()) <= set(CONFLICT_KINDS)


def test_severe_illness_makes_destructive_kinds_likelier():
    assert share(KIND_WEIGHTS_SEVERE, DESTRUCTIVE) > share(KIND_WEIGHTS_MILD, DESTRUCTIVE)


# -- agitation


def test_decay_halves_after_one_half_life():
    assert decay(0.8, 30, 30) == 0.4
    assert decay(0.8, 60, 30) == 0.2


def test_decay_keeps_everything_after_no_time_and_works_on_arrays():
    assert decay(0.7, 0, 30) == 0.7
    np.testing.assert_array_equal(decay(np.array([1.0, 0.5, 0.0]), 10, 10), [0.5, 0.25, 0.0])


@pytest.mark.parametrize("agitation", [0.0, 0.2, 0.4])
def test_no_conflict_at_or_below_the_threshold(agitation):
    assert conflict_probability(agitation, 0.4, 3.0, 60) == 0.0


def test_full_hazard_at_agitation_1():
    assert conflict_probability(1.0, 0.4, 2.0, 30) == pytest.approx(
        1 - math.exp(-1.0)
    )  # 2/h for half an hour


def test_hazard_rises_linearly_from_threshold_to_1():
    # halfway from threshold 0.4 to 1 (0.7): half the hazard
    assert conflict_probability(0.7, 0.4, 2.0, 60) == pytest.approx(1 - math.exp(-1.0))


def test_conflict_probability_is_monotone_in_agitation():
    p = conflict_probability(np.linspace(0, 1, 101), 0.3, 2.0, 15)
    assert np.all(np.diff(p) >= 0)
    assert np.all(np.diff(p[31:]) > 0)  # strictly rising above the threshold
    assert p[30] == 0.0


def test_conflict_probability_per_patient_thresholds():
    p = conflict_probability(np.array([0.5, 0.5]), np.array([0.6, 0.0]), 1.0, 60)
    assert p[0] == 0.0
    assert p[1] == pytest.approx(1 - math.exp(-0.5))


# -- kinds


def test_u_zero_gives_the_first_kind():
    assert choose_kind(0.0, 3, 0.0) == CONFLICT_KINDS[0]
    assert choose_kind(1.0, 1, 0.0) == CONFLICT_KINDS[0]


@pytest.mark.parametrize("severity", [0.0, 0.5, 1.0])
def test_u_close_to_1_gives_the_last_kind(severity):
    assert choose_kind(severity, 3, 1 - 1e-9) == CONFLICT_KINDS[-1]


def test_the_largest_uniform_draw_below_1_gives_the_last_kind():
    u = float(np.nextafter(1.0, 0.0))
    kinds = {choose_kind(float(s), level, u) for level in (1, 3) for s in np.linspace(0, 1, 101)}
    assert kinds == {CONFLICT_KINDS[-1]}


def test_kind_counts_follow_the_mild_weights_at_severity_0():
    counts = kind_counts(0.0, 3)
    for k, w in zip(CONFLICT_KINDS, KIND_WEIGHTS_MILD, strict=True):
        # an even grid puts each kind within one draw of its exact share
        assert counts[k] == pytest.approx(len(GRID) * w / KIND_WEIGHTS_MILD.sum(), abs=1)


def test_level_1_counts_as_severity_at_least_0_8():
    assert [choose_kind(0.0, 1, float(u)) for u in GRID[::10]] == [
        choose_kind(0.8, 3, float(u)) for u in GRID[::10]
    ]
    assert [choose_kind(0.95, 1, float(u)) for u in GRID[::10]] == [
        choose_kind(0.95, 3, float(u)) for u in GRID[::10]
    ]


def test_level_1_brings_more_destructive_conflict_than_level_3_at_severity_0():
    l1, l3 = kind_counts(0.0, 1), kind_counts(0.0, 3)
    destructive_1 = sum(l1[k] for k in DESTRUCTIVE)
    destructive_3 = sum(l3[k] for k in DESTRUCTIVE)
    w08 = 0.2 * KIND_WEIGHTS_MILD + 0.8 * KIND_WEIGHTS_SEVERE
    # the destructive kinds are the last three, one interval of the grid: within one draw
    assert destructive_1 == pytest.approx(len(GRID) * share(w08, DESTRUCTIVE), abs=1)
    assert destructive_3 == pytest.approx(len(GRID) * share(KIND_WEIGHTS_MILD, DESTRUCTIVE), abs=1)
    assert destructive_1 > 2 * destructive_3


def test_zero_proneness_rules_out_aggressive_kinds():
    counts = kind_counts(1.0, 1, prone=0.0)
    assert [counts[k] for k in sorted(AGGRESSIVE)] == [0, 0, 0]
    assert counts["self_harm"] > 0


def test_proneness_raises_the_share_of_aggressive_kinds():
    low, high = kind_counts(0.5, 3, prone=0.5), kind_counts(0.5, 3, prone=3.0)
    assert sum(high[k] for k in AGGRESSIVE) > sum(low[k] for k in AGGRESSIVE)


def test_proneness_is_1_without_spread():
    assert proneness(np.random.default_rng(0), 0.0) == 1.0


def test_proneness_has_mean_1():
    rng = np.random.default_rng(11)
    draws = np.array([proneness(rng, 0.8) for _ in range(20_000)])
    # lognormal sigma 0.8: sd 0.947, so the mean of 20 000 has sd 0.0067; allow 4.5 sd
    assert draws.mean() == pytest.approx(1.0, abs=0.03)
    assert draws.min() > 0


# -- talking down


def test_talk_down_chance_known_values():
    assert talk_down_chance("threat", 0.0, 0.0, 0.0, 0.0) == pytest.approx(0.15)  # the floor
    assert talk_down_chance("threat", 0.5, 0.5, 0.5, 0.5) == pytest.approx(0.5)  # 0.5 * 0.7 + 0.15
    assert talk_down_chance("self_harm", 0.5, 0.5, 0.5, 0.5) == pytest.approx(0.325)  # 0.25 * 0.7 + 0.15
    assert talk_down_chance("verbal_abuse", 1.0, 1.0, 1.0, 0.0) == 1.0  # 1.15 clipped


def test_talk_down_chance_stays_within_0_and_1():
    values = [
        talk_down_chance(k, t, r, tr, p)
        for k in CONFLICT_KINDS
        for t in (0, 1)
        for r in (0, 1)
        for tr in (0, 1)
        for p in (0, 0.5, 1)
    ]
    assert min(values) >= 0.0
    assert max(values) <= 1.0


@pytest.mark.parametrize("which", ["trust", "respect", "training"])
def test_more_trust_respect_or_training_helps_talk_down(which):
    base = {"trust": 0.3, "respect": 0.3, "training": 0.3, "propensity": 0.5}
    more = base | {which: 0.8}
    assert talk_down_chance("threat", **more) > talk_down_chance("threat", **base)


def test_training_weighs_more_than_respect_or_trust():
    base = {"trust": 0.3, "respect": 0.3, "training": 0.3, "propensity": 0.0}
    trained = talk_down_chance("threat", **(base | {"training": 0.8}))
    respectful = talk_down_chance("threat", **(base | {"respect": 0.8}))
    assert trained - respectful == pytest.approx(0.1 * 0.5)  # (0.4 - 0.3) x 0.5


@pytest.mark.parametrize("kind", ["physical_aggression", "self_harm"])
def test_physical_harm_is_harder_to_talk_down(kind):
    assert talk_down_chance(kind, 0.6, 0.6, 0.6, 0.2) < talk_down_chance("threat", 0.6, 0.6, 0.6, 0.2)


def test_readiness_to_contain_lowers_talk_down():
    chances = [talk_down_chance("threat", 0.6, 0.6, 0.6, p) for p in (0.0, 0.5, 1.0)]
    assert chances[0] > chances[1] > chances[2]


# -- containment


@pytest.mark.parametrize("u", [0.0, 0.5, 0.99])
@pytest.mark.parametrize("seclusion", [True, False])
def test_self_harm_is_met_with_special_observation(u, seclusion):
    assert containment_for("self_harm", seclusion, u) == "special_observation"


def test_absconding_is_met_with_observation_or_medication():
    assert containment_for("absconding_attempt", True, 0.69) == "special_observation"
    assert containment_for("absconding_attempt", True, 0.7) == "prn_medication"


@pytest.mark.parametrize("kind", ["physical_aggression", "property_damage"])
def test_violence_is_met_with_seclusion_restraint_or_medication(kind):
    assert containment_for(kind, True, 0.34) == "seclusion"
    assert containment_for(kind, True, 0.35) == "restraint"
    assert containment_for(kind, True, 0.59) == "restraint"
    assert containment_for(kind, True, 0.6) == "prn_medication"


def test_no_seclusion_where_it_is_not_allowed():
    assert containment_for("physical_aggression", False, 0.0) == "restraint"
    assert containment_for("physical_aggression", False, 0.34) == "restraint"


@pytest.mark.parametrize("kind", ["verbal_abuse", "threat", "medication_refusal", "rule_breaking"])
def test_other_kinds_are_met_with_medication(kind):
    assert [containment_for(kind, True, u) for u in (0.0, 0.5, 0.99)] == ["prn_medication"] * 3


def test_every_containment_is_a_known_kind():
    used = {containment_for(k, s, u) for k in CONFLICT_KINDS for s in (True, False) for u in GRID[::200]}
    assert used == set(CONTAINMENT_KINDS)


def test_respond_talks_down_when_u1_is_below_the_chance():
    chance = talk_down_chance("threat", 0.5, 0.5, 0.5, 0.5)  # 0.5
    assert respond("threat", 0.5, 0.5, 0.5, 0.5, True, chance - 0.01, 0.0) is None
    assert respond("threat", 0.5, 0.5, 0.5, 0.5, True, chance + 0.01, 0.0) == "prn_medication"


def test_respond_contains_by_the_second_draw_when_talk_down_fails():
    assert respond("physical_aggression", 0.0, 0.0, 0.0, 1.0, True, 0.99, 0.1) == "seclusion"
    assert respond("physical_aggression", 0.0, 0.0, 0.0, 1.0, False, 0.99, 0.1) == "restraint"


def test_limit_setting_flashpoint_is_halved_by_full_respect():
    assert limit_setting_flashpoint(0.2, 0.0) == 0.2
    assert limit_setting_flashpoint(0.2, 1.0) == 0.1
    assert limit_setting_flashpoint(0.2, 0.5) == pytest.approx(0.15)
