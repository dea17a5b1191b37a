"""Observation (rules/observation.py): check intervals, time unseen and warning signs, with known answers."""

import numpy as np
import pytest

from milieusim.rules.observation import (
    CUE_AROUSAL,
    CUE_SENSITIVITY,
    GENERAL_CHECK_MINUTES,
    UNOBSERVED_MAX,
    UNOBSERVED_SCALE_MINUTES,
    Level,
    check_interval_minutes,
    cues_noticed,
    unobserved_factor,
)

GRID = np.linspace(0.0, 1.0, 10_000, endpoint=False)  # even uniform draws in [0, 1)


# -- checks


@pytest.mark.parametrize("minutes", [15, 30, 60])
def test_constant_observation_checks_every_step(minutes):
    assert check_interval_minutes(Level.CONSTANT, minutes) == 0


@pytest.mark.parametrize("minutes", [15, 30, 60])
def test_intermittent_observation_checks_at_its_interval(minutes):
    assert check_interval_minutes(Level.INTERMITTENT, minutes) == minutes


@pytest.mark.parametrize("minutes", [15, 30, 60])
def test_general_observation_checks_at_the_general_interval(minutes):
    assert check_interval_minutes(Level.GENERAL, minutes) == GENERAL_CHECK_MINUTES


def test_check_interval_takes_the_rosters_integer_levels():
    assert [check_interval_minutes(level, 15) for level in (0, 1, 2)] == [GENERAL_CHECK_MINUTES, 15, 0]


# -- time unseen


def test_a_patient_just_seen_has_no_extra_self_harm():
    assert unobserved_factor(0.0) == 1.0


def test_unobserved_factor_rises_by_1_per_scale():
    assert unobserved_factor(UNOBSERVED_SCALE_MINUTES) == pytest.approx(2.0, rel=1e-12)
    assert unobserved_factor(UNOBSERVED_SCALE_MINUTES / 4) == pytest.approx(1.25, rel=1e-12)


def test_unobserved_factor_is_capped():
    at_cap = (UNOBSERVED_MAX - 1.0) * UNOBSERVED_SCALE_MINUTES
    assert unobserved_factor(at_cap) == pytest.approx(UNOBSERVED_MAX, rel=1e-12)
    assert unobserved_factor(10 * at_cap) == UNOBSERVED_MAX


def test_negative_time_unseen_counts_as_none():
    assert unobserved_factor(-30.0) == 1.0


def test_unobserved_factor_works_on_arrays():
    s = UNOBSERVED_SCALE_MINUTES
    got = unobserved_factor(np.array([-1.0, 0.0, s / 2, s, 1e6]))
    np.testing.assert_allclose(got, [1.0, 1.0, 1.5, 2.0, UNOBSERVED_MAX], rtol=1e-12)


# -- warning signs


def test_unseen_cues_are_never_noticed():
    assert not cues_noticed(1.0, False, 0.0)


def test_a_calm_patient_shows_no_cues():
    assert not cues_noticed(float(np.nextafter(CUE_AROUSAL, 0.0)), True, 0.0)


def test_cues_show_from_the_cue_arousal_on():
    assert cues_noticed(CUE_AROUSAL, True, 0.0)
    assert cues_noticed(1.0, True, 0.0)


def test_cues_are_noticed_below_the_sensitivity():
    assert cues_noticed(1.0, True, float(np.nextafter(CUE_SENSITIVITY, 0.0)))
    assert not cues_noticed(1.0, True, CUE_SENSITIVITY)


def test_seen_cues_are_noticed_with_the_checklists_sensitivity():
    noticed = sum(cues_noticed(0.8, True, float(u)) for u in GRID)
    assert noticed == pytest.approx(GRID.size * CUE_SENSITIVITY, abs=1)  # grid resolution
