"""Flow: admissions to the occupancy target, beds, day hospital and home."""

import pytest

from milieusim.agents.patient import Patient
from milieusim.kinds import PATIENT, RELATIVE
from milieusim.model import MilieuModel
from milieusim.params import Scenario
from milieusim.space.symbols import Zone


def test_patient_count_matches_occupancy_target():
    m = MilieuModel(rng=0)
    assert m.flow.census() == round(20 * 0.85) == len([a for a in m.agents if isinstance(a, Patient)])
    assert all(m.layout.zones[p.bed] == Zone.BEDROOM for p in m.flow.patients())


def test_patients_on_the_ward_when_the_run_begins_are_not_admissions():
    from milieusim.runner import run

    res = run(Scenario().with_changes({"flow.admissions_per_day": 20}), seed=2, days=12)
    stock = res.stays[res.stays.left_censored]
    admitted = res.events[res.events.kind == "admission"]
    assert len(stock) > 0 and not set(stock.patient) & set(admitted.who)
    assert (admitted.step >= 0).all() and len(admitted) == res.daily.admissions.sum() > 0
    # the newly admitted come in at the entrance
    entrance = MilieuModel(rng=2).layout.points["entrance"]
    assert set(zip(admitted.row, admitted.col, strict=True)) == {entrance}


@pytest.mark.parametrize("layout", ["day_hospital", "home"])
def test_a_day_hospital_or_home_starts_with_its_patients_not_admitted(layout):
    from milieusim.runner import run

    res = run(Scenario().with_changes({"ward.layout": layout}), seed=1, days=2)
    assert res.stays.left_censored.all() and len(res.stays) > 0
    assert not (res.events.kind == "admission").any() and res.daily.admissions.sum() == 0


def test_more_beds_than_the_plan_draws_is_a_clear_error():
    sc = Scenario().with_changes({"ward.beds": 30})
    with pytest.raises(ValueError, match="ward.beds = 30 but layout 'corridor' has 20 beds"):
        MilieuModel(sc, rng=0)
    assert MilieuModel(Scenario().with_changes({"ward.beds": 12}), rng=0).flow.capacity == 12


def test_day_hospital_sends_patients_home_for_the_night():
    m = MilieuModel(Scenario().with_changes({"ward.layout": "day_hospital"}), rng=1)
    night = day = None
    while m.steps < m.clock.steps_per_day + 3:
        m.step()
        n = int((m.roster.present & (m.roster.role == PATIENT)).sum())
        if m.clock.minute == 2 * 60:
            night = n
        if m.clock.minute == 11 * 60:
            day = n
    assert night == 0 and day == m.flow.census() > 0


def test_home_has_one_patient_living_with_family():
    m = MilieuModel(Scenario().with_changes({"ward.layout": "home"}), rng=1)
    for _ in range(m.clock.steps_per_day):
        m.step()
    assert m.flow.census() == 1
    assert (m.roster.present & (m.roster.role == RELATIVE)).sum() == 1
