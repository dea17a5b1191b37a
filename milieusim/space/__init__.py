"""The ward as a building: the three kinds of space of E. T. Hall.

Components:
- `symbols`: the layout language's alphabets (zones, furniture, facings).
- `layout`: the immutable `Layout` (fixed-feature space, furniture variants, points).
- `layout_file`: layout files: built-in names, reading, parsing, validation.
- `furniture`: semi-fixed-feature space: pieces, variants, the movable `Arrangement`,
  seat relations (Sommer) and the sociopetality index.
- `informal`: informal space: personal-space radii and intrusion (Hall, Horowitz).
- `geometry`: walking-distance fields, next hops, isovists, line of sight (cached).
- `analysis`: planner metrics of a layout.
"""

from milieusim.space.furniture import (
    Arrangement,
    FurnitureVariant,
    Piece,
    SeatRelation,
    seat_relation,
)
from milieusim.space.geometry import Geometry, geometry_of
from milieusim.space.layout import Layout, Room
from milieusim.space.layout_file import builtin_layouts, load_layout, parse_layout
from milieusim.space.symbols import Facing, Zone

__all__ = [
    "Arrangement",
    "Facing",
    "FurnitureVariant",
    "Geometry",
    "Layout",
    "Piece",
    "Room",
    "SeatRelation",
    "Zone",
    "builtin_layouts",
    "geometry_of",
    "load_layout",
    "parse_layout",
    "seat_relation",
]
