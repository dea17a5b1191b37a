"""The Mesa grid of a layout, and the one helper through which property layers are read.

Mesa 3.5's `OrthogonalMooreGrid` holds the agents; its property layers carry
the plan (zone code, room id, floor) so agents can ask their cell. Mesa 4
rewrites property-layer access, so every read goes through `layer()`.
Grid coordinates are the layout's 0-based (row, col).
"""

from __future__ import annotations

from random import Random

import numpy as np
from mesa.discrete_space import OrthogonalMooreGrid

from milieusim.space.layout import Layout


def build_grid(layout: Layout, random: Random) -> OrthogonalMooreGrid:
    """A Moore grid the size of `layout`, with its plan as property layers.

    Args:
        layout: the ward.
        random: the model's `model.random`, so the grid draws from the run's stream.
    """
    grid = OrthogonalMooreGrid(layout.shape, torus=False, capacity=None, random=random)
    for name, data, dtype in (
        ("zone", layout.zones, np.int8),
        ("room", layout.room_of, np.int32),
        ("floor", layout.floor, bool),
    ):
        grid.create_property_layer(name, default_value=0, dtype=dtype)
        layer(grid, name)[...] = data
    return grid


def layer(grid: OrthogonalMooreGrid, name: str) -> np.ndarray:
    """The numpy array behind property layer `name` of `grid` (a view: writes go to the grid)."""
    return getattr(grid, name).data
