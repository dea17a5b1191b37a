"""Figures for the teaching notebooks: people on the plan, a patient's journey, scenarios side by side.

Each function draws onto matplotlib Axes it is given, so a notebook can lay
figures out as it likes; none of them changes the model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from milieusim.kinds import PATIENT, RELATIVE, STAFF
from milieusim.outcomes import describe, scale
from milieusim.rules.conflict import CONFLICT_KINDS, CONTAINMENT_KINDS
from milieusim.space.informal import HALL_INTIMATE_M, HALL_PERSONAL_M, directional_factor, personal_space
from milieusim.viz.plan import draw_plan, scale_bar
from milieusim.viz.run import LEVEL_COLOURS, ROLE_STYLE


def clock(model) -> str:
    """The model's day and time, e.g. ``"day 2, 10:45 (group)"``."""
    c = model.clock
    return f"day {c.day}, {c.minute // 60:02d}:{c.minute % 60:02d} ({c.block.activity})"


def draw_people(ax, model, size: float = 50.0):
    """Everyone present, at their cells: patients coloured by level, staff, relatives; with a legend."""
    r = model.roster
    here = r.present.copy()
    handles = []
    for k in (1, 2, 3, 4):
        sel = here & (r.role == PATIENT) & (r.level == k)
        handles.append(
            ax.scatter(
                r.pos[sel, 1],
                r.pos[sel, 0],
                s=size,
                c=LEVEL_COLOURS[k - 1],
                ec="black",
                zorder=7,
                label=f"patient L{k}",
            )
        )
    for role in (STAFF, RELATIVE):
        marker, label, colour = ROLE_STYLE[role]
        sel = here & (r.role == role)
        handles.append(
            ax.scatter(
                r.pos[sel, 1],
                r.pos[sel, 0],
                s=size,
                c=colour,
                marker=marker,
                ec="white",
                zorder=7,
                label=label,
            )
        )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def ward_now(ax, model, title: str | None = None):
    """The plan as the furniture stands now, with everyone present on it; titled with the time."""
    draw_plan(ax, model.layout, model.arrangement.pieces, labels=True)
    draw_people(ax, model)
    scale_bar(ax, model.layout)
    ax.set_title(title or f"{model.layout.name}: {clock(model)}", fontsize=10)


def journey(ax, patient_days: pd.DataFrame, events: pd.DataFrame, patient: int):
    """One patient's stay: level by day, severity, trust and autonomy, incidents and containment.

    `patient_days` as `teaching.follow` returns it; `events` the run's events table.
    """
    mine = patient_days[patient_days["patient"] == patient].sort_values("day")
    if mine.empty:
        raise ValueError(f"patient {patient} has no recorded days")
    ev = events[events["who"] == patient]
    when = ev["day"] + ev["minute"] / 1440.0
    ax.step(mine["day"], mine["level"], where="post", color="black", lw=2.2, label="level (end of day)")
    ax.set_ylim(0.5, 4.6)
    ax.set_yticks([1, 2, 3, 4], ["L1", "L2", "L3", "L4"])
    ax.set_xlabel("day of the run")
    ax.set_ylabel("level of responsibility")
    for kind, marker, colour, label, y in (
        (CONFLICT_KINDS, "x", "#e63946", "incident", 4.45),
        (CONTAINMENT_KINDS, "v", "#6a4c93", "containment", 4.3),
    ):
        t = when[ev["kind"].isin(kind)]
        ax.plot(t, np.full(len(t), y), ls="", marker=marker, color=colour, ms=6, label=label)
    state = ax.twinx()
    for col, colour in (("severity", "#d62828"), ("trust", "#457b9d"), ("autonomy", "#2a9d8f")):
        state.plot(mine["day"], mine[col], color=colour, lw=1.2, alpha=0.8, label=col)
    state.set_ylim(0, 1.15)
    state.set_ylabel("severity, trust, autonomy (0-1)")
    first = int(mine["admitted_day"].iloc[0])
    since = f"admitted day {first}" if first >= 0 else f"in care {-first} days before the run"
    ax.set_title(f"patient {patient}: {since}", fontsize=10)
    lines = ax.get_legend_handles_labels()
    more = state.get_legend_handles_labels()
    ax.legend(
        lines[0] + more[0],
        lines[1] + more[1],
        fontsize=7,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=6,
        frameon=False,
    )


def compare_bars(
    axes,
    means: pd.DataFrame,
    measures: list[str],
    by: str = "scenario",
    colours=None,
    labels: dict | None = None,
    runs: pd.DataFrame | None = None,
):
    """One panel per measure: the mean of each group with its interval, as `paired.group_means` gives them.

    Panel titles come from `labels`, else the outcome registry (label and unit), else the
    measure's name; shares are drawn in per cent. With `runs` (one row per run, as
    `teaching.replicate` gives them) each run is drawn as a dot on its group's bar.
    """
    for ax, m in zip(np.ravel(axes), measures, strict=True):
        k = scale(m)
        part = means[means["outcome"] == m]
        x = np.arange(len(part))
        err = np.vstack([part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]]) * k
        ax.bar(x, part["mean"] * k, yerr=err, capsize=4, color=colours or "#8ecae6", ec="black", lw=0.6)
        if runs is not None:
            for i, group in enumerate(part[by]):
                values = runs.loc[runs[by] == group, m].to_numpy(float) * k
                ax.plot(
                    i + np.linspace(-0.2, 0.2, len(values)), values, "o", ms=3.5, mfc="white", mec="black"
                )
        slanted = len(part) > 3 or max(len(str(g)) for g in part[by]) * len(part) > 36  # labels would collide
        ax.set_xticks(x, part[by], rotation=30 if slanted else 0, ha="right" if slanted else "center")
        ax.set_title((labels or {}).get(m) or describe(m, "\n"), fontsize=9)
        ax.tick_params(labelsize=8)


def personal_space_zones(ax, agitations=(0.0, 0.5, 1.0), sensitivity: float = 1.0):
    """Outer edges of the intimate and personal zones around a person facing up, at several agitations.

    The zones widen with agitation and reach further behind than in front (Hall, Kinzel).
    """
    theta = np.linspace(0, 2 * np.pi, 361)
    colours = ["#2a9d8f", "#f4a261", "#e63946"]
    for a, colour in zip(agitations, colours, strict=False):
        radii = personal_space(a, sensitivity)
        for edge, ls in ((radii.personal_m, "-"), (radii.intimate_m, ":")):
            r = edge * directional_factor(np.cos(theta), radii.back_factor)
            ax.plot(
                r * np.sin(theta),
                r * np.cos(theta),
                color=colour,
                ls=ls,
                label=f"agitation {a:g}" if ls == "-" else None,
            )
    ax.annotate("", xy=(0, 0.5), xytext=(0, 0), arrowprops={"arrowstyle": "->", "lw": 1.5})
    ax.plot(0, 0, "ko")
    ax.set_aspect("equal")
    ax.set_xlabel("metres (sideways)")
    ax.set_ylabel("metres (ahead is up)")
    ax.set_title(
        "personal zone (solid) and intimate zone (dotted)\n"
        f"Hall's calm edges: {HALL_INTIMATE_M} m and {HALL_PERSONAL_M} m",
        fontsize=9,
    )
    ax.legend(fontsize=8, loc="upper right")
