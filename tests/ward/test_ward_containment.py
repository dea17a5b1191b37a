"""Containment: what it costs, how long it lasts, as-needed medication, transfer after repeated attacks."""

import pytest
from ward_helpers import present_patient, ward

from milieusim.model import MilieuModel
from milieusim.rules.containment import COERCION, TRANSFER_AFTER
from milieusim.space.symbols import Zone


def test_containment_costs_trust_by_how_coercive_it_is_and_raises_later_risk():
    m = ward()
    p, q = [x for x in m.flow.patients() if x.present][:2]
    p.trust = q.trust = 0.5
    nurse = next(s for s in m.staffing.staff if s.present and s.kind == "nurse")  # as-needed: nurses only
    m.containment.contain(p, nurse, "prn_medication", incident=None)
    m.containment.contain(q, nurse, "restraint", incident=None)
    loss = m.params.conflict.containment_trust_loss
    assert p.trust == pytest.approx(0.5 - loss * COERCION["prn_medication"] * 0.5)
    assert q.trust == pytest.approx(0.5 - loss * COERCION["restraint"] * 0.5)
    risk_days = m.params.conflict.containment_risk_days
    # coercive containment raises the risk of conflict for days after; as-needed medication does not
    assert m.roster.risk_until[q.slot] == m.steps + risk_days * m.clock.steps_per_day
    assert q.today.contained
    assert m.roster.risk_until[p.slot] < m.steps and not p.today.contained


def test_seclusion_is_not_cut_short_by_the_timetable():
    m = MilieuModel(rng=4)
    while m.steps == 0 or m.clock.minute != 9 * 60 + 45:
        m.step()
    p = present_patient(m)
    m.containment.contain(p, m.staffing.staff[0], "seclusion", incident=None)
    for _ in range(m.clock.steps_of(120)):  # past the 10:30 group and 11:30 work blocks
        m.step()
    assert p.activity == "seclusion"
    assert m.layout.zones[p.here] == Zone.EXTRA_CARE


def test_time_out_is_spent_in_the_patients_own_room():
    m = ward(steps=150)
    p = present_patient(m)
    m.containment.contain(p, None, "time_out", incident=None)
    m.step()
    assert p.activity == "time_out" and p.here == p.bed


def test_as_needed_medication_is_given_by_nurses_only():
    m = ward({"conflict.containment_propensity": 1.0}, steps=120)
    p = present_patient(m)
    assistant = next(s for s in m.staffing.staff if s.present and s.kind == "assistant")
    nurse = next(s for s in m.staffing.staff if s.present and s.kind == "nurse")
    rng = m.streams["behaviour"]
    before = sum(e.kind == "prn_medication" for e in m.recorder.events)
    for _ in range(50):
        p.agitation = 0.9
        m.containment.maybe_prn(p, assistant, rng)
    assert sum(e.kind == "prn_medication" for e in m.recorder.events) == before
    for _ in range(50):
        p.agitation = 0.9
        m.containment.maybe_prn(p, nurse, rng)
    assert sum(e.kind == "prn_medication" for e in m.recorder.events) > before


def test_calm_down_methods_replace_some_as_needed_medication():
    def given(fidelity):
        m = ward({"conflict.containment_propensity": 1.0, "safewards.calm_down_methods": fidelity}, steps=120)
        p = present_patient(m)
        nurse = next(s for s in m.staffing.staff if s.present and s.kind == "nurse")
        for _ in range(200):
            p.agitation = 0.9
            m.containment.maybe_prn(p, nurse, m.streams["behaviour"])
        return sum(e.kind == "prn_medication" for e in m.recorder.events), m.recorder.counts["calm_down"]

    none, coped_none = given(0.0)
    full, coped_full = given(1.0)
    assert coped_none == 0 and coped_full > 0
    assert full < none


def test_repeated_attacks_lead_to_transfer():
    m = ward(steps=120)
    p = present_patient(m)
    nurse = next(s for s in m.staffing.staff if s.present and s.kind == "nurse")
    outcomes = []
    while len(p.attack_days) < TRANSFER_AFTER and len(outcomes) < 50:  # attacks talked down do not count
        outcomes.append(m.containment.decide(p, "physical_aggression", nurse))
    assert len(p.attack_days) == sum(o[0] != "talked_down" for o in outcomes) == TRANSFER_AFTER
    assert "transfer" in outcomes[-1][1]
    assert all("transfer" not in used for _, used in outcomes[:-1])
