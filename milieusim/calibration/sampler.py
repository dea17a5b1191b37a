"""A reproducible, resumable ABC-SMC sampler: every simulation recorded, the same on any executor.

pyabc's own samplers accept whichever simulations finish first, so two runs of
one calibration differ, and a stopped generation is lost. `RecordedSampler`
instead numbers the candidates of each generation, gives candidate *i* of
generation *t* its own seed spawned from the root seed (which draws its
parameters and seeds its runs), evaluates candidates on any
`concurrent.futures` executor (a process pool, a Dask cluster, or this process)
and accepts them in their numbered order. The worker writes each simulation's
record (parameters, seed, summary values, distance, accepted) to
``simulations/`` as it finishes; a resumed calibration reads those records
back instead of running them again, so it equals an uninterrupted one.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pyabc.sampler import Sampler

from milieusim.rng import spawn_seeds
from milieusim.sweep.store import write_atomic

RECORDS = "simulations"
#: Draws from the global numpy generator (pyabc's proposals) are serialised within a process, so a
#: candidate's draw depends on its seed alone even on a multi-threaded Dask worker; the model runs
#: are pure Python, so threads gain nothing from running them side by side.
_DRAW_LOCK = threading.Lock()
_LOADED: dict[str, Callable] = {}


def record_path(out: Path, t: int, index: int) -> Path:
    """The record of candidate `index` of generation `t`."""
    return Path(out) / RECORDS / f"g{t:03d}-{index:07d}.parquet"


def generation_seeds(root: int, t: int, n: int) -> list[int]:
    """Seeds of the first `n` candidates of generation `t` (stable: candidate i's never changes)."""
    return spawn_seeds(spawn_seeds(root, t + 1)[t], n)


class Interrupted(Exception):
    """Ctrl-C stopped the calibration; the simulations in progress finished and were recorded."""


@dataclass(frozen=True)
class Candidate:
    """What a worker needs to evaluate one candidate."""

    t: int
    index: int
    seed: int
    simulate: bytes  # pyabc's simulate_one of the generation, cloudpickled once per generation
    digest: str
    out: str


def evaluate(c: Candidate):
    """Draw, simulate and judge one candidate under its own seed; write its record; return the particle."""
    import cloudpickle

    from milieusim.calibration.simulate import SIMULATION_SEED

    simulate_one = _LOADED.get(c.digest)
    if simulate_one is None:
        _LOADED.clear()  # one generation's function at a time
        simulate_one = _LOADED[c.digest] = cloudpickle.loads(c.simulate)
    start = time.perf_counter()
    with _DRAW_LOCK:
        state = np.random.get_state()  # noqa: NPY002 - pyabc draws from the global generator
        np.random.seed(np.random.SeedSequence(c.seed).generate_state(8))  # noqa: NPY002
        token = SIMULATION_SEED.set(c.seed)
        try:
            particle = simulate_one()
        finally:
            SIMULATION_SEED.reset(token)
            np.random.set_state(state)  # noqa: NPY002
    row = {"generation": c.t, "candidate": c.index, "seed": c.seed}
    row |= {f"p:{k}": float(v) for k, v in particle.parameter.items()}
    row |= {f"s:{k}": _plain(v) for k, v in particle.sum_stat.items()}
    row |= {"distance": float(particle.distance), "accepted": bool(particle.accepted)}
    row |= {"wall_s": time.perf_counter() - start, "worker": f"{socket.gethostname()}:{os.getpid()}"}
    row["particle"] = cloudpickle.dumps(particle)
    frame = pd.DataFrame([row])
    write_atomic(record_path(Path(c.out), c.t, c.index), lambda tmp: frame.to_parquet(tmp, index=False))
    return particle


def _plain(v):
    return v.tolist() if isinstance(v, np.ndarray) else float(v)


def recorded(out: Path, t: int) -> dict[int, object]:
    """The particles already recorded for generation `t`, by candidate number."""
    import cloudpickle

    found = {}
    for path in sorted((Path(out) / RECORDS).glob(f"g{t:03d}-*.parquet")):
        frame = pd.read_parquet(path, columns=["candidate", "particle"])
        found[int(frame["candidate"].iloc[0])] = cloudpickle.loads(frame["particle"].iloc[0])
    return found


def read_records(out: Path) -> pd.DataFrame:
    """Every recorded simulation, one row each, without the pickled particles."""
    files = sorted((Path(out) / RECORDS).glob("g*.parquet"))
    if not files:
        return pd.DataFrame()
    frames = [pd.read_parquet(f).drop(columns="particle") for f in files]
    return pd.concat(frames, ignore_index=True).sort_values(["generation", "candidate"], ignore_index=True)


class RecordedSampler(Sampler):
    """Candidates in numbered order on a `concurrent.futures` executor; see the module docstring.

    Args:
        pool: the executor.
        slots: how many candidates it evaluates at once (and keeps in flight: a finished candidate frees its
            slot even before the ones numbered below it are done, so no worker waits).
        out: the calibration folder (records go to ``out/simulations``).
        root_seed: the root of every candidate's seed.
        budget: most simulations over the whole calibration.
        done: simulations counted in generations already finished (on resume).
        on_candidate: called with (t, index, particle, accepted so far, n, threshold) in numbered order.
    """

    def __init__(
        self,
        pool: cf.Executor,
        slots: int,
        out: Path,
        root_seed: int,
        budget: int,
        done: int = 0,
        on_candidate: Callable | None = None,
    ):
        super().__init__()
        self.pool, self.window = pool, max(1, slots)  # each generation runs at most slots - 1 past its end
        self.out, self.root_seed = Path(out), root_seed
        self.budget, self.done = budget, done
        self.on_candidate = on_candidate

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):
        """Evaluate candidates 0, 1, 2, ... of generation `t` until `n` are accepted, in order."""
        import cloudpickle

        limit = int(min(max_eval, self.budget - self.done))
        blob = cloudpickle.dumps(simulate_one)
        digest = hashlib.sha256(blob).hexdigest()
        known = recorded(self.out, t)
        epsilon = float(ana_vars.eps(t)) if ana_vars is not None else float("nan")
        seeds: list[int] = []
        sample = self._create_empty_sample()
        finished: dict[int, object] = {}
        inflight: dict[cf.Future, int] = {}
        submitted = consumed = accepted = 0
        try:
            while True:
                while consumed in finished and accepted < n:  # in numbered order only
                    particle = finished.pop(consumed)
                    sample.append(particle)
                    accepted += bool(particle.accepted)
                    consumed += 1
                    if self.on_candidate:
                        self.on_candidate(t, consumed - 1, particle, accepted, n, epsilon)
                if accepted >= n or consumed >= limit:
                    break
                ahead = submitted - consumed < n + self.window  # others never run far past a slow one
                if submitted < limit and len(inflight) < self.window and ahead:
                    if submitted in known:
                        finished[submitted] = known.pop(submitted)
                    else:
                        if submitted >= len(seeds):
                            seeds = generation_seeds(self.root_seed, t, max(2 * len(seeds), submitted + 64))
                        c = Candidate(t, submitted, seeds[submitted], blob, digest, str(self.out))
                        inflight[self.pool.submit(evaluate, c)] = submitted
                    submitted += 1
                    ready = [f for f in inflight if f.done()]  # in this process: already run
                else:
                    ready, _ = cf.wait(list(inflight), return_when=cf.FIRST_COMPLETED)
                for future in ready:
                    finished[inflight.pop(future)] = future.result()
        except KeyboardInterrupt:
            for future in inflight:
                future.cancel()
            # the simulations already running are let finish and kept; a second Ctrl-C abandons them
            cf.wait([f for f in inflight if not f.cancelled()])
            raise Interrupted from None
        finally:
            for future in inflight:
                future.cancel()
            # candidates already running are let finish: their records are kept for a resume
            cf.wait([f for f in inflight if not f.cancelled()])
        self.nr_evaluations_ = consumed
        self.done += consumed
        if accepted < n:
            sample.ok = False
        return sample
