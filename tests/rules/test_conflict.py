"""Conflict kinds, targets, escalation and recording (rules/conflict.py), with known answers.

Kinds are drawn by inverse transform from a uniform `u`, so sweeping `u` over
an even grid gives each kind a count within one draw of its share of the weights.
"""

import numpy as np
import pytest

from milieusim.rules.conflict import (
    AGGRESSIVE,
    AGGRESSIVE_MASK,
    AT_A_PERSON,
    CONFLICT_KINDS,
    DESTRUCTIVE,
    EMPHASIS,
    EMPHASIS_VECTORS,
    ESCALATES_TO,
    KIND_WEIGHTS_MILD,
    KIND_WEIGHTS_SEVERE,
    K,
    choose_kind,
    decay,
    kind_weights,
    proneness,
    recorded_chance,
    target_of,
)
from milieusim.rules.flashpoints import FLASHPOINTS

GRID = np.linspace(0.0, 1.0, 10_000, endpoint=False)  # even uniform draws in [0, 1)
LAST_U = float(np.nextafter(1.0, 0.0))  # the largest uniform draw below 1
N = len(CONFLICT_KINDS)


def counts(weights, grid=GRID):
    kinds = [choose_kind(weights, float(u)) for u in grid]
    return np.array([kinds.count(k) for k in CONFLICT_KINDS])


def only(kind, factor):
    """A vector of ones with `factor` at `kind`."""
    v = np.ones(N)
    v[K[kind]] = factor
    return v


# -- the tables


def test_kind_index_follows_the_kinds_order():
    assert [K[k] for k in CONFLICT_KINDS] == list(range(N))


def test_kind_weight_tables_have_one_weight_per_kind():
    assert KIND_WEIGHTS_MILD.shape == KIND_WEIGHTS_SEVERE.shape == (N,)
    assert (KIND_WEIGHTS_MILD >= 0).all() and (KIND_WEIGHTS_SEVERE >= 0).all()


def test_kind_sets_are_conflict_kinds():
    assert set(CONFLICT_KINDS) >= DESTRUCTIVE
    assert set(CONFLICT_KINDS) >= AGGRESSIVE
    assert set(CONFLICT_KINDS) >= AT_A_PERSON


def test_aggressive_mask_marks_the_aggressive_kinds():
    assert {k for k, m in zip(CONFLICT_KINDS, AGGRESSIVE_MASK, strict=True) if m} == AGGRESSIVE


def test_every_flashpoint_has_an_emphasis():
    assert set(EMPHASIS) == set(FLASHPOINTS)
    assert set(EMPHASIS_VECTORS) == set(FLASHPOINTS)


def test_emphasis_names_only_conflict_kinds():
    assert all(set(emph) <= set(CONFLICT_KINDS) for emph in EMPHASIS.values())


@pytest.mark.parametrize("flashpoint", list(EMPHASIS))
def test_emphasis_vector_holds_the_emphasis_and_ones_elsewhere(flashpoint):
    vec = EMPHASIS_VECTORS[flashpoint]
    assert vec.shape == (N,)
    assert list(vec) == [EMPHASIS[flashpoint].get(k, 1.0) for k in CONFLICT_KINDS]


def test_escalation_stays_among_conflict_kinds():
    assert set(ESCALATES_TO) == set(CONFLICT_KINDS)
    assert set(ESCALATES_TO.values()) <= set(CONFLICT_KINDS)


def test_verbal_abuse_escalates_to_threats_then_attacks():
    assert ESCALATES_TO["verbal_abuse"] == "threat"
    assert ESCALATES_TO["threat"] == "physical_aggression"
    assert ESCALATES_TO["physical_aggression"] == "physical_aggression"


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_escalation_reaches_a_kind_that_stays_within_three_steps(kind):
    for _ in range(3):
        kind = ESCALATES_TO[kind]
    assert ESCALATES_TO[kind] == kind


# -- arousal


def test_decay_halves_after_one_half_life():
    assert decay(0.8, 30, 30) == 0.4
    assert decay(0.8, 60, 30) == 0.2


def test_decay_keeps_everything_after_no_time():
    assert decay(0.7, 0, 30) == 0.7


def test_decay_works_on_arrays():
    np.testing.assert_array_equal(decay(np.array([1.0, 0.5, 0.0]), 10, 10), [0.5, 0.25, 0.0])


def test_decay_known_value_between_half_lives():
    assert decay(0.6, 20, 40) == pytest.approx(0.6 / np.sqrt(2.0), rel=1e-12)


# -- kind weights


def test_kind_weights_at_severity_0_are_the_mild_weights():
    np.testing.assert_array_equal(kind_weights(0.0, 3, "symptoms"), KIND_WEIGHTS_MILD)


def test_kind_weights_at_severity_1_are_the_severe_weights():
    np.testing.assert_array_equal(kind_weights(1.0, 3, "symptoms"), KIND_WEIGHTS_SEVERE)


def test_kind_weights_interpolate_with_severity():
    expected = 0.75 * KIND_WEIGHTS_MILD + 0.25 * KIND_WEIGHTS_SEVERE
    np.testing.assert_allclose(kind_weights(0.25, 3, "symptoms"), expected, rtol=1e-12)


@pytest.mark.parametrize("severity", [0.0, 0.3, 0.79])
def test_level_1_counts_as_severity_0_8(severity):
    expected = 0.2 * KIND_WEIGHTS_MILD + 0.8 * KIND_WEIGHTS_SEVERE
    np.testing.assert_allclose(kind_weights(severity, 1, "symptoms"), expected, rtol=1e-12)


@pytest.mark.parametrize("severity", [0.8, 0.9, 1.0])
def test_level_1_keeps_a_severity_above_0_8(severity):
    np.testing.assert_array_equal(
        kind_weights(severity, 1, "symptoms"), kind_weights(severity, 3, "symptoms")
    )


@pytest.mark.parametrize("level", [2, 3, 4])
def test_other_levels_keep_the_severity(level):
    np.testing.assert_array_equal(kind_weights(0.3, level, "symptoms"), kind_weights(0.3, 3, "symptoms"))
    np.testing.assert_allclose(
        kind_weights(0.3, level, "symptoms"), 0.7 * KIND_WEIGHTS_MILD + 0.3 * KIND_WEIGHTS_SEVERE, rtol=1e-12
    )


def test_proneness_multiplies_the_aggressive_kinds_only():
    base = kind_weights(0.5, 3, "symptoms")
    expected = np.where(AGGRESSIVE_MASK, 2.5 * base, base)
    np.testing.assert_allclose(kind_weights(0.5, 3, "symptoms", proneness=2.5), expected, rtol=1e-12)


def test_zero_proneness_rules_out_the_aggressive_kinds():
    w = kind_weights(1.0, 1, "bullying", proneness=0.0)
    assert [w[K[k]] for k in sorted(AGGRESSIVE)] == [0.0, 0.0, 0.0]
    assert (w[~AGGRESSIVE_MASK] > 0).all()


@pytest.mark.parametrize("flashpoint", list(EMPHASIS))
def test_the_flashpoint_multiplies_its_kinds_by_its_emphasis(flashpoint):
    base = kind_weights(0.6, 2, "symptoms")
    np.testing.assert_allclose(
        kind_weights(0.6, 2, flashpoint), base * EMPHASIS_VECTORS[flashpoint], rtol=1e-12
    )


def test_the_self_harm_factor_multiplies_self_harm_only():
    base = kind_weights(0.4, 3, "bad_news")
    got = kind_weights(0.4, 3, "bad_news", self_harm_factor=3.0)
    np.testing.assert_allclose(got, base * only("self_harm", 3.0), rtol=1e-12)


def test_the_absconding_factor_multiplies_absconding_only():
    base = kind_weights(0.4, 3, "detention")
    got = kind_weights(0.4, 3, "detention", absconding_factor=2.0)
    np.testing.assert_allclose(got, base * only("absconding_attempt", 2.0), rtol=1e-12)


def test_kind_weights_every_factor_known_vector():
    s = 0.2  # level 1: counts as 0.8
    w = 0.2 * KIND_WEIGHTS_MILD + 0.8 * KIND_WEIGHTS_SEVERE
    w = np.where(AGGRESSIVE_MASK, 1.7 * w, w) * EMPHASIS_VECTORS["bullying"]
    w = w * only("self_harm", 2.4) * only("absconding_attempt", 1.5)
    got = kind_weights(s, 1, "bullying", proneness=1.7, self_harm_factor=2.4, absconding_factor=1.5)
    np.testing.assert_allclose(got, w, rtol=1e-12)


def test_kind_weights_leave_the_tables_unchanged():
    mild, severe = KIND_WEIGHTS_MILD.copy(), KIND_WEIGHTS_SEVERE.copy()
    emphasis = {fp: v.copy() for fp, v in EMPHASIS_VECTORS.items()}
    kind_weights(0.0, 3, "symptoms", 3.0, 5.0, 7.0)
    kind_weights(1.0, 3, "medication", 3.0, 5.0, 7.0)
    np.testing.assert_array_equal(KIND_WEIGHTS_MILD, mild)
    np.testing.assert_array_equal(KIND_WEIGHTS_SEVERE, severe)
    assert all(np.array_equal(EMPHASIS_VECTORS[fp], v) for fp, v in emphasis.items())


def test_severe_illness_makes_destructive_kinds_likelier():
    def share(w):
        return sum(w[K[k]] for k in DESTRUCTIVE) / w.sum()

    assert share(KIND_WEIGHTS_SEVERE) > share(KIND_WEIGHTS_MILD)


# -- choosing a kind


def test_u_zero_gives_the_first_kind():
    assert choose_kind(kind_weights(0.5, 3, "symptoms"), 0.0) == CONFLICT_KINDS[0]


@pytest.mark.parametrize("flashpoint", list(EMPHASIS))
@pytest.mark.parametrize("severity", [0.0, 0.5, 1.0])
def test_the_largest_u_below_1_gives_the_last_kind(flashpoint, severity):
    assert choose_kind(kind_weights(severity, 3, flashpoint), LAST_U) == CONFLICT_KINDS[-1]


def test_choose_kind_boundaries_fall_at_the_cumulative_shares():
    w = np.array([1.0, 1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 4.0])  # edges at 1/8, 2/8, 4/8
    assert choose_kind(w, float(np.nextafter(0.125, 0.0))) == CONFLICT_KINDS[0]
    assert choose_kind(w, 0.125) == CONFLICT_KINDS[1]
    assert choose_kind(w, 0.25) == CONFLICT_KINDS[2]
    assert choose_kind(w, float(np.nextafter(0.5, 0.0))) == CONFLICT_KINDS[2]
    assert choose_kind(w, 0.5) == CONFLICT_KINDS[7]


def test_choose_kind_skips_kinds_of_zero_weight():
    w = np.array([0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0])
    assert choose_kind(w, 0.0) == CONFLICT_KINDS[1]
    drawn = {k for k, n in zip(CONFLICT_KINDS, counts(w, GRID[::10]), strict=True) if n > 0}
    assert drawn == {CONFLICT_KINDS[1], CONFLICT_KINDS[3], CONFLICT_KINDS[7]}


def test_a_last_kind_of_zero_weight_is_never_drawn():
    w = np.array([0.1] * (N - 1) + [0.0])  # the normalised cumulative sum ends 0.9999999999999998, 1.0
    assert choose_kind(w, LAST_U) == CONFLICT_KINDS[-2]


def test_choose_kind_needs_only_relative_weights():
    w = kind_weights(0.7, 2, "detention")
    assert [choose_kind(w, float(u)) for u in GRID[::50]] == [
        choose_kind(9.0 * w, float(u)) for u in GRID[::50]
    ]


@pytest.mark.parametrize(
    ("severity", "level", "flashpoint", "prone"),
    [(0.0, 3, "symptoms", 1.0), (1.0, 1, "medication", 1.0), (0.5, 2, "bullying", 4.0)],
)
def test_kind_counts_over_an_even_grid_follow_the_weights_shares(severity, level, flashpoint, prone):
    w = kind_weights(severity, level, flashpoint, prone)
    # an even grid puts each kind within one draw of its exact share
    np.testing.assert_allclose(counts(w), GRID.size * w / w.sum(), atol=1.0)


# -- proneness


def test_proneness_is_1_without_spread():
    assert proneness(np.random.default_rng(0), 0.0) == 1.0


@pytest.mark.parametrize("spread", [0.0, 0.5, 2.0])
def test_proneness_takes_one_normal_draw_whatever_the_spread(spread):
    rng, ref = np.random.default_rng(5), np.random.default_rng(5)
    z = ref.standard_normal()
    assert proneness(rng, spread) == pytest.approx(np.exp(-(spread**2) / 2 + spread * z), rel=1e-12)
    assert rng.random() == ref.random()  # both streams are at the same place


def test_proneness_has_mean_1():
    rng = np.random.default_rng(11)
    draws = np.array([proneness(rng, 0.8) for _ in range(20_000)])
    # lognormal sigma 0.8: sd sqrt(exp(0.64) - 1) = 0.947, so the mean of 20 000 has sd 0.0067;
    # allow 4.5 sd
    assert draws.mean() == pytest.approx(1.0, abs=0.03)
    assert draws.min() > 0


# -- targets and recording


@pytest.mark.parametrize("source", ["staff", "patient", None])
def test_self_harm_targets_oneself(source):
    assert target_of("self_harm", source, "patient") == "self"


@pytest.mark.parametrize("source", ["staff", None])
def test_property_damage_targets_property(source):
    assert target_of("property_damage", source, "relative") == "property"


@pytest.mark.parametrize("kind", ["medication_refusal", "absconding_attempt", "rule_breaking"])
def test_refusing_absconding_and_rule_breaking_target_nobody(kind):
    assert target_of(kind, "staff", "patient") == ""


@pytest.mark.parametrize("kind", sorted(AT_A_PERSON))
def test_conflict_at_a_person_targets_the_flashpoints_source_first(kind):
    assert target_of(kind, "staff", "patient") == "staff"


@pytest.mark.parametrize("kind", sorted(AT_A_PERSON))
def test_conflict_at_a_person_targets_the_nearest_without_a_source(kind):
    assert target_of(kind, None, "relative") == "relative"


@pytest.mark.parametrize("kind", sorted(AT_A_PERSON))
def test_conflict_at_a_person_targets_nobody_when_nobody_is_there(kind):
    assert target_of(kind, None, None) == ""


def test_recorded_chance_by_whether_staff_saw_it():
    assert recorded_chance(True, 0.51, 0.25) == 0.51
    assert recorded_chance(False, 0.51, 0.25) == 0.25
