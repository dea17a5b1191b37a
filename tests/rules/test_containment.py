"""Talk-down and containment (rules/containment.py), with known answers.

Talk-down chance is ``clip(skill x hard x (1 - 0.6 propensity) + 0.15)`` with skill
``0.4 training + 0.3 respect + 0.3 trust`` and ``hard`` 0.5 for physical harm; the
Safewards talk-down intervention multiplies the odds that it fails by ``weaken(fidelity)``.
Containment is drawn by inverse transform over the weights of `RESPONSES`.
"""

import numpy as np
import pytest

from milieusim.rules.conflict import CONFLICT_KINDS
from milieusim.rules.containment import (
    CALMING,
    COERCION,
    CONTAINMENT_KINDS,
    MINUTES,
    NO_SECLUSION,
    OBSERVATION_KINDS,
    RESPONSES,
    TRANSFER_AFTER,
    containment_for,
    talk_down_chance,
    transfer_due,
)
from milieusim.rules.safewards import LINK_EFFECT

GRID = np.linspace(0.0, 1.0, 10_000, endpoint=False)  # even uniform draws in [0, 1)
LAST_U = float(np.nextafter(1.0, 0.0))
WITH_SECLUSION = [k for k, options in RESPONSES.items() if any(name == "seclusion" for name, _ in options)]


def edges(kind):
    """Cumulative shares of the kind's responses, summed in the rule's order."""
    total = sum(w for _, w in RESPONSES[kind])
    out, edge = [], 0.0
    for _, w in RESPONSES[kind]:
        edge += w / total
        out.append(edge)
    return out


def with_fail_odds_times(p, factor):
    """The chance whose odds of failure are those of `p` times `factor`."""
    return 1.0 / (1.0 + (1.0 - p) / p * factor)


# -- talk-down


def test_talk_down_floor_without_skill():
    assert talk_down_chance("threat", 0.0, 0.0, 0.0, 0.0) == pytest.approx(0.15, rel=1e-12)


def test_talk_down_known_value_for_middling_staff():
    # skill 0.5, x (1 - 0.6 x 0.5) = 0.35, + 0.15
    assert talk_down_chance("threat", 0.5, 0.5, 0.5, 0.5) == pytest.approx(0.5, rel=1e-12)


@pytest.mark.parametrize("kind", ["physical_aggression", "self_harm"])
def test_physical_harm_halves_the_skill_term(kind):
    # 0.5 x 0.5 x 0.7 + 0.15
    assert talk_down_chance(kind, 0.5, 0.5, 0.5, 0.5) == pytest.approx(0.325, rel=1e-12)


@pytest.mark.parametrize(
    ("trust", "respect", "training", "expected"),
    [(0.0, 0.0, 1.0, 0.55), (0.0, 1.0, 0.0, 0.45), (1.0, 0.0, 0.0, 0.45)],
)
def test_skill_weights_training_0_4_respect_and_trust_0_3(trust, respect, training, expected):
    assert talk_down_chance("verbal_abuse", trust, respect, training, 0.0) == pytest.approx(
        expected, rel=1e-12
    )


def test_readiness_to_contain_cuts_the_skill_term_by_up_to_60_percent():
    # skill 1 x (1 - 0.6) + 0.15
    assert talk_down_chance("threat", 1.0, 1.0, 1.0, 1.0) == pytest.approx(0.55, rel=1e-12)


def test_talk_down_chance_is_clipped_at_1():
    assert talk_down_chance("verbal_abuse", 1.0, 1.0, 1.0, 0.0) == 1.0  # 1.15 clipped


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_talk_down_fidelity_0_changes_nothing(kind):
    assert talk_down_chance(kind, 0.3, 0.6, 0.4, 0.5, fidelity=0.0) == talk_down_chance(
        kind, 0.3, 0.6, 0.4, 0.5
    )


@pytest.mark.parametrize(
    ("kind", "skill", "p"),
    [("threat", 0.5, 0.5), ("self_harm", 0.5, 0.325), ("rule_breaking", 0.0, 0.15)],
)
def test_full_talk_down_fidelity_weakens_the_odds_of_failure(kind, skill, p):
    got = talk_down_chance(kind, skill, skill, skill, 0.5, fidelity=1.0)
    assert got == pytest.approx(with_fail_odds_times(p, 1.0 - LINK_EFFECT), rel=1e-12)


def test_half_talk_down_fidelity_weakens_the_odds_of_failure_by_half_the_effect():
    got = talk_down_chance("threat", 0.5, 0.5, 0.5, 0.5, fidelity=0.5)
    assert got == pytest.approx(with_fail_odds_times(0.5, 1.0 - 0.5 * LINK_EFFECT), rel=1e-12)


def test_talk_down_that_cannot_fail_stays_certain_with_the_intervention():
    assert talk_down_chance("verbal_abuse", 1.0, 1.0, 1.0, 0.0, fidelity=1.0) == 1.0


def test_talk_down_chance_stays_between_the_floor_and_1():
    values = [
        talk_down_chance(k, t, r, tr, p, f)
        for k in CONFLICT_KINDS
        for t in (0, 1)
        for r in (0, 1)
        for tr in (0, 1)
        for p in (0, 0.5, 1)
        for f in (0, 1)
    ]
    assert min(values) >= 0.15
    assert max(values) <= 1.0


# -- containment


def test_every_conflict_kind_has_responses():
    assert set(RESPONSES) == set(CONFLICT_KINDS)
    assert all(len(options) > 0 for options in RESPONSES.values())


def test_every_response_is_a_containment_or_none():
    used = {name for options in RESPONSES.values() for name, _ in options}
    assert used <= set(CONTAINMENT_KINDS) | {"none"}


def test_response_weights_are_positive_and_names_unique_per_kind():
    for options in RESPONSES.values():
        assert all(w > 0 for _, w in options)
        assert len({name for name, _ in options}) == len(options)


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_u_zero_gives_the_first_response(kind):
    assert containment_for(kind, True, 0.0) == RESPONSES[kind][0][0]


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_the_largest_u_below_1_gives_the_last_response(kind):
    assert containment_for(kind, True, LAST_U) == RESPONSES[kind][-1][0]


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_responses_change_at_the_cumulative_shares(kind):
    names = [name for name, _ in RESPONSES[kind]]
    for i, edge in enumerate(edges(kind)[:-1]):
        assert containment_for(kind, True, float(np.nextafter(edge, 0.0))) == names[i]
        assert containment_for(kind, True, edge) == names[i + 1]


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_response_counts_over_an_even_grid_follow_the_weights_shares(kind):
    drawn = [containment_for(kind, True, float(u)) for u in GRID]
    total = sum(w for _, w in RESPONSES[kind])
    for name, w in RESPONSES[kind]:
        # an even grid puts each response within one draw of its exact share
        assert drawn.count(name) == pytest.approx(GRID.size * w / total, abs=1)


def test_kinds_with_seclusion_have_a_replacement():
    assert set(NO_SECLUSION) == set(WITH_SECLUSION)
    assert all(v in CONTAINMENT_KINDS and v != "seclusion" for v in NO_SECLUSION.values())


@pytest.mark.parametrize("kind", WITH_SECLUSION)
def test_seclusion_is_replaced_where_the_ward_does_not_seclude(kind):
    allowed = [containment_for(kind, True, float(u)) for u in GRID[::10]]
    barred = [containment_for(kind, False, float(u)) for u in GRID[::10]]
    assert "seclusion" in allowed
    assert barred == [NO_SECLUSION[kind] if c == "seclusion" else c for c in allowed]


@pytest.mark.parametrize("kind", [k for k in CONFLICT_KINDS if k not in WITH_SECLUSION])
def test_kinds_without_seclusion_do_not_depend_on_whether_the_ward_secludes(kind):
    assert [containment_for(kind, False, float(u)) for u in GRID[::10]] == [
        containment_for(kind, True, float(u)) for u in GRID[::10]
    ]


def test_every_drawn_containment_is_a_known_kind_or_none():
    used = {
        containment_for(k, s, float(u)) for k in CONFLICT_KINDS for s in (True, False) for u in GRID[::100]
    }
    assert used <= set(CONTAINMENT_KINDS) | {"none"}


# -- transfer


def test_no_transfer_below_the_number_of_attacks():
    assert not transfer_due(0)
    assert not transfer_due(TRANSFER_AFTER - 1)


def test_transfer_from_the_number_of_attacks_on():
    assert transfer_due(TRANSFER_AFTER)
    assert transfer_due(TRANSFER_AFTER + 5)


# -- tables


def test_coercion_and_calming_cover_every_containment():
    assert set(COERCION) == set(CONTAINMENT_KINDS)
    assert set(CALMING) == set(CONTAINMENT_KINDS)


def test_coercion_is_positive_and_calming_a_share():
    assert all(v > 0 for v in COERCION.values())
    assert all(0.0 <= v <= 1.0 for v in CALMING.values())


def test_durations_and_observation_levels_name_containments():
    assert set(MINUTES) <= set(CONTAINMENT_KINDS)
    assert set(OBSERVATION_KINDS) <= set(MINUTES)
    assert all(m > 0 for m in MINUTES.values())
