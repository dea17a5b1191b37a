"""Geometry of a ward, computed once per layout and cached: walking and seeing.

- Walking: distance fields (metres on foot from every cell to a target: a
  room, a zone, a named point, a seat), and for each field a next-hop array,
  so an agent moves by one array lookup per step and never searches a path.
  People step in 8 directions but never squeeze diagonally past a wall corner.
- Seeing: isovists (every cell visible from a cell) by symmetric shadowcasting,
  so that A sees B exactly when B sees A; line of sight is a lookup in one.

Only walls, outside and doors' frames matter: doors are open, furniture is
low enough to see over and to step around (an assumption: at 0.5 m cells the
detour round a chair is at most a cell or two). So moving furniture never
invalidates any of this; a field towards a seat is keyed by the seat's cell,
and a moved seat simply asks for (and caches) the field of its new cell.
"""

from __future__ import annotations

import math
import weakref
from functools import cached_property

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from milieusim.jit import kernel
from milieusim.space.symbols import Zone

Cell = tuple[int, int]
#: Moore neighbourhood, in the order ties are broken (orthogonal first).
STEPS: tuple[tuple[int, int], ...] = ((-1, 0), (0, 1), (1, 0), (0, -1), (-1, 1), (1, 1), (1, -1), (-1, -1))


class Geometry:
    """Walking-distance fields, next hops, isovists and line of sight of one layout.

    Do not build directly in model code: `geometry_of(layout)` returns the cached one.
    """

    def __init__(self, layout):
        self.layout = layout
        self.shape = layout.shape
        self.walkable = np.asarray(layout.floor)
        self._opaque = ~self.walkable
        self._fields: dict[tuple, np.ndarray] = {}
        self._hops: dict[tuple, np.ndarray] = {}
        #: Isovists computed so far, one flattened row each (rows*cols bytes; at most one per floor cell).
        self.isovists = np.zeros((0, self.walkable.size), np.bool_)
        self._isovist_row: dict[Cell, int] = {}
        #: Walks to single cells (seats, spots, beds, points), one flattened field (metres) and its next
        #: hops per row, for the movement kernel; `walk_index` gives a cell's row. Rows, not a list of
        #: arrays: a kernel takes two arrays at a fraction of the cost of two lists.
        self.route_fields = np.zeros((0, self.walkable.size))
        self.route_hops = np.zeros((0, self.walkable.size), np.int8)
        self._route: dict[Cell, int] = {}

    # ------------------------------------------------------------ walking

    @cached_property
    def graph(self) -> csr_matrix:
        """Sparse graph of steps between walkable cells, weighted in metres."""
        rows, cols = self.shape
        idx = np.arange(rows * cols).reshape(self.shape)
        src, dst, w = [], [], []
        ok = self.walkable
        for dr, dc in STEPS:
            move = _shifted_ok(ok, dr, dc)
            if dr and dc:  # diagonal: both orthogonal neighbours must be walkable
                move &= _shifted_ok(ok, dr, 0) & _shifted_ok(ok, 0, dc)
            r, c = np.nonzero(move)
            src.append(idx[r, c])
            dst.append(idx[r + dr, c + dc])
            w.append(np.full(r.size, self.layout.cell_size_m * (math.sqrt(2) if dr and dc else 1.0)))
        n = rows * cols
        return csr_matrix((np.concatenate(w), (np.concatenate(src), np.concatenate(dst))), shape=(n, n))

    def field(self, key: tuple) -> np.ndarray:
        """Walking distance in metres from every cell to the target named by `key`.

        Keys: ``("cell", (r, c))``, ``("room", id)``, ``("zone", Zone)``,
        ``("point", name)``. Unreachable cells and walls hold ``inf``. Cached.
        """
        if (row := self._route_row(key)) is not None:
            return _read_only(self.route_fields[row].reshape(self.shape))
        if key not in self._fields:
            cells = self.target_cells(key)
            flat = [r * self.shape[1] + c for r, c in cells]
            dist = dijkstra(self.graph, directed=True, indices=flat, min_only=True)
            dist = dist.reshape(self.shape)
            dist[~self.walkable] = np.inf
            dist.flags.writeable = False
            self._fields[key] = dist
        return self._fields[key]

    def target_cells(self, key: tuple) -> list[Cell]:
        """The cells a field key stands for."""
        kind, what = key
        layout = self.layout
        if kind == "cell":
            cells = [tuple(what)]
        elif kind == "room":
            cells = list(layout.rooms[what].cells)
        elif kind == "zone":
            cells = [tuple(map(int, rc)) for rc in np.argwhere(layout.zones == Zone(what))]
        elif kind == "point":
            cells = [layout.points[what]]
        else:
            raise ValueError(f"unknown field key {key!r}; kinds: cell, room, zone, point")
        if not cells:
            raise ValueError(f"field target {key!r} has no cells in layout {layout.name!r}")
        bad = [c for c in cells if not self.walkable[c]]
        if bad:
            raise ValueError(f"field target {key!r} is not on walkable floor: {bad[:3]}")
        return cells

    def next_hop(self, key: tuple) -> np.ndarray:
        """For each cell, the index into `STEPS` of the first step towards the target.

        -1 at the target itself and where the target cannot be reached.
        Vectorised: one array per target, computed once.
        """
        if (row := self._route_row(key)) is not None:
            return _read_only(self.route_hops[row].reshape(self.shape))
        if key not in self._hops:
            dist = self.field(key)
            best = np.full(self.shape, np.inf)
            hop = np.full(self.shape, -1, np.int8)
            padded = np.pad(dist, 1, constant_values=np.inf)
            rows, cols = self.shape
            for k, (dr, dc) in enumerate(STEPS):
                step = self.layout.cell_size_m * (math.sqrt(2) if dr and dc else 1.0)
                cand = padded[1 + dr : 1 + dr + rows, 1 + dc : 1 + dc + cols] + step
                if dr and dc:  # no squeezing past a corner
                    blocked = ~(_shifted_ok(self.walkable, dr, 0) & _shifted_ok(self.walkable, 0, dc))
                    cand = np.where(blocked, np.inf, cand)
                better = cand < best - 1e-9
                best = np.where(better, cand, best)
                hop[better] = k
            hop[(dist == 0) | ~np.isfinite(dist)] = -1
            hop.flags.writeable = False
            self._hops[key] = hop
        return self._hops[key]

    def walk_index(self, cell: Cell) -> int:
        """The index in `route_fields` and `route_hops` of the walk to `cell` (computed on first use)."""
        cell = (int(cell[0]), int(cell[1]))
        index = self._route.get(cell)
        if index is None:
            key = ("cell", cell)
            field, hops = self.field(key), self.next_hop(key)
            index = self._route[cell] = len(self._route)
            self.route_fields = _with_row(self.route_fields, index)
            self.route_hops = _with_row(self.route_hops, index)
            self.route_fields[index], self.route_hops[index] = field.reshape(-1), hops.reshape(-1)
            del self._fields[key], self._hops[key]  # kept once, as the rows
        return index

    def _route_row(self, key: tuple) -> int | None:
        """The row of `route_fields` and `route_hops` holding the field of `key`, if any."""
        return self._route.get(key[1]) if key[0] == "cell" else None

    def step_towards(self, cell: Cell, key: tuple) -> Cell:
        """The next cell on a shortest walk from `cell` to the target (itself when there)."""
        k = self.next_hop(key)[cell]
        if k < 0:
            return cell
        return (cell[0] + STEPS[k][0], cell[1] + STEPS[k][1])

    def route(self, start: Cell, key: tuple) -> list[Cell]:
        """A shortest walk from `start` to the target, both ends included.

        Raises:
            ValueError: the target cannot be reached from `start`.
        """
        if not np.isfinite(self.field(key)[start]):
            raise ValueError(f"{key!r} cannot be reached from {start}")
        path = [tuple(start)]
        while self.field(key)[path[-1]] > 0:
            path.append(self.step_towards(path[-1], key))
        return path

    def walking_distance(self, a: Cell, b: Cell) -> float:
        """Metres on foot from cell `a` to cell `b` (inf when unreachable)."""
        return float(self.field(("cell", tuple(b)))[a])

    # ------------------------------------------------------------ seeing

    def isovist(self, origin: Cell) -> np.ndarray:
        """Boolean mask of the cells visible from `origin` (walls bounding the view included); read-only."""
        row = self.isovist_row(origin)  # first: it may grow `isovists`
        mask = self.isovists[row].reshape(self.shape)
        mask.flags.writeable = False
        return mask

    def isovist_row(self, origin: Cell) -> int:
        """The row of `isovists` that holds the isovist of `origin` (computed on first use)."""
        origin = (int(origin[0]), int(origin[1]))
        row = self._isovist_row.get(origin)
        if row is None:
            row = self._isovist_row[origin] = len(self._isovist_row)
            self.isovists = _with_row(self.isovists, row)
            self.isovists[row] = shadowcast(self._opaque, origin).ravel()
        return row

    def line_of_sight(self, a: Cell, b: Cell) -> bool:
        """Whether `a` and `b` see each other (symmetric)."""
        return bool(self.isovist(a)[tuple(b)])

    def visible_from_any(self, origins) -> np.ndarray:
        """Union of the isovists of `origins`."""
        out = np.zeros(self.shape, bool)
        for cell in origins:
            out |= self.isovist(cell)
        return out

    # ------------------------------------------------------------ all at once

    def field_keys(self) -> list[tuple]:
        """Every target an agent walks to: rooms, zones, named points and every seat of every variant."""
        layout = self.layout
        keys: list[tuple] = [("room", room.id) for room in layout.rooms]
        keys += [
            ("zone", z) for z in sorted({Zone(int(v)) for v in np.unique(layout.zones)}) if z > Zone.DOOR
        ]
        keys += [("point", name) for name in layout.points]
        seats = {cell for v in layout.furniture.values() for p in v.pieces if p.is_seat for cell in p.cells}
        keys += [("cell", cell) for cell in sorted(seats)]
        return keys

    def precompute(self) -> dict[str, int]:
        """Compute every field, next hop and the isovists of the staff base; return counts."""
        keys = self.field_keys()
        for key in keys:
            self.next_hop(key)
        base = [tuple(map(int, rc)) for rc in np.argwhere(self.layout.zones == Zone.STAFF_BASE)]
        for cell in base + list(self.layout.points.values()):
            self.isovist(cell)
        return {"fields": len(keys), "isovists": len(self._isovist_row)}


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _read_only(view: np.ndarray) -> np.ndarray:
    view.flags.writeable = False
    return view


def _with_row(rows: np.ndarray, row: int) -> np.ndarray:
    """`rows`, or a copy with twice the room (at least 64 rows) when row `row` is past its end."""
    if row < len(rows):
        return rows
    grown = np.zeros((max(64, 2 * row), *rows.shape[1:]), rows.dtype)
    grown[:row] = rows[:row]
    return grown


def geometry_of(layout) -> Geometry:
    """The one `Geometry` of `layout`, built on first use."""
    geo = _CACHE.get(layout)
    if geo is None:
        geo = _CACHE[layout] = Geometry(layout)
    return geo


def _shifted_ok(ok: np.ndarray, dr: int, dc: int) -> np.ndarray:
    """Mask of cells whose neighbour at (dr, dc) is on the plan and `ok` (and the cell itself ok)."""
    rows, cols = ok.shape
    padded = np.pad(ok, 1, constant_values=False)
    return ok & padded[1 + dr : 1 + dr + rows, 1 + dc : 1 + dc + cols]


# ---------------------------------------------------------------- shadowcasting


@kernel
def shadowcast(opaque: np.ndarray, origin) -> np.ndarray:
    """Cells visible from `origin` on a grid of opaque cells, by symmetric shadowcasting.

    The algorithm (A. Ford, "Symmetric Shadowcasting", 2021) scans four
    quadrants row by row, narrowing the visible arc at opaque cells. A floor
    cell is visible only if its centre lies within the arc, which makes
    visibility symmetric between floor cells; opaque cells bounding the view
    are visible. Slopes are exact rationals (numerator, denominator).
    """
    rows, cols = opaque.shape
    o_r, o_c = origin
    seen = np.zeros(opaque.shape, np.bool_)
    seen[o_r, o_c] = True
    for quadrant in range(4):  # north, east, south, west: (depth, col) -> cell
        # (depth, start slope p/q, end slope p/q)
        stack = [(1, -1, 1, 1, 1)]
        while stack:
            depth, sp, sq, ep, eq = stack.pop()
            lo = (2 * depth * sp + sq) // (2 * sq)  # round half up of depth*start
            hi = -((eq - 2 * depth * ep) // (2 * eq))  # round half down of depth*end
            prev = -1  # the previous cell in the row: -1 none yet, 0 floor, 1 opaque
            for col in range(lo, hi + 1):
                if quadrant == 0:
                    r, c = o_r - depth, o_c + col
                elif quadrant == 1:
                    r, c = o_r + col, o_c + depth
                elif quadrant == 2:
                    r, c = o_r + depth, o_c + col
                else:
                    r, c = o_r + col, o_c - depth
                inside = 0 <= r < rows and 0 <= c < cols
                wall = opaque[r, c] if inside else True
                if inside and (wall or (col * sq >= depth * sp and col * eq <= depth * ep)):
                    seen[r, c] = True
                if prev == 1 and not wall:
                    sp, sq = 2 * col - 1, 2 * depth
                if prev == 0 and wall:
                    stack.append((depth + 1, sp, sq, 2 * col - 1, 2 * depth))
                prev = 1 if wall else 0
            if prev == 0:
                stack.append((depth + 1, sp, sq, ep, eq))
    return seen
