"""Does the method work here? Targets the model itself produces at known values, to be recovered.

Before calibrating to a ward's figures, calibrate to figures the model made at
parameter values you choose: each true value should lie within its posterior
95% interval, and a parameter the targets cannot see stays wide. The same
targets file format is used, so the check runs through `milieusim calibrate`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from milieusim.calibration.setup import Setup
from milieusim.rng import spawn_seeds
from milieusim.targets import Target, targets_from_dict


def synthetic_targets(
    setup: Setup, truth: dict[str, float], summaries: list[str], runs: int = 5, seed: int = 1
) -> tuple[list[Target], dict]:
    """Targets from `runs` runs of the setup's base scenario with the parameter values `truth`.

    Each target's value is the mean over runs of a summary key. Its standard error covers the
    chance variation of both sides of the comparison: the runs' standard deviation times
    sqrt(1/runs + 1/replications), as a simulation averages the setup's replications (at least
    1% of the value, so a quantity that barely varies still has an uncertainty). Returns the
    targets and their file content (a dict to write as TOML).

    Raises:
        ValueError: fewer than two runs have a value of some summary key.
    """
    from milieusim.runner import run

    scenario = setup.scenario.with_changes(truth)
    results = [run(scenario, seed=s, days=setup.settings.days).summary for s in spawn_seeds(seed, runs)]
    source = "the model at " + ", ".join(f"{k} = {v:g}" for k, v in truth.items()) + f" ({runs} runs)"
    data: dict = {"target": {}}
    for key in summaries:
        x = np.array([np.nan if r[key] is None else r[key] for r in results], dtype=float)
        n = int(np.isfinite(x).sum())
        if n < 2:
            raise ValueError(f"{key}: {n} of {runs} runs have a value (e.g. no stay ended); make runs longer")
        mean, sd = float(np.nanmean(x)), float(np.nanstd(x, ddof=1))
        se = max(sd * np.sqrt(1 / n + 1 / setup.settings.replications), 0.01 * abs(mean), 1e-9)
        data["target"][key] = {"quantity": key, "summary": key, "value": mean, "se": se, "source": source}
    return targets_from_dict(data, "synthetic targets"), data


def recovery_table(posterior: pd.DataFrame, truth: dict[str, float]) -> pd.DataFrame:
    """The posterior table of the fitted parameters with each true value and whether it was recovered."""
    table = posterior.copy()
    table["true"] = [truth.get(p, np.nan) for p in table["parameter"]]
    table["recovered"] = (table["low_95"] <= table["true"]) & (table["true"] <= table["high_95"])
    return table
