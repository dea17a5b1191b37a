"""Patients' and staff's choices: exact values of the pure functions."""

import numpy as np
import pytest

from milieusim.kinds import Activity
from milieusim.rules import choices
from milieusim.rules.interaction import sociability
from milieusim.rules.levels import initial_level
from milieusim.rules.power import heard_trust_gain


def test_attendance_needs_orientation_and_falls_with_agitation():
    assert choices.attend_chance(1.0, 0.0) == pytest.approx(1.1)
    assert choices.attend_chance(0.6, 0.5) == pytest.approx(0.6 * 0.75 + 0.1)
    assert choices.attend_chance(0.0, 1.0) == pytest.approx(0.1)


def test_goal_work_and_progress():
    assert choices.goal_work_chance(0.0) == pytest.approx(0.3)
    assert choices.goal_work_chance(1.0) == pytest.approx(0.8)
    assert choices.goal_progress(0.08, "job", 2.0, 0.5) == pytest.approx(0.08 * 1.5 * 2.0 * 1.0)
    assert choices.goal_progress(0.08, "personal", 1.0, 0.0) == pytest.approx(0.08 * 0.5 * 0.5)


def test_free_time_weights():
    # severity 0.5, trust 0.5, autonomy 0.2, level 1: social = 0.5 x 1.0
    w = choices.free_time_weights(0.5, 0.5, 0.2, 1)
    assert w == pytest.approx([3.0 * 1.0, 3.0 * 1.0, 0.0, 0.7, 1.0, 0.4 * 0.7])
    w2 = choices.free_time_weights(0.5, 0.5, 0.2, 2)
    assert w2[2] == pytest.approx(1.0 * 0.5)  # the garden opens at level 2


def test_goal_of_follows_what_is_available():
    assert [choices.goal_of(u, 0.2, 0.6) for u in (0.0, 0.19, 0.2, 0.79, 0.8, 0.99)] == [
        "job",
        "job",
        "chore",
        "chore",
        "personal",
        "personal",
    ]


def test_requests_are_granted_more_often_at_higher_levels():
    assert choices.request_grant_chance(0.5, 1) == pytest.approx(0.35)
    assert choices.request_grant_chance(0.5, 4) == pytest.approx(0.5)
    assert choices.request_grant_chance(0.0, 4) == 0.0


def test_staff_task_splits_free_time_by_needs_focus():
    assert choices.staff_task(0.1, 0.33) == Activity.ONE_TO_ONE
    assert choices.staff_task(0.34, 0.33) == Activity.OBSERVATION
    assert choices.staff_task(0.33 + 0.67 * 0.4 - 1e-9, 0.33) == Activity.OBSERVATION
    assert choices.staff_task(0.33 + 0.67 * 0.4 + 1e-9, 0.33) == Activity.OFFICE
    assert choices.staff_task(0.0, 0.0) == Activity.OBSERVATION  # nights: no one-to-one


def test_need_for_staff():
    need = choices.need_for_staff(np.array([0.2, 0.8]), np.array([0.5, 1.0]), np.array([0.0, 1.0]))
    assert need == pytest.approx([0.2 + 0.25, 0.8 + 0.0 + 0.1])


def test_sociability_and_initial_level_and_being_heard():
    assert sociability(0.0, 1.0) == pytest.approx(1.0)
    assert sociability(1.0, 0.0) == pytest.approx(0.2 * 0.6)
    assert sociability(np.array([0.5, 1.2]), np.array([0.5, 0.5])) == pytest.approx([0.6 * 0.8, 0.1 * 0.8])
    assert [initial_level(s) for s in (0.9, 0.56, 0.55, 0.41, 0.4, 0.1)] == [1, 1, 2, 2, 3, 3]
    assert heard_trust_gain(0.1, 5) == pytest.approx(0.05 * 0.5)
    assert heard_trust_gain(0.5, 5) == pytest.approx(0.05)


def test_pick_draws_as_numpy_choice_does():
    from milieusim.rules.choices import pick

    weights = [0.5, 0.0, 1.5, 0.25, 0.75, 1.0]
    for seed in range(300):
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        assert pick(weights, b.random()) == int(a.choice(len(weights), p=[w / sum(weights) for w in weights]))
    assert pick([1.0, 0.0, 1.0], 0.5) == 2  # the boundary belongs to the next non-empty choice
    assert pick([1.0, 1.0], 0.0) == 0
