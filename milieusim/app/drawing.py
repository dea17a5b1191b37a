"""Pictures of the live ward: the plan with its people, and the live plots, as PNG bytes.

The plan is drawn by `viz.plan.draw_plan` once, and again only when furniture
moves; each frame then only moves the markers of the people, which keeps a
frame cheap. Shapes tell roles apart (patient circle, staff square, relative
triangle); colour tells a patient's level or agitation.
"""

from __future__ import annotations

import io
import threading

import numpy as np
import PIL.Image
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from milieusim.app.live import Frame
from milieusim.kinds import PATIENT
from milieusim.viz.plan import draw_plan
from milieusim.viz.run import LEVEL_COLOURS, ROLE_STYLE

AGITATION_CMAP = colormaps["YlOrRd"]
COLOUR_MODES = ("level", "agitation")
PLAN_WIDTH_IN = 11.0
LEGEND_IN = 0.45
PLAN_MAX_HEIGHT_IN = 5.5
DPI = 100


def png(fig: Figure) -> bytes:
    """A figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def colours(frame: Frame, colour_by: str) -> np.ndarray:
    """RGBA colour of each person in `frame`: patients by level (L1-L4) or agitation (0-1)."""
    if colour_by not in COLOUR_MODES:
        raise ValueError(f"colour_by {colour_by!r}; valid: {', '.join(COLOUR_MODES)}")
    out = np.array([to_rgba(ROLE_STYLE[int(r)][2]) for r in frame.role]).reshape(-1, 4)
    pts = frame.role == PATIENT
    if colour_by == "level":
        out[pts] = [to_rgba(LEVEL_COLOURS[int(k) - 1]) for k in frame.level[pts]]
    else:
        out[pts] = AGITATION_CMAP(np.clip(frame.agitation[pts], 0.0, 1.0))
    return out


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
        self._drawn = (None, None)  # (furniture moves, colouring) of the kept raster
        self._background = None
        self._markers = {}
        self._lock = threading.Lock()  # the play loop and a click may draw at once

    def png(self, frame: Frame, colour_by: str = "level") -> bytes:
        """The plan as it stands in `frame`, people coloured by `colour_by` ("level" or "agitation")."""
        fill = colours(frame, colour_by)
        with self._lock:
            if self._drawn != (frame.furniture_moves, colour_by):
                self._draw_background(frame, colour_by)
            self.canvas.restore_region(self._background)
            for role, marker in self._markers.items():
                mine = frame.role == role
                marker.set_offsets(np.c_[frame.cols[mine], frame.rows[mine]])
                marker.set_facecolors(fill[mine])
                self.ax.draw_artist(marker)
            buf = io.BytesIO()
            width, height = self.canvas.get_width_height()
            PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba()).save(buf, "png")
            return buf.getvalue()

    def _draw_background(self, frame: Frame, colour_by: str):
        if self._drawn[0] != frame.furniture_moves:
            self.ax.clear()
            draw_plan(self.ax, self.layout, frame.pieces)
            self._markers = {
                role: self.ax.scatter(
                    [],
                    [],
                    s=70 if role == PATIENT else 55,
                    marker=m,
                    edgecolors="black",
                    linewidths=0.8,
                    zorder=8,
                )
                for role, (m, _, _) in ROLE_STYLE.items()
            }
        self._legend(colour_by)
        for marker in self._markers.values():
            marker.set_visible(False)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        for marker in self._markers.values():
            marker.set_visible(True)
        self._drawn = (frame.furniture_moves, colour_by)

    def _legend(self, colour_by: str):
        for legend in self.fig.legends:
            legend.remove()
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
        if colour_by == "level":
            handles += [_dot(c, f"patient at L{k}") for k, c in enumerate(LEVEL_COLOURS, start=1)]
        else:
            handles += [_dot(AGITATION_CMAP(a), f"agitation {a:g}") for a in (0.0, 0.25, 0.5, 0.75, 1.0)]
        self.fig.legend(
            handles=handles,
            loc="lower center",
            ncol=len(handles),
            frameon=False,
            fontsize=9,
            handletextpad=0.3,
        )


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
                ax.set_xlim(0, max(float(day[-1]), 1 / 24))
            return png(self.fig)
