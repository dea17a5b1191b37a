"""Moving chairs: lining one along a wall, pulling one round the corner from a partner."""

from conftest import make_layout

from milieusim.space import Arrangement, Facing, SeatRelation, parse_layout, seat_relation
from milieusim.space.rearrange import along_wall, group_chair, reline_chair

ROOMS = """
    #########
    #ddddddd#
    #ddddddd#
    #ddddddd#
    #ddddsse#
    #########
"""
FURN = """
    #########
    #.......#
    #...>...#
    #.......#
    #.......#
    #########
"""


def test_reline_moves_a_chair_to_the_nearest_wall_facing_the_room():
    arr = Arrangement(parse_layout(make_layout(ROOMS, FURN)))
    assert reline_chair(arr, 0)
    piece = arr.pieces[0]
    assert piece.cells == ((1, 4),) and piece.facing == Facing.SOUTH
    assert along_wall(arr, piece.cells[0], piece.facing)
    assert not reline_chair(arr, 0)  # already against the wall


def test_group_moves_a_chair_round_the_corner_from_a_partner():
    furn = FURN.replace("#.......#\n    #...>...#", "#v......#\n    #...>...#")
    arr = Arrangement(parse_layout(make_layout(ROOMS, furn)))
    mover = next(p for p in arr.pieces if p.cells[0] == (1, 1))
    partner = next(p for p in arr.pieces if p.cells[0] == (2, 4))
    assert group_chair(arr, mover.id, partner.cells[0], partner.facing)
    moved = arr.pieces[mover.id]
    assert (
        seat_relation(moved.cells[0], moved.facing, partner.cells[0], partner.facing) == SeatRelation.CORNER
    )
