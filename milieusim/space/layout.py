"""The ward's building: the `Layout` value object (fixed-feature space, furniture variants, points).

A layout is what a planner draws: rooms and walls (fixed-feature space), one
or more furniture variants (semi-fixed-feature space), named points and a few
facts (cell size, beds, setting). It is immutable; a run moves furniture on an
`Arrangement` made from it (see `furniture.py`). Coordinates inside the code
are 0-based ``(row, col)``; everything shown to people is 1-based. Layout files
are read by `layout_file.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from milieusim.space.furniture import FurnitureVariant
from milieusim.space.symbols import SOCIAL_ZONES, Zone

Cell = tuple[int, int]


class LayoutMeta(BaseModel):
    """The ``[layout]`` table of a layout file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="short name, used on the command line")
    description: str = Field("", description="one line shown by `milieusim layout list`")
    cell_size_m: float = Field(0.5, ge=0.1, le=2.0, description="edge of one plan cell, metres")
    beds: int = Field(ge=1, le=500, description="default number of patients (beds or places)")
    setting: Literal["inpatient", "day", "home"] = "inpatient"
    default_furniture: str | None = Field(None, description="furniture variant used by default")


@dataclass(frozen=True)
class Room:
    """A connected area of one zone type, e.g. ``bedroom 3`` or the dayroom.

    Attributes:
        id: index in `Layout.rooms`.
        zone: the zone type.
        number: 1-based among rooms of that zone type, in reading order of the plan.
        cells: the room's cells, in reading order.
        doors: door cells next to the room.
    """

    id: int
    zone: Zone
    number: int
    cells: tuple[Cell, ...]
    doors: tuple[Cell, ...]

    @property
    def name(self) -> str:
        """E.g. ``bedroom 3``."""
        return f"{self.zone.label} {self.number}"


@dataclass(frozen=True, eq=False)
class Layout:
    """A ward plan: fixed-feature space, furniture variants and named points.

    Equality is identity, so a layout can key caches (its geometry is computed once).
    """

    meta: LayoutMeta
    zones: np.ndarray  # int8 Zone codes, shape (rows, cols), read-only
    room_of: np.ndarray  # int32 room id per cell, -1 where no room (walls, doors, outside)
    rooms: tuple[Room, ...]
    points: dict[str, Cell]
    furniture: dict[str, FurnitureVariant]
    source: str = "<memory>"

    @property
    def name(self) -> str:
        """The layout's short name."""
        return self.meta.name

    @property
    def cell_size_m(self) -> float:
        """Edge of one cell, in metres."""
        return self.meta.cell_size_m

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols) of the plan."""
        return self.zones.shape

    @cached_property
    def floor(self) -> np.ndarray:
        """Cells people can stand on: zones and doors (read-only)."""
        floor = self.zones >= Zone.DOOR
        floor.flags.writeable = False
        return floor

    @property
    def default_furniture(self) -> str:
        """Name of the furniture variant used when none is chosen."""
        return self.meta.default_furniture or next(iter(self.furniture))

    def __post_init__(self):
        by_zone: dict[Zone, list[Room]] = {}
        for room in self.rooms:
            by_zone.setdefault(room.zone, []).append(room)
        # asked for at every decision of every agent: kept once per layout
        object.__setattr__(self, "_by_zone", {z: tuple(rs) for z, rs in by_zone.items()})

    def rooms_of(self, *zones: Zone) -> tuple[Room, ...]:
        """The rooms of the given zone types, in plan order."""
        if len(zones) == 1:
            return self._by_zone.get(zones[0], ())
        return tuple(r for r in self.rooms if r.zone in zones)

    @property
    def bedrooms(self) -> tuple[Room, ...]:
        """The numbered bedrooms."""
        return self.rooms_of(Zone.BEDROOM)

    @property
    def social_rooms(self) -> tuple[Room, ...]:
        """Rooms where patients meet: dayroom, dining, therapy, quiet, garden, visitors."""
        return self.rooms_of(*SOCIAL_ZONES)

    def mask(self, *zones: Zone) -> np.ndarray:
        """Boolean mask of the cells of the given zone types."""
        return np.isin(self.zones, [int(z) for z in zones])

    def bedroom_capacity(self, variant: str | None = None) -> dict[int, int]:
        """Beds per bedroom (room id -> number of beds) in a furniture variant."""
        pieces = self.furniture[variant or self.default_furniture].pieces
        counts = {room.id: 0 for room in self.bedrooms}
        for piece in pieces:
            room = int(self.room_of[piece.cells[0]])
            if piece.kind == "bed" and room in counts:
                counts[room] += 1
        return counts
