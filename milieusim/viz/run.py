"""Figures of one run.

Levels over time, incidents and containment per day, heatmaps on the plan, a time-of-day profile.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from milieusim.kinds import PATIENT, RELATIVE, STAFF
from milieusim.metrics import SPATIAL_LAYERS, SPATIAL_UNITS, Results, per_m2_per_day
from milieusim.outcomes import OBD
from milieusim.viz.plan import draw_plan, scale_bar

LEVEL_COLOURS = ("#d62828", "#f77f00", "#fcbf49", "#2a9d8f")
#: How each role is drawn on a plan, everywhere people are shown: (marker, label, colour).
#: A patient's colour is replaced by its level's (or agitation's) where that is shown.
ROLE_STYLE = {
    PATIENT: ("o", "patient", "#ffffff"),
    STAFF: ("s", "staff", "#1d3557"),
    RELATIVE: ("^", "relative", "#b5838d"),
}


#: Font sizes of run figures, in points: drawn at about a printed page's width, they print at this size.
FONT, SMALL = 10, 9


def levels_over_time(res: Results, ax):
    """Stacked areas of patients at each level, day by day."""
    d = res.daily
    ax.stackplot(
        d["day"],
        [d[f"level_{k}"] for k in (1, 2, 3, 4)],
        labels=[f"L{k}" for k in (1, 2, 3, 4)],
        colors=LEVEL_COLOURS,
        alpha=0.9,
    )
    ax.set_xlabel("day", fontsize=FONT)
    ax.set_ylabel("patients", fontsize=FONT)
    ax.set_title("levels of responsibility", fontsize=FONT)
    ax.set_ylim(0, max(1, d["census"].max()) * 1.3)  # a band above the areas for the legend
    ax.legend(loc="upper left", fontsize=SMALL, ncol=4, title="level", title_fontsize=SMALL)


def incidents_per_day(res: Results, ax):
    """Conflict (aggressive part shown apart) and containment per day."""
    d = res.daily
    ax.plot(d["day"], d["conflict"], label="conflict (all kinds)", color="#457b9d")
    ax.plot(d["day"], d["aggressive"], label="aggressive incidents", color="#e63946")
    ax.plot(d["day"], d["containment"], label="containment", color="#6a4c93", ls="--")
    ax.set_xlabel("day", fontsize=FONT)
    ax.set_ylabel("events per day (whole ward)", fontsize=FONT)
    ax.set_title("conflict and containment", fontsize=FONT)
    ax.legend(fontsize=SMALL)


def time_of_day(res: Results, ax):
    """Incidents and encounters in each hour of the day, in the summary's units.

    Bars: conflict incidents per 100 occupied bed-days that happened in that hour (the 24
    bars add up to the run's conflict rate); line: encounters per patient-day in that hour.
    """
    tod = res.time_of_day
    obd = res.summary["occupied_bed_days"]
    hours = np.arange(24)
    ax.bar(hours, tod[:, 0] / obd * 100 if obd else 0 * hours, color="#e63946", alpha=0.8, label="incidents")
    ax.set_ylabel(f"incidents {OBD}", fontsize=FONT, color="#b3202c")
    ax2 = ax.twinx()
    ax2.plot(hours, tod[:, 1] / obd if obd else 0 * hours, color="#2a9d8f", lw=2, label="encounters")
    ax2.set_ylabel("encounters per patient-day", fontsize=FONT, color="#1f7a70")
    ax2.set_ylim(bottom=0)
    ax.set_xlabel("hour of the day", fontsize=FONT)
    ax.set_title("time of day (each hour's share of the daily rate)", fontsize=FONT)
    ax.set_xticks(range(0, 24, 3))
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], fontsize=SMALL, loc="upper left")


def heatmap_figure(res: Results, layout, key: str, title: str, pieces=None, hours: bool = False):
    """A per-cell count from the run drawn over the plan, per m² of floor per day, with a scale bar."""
    days = res.summary["days"]
    values = per_m2_per_day(res.spatial[key], layout.cell_size_m, days, res.step_minutes, hours)
    rows, cols = layout.shape
    fig, ax = plt.subplots(figsize=(HEAT_WIDTH_IN, HEAT_WIDTH_IN * rows / cols + 1.2))
    draw_plan(ax, layout, pieces, overlay=values, overlay_label=SPATIAL_UNITS[hours], labels=False)
    fig.axes[-1].yaxis.label.set_fontsize(SMALL)  # the colour bar
    fig.axes[-1].tick_params(labelsize=SMALL)
    scale_bar(ax, layout)
    ax.set_title(
        f"{title}: {layout.name}, mean of {days} day{'s' if days != 1 else ''}, seed {res.summary['seed']}\n"
        "grey: none; what falls on a bed is spread over the whole bed",
        fontsize=FONT,
    )
    return fig


def heatmap(res: Results, layout, key: str, title: str, path: Path, pieces=None, hours: bool = False) -> Path:
    """`heatmap_figure` written to `path`."""
    fig = heatmap_figure(res, layout, key, title, pieces, hours)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


#: Width of a run's heatmap, inches: about a printed page, so its text prints at its size.
HEAT_WIDTH_IN = 9.0


def save_run_figures(res: Results, layout, out: Path, pieces=None) -> list[Path]:
    """Write every figure of a run into `out`; return the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    fig, axes = plt.subplots(3, 1, figsize=(8.0, 10.0))
    levels_over_time(res, axes[0])
    incidents_per_day(res, axes[1])
    time_of_day(res, axes[2])
    fig.tight_layout()
    paths.append(out / "run_overview.png")
    fig.savefig(paths[-1], dpi=100)
    plt.close(fig)
    for key, title, hours in SPATIAL_LAYERS:
        paths.append(heatmap(res, layout, key, title, out / f"heatmap_{key}.png", pieces, hours))
    return paths
