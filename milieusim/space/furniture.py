"""Semi-fixed-feature space: furniture that occupies cells, faces a way and can be moved.

Chairs, sofas, tables, beds, a TV, desks. Each piece affords activities (sit,
talk, watch, eat, sleep, work). A layout holds furniture *variants* as
immutable `FurnitureVariant`s; a run works on an `Arrangement`, whose one
operation `move` shifts a piece during the run, as staff re-lining chairs
along the walls or a patient pulling a chair into a group do on real wards.

Seats face a way because facing shapes conversation (Sommer, reported by
[@hall1966]: corner seating gave about twice the conversations of side by side,
which gave about three times those of sitting opposite).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from scipy import ndimage

from milieusim.space.symbols import (
    FURNITURE_BLANK,
    FURNITURE_ECHO,
    FURNITURE_KINDS,
    FURNITURE_SYMBOLS,
    SYMBOL_OF_ZONE,
    ZONE_SYMBOLS,
    Facing,
    Zone,
)
from milieusim.validation import Problem

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


class SeatRelation(StrEnum):
    """How two seats stand to each other, after Sommer's cafeteria study."""

    CORNER = "corner"
    SIDE_BY_SIDE = "side_by_side"
    OPPOSITE = "opposite"
    NONE = "none"


#: Relative conversation rates of seat relations, corner = 1 (Sommer, reported by [@hall1966]:
#: corner about 2x side by side, side by side about 3x opposite).
SOMMER_WEIGHT: dict[SeatRelation, float] = {
    SeatRelation.CORNER: 1.0,
    SeatRelation.SIDE_BY_SIDE: 0.5,
    SeatRelation.OPPOSITE: 1.0 / 6.0,
    SeatRelation.NONE: 0.0,
}
#: Seats further apart than this (centre to centre) do not make a conversational group.
#: Assumption: the far end of Hall's personal zone (1.2 m) plus a seat's depth, 0.3 m.
CONVERSATION_RANGE_M = 1.5


def seat_relation(a: Cell, fa: Facing, b: Cell, fb: Facing) -> SeatRelation:
    """How seat `b` (facing `fb`) stands to seat `a` (facing `fa`).

    Side by side: same facing, beside each other. Opposite: facing each other
    along the line between them. Corner: facings at right angles, each facing
    towards the other's side. Anything else (back to back, facing away) is NONE.
    Plain integer arithmetic: the model calls this for every pair of seated people.
    """
    dr, dc = b[0] - a[0], b[1] - a[1]
    (ar, ac), (br, bc) = fa.vector, fb.vector
    along_a = dr * ar + dc * ac  # how far b lies in the direction a faces
    along_b = -(dr * br + dc * bc)  # how far a lies in the direction b faces
    if fa == fb:
        return SeatRelation.SIDE_BY_SIDE if along_a == 0 else SeatRelation.NONE
    if ar == -br and ac == -bc:
        side = abs(dr * ac - dc * ar)
        if along_a > 0 and along_b > 0 and side <= 1:
            return SeatRelation.OPPOSITE
        return SeatRelation.NONE
    return SeatRelation.CORNER if along_a > 0 and along_b > 0 else SeatRelation.NONE


def parse_furniture_plan(
    name: str,
    description: str,
    rows: list[str],
    line0: int | None,
    zones: np.ndarray,
    room_of: np.ndarray,
) -> tuple[FurnitureVariant, list[Problem]]:
    """Read a furniture plan drawn over `zones`; return the variant and its problems."""
    where = f"furniture plan {name!r}"
    problems: list[Problem] = []

    def at(r, c, msg, ch):
        return Problem(
            msg, where=where, line=None if line0 is None else line0 + r, row=r + 1, col=c + 1, symbol=ch
        )

    height, width = zones.shape
    if len(rows) != height or any(len(row) != width for row in rows):
        widths = sorted({len(row) for row in rows})
        return FurnitureVariant(name, description, ()), [
            Problem(
                f"plan is {len(rows)} rows x {widths} cols but the rooms plan is {height} x {width}; "
                "draw both plans the same size",
                where=where,
                line=line0,
            )
        ]
    kinds = np.full(zones.shape, "", dtype=object)
    facing = np.full(zones.shape, -1, np.int8)
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            zone = Zone(int(zones[r, c]))
            if ch == FURNITURE_BLANK:
                if not zone.is_floor or zone == Zone.DOOR:  # the rooms plan has structure here
                    sym = SYMBOL_OF_ZONE[zone]
                    problems.append(
                        at(
                            r,
                            c,
                            f"shows floor where the rooms plan has {zone.label} '{sym}'; copy '{sym}'",
                            ch,
                        )
                    )
                continue
            if ch in FURNITURE_ECHO:
                if ZONE_SYMBOLS[ch] != zone:
                    problems.append(
                        at(
                            r,
                            c,
                            f"shows {Zone(ZONE_SYMBOLS[ch]).label} where the rooms "
                            f"plan has {zone.label} '{SYMBOL_OF_ZONE[zone]}'",
                            ch,
                        )
                    )
                continue
            if ch not in FURNITURE_SYMBOLS:
                valid = " ".join(repr(s) for s in [FURNITURE_BLANK, *FURNITURE_SYMBOLS])
                problems.append(
                    at(r, c, f"unknown symbol; valid: {valid} (or # + ~ copied from the rooms plan)", ch)
                )
                continue
            kind, face = FURNITURE_SYMBOLS[ch]
            if zone in (Zone.WALL, Zone.DOOR, Zone.OUTSIDE):
                problems.append(
                    at(
                        r,
                        c,
                        f"{kind} on a {zone.label}; furniture must stand on floor inside a room or corridor",
                        ch,
                    )
                )
                continue
            if kind == "bed" and zone not in BED_ZONES:
                problems.append(
                    at(
                        r,
                        c,
                        f"bed in the {zone.label}; beds stand in bedrooms 'b' or the extra-care room 'x'",
                        ch,
                    )
                )
                continue
            kinds[r, c] = kind
            if FURNITURE_KINDS[kind].faces:
                if face is None:
                    face = _infer_facing(r, c, kinds_plan=rows, zones=zones)
                if face is None:
                    problems.append(
                        at(r, c, f"cannot tell which way this {kind} faces: {FACING_ADVICE[kind]}", ch)
                    )
                    continue
                if _faces_a_wall(r, c, face, zones):
                    turn = "draw it as ^ > v < facing the room" if kind == "chair" else FACING_ADVICE[kind]
                    problems.append(at(r, c, f"this {kind} faces straight into a wall: {turn}", ch))
                    continue
                facing[r, c] = face
    pieces = _group_pieces(kinds, facing) if not problems else ()
    return FurnitureVariant(name, description, pieces), problems


#: How to make a piece's facing clear, by kind (`_infer_facing` is the rule).
FACING_ADVICE = {
    "chair": "put it beside one table (it faces the table) or against one wall (it faces away from the "
    "wall), or draw it as ^ > v <",
    "sofa": "stand it against one wall, out of a corner (it faces away from the wall), or beside one table",
    "tv": "stand it against one wall, out of a corner (its screen faces away from the wall)",
}


def _faces_a_wall(r: int, c: int, face: Facing, zones: np.ndarray) -> bool:
    """Whether the cell in front of (r, c), facing `face`, is a wall or off the plan."""
    dr, dc = face.vector
    rr, cc = r + dr, c + dc
    inside = 0 <= rr < zones.shape[0] and 0 <= cc < zones.shape[1]
    return not inside or not Zone(int(zones[rr, cc])).is_floor


def _infer_facing(r: int, c: int, kinds_plan: list[str], zones: np.ndarray) -> Facing | None:
    """Face the one adjacent table; else face away from the one adjacent wall."""
    height, width = zones.shape
    tables, walls = [], []
    for f in Facing:
        dr, dc = f.vector
        rr, cc = r + dr, c + dc
        if not (0 <= rr < height and 0 <= cc < width):
            continue
        if kinds_plan[rr][cc] == "T":
            tables.append(f)
        elif zones[rr, cc] == Zone.WALL:
            walls.append(f)
    if len(tables) == 1:
        return tables[0]
    if not tables and len(walls) == 1:
        return Facing((walls[0] + 2) % 4)
    return None


def _group_pieces(kinds: np.ndarray, facing: np.ndarray) -> tuple[Piece, ...]:
    """Chairs are one piece each; touching cells of another kind (same facing) make one piece."""
    found = []
    four = ndimage.generate_binary_structure(2, 1)
    for kind in FURNITURE_KINDS:
        mask = kinds == kind
        if not mask.any():
            continue
        if kind == "chair":
            groups = [[tuple(cell)] for cell in np.argwhere(mask)]
        else:
            groups = []
            for face in np.unique(facing[mask]):
                labels, n = ndimage.label(mask & (facing == face), structure=four)
                groups += [[tuple(cell) for cell in np.argwhere(labels == k)] for k in range(1, n + 1)]
        for cells in groups:
            face = int(facing[cells[0]])
            found.append(
                (
                    cells[0],
                    kind,
                    tuple((int(r), int(c)) for r, c in cells),
                    Facing(face) if face >= 0 else None,
                )
            )
    found.sort(key=lambda f: f[0])
    return tuple(Piece(i, kind, cells, face) for i, (_, kind, cells, face) in enumerate(found))


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
        if variant is None and style in layout.furniture:
            variant = style
        self.variant = variant or layout.default_furniture
        if self.variant not in layout.furniture:
            raise ValueError(
                f"layout {layout.name!r} has no furniture variant {self.variant!r}; "
                f"variants: {', '.join(layout.furniture)} (set ward.furniture to one of them)"
            )
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


def sociopetality(arrangement_or_pieces, layout, rooms=None) -> float:
    """Mean over seats of the best conversational position with another seat of the same room.

    Each seat scores the Sommer weight (corner 1, side by side 1/2, opposite 1/6)
    of its best partner within `CONVERSATION_RANGE_M`; a seat with no partner
    scores 0. 1.0 means every seat has a corner partner (chairs around small
    tables); rows along walls score about 0.5; scattered seats 0. Returns NaN
    when there are no seats. `rooms`: restrict to these room ids.
    """
    pieces = getattr(arrangement_or_pieces, "pieces", arrangement_or_pieces)
    seats = [
        (cell, p.facing)
        for p in pieces
        if p.is_seat
        for cell in p.cells
        if rooms is None or int(layout.room_of[cell]) in rooms
    ]
    if not seats:
        return float("nan")
    total = 0.0
    for i, (a, fa) in enumerate(seats):
        best = 0.0
        for j, (b, fb) in enumerate(seats):
            if i != j and layout.room_of[a] == layout.room_of[b]:
                best = max(best, seat_pair_weight(a, fa, b, fb, layout.cell_size_m))
        total += best
    return total / len(seats)


def seat_pair_weight(a: Cell, fa: Facing, b: Cell, fb: Facing, cell_size_m: float) -> float:
    """Relative conversation rate of two seats: Sommer's weight of their relation, within reach.

    Seats further apart than `CONVERSATION_RANGE_M` do not converse from their seats,
    and side by side counts only for neighbours: in a row, one talks to the person
    beside one, not past them (Sommer's pairs were adjacent seats).
    """
    dr, dc = b[0] - a[0], b[1] - a[1]
    if (dr * dr + dc * dc) ** 0.5 * cell_size_m > CONVERSATION_RANGE_M:
        return 0.0
    rel = seat_relation(a, fa, b, fb)
    if rel == SeatRelation.SIDE_BY_SIDE and max(abs(dr), abs(dc)) > 1:
        return 0.0
    return SOMMER_WEIGHT[rel]
