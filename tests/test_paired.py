"""Paired differences over common seeds, and intervals that stay within what an outcome can be."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from milieusim.paired import differences, group_means, run_differences
from milieusim.stats import mean_ci


def test_unbounded_is_the_student_t_interval():
    x = np.array([1.0, 2.0, 4.0, 7.0, np.nan])
    m, lo, hi, n = mean_ci(x)
    ref = stats.t.interval(0.95, 3, loc=3.5, scale=stats.sem(x[:4]))
    assert (m, n) == (3.5, 4) and lo == pytest.approx(ref[0]) and hi == pytest.approx(ref[1])
    assert np.isnan(mean_ci([2.0])[1]) and mean_ci([])[3] == 0


def test_a_bounded_interval_is_the_t_interval_on_the_log_or_logit_scale():
    x = np.array([1.0, 2.0, 4.0, 7.0])
    half = stats.t.ppf(0.975, 3) * stats.sem(x)
    _, lo, hi, _ = mean_ci(x, bounds=(0, None))
    assert (lo, hi) == pytest.approx((3.5 * math.exp(-half / 3.5), 3.5 * math.exp(half / 3.5)))
    y = np.array([0.2, 0.3, 0.4])
    half = stats.t.ppf(0.975, 2) * stats.sem(y)
    logit = math.log(0.3 / 0.7)
    spread = half / (0.3 * 0.7)
    _, lo, hi, _ = mean_ci(y, bounds=(0, 1))
    assert (lo, hi) == pytest.approx(
        (1 / (1 + math.exp(-(logit - spread))), 1 / (1 + math.exp(-(logit + spread))))
    )
    _, lo, hi, _ = mean_ci(10 - x, bounds=(None, 10))  # an upper bound only: the mirror image
    _, mirror_lo, mirror_hi, _ = mean_ci(x, bounds=(0, None))
    assert (lo, hi) == pytest.approx((10 - mirror_hi, 10 - mirror_lo))
    assert mean_ci([0.0, 0.0, 0.0], bounds=(0, None))[1:3] == (0.0, 0.0)
    with pytest.raises(ValueError, match="outside the bounds"):
        mean_ci([-1.0, 2.0], bounds=(0, None))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=2, max_size=12),
    st.sampled_from([(0.0, 1.0), (0.0, None), (None, 1.0)]),
)
def test_intervals_never_leave_the_bounds(values, bounds):
    m, lo, hi, _ = mean_ci(values, bounds=bounds)
    assert lo <= m + 1e-12 and m <= hi + 1e-12
    assert bounds[0] is None or lo >= bounds[0]
    assert bounds[1] is None or hi <= bounds[1]


def runs_of(values: dict[str, list[float]], key: str = "y") -> pd.DataFrame:
    return pd.DataFrame(
        [{"group": g, "seed": s, key: v} for g, vs in values.items() for s, v in enumerate(vs)]
    )


def test_differences_pair_by_seed_and_the_seeds_luck_cancels():
    runs = runs_of({"ref": [10.0, 20.0, 30.0], "a": [11.0, 21.0, 31.0], "b": [9.0, np.nan, 28.0]})
    runs = runs.sample(frac=1, random_state=2)  # pairs are found by seed, not by position
    d = differences(runs, "group", "ref", ["y"], groups=["ref", "a", "b"]).set_index("group")
    assert list(d.columns) == ["reference", "outcome", "n", "mean", "ci_low", "ci_high"]
    assert (d.loc["a", "mean"], d.loc["a", "ci_low"], d.loc["a", "ci_high"], d.loc["a", "n"]) == (1, 1, 1, 3)
    assert d.loc["b", "n"] == 2 and d.loc["b", "mean"] == pytest.approx(-1.5)  # the missing pair is left out
    means = group_means(runs, "group", ["y"], groups=["ref", "a", "b"]).set_index("group")
    assert means.loc["ref", "ci_low"] < 10  # unpaired, the seed's luck makes the interval wide


def test_pairs_on_several_keys_and_undefined_pairs_are_refused():
    runs = pd.DataFrame(
        {"level": ["x", "y", "x", "y"], "rep": [0, 0, 0, 0], "other": [1, 1, 2, 2], "y": [1.0, 3.0, 5.0, 9.0]}
    )
    diff = run_differences(runs, "level", "x", ["y"], pair_on=["rep", "other"])
    assert diff.to_dict("list") == {"level": ["y", "y"], "rep": [0, 0], "other": [1, 2], "y": [2.0, 4.0]}
    with pytest.raises(ValueError, match="several runs of 'x' share rep"):
        run_differences(runs, "level", "x", ["y"], pair_on=["rep"])


def test_a_share_difference_interval_stays_within_minus_one_and_one():
    runs = runs_of({"ref": [0.0, 0.0, 0.02], "a": [0.98, 1.0, 0.97]}, "patient_engaged_share")
    (row,) = differences(runs, "group", "ref", ["patient_engaged_share"]).to_dict("records")
    plain = mean_ci([0.98, 1.0, 0.95])  # the same differences, unbounded
    assert plain[2] > 1.0 and -1.0 <= row["ci_low"] < row["mean"] < row["ci_high"] <= 1.0
