"""Semi-fixed-feature space: furniture that occupies cells, faces a way and can be moved.

Chairs, sofas, tables, beds, a TV, desks. Each piece affords activities (sit,
talk, watch, eat, sleep, work). A layout holds furniture *variants* as
immutable `FurnitureVariant`s; a run works on an `Arrangement`, whose one
operation `move` shifts a piece during the run, as staff re-lining chairs
along the walls or a patient pulling a chair into a group do on real wards.
How seats stand to each other is `seating.py`; reading a furniture plan is
`furniture_plan.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from milieusim.space.symbols import FURNITURE_KINDS, Facing, Zone

Cell = tuple[int, int]
BED_ZONES = (Zone.BEDROOM, Zone.EXTRA_CARE)


@dataclass(frozen=True)
class Piece:
    """One piece of furniture: a chair, a three-seat sofa, a table of several cells.

    Attributes:
        id: index in its variant.
        kind: a key of `FURNITURE_KINDS`.
        cells: the cells it occupies.
        facing: which way it faces, for kinds that face (seats, TV); else None.
    """

    id: int
    kind: str
    cells: tuple[Cell, ...]
    facing: Facing | None = None

    @property
    def affords(self) -> frozenset[str]:
        """Activities this piece affords."""
        return FURNITURE_KINDS[self.kind].affords

    @property
    def is_seat(self) -> bool:
        """Whether each of its cells is a place to sit."""
        return FURNITURE_KINDS[self.kind].seat


@dataclass(frozen=True)
class FurnitureVariant:
    """A named furniture plan of a layout, e.g. ``sociopetal`` or ``sociofugal``."""

    name: str
    description: str
    pieces: tuple[Piece, ...]


def furniture_variant(layout, variant: str | None = None, style: str | None = None) -> str:
    """The variant a run uses: `variant`; else the one named `style` if the layout has it; else the default.

    Raises:
        ValueError: `variant` is not one of the layout's, naming those it has.
    """
    if variant is None and style in layout.furniture:
        variant = style
    variant = variant or layout.default_furniture
    if variant not in layout.furniture:
        raise ValueError(
            f"layout {layout.name!r} has no furniture variant {variant!r}; "
            f"variants: {', '.join(layout.furniture)} (set ward.furniture to one of them)"
        )
    return variant


class Arrangement:
    """The furniture of a ward during a run: a variant's pieces, movable one at a time.

    Holds `piece_at`, an int32 array (-1 where empty), which the model reads
    to find seats, and keeps it consistent with `pieces` on every move.
    Geometry of the fixed-feature space does not change when furniture moves:
    walking distances are computed on walls and doors only, and fields towards
    a seat are looked up by the seat's cell (see `geometry.py`).
    """

    def __init__(self, layout, variant: str | None = None, style: str | None = None):
        self.layout = layout
        self.variant = furniture_variant(layout, variant, style)
        self.pieces: list[Piece] = list(layout.furniture[self.variant].pieces)
        self.piece_at = np.full(layout.shape, -1, np.int32)
        for piece in self.pieces:
            self._mark(piece, piece.id)
        self.moves = 0

    def _mark(self, piece: Piece, value: int):
        rows, cols = zip(*piece.cells, strict=True)
        self.piece_at[list(rows), list(cols)] = value

    def seats(self) -> list[tuple[Cell, Facing, int]]:
        """Every seat cell with its facing and piece id, in reading order."""
        out = []
        for piece in self.pieces:
            if piece.is_seat:
                out += [(cell, piece.facing, piece.id) for cell in piece.cells]
        return sorted(out)

    def can_place(self, piece_id: int, cells: tuple[Cell, ...]) -> str | None:
        """Why `piece_id` cannot occupy `cells`, or None when it can."""
        zones = self.layout.zones
        rooms = {int(self.layout.room_of[c]) for c in cells if self._on_plan(c)}
        for cell in cells:
            if not self._on_plan(cell):
                return f"cell {cell} is off the plan"
            zone = Zone(int(zones[cell]))
            if zone in (Zone.WALL, Zone.DOOR, Zone.OUTSIDE):
                return f"cell {cell} is a {zone.label}"
            other = int(self.piece_at[cell])
            if other not in (-1, piece_id):
                return f"cell {cell} holds piece {other} ({self.pieces[other].kind})"
        if len(rooms) != 1:
            return "a piece must stand within one room"
        if self.pieces[piece_id].kind == "bed" and zones[cells[0]] not in BED_ZONES:
            return "beds stand in bedrooms or the extra-care room"
        return None

    def _on_plan(self, cell: Cell) -> bool:
        rows, cols = self.layout.shape
        return 0 <= cell[0] < rows and 0 <= cell[1] < cols

    def move(self, piece_id: int, by: tuple[int, int] = (0, 0), facing: Facing | None = None) -> Piece:
        """Shift piece `piece_id` by (d_row, d_col) and optionally turn it; return the moved piece.

        Raises:
            ValueError: the piece would stand on a wall, door, another piece or across rooms.
        """
        piece = self.pieces[piece_id]
        cells = tuple((r + by[0], c + by[1]) for r, c in piece.cells)
        why = self.can_place(piece_id, cells)
        if why is not None:
            raise ValueError(f"cannot move {piece.kind} {piece_id} by {by}: {why}")
        if facing is not None and not FURNITURE_KINDS[piece.kind].faces:
            raise ValueError(f"a {piece.kind} has no facing")
        moved = replace(piece, cells=cells, facing=facing if facing is not None else piece.facing)
        self._mark(piece, -1)
        self._mark(moved, piece_id)
        self.pieces[piece_id] = moved
        self.moves += 1
        return moved
