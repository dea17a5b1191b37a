"""What patients, staff and relatives share: a slot in the roster, a place on the ward, an activity.

A person's state lives in the model's roster (`agents/roster.py`); the
properties here read and write it, so there is one home for each fact.
"""

from __future__ import annotations

import mesa
import numpy as np

from milieusim.kinds import GROUP_ACTIVITIES, PROTECTED_ACTIVITIES, SOCIAL_ACTIVITIES, Activity, Role


def roster_field(name: str, doc: str, kind: type = float) -> property:
    """A property reading and writing this person's entry of the roster array `name`."""

    def get(self):
        return kind(getattr(self.model.roster, name)[self.slot])

    def put(self, value):
        getattr(self.model.roster, name)[self.slot] = value

    return property(get, put, doc=doc)


class Person(mesa.Agent):
    """Someone on the ward: a slot in the roster, a cell when present, an activity."""

    role: Role

    def __init__(self, model):
        super().__init__(model)
        self.slot = model.roster.add(self, self.role)
        self.activity = Activity.AWAY
        self.gone = False  # removed for good (discharged, or a discharged patient's relative)

    # -- state in the roster

    # numpy floats: a day's walking summed over staff (`recording`) adds plainly, as numpy floats do
    # (Python's sum() of Python floats compensates, which would change the last digits)
    walked_m = roster_field("walked", "Metres walked on the ward.", np.float64)

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
        self.put(cell)
        r.dest[self.slot] = cell
        r.anchor[self.slot] = cell
        r.route[self.slot] = self.model.geometry.walk_index(cell)
        r.busy_until[self.slot] = self.model.clock.now
        r.last_seen[self.slot] = r.last_check[self.slot] = self.model.clock.now  # seen coming in

    def leave(self):
        """Leave the ward (off shift, home, discharged)."""
        r = self.model.roster
        r.present[self.slot] = False
        r.room[self.slot] = -1
        r.facing[self.slot] = -1
        r.social[self.slot] = r.grouped[self.slot] = r.protected[self.slot] = False
        self.model.places.release_seat(self.slot)
        self.activity = Activity.AWAY

    def put(self, cell: tuple[int, int]):
        """Stand at `cell` now."""
        r = self.model.roster
        r.pos[self.slot] = cell
        r.room[self.slot] = self.model.layout.room_of[cell]

    def go(
        self,
        dest: tuple[int, int],
        activity: Activity,
        until: int,
        facing: int = -1,
        anchor: tuple[int, int] | None = None,
    ):
        """Head for `dest` to do `activity` until step `until`; sit facing `facing` there if >= 0.

        `anchor`: a place next to `dest` with a cached walking field (a seat, spot, bed or
        point), when `dest` itself is not one (standing beside someone).
        """
        m, slot = self.model, self.slot
        r, places = m.roster, m.places
        if facing < 0 or places.seat_of(slot) != tuple(dest):
            places.release_seat(slot)  # a seat is held only while going to sit in it
        r.dest[slot] = dest
        r.anchor[slot] = anchor = dest if anchor is None else anchor
        r.route[slot] = m.geometry.walk_index(anchor)
        r.busy_until[slot] = until
        r.facing[slot] = facing
        r.social[slot] = activity in SOCIAL_ACTIVITIES
        r.grouped[slot] = activity in GROUP_ACTIVITIES
        r.protected[slot] = activity in PROTECTED_ACTIVITIES
        self.activity = activity

    def remove(self):
        """Leave for good and give up the roster slot."""
        if self.present:
            self.leave()
        self.model.roster.remove(self.slot)
        self.gone = True
        super().remove()
