"""Means with Student-t confidence intervals: the one interval every table of the project uses."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def mean_ci(values: pd.Series | np.ndarray, conf: float = 0.95) -> tuple[float, float, float, int]:
    """Mean and Student-t confidence interval of the finite values; (mean, low, high, n)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    m = float(x.mean())
    if n == 1:
        return m, np.nan, np.nan, 1
    half = float(stats.t.ppf(0.5 + conf / 2, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return m, m - half, m + half, n


def ci_row(values, conf: float = 0.95) -> dict:
    """`mean_ci` as table columns: n, mean, ci_low, ci_high."""
    m, lo, hi, n = mean_ci(values, conf)
    return {"n": n, "mean": m, "ci_low": lo, "ci_high": hi}
