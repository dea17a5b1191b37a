"""A finished comparison read back: outcomes per plan, the reading, planner metrics, heatmaps, tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from milieusim.compare.outcomes import (
    BREAKDOWNS,
    OUTCOMES,
    SOURCE_KEYS,
    Furniture,
    check_common_seeds,
    origin_table,
    outcome_table,
    reading,
)
from milieusim.compare.plan import ComparisonPlan
from milieusim.metrics import SPATIAL_LAYERS, per_m2_per_day
from milieusim.space.analysis import layout_metrics
from milieusim.sweep import RunsFailed, Sweep, load
from milieusim.sweep.store import read_spatial, write_atomic

#: Heatmap layers: spatial count, title, and whether a count is a step of presence (shown in hours).
HEATMAPS = SPATIAL_LAYERS


@dataclass
class Comparison:
    """What a finished comparison found."""

    plan: ComparisonPlan
    sweep: Sweep
    runs: pd.DataFrame  # one row per run: plan, replicate, seed, outcomes
    outcomes: pd.DataFrame  # one row per outcome and plan: mean, CI, paired difference, verdict
    origins: pd.DataFrame  # conflict and containment per 100 occupied bed-days by origin, as `outcomes`
    metrics: pd.DataFrame  # planner metrics, one column per plan
    reading: list[tuple[str, list[str]]]  # per later plan: a lead sentence and its points
    heat: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # plan -> layer -> per m2 per day


def summarise_comparison(plan: ComparisonPlan) -> Comparison:
    """Read a finished comparison's runs: outcomes with CIs, paired differences, reading, metrics, heatmaps.

    Raises:
        RunsFailed: runs are missing or failed (their tracebacks are in the sweep's runs table).
    """
    sweep = load(plan.sweep_dir)
    reps = plan.spec.experiment.replications
    expected = len(plan.plans) * reps
    if len(sweep.ok) != expected:
        raise RunsFailed(expected - len(sweep.ok), expected, plan.sweep_dir)
    label = {p.value: p.label for p in plan.plans}
    runs = sweep.ok.assign(plan=sweep.ok[plan.factor].map(label))
    keys = dict.fromkeys([*(o.key for o in OUTCOMES), *SOURCE_KEYS])
    runs = runs[["plan", "replicate", "seed", "run", *keys, "occupied_bed_days"]]
    check_common_seeds(runs)
    labels = [p.label for p in plan.plans]
    outcomes = outcome_table(runs, labels)
    origins = origin_table(runs, labels)
    metrics = pd.DataFrame({p.label: layout_metrics(p.layout, p.variant) for p in plan.plans})
    furniture = {
        p.label: Furniture(
            p.layout.name,
            p.variant,
            p.layout.furniture[p.variant].description,
            float(metrics.loc["sociopetality", p.label]),
        )
        for p in plan.plans
    }
    return Comparison(
        plan,
        sweep,
        runs.sort_values(["plan", "replicate"], key=_plan_order(labels), ignore_index=True),
        outcomes,
        origins,
        metrics,
        reading(outcomes, labels, reps, origins, furniture),
        mean_heat(plan, runs, plan.base.time.step_minutes),
    )


def _plan_order(labels: list[str]):
    return lambda col: col.map(labels.index) if col.name == "plan" else col


def mean_heat(
    plan: ComparisonPlan, runs: pd.DataFrame, step_minutes: int
) -> dict[str, dict[str, np.ndarray]]:
    """Per plan and layer, the mean over replicates per m2 of floor per day (presence in hours)."""
    days = plan.spec.experiment.days
    heat = {}
    for p in plan.plans:
        ids = runs.loc[runs["plan"] == p.label, "run"]
        counts = [read_spatial(plan.sweep_dir, int(run)) for run in ids]
        heat[p.label] = {
            key: per_m2_per_day(
                np.mean([c[key] for c in counts], axis=0), p.layout.cell_size_m, days, step_minutes, hours
            )
            for key, _, hours in HEATMAPS
        }
    return heat


def write_tables(comparison: Comparison) -> list[Path]:
    """The comparison's tables as CSV and Parquet in its folder (each file written whole or not at all)."""
    out = comparison.plan.out
    metrics = comparison.metrics.T.rename_axis("plan").reset_index()
    metrics["social_space_sizes_m2"] = metrics["social_space_sizes_m2"].map(
        lambda v: ", ".join(f"{x:g}" for x in v)
    )
    daily = comparison.sweep.table("daily")
    factor = comparison.plan.factor
    daily = daily.assign(plan=daily[factor].map({p.value: p.label for p in comparison.plan.plans}))
    tables = {
        "outcomes": comparison.outcomes,
        **{
            f"{measure}_origins": comparison.origins[comparison.origins["measure"] == measure]
            for measure in BREAKDOWNS
        },
        "runs": comparison.runs,
        "planner_metrics": metrics,
        "daily": daily.drop(columns=[factor, "point"]),
    }
    written = []
    for name, table in tables.items():
        for suffix, write in (("csv", table.to_csv), ("parquet", table.to_parquet)):
            path = out / f"{name}.{suffix}"
            write_atomic(path, lambda tmp, w=write: w(tmp, index=False))
            written.append(path)
    scenario = out / "scenario.json"
    write_atomic(scenario, lambda tmp: tmp.write_text(comparison.plan.base.model_dump_json(indent=2)))
    return [*written, scenario]
