"""How seats stand to each other, and what that does to conversation.

Seats face a way because facing shapes conversation (Sommer, reported by
[@hall1966]): corner seating gave about twice the conversations of side by
side, which gave about three times those of sitting opposite. `seat_relation` names the
relation of two seats, `seat_pair_weight` turns it into a relative rate, and
`sociopetality` scores a whole arrangement.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from milieusim.jit import kernel
from milieusim.space.symbols import Facing

Cell = tuple[int, int]


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


#: The relations in code order (`relation_code`), and Sommer's weight of each.
RELATIONS = (SeatRelation.CORNER, SeatRelation.SIDE_BY_SIDE, SeatRelation.OPPOSITE, SeatRelation.NONE)
CORNER, SIDE_BY_SIDE, OPPOSITE, NO_RELATION = range(4)
SOMMER_WEIGHTS = np.array([SOMMER_WEIGHT[r] for r in RELATIONS])
#: Unit step (d_row, d_col) of each facing, by its value (`Facing.vector`).
FACING_STEPS = np.array([f.vector for f in Facing], np.int64)


@kernel
def relation_code(dr, dc, fa, fb):
    """How a seat at (dr, dc) from seat A, facing `fb`, stands to A facing `fa` (a `RELATIONS` index).

    Side by side: same facing, beside each other. Opposite: facing each other
    along the line between them. Corner: facings at right angles, each facing
    towards the other's side. Anything else (back to back, facing away) is none.
    """
    ar, ac = FACING_STEPS[fa, 0], FACING_STEPS[fa, 1]
    br, bc = FACING_STEPS[fb, 0], FACING_STEPS[fb, 1]
    along_a = dr * ar + dc * ac  # how far b lies in the direction a faces
    along_b = -(dr * br + dc * bc)  # how far a lies in the direction b faces
    if fa == fb:
        return SIDE_BY_SIDE if along_a == 0 else NO_RELATION
    if ar == -br and ac == -bc:
        side = abs(dr * ac - dc * ar)
        if along_a > 0 and along_b > 0 and side <= 1:
            return OPPOSITE
        return NO_RELATION
    return CORNER if along_a > 0 and along_b > 0 else NO_RELATION


def seat_relation(a: Cell, fa: Facing, b: Cell, fb: Facing) -> SeatRelation:
    """How seat `b` (facing `fb`) stands to seat `a` (facing `fa`) (`relation_code`)."""
    return RELATIONS[relation_code(b[0] - a[0], b[1] - a[1], int(fa), int(fb))]


@kernel
def pair_weight(dr, dc, fa, fb, cell_size_m, weights):
    """Relative conversation rate of a seat at (dr, dc) from seat A: `weights` of their relation, in reach.

    Seats further apart than `CONVERSATION_RANGE_M` do not converse from their seats,
    and side by side counts only for neighbours: in a row, one talks to the person
    beside one, not past them (Sommer's pairs were adjacent seats).
    """
    if (dr * dr + dc * dc) ** 0.5 * cell_size_m > CONVERSATION_RANGE_M:
        return 0.0
    rel = relation_code(dr, dc, fa, fb)
    if rel == SIDE_BY_SIDE and max(abs(dr), abs(dc)) > 1:
        return 0.0
    return weights[rel]


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

    `pair_weight` with Sommer's weights.
    """
    return pair_weight(b[0] - a[0], b[1] - a[1], int(fa), int(fb), cell_size_m, SOMMER_WEIGHTS)
