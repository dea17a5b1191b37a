"""Conflict: incidents, demotion, containment and its after-effects, unseen conflict."""

import pytest

from milieusim.model import MilieuModel
from milieusim.params import Scenario
from milieusim.rules.conflict import CONFLICT_KINDS, threshold_now
from milieusim.space.symbols import Zone


def test_destructive_behaviour_demotes_at_once():
    m = MilieuModel(rng=4)
    m.step()
    p = next(p for p in m.flow.patients() if p.present)
    p.set_level(3, 0)
    m.conflict._incident(p, "property_damage", seen=True, outcome="talked_down", staff=None)
    assert p.level == 2 and p.today.destructive == 1


def test_containment_costs_trust_and_raises_later_risk():
    m = MilieuModel(rng=4)
    m.step()
    p = next(p for p in m.flow.patients() if p.present)
    trust, threshold = p.trust, m.roster.threshold[p.slot]
    m.conflict.contain(p, m.staffing.staff[0], "prn_medication", incident=None)
    assert p.trust < trust
    risk_days = m.params.conflict.containment_risk_days
    assert m.roster.risk_until[p.slot] == m.steps + risk_days * m.clock.steps_per_day
    lowered = threshold_now(m.roster.threshold[p.slot], m.steps < m.roster.risk_until[p.slot], 0.1)
    assert lowered == pytest.approx(max(0.05, threshold - 0.1))


def test_unseen_conflict_is_recorded_unseen():
    m = MilieuModel(Scenario().with_changes({"conflict.unseen_escalation": 0.0}), rng=5)
    m.step()
    for s in m.staffing.staff:
        if s.present:
            s.leave()
    p = next(p for p in m.flow.patients() if p.present)
    m.conflict.conflict(p)
    last = m.recorder.events[-1]
    assert last.kind in CONFLICT_KINDS and last.outcome == "unseen" and not last.seen


def test_seclusion_is_not_cut_short_by_the_timetable():
    m = MilieuModel(rng=4)
    while m.steps == 0 or m.clock.minute != 9 * 60 + 45:
        m.step()
    p = next(p for p in m.flow.patients() if p.present)
    m.conflict.contain(p, m.staffing.staff[0], "seclusion", incident=None)
    for _ in range(m.clock.steps_of(120)):  # past the 10:30 group and 11:30 work blocks
        m.step()
    assert p.activity == "seclusion"
    assert m.layout.zones[p.here] == Zone.EXTRA_CARE


def test_overlapping_special_observations_end_with_the_last():
    m = MilieuModel(rng=2)
    m.step()
    p = next(p for p in m.flow.patients() if p.present)
    m.conflict.contain(p, None, "special_observation", incident=None)
    for _ in range(m.clock.steps_of(12 * 60)):
        m.step()
    m.conflict.contain(p, None, "special_observation", incident=None)  # renewed half-way
    for _ in range(m.clock.steps_of(13 * 60)):  # past the first one's end
        m.step()
    assert m.roster.observed[p.slot]
