"""The ward as a building: the three kinds of space of E. T. Hall.

Components:
- `symbols`: the layout language's alphabets (zones, furniture, facings).
- `layout`: the immutable `Layout` (fixed-feature space, furniture variants, points).
- `layout_file`: layout references (a file next to whoever names it, else a built-in name),
  the built-in layouts, loading and a per-process cache.
- `layout_parser`: parsing and validating a layout file's text.
- `furniture`: semi-fixed-feature space: pieces, variants and the movable `Arrangement`.
- `furniture_plan`: reading a furniture plan, cell by cell.
- `seating`: how seats stand to each other (Sommer) and the sociopetality index.
- `rearrange`: moving chairs as people do on wards.
- `ward_check`: whether a scenario's ward (furniture, beds) fits a layout.
- `informal`: informal space: personal-space radii and intrusion (Hall, Horowitz).
- `geometry`: walking-distance fields, next hops, isovists, line of sight (cached).
- `analysis`: planner metrics of a layout.
"""

from milieusim.space.furniture import Arrangement, FurnitureVariant, Piece
from milieusim.space.geometry import Geometry, geometry_of
from milieusim.space.layout import Layout, Room
from milieusim.space.layout_file import builtin_layouts, layout_ref, load_layout
from milieusim.space.layout_parser import parse_layout
from milieusim.space.seating import SeatRelation, seat_relation
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
    "layout_ref",
    "load_layout",
    "parse_layout",
    "seat_relation",
]
