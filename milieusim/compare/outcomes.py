"""The outcomes a planner compares, paired differences between plans, and their reading in words.

Differences are paired (`paired.py`): per replicate (the same seed on every
plan), plan k minus the first plan, then a 95% interval over replicates. A
difference is called clear only when that interval excludes zero; outcomes
with under two pairs (e.g. no one reached level 3 in a short run) say so.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from milieusim.outcomes import ORIGIN_WORDS, REGISTRY, fmt, select
from milieusim.paired import INTERVAL_COLUMNS, differences, group_means

#: The outcomes a planner compares, in the report's order (labels, units and bounds: `outcomes.py`).
OUTCOMES = select(
    "conflict_per_100_obd",
    "containment_per_100_obd",
    "share_incidents_unseen",
    "days_to_level_3",
    "mean_length_of_stay_days",
    "encounters_per_patient_day",
    "social_space_hours_per_patient_day",
    "staff_walk_km_per_10h",
    "staff_contact_share",
)


#: Where conflict starts (the Safewards originating domains), then the part owed to crowding, which
#: acts on every origin: (column of the origin table, summary share it is computed from, words).
SOURCES = (
    *((f"from_{o}", f"share_conflict_{o}", words) for o, words, _ in ORIGIN_WORDS),
    ("from_crowding", "share_conflict_from_crowding", "crowding (it raises conflict from every origin)"),
)
#: The summary columns the origin table needs.
SOURCE_KEYS = ("conflict_per_100_obd", *(share for _, share, _ in SOURCES))


def origin_table(runs: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Conflict per 100 occupied bed-days by where it started, per plan; paired differences from the first.

    Each run's conflict rate times its share from each origin (and the part owed to
    crowding); columns as `outcome_table`'s, with ``outcome`` the origin column name.
    """
    rates = runs[["plan", "replicate"]].copy()
    for column, share, _ in SOURCES:
        rates[column] = runs["conflict_per_100_obd"] * runs[share].fillna(0.0)
    columns = [c for c, _, _ in SOURCES]
    bounds = dict.fromkeys(columns, (0.0, None))
    means = group_means(rates, "plan", columns, groups=labels, bounds=bounds)
    diffs = differences(
        rates, "plan", labels[0], columns, pair_on=("replicate",), groups=labels, bounds=bounds
    )
    diffs = diffs.drop(columns="reference").rename(columns={c: f"diff_{c}" for c in INTERVAL_COLUMNS})
    return means.merge(diffs, on=["plan", "outcome"], how="left")


def origin_reading(origins: pd.DataFrame, first: str, other: str) -> str:
    """Which origin of conflict differs most between two plans, in words, with its interval."""
    rows = origins[(origins["plan"] == other) & (origins["outcome"] != "from_crowding")].set_index("outcome")
    base = origins[origins["plan"] == first].set_index("outcome")
    words = {c: w for c, _, w in SOURCES}
    unit = REGISTRY["conflict_per_100_obd"].unit
    top = rows["diff_mean"].abs().idxmax()
    r = rows.loc[top]
    total = rows["diff_mean"].sum()
    share = r["diff_mean"] / total if abs(total) > 1e-9 else math.nan
    if 0 < share <= 1 + 1e-9:  # (the sum of the parts may round above the whole)
        part = f", {share:.0%} of the difference in conflict"
    elif math.isfinite(share):
        part = "; other origins move the other way, so conflict as a whole differs less"
    else:
        part = ""
    if r["diff_ci_low"] <= 0 <= r["diff_ci_high"]:
        part += "; within the noise of these runs"
    crowd = origins[(origins["plan"] == other) & (origins["outcome"] == "from_crowding")].iloc[0]
    crowd0 = base.loc["from_crowding", "mean"]

    def signed(x: float) -> str:
        return f"{x:+.3g}".replace("-", "\u2212")

    return (
        f"Why: conflict that starts with {words[top]} differs most, {base.loc[top, 'mean']:.3g} on {first} "
        f"against {r['mean']:.3g} on {other} {unit} (difference {signed(r['diff_mean'])}, 95% CI "
        f"{signed(r['diff_ci_low'])} to {signed(r['diff_ci_high'])}{part}). Conflict owed to crowding: "
        f"{crowd0:.3g} on {first}, {crowd['mean']:.3g} on {other}."
    )


def check_common_seeds(runs: pd.DataFrame) -> None:
    """Every replicate ran with one seed on every plan (common random numbers), or raise."""
    per_rep = runs.groupby("replicate")["seed"].nunique()
    if (per_rep != 1).any():
        raise RuntimeError(f"replicates {per_rep.index[per_rep != 1].tolist()} ran with different seeds")


def outcome_table(runs: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """One row per outcome and plan: mean and 95% CI over runs, and the paired difference from the first.

    Columns ``n``, ``mean``, ``ci_low``, ``ci_high`` are the plan's own (`paired.group_means`);
    ``diff_n``, ``diff_mean``, ``diff_ci_low``, ``diff_ci_high`` are the later plans' paired
    difference from the first (`paired.differences`: per replicate, the same seed, plan k
    minus the first), where ``diff_n`` counts the replicates in which both plans have a value
    (e.g. someone reached level 3 on both). The verdict is ``clear`` when the difference's
    interval excludes zero, ``within noise`` when it includes it, and ``not enough data``
    with fewer than two pairs.
    """
    keys = [o.key for o in OUTCOMES]
    means = group_means(runs, "plan", keys, groups=labels)
    diffs = differences(runs, "plan", labels[0], keys, pair_on=("replicate",), groups=labels)
    diffs = diffs.drop(columns="reference").rename(columns={c: f"diff_{c}" for c in INTERVAL_COLUMNS})
    table = means.merge(diffs, on=["plan", "outcome"], how="left")
    later = table["plan"] != labels[0]
    table.loc[later, "verdict"] = [
        verdict(lo, hi, n)
        for lo, hi, n in zip(
            table.loc[later, "diff_ci_low"],
            table.loc[later, "diff_ci_high"],
            table.loc[later, "diff_n"],
            strict=True,
        )
    ]
    order = {key: i for i, key in enumerate(keys)}
    table = table.sort_values("outcome", key=lambda c: c.map(order), kind="stable", ignore_index=True)
    return table[["outcome", "plan", *INTERVAL_COLUMNS, *(f"diff_{c}" for c in INTERVAL_COLUMNS), "verdict"]]


def verdict(low: float, high: float, n: int) -> str:
    """``clear`` when [low, high] excludes 0, else ``within noise``; ``not enough data`` under two pairs."""
    if n < 2 or not (math.isfinite(low) and math.isfinite(high)):
        return "not enough data"
    return "clear" if low > 0 or high < 0 else "within noise"


def reading(
    table: pd.DataFrame, labels: list[str], replications: int, origins: pd.DataFrame | None = None
) -> list[tuple[str, list[str]]]:
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
                    f"{o.label}: a value in {n0} of {replications} runs on {first} and {n1} on "
                    f"{other}; in the others {o.missing}"
                )
                continue
            unit = o.difference_unit
            ci = f"95% CI {fmt(r['diff_ci_low'], o, scale)} to {fmt(r['diff_ci_high'], o, scale)}"
            if r["verdict"] == "clear":
                rel = r["diff_mean"] / m0 if m0 and o.kind != "share" else math.nan
                size = f", {rel:+.0%}".replace("-", "\u2212") if math.isfinite(rel) else ""
                clear.append(
                    f"{o.title}: {'higher' if r['diff_mean'] > 0 else 'lower'} on {other} than on {first}, "
                    f"by {fmt(abs(r['diff_mean']), o, scale)} {unit} ({ci}{size})."
                )
            else:
                noise.append(f"{o.label} ({fmt(r['diff_mean'], o, scale, signed=True)} {unit}, {ci})")
        items = clear + (["No clear difference in " + "; ".join(noise) + "."] if noise else [])
        if origins is not None:
            items.append(origin_reading(origins, first, other))
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
