"""Observation: whom staff see through the building, the checks they walk to, and observation levels.

Every step, a patient within a member of staff's sight lines and sight range is
seen (the building's isovists decide); a patient nobody has seen for a while is
checked on: under general observation every hour, under intermittent observation
every `conflict.check_minutes`, by the nearest member of ward staff free to walk
there; under constant (special) observation a member of staff stays beside the
patient. Levels are set as containment (after self-harm, absconding) or by
policy (a new admission's first days, a very ill patient), end when their time
is up, and are counted once per shift while they last, as shift reports do
(`rules/observation.py`).
"""

from __future__ import annotations

import numpy as np

from milieusim.jit import kernel
from milieusim.kinds import PATIENT, STAFF, WARD_STAFF, Activity
from milieusim.rules import observation as ob
from milieusim.rules.containment import MINUTES

LEVEL_OF_KIND = {"intermittent_observation": ob.Level.INTERMITTENT, "special_observation": ob.Level.CONSTANT}
KIND_OF_LEVEL = {level: kind for kind, level in LEVEL_OF_KIND.items()}
#: Staff activities a check or constant observation may take a member of staff from.
INTERRUPTIBLE = frozenset({Activity.OFFICE, Activity.OBSERVATION, Activity.ONE_TO_ONE, Activity.CHECK})


@kernel
def see(present, role, pos, obs_level, sight, isovists, cols, cell_m, range_m, now, last_seen):
    """Patients staff see now get `last_seen` = `now`: within `range_m` of one and in their isovist.

    `sight[j]` is the row of `isovists` (masks flattened over a plan `cols` cells wide) of staff
    member j's cell. A patient under constant observation is always seen.
    """
    for i in range(present.size):
        if not present[i] or role[i] != PATIENT:
            continue
        seen = obs_level[i] == ob.Level.CONSTANT
        cell = pos[i, 0] * cols + pos[i, 1]
        for j in range(present.size):
            if seen:
                break
            if present[j] and role[j] == STAFF:
                d = np.hypot(float(pos[i, 0] - pos[j, 0]), float(pos[i, 1] - pos[j, 1])) * cell_m
                seen = d <= range_m and isovists[sight[j], cell]
        if seen:
            last_seen[i] = now


@kernel
def due_checks(present, role, obs_level, last_check, now, minutes_per_step, intermittent_minutes):
    """Patients due a check by staff now (general or intermittent observation), in slot order."""
    due = np.empty(present.size, np.int64)
    n = 0
    for k in range(present.size):
        if present[k] and role[k] == PATIENT and obs_level[k] < ob.Level.CONSTANT:
            interval = ob.check_interval_minutes(obs_level[k], intermittent_minutes)
            if (now - last_check[k]) * minutes_per_step >= interval:
                due[n] = k
                n += 1
    return due[:n]


class Observation:
    """Seeing patients, checks, constant observation and observation levels."""

    def __init__(self, model):
        self.model = model
        #: Staff who check on and watch patients (nurses and assistants), in the staffing's order.
        self.ward_staff = [s for s in model.staffing.staff if s.kind in WARD_STAFF]
        #: No observation level ends before this step (a lower bound: `_expire` looks only from it).
        self._next_end = 0

    def step(self):
        """Levels whose time is up end; constant observers stay beside; staff see; checks are walked to."""
        self._expire()
        self._follow()
        self._sight()
        self._checks()

    # ------------------------------------------------------------ seeing

    def _sight(self):
        m = self.model
        r = m.roster
        see(
            r.present,
            r.role,
            r.pos,
            r.obs_level,
            r.sight,
            m.geometry.isovists,
            m.layout.shape[1],
            m.layout.cell_size_m,
            m.params.conflict.sight_range_m,
            m.clock.now,
            r.last_seen,
        )

    def observer(self, p):
        """The member of staff who sees `p` now: the constant observer, else the nearest in sight, or None."""
        m = self.model
        r = m.roster
        if r.obs_level[p.slot] == ob.Level.CONSTANT and r.observer[p.slot] >= 0:
            s = r.agents[r.observer[p.slot]]
            if s is not None and s.present:
                return s
        staff = (r.present & (r.role == STAFF)).nonzero()[0]
        if staff.size == 0:
            return None
        d = np.hypot(*(r.pos[staff] - r.pos[p.slot]).T) * m.layout.cell_size_m
        for k in np.argsort(d, kind="stable"):
            if d[k] > m.params.conflict.sight_range_m:
                break
            if m.geometry.line_of_sight(tuple(r.pos[staff[k]]), tuple(r.pos[p.slot])):
                return r.agents[staff[k]]
        return None

    def minutes_unseen(self, p) -> float:
        """Minutes since staff last saw `p`."""
        m = self.model
        return float(m.clock.now - m.roster.last_seen[p.slot]) * m.clock.dt

    # ------------------------------------------------------------ levels

    def set_level(
        self, p, kind: str, s=None, incident=None, policy: bool = False, minutes: float | None = None
    ):
        """Put `p` on intermittent or special observation (`kind`) for `minutes` (default a day).

        A level already higher is kept; a level already on is renewed. Logged as containment.
        """
        m = self.model
        r = m.roster
        level = LEVEL_OF_KIND[kind]
        ends = m.clock.until(MINUTES[kind] if minutes is None else minutes)
        if r.obs_level[p.slot] > level:
            return
        if r.obs_level[p.slot] != level:
            r.obs_level[p.slot] = level
            r.obs_since[p.slot] = m.steps
            r.observer[p.slot] = -1
        r.obs_until[p.slot] = max(int(r.obs_until[p.slot]), ends)
        self._next_end = min(self._next_end, ends)
        m.recorder.log(kind, p, s, outcome="policy" if policy else "containment", cause=incident)

    def per_shift(self):
        """At a shift's start, every observation level still on counts again (shift reports)."""
        m = self.model
        r = m.roster
        for p in m.flow.patients():
            level = r.obs_level[p.slot]
            if level > ob.Level.GENERAL and r.obs_since[p.slot] != m.steps:
                m.recorder.log(KIND_OF_LEVEL[level], p, outcome="containment")

    def _expire(self):
        m = self.model
        r = m.roster
        now = m.clock.now
        if now < self._next_end:
            return
        on = r.obs_level > ob.Level.GENERAL
        for slot in (on & (r.obs_until <= now)).nonzero()[0]:
            self._release_observer(slot)
            r.obs_level[slot] = ob.Level.GENERAL
            on[slot] = False
        self._next_end = int(r.obs_until[on].min()) if on.any() else 2**62

    def release(self, p):
        """`p` leaves the ward for good: any observer is freed."""
        self._release_observer(p.slot)

    def _release_observer(self, slot: int):
        r = self.model.roster
        s = r.observer[slot]
        if s >= 0 and r.agents[s] is not None and r.agents[s].activity == Activity.CONSTANT:
            r.busy_until[s] = self.model.clock.now  # decides afresh
        r.observer[slot] = -1

    # ------------------------------------------------------------ walking to see

    def _follow(self):
        """Constant observation: a member of ward staff stays beside the patient (found anew if gone)."""
        m = self.model
        r = m.roster
        for slot in (r.present & (r.obs_level == ob.Level.CONSTANT)).nonzero()[0]:
            p = r.agents[slot]
            s = r.agents[r.observer[slot]] if r.observer[slot] >= 0 else None
            if s is None or not s.present or s.activity != Activity.CONSTANT:
                s = self._free_staff(p)
                if s is None:
                    continue
                r.observer[slot] = s.slot
                s.set_task(Activity.CONSTANT)
            m.places.send_next_to(s, p, Activity.CONSTANT, int(r.obs_until[slot]))

    def _checks(self):
        """Patients due a check (general or intermittent) are walked to by the nearest free staff member."""
        m = self.model
        r = m.roster
        now, dt = m.clock.now, m.clock.dt
        due = due_checks(
            r.present, r.role, r.obs_level, r.last_check, now, dt, m.params.conflict.check_minutes
        )
        for slot in due:
            p = r.agents[slot]
            s = self._free_staff(p, checking=True)
            if s is None:
                return  # nobody free this step: the rest wait
            s.set_task(Activity.CHECK)
            m.places.send_next_to(s, p, Activity.CHECK, now + 1)
            r.last_check[slot] = now
            r.last_seen[slot] = now

    def _free_staff(self, p, checking: bool = False):
        """The nearest member of ward staff on duty whose task a check may interrupt (None if none)."""
        m = self.model
        r = m.roster
        now = m.clock.now
        pos, busy, present = r.pos, r.busy_until, r.present
        pr, pc = pos[p.slot].tolist()
        free, dr, dc = [], [], []
        for s in self.ward_staff:
            task = s.activity
            if task not in INTERRUPTIBLE or s.gone or not present[s.slot]:  # `s.present`, inlined
                continue
            if checking and task == Activity.CHECK and busy[s.slot] > now:
                continue  # already on a check this step
            sr, sc = pos[s.slot].tolist()
            free.append(s)
            dr.append(sr - pr)
            dc.append(sc - pc)
        if len(free) < 2:
            return free[0] if free else None
        return free[int(np.hypot(dr, dc).argmin())]  # the first of the nearest
