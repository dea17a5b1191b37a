"""What a calibration found: the posterior, what the targets identify, and the posterior predictive check.

All of it is read from the calibration folder: the last finished generation of
pyabc's history is the posterior (weighted particles), every recorded
simulation is in ``simulations/``. Tables, not drawings (`milieusim.viz.calibration`
draws them).

Reading aids, not tests (assumption): a parameter whose posterior sd is under
half its prior sd is *identified* by the targets, under 0.8 *narrowed*, else
*left wide* (the targets say little about it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from milieusim.calibration.calibrate import DB
from milieusim.calibration.sampler import read_records
from milieusim.calibration.setup import Setup
from milieusim.params import Scenario
from milieusim.targets import Target, verdict

IDENTIFIED, NARROWED = 0.5, 0.8


@dataclass(frozen=True)
class Posterior:
    """The final population: parameter values, weights and simulated target quantities."""

    particles: pd.DataFrame  # one row per particle: a column per parameter, and w
    simulated: list[dict]  # per particle: target name -> simulated quantity
    generations: pd.DataFrame  # t, epsilon, simulations, accepted, acceptance


def load_posterior(out: str | Path) -> Posterior:
    """The last finished generation of the calibration in `out`.

    Raises:
        ValueError: no generation has finished yet.
    """
    import pyabc

    path = Path(out) / DB
    if not path.exists():
        raise ValueError(f"{out}: no calibration history ({DB} is missing)")
    history = pyabc.History(f"sqlite:///{path.resolve()}")
    if history.max_t is None or history.max_t < 0:
        raise ValueError(f"{out}: no generation has finished yet; continue the calibration with --resume")
    population = history.get_population(t=history.max_t)
    particles = pd.DataFrame([dict(p.parameter) for p in population.particles])
    w = np.array([p.weight for p in population.particles], dtype=float)
    particles["w"] = w / w.sum()
    simulated = [dict(p.sum_stat) for p in population.particles]
    pops = history.get_all_populations().query("t >= 0")
    gens = pd.DataFrame(
        {
            "generation": pops["t"].astype(int),
            "epsilon": pops["epsilon"].astype(float),
            "simulations": pops["samples"].astype(int),
            "accepted": [len(particles)] * len(pops),
        }
    )
    gens["acceptance"] = gens["accepted"] / gens["simulations"]
    return Posterior(particles, simulated, gens.reset_index(drop=True))


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """The `q` quantile of values `x` with weights `w` (interpolated on the cumulative weight)."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    keep = np.isfinite(x)
    x, w = x[keep], w[keep]
    if not len(x):
        return np.nan
    order = np.argsort(x)
    x, w = x[order], w[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cum, x))


def posterior_table(post: Posterior, setup: Setup) -> pd.DataFrame:
    """One row per parameter: prior, posterior mean, sd and 95% interval, and what the targets say of it."""
    w = post.particles["w"].to_numpy()
    rows = []
    for p in setup.parameters:
        x = post.particles[p.key].to_numpy()
        mean = float(np.sum(w * x))
        sd = float(np.sqrt(np.sum(w * (x - mean) ** 2)))
        prior = p.frozen()
        ratio = sd / float(prior.std())
        rows.append(
            {
                "parameter": p.key,
                "prior": f"{p.distribution} [{p.low:g}, {p.high:g}]",
                "prior_mean": float(prior.mean()),
                "prior_sd": float(prior.std()),
                "mean": mean,
                "sd": sd,
                "median": weighted_quantile(x, w, 0.5),
                "low_95": weighted_quantile(x, w, 0.025),
                "high_95": weighted_quantile(x, w, 0.975),
                "sd_ratio": ratio,
                "reading": "identified"
                if ratio < IDENTIFIED
                else "narrowed"
                if ratio < NARROWED
                else "left wide",
            }
        )
    return pd.DataFrame(rows)


def predictive_table(post: Posterior, targets: list[Target]) -> pd.DataFrame:
    """Each target (each element of a pattern) against the posterior predictive distribution.

    The predictive interval is the weighted 2.5-97.5% range of the final population's simulated
    values; the verdict judges that interval against the target's band (`targets.verdict`).
    """
    w = post.particles["w"].to_numpy()
    rows = []
    for t in targets:
        sims = np.array([np.atleast_1d(np.asarray(s[t.name], float)) for s in post.simulated])
        for k in range(len(t.value)):
            x = sims[:, k]
            low, high = weighted_quantile(x, w, 0.025), weighted_quantile(x, w, 0.975)
            rows.append(
                {
                    "target": t.name if not t.pattern else f"{t.name}[{k}]",
                    "quantity": t.quantity,
                    "observed": t.value[k],
                    "band_low": t.low[k],
                    "band_high": t.high[k],
                    "weight": t.weight,
                    "median": weighted_quantile(x, w, 0.5),
                    "low_95": low,
                    "high_95": high,
                    "verdict": verdict(low, high, t.low[k], t.high[k]),
                    "source": t.source,
                }
            )
    return pd.DataFrame(rows)


def posterior_sample(post: Posterior, setup: Setup, n: int | None = None) -> pd.DataFrame:
    """Equally weighted draws from the posterior (resampled by weight, seeded by the root seed)."""
    n = len(post.particles) if n is None else n
    rng = np.random.default_rng(setup.settings.seed)
    idx = rng.choice(len(post.particles), size=n, p=post.particles["w"].to_numpy())
    keys = [p.key for p in setup.parameters]
    sample = post.particles.iloc[idx][keys].reset_index(drop=True)
    sample.insert(0, "draw", range(n))
    return sample


def calibrated_scenario(post: Posterior, setup: Setup, draw: int | None = None) -> Scenario:
    """The base scenario with the posterior mean of each fitted parameter, or with draw `draw`.

    Raises:
        ValueError: `draw` is not a draw of the posterior sample.
    """
    if draw is None:
        w = post.particles["w"].to_numpy()
        values = {p.key: float(np.sum(w * post.particles[p.key])) for p in setup.parameters}
    else:
        sample = posterior_sample(post, setup)
        if not 0 <= draw < len(sample):
            raise ValueError(f"--draw {draw}: the posterior sample has draws 0 to {len(sample) - 1}")
        values = {p.key: float(sample.loc[draw, p.key]) for p in setup.parameters}
    name = setup.settings.name + ("_calibrated" if draw is None else f"_draw{draw}")
    return setup.scenario.with_changes({**values, "name": name})


def records(out: str | Path) -> pd.DataFrame:
    """Every simulation of the calibration (parameters, seed, summary values, distance, accepted)."""
    return read_records(Path(out))


def write_results(out: str | Path, setup: Setup, targets: list[Target], draw: int | None = None) -> dict:
    """Write the posterior tables and the calibrated scenario into `out`; return the tables and paths.

    Files: ``posterior.csv`` (per parameter), ``predictive.csv`` (per target), ``generations.csv``,
    ``posterior_sample.csv`` (equally weighted draws; ``--draw K`` picks row K), ``simulations.parquet``
    (every simulation) and ``calibrated.toml`` (a scenario file).
    """
    from milieusim.scenario import scenario_toml

    out = Path(out)
    post = load_posterior(out)
    tables = {
        "posterior": posterior_table(post, setup),
        "predictive": predictive_table(post, targets),
        "generations": post.generations,
        "posterior_sample": posterior_sample(post, setup),
    }
    paths = []
    for name, table in tables.items():
        table.to_csv(out / f"{name}.csv", index=False)
        paths.append(out / f"{name}.csv")
    sims = records(out)
    sims.to_parquet(out / "simulations.parquet", index=False)
    scenario = calibrated_scenario(post, setup, draw)
    what = "the posterior mean" if draw is None else f"draw {draw} of the posterior sample"
    header = (
        f"{setup.settings.name}: {what} of {', '.join(p.key for p in setup.parameters)}\n"
        f"calibrated by ABC-SMC to {len(targets)} targets ({int(post.generations['simulations'].sum())} "
        "simulations); see posterior.csv"
    )
    (out / "calibrated.toml").write_text(scenario_toml(scenario, header), encoding="utf-8")
    paths += [out / "simulations.parquet", out / "calibrated.toml"]
    return {"post": post, "tables": tables, "scenario": scenario, "paths": paths}
