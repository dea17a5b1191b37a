"""A whole calibration: check the inputs, run ABC-SMC into a results folder, keep its manifest.

The folder (``DIR``) holds ``spec.json`` (the setup and targets, what
``resume`` compares), ``manifest.json`` (provenance, sessions, counts),
``abc.db`` (pyabc's history: each finished generation), ``simulations/`` (one
record per simulation) and, once finished, the posterior tables
(`milieusim.calibration.posterior`).

Method: ABC-SMC (Toni et al. 2009; Beaumont et al. 2009) through pyabc. The
first generation draws from the priors; each later one proposes from a
Gaussian kernel around the last accepted particles and accepts a simulation
whose distance (`simulate.TargetDistance`) is under the threshold: a quantile
of the last generation's distances. The calibration stops at ``min_epsilon``
(default 1: accepted runs lie, on average, within one uncertainty of every
target; shrinking further would claim more precision than the targets carry),
after ``generations`` or at ``max_simulations``.
"""

from __future__ import annotations

import json
import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from milieusim.calibration.sampler import RECORDS, Interrupted, RecordedSampler
from milieusim.calibration.setup import Setup
from milieusim.sweep.store import now, prepare, provenance, write_manifest
from milieusim.targets import Target, outcome_problems
from milieusim.validation import InputError, Problem

DB = "abc.db"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CalibrationOutcome:
    """How a calibration (or this part of a resumed one) ended."""

    out: Path
    generations: int
    simulations: int  # counted by the finished generations
    recorded: int  # every simulation run, including those of an unfinished generation
    ran_now: int
    complete: bool
    stopped: str
    epsilon: float
    seconds: float


def check_targets(targets: list[Target], setup: Setup, source: str) -> None:
    """Every target names an outcome a run of the base scenario has (checked on a one-day run).

    Raises:
        InputError: naming the targets file, the target and its field.
    """
    from milieusim.runner import run

    days = max([len(t.value) for t in targets if t.stat == "by_day"], default=0)
    if days > setup.settings.days:
        raise InputError(
            source, [Problem(f"a by_day target has {days} values but runs last {setup.settings.days} days")]
        )
    res = run(setup.scenario, seed=setup.settings.seed, days=1)
    problems = outcome_problems(targets, res)
    if problems:
        raise InputError(source, problems)


def canonical(setup: Setup, targets: list[Target]) -> dict:
    """Setup and targets as plain data: a changed file refuses to resume."""
    return json.loads(json.dumps(setup.canonical() | {"targets": [asdict(t) for t in targets]}))


def calibrate(
    setup: Setup,
    targets: list[Target],
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    on_candidate: Callable | None = None,
) -> CalibrationOutcome:
    """Run (or continue) the calibration of `setup` to `targets` in `out`.

    `on_candidate(t, index, particle, accepted, n, threshold)` is called for each simulation in order.

    Raises:
        InputError: a non-empty `out` without `resume`, or a changed setup or targets on resume.
    """
    import pyabc

    from milieusim.calibration.simulate import TargetDistance, WardModel
    from milieusim.sweep.execute import executor

    out = Path(out)
    s = setup.settings
    with executor(workers, scheduler) as running:
        pool, slots = running.pool, running.slots
        prepare(out, canonical(setup, targets), resume, "calibration", "the calibration file or targets")
        manifest = _manifest(out, setup)
        if manifest.get("status") == "complete":
            return _outcome(out, manifest, 0, 0.0)
        prior = pyabc.Distribution(
            **{
                p.key: pyabc.RV(name, *args, **kw)
                for p in setup.parameters
                for name, args, kw in [p.scipy_args()]
            }
        )
        model = WardModel(setup.scenario.model_dump(mode="json"), targets, s.days, s.replications)
        sampler = RecordedSampler(pool, slots, out, s.seed, s.max_simulations, on_candidate=on_candidate)
        db = f"sqlite:///{(out / DB).resolve()}"
        finished = (out / DB).exists() and pyabc.History(db).max_t >= 0
        # the first threshold accepts every prior draw; a resumed one is the quantile of the last
        # finished generation, as it would have been without the stop
        first = "from_sample" if finished else np.inf
        eps = pyabc.QuantileEpsilon(initial_epsilon=first, alpha=s.quantile)
        abc = pyabc.ABCSMC(
            model, prior, TargetDistance(targets), population_size=s.population, eps=eps, sampler=sampler
        )
        if (out / DB).exists():
            history = abc.load(db, 1)
            sampler.done = history.total_nr_simulations if history.max_t >= 0 else 0
        else:
            history = abc.new(db, {t.name: t.observed for t in targets})
        session = {"started": now(), "executor": scheduler or ("serial" if workers == 0 else "process pool")}
        session |= {"slots": slots, "provenance": manifest["provenance"]}
        manifest["sessions"].append(session)
        manifest["status"] = "running"
        write_manifest(out, manifest)
        before = _recorded(out)
        start = time.perf_counter()
        complete = False
        try:
            left = s.generations - (history.max_t + 1)
            if left > 0 and sampler.done < s.max_simulations:
                with warnings.catch_warnings():  # pyabc compares the first threshold (inf) with nothing
                    warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning, "pyabc")
                    abc.run(
                        minimum_epsilon=s.min_epsilon,
                        max_nr_populations=left,
                        max_total_nr_simulations=s.max_simulations,
                    )
            complete = True
        except Interrupted:
            log.info("calibration interrupted; the recorded simulations are kept")
        finally:
            seconds = time.perf_counter() - start
            history = pyabc.History(db)
            ran = _recorded(out) - before
            session |= {"ended": now(), "simulations": ran, "seconds": round(seconds, 3)}
            manifest |= _counts(history, sampler.done, s) | {"recorded": _recorded(out)}
            manifest |= {"status": "complete" if complete else "interrupted", "ended": session["ended"]}
            write_manifest(out, manifest)
    return _outcome(out, manifest, ran, seconds)


def _recorded(out: Path) -> int:
    """Simulations recorded so far, in finished generations or not."""
    return sum(1 for _ in (out / RECORDS).glob("g*.parquet"))


def _counts(history, simulations: int, s) -> dict:
    """Generations, simulations, last threshold, and why the calibration stopped."""
    gens = history.max_t + 1 if history.max_t is not None else 0
    eps = float(history.get_all_populations().query("t >= 0")["epsilon"].iloc[-1]) if gens else float("inf")
    if gens and eps <= s.min_epsilon:
        stopped = f"threshold {eps:.3g} reached min_epsilon {s.min_epsilon:g}"
    elif gens >= s.generations:
        stopped = f"{gens} generations (the most allowed)"
    elif simulations >= s.max_simulations:
        stopped = f"simulation budget of {s.max_simulations} spent"
    else:
        stopped = "acceptance too low to fill a generation"
    return {"generations": gens, "simulations": simulations, "epsilon": eps, "stopped": stopped}


def _outcome(out: Path, manifest: dict, ran: int, seconds: float) -> CalibrationOutcome:
    return CalibrationOutcome(
        out,
        manifest.get("generations", 0),
        manifest.get("simulations", 0),
        _recorded(out),
        ran,
        manifest.get("status") == "complete",
        manifest.get("stopped", ""),
        manifest.get("epsilon", float("inf")),
        seconds,
    )


def _manifest(out: Path, setup: Setup) -> dict:
    path = out / "manifest.json"
    if path.exists():
        manifest = json.loads(path.read_text())
    else:
        s = setup.settings
        manifest = {
            "name": s.name,
            "kind": "calibration",
            "setup_sha256": setup.digest(),
            "parameters": [p.key for p in setup.parameters],
            "root_seed": s.seed,
            "days": s.days,
            "replications": s.replications,
            "population": s.population,
            "started": now(),
            "sessions": [],
        }
    manifest["provenance"] = provenance()
    return manifest
