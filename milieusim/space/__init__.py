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

from milieusim.lazy import lazy_exports

__getattr__ = lazy_exports(
    __name__,
    {
        **dict.fromkeys(("Arrangement", "FurnitureVariant", "Piece"), "milieusim.space.furniture"),
        **dict.fromkeys(("Geometry", "geometry_of"), "milieusim.space.geometry"),
        **dict.fromkeys(("Layout", "Room"), "milieusim.space.layout"),
        **dict.fromkeys(("builtin_layouts", "layout_ref", "load_layout"), "milieusim.space.layout_file"),
        "parse_layout": "milieusim.space.layout_parser",
        **dict.fromkeys(("SeatRelation", "seat_relation"), "milieusim.space.seating"),
        **dict.fromkeys(("Facing", "Zone"), "milieusim.space.symbols"),
    },
)

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
