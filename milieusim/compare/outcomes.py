"""The outcomes a planner compares, paired differences between plans, and their reading in words.

Differences are paired: per replicate (the same seed on every plan), plan k
minus the first plan, then a Student-t 95% interval over replicates. A
difference is called clear only when that interval excludes zero; outcomes
with under two pairs (e.g. no one reached level 3 in a short run) say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from milieusim.stats import mean_ci


@dataclass(frozen=True)
class Outcome:
    """An outcome of the report: its summary key, a plain label and its unit."""

    key: str
    label: str
    unit: str
    share: bool = False  # a 0-1 share, shown in per cent
    missing: str = "too few values"  # why a run may have no value


#: The outcomes a planner compares, in the report's order (summary keys of metrics.summarise).
OUTCOMES = (
    Outcome("conflict_per_100_obd", "Conflict incidents (all kinds)", "per 100 occupied bed-days"),
    Outcome("containment_per_100_obd", "Containment episodes", "per 100 occupied bed-days"),
    Outcome("share_incidents_unseen", "Incidents no staff member saw", "% of incidents", True, "no incident"),
    Outcome(
        "days_to_level_3", "Time from admission to level 3", "days", missing="no one admitted reached level 3"
    ),
    Outcome("mean_length_of_stay_days", "Length of stay (completed stays)", "days", missing="no stay ended"),
    Outcome("encounters_per_patient_day", "Encounters between people", "per patient-day"),
    Outcome(
        "social_space_hours_per_patient_day", "Time patients spend in social spaces", "hours per patient-day"
    ),
    Outcome("staff_walk_km_per_10h", "Staff walking distance", "km per 10-hour shift"),
    Outcome("staff_contact_share", "Staff time with patients (07:00-23:00)", "% of staff time", share=True),
)


def check_common_seeds(runs: pd.DataFrame) -> None:
    """Every replicate ran with one seed on every plan (common random numbers), or raise."""
    per_rep = runs.groupby("replicate")["seed"].nunique()
    if (per_rep != 1).any():
        raise RuntimeError(f"replicates {per_rep.index[per_rep != 1].tolist()} ran with different seeds")


def outcome_table(runs: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """One row per outcome and plan: mean and 95% CI over runs, and the paired difference from the first.

    The difference of plan k is taken per replicate (same seed) as k minus the
    first plan, then averaged with a Student-t 95% interval; replicates where
    either value is missing (e.g. no patient reached level 3) are left out and
    `n_pairs` says how many remain. The verdict is ``clear`` when the interval
    excludes zero, ``within noise`` when it includes it, and ``not enough
    data`` with fewer than two pairs.
    """
    rows = []
    for outcome in OUTCOMES:
        wide = runs.pivot(index="replicate", columns="plan", values=outcome.key).astype(float)
        for k, label in enumerate(labels):
            m, lo, hi, n = mean_ci(wide[label])
            row = {"outcome": outcome.key, "plan": label, "n": n, "mean": m, "ci_low": lo, "ci_high": hi}
            if k:
                d, dlo, dhi, dn = mean_ci(wide[label] - wide[labels[0]])
                row |= {
                    "diff": d,
                    "diff_low": dlo,
                    "diff_high": dhi,
                    "n_pairs": dn,
                    "verdict": verdict(dlo, dhi, dn),
                }
            rows.append(row)
    return pd.DataFrame(rows)


def verdict(low: float, high: float, n: int) -> str:
    """``clear`` when [low, high] excludes 0, else ``within noise``; ``not enough data`` under two pairs."""
    if n < 2 or not (math.isfinite(low) and math.isfinite(high)):
        return "not enough data"
    return "clear" if low > 0 or high < 0 else "within noise"


def fmt(value: float, outcome: Outcome, scale: float | None = None, signed: bool = False) -> str:
    """A number as the report shows it: per cent for shares, decimals to suit `scale` (the row's size)."""
    if not math.isfinite(value):
        return "-"
    if outcome.share:
        value, scale = value * 100, None if scale is None else scale * 100
    size = abs(scale if scale is not None else value)
    digits = 0 if size >= 100 else 1 if size >= 10 else 2 if size >= 1 else 3
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    if float(text) == 0:  # no "-0" or "+0.0" for a value that rounds to nothing
        text = text.lstrip("+-")
    return text.replace("-", "\u2212")


def reading(table: pd.DataFrame, labels: list[str], replications: int) -> list[tuple[str, list[str]]]:
    """Plain-language sentences from the numbers, per later plan: a lead and what differs or not.

    Only a difference whose 95% interval excludes zero is called clear; the rest
    are named as within the noise, with their interval; outcomes with under two
    paired values say why they have none.
    """
    first = labels[0]
    base = table[table["plan"] == first].set_index("outcome")
    blocks = []
    for other in labels[1:]:
        rows = table[table["plan"] == other].set_index("outcome")
        clear, noise, scarce = [], [], []
        for o in OUTCOMES:
            r, m0 = rows.loc[o.key], base.loc[o.key, "mean"]
            scale = np.nanmax([abs(m0), abs(r["mean"]), 0.0])
            if r["verdict"] == "not enough data":
                n0, n1 = int(base.loc[o.key, "n"]), int(r["n"])
                scarce.append(
                    f"{o.label.lower()}: a value in {n0} of {replications} runs on {first} and {n1} on "
                    f"{other}; in the others {o.missing}"
                )
                continue
            unit = "percentage points" if o.share else o.unit
            ci = f"95% CI {fmt(r['diff_low'], o, scale)} to {fmt(r['diff_high'], o, scale)}"
            if r["verdict"] == "clear":
                rel = r["diff"] / m0 if m0 and not o.share else math.nan
                size = f", {rel:+.0%}".replace("-", "\u2212") if math.isfinite(rel) else ""
                clear.append(
                    f"{o.label}: {'higher' if r['diff'] > 0 else 'lower'} on {other} than on {first}, "
                    f"by {fmt(abs(r['diff']), o, scale)} {unit} ({ci}{size})."
                )
            else:
                noise.append(f"{o.label.lower()} ({fmt(r['diff'], o, scale, signed=True)} {unit}, {ci})")
        items = clear + (["No clear difference in " + "; ".join(noise) + "."] if noise else [])
        if scarce:
            items.append(
                "Not enough data to compare " + "; ".join(scarce) + ". Longer runs would give more values."
            )
        lead = (
            f"{other} against {first}: {len(clear)} of {len(OUTCOMES)} outcomes differ clearly, "
            f"{len(noise)} are within the noise of {replications} runs"
            + (f", {len(scarce)} have not enough data." if scarce else ".")
        )
        blocks.append((lead, items))
    return blocks
