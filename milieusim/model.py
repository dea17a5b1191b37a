"""MilieuModel: builds the ward's components and runs the ordered phases of a step (docs/ODD.md §3).

A step is `step_minutes` of ward time and runs, in this order:

1. clock: day boundaries, timetable blocks (a new block interrupts everyone),
   shift changes, the daily review, discharges, admissions, the meeting (`routine`);
2. decide: only people whose activity has ended decide (event-driven);
3. move: along cached distance fields, one lookup per person (`places`);
4. encounter: pairs in the same room, vectorised over positions (`encounters`);
5. observation: whom staff see, checks walked to, constant observation (`observation`);
6. conflict: arousal, flashpoints, conflict, staff response and containment (`conflict`,
   `containment`);
7. record: presence and time use (`recorder`).

The components, each one concept (milieusim/ward/): `clock`, `places`, `flow`,
`staffing`, `routine` (the day's fixed events), `encounters`, `observation`,
`conflict`, `containment`; every
person's state lives in the `roster`. Timed one-off events (a relative's visit
and its end, the end of special observation, an outreach visit's end) go through
Mesa's `schedule_event`; activities end at a step held in the roster
(`busy_until`). Randomness comes only from the model's seed: Mesa's
`model.rng`/`model.random` and named streams derived from the same seed.
"""

from __future__ import annotations

import mesa
import numpy as np

from milieusim.agents.roster import Roster
from milieusim.kinds import Setting
from milieusim.params import Scenario, mid_run_problem
from milieusim.recording import Recorder
from milieusim.rng import named_streams
from milieusim.rules.schedule import Timetable
from milieusim.space.furniture import Arrangement
from milieusim.space.geometry import geometry_of
from milieusim.space.layout_file import cached_layout
from milieusim.space.ward_check import check_ward
from milieusim.ward import (
    Clock,
    Conflict,
    Containment,
    DayRoutine,
    Encounters,
    Flow,
    Observation,
    Places,
    Staffing,
)


class MilieuModel(mesa.Model):
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
        self.setting = Setting(self.layout.meta.setting)
        self.geometry = geometry_of(self.layout)
        self.arrangement = Arrangement(self.layout, check_ward(self.layout, sc.ward))
        self.clock = Clock(self, Timetable(sc.time.timetable), sc.time.step_minutes)
        self.roster = Roster()
        self.places = Places(self)
        self.staffing = Staffing(self)
        self.recorder = Recorder(self)
        self.flow = Flow(self)
        self.routine = DayRoutine(self)
        self.encounters = Encounters(self)
        self.observation = Observation(self)
        self.conflict = Conflict(self)
        self.containment = Containment(self)
        self._day_closed = False
        self.flow.fill()

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
        self.places.move()
        self.encounters.step()
        self.observation.step()
        self.conflict.step()
        self.recorder.per_step()

    def run(self, days: int | None = None, progress=None):
        """Run for `days` (default: the scenario's), calling `progress(day)` at each midnight."""
        days = self.params.time.days if days is None else days
        for _ in range(days * self.clock.steps_per_day):
            self.step()
            if progress is not None and self.clock.minute == 0:
                progress(self.clock.day)
        self.routine.end_day()  # the last day ends with the run; a later run() continues from the next
        self._day_closed = True
        return self

    def change(self, changes: dict) -> None:
        """Change parameters part-way through the run, e.g. ``{"culture.respect": 0.8}``.

        The scenario's timeline does this at the start of its days; the live ward's sliders
        too. Only what a running ward can change may change (`params.mid_run_problem`).

        Raises:
            ValueError: a key that cannot change part-way, or an invalid value.
        """
        for key in changes:
            if problem := mid_run_problem(key):
                raise ValueError(problem)
        self.params = self.params.with_changes(changes)

    def _clock(self):
        """Phase 1: a new day, a new timetable block, and the day's fixed events."""
        clock = self.clock
        clock.tick()
        minute = clock.minute
        if minute == 0 and clock.now > 0:
            if not self._day_closed:
                self.routine.end_day()
            self._day_closed = False
            clock.day += 1
        if minute == 0:
            self.routine.start_day()
        ended = clock.block
        if clock.enter_block(minute):
            self.routine.new_block(ended)
        self.routine.at_minute(minute)

    def _decide(self):
        """Phase 2: people whose activity has ended (or was interrupted) decide what to do next."""
        r = self.roster
        agents, present = r.agents, r.present
        for slot in (present & (r.busy_until <= self.clock.now)).nonzero()[0].tolist():
            agent = agents[slot]
            if agent is not None and present[slot]:
                agent.decide()
