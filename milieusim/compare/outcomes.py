"""The outcomes a planner compares, paired differences between plans, and their reading in words.

Differences are paired (`paired.py`): per replicate (the same seed on every
plan), plan k minus the first plan, then a 95% interval over replicates. A
difference is called clear only when that interval excludes zero; outcomes
with under two pairs (e.g. no one reached level 3 in a short run) say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
#: acts on every origin: (column of the origin table, summary share it is computed from, row words,
#: the reading's words).
SOURCES = (
    *(
        (f"from_{o}", f"share_conflict_{o}", words, f"conflict that starts with {words}")
        for o, words, _ in ORIGIN_WORDS
    ),
    (
        "from_crowding",
        "share_conflict_from_crowding",
        "crowding (it raises conflict from every origin)",
        "conflict owed to crowding",
    ),
)
#: What containment answered: conflict from each origin, or no incident (`metrics.containment_answers`).
CONTAINMENT_SOURCES = (
    *(
        (
            f"from_{o}",
            f"share_containment_{o}",
            f"conflict from {words}",
            f"containment answering conflict from {words}",
        )
        for o, words, _ in ORIGIN_WORDS
    ),
    (
        "prn_for_arousal",
        "share_containment_prn_for_arousal",
        "no incident: as-needed medication for a very aroused patient",
        "containment that answered no incident (as-needed medication for a very aroused patient)",
    ),
    (
        "observation_kept",
        "share_containment_observation_kept",
        "no incident: observation set on admission, or kept on and counted again at a new shift",
        "containment that answered no incident (observation set on admission or kept on into a new shift)",
    ),
)
#: Each measure broken down: (its rate in the summary, its sources, the table's heading of the rows).
BREAKDOWNS = {
    "conflict": ("conflict_per_100_obd", SOURCES, "conflict that starts with"),
    "containment": ("containment_per_100_obd", CONTAINMENT_SOURCES, "containment that answers"),
}
#: Not an origin of its own (it acts on all of them): never named as the origin that differs most.
OVERLAYS = {"from_crowding"}
#: The summary columns the origin table needs.
SOURCE_KEYS = tuple(
    dict.fromkeys(k for rate, sources, _ in BREAKDOWNS.values() for k in (rate, *(s[1] for s in sources)))
)


def origin_table(
    runs: pd.DataFrame, labels: list[str], measures: tuple[str, ...] = tuple(BREAKDOWNS)
) -> pd.DataFrame:
    """Conflict and containment per 100 occupied bed-days by origin, per plan; paired differences.

    Each run's rate times its share from each origin (`BREAKDOWNS`; `measures`: which); columns as
    `outcome_table`'s, with ``measure`` (conflict, containment) and ``outcome`` the origin's column.
    """
    tables = []
    for measure in measures:
        rate, sources, _ = BREAKDOWNS[measure]
        rates = runs[["plan", "replicate"]].copy()
        for column, share, _, _ in sources:
            rates[column] = runs[rate] * runs[share].fillna(0.0)
        columns = [c for c, _, _, _ in sources]
        bounds = dict.fromkeys(columns, (0.0, None))
        means = group_means(rates, "plan", columns, groups=labels, bounds=bounds)
        diffs = differences(
            rates, "plan", labels[0], columns, pair_on=("replicate",), groups=labels, bounds=bounds
        )
        diffs = diffs.drop(columns="reference").rename(columns={c: f"diff_{c}" for c in INTERVAL_COLUMNS})
        tables.append(means.merge(diffs, on=["plan", "outcome"], how="left").assign(measure=measure))
    table = pd.concat(tables, ignore_index=True)
    return table[["measure", *(c for c in table.columns if c != "measure")]]


def origin_reading(origins: pd.DataFrame, first: str, other: str, measure: str = "conflict") -> str:
    """Which origin of `measure` (conflict, containment) differs most between two plans, in words."""
    origins = origins[origins["measure"] == measure]
    rows = origins[(origins["plan"] == other) & ~origins["outcome"].isin(OVERLAYS)].set_index("outcome")
    base = origins[origins["plan"] == first].set_index("outcome")
    rate, sources, _ = BREAKDOWNS[measure]
    words = {c: w for c, _, _, w in sources}
    unit = REGISTRY[rate].unit
    top = rows["diff_mean"].abs().idxmax()
    r = rows.loc[top]
    total = rows["diff_mean"].sum()
    share = r["diff_mean"] / total if abs(total) > 1e-9 else math.nan
    if 0 < share <= 1 + 1e-9:  # (the sum of the parts may round above the whole)
        part = f", {share:.0%} of the difference in {measure}"
    elif math.isfinite(share):
        part = f"; other origins move the other way, so {measure} as a whole differs less"
    else:
        part = ""
    if r["diff_ci_low"] <= 0 <= r["diff_ci_high"]:
        part += "; within the noise of these runs"

    def signed(x: float) -> str:
        return f"{x:+.3g}".replace("-", "\u2212")

    text = (
        f"Why: {words[top]} differs most, {base.loc[top, 'mean']:.3g} on {first} "
        f"against {r['mean']:.3g} on {other} {unit} (difference {signed(r['diff_mean'])}, 95% CI "
        f"{signed(r['diff_ci_low'])} to {signed(r['diff_ci_high'])}{part})."
    )
    if "from_crowding" in base.index:
        crowd = origins[(origins["plan"] == other) & (origins["outcome"] == "from_crowding")].iloc[0]
        text += (
            f" Conflict owed to crowding: {base.loc['from_crowding', 'mean']:.3g} on {first}, "
            f"{crowd['mean']:.3g} on {other}."
        )
    return text


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


@dataclass(frozen=True)
class Furniture:
    """A plan's furniture as the reading names it: its layout's name, the variant, what it is, its seating."""

    layout: str
    variant: str
    description: str
    sociopetality: float  # planner metric: how far the seats turn people towards each other, 0-1


def furniture_reading(first: str, other: str, furniture: dict[str, Furniture]) -> str | None:
    """A sentence on how the two plans' furniture differs, or None when it is the same variant."""
    a, b = furniture[first], furniture[other]
    if a.variant == b.variant:
        return None
    lead = "Only the furniture differs" if a.layout == b.layout else "The furniture differs too"
    then = (
        "and every difference here comes from the furniture"
        if a.layout == b.layout
        else "and part of a difference may come from the furniture rather than the building"
    )
    return (
        f"{lead}: {first} has {a.variant} furniture ({a.description}), {other} {b.variant} "
        f"({b.description}). Seating that turns people towards each other (sociopetality, 0-1) is "
        f"{a.sociopetality:.2f} against {b.sociopetality:.2f}, {then}."
    )


def reading(
    table: pd.DataFrame,
    labels: list[str],
    replications: int,
    origins: pd.DataFrame | None = None,
    furniture: dict[str, Furniture] | None = None,
) -> list[tuple[str, list[str]]]:
    """Plain-language sentences from the numbers, per later plan: a lead and what differs or not.

    Only a difference whose 95% interval excludes zero is called clear; the rest
    are named as within the noise, with their interval; outcomes with under two
    paired values say why they have none. With `origins`, the origins of conflict and
    containment that differ most; with `furniture`, how the plans' furniture differs.
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
        if furniture is not None and (said := furniture_reading(first, other, furniture)) is not None:
            items.insert(0, said)
        if origins is not None:
            items += [origin_reading(origins, first, other, measure) for measure in BREAKDOWNS]
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
