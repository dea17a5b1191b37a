"""Encounters (rules/interaction.py): how likely, and what they do, with known answers.

Hall's zones: personal distance 1.2 m, social distance 3.6 m.
"""

import math

import numpy as np
import pytest

from milieusim.rules.interaction import (
    ENCOUNTER_KINDS,
    ENCOUNTER_RATE_PER_HOUR,
    LIMIT_AGITATION,
    Effect,
    encounter_probability,
    family_time,
    patient_patient,
    proximity_weight,
    staff_patient,
)

U = np.linspace(0.0, 1.0, 10_000, endpoint=False)  # even uniform draws in [0, 1)

# -- likelihood


@pytest.mark.parametrize("d", [0.0, 0.5, 1.2])
def test_proximity_weight_is_1_within_personal_distance(d):
    assert proximity_weight(d) == 1.0


@pytest.mark.parametrize("d", [3.6, 4.0, 50.0])
def test_proximity_weight_is_0_from_the_edge_of_social_distance(d):
    assert proximity_weight(d) == 0.0


def test_proximity_weight_falls_linearly_between():
    # (3.6 - d) / 2.4
    np.testing.assert_allclose(proximity_weight(np.array([1.8, 2.4, 3.0])), [0.75, 0.5, 0.25])


def test_encounter_probability_known_values():
    r = ENCOUNTER_RATE_PER_HOUR  # a calibrated assumption: the answers are written in terms of it
    assert encounter_probability(1.0, 1.0, 60) == pytest.approx(1 - math.exp(-r))
    # rate r x 0.5 x 0.5 per hour, for half an hour
    assert encounter_probability(0.5, 0.5, 30) == pytest.approx(1 - math.exp(-r / 8))


def test_no_encounter_without_weight_sociability_or_time():
    assert encounter_probability(0.0, 1.0, 60) == 0.0
    assert encounter_probability(1.0, 0.0, 60) == 0.0
    assert encounter_probability(1.0, 1.0, 0) == 0.0


def test_encounter_probability_works_on_arrays():
    p = encounter_probability(np.array([0.0, 0.5, 1.0]), np.array([1.0, 1.0, 1.0]), 60)
    r = ENCOUNTER_RATE_PER_HOUR
    np.testing.assert_allclose(p, [0.0, 1 - math.exp(-r / 2), 1 - math.exp(-r)])


# -- staff and patient


def sp(
    agitation=0.0,
    needs_focus=0.5,
    respect=0.5,
    consistency=1.0,
    strictness=0.0,
    demand_share=0.0,
    expectations=1.0,
    u=0.9,
    u2=0.9,
    u3=0.9,
):
    return staff_patient(
        agitation, needs_focus, respect, consistency, strictness, demand_share, expectations, u, u2, u3
    )


def test_limit_setting_when_agitated_and_u_small():
    # p_limit = (agitation - 0.3) / 0.7 x (0.3 + 0.7 strictness) = 1 x 0.3
    e = sp(agitation=1.0, strictness=0.0, u=0.29)
    assert e.kind == "limit_setting"
    assert e.flashpoint == "limit_setting"
    assert sp(agitation=1.0, strictness=0.0, u=0.31).kind != "limit_setting"
    assert sp(agitation=1.0, strictness=1.0, u=0.99).kind == "limit_setting"  # p = 1


def test_no_limit_setting_below_the_agitation_floor():
    assert sp(agitation=LIMIT_AGITATION, strictness=1.0, u=0.0).kind != "limit_setting"


def test_limit_setting_is_likelier_on_a_stricter_ward():
    def share(strictness):
        return (
            sum(sp(agitation=0.5, strictness=strictness, u=float(u)).kind == "limit_setting" for u in U)
            / U.size
        )

    # the grid of draws resolves shares to 1e-4; over = (0.5 - 0.3) / 0.7
    assert share(0.0) == pytest.approx(0.2 / 0.7 * 0.3, abs=2e-4)
    assert share(1.0) == pytest.approx(0.2 / 0.7 * 1.0, abs=2e-4)


def test_a_calm_patient_meets_no_limit_setting():
    assert sp(agitation=0.0, strictness=1.0, u=0.0).kind != "limit_setting"


def test_limit_setting_with_respect_keeps_trust():
    assert sp(agitation=1.0, strictness=1.0, respect=1.0, u=0.0).trust == pytest.approx(0.01)
    assert sp(agitation=1.0, strictness=1.0, respect=0.0, u=0.0).trust == pytest.approx(-0.01)


def test_support_or_conversation_split_by_needs_focus():
    assert sp(needs_focus=0.3, u=0.29).kind == "support"
    assert sp(needs_focus=0.3, u=0.31).kind == "conversation"
    assert sp(needs_focus=1.0, u=0.99).kind == "support"
    assert sp(needs_focus=0.0, u=0.0).kind == "conversation"


def test_support_share_of_what_is_not_limit_setting():
    # agitation 0.5, strictness 0: p_limit = 0.2 / 0.7 x 0.3; support (1 - p_limit) x needs_focus 0.5
    kinds = [sp(agitation=0.5, needs_focus=0.5, u=float(u)).kind for u in U]
    p_limit = 0.2 / 0.7 * 0.3
    assert kinds.count("support") / U.size == pytest.approx((1 - p_limit) * 0.5, abs=2e-4)  # grid resolution


def test_support_and_conversation_effects():
    support = sp(needs_focus=1.0, respect=0.5)
    assert support == Effect("support", trust=pytest.approx(0.04), agitation=pytest.approx(-0.15))
    talk = sp(needs_focus=0.0, respect=0.5)
    assert talk == Effect("conversation", trust=pytest.approx(0.03), agitation=-0.05)


def test_a_mixed_message_costs_trust():
    clear = sp(needs_focus=0.0, consistency=0.0, u2=0.3)
    mixed = sp(needs_focus=0.0, consistency=0.0, u2=0.2)  # below 0.25 x (1 - 0)
    assert clear.trust == pytest.approx(0.03)
    assert mixed.trust == pytest.approx(-0.01)
    assert mixed.trust < 0 < clear.trust


def test_consistent_staff_give_no_mixed_messages():
    assert sp(needs_focus=0.0, consistency=1.0, u2=0.0).trust == pytest.approx(0.03)


# -- demands and clear mutual expectations


def test_a_demand_when_u3_is_below_the_demand_share():
    assert sp(demand_share=0.2, u3=0.19) == Effect("demand", flashpoint="demand")
    assert sp(demand_share=0.2, u3=0.2).kind != "demand"


def test_no_demand_with_a_demand_share_of_0():
    assert sp(demand_share=0.0, u3=0.0).kind != "demand"


def test_every_encounter_not_limit_setting_is_a_demand_at_share_1():
    assert [sp(demand_share=1.0, u3=float(u)).kind for u in (0.0, 0.5, 0.9999)] == ["demand"] * 3


def test_limit_setting_comes_before_a_demand():
    assert sp(agitation=1.0, strictness=1.0, demand_share=1.0, u=0.0, u3=0.0).kind == "limit_setting"


def test_a_demand_when_limit_setting_does_not_come():
    # p_limit = 1 x 0.3: u = 0.31 is past it
    assert sp(agitation=1.0, strictness=0.0, demand_share=0.5, u=0.31, u3=0.0).kind == "demand"


def test_clear_expectations_scale_the_demand_share():
    # threshold 0.2 x 0.5 = 0.1
    assert sp(demand_share=0.2, expectations=0.5, u3=0.09).kind == "demand"
    assert sp(demand_share=0.2, expectations=0.5, u3=0.11).kind != "demand"


def test_clear_expectations_scale_limit_setting():
    # p_limit = 1 x 0.3 x 0.5 = 0.15
    assert sp(agitation=1.0, expectations=0.5, u=0.14).kind == "limit_setting"
    assert sp(agitation=1.0, expectations=0.5, u=0.16).kind != "limit_setting"


def test_expectations_multiplier_0_rules_out_limits_and_demands():
    kinds = {
        sp(agitation=1.0, strictness=1.0, demand_share=1.0, expectations=0.0, u=float(u), u3=float(u)).kind
        for u in U[::100]
    }
    assert kinds <= {"support", "conversation"}


def test_demand_share_over_the_grid_of_u3():
    kinds = [sp(demand_share=0.3, expectations=0.7, u3=float(u)).kind for u in U]
    assert kinds.count("demand") / U.size == pytest.approx(0.3 * 0.7, abs=2e-4)  # grid resolution 1e-4


def test_support_or_conversation_when_no_demand():
    assert sp(needs_focus=1.0, demand_share=0.2, u3=0.5).kind == "support"
    assert sp(needs_focus=0.0, demand_share=0.2, u3=0.5).kind == "conversation"


# -- patient and patient


def pp(level_a=2, level_b=2, power_a=1.0, power_b=1.0, agitation_a=0.0, respect=0.5, u=0.9):
    return patient_patient(level_a, level_b, power_a, power_b, agitation_a, respect, u)


@pytest.mark.parametrize(("level_a", "level_b"), [(3, 1), (3, 2), (4, 1), (4, 2)])
def test_levels_3_and_4_help_levels_1_and_2(level_a, level_b):
    e = pp(level_a, level_b, u=0.49)
    assert e == Effect("peer_help", trust=0.01, agitation=-0.1, autonomy=0.01, peer_help=1)


@pytest.mark.parametrize(("level_a", "level_b"), [(2, 1), (1, 2), (3, 3), (4, 3), (3, 4), (4, 4)])
def test_no_peer_help_otherwise(level_a, level_b):
    assert pp(level_a, level_b, u=0.0).kind != "peer_help"


def test_peer_help_half_the_time():
    assert pp(4, 1, u=0.5).kind != "peer_help"


def test_bullying_threshold():
    # p_bully = 0.15 x (3 - 1) x (0.3 + 0.7) x (1 - 0) = 0.3: bullying for u > 0.7
    assert pp(power_a=3.0, power_b=1.0, agitation_a=0.7, respect=0.0, u=0.71) == Effect(
        "bullying", flashpoint="bullying"
    )
    assert pp(power_a=3.0, power_b=1.0, agitation_a=0.7, respect=0.0, u=0.69).kind == "conversation"


def test_no_bullying_among_equals_or_by_the_weaker():
    assert pp(power_a=1.0, power_b=1.0, agitation_a=1.0, respect=0.0, u=0.9999).kind == "conversation"
    assert pp(power_a=1.0, power_b=3.0, agitation_a=1.0, respect=0.0, u=0.9999).kind == "conversation"


def test_full_respect_stops_bullying():
    assert pp(power_a=5.0, power_b=0.5, agitation_a=1.0, respect=1.0, u=0.9999).kind == "conversation"


def bullying_share(power_a, respect):
    kinds = [pp(power_a=power_a, power_b=1.0, agitation_a=0.5, respect=respect, u=float(u)).kind for u in U]
    return kinds.count("bullying") / U.size


def test_bullying_likelier_with_a_larger_power_difference():
    shares = [bullying_share(p, 0.2) for p in (1.0, 1.5, 2.0, 3.0)]
    assert shares[0] == 0.0
    assert shares == sorted(shares)
    assert shares[3] == pytest.approx(0.15 * 2 * 0.8 * 0.8, abs=2e-4)  # grid resolution 1e-4


def test_bullying_likelier_with_less_respect():
    shares = [bullying_share(3.0, r) for r in (0.0, 0.3, 0.6, 0.9)]
    assert shares == sorted(shares, reverse=True)
    assert shares[0] > shares[3] > 0.0


def test_a_helper_can_still_bully_when_not_helping():
    assert pp(4, 1, power_a=10.0, power_b=0.1, agitation_a=1.0, respect=0.0, u=0.6).kind == "bullying"


def test_conversation_between_patients_calms_a_little():
    assert pp(u=0.5) == Effect("conversation", agitation=-0.05)


# -- family


def test_a_tense_visit_brings_bad_news():
    assert family_time(True) == Effect("family_time", flashpoint="bad_news")


def test_a_calm_visit_soothes():
    assert family_time(False) == Effect("family_time", agitation=-0.2)


def test_every_effect_kind_is_a_known_encounter_kind():
    seen = {
        sp(agitation=1.0, strictness=1.0, u=0.0).kind,
        sp(demand_share=1.0).kind,
        sp(needs_focus=1.0).kind,
        sp(needs_focus=0.0).kind,
    }
    seen |= {
        pp(4, 1, u=0.0).kind,
        pp(power_a=9.0, power_b=0.1, respect=0.0, u=0.999).kind,
        family_time(True).kind,
    }
    assert seen == set(ENCOUNTER_KINDS)
