"""Staffing: who is on duty, handover."""

from milieusim.kinds import PATIENT, STAFF
from milieusim.model import MilieuModel


def test_agents_of_each_role_are_on_the_ward():
    m = MilieuModel(rng=1)
    for _ in range(m.clock.steps_per_day // 2):  # to noon
        m.step()
    roles = m.roster.role[m.roster.present]
    assert (roles == PATIENT).sum() == m.flow.census() == m.flow.target
    assert (roles == STAFF).sum() == m.params.staffing.day_nurses + m.params.staffing.day_assistants + 2


def test_a_fifteen_minute_handover_lasts_three_five_minute_steps():
    m = MilieuModel(rng=3)
    while m.steps == 0 or m.clock.minute != 7 * 60:
        m.step()
    nurse = next(s for s in m.staffing.staff if s.shift == "early" and s.kind == "nurse")
    assert nurse.activity == "handover"
    steps_in_handover = 1
    while True:
        m.step()
        if nurse.activity != "handover":
            break
        steps_in_handover += 1
    assert steps_in_handover == 3
