"""Pictures of the live ward: the plan with its people, and the live plots, as PNG bytes.

The plan is drawn by `viz.plan.draw_plan` once, and again only when furniture
moves; each frame then only moves the markers of the people, which keeps a
frame cheap. Shapes tell roles apart (patient circle, staff square, relative
triangle), each on a white halo so that it shows on every room's fill; colour
tells a patient's level or agitation (its own sequential palette, scaled to the
agitation that occurs, with a colour bar). Room labels stay above the people; a
number tells how many share a cell; a red ring marks an incident for a few
frames; a black ring follows the person inspected.
"""

from __future__ import annotations

import io
import threading

import numpy as np
import PIL.Image
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from milieusim.app.live import Frame
from milieusim.kinds import PATIENT
from milieusim.viz.plan import draw_plan
from milieusim.viz.run import LEVEL_COLOURS, ROLE_STYLE

#: Agitation's palette: light blue (calm) to deep purple, unlike any level's colour.
AGITATION_CMAP = colormaps["BuPu"]
COLOUR_MODES = ("level", "agitation")
#: Tops of the agitation scale: the smallest that holds the most agitated patient is used.
AGITATION_TOPS = (0.1, 0.2, 0.3, 0.5, 0.75, 1.0)
PLAN_WIDTH_IN = 11.0
LEGEND_IN = 0.5
PLAN_MAX_HEIGHT_IN = 5.5
DPI = 100


def png(fig: Figure) -> bytes:
    """A figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def agitation_top(frame: Frame) -> float:
    """The top of the agitation scale for `frame`: the first of `AGITATION_TOPS` above every patient's."""
    pts = frame.agitation[frame.role == PATIENT]
    most = float(pts.max()) if pts.size else 0.0
    return next(top for top in AGITATION_TOPS if most <= top)


def colours(frame: Frame, colour_by: str) -> np.ndarray:
    """RGBA colour of each person in `frame`: patients by level (L1-L4) or agitation (0 to its top)."""
    if colour_by not in COLOUR_MODES:
        raise ValueError(f"colour_by {colour_by!r}; valid: {', '.join(COLOUR_MODES)}")
    out = np.array([to_rgba(ROLE_STYLE[int(r)][2]) for r in frame.role]).reshape(-1, 4)
    pts = frame.role == PATIENT
    if colour_by == "level":
        out[pts] = [to_rgba(LEVEL_COLOURS[int(k) - 1]) for k in frame.level[pts]]
    else:
        out[pts] = AGITATION_CMAP(np.clip(frame.agitation[pts] / agitation_top(frame), 0.0, 1.0))
    return out


def shared_cells(frame: Frame) -> list[tuple[int, int, int]]:
    """(row, col, how many) of each cell where more than one person stands."""
    cells, counts = np.unique(np.c_[frame.rows, frame.cols].reshape(-1, 2), axis=0, return_counts=True)
    return [(int(r), int(c), int(n)) for (r, c), n in zip(cells, counts, strict=True) if n > 1]


class WardPicture:
    """The plan of one ward with the people on it, redrawn frame after frame.

    The plan and legend are drawn once (again when furniture moves or the colouring
    changes) and kept as a raster; a frame restores it and draws only the people.
    """

    def __init__(self, layout):
        self.layout = layout
        rows, cols = layout.shape
        height = min(PLAN_WIDTH_IN * rows / cols, PLAN_MAX_HEIGHT_IN) + LEGEND_IN  # a tall plan is centred
        self.fig = Figure(figsize=(PLAN_WIDTH_IN, height), dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_axes((0.0, LEGEND_IN / height, 1.0, 1.0 - LEGEND_IN / height))
        self._drawn = (None, None, None)  # (furniture moves, colouring, agitation scale) of the kept raster
        self._background = None
        self._markers = {}
        self._rings = {}
        self._labels = []
        self._colour_bar = None
        self._lock = threading.Lock()  # the play loop and a click may draw at once

    def png(self, frame: Frame, colour_by: str = "level", follow: int | None = None) -> bytes:
        """The plan as it stands in `frame`, people coloured by `colour_by` ("level" or "agitation").

        `follow`: the agent id of a person to ring (if on the ward).
        """
        fill = colours(frame, colour_by)
        scale = agitation_top(frame) if colour_by == "agitation" else None
        with self._lock:
            if self._drawn != (frame.furniture_moves, colour_by, scale):
                self._draw_background(frame, colour_by, scale)
            self.canvas.restore_region(self._background)
            ax = self.ax
            for role, (halo, marker) in self._markers.items():
                mine = frame.role == role
                marker.set_facecolors(fill[mine])
                for layer in (halo, marker):
                    layer.set_offsets(np.c_[frame.cols[mine], frame.rows[mine]])
                    ax.draw_artist(layer)
            self._rings["incident"].set_offsets(frame.flashes[:, ::-1])
            ax.draw_artist(self._rings["incident"])
            chosen = frame.ids == follow
            self._rings["follow"].set_offsets(np.c_[frame.cols[chosen], frame.rows[chosen]])
            ax.draw_artist(self._rings["follow"])
            for r, c, n in shared_cells(frame):
                count = ax.text(c + 0.45, r - 0.45, str(n), fontsize=7, fontweight="bold", zorder=10)
                count.set_bbox({"boxstyle": "circle,pad=0.1", "fc": "#fff3b0", "ec": "black", "lw": 0.5})
                ax.draw_artist(count)
                count.remove()
            for label in self._labels:  # room labels above the people
                ax.draw_artist(label)
            buf = io.BytesIO()
            width, height = self.canvas.get_width_height()
            PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba()).save(buf, "png")
            return buf.getvalue()

    def _draw_background(self, frame: Frame, colour_by: str, scale: float | None):
        ax = self.ax
        if self._drawn[0] != frame.furniture_moves:
            ax.clear()
            draw_plan(ax, self.layout, frame.pieces)
            self._labels = list(ax.texts)
            self._markers = {
                role: tuple(
                    ax.scatter([], [], s=size, marker=m, c=[face], edgecolors=edge, linewidths=width)
                    for size, face, edge, width in (
                        (150 if role == PATIENT else 120, "white", "white", 2.5),  # the halo
                        (70 if role == PATIENT else 60, "white", "black", 1.0),
                    )
                )
                for role, (m, _, _) in ROLE_STYLE.items()
            }
            self._rings = {
                "incident": ax.scatter(
                    [], [], s=520, marker="o", facecolors="none", edgecolors="#e63946", lw=2.5
                ),
                "follow": ax.scatter(
                    [], [], s=380, marker="o", facecolors="none", edgecolors="black", lw=2.2
                ),
            }
        self._legend(colour_by, scale)
        people = [a for pair in self._markers.values() for a in pair] + list(self._rings.values())
        for artist in people + self._labels:
            artist.set_visible(False)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        for artist in people + self._labels:
            artist.set_visible(True)
        self._drawn = (frame.furniture_moves, colour_by, scale)

    def _legend(self, colour_by: str, scale: float | None):
        for legend in self.fig.legends:
            legend.remove()
        if self._colour_bar is not None:
            self._colour_bar.remove()
            self._colour_bar = None
        handles = [
            Line2D(
                [],
                [],
                marker=m,
                ls="",
                mfc="#dddddd" if role == PATIENT else c,
                mec="black",
                ms=8,
                label=name,
            )
            for role, (m, name, c) in ROLE_STYLE.items()
        ]
        handles.append(
            Line2D([], [], marker="o", ls="", mfc="none", mec="#e63946", mew=2, ms=11, label="incident")
        )
        if colour_by == "level":
            handles += [_dot(c, f"L{k}") for k, c in enumerate(LEVEL_COLOURS, start=1)]
        self.fig.legend(
            handles=handles,
            loc="lower left" if colour_by == "agitation" else "lower center",
            ncol=len(handles),
            frameon=False,
            fontsize=9,
            handletextpad=0.3,
        )
        if colour_by == "agitation":
            h = self.fig.get_figheight()
            bar = self.fig.add_axes((0.7, 0.5 * LEGEND_IN / h, 0.26, 0.25 * LEGEND_IN / h))
            self._colour_bar = bar
            mappable = ScalarMappable(Normalize(0, scale), AGITATION_CMAP)
            self.fig.colorbar(mappable, cax=bar, orientation="horizontal")
            bar.tick_params(labelsize=7, length=2, pad=1)
            bar.set_ylabel("patients'\nagitation", fontsize=8, rotation=0, ha="right", va="center")


def _dot(colour, label: str) -> Line2D:
    return Line2D([], [], marker="o", ls="", mfc=colour, mec="black", ms=8, label=label)


class LivePlots:
    """The live plots side by side: patients per level, incidents and containment so far, trust.

    One figure per run, its lines moved on as the history grows (making axes anew is slow).
    """

    def __init__(self):
        self.fig = Figure(figsize=(PLAN_WIDTH_IN, 2.6))
        self.fig.subplots_adjust(left=0.04, right=0.98, bottom=0.17, top=0.89, wspace=0.18)
        self.levels, self.incidents, self.trust = self.fig.subplots(1, 3)
        self._stack = []
        self.levels.set_title("patients per level", fontsize=10)
        self.levels.legend(
            handles=[Patch(color=c, label=f"L{k}") for k, c in enumerate(LEVEL_COLOURS, start=1)],
            loc="upper center",
            fontsize=7,
            ncol=4,
            frameon=False,
        )
        self.lines = {
            "conflict": self.incidents.plot([], [], color="#457b9d", label="incidents")[0],
            "unseen": self.incidents.plot([], [], color="#e63946", ls=":", label="unseen by staff")[0],
            "containment": self.incidents.plot([], [], color="#6a4c93", ls="--", label="containment")[0],
            "trust": self.trust.plot([], [], color="#2a9d8f", label="trust in staff")[0],
            "autonomy": self.trust.plot([], [], color="#f4a261", label="autonomy")[0],
        }
        self.incidents.set_title("incidents and containment so far", fontsize=10)
        self.incidents.legend(loc="upper left", fontsize=7)
        self.incidents.yaxis.set_major_locator(MaxNLocator(integer=True))
        self.trust.set_title("patients' mean trust and autonomy", fontsize=10)
        self.trust.legend(loc="upper left", fontsize=7)
        self.trust.set_ylim(0, 1)
        for ax in (self.levels, self.incidents, self.trust):
            ax.set_xlabel("day", fontsize=8)
            ax.tick_params(labelsize=8)
        self._lock = threading.Lock()

    def png(self, history: list[dict]) -> bytes:
        """The plots of `history` (rows of `LiveWard.history`)."""
        day = np.array([h["day"] for h in history])

        def col(name):
            return np.array([h[name] for h in history], dtype=float)

        with self._lock:
            for poly in self._stack:
                poly.remove()
            levels = [col(f"level_{k}") for k in (1, 2, 3, 4)]
            self._stack = self.levels.stackplot(day, levels, colors=LEVEL_COLOURS, alpha=0.9)
            self.levels.set_ylim(0, 1.3 * max(1.0, float(np.sum(levels, axis=0).max())))
            for name, line in self.lines.items():
                line.set_data(day, col(name))
            self.incidents.set_ylim(
                0, 1.1 * max(1.0, float(col("conflict").max()), float(col("containment").max()))
            )
            for ax in (self.levels, self.incidents, self.trust):
                ax.set_xlim(0, max(float(day[-1]), 1.0))  # a day at least: the axis reads in days
            return png(self.fig)
