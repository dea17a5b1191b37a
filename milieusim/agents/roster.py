"""The roster: every person's state as arrays over slots, the one home of that state.

The per-step phases (movement, encounters, agitation) work on these arrays over
everyone present at once; an agent is the thin object that owns a slot and reads
its state through properties. A slot is reused after its person leaves for good.
"""

from __future__ import annotations

import numpy as np


class Roster:
    """Struct of arrays over every person's slot (present or not); grows as people arrive."""

    FIELDS = {
        "pos": (np.int32, (2,), 0),
        "dest": (np.int32, (2,), 0),
        "anchor": (np.int32, (2,), 0),  # seat, spot, bed or point whose walking field leads to dest
        "route": (np.int64, (), 0),  # the anchor's walk (`geometry.walk_index`)
        "walked": (float, (), 0.0),  # metres walked on the ward
        "room": (np.int32, (), -1),
        "present": (bool, (), False),
        "role": (np.int8, (), -1),
        "facing": (np.int8, (), -1),  # seat facing while seated, else -1
        "busy_until": (np.int64, (), 0),
        "agitation": (float, (), 0.0),
        "severity": (float, (), 0.0),
        "sensitivity": (float, (), 1.0),
        "risk_until": (np.int64, (), -1),  # step until which a containment raises the odds of conflict
        "detained": (bool, (), False),  # detained under mental health law
        "level": (np.int8, (), 0),
        "trust": (float, (), 0.0),
        "autonomy": (float, (), 0.0),
        "power": (float, (), 0.0),
        "task": (np.int8, (), -1),  # staff task code (kinds.TASKS), for time use
        "obs_level": (np.int8, (), 0),  # observation level (rules/observation.Level)
        "obs_since": (np.int64, (), -1),  # step the current observation level began
        "obs_until": (np.int64, (), 0),  # step at which it returns to general observation
        "observer": (np.int32, (), -1),  # slot of the member of staff on constant observation
        "sight": (np.int64, (), 0),  # staff: the row of `geometry.isovists` of their cell
        "last_seen": (np.int64, (), -(10**9)),  # step staff last saw the patient
        "last_check": (np.int64, (), -(10**9)),  # step of the last check by staff
        "upset_at": (np.int64, (), -(10**9)),  # step the patient was last upset by an incident they saw
        "last_contact": (np.int64, (), -(10**9)),  # step of the last encounter
        "social": (bool, (), False),  # in an activity that is social in itself
        "grouped": (bool, (), False),  # in a group session or the community meeting
        "protected": (bool, (), False),  # in an activity a timetable block does not interrupt
        "partner": (np.int32, (), -1),  # a relative's patient: their closeness is no intrusion
    }

    def __init__(self, capacity: int = 64):
        self.capacity = 0
        self.agents: list = []
        self._free: list[int] = []
        for name, (dtype, shape, fill) in self.FIELDS.items():
            setattr(self, name, np.full((0, *shape), fill, dtype))
        self._grow(capacity)

    def _grow(self, extra: int):
        for name, (dtype, shape, fill) in self.FIELDS.items():
            old = getattr(self, name)
            setattr(self, name, np.concatenate([old, np.full((extra, *shape), fill, dtype)]))
        self._free += list(range(self.capacity + extra - 1, self.capacity - 1, -1))
        self.agents += [None] * extra
        self.capacity += extra

    def add(self, agent, role: int) -> int:
        """A slot for `agent`, reset to defaults."""
        if not self._free:
            self._grow(self.capacity)
        slot = self._free.pop()
        for name, (_, _, fill) in self.FIELDS.items():
            getattr(self, name)[slot] = fill
        self.role[slot] = role
        self.agents[slot] = agent
        return slot

    def remove(self, slot: int):
        """Free a slot (the person has left for good)."""
        self.present[slot] = False
        self.agents[slot] = None
        self.role[slot] = -1
        self._free.append(slot)
