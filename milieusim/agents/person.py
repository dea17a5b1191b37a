"""What patients, staff and relatives share: a place on the ward, an activity, and a slot in the roster.

The per-step phases of the model (movement, encounters, agitation) work on
arrays over everyone present at once (`Roster`); an agent is the thin object
that owns a slot in those arrays and makes the decisions.
"""

from __future__ import annotations

import numpy as np
from mesa.discrete_space import CellAgent

PATIENT, STAFF, RELATIVE = 0, 1, 2
#: Activities social in themselves (else engagement needs an encounter); group sessions.
SOCIAL_ACTIVITIES = frozenset({"group", "meeting", "visit"})
GROUP_ACTIVITIES = frozenset({"group", "meeting"})
#: Activities a new timetable block does not interrupt: containment, visits, responses, handovers.
PROTECTED_ACTIVITIES = frozenset(
    {"seclusion", "restraint", "visit", "family", "outreach", "response", "handover"}
)


class Roster:
    """Struct of arrays over every person's slot (present or not); grows as people arrive."""

    FIELDS = {
        "pos": (np.int32, (2,), 0),
        "dest": (np.int32, (2,), 0),
        "anchor": (np.int32, (2,), 0),  # seat, spot, bed or point whose walking field leads to dest
        "room": (np.int32, (), -1),
        "present": (bool, (), False),
        "role": (np.int8, (), -1),
        "facing": (np.int8, (), -1),  # seat facing while seated, else -1
        "busy_until": (np.int64, (), 0),
        "agitation": (float, (), 0.0),
        "severity": (float, (), 0.0),
        "sensitivity": (float, (), 1.0),
        "threshold": (float, (), 1.0),
        "sociability": (float, (), 0.5),
        "level": (np.int8, (), 0),
        "power": (float, (), 0.0),
        "task": (np.int8, (), -1),  # staff task code, for time use
        "observed": (bool, (), False),  # under special observation: staff see everything
        "observed_until": (np.int64, (), 0),  # step at which special observation ends
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


class Person(CellAgent):
    """Someone on the ward: a slot in the roster, a cell when present, an activity."""

    role: int = -1

    def __init__(self, model):
        super().__init__(model)
        self.slot = model.roster.add(self, self.role)
        self.activity = "away"
        self.walked_m = 0.0
        self.gone = False  # removed for good (discharged, or a discharged patient's relative)

    # -- state in the roster

    @property
    def present(self) -> bool:
        """Whether the person is on the ward now."""
        return not self.gone and bool(self.model.roster.present[self.slot])

    @property
    def here(self) -> tuple[int, int]:
        """Current cell (row, col)."""
        p = self.model.roster.pos[self.slot]
        return int(p[0]), int(p[1])

    @property
    def agitation(self) -> float:
        """Arousal that may tip into conflict, 0..1."""
        return float(self.model.roster.agitation[self.slot])

    @agitation.setter
    def agitation(self, value: float):
        self.model.roster.agitation[self.slot] = min(1.0, max(0.0, value))

    # -- place

    def arrive(self, cell: tuple[int, int]):
        """Enter the ward at `cell`."""
        r = self.model.roster
        r.present[self.slot] = True
        self._put(cell)
        r.dest[self.slot] = cell
        r.anchor[self.slot] = cell
        r.busy_until[self.slot] = self.model.now

    def leave(self):
        """Leave the ward (off shift, home, discharged)."""
        r = self.model.roster
        r.present[self.slot] = False
        r.room[self.slot] = -1
        r.facing[self.slot] = -1
        r.social[self.slot] = r.grouped[self.slot] = r.protected[self.slot] = False
        self.model.release_seat(self.slot)
        if self.cell is not None:
            self.cell = None
        self.activity = "away"

    def _put(self, cell: tuple[int, int]):
        r = self.model.roster
        r.pos[self.slot] = cell
        r.room[self.slot] = self.model.layout.room_of[cell]
        self.cell = self.model.grid[cell]

    def go(
        self,
        dest: tuple[int, int],
        activity: str,
        until: int,
        facing: int = -1,
        anchor: tuple[int, int] | None = None,
    ):
        """Head for `dest` to do `activity` until step `until`; sit facing `facing` there if >= 0.

        `anchor`: a place next to `dest` with a cached walking field (a seat, spot, bed or
        point), when `dest` itself is not one (standing beside someone).
        """
        r = self.model.roster
        if facing < 0 or self.model.slot_seat.get(self.slot) != tuple(dest):
            self.model.release_seat(self.slot)  # a seat is held only while going to sit in it
        r.dest[self.slot] = dest
        r.anchor[self.slot] = dest if anchor is None else anchor
        r.busy_until[self.slot] = until
        r.facing[self.slot] = facing
        r.social[self.slot] = activity in SOCIAL_ACTIVITIES
        r.grouped[self.slot] = activity in GROUP_ACTIVITIES
        r.protected[self.slot] = activity in PROTECTED_ACTIVITIES
        self.activity = activity

    def remove(self):
        """Leave for good and give up the roster slot."""
        if self.present:
            self.leave()
        self.model.roster.remove(self.slot)
        self.gone = True
        super().remove()
