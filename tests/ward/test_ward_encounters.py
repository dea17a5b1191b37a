"""Encounters: furniture moved in encounters, seats that face each other."""

from milieusim.model import MilieuModel
from milieusim.scenario import load_scenario


def test_custodial_staff_re_line_chairs_and_milieu_patients_group_them():
    def moves(preset):
        sc = load_scenario(preset=preset).with_changes({"ward.furniture": "sociopetal"})
        daily = [MilieuModel(sc, rng=seed).run(7).recorder.daily for seed in range(2)]
        rows = [row for d in daily for row in d]
        return sum(r["chairs_relined"] for r in rows), sum(r["chairs_grouped"] for r in rows)

    custodial, milieu = moves("custodial"), moves("milieu")
    assert custodial[0] > milieu[0]  # staff tidiness 0.9 against 0.1
    assert milieu[1] > custodial[1]  # autonomous patients pull chairs into groups


def test_a_patient_transferred_in_an_encounter_meets_nobody_else_that_step(monkeypatch):
    # every pair meets; the first patient met is transferred away at once (as after a serious
    # incident): their later pairs of the same step are skipped, not met by nobody
    import numpy as np

    from milieusim.kinds import PATIENT
    from milieusim.params import Scenario
    from milieusim.ward import encounters

    monkeypatch.setattr(encounters, "encounter_chances", lambda a, *rest: np.ones(a.size))
    model = MilieuModel(Scenario(), rng=2)
    met, gone = model.encounters.meet, []

    def meet(x, y):
        assert not {x.unique_id, y.unique_id} & set(gone)
        met(x, y)
        if not gone and x.role == PATIENT:
            gone.append(x.unique_id)
            model.flow.discharge(x, "transfer")

    monkeypatch.setattr(model.encounters, "meet", meet)
    for _ in range(288):
        model.step()
        if gone:
            break
    assert gone
