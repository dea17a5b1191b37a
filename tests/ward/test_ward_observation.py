"""Observation: sight lines, checks walked to, constant observation, levels and how they are counted."""

import numpy as np
from ward_helpers import present_patients, ward

from milieusim.kinds import Activity
from milieusim.rules.observation import GENERAL_CHECK_MINUTES, Level


def test_a_patient_within_a_staff_members_sight_is_seen_now():
    m = ward(steps=120)
    s = next(x for x in m.staffing.staff if x.present)
    p = present_patients(m)[0]
    p.put(s.here)  # same cell: in sight
    m.roster.last_seen[p.slot] = -100
    m.observation.step()
    assert m.roster.last_seen[p.slot] == m.clock.now
    assert m.observation.observer(p) is not None


def test_every_patient_is_checked_about_hourly_under_general_observation():
    m = ward(steps=1)
    unseen = []
    for _ in range(m.clock.steps_per_day):
        m.step()
        unseen += [m.observation.minutes_unseen(p) for p in present_patients(m)]
    # a check is due after an hour; it waits while no member of staff is free (handover, the meeting)
    assert max(unseen) <= 2 * GENERAL_CHECK_MINUTES
    assert np.mean(np.array(unseen) <= GENERAL_CHECK_MINUTES + m.clock.dt) > 0.95


def test_intermittent_observation_checks_more_often():
    m = ward({"conflict.check_minutes": 15}, steps=1)
    p = present_patients(m)[0]
    m.observation.set_level(p, "intermittent_observation", minutes=24 * 60)
    checks = []
    for _ in range(m.clock.steps_of(6 * 60)):
        before = m.roster.last_check[p.slot]
        m.step()
        if m.roster.last_check[p.slot] != before:
            checks.append(m.clock.now)
    gaps = np.diff(checks) * m.clock.dt
    assert len(checks) >= 6 * 60 // 30 and gaps.max() <= 15 + 3 * m.clock.dt


def test_constant_observation_keeps_a_member_of_staff_beside_the_patient():
    m = ward(steps=120)
    p = present_patients(m)[0]
    m.observation.set_level(p, "special_observation")
    for _ in range(24):  # two hours
        m.step()
        s = m.observation.observer(p)
        assert s is not None and s.activity == Activity.CONSTANT
        assert m.roster.obs_level[p.slot] == Level.CONSTANT
        # heading for a place beside where the patient is going (they walk there in the next step)
        assert np.abs(m.roster.dest[s.slot] - m.roster.dest[p.slot]).max() <= 2


def test_overlapping_special_observations_end_with_the_last():
    m = ward(seed=2)
    p = present_patients(m)[0]
    m.observation.set_level(p, "special_observation")
    for _ in range(m.clock.steps_of(12 * 60)):
        m.step()
    m.observation.set_level(p, "special_observation")  # renewed half-way
    for _ in range(m.clock.steps_of(13 * 60)):  # past the first one's end
        m.step()
    assert m.roster.obs_level[p.slot] == Level.CONSTANT
    for _ in range(m.clock.steps_of(12 * 60)):
        m.step()
    assert m.roster.obs_level[p.slot] == Level.GENERAL


def test_an_observation_level_counts_once_per_shift_while_it_lasts():
    m = ward(steps=1)
    p = next(x for x in present_patients(m) if m.roster.obs_level[x.slot] == Level.GENERAL)
    m.observation.set_level(p, "intermittent_observation", minutes=24 * 60)
    for _ in range(m.clock.steps_per_day):
        m.step()
    logged = [e for e in m.recorder.events if e.kind == "intermittent_observation" and e.who == p.unique_id]
    assert len(logged) == 1 + 3  # when it began, then at each of the three shift starts within the day


def test_new_admissions_are_on_intermittent_observation_by_policy():
    m = ward({"conflict.admission_observation_days": 2, "flow.start_full": False}, steps=1)
    for _ in range(2 * m.clock.steps_per_day):
        m.step()
    admitted = {e.who for e in m.recorder.events if e.kind == "admission" and e.step > 0}
    policy = {e.who for e in m.recorder.events if e.outcome == "policy"}
    assert admitted and admitted <= policy
