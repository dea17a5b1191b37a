"""Reading a sweep back, and what a researcher wants of it first: tables, never figures.

`load(DIR)` gives the runs, the design and the manifest (other tables on
demand). `point_summary` gives per design point means with 95% confidence
intervals over replications; `main_effects` the same per level of each
factor; `paired_contrasts` each level's paired difference from the factor's
first level (`paired.py`); `sobol_indices` (S1, ST with confidence intervals)
and `morris_indices` (mu*, sigma) apply SALib to the design-point means.
`analyze` gives every table that applies to the sweep's design, and
`write_tables` stores them as CSV. Intervals respect each outcome's bounds
(`outcomes.py`). `milieusim.viz.sweep` draws the figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from milieusim.outcomes import bounds, select
from milieusim.paired import INTERVAL_COLUMNS, differences
from milieusim.stats import ci_row
from milieusim.sweep.store import read_table, write_atomic
from milieusim.validation import InputError, Problem, unknown_keys

#: The outcomes analysed unless others are named: the ward's behaviour, culture and flow.
OUTCOMES = select(
    "conflict_per_100_obd",
    "containment_per_100_obd",
    "share_incidents_unseen",
    "mean_trust",
    "mean_autonomy",
    "encounters_per_patient_day",
    "patient_engaged_share",
    "days_to_level_3",
    "mean_length_of_stay_days",
)


@dataclass
class Sweep:
    """A sweep's results folder, read back."""

    out: Path
    manifest: dict
    spec: dict
    design: pd.DataFrame
    runs: pd.DataFrame
    _tables: dict = field(default_factory=dict, repr=False)

    @property
    def factors(self) -> list[str]:
        """The factors, in spec order."""
        return list(self.spec.get("factors", {}))

    @property
    def ok(self) -> pd.DataFrame:
        """Runs that finished without error."""
        return self.runs[self.runs["status"] == "ok"] if len(self.runs) else self.runs

    def table(self, name: str) -> pd.DataFrame:
        """All runs' rows of `daily`, `events` or `stays`, with the run's point, replicate and factors."""
        if name not in self._tables:
            rows = read_table(self.out, name)
            if len(rows):
                keys = self.runs[["run", "point", "replicate", *self.factors]]
                rows = keys.merge(rows, on="run", how="right")
            self._tables[name] = rows
        return self._tables[name]

    def outcomes(self, names: list[str] | tuple[str, ...] | None = None) -> list[str]:
        """`names` checked against the runs table (default: OUTCOMES present in it)."""
        numeric = [c for c in self.runs.columns if pd.api.types.is_numeric_dtype(self.runs[c])]
        if names is None:
            return [o.key for o in OUTCOMES if o.key in numeric]
        valid = [
            c for c in numeric if c not in ("run", "point", "replicate", "seed", "wall_s", *self.factors)
        ]
        unknown = unknown_keys(names, valid, what="outcome")
        if unknown:
            raise InputError("outcomes", unknown)
        return list(names)


def load(out: str | Path) -> Sweep:
    """Read a sweep's results folder.

    Raises:
        InputError: the folder holds no sweep.
    """
    out = Path(out)
    if not (out / "manifest.json").is_file() or not (out / "spec.json").is_file():
        raise InputError(str(out), [Problem("not a sweep results folder (no manifest.json and spec.json)")])
    runs = read_table(out, "runs")
    if len(runs):
        runs = runs.sort_values("run", ignore_index=True)
    return Sweep(
        out,
        json.loads((out / "manifest.json").read_text()),
        json.loads((out / "spec.json").read_text()),
        pd.read_parquet(out / "design.parquet"),
        runs,
    )


def point_summary(sweep: Sweep, outcomes: list[str] | None = None, conf: float = 0.95) -> pd.DataFrame:
    """One row per design point and outcome: factors, n, mean, ci_low, ci_high over replications."""
    rows = []
    for point, runs in sweep.ok.groupby("point", sort=True):
        factors = {f: runs[f].iloc[0] for f in sweep.factors}
        rows += [
            {"point": point, **factors, "outcome": o, **ci_row(runs[o], conf, bounds(o))}
            for o in sweep.outcomes(outcomes)
        ]
    return pd.DataFrame(rows)


def _point_means(sweep: Sweep, outcome: str) -> np.ndarray | None:
    """The outcome's mean over replications at every design point, in design order.

    None when some point has no value (failed runs, or e.g. nobody reached level 3 there):
    the Sobol and Morris estimators need every point.
    """
    means = sweep.ok.groupby("point")[outcome].mean().reindex(sweep.design["point"])
    values = means.to_numpy(dtype=float)
    return values if np.isfinite(values).all() else None


def _problem(sweep: Sweep) -> dict:
    names = sweep.factors
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


SOBOL_COLUMNS = ["S1", "S1_conf", "ST", "ST_conf"]
MORRIS_COLUMNS = ["mu_star", "mu_star_conf", "mu", "sigma"]


def sobol_indices(sweep: Sweep, outcomes: list[str] | None = None) -> pd.DataFrame:
    """First-order and total Sobol indices with 95% confidence intervals, per outcome and factor."""
    from SALib.analyze import sobol

    seed = sweep.spec["experiment"]["seed"]
    return _indices(sweep, outcomes, SOBOL_COLUMNS, lambda y: sobol.analyze(_problem(sweep), y, seed=seed))


def morris_indices(sweep: Sweep, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Morris elementary effects: mu*, its confidence interval, mu and sigma, per outcome and factor."""
    from SALib.analyze import morris

    x = sweep.design[[f"u:{f}" for f in sweep.factors]].to_numpy(dtype=float)
    e = sweep.spec["experiment"]
    return _indices(
        sweep,
        outcomes,
        MORRIS_COLUMNS,
        lambda y: morris.analyze(_problem(sweep), x, y, num_levels=e["levels"], seed=e["seed"]),
    )


def _indices(sweep: Sweep, outcomes, columns: list[str], analyze_one) -> pd.DataFrame:
    """One row per outcome and factor of the SALib result `analyze_one(point means)`.

    Outcomes missing at some design point are left out and named in ``table.attrs["skipped"]``.
    """
    rows, skipped = [], []
    for outcome in sweep.outcomes(outcomes):
        y = _point_means(sweep, outcome)
        if y is None:
            skipped.append(outcome)
            continue
        if np.ptp(y) == 0 and columns is SOBOL_COLUMNS:  # a constant outcome has no variance to apportion
            continue
        res = analyze_one(y)
        rows += [
            {"outcome": outcome, "factor": name, **{c: float(res[c][j]) for c in columns}}
            for j, name in enumerate(sweep.factors)
        ]
    table = pd.DataFrame(rows, columns=["outcome", "factor", *columns])
    table.attrs["skipped"] = skipped
    return table


def factor_values(sweep: Sweep, factor: str) -> pd.Series:
    """Each finished run's value of `factor`; names (presets, layouts) as categories in the spec's order."""
    values = sweep.ok[factor]
    if pd.api.types.is_numeric_dtype(values):
        return values
    order = sweep.spec["factors"][factor].get("values") or sorted(values.unique())
    return pd.Series(pd.Categorical(values, categories=order, ordered=True), index=values.index)


def factor_levels(sweep: Sweep, factor: str, bins: int = 5) -> pd.Series:
    """`factor_values`, binned into `bins` quantile bins when a number takes many values."""
    values = factor_values(sweep, factor)
    if not pd.api.types.is_numeric_dtype(values) or values.nunique() <= max(bins, 8):
        return values
    return pd.qcut(values, bins, duplicates="drop").map(lambda iv: round(float(iv.mid), 3)).astype(float)


def ordered_levels(values: pd.Series) -> list:
    """The levels `values` takes: names in the spec's order (categorical), numbers ascending."""
    present = set(values.dropna().unique())
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [v for v in values.cat.categories if v in present]
    return sorted(present)


def main_effects(sweep: Sweep, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Mean and 95% CI of each outcome at each level of each factor, over all other factors."""
    rows = []
    for factor in sweep.factors:
        levels = factor_levels(sweep, factor)
        for outcome in sweep.outcomes(outcomes):
            for level, values in sweep.ok[outcome].groupby(levels, sort=True, observed=True):
                rows.append(
                    {
                        "factor": factor,
                        "level": level,
                        "outcome": outcome,
                        **ci_row(values, bounds=bounds(outcome)),
                    }
                )
    return pd.DataFrame(rows)


def paired_contrasts(sweep: Sweep, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Each level of each factor against the factor's first level, paired by seed (full factorial).

    Replicate r runs with the same seed at every design point, so the run at
    level k and the run at the first level with the same replicate and the
    same values of the other factors differ only by this factor. The table
    gives the mean of those differences with a 95% interval (`paired.differences`),
    over replicates and the other factors' values; `n` is the number of pairs.
    Columns: ``factor``, ``level``, ``reference``, ``outcome``, ``n``, ``mean``,
    ``ci_low``, ``ci_high``.
    """
    columns = ["factor", "level", "reference", "outcome", *INTERVAL_COLUMNS]
    tables = []
    for factor in sweep.factors:
        levels = ordered_levels(factor_values(sweep, factor))
        others = [f for f in sweep.factors if f != factor]
        table = differences(
            sweep.ok, factor, levels[0], sweep.outcomes(outcomes), ["replicate", *others], groups=levels
        )
        tables.append(table.rename(columns={factor: "level"}).assign(factor=factor)[columns])
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=columns)


def analyze(sweep: Sweep | str | Path, outcomes: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the analysis that the sweep's design and state allow, by name.

    ``points`` and ``main_effects`` always; ``contrasts`` for a full factorial
    sweep with factors; ``sobol`` or ``morris`` for a complete sweep of that design.

    Raises:
        InputError: the folder holds no sweep, or no finished run yet; an unknown outcome.
    """
    sweep = sweep if isinstance(sweep, Sweep) else load(sweep)
    if sweep.ok.empty:
        raise InputError(str(sweep.out), [Problem("no finished run to analyse yet")])
    tables = {"points": point_summary(sweep, outcomes), "main_effects": main_effects(sweep, outcomes)}
    design = sweep.spec["experiment"]["design"]
    complete = sweep.manifest.get("status") == "complete" and len(sweep.runs) == sweep.manifest.get("planned")
    if design == "full_factorial" and sweep.factors:
        tables["contrasts"] = paired_contrasts(sweep, outcomes)
    if design == "sobol" and complete:
        tables["sobol"] = sobol_indices(sweep, outcomes)
    if design == "morris" and complete:
        tables["morris"] = morris_indices(sweep, outcomes)
    return tables


def write_tables(tables: dict[str, pd.DataFrame], out: str | Path) -> list[Path]:
    """The analysis tables as CSV files in `out` (``points.csv``, ...), each written whole or not at all."""
    out = Path(out)
    written = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        write_atomic(path, lambda tmp, t=table: t.to_csv(tmp, index=False))
        written.append(path)
    return written
