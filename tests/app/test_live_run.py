"""The run behind the live ward: the page's choices made into a model, stepped and observed."""

from dataclasses import replace

import numpy as np
import pytest

from milieusim.app.live import SEED_MAX, SLIDERS, LiveWard, Setup, parse_seed, preset_choices, preset_values
from milieusim.kinds import PATIENT, STAFF
from milieusim.rules.conflict import CONFLICT_KINDS


def test_seed_box():
    assert parse_seed(" 42 ") == 42
    assert parse_seed(str(SEED_MAX)) == SEED_MAX
    assert parse_seed("") is None and parse_seed("  ") is None  # a new seed at each reset
    for bad in ("abc", "-3", "1.5", "1e3", "٣"):
        with pytest.raises(
            ValueError, match=f"seed '{bad}' is not a whole number; type a whole number from 0"
        ):
            parse_seed(bad)
    with pytest.raises(ValueError, match=f"seed {SEED_MAX + 1} is too large"):
        parse_seed(str(SEED_MAX + 1))


def test_sliders_are_the_culture_with_the_parameters_ranges():
    assert {s.key: (s.lo, s.hi) for s in SLIDERS} == {
        "culture.power_balance": (0.0, 1.0),
        "culture.respect": (0.0, 1.0),
        "culture.consistency": (0.0, 1.0),
        "culture.autonomy_support": (0.0, 1.0),
        "culture.needs_focus": (0.0, 1.0),
        "family.involvement": (0.0, 1.0),
        "family.visits_per_week": (0.0, 14.0),
        "conflict.containment_propensity": (0.0, 1.0),
    }


def test_every_preset_value_lies_on_its_slider():
    """A value between a slider's steps would be moved by the slider itself, unasked."""
    for preset in preset_choices():
        for s in SLIDERS:
            value = preset_values(preset)[s.key]
            assert s.lo <= value <= s.hi
            assert abs(value / s.step - round(value / s.step)) < 1e-9, (preset, s.key, value)


def test_setup_takes_the_preset_then_the_sliders():
    setup = Setup.of(preset="custodial")
    assert setup.values["culture.respect"] == 0.3
    setup = replace(setup, values={**setup.values, "culture.respect": 0.85})
    sc = setup.scenario()
    assert sc.culture.respect == 0.85 and sc.culture.power_balance == 0.05  # the slider, then the preset
    assert sc.ward.furniture_style == "sociofugal" and sc.name == "custodial"
    assert setup.with_preset("milieu").values["culture.respect"] == 0.9
    with pytest.raises(ValueError, match="unknown preset 'nope'; valid: default, custodial, milieu"):
        Setup.of(preset="nope")


def test_same_seed_same_run_and_a_blank_seed_is_recorded():
    a, b = LiveWard(Setup.of(seed="5")), LiveWard(Setup.of(seed="5"))
    a.advance(60)
    b.advance(30)
    b.advance(30)
    assert a.history == b.history and a.model.recorder.events == b.model.recorder.events
    fresh = LiveWard(Setup.of(seed=""))
    assert fresh.in_use["seed"] == str(fresh.model.seed)


def test_a_preset_runs_on_any_layout_and_a_missing_variant_is_a_clear_error():
    ward = LiveWard(Setup.of("cluster", "milieu"))  # the preset's furniture style, else the layout's own
    assert ward.in_use["ward"] == "cluster, standard furniture" and ward.in_use["respect"] == "0.9"
    with pytest.raises(
        ValueError, match="layout 'cluster' has no furniture variant 'sociopetal'; variants: standard"
    ):
        LiveWard(replace(Setup.of("cluster", "milieu"), furniture="sociopetal"))


def test_history_and_frame_follow_the_run():
    ward = LiveWard(Setup.of(seed="1"))
    assert len(ward.history) == 1 and ward.frame.step == 0 and ward.frame.clock == "day 0 00:00"
    frame = ward.advance(288 + 12)
    m = ward.model
    assert frame is ward.frame and frame.step == m.steps == 300 and len(ward.history) == 301
    assert frame.clock == "day 1 01:00" and frame.activity == "night"
    conflicts = [e for e in m.recorder.events if e.kind in CONFLICT_KINDS]
    last = ward.history[-1]
    assert last["conflict"] == len(conflicts) > 0 and last["unseen"] == sum(not e[10] for e in conflicts)
    assert sum(last[f"level_{k}"] for k in (1, 2, 3, 4)) == m.flow.census() == int(frame.monitors["patients"])
    r = m.roster
    assert len(frame.rows) == len(frame.role) == int(r.present.sum())
    assert np.array_equal(
        np.sort(frame.level[frame.role == PATIENT]), np.sort(r.level[r.present & (r.role == PATIENT)])
    )
    assert frame.monitors["staff on the ward"] == str(int((r.present & (r.role == STAFF)).sum()))
    assert 0 < len(frame.feed) <= 12
