"""Geometry benchmark: precomputing every walking field, next hop and isovist of each built-in layout.

For every built-in layout: the time to precompute all walking fields, next
hops and staff-base isovists (target: under 5 s for the largest), and the time
of the planner metrics. Each is set beside a baseline measured in the same
run: one scipy Dijkstra over the same grid graph, the cheapest possible field,
so the ratio says how many "bare fields" the precompute costs.
"""

from __future__ import annotations

import time

from scipy.sparse.csgraph import dijkstra

from milieusim.space import builtin_layouts, load_layout
from milieusim.space.analysis import layout_metrics
from milieusim.space.geometry import Geometry


def timed(fn):
    """Wall time of one call of `fn`, and its result."""
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def bench_geometry(repeats: int) -> None:
    """Print the geometry and metrics time of every built-in layout."""
    print(f"geometry: every built-in layout, best of {repeats}")
    print(
        f"{'layout':14s} {'cells':>6s} {'floor':>6s} {'fields':>6s} {'precompute s':>13s} "
        f"{'1 field ms':>11s} {'ratio':>7s} {'metrics s':>10s}"
    )
    for name in sorted(builtin_layouts()):
        layout = load_layout(name)
        best_pre = best_field = best_metrics = float("inf")
        for _ in range(repeats):
            geo = Geometry(layout)  # a fresh one: nothing cached
            graph = geo.graph
            t_field, _ = timed(lambda g=graph: dijkstra(g, indices=[0], min_only=True))
            t_pre, counts = timed(geo.precompute)
            best_pre, best_field = min(best_pre, t_pre), min(best_field, t_field)
        for _ in range(repeats):
            fresh = load_layout(name)  # a new layout object has no cached geometry
            t_metrics, _ = timed(lambda lay=fresh: layout_metrics(lay))
            best_metrics = min(best_metrics, t_metrics)
        print(
            f"{name:14s} {layout.zones.size:6d} {int(layout.floor.sum()):6d} {counts['fields']:6d} "
            f"{best_pre:13.3f} {best_field * 1e3:11.2f} {best_pre / best_field:7.0f} "
            f"{best_metrics:10.2f}"
        )
