"""Geometry on tiny hand-made plans with known answers."""

import math

import numpy as np
import pytest
from conftest import make_layout
from hypothesis import given, settings
from hypothesis import strategies as st

from milieusim.space import Arrangement, Facing, Zone, geometry_of, load_layout, parse_layout
from milieusim.space.geometry import STEPS, shadowcast

# An L-shaped corridor: a corner nobody can see round.
L_SHAPE = parse_layout(
    make_layout("""
    #######
    #e....#
    #####.#
    ~~~~#.#
    ~~~~#s#
    ~~~~###
""")
)


def test_straight_and_diagonal_walking_distances(tiny):
    geo = geometry_of(tiny)
    field = geo.field(("point", "staff_base"))
    assert field[4, 10] == 0
    assert field[4, 1] == pytest.approx(9 * 0.5)  # nine steps along the corridor
    # from the dayroom's far corner: two diagonal-free steps down to the door, then one across
    assert field[1, 9] == pytest.approx(2.0)
    assert field[1, 10] == pytest.approx(0.5 * math.sqrt(2) + 1.5)
    assert np.isinf(field[0, 0])


def test_no_squeezing_diagonally_past_a_wall_corner():
    geo = geometry_of(L_SHAPE)
    field = geo.field(("point", "entrance"))
    # (2, 5) is just round the corner from (1, 4): the diagonal would cut the wall at (2, 4)
    assert field[2, 5] == pytest.approx(field[1, 5] + 0.5)
    assert field[1, 5] == pytest.approx(4 * 0.5)


def test_route_follows_the_field_down_to_the_target(tiny):
    geo = geometry_of(tiny)
    key = ("point", "staff_base")
    path = geo.route((1, 1), key)
    assert path[0] == (1, 1) and path[-1] == (4, 10)
    field = geo.field(key)
    steps = [field[a] - field[b] for a, b in zip(path, path[1:], strict=False)]
    assert all(s in (pytest.approx(0.5), pytest.approx(0.5 * math.sqrt(2))) for s in steps)
    assert sum(steps) == pytest.approx(field[1, 1])


def test_next_hop_agrees_with_route_everywhere():
    layout = load_layout("corridor")
    geo = geometry_of(layout)
    key = ("point", "staff_base")
    field, hop = geo.field(key), geo.next_hop(key)
    for r, c in np.argwhere(np.isfinite(field) & (field > 0))[::37]:
        dr, dc = STEPS[hop[r, c]]
        step = 0.5 * (math.sqrt(2) if dr and dc else 1)
        assert field[r + dr, c + dc] == pytest.approx(field[r, c] - step)


def test_unreachable_target_raises(tiny):
    with pytest.raises(ValueError, match="not on walkable floor"):
        geometry_of(tiny).field(("cell", (0, 0)))


def test_isovist_cannot_see_round_a_corner():
    geo = geometry_of(L_SHAPE)
    seen = geo.isovist((1, 1))
    assert seen[1, 5]  # the corner cell, straight ahead
    assert not seen[2, 5]  # one step round it: the line of sight crosses the wall at (2, 4)
    assert not seen[4, 5]  # the staff base round the corner
    assert not geo.line_of_sight((4, 5), (1, 1))
    assert geo.line_of_sight((4, 5), (1, 5))


def test_shadowcast_open_room_sees_everything():
    opaque = np.ones((7, 9), bool)
    opaque[1:-1, 1:-1] = False
    seen = shadowcast(opaque, (3, 4))
    assert seen.all()


def test_pillar_casts_a_shadow():
    opaque = np.ones((7, 11), bool)
    opaque[1:-1, 1:-1] = False
    opaque[3, 5] = True  # a pillar between (3, 2) and (3, 8)
    seen = shadowcast(opaque, (3, 2))
    assert seen[3, 5] and not seen[3, 8] and seen[1, 8]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_line_of_sight_is_symmetric(data):
    layout = load_layout("corridor")
    geo = geometry_of(layout)
    floor = np.argwhere(layout.floor)
    i, j = data.draw(st.tuples(st.integers(0, len(floor) - 1), st.integers(0, len(floor) - 1)))
    a, b = tuple(floor[i]), tuple(floor[j])
    assert geo.line_of_sight(a, b) == geo.line_of_sight(b, a)


def test_moving_a_chair_keeps_geometry_and_updates_seats(tiny):
    geo = geometry_of(tiny)
    graph = geo.graph
    base_field = geo.field(("point", "staff_base"))
    arr = Arrangement(tiny)
    chair = next(p for p in arr.pieces if p.kind == "chair")
    moved = arr.move(chair.id, by=(1, 0), facing=Facing.NORTH)
    assert moved.cells == ((2, 9),) and moved.facing == Facing.NORTH
    assert arr.piece_at[2, 9] == chair.id and arr.piece_at[1, 9] == -1
    assert geo.graph is graph and geo.field(("point", "staff_base")) is base_field
    assert geo.field(("cell", (2, 9)))[2, 9] == 0
    assert ((2, 9), Facing.NORTH, chair.id) in arr.seats()
    assert arr.moves == 1


@pytest.mark.parametrize(
    "by, why", [((2, 0), "door"), ((-1, 0), "wall"), ((0, 1), "holds piece"), ((0, -5), "wall")]
)
def test_moving_into_walls_doors_or_other_pieces_fails(tiny, by, why):
    arr = Arrangement(tiny)
    chair = next(p for p in arr.pieces if p.kind == "chair")
    before = arr.piece_at.copy()
    with pytest.raises(ValueError, match=why):
        arr.move(chair.id, by=by)
    assert (arr.piece_at == before).all()


def test_a_bed_stays_in_its_bedroom(tiny):
    arr = Arrangement(tiny)
    with pytest.raises(ValueError):
        arr.move(0, by=(0, 4))


def test_precompute_covers_rooms_points_and_seats(tiny):
    geo = geometry_of(tiny)
    counts = geo.precompute()
    assert counts["fields"] == len(tiny.rooms) + 5 + 2 + 2  # rooms, zones, points, seats
    assert geometry_of(tiny) is geo


def test_zone_field_is_zero_on_the_zone(tiny):
    field = geometry_of(tiny).field(("zone", Zone.DAYROOM))
    assert (field[tiny.mask(Zone.DAYROOM)] == 0).all()


def test_a_walk_is_kept_once_as_rows_the_movement_kernel_reads():
    from milieusim.space.geometry import Geometry

    geo, fresh = Geometry(L_SHAPE), Geometry(L_SHAPE)
    cells = [(1, 1), (4, 5), (1, 1), (2, 5)]
    rows = [geo.walk_index(c) for c in cells]
    assert rows == [0, 1, 0, 2]  # one row per cell, in the order first asked for
    for cell, row in zip(cells, rows, strict=True):
        field, hop = geo.field(("cell", cell)), geo.next_hop(("cell", cell))
        # the same field as one computed on its own, read from the row, and as read-only
        np.testing.assert_array_equal(field, fresh.field(("cell", cell)))
        np.testing.assert_array_equal(hop, fresh.next_hop(("cell", cell)))
        np.testing.assert_array_equal(geo.route_fields[row], field.ravel())
        np.testing.assert_array_equal(geo.route_hops[row], hop.ravel())
        assert not field.flags.writeable and not hop.flags.writeable
    assert ("cell", (1, 1)) not in geo._fields  # not also kept in the dictionary of fields
