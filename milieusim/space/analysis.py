"""Planner metrics of a layout: what a plan offers before anyone walks in.

Area, visibility from the staff base (and its price, bedroom privacy), the
visual depth and integration of the social spaces (visibility graph analysis
[@turner2001], names as in depthmapX), walking distances from bedrooms, the corridor's share,
the social spaces and how sociopetal their seating is. Visibility is a
trade-off, not a score: the table reports privacy beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from milieusim.params import STAFF_SIGHT_RANGE_M
from milieusim.space.geometry import geometry_of
from milieusim.space.informal import HALL_SOCIAL_M
from milieusim.space.layout import Layout
from milieusim.space.seating import sociopetality
from milieusim.space.symbols import OUTDOOR_ZONES, SOCIAL_ZONES, Zone

#: Spacing of the visibility-graph nodes, metres (depthmapX users pick 0.5-1 m for wards).
VGA_SPACING_M = 1.0


@dataclass(frozen=True)
class MetricInfo:
    """How to show a metric."""

    label: str
    unit: str
    help: str


METRICS: dict[str, MetricInfo] = {
    "beds": MetricInfo("beds (places)", "", "declared number of patients"),
    "floor_area_m2": MetricInfo("indoor floor area", "m2", "rooms, corridors and doors"),
    "garden_area_m2": MetricInfo("garden area", "m2", "outdoor floor"),
    "area_per_bed_m2": MetricInfo("indoor area per bed", "m2", "indoor floor / beds"),
    "corridor_share": MetricInfo("corridor share of floor", "", "corridor cells / indoor floor"),
    "floor_visible_from_base": MetricInfo(
        "floor visible from staff base", "", "share of indoor floor seen from any staff-base cell"
    ),
    "bedroom_doors_visible_from_base": MetricInfo(
        "bedroom doors visible from staff base", "", "targeted visibility of bedroom doors"
    ),
    "bedroom_doors_observable_from_base": MetricInfo(
        "bedroom doors observable from staff base",
        "",
        f"seen and within {STAFF_SIGHT_RANGE_M:g} m, how far staff notice what happens (an assumption)",
    ),
    "isovist_area_base_m2": MetricInfo(
        "isovist area at staff base", "m2", "floor seen from the staff-base point"
    ),
    "bedroom_privacy": MetricInfo(
        "bedroom privacy", "", "share of bedroom floor not seen from corridors or staff base within 3.6 m"
    ),
    "social_visual_mean_depth": MetricInfo(
        "visual mean depth, social spaces", "steps", "VGA mean depth (depthmapX), lower = more central"
    ),
    "social_visual_integration": MetricInfo(
        "visual integration [HH], social spaces", "", "VGA integration (depthmapX), higher = more central"
    ),
    "walk_bedroom_to_dayroom_m": MetricInfo("walk bedroom door to dayroom", "m", "mean over bedrooms"),
    "walk_bedroom_to_dining_m": MetricInfo("walk bedroom door to dining", "m", "mean over bedrooms"),
    "walk_bedroom_to_garden_m": MetricInfo("walk bedroom door to garden", "m", "mean over bedrooms"),
    "walk_bedroom_to_staff_base_m": MetricInfo("walk bedroom door to staff base", "m", "mean over bedrooms"),
    "social_spaces": MetricInfo("social spaces", "", "dayroom, dining, therapy, quiet, garden, visitors"),
    "social_space_mean_m2": MetricInfo("mean social space size", "m2", ""),
    "social_space_sizes_m2": MetricInfo("social space sizes", "m2", "largest first"),
    "sociopetality": MetricInfo(
        "sociopetality of seating",
        "0-1",
        "how seats face each other for talk (Sommer): corner 1, side by side 1/2, opposite 1/6",
    ),
}


def layout_metrics(layout: Layout, variant: str | None = None) -> dict[str, float | int | list]:
    """Every planner metric of `layout` (furniture: `variant`, default the layout's)."""
    geo = geometry_of(layout)
    cell_m2 = layout.cell_size_m**2
    floor = layout.floor
    outdoor = layout.mask(*OUTDOOR_ZONES)
    indoor = floor & ~outdoor
    n_indoor = int(indoor.sum())
    beds = layout.meta.beds
    out: dict[str, float | int | list] = {"beds": beds}
    out["floor_area_m2"] = n_indoor * cell_m2
    out["garden_area_m2"] = int(outdoor.sum()) * cell_m2
    out["area_per_bed_m2"] = n_indoor * cell_m2 / beds if beds else math.nan
    out["corridor_share"] = float(layout.mask(Zone.CORRIDOR).sum()) / n_indoor

    base_cells = _cells(layout.mask(Zone.STAFF_BASE))
    seen_from_base = geo.visible_from_any(base_cells)
    bedrooms = layout.bedrooms
    if base_cells:
        out["floor_visible_from_base"] = float((seen_from_base & indoor).sum()) / n_indoor
        doors = [door_and_threshold(layout, room) for room in bedrooms if room.doors]
        near = _within(layout, base_cells, STAFF_SIGHT_RANGE_M)
        for key, seen in (
            ("bedroom_doors_visible_from_base", seen_from_base),
            ("bedroom_doors_observable_from_base", seen_from_base & near),
        ):
            out[key] = sum(any(seen[c] for c in cells) for cells in doors) / len(doors) if doors else math.nan
        out["isovist_area_base_m2"] = (
            float((geo.isovist(layout.points["staff_base"]) & floor).sum()) * cell_m2
        )
    else:
        for key in (
            "floor_visible_from_base",
            "bedroom_doors_visible_from_base",
            "bedroom_doors_observable_from_base",
            "isovist_area_base_m2",
        ):
            out[key] = math.nan
    out["bedroom_privacy"] = bedroom_privacy(layout)

    depth, integration = social_vga(layout)
    out["social_visual_mean_depth"] = depth
    out["social_visual_integration"] = integration

    for key, zone in (
        ("dayroom", Zone.DAYROOM),
        ("dining", Zone.DINING),
        ("garden", Zone.GARDEN),
        ("staff_base", Zone.STAFF_BASE),
    ):
        out[f"walk_bedroom_to_{key}_m"] = _walk_from_bedrooms(layout, zone)

    social = layout.social_rooms
    sizes = sorted((len(r.cells) * cell_m2 for r in social), reverse=True)
    out["social_spaces"] = len(social)
    out["social_space_mean_m2"] = float(np.mean(sizes)) if sizes else math.nan
    out["social_space_sizes_m2"] = sizes
    pieces = layout.furniture[variant or layout.default_furniture].pieces
    out["sociopetality"] = sociopetality(pieces, layout, rooms={r.id for r in social})
    return out


def _within(layout: Layout, cells: list[tuple[int, int]], metres: float) -> np.ndarray:
    """Cells within `metres` (straight line) of any of `cells`."""
    rr, cc = np.indices(layout.shape)
    near = np.zeros(layout.shape, bool)
    reach = (metres / layout.cell_size_m) ** 2
    for r, c in cells:
        near |= (rr - r) ** 2 + (cc - c) ** 2 <= reach
    return near


def _cells(mask: np.ndarray) -> list[tuple[int, int]]:
    return [(int(r), int(c)) for r, c in np.argwhere(mask)]


def door_and_threshold(layout: Layout, room) -> list[tuple[int, int]]:
    """A room's door cells and the floor just outside them (where someone coming out stands).

    A door in a corridor wall is seen edge-on from along the corridor; what
    staff watch is the threshold, so a door counts as visible when either is.
    """
    rows, cols = layout.shape
    cells = set(room.doors)
    for r, c in room.doors:
        for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            rr, cc = r + dr, c + dc
            if (
                0 <= rr < rows
                and 0 <= cc < cols
                and layout.zones[rr, cc] > Zone.DOOR
                and layout.room_of[rr, cc] != room.id
            ):
                cells.add((rr, cc))
    return sorted(cells)


def _walk_from_bedrooms(layout: Layout, zone: Zone) -> float:
    """Mean over bedrooms of the walk from the nearest of its doors to the nearest cell of `zone`."""
    if not layout.mask(zone).any() or not layout.bedrooms:
        return math.nan
    field = geometry_of(layout).field(("zone", zone))
    walks = [min(field[d] for d in room.doors) for room in layout.bedrooms if room.doors]
    return float(np.mean(walks)) if walks else math.nan


def bedroom_privacy(layout: Layout) -> float:
    """Share of bedroom floor that nobody in a corridor or the staff base sees from nearby.

    "Nearby" is within Hall's social distance (3.6 m): farther off, a glance
    through an open door does not take in the room. Visibility is symmetric
    (shadowcasting), so each bedroom cell's own isovist is searched for
    corridor or staff-base cells within that distance.
    """
    bedroom = layout.mask(Zone.BEDROOM)
    if not bedroom.any():
        return math.nan
    watchers = layout.mask(Zone.CORRIDOR, Zone.STAFF_BASE)
    geo = geometry_of(layout)
    reach = HALL_SOCIAL_M / layout.cell_size_m
    private = 0
    cells = _cells(bedroom)
    for r, c in cells:
        seen = np.argwhere(geo.isovist((r, c)) & watchers)
        private += not (seen.size and (np.hypot(seen[:, 0] - r, seen[:, 1] - c) <= reach).any())
    return private / len(cells)


def vga_nodes(layout: Layout) -> list[tuple[int, int]]:
    """Floor cells on a lattice of `VGA_SPACING_M`, the nodes of the visibility graph."""
    stride = max(1, round(VGA_SPACING_M / layout.cell_size_m))
    floor = layout.floor
    lattice = np.zeros(floor.shape, bool)
    lattice[::stride, ::stride] = True
    return _cells(floor & lattice)


def social_vga(layout: Layout) -> tuple[float, float]:
    """Visual mean depth and integration [HH] of the social spaces' nodes (depthmapX VGA).

    Nodes are floor cells every `VGA_SPACING_M`; two nodes are linked when they
    see each other. Mean depth of a node is its mean number of visual steps to
    every other node it can reach; integration [HH] is depthmapX's normalised
    inverse of relative asymmetry by the D-value [@hillier1984].
    Returns the means over the nodes that lie in social spaces.
    """
    nodes = vga_nodes(layout)
    index = np.full(layout.shape, -1, np.int32)
    for i, (r, c) in enumerate(nodes):
        index[r, c] = i
    geo = geometry_of(layout)
    src, dst = [], []
    for i, cell in enumerate(nodes):
        seen = index[geo.isovist(cell)]
        seen = seen[(seen >= 0) & (seen != i)]
        src.append(np.full(seen.size, i))
        dst.append(seen)
    n = len(nodes)
    graph = csr_matrix(
        (np.ones(sum(s.size for s in src)), (np.concatenate(src), np.concatenate(dst))), shape=(n, n)
    )
    social = layout.mask(*SOCIAL_ZONES)
    targets = [i for i, cell in enumerate(nodes) if social[cell]]
    if not targets:
        return math.nan, math.nan
    depth = shortest_path(graph, directed=False, unweighted=True, indices=targets)
    mean_depths, integrations = [], []
    for row in depth:
        reach = np.isfinite(row)
        k = int(reach.sum())
        if k < 3:
            continue
        md = float(row[reach].sum()) / (k - 1)
        mean_depths.append(md)
        integrations.append(integration_hh(md, k))
    return float(np.mean(mean_depths)), float(np.mean(integrations))


def integration_hh(mean_depth: float, k: int) -> float:
    """Integration [HH] of a node with `mean_depth` in a graph of `k` nodes (depthmapX).

    RA = 2 (MD - 1) / (k - 2); D_k = 2 (k (log2((k + 2) / 3) - 1) + 1) / ((k - 1)(k - 2));
    integration = D_k / RA. Infinite when the node sees every other (MD = 1).
    """
    ra = 2.0 * (mean_depth - 1.0) / (k - 2)
    d_k = 2.0 * (k * (math.log2((k + 2) / 3.0) - 1.0) + 1.0) / ((k - 1) * (k - 2))
    return d_k / ra if ra > 0 else math.inf
