"""Reading a furniture plan: the ASCII drawing of a layout's semi-fixed features, checked cell by cell."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from milieusim.space.furniture import BED_ZONES, FurnitureVariant, Piece
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
