"""Design points of a sweep, and the runs they expand to.

Each design draws points in the unit hypercube (one column per factor),
which `Factor.from_unit` turns into parameter values; the unit coordinates
are kept, because Sobol and Morris analyses work in them.

- `full_factorial`: every combination of the factors' values.
- `latin_hypercube`: `samples` points, one in each of `samples` equal strata of every factor.
- `sobol`: Saltelli's scheme (SALib), N(2D + 2) points for second-order indices.
- `morris`: `samples` one-at-a-time trajectories on a `levels` grid (SALib), r(D + 1) points.

Every replicate `r` gets the same seed at every design point (common random
numbers), spawned from the root seed, so differences between points come
from the factors and not from luck.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from milieusim.rng import spawn_seeds
from milieusim.sweep.factor import as_parameter
from milieusim.sweep.spec import Spec
from milieusim.validation import InputError, Problem

#: Sweeps planning more runs than this ask to be confirmed first (the command line's --yes).
MAX_RUNS = 10_000
#: No sweep plans more runs than this: each run is a file per table in its results folder.
MAX_RUNS_EVER = 1_000_000


class TooManyRuns(InputError):
    """A sweep plans more runs than it may: `planned`, over `limit` (`MAX_RUNS` or `MAX_RUNS_EVER`)."""

    def __init__(self, source: str, planned: int, limit: int):
        self.planned, self.limit = planned, limit
        text = f"the design plans {planned:,} runs, more than {limit:,}"
        if limit == MAX_RUNS:
            text += " (the most a sweep runs without being asked to; docs/experiments.md)"
        super().__init__(source, [Problem(text, where="[experiment]")])


def check_size(spec: Spec, large: bool = False, source: str = "spec") -> int:
    """The number of runs `spec` plans: at most `MAX_RUNS`, or `MAX_RUNS_EVER` when `large`.

    Raises:
        TooManyRuns: before any design point is made.
    """
    planned = planned_runs(spec)
    limit = MAX_RUNS_EVER if large else MAX_RUNS
    if planned > limit:
        raise TooManyRuns(source, planned, limit)
    return planned


def planned_runs(spec: Spec) -> int:
    """How many runs `spec` plans (design points x replications), counted without building the design."""
    e = spec.experiment
    d = len(spec.factors)
    if d == 0:
        points = 1
    elif e.design == "full_factorial":
        points = math.prod(f.count() for f in spec.factors.values())
    elif e.design == "latin_hypercube":
        points = e.samples
    elif e.design == "sobol":
        points = e.samples * (2 * d + 2)
    else:  # morris: trajectories of d + 1 points
        points = e.samples * (d + 1)
    return points * e.replications


def unit_points(spec: Spec) -> np.ndarray:
    """The design in unit coordinates: one row per point, one column per factor."""
    e = spec.experiment
    d = len(spec.factors)
    if d == 0:
        return np.zeros((1, 0))
    design_seed = int(np.random.SeedSequence(e.seed).generate_state(1)[0])
    if e.design == "full_factorial":
        sizes = [len(f.levels()) for f in spec.factors.values()]
        return np.array(
            [
                [(i + 0.5) / n for i, n in zip(idx, sizes, strict=True)]
                for idx in itertools.product(*map(range, sizes))
            ]
        )
    if e.design == "latin_hypercube":
        rng = np.random.default_rng(design_seed)
        n = e.samples
        strata = np.column_stack([rng.permutation(n) for _ in range(d)])
        return (strata + rng.random((n, d))) / n
    problem = salib_problem(spec)
    if e.design == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, e.samples, calc_second_order=True, seed=design_seed)
    from SALib.sample import morris

    return morris.sample(problem, e.samples, num_levels=e.levels, seed=design_seed)


def salib_problem(spec: Spec) -> dict:
    """The SALib problem: the factors, in unit coordinates."""
    names = list(spec.factors)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def design_table(spec: Spec) -> pd.DataFrame:
    """One row per design point: `point`, the factor values, and their unit coordinates `u:<factor>`."""
    u = unit_points(spec)
    table = pd.DataFrame({"point": np.arange(len(u))})
    for j, (name, factor) in enumerate(spec.factors.items()):
        table[name] = factor.from_unit(u[:, j])
    for j, name in enumerate(spec.factors):
        table[f"u:{name}"] = u[:, j]
    return table


@dataclass(frozen=True)
class Task:
    """One run of a sweep: a design point, a replicate and its seed."""

    run: int
    point: int
    replicate: int
    seed: int
    changes: dict[str, Any]


def tasks(spec: Spec, design: pd.DataFrame) -> Iterator[Task]:
    """Every run the spec plans, in order, numbered point-major: run = point * replications + replicate.

    A generator: a sweep of any size holds one task at a time, not its whole plan.
    """
    reps = spec.experiment.replications
    seeds = spawn_seeds(spec.experiment.seed, reps)
    names = list(spec.factors)
    for row in design.itertuples(index=False):
        values = dict(zip(names, row[1 : 1 + len(names)], strict=True))
        changes = {k: as_parameter(k, _plain(v)) for k, v in values.items()}
        for r in range(reps):
            yield Task(row.point * reps + r, row.point, r, seeds[r], changes)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
