"""Flashpoints and their conversion into conflict (rules/flashpoints.py), with known answers.

Conversion is a logistic model: each modifier is checked by the odds ratio it
makes against the reference point (arousal 0, severity, trust and respect 0.5,
no other multiplier), where the chance is ``base_odds / (1 + base_odds)``.
"""

import math

import numpy as np
import pytest

from milieusim.rules.flashpoints import (
    AROUSAL_LOG_OR,
    COMFORT_M2,
    COMFORT_M2_OTHER,
    FLASHPOINTS,
    RESPECT_LOG_OR,
    SEVERITY_LOG_OR,
    SPONTANEOUS,
    TRUST_LOG_OR,
    Origin,
    comfortable_patients,
    conversion_probability,
    crowding_odds,
    spontaneous_rate,
)
from milieusim.space.symbols import Zone

BASE = 0.12  # base odds for the known answers below


def odds(p):
    return p / (1.0 - p)


def chance(arousal=0.0, severity=0.5, trust=0.5, respect=0.5, staff_origin=True, mult=1.0, base=BASE):
    return conversion_probability(base, arousal, severity, trust, respect, staff_origin, mult)


# -- the flashpoints table


def test_each_flashpoint_has_its_domain():
    assert {kind: f.origin for kind, f in FLASHPOINTS.items()} == {
        "limit_setting": Origin.STAFF_TEAM,
        "refused_request": Origin.STAFF_TEAM,
        "demand": Origin.STAFF_TEAM,
        "medication": Origin.STAFF_TEAM,
        "bullying": Origin.PATIENT_COMMUNITY,
        "contagion": Origin.PATIENT_COMMUNITY,
        "symptoms": Origin.PATIENT_CHARACTERISTICS,
        "detention": Origin.REGULATORY_FRAMEWORK,
        "bad_news": Origin.OUTSIDE_HOSPITAL,
    }


def test_staff_patient_flashpoints_are_exactly_those_from_the_staff_team():
    staff_patient = {kind for kind, f in FLASHPOINTS.items() if f.staff_patient}
    assert staff_patient == {"limit_setting", "refused_request", "demand", "medication"}
    assert staff_patient == {kind for kind, f in FLASHPOINTS.items() if f.origin == Origin.STAFF_TEAM}


def test_restrictions_are_limits_refusals_and_detention():
    assert {kind for kind, f in FLASHPOINTS.items() if f.restriction} == {
        "limit_setting",
        "refused_request",
        "detention",
    }


def test_the_physical_environment_gives_no_flashpoint_of_its_own():
    origins = {f.origin for f in FLASHPOINTS.values()}
    assert Origin.PHYSICAL_ENVIRONMENT not in origins
    assert origins == set(Origin) - {Origin.PHYSICAL_ENVIRONMENT}


def test_origins_are_named_as_in_the_events_table():
    assert [o.value for o in Origin] == [
        "staff_team",
        "patient_community",
        "patient_characteristics",
        "regulatory_framework",
        "outside_hospital",
        "physical_environment",
    ]
    assert Origin.STAFF_TEAM == "staff_team"  # a StrEnum compares equal to its name


def test_spontaneous_flashpoints_are_known_and_not_from_encounters_with_staff():
    assert SPONTANEOUS == ("symptoms", "detention", "bad_news")
    assert all(not FLASHPOINTS[kind].staff_patient for kind in SPONTANEOUS)


# -- comfortable numbers and crowding


@pytest.mark.parametrize("zone", list(COMFORT_M2))
def test_comfortable_patients_is_area_over_the_zones_space_per_patient(zone):
    assert comfortable_patients(10 * COMFORT_M2[zone], zone) == pytest.approx(10.0)


@pytest.mark.parametrize("zone", [Zone.STAFF_BASE, Zone.OFFICE, Zone.ENTRANCE, Zone.EXTRA_CARE])
def test_other_rooms_use_the_default_space_per_patient(zone):
    assert comfortable_patients(7 * COMFORT_M2_OTHER, zone) == pytest.approx(7.0)


def test_a_tiny_room_still_holds_one_patient_comfortably():
    assert comfortable_patients(0.5, Zone.DAYROOM) == 1.0
    assert comfortable_patients(0.0, Zone.GARDEN) == 1.0


@pytest.mark.parametrize("patients", [0, 1, 3, 4])
def test_no_crowding_up_to_the_comfortable_number(patients):
    assert crowding_odds(patients, 4.0, 3.0, 0.5) == 1.0


def test_crowding_known_values():
    # x = patients / comfortable - 1; 1 + (or_max - 1)(1 - exp(-x / scale))
    assert crowding_odds(6, 4.0, 3.0, 0.5) == pytest.approx(1 + 2 * (1 - math.exp(-1.0)), rel=1e-12)
    assert crowding_odds(8, 4.0, 2.0, 0.5) == pytest.approx(1 + (1 - math.exp(-2.0)), rel=1e-12)
    assert crowding_odds(5, 2.0, 5.0, 1.5) == pytest.approx(1 + 4 * (1 - math.exp(-1.0)), rel=1e-12)


def test_a_room_twice_as_full_as_comfortable_gives_86_percent_of_the_effect_at_scale_half():
    share = (crowding_odds(20, 10.0, 4.0, 0.5) - 1.0) / (4.0 - 1.0)
    assert share == pytest.approx(1 - math.exp(-2.0), rel=1e-12)  # 0.8647


def test_crowding_saturates_at_or_max():
    assert crowding_odds(1e6, 1.0, 3.0, 0.5) == pytest.approx(3.0, rel=1e-12)
    assert crowding_odds(1e6, 1.0, 3.0, 0.5) <= 3.0


def test_no_crowding_effect_when_or_max_is_1():
    assert crowding_odds(50, 2.0, 1.0, 0.5) == 1.0


def test_crowding_odds_works_on_arrays():
    got = crowding_odds(np.array([1, 2, 4, 6]), np.array([2.0, 2.0, 2.0, 3.0]), 3.0, 1.0)
    np.testing.assert_allclose(got, [1.0, 1.0, 1 + 2 * (1 - math.exp(-1.0)), 1 + 2 * (1 - math.exp(-1.0))])


# -- conversion


@pytest.mark.parametrize("staff_origin", [True, False])
@pytest.mark.parametrize("base", [0.01, 0.12, 1.0, 5.0])
def test_conversion_at_the_reference_point_is_the_base_odds(base, staff_origin):
    assert chance(base=base, staff_origin=staff_origin) == pytest.approx(base / (1 + base), rel=1e-12)


def test_arousal_1_against_0_multiplies_the_odds_by_its_odds_ratio():
    assert odds(chance(arousal=1.0)) / odds(chance(arousal=0.0)) == pytest.approx(
        math.exp(AROUSAL_LOG_OR), rel=1e-12
    )


def test_arousal_known_value():
    ratio = math.exp(AROUSAL_LOG_OR * 0.5)
    assert chance(arousal=0.5) == pytest.approx(BASE * ratio / (1 + BASE * ratio), rel=1e-12)


def test_severity_acts_around_one_half():
    assert odds(chance(severity=1.0)) / odds(chance(severity=0.0)) == pytest.approx(
        math.exp(SEVERITY_LOG_OR), rel=1e-12
    )
    assert odds(chance(severity=1.0)) / BASE == pytest.approx(math.exp(SEVERITY_LOG_OR / 2), rel=1e-12)


@pytest.mark.parametrize("staff_origin", [True, False])
def test_severity_acts_whatever_the_origin(staff_origin):
    assert odds(chance(severity=0.0, staff_origin=staff_origin)) == pytest.approx(
        BASE * math.exp(-SEVERITY_LOG_OR / 2), rel=1e-12
    )


def test_trust_lowers_the_odds_of_a_staff_flashpoint():
    assert odds(chance(trust=1.0)) / odds(chance(trust=0.0)) == pytest.approx(
        math.exp(-TRUST_LOG_OR), rel=1e-12
    )


def test_respect_lowers_the_odds_of_a_staff_flashpoint():
    assert odds(chance(respect=1.0)) / odds(chance(respect=0.0)) == pytest.approx(
        math.exp(-RESPECT_LOG_OR), rel=1e-12
    )


@pytest.mark.parametrize(("trust", "respect"), [(0.0, 0.5), (1.0, 0.5), (0.5, 0.0), (0.5, 1.0), (0.0, 1.0)])
def test_trust_and_respect_do_not_act_on_other_flashpoints(trust, respect):
    assert chance(trust=trust, respect=respect, staff_origin=False) == chance(staff_origin=False)


def test_the_odds_multiplier_multiplies_the_odds():
    assert odds(chance(mult=3.0)) == pytest.approx(3.0 * BASE, rel=1e-12)
    assert odds(chance(mult=0.7)) == pytest.approx(0.7 * BASE, rel=1e-12)


def test_conversion_with_every_modifier_known_value():
    log_odds = (
        math.log(BASE)
        + AROUSAL_LOG_OR * 0.4
        + SEVERITY_LOG_OR * (0.9 - 0.5)
        - TRUST_LOG_OR * (0.2 - 0.5)
        - RESPECT_LOG_OR * (0.8 - 0.5)
        + math.log(1.5)
    )
    expected = 1.0 / (1.0 + math.exp(-log_odds))
    assert chance(arousal=0.4, severity=0.9, trust=0.2, respect=0.8, mult=1.5) == pytest.approx(
        expected, rel=1e-12
    )


# -- spontaneous flashpoints


def spontaneous_rates(severity, detained, awake, *per_day):
    """`spontaneous_rate` of each patient, one row each (numbers or arrays)."""
    s, d, a = np.broadcast_arrays(severity, detained, awake)
    cases = zip(s.flat, d.flat, a.flat, strict=True)
    rows = [spontaneous_rate(float(x), bool(y), float(z), *per_day) for x, y, z in cases]
    return np.array(rows).reshape((*s.shape, 3))


def test_spontaneous_rates_are_per_minute_in_the_order_of_spontaneous():
    # per day 1440, 2880 and 720 are 1, 2 and 0.5 per minute
    rates = spontaneous_rates(1.0, True, 1.0, 1440.0, 2880.0, 720.0)
    np.testing.assert_allclose(rates, [1.0, 2.0, 0.5], rtol=1e-12)


def test_spontaneous_rates_one_row_per_patient():
    rates = spontaneous_rates(
        np.array([0.0, 0.5, 1.0]), np.array([True, False, True]), 1.0, 1440.0, 1440.0, 1440.0
    )
    np.testing.assert_allclose(rates, [[0.0, 1.0, 1.0], [0.5, 0.0, 1.0], [1.0, 1.0, 1.0]], rtol=1e-12)


def test_symptom_flashpoints_in_proportion_to_severity():
    rates = spontaneous_rates(np.array([0.2, 0.6]), np.array([False, False]), 1.0, 1440.0, 0.0, 0.0)
    np.testing.assert_allclose(rates[:, 0], [0.2, 0.6], rtol=1e-12)


def test_detention_flashpoints_only_for_detained_patients():
    rates = spontaneous_rates(np.array([0.5, 0.5]), np.array([False, True]), 1.0, 0.0, 1440.0, 0.0)
    np.testing.assert_array_equal(rates[:, 1], [0.0, 1.0])


def test_news_from_outside_comes_to_anyone():
    rates = spontaneous_rates(np.array([0.0, 1.0]), np.array([False, True]), 1.0, 0.0, 0.0, 1440.0)
    np.testing.assert_allclose(rates[:, 2], [1.0, 1.0], rtol=1e-12)


def test_asleep_patients_have_no_spontaneous_flashpoints():
    rates = spontaneous_rates(np.array([1.0, 0.4]), np.array([True, True]), 0.0, 5.0, 5.0, 5.0)
    np.testing.assert_array_equal(rates, np.zeros((2, 3)))


def test_the_awake_factor_scales_every_rate():
    full = spontaneous_rates(np.array([0.3, 0.9]), np.array([True, False]), 1.0, 2.0, 0.3, 0.05)
    quarter = spontaneous_rates(np.array([0.3, 0.9]), np.array([True, False]), 0.25, 2.0, 0.3, 0.05)
    np.testing.assert_allclose(quarter, 0.25 * full, rtol=1e-12)


def test_the_awake_factor_may_differ_by_patient():
    rates = spontaneous_rates(
        np.array([1.0, 1.0]), np.array([True, True]), np.array([1.0, 0.5]), 1440.0, 1440.0, 1440.0
    )
    np.testing.assert_allclose(rates, [[1.0, 1.0, 1.0], [0.5, 0.5, 0.5]], rtol=1e-12)
