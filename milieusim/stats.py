"""Means with confidence intervals: the one interval every table of the project uses.

`mean_ci` gives the Student-t interval of a mean. A quantity with bounds (a
rate is at least 0, a share lies in [0, 1]) gets its interval on a transformed
scale on which the bounds lie at infinity, mapped back, so the interval never
leaves what is possible: log(m - low) for a lower bound, log(high - m) for an
upper one, logit((m - low) / (high - low)) for both. The standard error is
carried to that scale by the delta method, and the t quantile is kept, so far
from a bound the interval is the Student-t one and near it it becomes
asymmetric. Deterministic: no resampling, the same values give the same
interval.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

Bounds = tuple[float | None, float | None]
UNBOUNDED: Bounds = (None, None)
MAX_EXPONENT = 700.0  # exp() of more overflows a float; the interval is then unbounded in practice


def mean_ci(
    values: pd.Series | np.ndarray, conf: float = 0.95, bounds: Bounds = UNBOUNDED
) -> tuple[float, float, float, int]:
    """Mean and confidence interval of the finite values; (mean, low, high, n).

    Without `bounds` the Student-t interval; with them, the interval on the
    transformed scale the module describes, which stays within them. With one
    value there is no interval (NaN); values all at a bound have none but that value.

    Raises:
        ValueError: a value lies outside `bounds`.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    lo, hi = bounds
    if (lo is not None and x.min() < lo) or (hi is not None and x.max() > hi):
        raise ValueError(f"values from {x.min():g} to {x.max():g} lie outside the bounds [{lo}, {hi}]")
    m = float(x.mean())
    if n == 1:
        return m, np.nan, np.nan, 1
    half = float(stats.t.ppf(0.5 + conf / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    low, high = _bounded(m, half, lo, hi)
    return m, low, high, n


def _bounded(m: float, half: float, lo: float | None, hi: float | None) -> tuple[float, float]:
    """The interval m ± half (half = t x standard error), made on the scale that keeps it within [lo, hi]."""
    if half == 0 or (lo is None and hi is None):
        return m - half, m + half
    if (lo is not None and m <= lo) or (hi is not None and m >= hi):
        return m, m  # every value at the bound (values beyond it were refused)
    if hi is None:  # log(m - lo)
        k = math.exp(min(half / (m - lo), MAX_EXPONENT))
        return lo + (m - lo) / k, lo + (m - lo) * k
    if lo is None:  # log(hi - m)
        k = math.exp(min(half / (hi - m), MAX_EXPONENT))
        return hi - (hi - m) * k, hi - (hi - m) / k
    width = hi - lo
    p = (m - lo) / width
    centre, spread = math.log(p / (1 - p)), half / (width * p * (1 - p))  # logit and its delta-method se
    return lo + width * _expit(centre - spread), lo + width * _expit(centre + spread)


def _expit(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def ci_row(values, conf: float = 0.95, bounds: Bounds = UNBOUNDED) -> dict:
    """`mean_ci` as table columns: n, mean, ci_low, ci_high."""
    m, lo, hi, n = mean_ci(values, conf, bounds)
    return {"n": n, "mean": m, "ci_low": lo, "ci_high": hi}
