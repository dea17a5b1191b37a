import numpy as np
import pytest

from milieusim.sweep import spec_from_dict
from milieusim.sweep.design import design_table, tasks, unit_points


def spec(design, factors=3, **experiment):
    names = ["culture.power_balance", "culture.respect", "culture.autonomy_support", "culture.consistency"]
    data = {
        "experiment": {"design": design, "replications": 3, "seed": 5, **experiment},
        "factors": {n: {"min": 0.1, "max": 0.9} for n in names[:factors]},
    }
    return spec_from_dict(data)[0]


def test_full_factorial_is_every_combination():
    s = spec_from_dict(
        {
            "factors": {
                "culture.respect": {"values": [0.2, 0.5, 0.8]},
                "ward.furniture": {"values": ["sociopetal", "sociofugal"]},
            }
        }
    )[0]
    table = design_table(s)
    assert len(table) == 6
    assert set(zip(table["culture.respect"], table["ward.furniture"], strict=True)) == {
        (r, f) for r in (0.2, 0.5, 0.8) for f in ("sociopetal", "sociofugal")
    }


def test_latin_hypercube_has_one_point_in_every_stratum():
    s = spec("latin_hypercube", samples=20)
    u = unit_points(s)
    assert u.shape == (20, 3)
    for column in u.T:
        assert sorted(np.floor(column * 20).astype(int)) == list(range(20))
    values = design_table(s)["culture.respect"]
    assert values.between(0.1, 0.9).all()


@pytest.mark.parametrize("d", [2, 3, 4])
def test_sobol_has_n_times_2d_plus_2_points(d):
    s = spec("sobol", factors=d, samples=16)
    assert len(design_table(s)) == 16 * (2 * d + 2)


def test_morris_has_r_trajectories_of_d_plus_1_on_the_grid():
    s = spec("morris", factors=4, samples=6, levels=4)
    u = unit_points(s)
    assert u.shape == (6 * 5, 4)
    assert set(np.round(u.ravel(), 6)) <= {0.0, round(1 / 3, 6), round(2 / 3, 6), 1.0}
    steps = np.abs(np.diff(u.reshape(6, 5, 4), axis=1))  # each step of a trajectory moves one factor
    assert ((steps > 1e-9).sum(axis=2) == 1).all()


def test_distributions_stay_in_bounds_and_follow_their_shape():
    data = {
        "experiment": {"design": "latin_hypercube", "samples": 400},
        "factors": {
            "culture.respect": {"min": 0.1, "max": 0.9, "distribution": "normal", "mean": 0.5, "sd": 0.1},
            "culture.power_balance": {"min": 0.1, "max": 0.9, "distribution": "triangular", "mode": 0.8},
        },
    }
    t = design_table(spec_from_dict(data)[0])
    assert t["culture.respect"].between(0.1, 0.9).all()
    assert abs(t["culture.respect"].mean() - 0.5) < 0.02
    assert abs(t["culture.respect"].std() - 0.1) < 0.02
    assert abs(t["culture.power_balance"].mean() - (0.1 + 0.8 + 0.9) / 3) < 0.02


def test_designs_are_reproducible_from_the_root_seed():
    a, b = design_table(spec("latin_hypercube", samples=8)), design_table(spec("latin_hypercube", samples=8))
    assert a.equals(b)
    c = design_table(spec("latin_hypercube", samples=8, seed=6))
    assert not a.equals(c)


def test_runs_share_replicate_seeds_across_points():
    s = spec("latin_hypercube", samples=4)
    runs = list(tasks(s, design_table(s)))
    assert [t.run for t in runs] == list(range(12))
    by_replicate = {}
    for t in runs:
        by_replicate.setdefault(t.replicate, set()).add(t.seed)
    assert all(len(seeds) == 1 for seeds in by_replicate.values())
    assert len({next(iter(s)) for s in by_replicate.values()}) == 3
