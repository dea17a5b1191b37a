"""A patient's day-to-day course (rules/course.py), with known answers.

Reference day: severity 0.5, recovery 0.02 a day, no attendance, trust 0.5
(multiplier 1), no family session, no containment, no noise: severity 0.48.
The recovery multipliers are calibrated assumptions, so the answers for them
are written with the module's named constants (at the time of writing x1.8 for
full attendance, x1.5 for trust 1, x1.5 for a family session, +0.03 for a
contained day). Sums of decimal fractions are compared with pytest.approx for
float rounding.
"""

import pytest

from milieusim.rules.course import (
    ATTENDANCE_GAIN,
    CONTAINMENT_SETBACK,
    FAMILY_SESSION_GAIN,
    TRUST_GAIN,
    next_autonomy,
    next_hygiene,
    next_severity,
    orientation,
)


def sev(
    severity=0.5, recovery=0.02, attendance=0.0, trust=0.5, family=False, contained=False, noise=0.0, z=0.0
):
    return next_severity(severity, recovery, attendance, trust, family, contained, noise, z)


# -- severity


def test_reference_day():
    assert sev() == pytest.approx(0.48)


def test_the_gains_speed_recovery():
    assert ATTENDANCE_GAIN > 0
    assert TRUST_GAIN > 0
    assert FAMILY_SESSION_GAIN > 0
    assert CONTAINMENT_SETBACK > 0


def test_attendance_speeds_recovery_in_proportion():
    assert sev(attendance=1.0) == pytest.approx(0.5 - 0.02 * (1 + ATTENDANCE_GAIN))
    assert sev(attendance=0.5) == pytest.approx(0.5 - 0.02 * (1 + ATTENDANCE_GAIN / 2))
    assert sev(attendance=1.0) < sev(attendance=0.5) < sev()


def test_trust_sets_the_pace():
    assert sev(trust=1.0) == pytest.approx(0.5 - 0.02 * (TRUST_GAIN + 0.5))
    assert sev(trust=0.0) == pytest.approx(0.5 - 0.02 * 0.5)  # half the base rate without trust
    assert sev(trust=1.0) < sev() < sev(trust=0.0)


def test_a_family_session_speeds_recovery():
    assert sev(family=True) == pytest.approx(0.5 - 0.02 * (1 + FAMILY_SESSION_GAIN))


def test_the_multipliers_compound():
    rate = 0.02 * (1 + ATTENDANCE_GAIN) * (TRUST_GAIN + 0.5) * (1 + FAMILY_SESSION_GAIN)
    assert sev(attendance=1.0, trust=1.0, family=True) == pytest.approx(0.5 - rate)


def test_containment_sets_recovery_back():
    assert sev(contained=True) == pytest.approx(0.48 + CONTAINMENT_SETBACK)
    assert sev(contained=True) > sev()


def test_noise_adds_z_times_its_scale():
    assert sev(noise=0.1, z=1.0) == pytest.approx(0.58)
    assert sev(noise=0.1, z=-1.0) == pytest.approx(0.38)
    assert sev(noise=0.0, z=5.0) == pytest.approx(0.48)


def test_severity_stays_within_0_and_1():
    assert sev(severity=0.01, recovery=0.1) == 0.0
    assert sev(severity=0.99, contained=True, noise=0.1, z=3.0) == 1.0


def test_no_recovery_without_a_base_rate():
    assert sev(recovery=0.0, attendance=1.0, trust=1.0, family=True) == 0.5


# -- orientation


@pytest.mark.parametrize(
    ("severity", "want"), [(0.0, 1.0), (0.15, 1.0), (0.55, 0.6), (0.8, 0.35), (1.0, 0.15)]
)
def test_orientation_is_lost_with_severe_symptoms(severity, want):
    assert orientation(severity) == pytest.approx(want)


def test_orientation_stays_within_0_and_1():
    assert orientation(-0.5) == 1.0
    assert orientation(2.0) == 0.0


# -- hygiene


def test_hygiene_moves_a_third_of_the_way_to_its_target():
    # target (1 - 0) x (0.6 + 0.4 x 1) = 1
    assert next_hygiene(0.4, 0.0, 1.0, 0.0) == pytest.approx(0.6)
    # target (1 - 0.4) x 0.6 = 0.36
    assert next_hygiene(0.0, 0.5, 0.0, 0.0) == pytest.approx(0.12)
    assert next_hygiene(0.9, 0.5, 0.0, 0.0) == pytest.approx(0.9 - 0.54 / 3)


def test_hygiene_at_its_target_stays():
    assert next_hygiene(0.36, 0.5, 0.0, 0.0) == pytest.approx(0.36)


def test_prompting_helps_only_beyond_the_patients_own_autonomy():
    assert next_hygiene(0.0, 0.0, 0.0, 1.0) == next_hygiene(0.0, 0.0, 1.0, 0.0)
    assert next_hygiene(0.0, 0.0, 0.8, 0.5) == next_hygiene(0.0, 0.0, 0.8, 0.0)
    assert next_hygiene(0.0, 0.0, 0.2, 0.5) > next_hygiene(0.0, 0.0, 0.2, 0.0)


def test_hygiene_gap_shrinks_by_two_thirds_a_day():
    h = 0.0
    for _ in range(3):
        h = next_hygiene(h, 0.0, 1.0, 0.0)
    assert 1.0 - h == pytest.approx((2 / 3) ** 3)


# -- autonomy


def test_autonomy_at_the_wards_support_stays():
    assert next_autonomy(0.5, 0.5, 0.0, 0.0, False) == 0.5


def test_autonomy_drifts_towards_the_wards_support():
    assert next_autonomy(0.5, 1.0, 0.0, 0.0, False) == pytest.approx(0.525)
    assert next_autonomy(0.5, 0.0, 0.0, 0.0, False) == pytest.approx(0.475)


def test_being_heard_and_working_on_goals_raise_autonomy():
    assert next_autonomy(0.5, 0.5, 0.1, 0.0, False) == pytest.approx(0.55)
    assert next_autonomy(0.5, 0.5, 0.0, 2.0, False) == pytest.approx(0.52)


def test_containment_costs_autonomy():
    assert next_autonomy(0.5, 0.5, 0.0, 0.0, True) == pytest.approx(0.4)


def test_autonomy_stays_within_0_and_1():
    assert next_autonomy(0.05, 0.0, 0.0, 0.0, True) == 0.0
    assert next_autonomy(0.99, 1.0, 1.0, 8.0, False) == 1.0
