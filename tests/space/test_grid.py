"""The Mesa grid of a layout and its property layers."""

import warnings

import mesa
import numpy as np

from milieusim.space.grid import build_grid, layer


def test_grid_carries_the_plan_and_draws_from_the_model_stream(tiny):
    model = mesa.Model(rng=42)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = build_grid(tiny, random=model.random)
    assert grid.dimensions == tiny.shape
    assert (layer(grid, "zone") == tiny.zones).all()
    assert (layer(grid, "room") == tiny.room_of).all()
    assert layer(grid, "floor").dtype == np.bool_
    assert grid.random is model.random
    cell = grid[(4, 10)]
    assert cell.zone == 9 and cell.floor
