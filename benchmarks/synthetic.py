"""A synthetic corridor ward of any even number of beds, for the scaling benchmark.

The built-in wards have 20 beds; to time 40 and 80 the benchmark draws a
ward in the layout language: a double-loaded corridor (2 m wide) with
`beds / 2` single bedrooms (interior 5 x 8 cells = 2.5 m x 4 m, one bed 'B'
of 2 x 4 cells) on each side, east of the shared rooms. North of the
corridor: entrance 'e', staff base 's', therapy 't', visitors 'v', office 'o';
south: extra-care 'x', quiet 'q', dayroom 'd', dining 'm', bathroom 'w';
a walled garden 'g' off the dayroom. Office, quiet room and bathroom go
beyond the minimum so that the synthetic ward has every zone the built-in
corridor ward has, and scaling compares like with like. Dayroom and dining
grow with the beds: tables of 2 x 2 cells with eight chairs round each,
dayroom seats about half the beds, dining seats every bed.
"""

from __future__ import annotations

import math

from milieusim.space import Layout, parse_layout

ROOM_ROWS = 8  # interior rows of the rooms on either side of the corridor
CORRIDOR_ROWS = 4  # 2 m at 0.5 m cells
GARDEN_ROWS = 8
BEDROOM_COLS = 5
# one table of 2 x 2 cells and eight chairs facing it (4 x 4 cells)
GROUP = (".vv.", ">TT<", ">TT<", ".^^.")
GROUP_COLS = len(GROUP[0]) + 1  # a free column between groups


def _width_for_groups(n_groups: int, minimum: int) -> int:
    return max(minimum, n_groups * GROUP_COLS + 1)


def synthetic_ward_text(beds: int) -> str:
    """The layout-file text of a double-loaded corridor ward with `beds` single bedrooms."""
    if beds < 2 or beds % 2:
        raise ValueError(f"beds must be even and at least 2, not {beds}")
    per_side = beds // 2
    n_dayroom = math.ceil(beds / 16)  # 8 seats per group: dayroom seats ~ beds / 2
    n_dining_cols = math.ceil(beds / 16)  # two bands of groups: dining seats ~ beds
    north = [["e", 8], ["s", 10], ["t", 14], ["v", 8], ["o", 8]]
    south = [
        ["x", 8],
        ["q", 8],
        ["d", _width_for_groups(n_dayroom, 16)],
        ["m", _width_for_groups(n_dining_cols, 16)],
        ["w", 5],
    ]
    # balance the west blocks: widen therapy (north) or dining (south)
    width_n = sum(w for _, w in north) + len(north)
    width_s = sum(w for _, w in south) + len(south)
    if width_n < width_s:
        north[2][1] += width_s - width_n
    else:
        south[3][1] += width_n - width_s
    north += [["b", BEDROOM_COLS]] * per_side
    south += [["b", BEDROOM_COLS]] * per_side

    def starts(segments):
        """First interior column of each segment (each segment follows a wall)."""
        col, out = 1, []
        for _, w in segments:
            out.append(col)
            col += w + 1
        return out, col  # col: total width (the last segment's east wall is the last column)

    n_start, width = starts(north)
    s_start, width_s = starts(south)
    assert width == width_s, (width, width_s)
    west = n_start[len(north) - per_side] - 1  # column of the first bedroom's west wall

    def side_row(segments):
        return "#" + "#".join(ch * w for ch, w in segments) + "#"

    def door_row(segments, seg_starts):
        row = ["#"] * width
        for c in seg_starts:
            row[c + 1] = row[c + 2] = "+"
        return "".join(row)

    r_north, r_door_n = 1, 1 + ROOM_ROWS
    r_corr = r_door_n + 1
    r_door_s = r_corr + CORRIDOR_ROWS
    r_south = r_door_s + 1
    r_wall_g = r_south + ROOM_ROWS
    r_garden = r_wall_g + 1
    rows = ["#" * width]
    rows += [side_row(north)] * ROOM_ROWS
    rows.append(door_row(north, n_start))
    rows += ["#" + "." * (width - 2) + "#"] * CORRIDOR_ROWS
    rows.append(door_row(south, s_start))
    rows += [side_row(south)] * ROOM_ROWS
    day_col = s_start[2]
    garden_wall = ["#"] * width
    garden_wall[day_col + 2] = garden_wall[day_col + 3] = "+"
    rows.append("".join(garden_wall))
    rows += ["#" + "g" * (west - 1) + "#" + "~" * (width - west - 1)] * GARDEN_ROWS
    rows.append("#" * (west + 1) + "~" * (width - west - 1))
    plan = [list(r) for r in rows]
    assert all(len(r) == width for r in plan)

    # furniture: the rooms plan with room letters cleared, then the pieces
    furn = [["." if ch.isalpha() else ch for ch in row] for row in plan]

    def put(r0, c0, block):
        for dr, line in enumerate(block):
            for dc, ch in enumerate(line):
                if ch != ".":
                    furn[r0 + dr][c0 + dc] = ch

    def groups(r0, c0, cols, bands=1):
        n = (cols - 1) // GROUP_COLS
        for band in range(bands):
            for k in range(n):
                put(r0 + band * len(GROUP), c0 + 1 + k * GROUP_COLS, GROUP)

    for k in range(per_side):
        c = n_start[len(north) - per_side + k]
        put(r_north, c + 3, ["BB"] * 4)  # bed away from the door
        c = s_start[len(south) - per_side + k]
        put(r_south + ROOM_ROWS - 4, c + 3, ["BB"] * 4)
    widths_n = dict((ch, (c, w)) for (ch, w), c in zip(north, n_start, strict=True) if ch != "b")
    widths_s = dict((ch, (c, w)) for (ch, w), c in zip(south, s_start, strict=True) if ch != "b")
    c, w = widths_n["s"]
    put(r_north + 2, c + 3, ["DDD", ".^."])  # staff base desk and chair
    c, w = widths_n["o"]
    put(r_north + 2, c + 2, ["DD", "^."])
    c, w = widths_n["t"]
    groups(r_north + 2, c, w)
    c, w = widths_n["v"]
    groups(r_north + 2, c, w)
    c, w = widths_s["q"]
    groups(r_south + 2, c, w)
    c, w = widths_s["d"]
    groups(r_south + 2, c, w)
    c, w = widths_s["m"]
    groups(r_south, c, w, bands=2)
    for k in range(3):  # garden benches against the south wall, facing north
        put(r_garden + GARDEN_ROWS - 1, 4 + 6 * k, ["^^^"])

    rooms_plan = "\n".join("".join(r) for r in plan)
    furniture_plan = "\n".join("".join(r) for r in furn)
    return (
        "[layout]\n"
        f'name = "synthetic{beds}"\n'
        f'description = "synthetic double-loaded corridor ward, {beds} single rooms (benchmark)"\n'
        "cell_size_m = 0.5\n"
        f"beds = {beds}\n"
        'setting = "inpatient"\n'
        'default_furniture = "standard"\n\n'
        f'[rooms]\nplan = """\n{rooms_plan}\n"""\n\n'
        f'[furniture.standard]\ndescription = "as built"\nplan = """\n{furniture_plan}\n"""\n'
    )


def synthetic_ward(beds: int) -> tuple[str, Layout]:
    """The text of the synthetic ward and its parsed (validated) `Layout`."""
    text = synthetic_ward_text(beds)
    return text, parse_layout(text, source=f"<synthetic{beds}>")


if __name__ == "__main__":
    import sys

    print(synthetic_ward(int(sys.argv[1]) if len(sys.argv) > 1 else 40)[0])
