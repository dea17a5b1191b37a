"""Planner metrics: known answers on tiny plans and the comparisons planners rely on."""

import math

import pytest
from conftest import make_layout

from milieusim.space import load_layout, parse_layout
from milieusim.space.analysis import (
    METRICS,
    bedroom_privacy,
    door_and_threshold,
    integration_hh,
    layout_metrics,
    social_vga,
)


def test_every_metric_is_reported_and_described(tiny):
    metrics = layout_metrics(tiny)
    assert list(metrics) == list(METRICS)


def test_tiny_metrics_known_answers(tiny):
    m = layout_metrics(tiny)
    floor_cells = 2 * 6 + 4 + 3 + 10  # two bedrooms, dayroom, doors, corridor row
    assert m["floor_area_m2"] == pytest.approx(floor_cells * 0.25)
    assert m["area_per_bed_m2"] == pytest.approx(floor_cells * 0.25 / 2)
    assert m["corridor_share"] == pytest.approx(8 / floor_cells)
    assert m["walk_bedroom_to_staff_base_m"] == pytest.approx((8 * 0.5 + 4 * 0.5) / 2 + 0.5)
    assert m["social_spaces"] == 1 and m["social_space_sizes_m2"] == [1.0]
    assert m["bedroom_doors_visible_from_base"] == 1.0  # both thresholds lie on the straight corridor
    assert math.isnan(m["walk_bedroom_to_garden_m"])


def test_door_threshold_is_the_floor_outside(tiny):
    assert door_and_threshold(tiny, tiny.bedrooms[0]) == [(3, 2), (4, 2)]


def _room_with_door(door_row):
    return parse_layout(
        make_layout(f"""
        ##########
        #bbbbbbbb#
        #bbbbbbbb#
        #bbbbbbbb#
        #bbbbbbbb#
        {door_row}
        #e......s#
        ##########
    """)
    )


def test_a_door_in_the_corner_keeps_the_bedroom_more_private():
    central = bedroom_privacy(_room_with_door("####++####"))
    corner = bedroom_privacy(_room_with_door("#++#######"))
    # the corridor sees a cone through the door: nearly all the room through a central
    # door (2 of 32 cells hidden), the far half through a door in the corner
    assert central == pytest.approx(2 / 32)
    assert corner == pytest.approx(18 / 32)


def test_integration_hh_known_values():
    # depthmapX: a node one step from every other has RA = 0 (integration infinite)
    assert math.isinf(integration_hh(1.0, 10))
    # k = 10, MD = 2: RA = 2 / 8 = 0.25, D_10 = 2 (10 (log2(4) - 1) + 1) / 72 = 22 / 72
    assert integration_hh(2.0, 10) == pytest.approx((22 / 72) / 0.25)


def test_vga_of_an_open_room_is_depth_one():
    layout = parse_layout(
        make_layout("""
        #########
        #ddddddd#
        #ddddddd#
        #ddddddd#
        #ddddesd#
        #########
    """)
    )
    depth, integration = social_vga(layout)
    assert depth == pytest.approx(1.0) and math.isinf(integration)


def test_central_base_sees_more_bedroom_doors_than_the_corridor_ward():
    corridor = layout_metrics(load_layout("corridor"))
    central = layout_metrics(load_layout("central_base"))
    # Both bases see every threshold along straight corridors when distance is ignored;
    # within the staff sight range the central base, near all its wings, sees far more.
    assert central["bedroom_doors_observable_from_base"] > corridor["bedroom_doors_observable_from_base"]
    assert central["walk_bedroom_to_staff_base_m"] < corridor["walk_bedroom_to_staff_base_m"]


def test_sociopetal_dayroom_beats_sociofugal():
    layout = load_layout("corridor")
    assert (
        layout_metrics(layout, "sociopetal")["sociopetality"]
        > layout_metrics(layout, "sociofugal")["sociopetality"]
    )
