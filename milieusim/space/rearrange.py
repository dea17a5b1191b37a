"""Moving chairs as people do on wards: lining them along the walls, or pulling one into a group.

Staff kept restoring day-room chairs to rows along the walls (sociofugal), and
conversation rose when chairs were grouped round small tables (sociopetal)
[@osmond1957; @sommer1958]. These two
operations are the model's way of doing either, each through the one move
operation of `Arrangement`.
"""

from __future__ import annotations

from milieusim.space.furniture import Arrangement
from milieusim.space.seating import SeatRelation, seat_relation
from milieusim.space.symbols import Facing, Zone

Cell = tuple[int, int]


def _free(arr: Arrangement, cell: Cell, room: int, piece_id: int) -> bool:
    rows, cols = arr.layout.shape
    r, c = cell
    return (
        0 <= r < rows
        and 0 <= c < cols
        and int(arr.layout.room_of[r, c]) == room
        and arr.piece_at[r, c] in (-1, piece_id)
    )


def _walls_beside(arr: Arrangement, cell: Cell) -> list[Facing]:
    out = []
    for f in Facing:
        dr, dc = f.vector
        if arr.layout.zones[cell[0] + dr, cell[1] + dc] == Zone.WALL:
            out.append(f)
    return out


def along_wall(arr: Arrangement, cell: Cell, facing: Facing) -> bool:
    """Whether a seat at `cell` stands against exactly one wall, facing away from it."""
    walls = _walls_beside(arr, cell)
    return len(walls) == 1 and facing == Facing((walls[0] + 2) % 4)


def reline_chair(arr: Arrangement, piece_id: int) -> bool:
    """Move a chair to the nearest free place against a wall, facing into the room.

    Returns whether it moved (a chair already against a wall stays).
    """
    piece = arr.pieces[piece_id]
    if piece.kind != "chair":
        raise ValueError(f"piece {piece_id} is a {piece.kind}; only chairs are re-lined")
    (r, c) = piece.cells[0]
    if along_wall(arr, (r, c), piece.facing):
        return False
    room = int(arr.layout.room_of[r, c])
    best = None
    for cell in arr.layout.rooms[room].cells:
        if not _free(arr, cell, room, piece_id):
            continue
        walls = _walls_beside(arr, cell)
        if len(walls) != 1:
            continue
        d = (cell[0] - r) ** 2 + (cell[1] - c) ** 2
        if best is None or d < best[0]:
            best = (d, cell, Facing((walls[0] + 2) % 4))
    if best is None:
        return False
    _, cell, facing = best
    arr.move(piece_id, by=(cell[0] - r, cell[1] - c), facing=facing)
    return True


def group_chair(arr: Arrangement, piece_id: int, partner: Cell, partner_facing: Facing) -> bool:
    """Pull a chair round the corner from a seated partner (Sommer's most conversational place).

    Returns whether it moved (no free corner place: it stays).
    """
    piece = arr.pieces[piece_id]
    if piece.kind != "chair":
        raise ValueError(f"piece {piece_id} is a {piece.kind}; only chairs are pulled into groups")
    (r, c) = piece.cells[0]
    room = int(arr.layout.room_of[partner])
    best = None
    for dr in (-1, 1):
        for dc in (-1, 1):
            cell = (partner[0] + dr, partner[1] + dc)
            if not _free(arr, cell, room, piece_id):
                continue
            for facing in Facing:
                if seat_relation(cell, facing, partner, partner_facing) != SeatRelation.CORNER:
                    continue
                d = (cell[0] - r) ** 2 + (cell[1] - c) ** 2
                if best is None or d < best[0]:
                    best = (d, cell, facing)
    if best is None:
        return False
    _, cell, facing = best
    if cell == (r, c) and facing == piece.facing:
        return False
    arr.move(piece_id, by=(cell[0] - r, cell[1] - c), facing=facing)
    return True
