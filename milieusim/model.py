"""MilieuModel: the ward, its people, and the ordered phases of a step (DESIGN §7).

A step is `step_minutes` of ward time and runs, in this order:

1. clock: day boundaries, timetable blocks (a new block interrupts everyone),
   shift changes, the daily review, discharges, admissions, the meeting;
2. decide: only people whose activity has ended decide (event-driven);
3. move: along cached distance fields, one lookup per person;
4. encounter: pairs in the same room, vectorised over positions;
5. conflict: flashpoints from crowding and intrusion, agitation, conflict and staff response;
6. record: presence and time use.

Timed one-off events (a relative's visit and its end, the end of special
observation, an outreach visit's end) go through Mesa's `schedule_event`;
activities end at a step held in the roster (`busy_until`), and a new
timetable block interrupts all but protected ones (containment, visits,
responses, handovers). Randomness comes only from the model's seed: Mesa's
`model.rng`/`model.random` and named streams derived from the same seed.
"""

from __future__ import annotations

import functools
import math

import mesa
import numpy as np

from milieusim.agents.person import PATIENT, STAFF
from milieusim.encounters import EncounterOps
from milieusim.params import Scenario
from milieusim.params_tables import minutes_of
from milieusim.recording import Recorder
from milieusim.rng import named_streams
from milieusim.rules import conflict as cf
from milieusim.rules import interaction as ia
from milieusim.rules.schedule import Timetable
from milieusim.space.furniture import Arrangement
from milieusim.space.geometry import STEPS, geometry_of
from milieusim.space.grid import build_grid
from milieusim.space.informal import HALL_PERSONAL_M, intrusion
from milieusim.space.layout_file import cached_layout
from milieusim.space.seating import seat_pair_weight
from milieusim.space.symbols import ZONE_BY_NAME, Facing, Zone
from milieusim.space.ward_check import beds_problem
from milieusim.ward import WardOps

#: Walking speed, m/s (assumption: an unhurried indoor pace).
WALK_SPEED_M_S = 1.0
#: Floor area per person before a room feels crowded, m2 (assumption; EVIDENCE: design, social density).
COMFORT_M2_PER_PERSON = 3.0
FACING_VEC = np.array([f.vector for f in Facing] + [(0, 0)], dtype=float)  # index -1: no heading


@functools.lru_cache(maxsize=1 << 16)
def _seat_weight(ar: int, ac: int, fa: int, br: int, bc: int, fb: int, cell_size_m: float) -> float:
    """Conversation weight of two seats, cached: seats are few and people sit in them again and again."""
    return seat_pair_weight((ar, ac), Facing(fa), (br, bc), Facing(fb), cell_size_m)


class MilieuModel(WardOps, EncounterOps, mesa.Model):
    """A therapeutic milieu: one ward (or day hospital, or home) under one scenario.

    Args:
        scenario: the validated parameters (default: the neutral baseline).
        rng: the run's seed (an int). None draws one from the operating system
            and records it in `seed`, so every run can be repeated.
    """

    def __init__(self, scenario: Scenario | None = None, *, rng: int | None = None):
        if rng is None:
            rng = int(np.random.SeedSequence().entropy % (2**63))
        super().__init__(rng=rng)
        self.seed = int(rng)
        self.params = sc = scenario or Scenario()
        self.streams = named_streams(self.seed)
        self.layout = cached_layout(sc.ward.layout)
        self.setting = self.layout.meta.setting
        self.geometry = geometry_of(self.layout)
        self.arrangement = Arrangement(self.layout, sc.ward.furniture, sc.ward.furniture_style)
        self.grid = build_grid(self.layout, random=self.random)
        self.timetable = Timetable(sc.time.timetable)
        self.dt = sc.time.step_minutes
        self.steps_per_day = 24 * 60 // self.dt
        self.max_walk_m = WALK_SPEED_M_S * 60 * self.dt
        if problem := beds_problem(sc.ward.beds, self.layout):
            raise ValueError(problem)
        self.capacity = sc.ward.beds or self.layout.meta.beds
        self.target = 1 if self.setting == "home" else max(1, round(self.capacity * sc.ward.occupancy_target))
        self._near = None
        self._day_closed = False
        self.n_rooms = len(self.layout.rooms)
        self.zone_of_room = np.array([int(room.zone) for room in self.layout.rooms], dtype=np.int64)
        self.review_minute = minutes_of(sc.levels.review_time)
        self._init_space()
        self._init_people()
        self.recorder = Recorder(self)
        self.block = self.timetable.block_at(0)
        self.block_end_step = 0
        self.day = 0
        self._start()

    @property
    def scenario(self):
        """Mesa's scenario slot; milieusim keeps its parameters in `params`."""
        return self.params

    @scenario.setter
    def scenario(self, value):  # Mesa's constructor stores its own placeholder here
        self._mesa_scenario = value

    # ------------------------------------------------------------ the step

    def step(self):
        """Advance the ward by `step_minutes`, phase by phase."""
        self._clock()
        self._decide()
        self._move()
        self._encounter()
        self._conflict()
        self.recorder.per_step()

    def run(self, days: int | None = None, progress=None):
        """Run for `days` (default: the scenario's), calling `progress(day)` at each midnight."""
        days = self.params.time.days if days is None else days
        for _ in range(days * self.steps_per_day):
            self.step()
            if progress is not None and self.minute == 0:
                progress(self.day)
        self._end_day()  # the last day ends with the run; a later run() continues from the next
        self._day_closed = True
        return self

    # -- 1. clock

    @property
    def now(self) -> int:
        """Index of the current step, from 0."""
        return self.steps - 1

    @property
    def minute(self) -> int:
        """Minute of the day at the current step."""
        return (self.now * self.dt) % 1440

    def until(self, minutes: float) -> int:
        """The step at which something lasting `minutes` from now ends (its owner decides again)."""
        return self.now + self.steps_of(minutes)

    def steps_of(self, minutes: float) -> int:
        """Whole steps covering `minutes` (at least one)."""
        return max(1, math.ceil(minutes / self.dt))

    def _clock(self):
        minute = self.minute
        if minute == 0 and self.now > 0:
            if not self._day_closed:
                self._end_day()
            self._day_closed = False
            self.day += 1
        if minute == 0:
            self._start_day()
        block = self.timetable.block_at(minute)
        if block is not self.block or self.now == 0:
            if self.block.activity == "meeting":
                self.community_meeting()
            self.block = block
            self.block_end_step = self.now + (self.timetable.block_end(minute) - minute) // self.dt
            self._interrupt(PATIENT, STAFF)
        self.ward_clock(minute)

    def _interrupt(self, *roles: int):
        r = self.roster
        mask = r.present & np.isin(r.role, roles) & ~r.protected
        r.busy_until[mask] = np.minimum(r.busy_until[mask], self.now)

    # -- 2. decide

    def _decide(self):
        r = self.roster
        for slot in np.flatnonzero(r.present & (r.busy_until <= self.now)):
            agent = r.agents[slot]
            if agent is not None and r.present[slot]:
                agent.decide()

    # -- 3. move

    def _move(self):
        """Everyone whose place is elsewhere walks along the cached field of their anchor place."""
        r = self.roster
        moving = np.flatnonzero(r.present & (r.pos != r.dest).any(axis=1))
        for slot in moving:
            pos = tuple(r.pos[slot])
            key = ("cell", (int(r.anchor[slot, 0]), int(r.anchor[slot, 1])))
            field = self.geometry.field(key)
            dist = field[pos]
            agent = r.agents[slot]
            if dist <= self.max_walk_m:
                agent._put((int(r.dest[slot, 0]), int(r.dest[slot, 1])))
                agent.walked_m += dist
                continue
            hop, cell = self.geometry.next_hop(key), pos
            while hop[cell] >= 0 and dist - field[cell] < self.max_walk_m:
                dr, dc = STEPS[hop[cell]]
                cell = (cell[0] + dr, cell[1] + dc)
            agent._put(cell)
            agent.walked_m += dist - field[cell]

    # -- 4. encounter

    def _encounter(self):
        """Pairs in the same room within social distance may meet; the pairs are kept for intrusion."""
        r = self.roster
        self._near = None
        idx = np.flatnonzero(r.present)
        room = r.room[idx]
        counts = np.bincount(room, minlength=self.n_rooms)
        shared = counts[room] > 1
        if not shared.any():  # nobody shares a room (the night, mostly): nothing to compute
            return
        idx, room = idx[shared], room[shared]
        i, j = np.nonzero(np.triu(room[:, None] == room[None, :], 1))
        if i.size == 0:
            return
        a, b = idx[i], idx[j]
        d = np.hypot(*(r.pos[a] - r.pos[b]).T) * self.layout.cell_size_m
        near = d < ia.HALL_SOCIAL_M
        a, b, d = a[near], b[near], d[near]
        if a.size == 0:
            return
        self._near = (a, b)
        weight = ia.proximity_weight(d)
        seated = (
            (r.facing[a] >= 0)
            & (r.facing[b] >= 0)
            & (r.pos[a] == r.dest[a]).all(1)
            & (r.pos[b] == r.dest[b]).all(1)
        )
        if seated.any():
            k = np.flatnonzero(seated)
            for n, pa, fa, pb, fb in zip(
                k,
                r.pos[a[k]].tolist(),
                r.facing[a[k]].tolist(),
                r.pos[b[k]].tolist(),
                r.facing[b[k]].tolist(),
                strict=True,
            ):
                weight[n] = _seat_weight(pa[0], pa[1], fa, pb[0], pb[1], fb, self.layout.cell_size_m)
        # staff and relatives seek people out: their readiness counts fully
        soc = np.where(r.role == PATIENT, r.sociability, 1.0)
        p = ia.encounter_probability(weight, soc[a] * soc[b], self.dt)
        hit = self.streams["behaviour"].random(p.size) < p
        for x, y in zip(a[hit], b[hit], strict=True):
            self.meet(r.agents[x], r.agents[y])

    # -- 5. conflict

    def _conflict(self):
        r = self.roster
        sc = self.params.conflict
        pts = np.flatnonzero(r.present & (r.role == PATIENT))
        if pts.size == 0:
            return
        a = cf.decay(r.agitation[pts], self.dt, sc.half_life_minutes)
        # per-minute rates over the step, so results do not hang on the step length
        a += self.dt * sc.arousal_symptoms * r.severity[pts]
        a += self.dt * (sc.crowding * self._crowding(pts) + sc.intrusion * self._intrusion(pts))
        r.agitation[pts] = np.clip(a, 0.0, 1.0)
        p = cf.conflict_probability(r.agitation[pts], r.threshold[pts], sc.hazard_per_hour, self.dt)
        hit = self.streams["behaviour"].random(pts.size) < p
        for slot in pts[hit]:
            self.conflict(r.agents[slot])

    def _crowding(self, pts: np.ndarray) -> np.ndarray:
        """People over each patient's room's comfortable number."""
        r = self.roster
        present_rooms = r.room[r.present & (r.room >= 0)]
        counts = np.bincount(present_rooms, minlength=len(self.layout.rooms))
        return np.maximum(0, counts[r.room[pts]] - self.room_comfort[r.room[pts]])

    def _intrusion(self, pts: np.ndarray) -> np.ndarray:
        """Sum of personal-space intrusion into each patient's zone by people near them (Hall, Kinzel).

        Uses the pairs within social distance found by the encounter phase this step.
        """
        r = self.roster
        if self._near is None:
            return np.zeros(pts.size)
        a, b = self._near
        src, other = np.concatenate([a, b]), np.concatenate([b, a])
        keep = (r.role[src] == PATIENT) & (
            r.partner[other] != src
        )  # a visiting relative's closeness is welcome
        src, other = src[keep], other[keep]
        if src.size == 0:
            return np.zeros(pts.size)
        personal = HALL_PERSONAL_M * r.sensitivity[src] * (1.0 + r.agitation[src])
        depth = intrusion(
            r.pos[src], FACING_VEC[r.facing[src]], personal, r.pos[other], self.layout.cell_size_m
        )
        return np.bincount(src, weights=depth, minlength=r.capacity)[pts]

    # ------------------------------------------------------------ construction

    def _init_space(self):
        layout = self.layout
        cell_m2 = layout.cell_size_m**2
        self.room_comfort = np.array(
            [max(1, int(len(room.cells) * cell_m2 / COMFORT_M2_PER_PERSON)) for room in layout.rooms]
        )
        self.seat_holder: dict[tuple[int, int], int] = {}
        self.slot_seat: dict[int, tuple[int, int]] = {}
        self._seats_by_room: dict[int, list] | None = None
        stride = max(1, round(2.0 / layout.cell_size_m))  # standing spots every 2 m
        self.spots: dict[int, list[tuple[int, int]]] = {}
        for room in layout.rooms:
            cells = [c for c in room.cells if c[0] % stride == 0 and c[1] % stride == 0]
            self.spots[room.id] = cells or [room.cells[len(room.cells) // 2]]
        self.beds = sorted(
            (p.cells[0], int(layout.room_of[p.cells[0]]))
            for p in self.arrangement.pieces
            if p.kind == "bed" and layout.zones[p.cells[0]] == Zone.BEDROOM
        )

    def has_zone(self, name: str) -> bool:
        """Whether the layout has a zone of this name (e.g. ``"garden"``)."""
        zone = ZONE_BY_NAME.get(name)
        return zone is not None and bool(self.layout.rooms_of(zone))

    def seats_in(self, room_id: int) -> list:
        """Seats (cell, facing) of a room, as the furniture stands now."""
        if self._seats_by_room is None:
            by_room: dict[int, list] = {}
            for cell, facing, _ in self.arrangement.seats():
                by_room.setdefault(int(self.layout.room_of[cell]), []).append((cell, facing))
            self._seats_by_room = by_room
        return self._seats_by_room.get(room_id, [])

    def furniture_moved(self):
        """Call after moving furniture: seat lists are rebuilt on next use."""
        self._seats_by_room = None
