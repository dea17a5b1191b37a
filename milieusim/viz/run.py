"""Figures of one run.

Levels over time, incidents and containment per day, heatmaps on the plan, a time-of-day profile.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from milieusim.kinds import PATIENT, RELATIVE, STAFF
from milieusim.metrics import Results
from milieusim.viz.plan import draw_plan

LEVEL_COLOURS = ("#d62828", "#f77f00", "#fcbf49", "#2a9d8f")
#: How each role is drawn on a plan, everywhere people are shown: (marker, label, colour).
#: A patient's colour is replaced by its level's (or agitation's) where that is shown.
ROLE_STYLE = {
    PATIENT: ("o", "patient", "#ffffff"),
    STAFF: ("s", "staff", "#1d3557"),
    RELATIVE: ("^", "relative", "#b5838d"),
}


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
    ax.set_xlabel("day")
    ax.set_ylabel("patients")
    ax.set_title("levels of responsibility")
    ax.legend(loc="upper left", fontsize=8, ncol=4)


def incidents_per_day(res: Results, ax):
    """Conflict (aggressive part shown apart) and containment per day."""
    d = res.daily
    ax.plot(d["day"], d["conflict"], label="conflict (all kinds)", color="#457b9d")
    ax.plot(d["day"], d["aggressive"], label="aggressive incidents", color="#e63946")
    ax.plot(d["day"], d["containment"], label="containment", color="#6a4c93", ls="--")
    ax.set_xlabel("day")
    ax.set_ylabel("events per day")
    ax.set_title("conflict and containment")
    ax.legend(fontsize=8)


def time_of_day(res: Results, ax):
    """Incidents and encounters by hour of the day, per patient present."""
    tod = res.time_of_day
    presence = np.maximum(tod[:, 2], 1)
    hours = np.arange(24)
    ax.bar(
        hours,
        tod[:, 0] / presence * 1000,
        color="#e63946",
        alpha=0.8,
        label="incidents per 1000 patient-steps",
    )
    ax2 = ax.twinx()
    ax2.plot(hours, tod[:, 1] / presence * 100, color="#2a9d8f", label="encounters per 100 patient-steps")
    ax.set_xlabel("hour of day")
    ax.set_title("time of day")
    ax.set_xticks(range(0, 24, 3))
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], fontsize=7, loc="upper left")


def heatmap(res: Results, layout, key: str, title: str, path: Path, pieces=None) -> Path:
    """A per-cell count from the run drawn over the plan."""
    counts = res.spatial[key].astype(float)
    counts[counts == 0] = np.nan
    rows, cols = layout.shape
    width = min(16.0, max(6.0, cols / 8))
    fig, ax = plt.subplots(figsize=(width, width * rows / cols + 1.0))
    draw_plan(ax, layout, pieces, overlay=counts, overlay_label=title, labels=False)
    ax.set_title(f"{title} ({layout.name})", fontsize=10)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def save_run_figures(res: Results, layout, out: Path, pieces=None) -> list[Path]:
    """Write every figure of a run into `out`; return the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.2))
    levels_over_time(res, axes[0])
    incidents_per_day(res, axes[1])
    time_of_day(res, axes[2])
    fig.tight_layout()
    paths.append(out / "run_overview.png")
    fig.savefig(paths[-1], dpi=100)
    plt.close(fig)
    for key, title in (
        ("presence_patients", "patient presence (steps)"),
        ("presence_staff", "staff presence (steps)"),
        ("encounters", "encounters"),
        ("incidents", "incidents"),
    ):
        paths.append(heatmap(res, layout, key, title, out / f"heatmap_{key}.png", pieces))
    return paths
