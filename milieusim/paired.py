"""Groups of runs that share seeds: each group's mean, and the paired difference from a reference group.

Runs of different scenarios, plans or factor levels with the same seed meet
the same admissions, visits and chances (common random numbers), so the
difference between two such runs comes from what differs between them, not
from luck. `run_differences` subtracts, pair by pair, the reference group's
run from each other run with the same pairing keys (the seed, or a sweep's
replicate and other factors); `differences` gives the mean of those
differences with its interval; `group_means` gives each group's own mean and
interval, for comparison. Teaching tables, layout comparisons and sweep
contrasts all use these, and name their columns alike: ``n``, ``mean``,
``ci_low``, ``ci_high``.

Intervals are `stats.mean_ci` with the bounds of each outcome from the
registry (`outcomes.py`): a group mean of a rate never has an interval below
0, nor a share one above 1; a difference of two shares stays within [-1, 1].
Measures the registry does not know are unbounded unless `bounds` names theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from milieusim import outcomes
from milieusim.stats import Bounds, ci_row

INTERVAL_COLUMNS = ["n", "mean", "ci_low", "ci_high"]
REFERENCE_SUFFIX = " (reference)"


def group_means(
    runs: pd.DataFrame,
    by: str,
    measures: Sequence[str],
    groups: Iterable | None = None,
    conf: float = 0.95,
    bounds: dict[str, Bounds] | None = None,
) -> pd.DataFrame:
    """Mean and interval of each measure over the runs of each group, one row per group and measure.

    Columns: `by`, ``outcome``, ``n`` (runs with a value), ``mean``, ``ci_low``,
    ``ci_high``. Groups come in the order of `groups` (default: of appearance).
    """
    rows = []
    for group in _groups(runs, by, groups):
        mine = runs[runs[by] == group]
        for m in measures:
            rows.append({by: group, "outcome": m, **ci_row(mine[m], conf, _bounds(m, bounds, False))})
    return pd.DataFrame(rows, columns=[by, "outcome", *INTERVAL_COLUMNS])


def run_differences(
    runs: pd.DataFrame,
    by: str,
    reference,
    measures: Sequence[str],
    pair_on: Sequence[str] = ("seed",),
) -> pd.DataFrame:
    """Each run's measures minus those of the `reference` group's run with the same `pair_on` values.

    One row per run of the other groups that has a reference partner: `by`, the
    `pair_on` columns and the differences (NaN where either value is missing).

    Raises:
        ValueError: two reference runs share `pair_on` values, so a pair is not defined.
    """
    keys = list(pair_on)
    ref = runs.loc[runs[by] == reference, [*keys, *measures]]
    if ref.duplicated(keys).any():
        raise ValueError(f"several runs of {reference!r} share {', '.join(keys)}: pairs are not defined")
    others = runs.loc[runs[by] != reference, [by, *keys, *measures]]
    pairs = others.merge(ref, on=keys, how="inner", suffixes=("", REFERENCE_SUFFIX), sort=False)
    out = pairs[[by, *keys]].copy()
    for m in measures:
        out[m] = pairs[m].astype(float) - pairs[m + REFERENCE_SUFFIX].astype(float)
    return out.reset_index(drop=True)


def differences(
    runs: pd.DataFrame,
    by: str,
    reference,
    measures: Sequence[str],
    pair_on: Sequence[str] = ("seed",),
    groups: Iterable | None = None,
    conf: float = 0.95,
    bounds: dict[str, Bounds] | None = None,
) -> pd.DataFrame:
    """Mean paired difference from the `reference` group and its interval, per other group and measure.

    Columns: `by`, ``reference``, ``outcome``, ``n`` (pairs where both values
    exist), ``mean``, ``ci_low``, ``ci_high``. Groups come in the order of
    `groups` (default: of appearance), the reference left out.
    """
    diff = run_differences(runs, by, reference, measures, pair_on)
    rows = []
    for group in _groups(runs, by, groups):
        if group == reference:
            continue
        mine = diff[diff[by] == group]
        for m in measures:
            row = ci_row(mine[m], conf, _bounds(m, bounds, True))
            rows.append({by: group, "reference": reference, "outcome": m, **row})
    return pd.DataFrame(rows, columns=[by, "reference", "outcome", *INTERVAL_COLUMNS])


def _groups(runs: pd.DataFrame, by: str, groups: Iterable | None) -> list:
    return list(dict.fromkeys(runs[by])) if groups is None else list(groups)


def _bounds(measure: str, given: dict[str, Bounds] | None, difference: bool) -> Bounds:
    """The bounds of a measure (or of a difference of two of its values): `given`, else the registry's."""
    if given and measure in given:
        lo, hi = given[measure]
        if not difference:
            return lo, hi
        return (lo - hi, hi - lo) if lo is not None and hi is not None else (None, None)
    return outcomes.difference_bounds(measure) if difference else outcomes.bounds(measure)
