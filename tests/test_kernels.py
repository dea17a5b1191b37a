"""Compiled kernels (milieusim/jit.py): the same numbers compiled and as plain Python.

Each kernel is checked against exact values worked by hand, compiled and uncompiled
(`plain`), and on states taken from a running ward; a whole run with compilation off
(``NUMBA_DISABLE_JIT=1``, a fresh process) gives the same tables as one compiled.
"""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from milieusim.jit import plain
from milieusim.kinds import PATIENT, RELATIVE, STAFF
from milieusim.model import MilieuModel
from milieusim.params import Scenario
from milieusim.recording import count_step
from milieusim.rules import interaction as ia
from milieusim.runner import run
from milieusim.space.geometry import shadowcast
from milieusim.space.informal import intrusion_depth
from milieusim.space.seating import SOMMER_WEIGHTS, pair_weight
from milieusim.ward.conflict import settle_and_gather, unwelcome_closeness
from milieusim.ward.encounters import encounter_chances, near_pairs
from milieusim.ward.observation import see
from milieusim.ward.places import walk

BOTH = pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "plain"])


def _f(fn, compiled):
    return fn if compiled else plain(fn)


@BOTH
def test_near_pairs_by_hand(compiled):
    # four people: 0 and 1 in room 0, 1.5 m apart (3 cells of 0.5 m); 2 in room 0 but 4 m from 0;
    # 3 in room 1 beside 0. Only (0, 1) and (1, 2) are within social distance in the same room.
    pos = np.array([[0, 0], [0, 3], [0, 8], [0, 1]], np.int32)
    room = np.array([0, 0, 0, 1], np.int32)
    facing = np.array([1, 3, -1, -1], np.int8)
    a, b, d, seated = _f(near_pairs, compiled)(np.arange(4), room, pos, pos.copy(), facing, 0.5)
    assert a.tolist() == [0, 1] and b.tolist() == [1, 2]
    assert d.tolist() == [1.5, 2.5]
    assert seated.tolist() == [True, False]  # 2 has no seat facing


@BOTH
def test_encounter_chances_by_hand(compiled):
    # patient 0 (severity and trust 0.5) with a member of staff 1 m away, and seated round a corner
    # from patient 2: 0 faces east at (0, 0), 2 faces south at (-1, 1)
    role = np.array([PATIENT, STAFF, PATIENT], np.int8)
    severity, trust = np.array([0.5, 0.0, 0.0]), np.array([0.5, 0.0, 1.0])
    pos = np.array([[0, 0], [0, 2], [-1, 1]], np.int32)
    facing = np.array([1, -1, 2], np.int8)
    a, b = np.array([0, 0]), np.array([1, 2])
    p = _f(encounter_chances, compiled)(
        a,
        b,
        np.array([1.0, 0.7]),
        np.array([False, True]),
        pos,
        facing,
        role,
        severity,
        trust,
        5,
        0.5,
        SOMMER_WEIGHTS,
    )
    soc0 = max(0.1, 1 - 0.8 * 0.5) * (0.6 + 0.4 * 0.5)  # 0.48; staff count fully
    rate = ia.ENCOUNTER_RATE_PER_HOUR
    assert p[0] == pytest.approx(1 - np.exp(-rate * 1.0 * soc0 * 5 / 60), abs=1e-15)
    assert p[1] == pytest.approx(
        1 - np.exp(-rate * 1.0 * soc0 * 1.0 * 5 / 60), abs=1e-15
    )  # a corner: weight 1


@BOTH
def test_pair_weight_by_hand(compiled):
    f = _f(pair_weight, compiled)
    assert f(-1, 1, 1, 2, 0.5, SOMMER_WEIGHTS) == 1.0  # corner
    assert f(0, 1, 0, 0, 0.5, SOMMER_WEIGHTS) == 0.5  # side by side, neighbours
    assert f(0, 2, 0, 0, 0.5, SOMMER_WEIGHTS) == 0.0  # side by side, one seat between
    assert f(0, 2, 1, 3, 0.5, SOMMER_WEIGHTS) == pytest.approx(1 / 6)  # opposite, 1 m apart
    assert f(0, 4, 1, 3, 0.5, SOMMER_WEIGHTS) == 0.0  # opposite, out of reach


@BOTH
def test_intrusion_depth_by_hand(compiled):
    f = _f(intrusion_depth, compiled)
    assert f(0.0, 0.6, 0.0, 1.0, 1.2, 1.5) == pytest.approx(0.5)  # half way into the front of the zone
    assert f(0.0, -0.9, 0.0, 1.0, 1.2, 1.5) == pytest.approx(0.5)  # behind, the zone is 1.5 x deeper
    assert f(0.0, 0.0, 0.0, 0.0, 1.2, 1.5) == 1.0
    assert f(3.0, 0.0, 0.0, 0.0, 1.2, 1.5) == 0.0


@BOTH
def test_unwelcome_closeness_weights_by_who_comes_close(compiled):
    # patient 0 with a member of staff (trust 0.25), their own relative, and another patient, each 0.6 m ahead
    role = np.array([PATIENT, STAFF, RELATIVE, PATIENT], np.int8)
    trust = np.array([0.25, 0, 0, 0.0])
    partner = np.array([-1, -1, 0, -1], np.int32)
    sens, agit = np.ones(4), np.zeros(4)
    pos = np.array([[5, 5], [5, 6], [5, 6], [5, 6]], np.int32)
    facing = np.array([1, -1, -1, -1], np.int8)  # 0 faces east
    a, b = np.array([0, 0, 0]), np.array([1, 2, 3])
    out = _f(unwelcome_closeness, compiled)(a, b, role, trust, partner, sens, agit, pos, facing, 0.5)
    ahead = intrusion_depth(0.0, 0.5, 0.0, 1.0, 1.2, 1.5)
    assert out[0] == pytest.approx((1 - 0.25) * ahead + 0.0 + 1.0 * ahead)
    # patient 3 has patient 0 0.5 m away with no heading of its own: a round zone
    assert out[3] == pytest.approx(intrusion_depth(0.0, -0.5, 0.0, 0.0, 1.2, 1.5))
    assert out[1] == out[2] == 0.0  # staff and relatives feel no intrusion here


@BOTH
def test_see_by_hand(compiled):
    iso = np.zeros((1, 3 * 4), bool)
    iso[0, [1 * 4 + 1, 2 * 4 + 3]] = True  # the staff member's isovist holds (1, 1) and (2, 3)
    present = np.array([True, True, True, True, False])
    role = np.array([PATIENT, PATIENT, PATIENT, STAFF, PATIENT], np.int8)
    pos = np.array([[1, 1], [2, 3], [0, 0], [1, 0], [1, 1]], np.int32)
    obs = np.array([0, 0, 2, 0, 0], np.int8)
    last_seen = np.zeros(5, np.int64)
    _f(see, compiled)(present, role, pos, obs, np.zeros(5, np.int64), iso, 4, 0.5, 0.6, 7, last_seen)
    # (1, 1) in view and 0.5 m away; (2, 3) in view but 1.6 m away; (0, 0) watched constantly;
    # the staff member and the absent patient are not patients seen
    assert last_seen.tolist() == [7, 0, 7, 0, 0]


def test_kernels_agree_on_a_running_ward():
    model = MilieuModel(Scenario(), rng=4)
    r, cell_m = model.roster, model.layout.cell_size_m
    checked = 0
    for _ in range(288):  # a day; compare at every hour
        model.step()
        if model.clock.minute % 60:
            continue
        args = (np.flatnonzero(r.present), r.room, r.pos, r.dest, r.facing, cell_m)
        got, want = near_pairs(*args), plain(near_pairs)(*args)
        for x, y in zip(got, want, strict=True):
            np.testing.assert_array_equal(x, y)
        a, b, d, seated = got
        args = (a, b, d, seated, r.pos, r.facing, r.role, r.severity, r.trust, 5, cell_m, SOMMER_WEIGHTS)
        np.testing.assert_array_equal(encounter_chances(*args), plain(encounter_chances)(*args))
        args = (a, b, r.role, r.trust, r.partner, r.sensitivity, r.agitation, r.pos, r.facing, cell_m)
        np.testing.assert_array_equal(unwelcome_closeness(*args), plain(unwelcome_closeness)(*args))
        checked += a.size
    assert checked > 50
    opaque = ~model.layout.floor
    for cell in np.argwhere(model.layout.floor)[::11].tolist():
        np.testing.assert_array_equal(shadowcast(opaque, tuple(cell)), plain(shadowcast)(opaque, tuple(cell)))


def test_a_run_without_compilation_gives_the_same_tables(tmp_path):
    code = (
        "import sys; from milieusim.params import Scenario; from milieusim.runner import run\n"
        "res = run(Scenario(), seed=5, days=2)\n"
        "for name in ('daily', 'events', 'stays'):\n"
        "    getattr(res, name).to_pickle(f'{sys.argv[1]}/{name}.pkl')\n"
    )
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, env=env, timeout=600)
    compiled = run(Scenario(), seed=5, days=2)
    for name in ("daily", "events", "stays"):
        pd.testing.assert_frame_equal(
            getattr(compiled, name), pd.read_pickle(tmp_path / f"{name}.pkl"), check_exact=True
        )


@BOTH
def test_count_step_by_hand(compiled):
    present = np.array([True, True, True, False])
    role = np.array([PATIENT, PATIENT, STAFF, PATIENT], np.int8)
    pos = np.array([[0, 0], [0, 0], [1, 2], [1, 1]], np.int32)
    task = np.array([-1, -1, 3, -1], np.int8)
    last_seen = np.array([90, 100, 0, 0])
    last_contact = np.array([99, 50, 0, 0])
    social, grouped = np.array([False, True, False, False]), np.array([False, True, False, False])
    patients_at, staff_at = np.zeros((2, 3), np.int64), np.zeros((2, 3), np.int64)
    tasks = np.zeros(5, np.int64)
    got = _f(count_step, compiled)(
        present,
        role,
        pos,
        task,
        last_seen,
        last_contact,
        social,
        grouped,
        100,
        98,
        True,
        patients_at,
        staff_at,
        tasks,
    )
    assert got == (2, 1, 10, 2, 1)  # 10 steps unseen; engaged: a recent contact, and a social activity
    assert patients_at[0, 0] == 2 and patients_at.sum() == 2 and staff_at[1, 2] == 1 and tasks[3] == 1


@BOTH
def test_settle_and_gather_by_hand(compiled):
    agitation = np.array([0.5, 0.9])
    chance = _f(settle_and_gather, compiled)(
        agitation, np.array([0]), np.array([0.4, 0.0]), np.array([True, False]), np.array([0.5]),
        5.0, 30.0, 0.01, 0.02, 1.0, 2.0, 0.5, 0.1,
    )  # fmt: skip
    assert agitation[0] == pytest.approx(0.5 * 0.5 ** (5 / 30) + 5 * (0.01 * 0.4 + 0.02 * 0.5))
    assert agitation[1] == 0.9  # not among the patients given
    per_minute = (2.0 * 0.4 + 0.5 + 0.1) / 1440
    assert chance[0] == pytest.approx(1 - np.exp(-per_minute * 5))


@BOTH
def test_walk_by_hand(compiled):
    # a corridor 1 x 6 of 1-m cells; the walk leads to cell (0, 5); walking 2.5 m a step: a person
    # keeps stepping while they have walked less than that, so ends a step 3 m on
    field = np.array([5.0, 4.0, 3.0, 2.0, 1.0, 0.0])
    hop = np.array([1, 1, 1, 1, 1, -1], np.int8)  # STEPS[1] = (0, 1): east
    field.flags.writeable = hop.flags.writeable = False  # as the geometry keeps them
    steps = np.array([(0, -1), (0, 1)], np.int64)
    present = np.array([True, True, False])
    pos = np.array([[0, 0], [0, 4], [0, 0]], np.int32)
    dest = np.array([[0, 5], [0, 5], [0, 5]], np.int32)
    walked, room = np.zeros(3), np.full(3, -1, np.int32)
    room_of = np.full((1, 6), 7, np.int32)
    fields, hops = field[None, :], hop[None, :]  # one route, as the geometry keeps them: a row each
    moved = _f(walk, compiled)(
        present, pos, dest, np.zeros(3, np.int64), fields, hops, steps, 2.5, walked, room_of, room
    )
    assert moved.tolist() == [0, 1]  # the absent one stays
    assert pos.tolist() == [[0, 3], [0, 5], [0, 0]]  # 3 m on, and the second arrived
    assert walked.tolist() == [3.0, 1.0, 0.0] and room.tolist() == [7, 7, -1]
