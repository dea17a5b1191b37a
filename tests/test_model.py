"""The model: reproducibility, invariants at every step, settings, and directions the mechanisms imply."""

import functools

import numpy as np
import pandas as pd
import pytest

from milieusim.kinds import PATIENT, Activity
from milieusim.metrics import results
from milieusim.model import MilieuModel
from milieusim.params import Scenario
from milieusim.runner import run
from milieusim.scenario import load_scenario
from milieusim.space.symbols import Zone


def test_same_seed_same_tables_other_seed_other_tables():
    a, b = run(seed=7, days=3), run(seed=7, days=3)
    for name in ("daily", "events", "stays"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.summary == b.summary
    c = run(seed=8, days=3)
    assert not a.events.equals(c.events)


def check_invariants(m: MilieuModel):
    r = m.roster
    present = np.flatnonzero(r.present)
    for slot in present:
        agent = r.agents[slot]
        cell = tuple(int(v) for v in r.pos[slot])
        assert m.layout.floor[cell], f"{agent} stands in a wall at {cell}"
        assert agent.here == cell
        assert r.room[slot] == m.layout.room_of[cell]
        if agent.role == PATIENT:
            assert m.layout.zones[cell] != Zone.STAFF_BASE, f"patient in the staff base: {agent.activity}"
    pts = m.flow.patients()
    assert all(1 <= p.level <= 4 for p in pts)
    assert len(pts) <= max(m.flow.capacity, 1)
    assert len(m.flow.bed_holder) == len({id(p) for p in m.flow.bed_holder.values()})
    assert all(p.bed is None or m.flow.bed_holder[p.bed] is p for p in pts)
    assert sum(1 for a in r.agents if a is not None) == len(m.agents)
    held = m.places.held_seats()
    assert all(m.places.holder_of(c) == s for s, c in held.items())
    assert len(set(held.values())) == len(held), "two people hold one seat"
    assert all(r.facing[s] >= 0 for s in held), "a seat held by someone not sitting"
    assert ((r.agitation[present] >= 0) & (r.agitation[present] <= 1)).all()
    busy = [m.arrangement.piece_at[c] for c in held.values()]
    assert all(b >= 0 for b in busy), "someone holds a seat no furniture provides"


@pytest.mark.parametrize("layout", ["corridor", "central_base", "cluster", "day_hospital", "home"])
def test_invariants_hold_at_every_step(layout):
    m = MilieuModel(Scenario().with_changes({"ward.layout": layout}), rng=3)
    for _ in range(2 * m.clock.steps_per_day):
        m.step()
        check_invariants(m)


def test_outputs_have_the_promised_columns():
    res = run(seed=2, days=2)
    assert {
        "day",
        "census",
        "level_1",
        "level_4",
        "conflict",
        "containment",
        "seclusion",
        "enc_peer_help",
        "trust",
        "autonomy",
        "occupancy",
        "staff_contact_share",
    } <= set(res.daily.columns)
    assert list(res.events.columns[:5]) == ["step", "day", "minute", "kind", "who"]
    assert {"length_of_stay", "days_at_level_1", "incidents", "reason"} <= set(res.stays.columns)
    assert res.spatial["presence_patients"].sum() > 0
    for key in (
        "conflict_per_100_obd",
        "containment_per_shift",
        "share_incidents_unseen",
        "encounters_per_patient_day",
        "staff_contact_share",
        "days_to_level_3",
    ):
        assert key in res.summary


# -- directions over several seeds (scientific tests: mechanisms, not tuned outcomes)

SEEDS = range(4)


@functools.cache
def _summaries(scenario_json: str, days: int) -> tuple[dict, ...]:
    scenario = Scenario.model_validate_json(scenario_json)
    return tuple(run(scenario, seed=s, days=days).summary for s in SEEDS)


def mean_summary(scenario, key, days=14):
    """The mean of a summary key over SEEDS (each scenario's runs made once per test session)."""
    return float(np.mean([s[key] for s in _summaries(scenario.model_dump_json(), days)]))


def test_more_respect_gives_no_more_containment():
    low = Scenario().with_changes({"culture.respect": 0.1})
    high = Scenario().with_changes({"culture.respect": 0.9})
    # respect softens limit setting and helps talk-down: containment should not rise.
    # Tolerance: 5% of the low-respect rate, for seed noise over 4 x 14 days.
    lo, hi = mean_summary(low, "containment_per_100_obd"), mean_summary(high, "containment_per_100_obd")
    assert hi <= lo * 1.05


def test_milieu_builds_more_trust_and_has_less_conflict_and_containment_than_custodial():
    custodial, milieu = load_scenario(preset="custodial"), load_scenario(preset="milieu")
    assert mean_summary(milieu, "mean_trust") > mean_summary(custodial, "mean_trust")
    assert mean_summary(milieu, "conflict_per_100_obd") < mean_summary(custodial, "conflict_per_100_obd")
    assert mean_summary(milieu, "containment_per_100_obd") < mean_summary(
        custodial, "containment_per_100_obd"
    )


def _seated_encounters(furniture: str, seed: int, steps: int = 500) -> int:
    """Encounters among the patients, all seated in the dayroom, over `steps` encounter phases."""
    m = MilieuModel(Scenario().with_changes({"ward.furniture": furniture}), rng=seed)
    m.step()
    for s in m.staffing.staff:
        if s.present:
            s.leave()
    for p in m.flow.patients():
        m.places.send_to_zone(p, "dayroom", Activity.FREE, m.clock.until(600), sit=True)
        p.put(tuple(int(v) for v in m.roster.dest[p.slot]))
    met = []
    m.encounters.meet = lambda x, y: met.append((x, y))
    for _ in range(steps):
        m.encounters.step()
    return len(met)


def test_sociopetal_chairs_give_more_conversation_than_sociofugal():
    # the same patients seated in the dayroom: chairs that face each other bring more encounters
    # (Sommer); over whole runs the difference drowns in where people happen to be
    rows = sum(_seated_encounters("sociofugal", seed) for seed in (0, 1))
    groups = sum(_seated_encounters("sociopetal", seed) for seed in (0, 1))
    assert groups > 1.5 * rows


def test_a_second_run_continues_with_the_next_day():
    m = MilieuModel(rng=1).run(2)
    m.run(1)
    assert [row["day"] for row in m.recorder.daily] == [0, 1, 2]


def test_results_can_be_taken_twice_and_from_an_empty_ward():
    m = MilieuModel(rng=1).run(2)
    assert len(results(m).stays) == len(results(m).stays) == m.flow.census()
    empty = MilieuModel(
        Scenario().with_changes({"flow.start_full": False, "flow.admissions_per_day": 0}), rng=1
    ).run(1)
    assert np.isnan(results(empty).summary["conflict_per_100_obd"])
