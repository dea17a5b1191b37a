"""One simulation of a calibration: a parameter draw, its runs, and its distance from the targets.

`WardModel` is what ABC-SMC calls with a parameter draw: it runs the base
scenario with those values for each replicate seed and returns each target's
quantity, averaged over the replicates. `TargetDistance` turns those into one
number: the root mean square over targets (weighted) of how far each lies from
its observed value, in units of its uncertainty (standard error, or half its
band). A distance of 1 means "on average, one uncertainty away".
"""

from __future__ import annotations

import contextvars
import math

import numpy as np

from milieusim.rng import spawn_seeds
from milieusim.targets import Target

#: The seed of the simulation being evaluated, set by the sampler around each evaluation.
SIMULATION_SEED: contextvars.ContextVar[int] = contextvars.ContextVar("simulation_seed")


class WardModel:
    """The ward as ABC-SMC sees it: parameter values in, target quantities out.

    Args:
        base: the base scenario as data (`Scenario.model_dump(mode="json")`).
        targets: the targets whose quantities a simulation returns.
        days: simulated days per run.
        replications: runs per simulation, each with a seed spawned from the simulation's seed.
    """

    def __init__(self, base: dict, targets: list[Target], days: int, replications: int):
        self.base = base
        self.targets = targets
        self.days = days
        self.replications = replications

    def __call__(self, parameter) -> dict:
        """Run every replicate with `parameter` and return each target's mean quantity."""
        from milieusim.params import Scenario
        from milieusim.runner import run

        scenario = Scenario.model_validate(self.base).with_changes(
            {k: float(v) for k, v in parameter.items()}
        )
        measured: dict[str, list] = {t.name: [] for t in self.targets}
        for seed in self.seeds(SIMULATION_SEED.get()):
            res = run(scenario, seed=seed, days=self.days)
            for t in self.targets:
                measured[t.name].append(t.measure(res))
        return {name: _mean(values) for name, values in measured.items()}

    def seeds(self, seed: int) -> list[int]:
        """The replicate seeds of the simulation with `seed`."""
        return spawn_seeds(seed, self.replications)


def _mean(values: list) -> float | np.ndarray:
    """Mean over replicates, skipping replicates with no value (NaN when none has one)."""
    stacked = np.array(values, dtype=float)
    finite = np.isfinite(stacked)
    count = finite.sum(axis=0)
    total = np.where(finite, stacked, 0.0).sum(axis=0)
    mean = np.divide(total, count, out=np.full_like(total, np.nan, dtype=float), where=count > 0)
    return float(mean) if np.ndim(mean) == 0 else mean


class TargetDistance:
    """Weighted root mean square of the targets' z-values (targets of weight 0 do not count).

    A pattern counts as one target: the mean of its elements' squared z-values. A simulation
    with no value for a fitted target (NaN) is infinitely far.
    """

    def __init__(self, targets: list[Target]):
        self.fitted = [t for t in targets if t.weight > 0]
        self.total_weight = sum(t.weight for t in self.fitted)

    def __call__(self, x: dict, x_0: dict | None = None) -> float:
        """Distance of simulated quantities `x` from the targets (`x_0` is the same observed values)."""
        total = 0.0
        for t in self.fitted:
            z2 = float(np.mean(t.z(x[t.name]) ** 2))
            if not math.isfinite(z2):
                return math.inf
            total += t.weight * z2
        return math.sqrt(total / self.total_weight)
