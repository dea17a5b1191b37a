import numpy as np
import pytest
from scipy import stats

from milieusim.sweep import load, run_sweep, spec_from_dict
from milieusim.sweep.analysis import analyze, morris_indices, point_summary, sobol_indices
from milieusim.viz.sweep import figures


def sweep_of(tmp_path, design, **experiment):
    data = {
        "experiment": {"name": design, "design": design, "days": 3, "seed": 3, **experiment},
        "base": {"layout": "home"},
        "factors": {
            "culture.respect": {"min": 0.1, "max": 0.9},
            "culture.power_balance": {"min": 0.1, "max": 0.9},
        },
    }
    spec, base = spec_from_dict(data)
    run_sweep(spec, tmp_path / design, workers=0, base=base, progress=None)
    return load(tmp_path / design)


def test_point_summary_has_a_ci_per_point_and_outcome(tmp_path):
    sweep = sweep_of(tmp_path, "latin_hypercube", samples=3, replications=3)
    table = point_summary(sweep, ["mean_trust"])
    assert len(table) == 3 and (table["n"] == 3).all()
    assert ((table["ci_low"] <= table["mean"]) & (table["mean"] <= table["ci_high"])).all()
    first = sweep.ok[sweep.ok["point"] == 0]["mean_trust"]
    assert table.iloc[0]["mean"] == pytest.approx(first.mean())


def test_sobol_indices_from_a_saltelli_sweep(tmp_path):
    sweep = sweep_of(tmp_path, "sobol", samples=4)
    assert len(sweep.runs) == 4 * (2 * 2 + 2)
    table = sobol_indices(sweep, ["mean_trust"])
    assert list(table["factor"]) == ["culture.respect", "culture.power_balance"]
    assert np.isfinite(table[["S1", "ST", "S1_conf", "ST_conf"]].to_numpy()).all()
    tables = analyze(tmp_path / "sobol", ["mean_trust"])
    assert "sobol" in tables and "figures" not in tables  # the analysis draws nothing
    assert (tmp_path / "fig" / "sobol.png") in figures(sweep, tables, tmp_path / "fig", ["mean_trust"])
    assert (tmp_path / "fig" / "sobol.png").exists()


def test_morris_indices_from_trajectories(tmp_path):
    sweep = sweep_of(tmp_path, "morris", samples=3)
    assert len(sweep.runs) == 3 * 3
    table = morris_indices(sweep, ["mean_trust", "mean_autonomy"])
    assert len(table) == 4 and (table["mu_star"] >= 0).all()
    assert np.isfinite(table[["mu_star", "sigma"]].to_numpy()).all()


def test_an_unknown_outcome_names_the_nearest(tmp_path):
    sweep = sweep_of(tmp_path, "latin_hypercube", samples=2)
    from milieusim.validation import InputError

    with pytest.raises(InputError, match="mean_trust"):
        point_summary(sweep, ["mean_trst"])


def test_indices_leave_out_an_outcome_missing_at_some_point(tmp_path):
    sweep = sweep_of(tmp_path, "morris", samples=2)
    sweep.runs.loc[sweep.runs["point"] == 1, "mean_trust"] = np.nan
    table = morris_indices(sweep, ["mean_trust", "mean_autonomy"])
    assert set(table["outcome"]) == {"mean_autonomy"} and table.attrs["skipped"] == ["mean_trust"]


def test_paired_contrasts_difference_runs_with_the_same_seed_and_other_factors():
    import pandas as pd

    from milieusim.sweep.analysis import Sweep, paired_contrasts

    rows = []
    for rep in (0, 1, 2):
        for a in (0.1, 0.5):
            for b in ("x", "y"):
                # a adds 2 (b = x) or 4 (b = y); replicates shift everything (the seed's luck)
                y = 10 * rep + (a == 0.5) * (2 if b == "x" else 4) + (b == "y") * 100
                rows.append(
                    {"run": len(rows), "point": 0, "replicate": rep, "status": "ok", "A": a, "B": b, "y": y}
                )
    spec = {
        "experiment": {"design": "full_factorial"},
        "factors": {"A": {"values": [0.1, 0.5]}, "B": {"values": ["x", "y"]}},
    }
    sweep = Sweep(None, {}, spec, pd.DataFrame(), pd.DataFrame(rows))
    t = paired_contrasts(sweep, ["y"]).set_index("factor")
    assert t.loc["A", "mean"] == pytest.approx(3.0) and t.loc["A", "n"] == 6  # the seed's luck cancels
    assert (t.loc["A", "level"], t.loc["A", "reference"]) == (0.5, 0.1)
    assert t.loc["B", "mean"] == pytest.approx(101.0) and t.loc["B", "level"] == "y"
    ref = stats.t.interval(0.95, 5, loc=3.0, scale=stats.sem([2, 4, 2, 4, 2, 4]))
    assert (t.loc["A", "ci_low"], t.loc["A", "ci_high"]) == pytest.approx(ref)
