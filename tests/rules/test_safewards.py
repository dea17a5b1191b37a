"""The ten Safewards interventions (rules/safewards.py): each acts on its own link only; known answers."""

import pytest

from milieusim.params_conflict import Safewards
from milieusim.rules.flashpoints import FLASHPOINTS, Origin
from milieusim.rules.safewards import INTERVENTIONS, LINK_EFFECT, conversion_multiplier, weaken

#: The flashpoints whose conversion each intervention acts on; the others act on other links.
ACTS_ON = {
    "soft_words": {"limit_setting", "refused_request", "demand"},
    "know_each_other": {"limit_setting", "refused_request", "demand", "medication"},
    "mutual_help_meeting": {"bullying", "contagion"},
    "bad_news_mitigation": {"bad_news"},
}


def multiplier(flashpoint, **fidelity):
    return conversion_multiplier(flashpoint, FLASHPOINTS[flashpoint].origin, Safewards(**fidelity))


# -- weaken


def test_weaken_at_fidelity_0_changes_nothing():
    assert weaken(0.0) == 1.0


def test_weaken_at_full_fidelity_takes_the_link_effect():
    assert weaken(1.0) == pytest.approx(1.0 - LINK_EFFECT, rel=1e-12)


def test_weaken_scales_with_fidelity():
    assert weaken(0.5) == pytest.approx(1.0 - 0.5 * LINK_EFFECT, rel=1e-12)
    assert weaken(0.25) == pytest.approx(1.0 - 0.25 * LINK_EFFECT, rel=1e-12)


# -- the interventions


def test_interventions_are_the_scenarios_safewards_fields():
    assert tuple(Safewards.model_fields) == INTERVENTIONS


def test_there_are_ten_interventions():
    assert len(set(INTERVENTIONS)) == 10


def test_interventions_are_off_by_default():
    assert all(getattr(Safewards(), name) == 0.0 for name in INTERVENTIONS)


def test_know_each_other_acts_on_exactly_the_staff_teams_flashpoints():
    assert ACTS_ON["know_each_other"] == {k for k, f in FLASHPOINTS.items() if f.origin == Origin.STAFF_TEAM}


def test_mutual_help_acts_on_exactly_the_flashpoints_among_patients():
    assert ACTS_ON["mutual_help_meeting"] == {
        k for k, f in FLASHPOINTS.items() if f.origin == Origin.PATIENT_COMMUNITY
    }


# -- conversion


@pytest.mark.parametrize("flashpoint", list(FLASHPOINTS))
def test_no_intervention_leaves_conversion_unchanged(flashpoint):
    assert multiplier(flashpoint) == 1.0


@pytest.mark.parametrize("flashpoint", list(FLASHPOINTS))
@pytest.mark.parametrize("intervention", INTERVENTIONS)
def test_each_intervention_at_full_fidelity_acts_on_its_own_link_only(intervention, flashpoint):
    expected = 1.0 - LINK_EFFECT if flashpoint in ACTS_ON.get(intervention, set()) else 1.0
    assert multiplier(flashpoint, **{intervention: 1.0}) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("flashpoint", list(FLASHPOINTS))
def test_all_interventions_at_fidelity_0_change_nothing(flashpoint):
    assert multiplier(flashpoint, **dict.fromkeys(INTERVENTIONS, 0.0)) == 1.0


@pytest.mark.parametrize(
    ("flashpoint", "times"),
    [
        ("limit_setting", 2),  # soft words and know each other
        ("refused_request", 2),
        ("demand", 2),
        ("medication", 1),  # know each other
        ("bullying", 1),  # mutual help meeting
        ("contagion", 1),
        ("bad_news", 1),  # bad news mitigation
        ("symptoms", 0),
        ("detention", 0),
    ],
)
def test_every_intervention_at_full_fidelity_known_products(flashpoint, times):
    got = multiplier(flashpoint, **dict.fromkeys(INTERVENTIONS, 1.0))
    assert got == pytest.approx((1.0 - LINK_EFFECT) ** times, rel=1e-12)


def test_partial_fidelities_multiply():
    got = multiplier("refused_request", soft_words=0.5, know_each_other=0.2)
    assert got == pytest.approx((1.0 - 0.5 * LINK_EFFECT) * (1.0 - 0.2 * LINK_EFFECT), rel=1e-12)


def test_origin_given_as_text_or_as_origin_acts_alike():
    fidelity = Safewards(know_each_other=1.0, mutual_help_meeting=0.6)
    for kind, flash in FLASHPOINTS.items():
        assert conversion_multiplier(kind, flash.origin.value, fidelity) == conversion_multiplier(
            kind, flash.origin, fidelity
        )
