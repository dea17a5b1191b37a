"""The symbols of the layout language: zones, structure and furniture.

A layout file draws a ward as two plans of equal size, one character per cell.
The `rooms` plan holds the fixed-feature space (walls, doors and a letter per
zone type); the `furniture` plan holds the semi-fixed-feature space (chairs,
sofas, tables, beds, a TV...). This module is the single table of both
alphabets; the parser, the drawing and the documentation read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Zone(IntEnum):
    """What a cell of floor is used for (fixed-feature space).

    The integer values are the codes stored in the layout's zone array; 0 and
    negatives are not floor.
    """

    OUTSIDE = -2
    WALL = -1
    DOOR = 0
    CORRIDOR = 1
    BEDROOM = 2
    BATHROOM = 3
    DAYROOM = 4
    DINING = 5
    THERAPY = 6
    QUIET = 7
    GARDEN = 8
    STAFF_BASE = 9
    VISITORS = 10
    OFFICE = 11
    ENTRANCE = 12
    EXTRA_CARE = 13

    @property
    def label(self) -> str:
        """Plain name for legends and messages."""
        return ZONE_LABELS[self]

    @property
    def is_floor(self) -> bool:
        """Whether people can stand on it (zones and doors)."""
        return self >= Zone.DOOR


ZONE_SYMBOLS: dict[str, Zone] = {
    "~": Zone.OUTSIDE,
    "#": Zone.WALL,
    "+": Zone.DOOR,
    ".": Zone.CORRIDOR,
    "b": Zone.BEDROOM,
    "w": Zone.BATHROOM,
    "d": Zone.DAYROOM,
    "m": Zone.DINING,
    "t": Zone.THERAPY,
    "q": Zone.QUIET,
    "g": Zone.GARDEN,
    "s": Zone.STAFF_BASE,
    "v": Zone.VISITORS,
    "o": Zone.OFFICE,
    "e": Zone.ENTRANCE,
    "x": Zone.EXTRA_CARE,
}
SYMBOL_OF_ZONE: dict[Zone, str] = {zone: sym for sym, zone in ZONE_SYMBOLS.items()}

ZONE_LABELS: dict[Zone, str] = {
    Zone.OUTSIDE: "outside",
    Zone.WALL: "wall",
    Zone.DOOR: "door",
    Zone.CORRIDOR: "corridor",
    Zone.BEDROOM: "bedroom",
    Zone.BATHROOM: "bathroom",
    Zone.DAYROOM: "dayroom",
    Zone.DINING: "dining room",
    Zone.THERAPY: "therapy/activity room",
    Zone.QUIET: "quiet room",
    Zone.GARDEN: "garden",
    Zone.STAFF_BASE: "staff base",
    Zone.VISITORS: "visitors' room",
    Zone.OFFICE: "office",
    Zone.ENTRANCE: "entrance",
    Zone.EXTRA_CARE: "extra-care room",
}

#: Zones by their lower-case name, as scenario files and the timetable name them (``"dayroom"``).
ZONE_BY_NAME: dict[str, Zone] = {z.name.lower(): z for z in Zone}
#: Zones where patients meet each other: the "social spaces" of the planner metrics.
SOCIAL_ZONES: frozenset[Zone] = frozenset(
    {Zone.DAYROOM, Zone.DINING, Zone.THERAPY, Zone.QUIET, Zone.GARDEN, Zone.VISITORS}
)
#: Zones that are outdoors: counted apart from the indoor floor area.
OUTDOOR_ZONES: frozenset[Zone] = frozenset({Zone.GARDEN})


class Facing(IntEnum):
    """Which way a piece of furniture faces, as a compass point on the plan (north is up)."""

    NORTH = 0
    EAST = 1
    SOUTH = 2
    WEST = 3

    @property
    def vector(self) -> tuple[int, int]:
        """Unit step (d_row, d_col) in the facing direction."""
        return ((-1, 0), (0, 1), (1, 0), (0, -1))[self]

    @classmethod
    def from_vector(cls, d_row: int, d_col: int) -> Facing:
        """The facing of a unit step (d_row, d_col)."""
        return cls(((-1, 0), (0, 1), (1, 0), (0, -1)).index((d_row, d_col)))


@dataclass(frozen=True)
class FurnitureKind:
    """A kind of semi-fixed feature: what it affords and whether it faces a way."""

    name: str
    affords: frozenset[str]
    faces: bool
    seat: bool


FURNITURE_KINDS: dict[str, FurnitureKind] = {
    kind.name: kind
    for kind in (
        FurnitureKind("chair", frozenset({"sit", "talk", "watch"}), faces=True, seat=True),
        FurnitureKind("sofa", frozenset({"sit", "talk", "watch"}), faces=True, seat=True),
        FurnitureKind("table", frozenset({"eat", "talk", "work"}), faces=False, seat=False),
        FurnitureKind("bed", frozenset({"sleep", "sit"}), faces=False, seat=False),
        FurnitureKind("tv", frozenset({"watch"}), faces=True, seat=False),
        FurnitureKind("desk", frozenset({"work"}), faces=False, seat=False),
    )
}

#: Furniture symbols: kind and, for arrows, an explicit facing (None: inferred).
FURNITURE_SYMBOLS: dict[str, tuple[str, Facing | None]] = {
    "C": ("chair", None),
    "^": ("chair", Facing.NORTH),
    ">": ("chair", Facing.EAST),
    "v": ("chair", Facing.SOUTH),
    "<": ("chair", Facing.WEST),
    "S": ("sofa", None),
    "T": ("table", None),
    "B": ("bed", None),
    "V": ("tv", None),
    "D": ("desk", None),
}
#: Characters of the furniture plan that mean "no furniture here". Structural
#: characters may be copied from the rooms plan for legibility, but must match it.
FURNITURE_BLANK = "."
FURNITURE_ECHO = frozenset("#+~")
