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
