"""Semi-fixed space (seat relations, sociopetality) and informal space (Hall's zones)."""

import numpy as np
import pytest
from conftest import make_layout

from milieusim.space import Facing, SeatRelation, parse_layout, seat_relation
from milieusim.space.informal import BACK_FACTOR, hall_zone, intrusion_depth, personal_space
from milieusim.space.seating import sociopetality

N, E, S, W = Facing.NORTH, Facing.EAST, Facing.SOUTH, Facing.WEST


@pytest.mark.parametrize(
    "a, fa, b, fb, rel",
    [
        ((0, 0), S, (0, 1), S, SeatRelation.SIDE_BY_SIDE),
        ((0, 0), S, (2, 0), N, SeatRelation.OPPOSITE),  # across a table
        ((0, 0), S, (1, 1), W, SeatRelation.CORNER),  # round the corner of a table
        ((0, 0), N, (2, 0), S, SeatRelation.NONE),  # back to back
        ((0, 0), S, (1, 0), S, SeatRelation.NONE),  # one behind the other
        ((0, 0), N, (1, 1), E, SeatRelation.NONE),  # facing away at right angles
    ],
)
def test_seat_relations(a, fa, b, fb, rel):
    assert seat_relation(a, fa, b, fb) == rel
    assert seat_relation(b, fb, a, fa) == rel


def test_groups_round_a_table_beat_rows_along_a_wall():
    rooms = """
        #########
        #ddddddd#
        #ddddddd#
        #ddddddd#
        #ddddsse#
        #########
    """
    group = """
        #########
        #.......#
        #..CC...#
        #.CTTC..#
        #..CC...#
        #########
    """
    # four chairs round a 1x2 table: each has a corner partner
    rows = """
        #########
        #.CCCC..#
        #.......#
        #.......#
        #.......#
        #########
    """
    g = parse_layout(make_layout(rooms, group))
    r = parse_layout(make_layout(rooms, rows))
    assert sociopetality(g.furniture["standard"], g) > 0.9
    assert sociopetality(r.furniture["standard"], r) == pytest.approx(0.5)
    empty = parse_layout(make_layout(rooms, rows.replace("CCCC", "....")))
    assert np.isnan(sociopetality(empty.furniture["standard"], empty))


def test_hall_zones_and_agitation_widening():
    calm = personal_space(0.0)
    assert (calm.intimate_m, calm.personal_m, calm.social_m) == (0.45, 1.2, 3.6)
    assert personal_space(1.0).intimate_m == pytest.approx(0.9)  # Kinzel: 0.9 m vs 0.45 m
    assert [hall_zone(d) for d in (0.3, 1.0, 2.0, 5.0)] == ["intimate", "personal", "social", "public"]
    with pytest.raises(ValueError, match="agitation"):
        personal_space(1.5)


def test_intrusion_is_wider_behind_and_grows_with_closeness():
    radii = personal_space(0.0)

    def depth(d_col_m, personal_m=radii.personal_m):  # B that far along A's heading (east), in metres
        return intrusion_depth(0.0, d_col_m, 0.0, 1.0, personal_m, BACK_FACTOR)

    ahead, behind, far = depth(1.0), depth(-1.0), depth(3.0)
    assert far == 0 and 0 < ahead < behind < 1
    assert depth(0.0) == 1
    assert depth(1.0, personal_space(1.0).personal_m) > ahead
    assert intrusion_depth(0.0, 1.0, 0.0, 0.0, radii.personal_m, BACK_FACTOR) == ahead  # no heading: round
