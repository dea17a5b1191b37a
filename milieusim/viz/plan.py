"""Drawing a ward plan: zones, walls, doors, furniture with its facing, and overlays.

`draw_plan` draws onto a matplotlib Axes (the report and the heatmaps reuse
it); `save_plan` writes a PNG with legend and scale bar. A plan with an
overlay (a heatmap) is drawn in greys, the heat above the furniture, so that
nothing the heat shows takes a room's colour or hides under a bed.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm, to_rgb
from matplotlib.patches import Patch, Polygon, Rectangle

from milieusim.space.furniture import Piece
from milieusim.space.geometry import geometry_of
from milieusim.space.layout import Layout
from milieusim.space.symbols import Zone

ZONE_COLOURS: dict[Zone, str] = {
    Zone.OUTSIDE: "#ffffff",
    Zone.WALL: "#2b2b2b",
    Zone.DOOR: "#c8a165",
    Zone.CORRIDOR: "#e9e4da",
    Zone.BEDROOM: "#a9c7e8",
    Zone.BATHROOM: "#b9e3e0",
    Zone.DAYROOM: "#f6c177",
    Zone.DINING: "#f3a683",
    Zone.THERAPY: "#c3aed6",
    Zone.QUIET: "#d6e6b5",
    Zone.GARDEN: "#8fc98f",
    Zone.STAFF_BASE: "#e76f6f",
    Zone.VISITORS: "#f7d6e0",
    Zone.OFFICE: "#bfbfbf",
    Zone.ENTRANCE: "#f2e394",
    Zone.EXTRA_CARE: "#9e7fb8",
}
FURNITURE_COLOUR = "#5b4636"
#: Under a heatmap: walls as on the plan, corridors lighter than rooms, every room one grey.
GREY_ZONES = {Zone.OUTSIDE: "#ffffff", Zone.WALL: "#2b2b2b", Zone.DOOR: "#bdbdbd", Zone.CORRIDOR: "#f0f0f0"}
GREY_ROOM = "#d9d9d9"
#: Room labels: the largest and smallest font (points) and the share of a room's width they may take.
LABEL_PT, LABEL_MIN_PT, LABEL_FILL = 9.0, 6.5, 0.92


def zone_image(layout: Layout, grey: bool = False) -> np.ndarray:
    """RGB image of the zones, one pixel per cell (`grey`: every room one grey, as under a heatmap)."""
    img = np.ones((*layout.shape, 3))
    for zone, colour in ZONE_COLOURS.items():
        img[layout.zones == zone] = to_rgb(GREY_ZONES.get(zone, GREY_ROOM) if grey else colour)
    return img


def whole_beds(layout: Layout, pieces, values: np.ndarray) -> np.ndarray:
    """`values` with what falls on a bed's cells spread evenly over the whole bed.

    A patient in bed stands on one cell of it (the model's place in bed) but lies
    on all of it: drawn on one cell, the night's presence would be a dot at the
    pillow. Totals are kept.
    """
    out = np.asarray(values, dtype=float).copy()
    for piece in pieces:
        if piece.kind == "bed":
            rows, cols = zip(*piece.cells, strict=True)
            out[list(rows), list(cols)] = np.nansum(out[list(rows), list(cols)]) / len(piece.cells)
    return out


def draw_plan(
    ax,
    layout: Layout,
    pieces: tuple[Piece, ...] | list[Piece] | None = None,
    overlay: np.ndarray | None = None,
    overlay_label: str = "",
    labels: bool = True,
    cmap: str = "magma_r",
    norm=None,
    colorbar: bool = True,
):
    """Draw `layout` on `ax` in cell coordinates (x = col, y = row, north up); return the overlay's image.

    Args:
        pieces: furniture to draw (default: the layout's default variant).
        overlay: optional per-cell values drawn over the floor and the furniture (NaN and 0 =
            none, left grey); the plan is then drawn in greys, furniture as outlines over the
            heat, and a bed's value is spread over the whole bed (`whole_beds`).
        overlay_label: colour-bar label for `overlay`.
        labels: write room names on the plan.
        norm: colour scale of `overlay` (default: `count_norm` of its values); plans drawn
            side by side share one.
        colorbar: draw a colour bar beside the plan.
    """
    rows, cols = layout.shape
    heat = overlay is not None
    ax.imshow(
        zone_image(layout, grey=heat),
        origin="upper",
        interpolation="nearest",
        extent=(-0.5, cols - 0.5, rows - 0.5, -0.5),
    )
    if pieces is None:
        pieces = layout.furniture[layout.default_furniture].pieces
    im = None
    if heat:
        shown = heat_layer(layout, pieces, overlay)
        im = ax.imshow(
            shown,
            origin="upper",
            interpolation="nearest",
            cmap=cmap,
            norm=norm if norm is not None else count_norm(shown),
            zorder=HEAT_Z,  # over the furniture's fill, so a bed's or a seat's count shows
            extent=(-0.5, cols - 0.5, rows - 0.5, -0.5),
        )
        if colorbar:
            ax.figure.colorbar(im, ax=ax, shrink=0.6, label=overlay_label)
    for piece in pieces:
        _draw_piece(ax, piece, outline=heat)
    if labels:
        _label_rooms(ax, layout)
    for name, (r, c) in layout.points.items():
        ax.plot(
            c,
            r,
            marker="*" if name == "staff_base" else "o",
            ms=9 if name == "staff_base" else 6,
            mec="black",
            mfc="none" if heat else "white" if name != "staff_base" else "#c1121f",
            zorder=5,
        )
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    return im


#: Where the heat sits: above furniture fills (3-4), below furniture outlines and points (5).
HEAT_Z = 4.5


def heat_layer(layout: Layout, pieces, values: np.ndarray) -> np.ndarray:
    """What a heatmap draws: `values` on the floor, beds whole (`whole_beds`), NaN where there is none."""
    spread = whole_beds(layout, pieces, np.where(layout.floor, values, 0.0))
    return np.where(layout.floor & (spread > 0), spread, np.nan)


def count_norm(*values: np.ndarray) -> LogNorm | None:
    """A log colour scale when the positive counts span orders of magnitude, else None (linear).

    Counts on a plan do (a bed holds a patient every night, a corridor cell a passer-by):
    a log scale shows both.
    """
    positive = np.concatenate([v[np.isfinite(v) & (v > 0)].ravel() for v in values])
    if positive.size and positive.max() > 20 * positive.min():
        return LogNorm(positive.min(), positive.max())
    return None


def _draw_piece(ax, piece: Piece, outline: bool = False):
    """A piece of furniture; `outline`: its outline only, over a heatmap (`HEAT_Z`)."""
    rs = [r for r, _ in piece.cells]
    cs = [c for _, c in piece.cells]
    r0, c0, r1, c1 = min(rs), min(cs), max(rs), max(cs)
    if outline:
        pad = 0.32 if piece.kind == "chair" else 0.42
        ax.add_patch(
            Rectangle(
                (c0 - pad, r0 - pad),
                c1 - c0 + 2 * pad,
                r1 - r0 + 2 * pad,
                fc="none",
                ec="#555555",
                lw=0.6,
                zorder=HEAT_Z + 0.2,
            )
        )
        return
    if piece.kind in ("table", "bed", "desk", "sofa"):
        fill = {"table": "#8d6e52", "bed": "#ffffff", "desk": "#6d6d6d", "sofa": "#7a5c8e"}[piece.kind]
        ax.add_patch(
            Rectangle(
                (c0 - 0.42, r0 - 0.42),
                c1 - c0 + 0.84,
                r1 - r0 + 0.84,
                fc=fill,
                ec=FURNITURE_COLOUR,
                lw=0.8,
                zorder=3,
            )
        )
    if piece.kind == "bed":  # pillow at the end touching a wall is not known; mark the top
        ax.add_patch(
            Rectangle(
                (c0 - 0.3, r0 - 0.3), c1 - c0 + 0.6, 0.5, fc="#dddddd", ec=FURNITURE_COLOUR, lw=0.5, zorder=4
            )
        )
    if piece.kind == "chair":
        ax.add_patch(
            Rectangle((c0 - 0.32, r0 - 0.32), 0.64, 0.64, fc="#d9b382", ec=FURNITURE_COLOUR, lw=0.8, zorder=3)
        )
    if piece.kind == "tv":
        ax.add_patch(Rectangle((c0 - 0.45, r0 - 0.2), c1 - c0 + 0.9, 0.4, fc="black", zorder=3))
    if piece.facing is not None:  # a small triangle on each cell pointing the way it faces
        dr, dc = piece.facing.vector
        for r, c in piece.cells:
            tip = (c + 0.45 * dc, r + 0.45 * dr)  # plot x = col, y = row
            bx, by = c + 0.05 * dc, r + 0.05 * dr
            px, py = -dr * 0.24, dc * 0.24  # perpendicular to the facing
            tri = [tip, (bx + px, by + py), (bx - px, by - py)]
            ax.add_patch(Polygon(tri, closed=True, fc=FURNITURE_COLOUR, ec="none", zorder=4))


def _label_rooms(ax, layout: Layout):
    """Room names, each wrapped and sized to fit inside its room at the size the axes has on the figure."""
    per_cell = _points_per_cell(ax, layout)
    for room in layout.rooms:
        if room.zone == Zone.CORRIDOR:
            continue
        cells = np.array(room.cells)
        r, c = cells.mean(axis=0)
        if layout.room_of[round(r), round(c)] != room.id:  # an L or a U: the room's cell nearest its middle
            r, c = cells[np.argmin(np.hypot(*(cells - (r, c)).T))]
        width, height = (np.ptp(cells, axis=0)[::-1] + 1) * per_cell
        name = str(room.number) if room.zone == Zone.BEDROOM else room.zone.label
        fitted = fit_label(name, width * LABEL_FILL, height * LABEL_FILL)
        if fitted is None:  # too small a room to name legibly: its colour and the legend say what it is
            continue
        text, size = fitted
        ax.text(
            c,
            r,
            text,
            ha="center",
            va="center",
            fontsize=size,
            linespacing=1.0,
            zorder=6,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
            gid=f"room-{room.id}",
        )


def _points_per_cell(ax, layout: Layout) -> float:
    """How long one cell is on the figure, in points (the axes keep the plan's aspect)."""
    rows, cols = layout.shape
    box = ax.get_position()
    fig = ax.figure
    return 72.0 * min(box.width * fig.get_figwidth() / cols, box.height * fig.get_figheight() / rows)


def fit_label(text: str, width_pt: float, height_pt: float) -> tuple[str, float] | None:
    """`text` broken into lines (at spaces and after a slash) and a font size that fit a box, in points.

    The largest size from `LABEL_PT` down to `LABEL_MIN_PT` at which the wrapped text fits;
    None when it does not fit even at `LABEL_MIN_PT`.
    """
    words = [w for w in re.split(r"(?<=/)|\s+", text) if w]
    size = LABEL_PT
    while True:
        chars = max(1, int(width_pt / (CHAR_EM * size)))
        lines = _wrap(words, chars)
        fits = max(map(len, lines)) <= chars and len(lines) * size * 1.2 <= height_pt
        if fits:
            return "\n".join(lines), size
        if size <= LABEL_MIN_PT:
            return None
        size = max(LABEL_MIN_PT, size - 0.5)


#: The mean width of a character of the plot font, in ems (DejaVu Sans, lower case, with room to spare).
CHAR_EM = 0.66


def _wrap(words: list[str], chars: int) -> list[str]:
    """Words onto lines of at most `chars` characters where they allow (a word after a slash joins it)."""
    lines: list[str] = []
    for w in words:
        glue = "" if lines and lines[-1].endswith("/") else " "
        if lines and len(lines[-1]) + len(glue) + len(w) <= chars:
            lines[-1] += glue + w
        else:
            lines.append(w)
    return lines


def legend_handles(layout: Layout) -> list:
    """Legend entries for the zones present in `layout`, plus the named points."""
    present = {Zone(int(z)) for z in np.unique(layout.zones)} - {Zone.OUTSIDE}
    handles = [Patch(fc=ZONE_COLOURS[z], ec="#555555", label=z.label) for z in Zone if z in present]
    handles.append(
        plt.Line2D([], [], marker="*", ls="", mfc="#c1121f", mec="black", ms=9, label="staff-base point")
    )
    handles.append(
        plt.Line2D(
            [], [], marker="o", ls="", mfc="white", mec="black", ms=6, label="entrance / extra-care point"
        )
    )
    return handles


def scale_bar(ax, layout: Layout, metres: float = 5.0):
    """A scale bar of `metres` in the lower left corner."""
    rows, _ = layout.shape
    n = metres / layout.cell_size_m
    y = rows + 1.0
    ax.plot([0, n], [y, y], color="black", lw=3, clip_on=False)
    ax.text(n / 2, y + 1.2, f"{metres:g} m", ha="center", va="top", fontsize=8, clip_on=False)


def plan_rows(sizes: list[tuple[float, float]], max_aspect: float = 1.3) -> list[list[int]]:
    """The plans (width, height in metres) in rows, at the largest one scale a page allows.

    Plans side by side share the page's width; one below another each get all of it.
    The rows are those of the column count whose figure is no taller than `max_aspect`
    times its width and draws a metre longest.
    """
    best = None
    for ncols in range(1, len(sizes) + 1):
        rows = [list(range(i, min(i + ncols, len(sizes)))) for i in range(0, len(sizes), ncols)]
        width = max(sum(sizes[i][0] for i in row) for row in rows)
        height = sum(max(sizes[i][1] for i in row) for row in rows)
        if height / width <= max_aspect and (best is None or width < best[0]):
            best = (width, rows)
    return best[1] if best else [list(range(len(sizes)))]


def plan_grid(layouts: list[Layout], width_in: float, extra_right: float = 0.0, title_in: float = 0.0):
    """A figure with one axes per layout, all at one scale (metres per inch), in `plan_rows`, and the axes.

    The plans take `width_in` inches; `title_in` is room above each plan for its title;
    `extra_right` a share of the width beside them (for a colour bar).
    """
    sizes = [(lay.shape[1] * lay.cell_size_m, lay.shape[0] * lay.cell_size_m) for lay in layouts]
    rows = plan_rows(sizes)
    gap = 0.4  # inches between plans
    inch_per_m = min((width_in - gap * (len(row) - 1)) / sum(sizes[i][0] for i in row) for row in rows)
    heights = [max(sizes[i][1] for i in row) * inch_per_m + title_in + 0.45 for row in rows]  # + scale bar
    width = width_in * (1 + extra_right)
    fig = plt.figure(figsize=(width, sum(heights)))
    axes = [None] * len(layouts)
    top = sum(heights)
    for row, h in zip(rows, heights, strict=True):
        top -= h
        x = 0.0
        for i in row:
            w, hm = sizes[i][0] * inch_per_m, sizes[i][1] * inch_per_m
            box = (x / width, (top + h - title_in - hm) / sum(heights), w / width, hm / sum(heights))
            axes[i] = fig.add_axes(box)
            x += w + gap
    return fig, axes


def save_plan(
    layout: Layout, path: str | Path, variant: str | None = None, overlay: str | None = None
) -> Path:
    """Write a PNG of `layout` with legend and scale bar; return its path.

    Args:
        variant: furniture variant (default: the layout's default).
        overlay: None, or "visibility" to shade what the staff base sees.

    Raises:
        ValueError: unknown overlay or variant.
    """
    variant = variant or layout.default_furniture
    if variant not in layout.furniture:
        raise ValueError(
            f"layout {layout.name!r} has no furniture variant {variant!r}; "
            f"variants: {', '.join(layout.furniture)}"
        )
    values = None
    if overlay == "visibility":
        base = [tuple(map(int, rc)) for rc in np.argwhere(layout.zones == Zone.STAFF_BASE)]
        if not base:
            raise ValueError(f"layout {layout.name!r} has no staff base to see from")
        values = np.where(geometry_of(layout).visible_from_any(base), 1.0, np.nan)
    elif overlay is not None:
        raise ValueError(f"unknown overlay {overlay!r}; valid: visibility")
    rows, cols = layout.shape
    width = min(18.0, max(6.0, cols / 7))
    fig, ax = plt.subplots(figsize=(width, width * (rows + 6) / cols + 1.2))
    draw_plan(ax, layout, layout.furniture[variant].pieces, overlay=None)
    if values is not None:
        hidden = np.where(layout.floor & np.isnan(values), 0.0, np.nan)
        ax.imshow(
            hidden,
            origin="upper",
            interpolation="nearest",
            alpha=0.6,
            cmap="Greys_r",
            vmin=0,
            vmax=1,
            extent=(-0.5, cols - 0.5, rows - 0.5, -0.5),
            zorder=2,
        )
    scale_bar(ax, layout)
    title = f"{layout.name}: {layout.meta.description}" if layout.meta.description else layout.name
    ax.set_title(
        f"{title}\nfurniture: {variant}"
        + ("; dark: floor hidden from the staff base" if values is not None else ""),
        fontsize=10,
    )
    ax.legend(
        handles=legend_handles(layout),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        frameon=False,
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path
