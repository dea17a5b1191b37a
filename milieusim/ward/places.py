"""Places: where people go on the ward, and how they walk there.

Zones of a type, seats (which are free, who holds which), standing spots every
two metres in each room, the beds, a place beside someone; and the movement
phase, in which everyone whose place is elsewhere walks along the cached
distance field of that place (docs/ODD.md §7.5: agents never search a path per step).

Patients do not enter the staff base, the staff's own room: a patient who asks
staff for something, or goes to someone inside it, stands at its counter, the
floor just outside one of its doors.
"""

from __future__ import annotations

import numpy as np

from milieusim.jit import kernel
from milieusim.kinds import PATIENT, STAFF, Activity
from milieusim.space.geometry import STEPS
from milieusim.space.symbols import SOCIAL_ZONES, ZONE_BY_NAME, Zone

#: Walking speed, m/s (assumption: an unhurried indoor pace).
WALK_SPEED_M_S = 1.0
#: Standing spots lie on a lattice this far apart, m (assumption).
SPOT_SPACING_M = 2.0
#: A person sent to a spot stands within this many cells of it in each direction (a metre at 0.5 m).
SPOT_JITTER_CELLS = 2
#: Where to stand by someone: two cells (1 m at 0.5 m cells) off first, then adjacent.
NEAR_OFFSETS = (
    (0, 2),
    (2, 0),
    (0, -2),
    (-2, 0),
    (2, 2),
    (-2, -2),
    (2, -2),
    (-2, 2),
    (0, 1),
    (1, 0),
    (0, -1),
    (-1, 0),
    (1, 1),
    (-1, -1),
    (1, -1),
    (-1, 1),
)


#: Rooms patients do not enter; their business there is done at the counter, outside a door.
STAFF_ONLY_ZONES = frozenset({Zone.STAFF_BASE})
#: Rooms a counter does not open onto: a patient does not wait in a staff office either.
NOT_COUNTER_ZONES = STAFF_ONLY_ZONES | {Zone.OFFICE}


def counter_cells(layout) -> list[tuple[int, int]]:
    """Floor just outside the doors of the staff-only rooms (not in an office), in plan order."""
    cells = set()
    for room in layout.rooms:
        if room.zone not in STAFF_ONLY_ZONES:
            continue
        for door in room.doors:
            for dr, dc in STEPS[:4]:
                c = (door[0] + dr, door[1] + dc)
                inside = 0 <= c[0] < layout.shape[0] and 0 <= c[1] < layout.shape[1]
                if inside and layout.room_of[c] >= 0 and Zone(int(layout.zones[c])) not in NOT_COUNTER_ZONES:
                    cells.add(c)
    return sorted(cells)


STEP_ARRAY = np.array(STEPS, np.int64)


@kernel
def walk(present, pos, dest, route, fields, hops, steps, max_walk_m, walked, room_of, room):
    """Everyone present whose place is elsewhere walks up to `max_walk_m` along their route (in place).

    A route is a row of `fields` (metres to the anchor, flattened) and of `hops` (next hops, indices
    into `steps`); a person within reach of their place steps onto it. Returns the slots that moved.
    """
    cols = room_of.shape[1]
    moved = np.empty(present.size, np.int64)
    n = 0
    for slot in range(present.size):
        if not present[slot] or (pos[slot, 0] == dest[slot, 0] and pos[slot, 1] == dest[slot, 1]):
            continue
        field, hop = fields[route[slot]], hops[route[slot]]
        r, c = pos[slot, 0], pos[slot, 1]
        dist = field[r * cols + c]
        if dist <= max_walk_m:
            r, c = dest[slot, 0], dest[slot, 1]
            walked[slot] += dist
        else:
            cell = r * cols + c
            while hop[cell] >= 0 and dist - field[cell] < max_walk_m:
                r, c = r + steps[hop[cell], 0], c + steps[hop[cell], 1]
                cell = r * cols + c
            walked[slot] += dist - field[cell]
        pos[slot, 0], pos[slot, 1] = r, c
        room[slot] = room_of[r, c]
        moved[n] = slot
        n += 1
    return moved[:n]


class Places:
    """The ward's places as the model uses them: zones, seats, spots, beds; and walking."""

    def __init__(self, model):
        self.model = model
        layout = self.layout = model.layout
        self.arrangement = model.arrangement
        self.geometry = model.geometry
        self.max_walk_m = WALK_SPEED_M_S * 60 * model.clock.dt
        self.n_rooms = len(layout.rooms)
        self.zone_of_room = np.array([int(room.zone) for room in layout.rooms], dtype=np.int64)
        self._seat_holder: dict[tuple[int, int], int] = {}
        self._slot_seat: dict[int, tuple[int, int]] = {}
        self._seats_by_room: dict[int, list] | None = None
        self._zone_rooms: dict[tuple[str, bool], tuple[int, ...]] = {}
        stride = max(1, round(SPOT_SPACING_M / layout.cell_size_m))
        self.spots: dict[int, list[tuple[int, int]]] = {}
        for room in layout.rooms:
            cells = [c for c in room.cells if c[0] % stride == 0 and c[1] % stride == 0]
            self.spots[room.id] = cells or [room.cells[len(room.cells) // 2]]
        #: Where patients stand to speak to staff in the staff base (`counter_cells`).
        self.counters = counter_cells(layout)
        #: (cell, bedroom id) of every bed drawn in a bedroom, in plan order.
        self.beds = sorted(
            (p.cells[0], int(layout.room_of[p.cells[0]]))
            for p in self.arrangement.pieces
            if p.kind == "bed" and layout.zones[p.cells[0]] == Zone.BEDROOM
        )

    # ------------------------------------------------------------ zones and seats

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

    def seat_of(self, slot: int) -> tuple[int, int] | None:
        """The seat `slot` holds, if any."""
        return self._slot_seat.get(slot)

    def holder_of(self, cell: tuple[int, int]) -> int | None:
        """The slot holding the seat at `cell`, if any."""
        return self._seat_holder.get(cell)

    def take_seat(self, slot: int, cell: tuple[int, int]):
        """`slot` holds the seat at `cell` (giving up any other)."""
        self.release_seat(slot)
        self._seat_holder[cell] = slot
        self._slot_seat[slot] = cell

    def release_seat(self, slot: int):
        """Give up the seat `slot` holds, if any."""
        cell = self._slot_seat.pop(slot, None)
        if cell is not None:
            self._seat_holder.pop(cell, None)

    def held_seats(self) -> dict[int, tuple[int, int]]:
        """Every held seat, by slot (a copy)."""
        return dict(self._slot_seat)

    def zone_with_free_seat(self, zones: tuple[str, ...]) -> str:
        """The first of `zones` present on the ward with a free seat (else the first present)."""
        present = [z for z in zones if self.has_zone(z)] or ["dayroom"]
        for name in present:
            for room in self.layout.rooms_of(ZONE_BY_NAME[name]):
                if any(cell not in self._seat_holder for cell, _ in self.seats_in(room.id)):
                    return name
        return present[0]

    def busiest_social_zone(self) -> str:
        """The social zone with most patients now (dayroom when none)."""
        r = self.model.roster
        rooms = r.room[r.present & (r.role == PATIENT) & (r.room >= 0)]
        per_zone = np.bincount(self.zone_of_room[rooms], minlength=len(Zone) + 2)
        best, most = "dayroom", 0
        for zone in SOCIAL_ZONES:
            n = int(per_zone[zone])
            if n > most:
                best, most = zone.name.lower(), n
        return best

    # ------------------------------------------------------------ sending people

    def send_to_zone(self, person, zone_name: str, activity: Activity, until: int, sit: bool):
        """Send `person` to a room of a zone type for `activity`: a free seat if `sit`, else a spot."""
        layout = self.layout
        slot = person.slot
        rng = self.model.streams["behaviour"]
        patient = person.role == PATIENT
        if patient and ZONE_BY_NAME[zone_name] in STAFF_ONLY_ZONES and self.counters:
            self.release_seat(slot)
            person.go(self.counters[int(rng.integers(0, len(self.counters)))], activity, until)
            return
        rooms = self._rooms_for(zone_name, patient)
        here = int(self.model.roster.room[slot])
        room = here if here in rooms else rooms[int(rng.integers(0, len(rooms)))]
        self.release_seat(slot)
        if sit:
            holder = self._seat_holder
            free = [(cell, f) for cell, f in self.seats_in(room) if cell not in holder]
            if free:
                cell, facing = free[int(rng.integers(0, len(free)))]
                self.take_seat(slot, cell)
                person.go(cell, activity, until, int(facing))
                return
        spots = self.spots[room]
        spot = spots[int(rng.integers(0, len(spots)))]
        # stand somewhere around the spot, walking by the spot's cached field
        # two scalar draws: the same numbers as one draw of two (`size=2`), at a third of the cost
        dr = int(rng.integers(-SPOT_JITTER_CELLS, SPOT_JITTER_CELLS + 1))
        dc = int(rng.integers(-SPOT_JITTER_CELLS, SPOT_JITTER_CELLS + 1))
        cell = (spot[0] + dr, spot[1] + dc)
        rows, cols = layout.shape
        if not (0 <= cell[0] < rows and 0 <= cell[1] < cols) or layout.room_of[cell] != room:
            cell = spot
        person.go(cell, activity, until, anchor=spot)

    def _rooms_for(self, zone_name: str, patient: bool) -> tuple[int, ...]:
        """The ids of the rooms `send_to_zone` chooses from, in plan order (kept per zone and role).

        The zone's rooms, else the dayrooms, else the corridors; a patient sent to a staff-only
        room (and no counter) goes to the corridor instead.
        """
        key = (zone_name, patient)
        rooms = self._zone_rooms.get(key)
        if rooms is None:
            layout = self.layout
            zone = ZONE_BY_NAME[zone_name]
            if patient and zone in STAFF_ONLY_ZONES:
                zone = Zone.CORRIDOR
            found = layout.rooms_of(zone) or layout.rooms_of(Zone.DAYROOM) or layout.rooms_of(Zone.CORRIDOR)
            rooms = self._zone_rooms[key] = tuple(rm.id for rm in found)
        return rooms

    def send_next_to(self, person, other, activity: Activity, until: int):
        """Send `person` to stand by `other` (one-to-one time, a visit, a response)."""
        layout = self.layout
        r = self.model.roster
        self.release_seat(person.slot)
        target = tuple(r.dest[other.slot].tolist())
        anchor = tuple(r.anchor[other.slot].tolist())
        cell = target
        if person.role == PATIENT and self.counters and self._staff_only(target):
            # by someone inside the staff base: at its counter nearest them
            cell = min(self.counters, key=lambda c: (c[0] - target[0]) ** 2 + (c[1] - target[1]) ** 2)
            person.go(cell, activity, until)
            return
        for dr, dc in NEAR_OFFSETS:  # about a metre away first: Hall's personal distance, far phase
            c = (target[0] + dr, target[1] + dc)
            if (
                0 <= c[0] < layout.shape[0]
                and 0 <= c[1] < layout.shape[1]
                and layout.floor[c]
                and layout.room_of[c] == layout.room_of[target]
            ):
                cell = c
                break
        person.go(cell, activity, until, anchor=anchor)

    def _staff_only(self, cell: tuple[int, int]) -> bool:
        return Zone(int(self.layout.zones[cell])) in STAFF_ONLY_ZONES

    # ------------------------------------------------------------ the movement phase

    def move(self):
        """Everyone whose place is elsewhere walks along the cached walk to their anchor place (`walk`)."""
        r = self.model.roster
        geometry = self.geometry
        moved = walk(
            r.present,
            r.pos,
            r.dest,
            r.route,
            geometry.route_fields,
            geometry.route_hops,
            STEP_ARRAY,
            self.max_walk_m,
            r.walked,
            self.layout.room_of,
            r.room,
        )
        for slot in moved[r.role[moved] == STAFF].tolist():  # staff see from where they now stand
            r.sight[slot] = geometry.isovist_row(r.pos[slot].tolist())
