"""The run behind the live ward: the page's choices made into a model, stepped and observed."""

from dataclasses import replace

import numpy as np
import pytest

from milieusim.app.live import (
    SEED_MAX,
    SLIDERS,
    LiveWard,
    Setup,
    filtered,
    no_effect,
    parse_seed,
    preset_choices,
    preset_values,
)
from milieusim.kinds import PATIENT, RELATIVE, STAFF
from milieusim.narrate import told_alone
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
    staff, relatives = frame.monitors["staff / relatives on the ward"].split(" / ")
    assert staff == str(int((r.present & (r.role == STAFF)).sum()))
    assert relatives == str(int((r.present & (r.role == RELATIVE)).sum()))
    # the whole run's feed: every event told on its own, in order
    assert [line.kind for line in ward.feed] == [e.kind for e in m.recorder.events if told_alone(e)]
    assert frame.events == len(ward.feed)
    # rates per 100 occupied bed-days: patients on the books, step by step (a full ward: 17 a day)
    assert ward.bed_days == pytest.approx(sum(h["census"] for h in ward.history[1:]) / 288)
    rate = 100 * last["conflict"] / ward.bed_days
    assert frame.monitors["incidents (per 100 bed-days)"] == f"{last['conflict']} ({rate:.1f})"
    # the plan's rings: the incidents of the last frames, where they happened
    cells = {(e.row, e.col) for e in conflicts}
    assert {tuple(c) for c in frame.flashes} <= cells and len(frame.flashes) > 0


def test_start_state_patients_in_bed_and_the_night_shift_on_duty():
    ward = LiveWard(Setup.of(seed="1"))
    f, m = ward.frame, ward.model
    beds = {cell for cell, _ in m.places.beds}
    pts = [(int(r), int(c)) for r, c, role in zip(f.rows, f.cols, f.role, strict=True) if role == PATIENT]
    assert len(pts) == m.flow.census() == len(set(pts)) and set(pts) <= beds
    assert sorted(s.name for s in m.staffing.staff if s.present) == [
        "assistant night 1",
        "nurse night 1",
        "nurse night 2",
    ]
    day = LiveWard(Setup.of("day_hospital", seed="1"))
    assert day.frame.rows.size == 0  # closed at midnight


def test_feed_filters_inspection_and_tables():
    ward = LiveWard(Setup.of(seed="1"))
    ward.advance(288)
    incidents = filtered(ward.feed, "incidents")
    assert incidents and all(line.incident for line in incidents)
    assert incidents == [line for line in reversed(ward.feed) if line.kind in CONFLICT_KINDS]
    assert len(filtered(ward.feed, "everything")) == len(ward.feed)
    with pytest.raises(ValueError, match="unknown feed filter 'mood'; valid: everything, incidents"):
        filtered(ward.feed, "mood")
    # a patient inspected: level, what the rule still asks, state, place, own events
    uid = incidents[0].who
    seen = ward.inspect(uid)
    p = next(a for a in ward.model.agents if a.unique_id == uid)
    assert seen.name == f"patient {uid}" and seen.facts["level"].startswith(f"L{p.level}: ")
    assert (
        seen.facts["agitation"] == f"{p.agitation:.2f}" and seen.facts["trust in staff"] == f"{p.trust:.2f}"
    )
    assert {"now", "where", "heading for", "autonomy"} <= set(seen.facts)
    assert seen.needs and any("more day(s) at level" in n or "recorded" in n for n in seen.needs)
    assert incidents[0] in seen.events and all(e.who == uid or e.other == uid for e in seen.events)
    staff = next(s for s in ward.model.staffing.staff if s.present)
    assert ward.inspect(staff.unique_id).facts["role"] == f"{staff.kind} ({staff.shift} shift)"
    assert ward.inspect(-5) is None
    assert list(ward.people())[0].startswith("patient ")
    # the tables so far, as CSV; a culture change on the running ward is told and shown
    events = ward.csv("events").decode().splitlines()
    assert events[0].startswith("step,day,minute,kind") and len(events) == len(ward.model.recorder.events) + 1
    with pytest.raises(ValueError, match="unknown table 'x'; valid: daily, events, stays"):
        ward.csv("x")
    assert ward.change({"culture.respect": 0.9, "culture.consistency": 0.6}) == ["respect set to 0.9"]
    assert ward.model.params.culture.respect == 0.9 and ward.in_use["respect"] == "0.9"
    assert ward.feed[-1].what == "the ward's culture changed: respect set to 0.9"


def test_sliders_without_effect_say_why():
    assert no_effect(Setup.of().scenario()) == {}
    custodial = no_effect(Setup.of(preset="custodial").scenario())
    assert custodial == {"culture.power_balance": "no community meeting: nothing is put to a vote"}
    home = no_effect(Setup.of("home").scenario())
    assert set(home) == {"family.visits_per_week", "family.involvement"}
    no_visits = Setup.of().scenario().with_changes({"family.visits_per_week": 0.0})
    assert set(no_effect(no_visits)) == {"family.involvement"}
