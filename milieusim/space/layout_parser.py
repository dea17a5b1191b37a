"""Parsing and validating the text of a layout file: rooms, points, furniture (docs/layouts.md).

Every problem of a file is collected before giving up, and each names the
file, the line, the plan's row and column, the symbol and what would be valid.
"""

from __future__ import annotations

import textwrap

import numpy as np
from pydantic import ValidationError
from scipy import ndimage

from milieusim.space.furniture import FurnitureVariant
from milieusim.space.furniture_plan import parse_furniture_plan
from milieusim.space.layout import Layout, LayoutMeta, Room
from milieusim.space.limits import check_file_size, plan_size_problem
from milieusim.space.symbols import SYMBOL_OF_ZONE, ZONE_SYMBOLS, Zone
from milieusim.validation import InputError, Problem, parse_toml, problems_from_pydantic, unknown_keys

Cell = tuple[int, int]
MAX_CELL_PROBLEMS = 12  # per kind of problem: enough to locate a pattern, not a wall of text


def parse_layout(text: str, source: str = "<string>") -> Layout:
    """Parse and validate the text of a layout file.

    Raises:
        InputError: every problem found, each naming the place and what would be valid.
    """
    check_file_size(len(text.encode("utf-8")), source)
    return _Parser(text, parse_toml(text, source), source).build()


class _Parser:
    """Collects every problem of one layout file before giving up."""

    def __init__(self, text: str, data: dict, source: str):
        self.text, self.data, self.source = text, data, source
        self.problems: list[Problem] = []

    def fail_if_problems(self):
        if self.problems:
            raise InputError(self.source, self.problems)

    def build(self) -> Layout:
        data = self.data
        self.problems += unknown_keys(data, ("layout", "points", "rooms", "furniture"), "file")
        meta = self.meta = self._meta(data.get("layout"))
        rooms_plan = self._rooms_plan(data.get("rooms"))
        if rooms_plan is None:
            self.fail_if_problems()
        zones = self._zones(rooms_plan)
        self.fail_if_problems()
        self._check_enclosed(zones)
        room_of, rooms = _find_rooms(zones)
        points = self._points(data.get("points", {}), zones, room_of, rooms)
        self._check_reachable(zones, rooms, points)
        furniture = self._furniture(data.get("furniture"), zones, room_of, rooms, meta)
        self.fail_if_problems()
        zones.flags.writeable = False
        room_of.flags.writeable = False
        return Layout(meta, zones, room_of, rooms, points, furniture, self.source)

    # -- sections

    def _meta(self, table) -> LayoutMeta | None:
        if not isinstance(table, dict):
            self.problems.append(
                Problem("missing [layout] table with name, beds, cell_size_m", where="[layout]")
            )
            return None
        try:
            return LayoutMeta(**table)
        except ValidationError as exc:
            self.problems += problems_from_pydantic(exc, LayoutMeta, "[layout]")
            return None

    def _plan_lines(self, plan: str, header: str) -> tuple[list[str], int | None]:
        """Split a plan into rows; also find the file line where it starts (after `header`)."""
        body = textwrap.dedent(plan.strip("\n"))
        rows = [row.rstrip() for row in body.split("\n")]
        first = rows[0].strip() if rows else ""
        after = self.text.find(header)
        pos = self.text.find(first, max(after, 0)) if first else -1
        line = self.text.count("\n", 0, pos) + 1 if pos >= 0 else None
        return rows, line

    def _rooms_plan(self, table) -> tuple[list[str], int | None] | None:
        if not isinstance(table, dict) or not isinstance(table.get("plan"), str):
            self.problems.append(
                Problem('missing [rooms] table with plan = """...""" (the ASCII plan)', where="[rooms]")
            )
            return None
        self.problems += unknown_keys(table, ("plan",), "[rooms]")
        rows, line0 = self._plan_lines(table["plan"], "[rooms]")
        cell = self.meta.cell_size_m if self.meta is not None else 0.5
        too_big = plan_size_problem(len(rows), max(len(r) for r in rows), cell, line0)
        if too_big is not None:  # refused before any cell is read
            self.problems.append(too_big)
            return None
        return rows, line0

    def _zones(self, plan) -> np.ndarray:
        rows, line0 = plan
        where = "rooms plan"
        width = max(len(r) for r in rows)
        ragged = False
        for i, row in enumerate(rows):
            if len(row) != width:
                ragged = True
                self.problems.append(
                    Problem(
                        f"row has {len(row)} cells but the widest row has {width}; every row must "
                        "have the same width (pad with '~' for outside)",
                        where=where,
                        line=_line(line0, i),
                        row=i + 1,
                        col=len(row) + 1,
                    )
                )
        if ragged:
            self.fail_if_problems()
        zones = np.empty((len(rows), width), np.int8)
        bad = []
        for i, row in enumerate(rows):
            for j, ch in enumerate(row):
                zone = ZONE_SYMBOLS.get(ch)
                if zone is None:
                    bad.append(
                        Problem(
                            "unknown symbol; valid: " + " ".join(repr(s) for s in ZONE_SYMBOLS),
                            where=where,
                            line=_line(line0, i),
                            row=i + 1,
                            col=j + 1,
                            symbol=ch,
                        )
                    )
                else:
                    zones[i, j] = zone
        self._add_capped(bad)
        self.rooms_line0 = line0
        return zones

    def _check_enclosed(self, zones: np.ndarray):
        floor = zones >= Zone.DOOR
        padded = np.pad(zones, 1, constant_values=Zone.OUTSIDE)
        open_side = np.zeros_like(floor)
        for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            shifted = padded[1 + dr : 1 + dr + zones.shape[0], 1 + dc : 1 + dc + zones.shape[1]]
            open_side |= shifted == Zone.OUTSIDE
        leaks = np.argwhere(floor & open_side)
        self._add_capped(
            [
                Problem(
                    "floor touches the outside or the edge of the plan; enclose the ward with walls '#'",
                    where="rooms plan",
                    line=_line(self.rooms_line0, r),
                    row=r + 1,
                    col=c + 1,
                    symbol=_sym(zones[r, c]),
                )
                for r, c in leaks
            ]
        )

    def _points(self, table, zones, room_of, rooms) -> dict[str, Cell]:
        if not isinstance(table, dict):
            self.problems.append(Problem("must be a table of name = [row, col]", where="[points]"))
            table = {}
        # A home has no staff base: outreach staff come and go.
        home = self.meta is not None and self.meta.setting == "home"
        required = {"entrance": Zone.ENTRANCE} | ({} if home else {"staff_base": Zone.STAFF_BASE})
        optional = {"extra_care": Zone.EXTRA_CARE} | ({"staff_base": Zone.STAFF_BASE} if home else {})
        self.problems += unknown_keys(table, list(required) + list(optional), "[points]")
        points: dict[str, Cell] = {}
        for name, zone in {**required, **optional}.items():
            mask = zones == zone
            if name in table:
                cell = self._point_cell(name, table[name], zones)
                if cell is not None and zones[cell] != zone:
                    self.problems.append(
                        Problem(
                            f"point {name} is on {_label(zones[cell])}, not on {zone.label} ('{_sym(zone)}')",
                            where=f"[points] {name}",
                            row=cell[0] + 1,
                            col=cell[1] + 1,
                        )
                    )
                elif cell is not None:
                    points[name] = cell
            elif mask.any():
                points[name] = _central_cell(mask)
            elif name in required:
                self.problems.append(
                    Problem(
                        f"no {zone.label}: mark it in the rooms plan with '{_sym(zone)}'", where="rooms plan"
                    )
                )
        return points

    def _point_cell(self, name, value, zones) -> Cell | None:
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        )
        if not ok:
            self.problems.append(
                Problem(f"{value!r} is not [row, col] (two 1-based integers)", where=f"[points] {name}")
            )
            return None
        r, c = value[0] - 1, value[1] - 1
        if not (0 <= r < zones.shape[0] and 0 <= c < zones.shape[1]):
            self.problems.append(
                Problem(
                    f"[{value[0]}, {value[1]}] is off the plan (rows 1-{zones.shape[0]}, "
                    f"cols 1-{zones.shape[1]})",
                    where=f"[points] {name}",
                )
            )
            return None
        return (r, c)

    def _check_reachable(self, zones, rooms, points):
        if "entrance" not in points:
            return
        reach = reachable_from(zones >= Zone.DOOR, points["entrance"])
        for room in rooms:
            r, c = room.cells[0]
            if not reach[r, c]:
                self.problems.append(
                    Problem(
                        f"{room.name} cannot be reached from the entrance; add a door '+'",
                        where="rooms plan",
                        line=_line(self.rooms_line0, r),
                        row=r + 1,
                        col=c + 1,
                        symbol=_sym(zones[r, c]),
                    )
                )

    def _furniture(self, table, zones, room_of, rooms, meta) -> dict[str, FurnitureVariant]:
        if table is None:
            if meta is not None and meta.setting != "day":  # a ward with no furniture has no bed
                self.problems.append(
                    Problem(
                        f"missing, so the ward has no beds: {_WHO[meta.setting]} needs beds 'B' drawn in "
                        'its bedrooms in a [furniture.NAME] plan; only a day hospital (setting = "day") '
                        "may have none",
                        where="[furniture]",
                    )
                )
            return {"empty": FurnitureVariant("empty", "no furniture", ())}
        if isinstance(table, str):
            table = {"standard": {"plan": table}}
        if not isinstance(table, dict) or not table:
            self.problems.append(
                Problem("must hold variants: [furniture.NAME] with plan = ...", where="[furniture]")
            )
            return {}
        variants = {}
        for name, spec in table.items():
            where = f"[furniture.{name}]"
            if not name.strip():
                self.problems.append(
                    Problem(
                        "a furniture variant needs a name, e.g. [furniture.standard]", where='[furniture.""]'
                    )
                )
                continue
            if not isinstance(spec, dict) or not isinstance(spec.get("plan"), str):
                self.problems.append(Problem('needs plan = """...""" (the furniture plan)', where=where))
                continue
            self.problems += unknown_keys(spec, ("plan", "description"), where)
            rows, line0 = self._plan_lines(spec["plan"], f"[furniture.{name}]")
            variant, problems = parse_furniture_plan(
                name, str(spec.get("description", "")), rows, line0, zones, room_of
            )
            self._add_capped(problems)
            if not problems:  # a broken plan's pieces are unknown: no follow-on bed count
                variants[name] = variant
        if meta is not None:
            if meta.default_furniture is not None and meta.default_furniture not in variants:
                self.problems.append(
                    Problem(
                        f"default_furniture {meta.default_furniture!r} is not a variant; "
                        f"variants: {', '.join(variants)}",
                        where="[layout] default_furniture",
                    )
                )
            if meta.setting != "day":
                self._check_beds(meta, variants, room_of, rooms)
        return variants

    def _check_beds(self, meta, variants, room_of, rooms):
        bedrooms = [r for r in rooms if r.zone == Zone.BEDROOM]
        for name, variant in variants.items():
            beds = [
                p
                for p in variant.pieces
                if p.kind == "bed" and zones_of_room(rooms, room_of, p) == Zone.BEDROOM
            ]
            where = f"[furniture.{name}]"
            if meta.beds > len(bedrooms):
                self.problems.append(
                    Problem(
                        f"{meta.beds} beds declared but the plan has only {len(bedrooms)} bedrooms",
                        where="[layout] beds",
                    )
                )
                return
            if meta.beds > len(beds):
                self.problems.append(
                    Problem(
                        f"{meta.beds} beds declared but the bedrooms hold only {len(beds)} beds ('B')",
                        where=where,
                    )
                )

    def _add_capped(self, problems: list[Problem]):
        self.problems += problems[:MAX_CELL_PROBLEMS]
        if len(problems) > MAX_CELL_PROBLEMS:
            first = problems[0]
            self.problems.append(
                Problem(
                    f"... and {len(problems) - MAX_CELL_PROBLEMS} more like: {first.message}",
                    where=first.where,
                )
            )


# ---------------------------------------------------------------- helpers


_WHO = {"inpatient": "an inpatient ward", "home": "a home"}


def zones_of_room(rooms, room_of, piece) -> Zone:
    """The zone of the room a piece stands in."""
    return rooms[int(room_of[piece.cells[0]])].zone


def _line(line0: int | None, row: int) -> int | None:
    return None if line0 is None else line0 + row


def _sym(code) -> str:
    return SYMBOL_OF_ZONE[Zone(int(code))]


def _label(code) -> str:
    return Zone(int(code)).label


def _central_cell(mask: np.ndarray) -> Cell:
    """The cell of `mask` nearest the mask's centroid (ties: reading order)."""
    cells = np.argwhere(mask)
    centre = cells.mean(axis=0)
    best = int(np.argmin(((cells - centre) ** 2).sum(axis=1)))
    return (int(cells[best, 0]), int(cells[best, 1]))


FOUR = ndimage.generate_binary_structure(2, 1)


def _find_rooms(zones: np.ndarray) -> tuple[np.ndarray, tuple[Room, ...]]:
    """Rooms are 4-connected areas of one zone type, numbered in reading order per type."""
    room_of = np.full(zones.shape, -1, np.int32)
    found = []  # (first cell, zone, cells)
    for zone in Zone:
        if zone <= Zone.DOOR:
            continue
        labels, n = ndimage.label(zones == zone, structure=FOUR)
        for k in range(1, n + 1):
            cells = np.argwhere(labels == k)
            found.append((tuple(cells[0]), zone, cells))
    found.sort(key=lambda f: (f[0], f[1]))
    doors = zones == Zone.DOOR
    counters: dict[Zone, int] = {}
    rooms = []
    for rid, (_, zone, cells) in enumerate(found):
        counters[zone] = counters.get(zone, 0) + 1
        room_of[cells[:, 0], cells[:, 1]] = rid
        mask = np.zeros(zones.shape, bool)
        mask[cells[:, 0], cells[:, 1]] = True
        near = ndimage.binary_dilation(mask, FOUR) & doors
        rooms.append(
            Room(
                rid,
                zone,
                counters[zone],
                tuple((int(r), int(c)) for r, c in cells),
                tuple((int(r), int(c)) for r, c in np.argwhere(near)),
            )
        )
    return room_of, tuple(rooms)


def reachable_from(floor: np.ndarray, start: Cell) -> np.ndarray:
    """Cells of `floor` reachable on foot from `start` (4-connected: no squeezing past corners)."""
    labels, _ = ndimage.label(floor, structure=FOUR)
    return labels == labels[start]
