"""Running a sweep's runs on one executor interface: in-process, a process pool, or a Dask cluster.

All three are `concurrent.futures.Executor`s: `SerialExecutor` runs each run
when it is submitted; the process pool keeps its worker processes for the
whole sweep (each runs many runs and keeps its own cache of ward geometry);
a Dask cluster is reached through ``Client.get_executor()``. Workers write
their run's tables themselves and return one small row, so the parent holds
only counters and at most a window of pending futures: its memory does not
grow with the number of runs. Results depend on the run's seed only, never
on the executor or on the order runs finish in.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from milieusim.sweep.design import Task
from milieusim.sweep.errors import WorkerLost
from milieusim.sweep.factor import PRESET
from milieusim.sweep.store import write_spatial, write_table
from milieusim.validation import InputError, Problem

#: How long to wait for a Dask scheduler before giving up.
CONNECT_TIMEOUT = "20s"


class SerialExecutor(cf.Executor):
    """Runs each submitted call at once, in this process (no workers: tests, debugging)."""

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        """Run `fn` now and return its finished future."""
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which lets runs in progress finish."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def executor(workers: int | None = None, scheduler: str | None = None) -> Iterator[tuple[cf.Executor, int]]:
    """The executor for a sweep and how many runs it runs at once.

    `scheduler` (``tcp://host:port``) uses that Dask cluster; otherwise
    `workers` processes (default: one per CPU), or this process when 0.
    """
    if scheduler is not None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise InputError(
                scheduler, [Problem("a Dask scheduler needs the dask extra: pip install 'milieusim[dask]'")]
            ) from exc
        with Client(scheduler, timeout=CONNECT_TIMEOUT) as client:
            slots = sum(client.nthreads().values()) or 1
            yield client.get_executor(pure=False), slots
        return
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers == 0:
        yield SerialExecutor(), 1
        return
    context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_ignore_sigint)
    try:
        yield pool, workers
    except KeyboardInterrupt:  # a second Ctrl-C: abandon the runs in progress (their files stay temporary)
        for process in list(pool._processes.values()):  # noqa: SLF001 - the pool has no public terminate
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class Job:
    """What a worker needs for one run: the task, the base scenario as data, and where to write."""

    task: Task
    base: dict
    days: int
    outputs: tuple[str, ...]
    out: str


def run_job(job: Job) -> dict:
    """Run one task, write its tables, then its `runs` row; return that row.

    A run that raises is recorded as failed, with its traceback.
    """
    from milieusim.params import Scenario
    from milieusim.runner import run

    task, out = job.task, Path(job.out)
    row = {"run": task.run, "point": task.point, "replicate": task.replicate, "seed": task.seed}
    row |= {k: (str(v) if k == "ward.layout" else v) for k, v in task.changes.items()}
    start = time.perf_counter()
    try:
        changes = {k: v for k, v in task.changes.items() if k != PRESET}  # the preset is in job.base
        scenario = Scenario.model_validate(job.base).with_changes(changes)
        res = run(scenario, seed=task.seed, days=job.days)
        for table in ("daily", "events", "stays"):
            if table in job.outputs:
                write_table(out, table, task.run, getattr(res, table))
        if "spatial" in job.outputs:
            write_spatial(out, task.run, res.spatial)
        row |= {"status": "ok", "error": ""}
        row |= {k: v for k, v in res.summary.items() if k not in ("seed", "days")}
    except Exception:  # noqa: BLE001 - any failure of a run is data, the sweep goes on
        row |= {"status": "failed", "error": traceback.format_exc()}
    row |= {"wall_s": time.perf_counter() - start, "worker": f"{socket.gethostname()}:{os.getpid()}"}
    import pandas as pd

    write_table(out, "runs", task.run, pd.DataFrame([row]).drop(columns="run"))
    return {"run": task.run, "status": row["status"], "wall_s": row["wall_s"], "error": row["error"]}


def run_all(
    pool: cf.Executor,
    slots: int,
    jobs: Iterable[Job],
    on_done: Callable[[dict], None],
    on_stop: Callable[[int], None] | None = None,
) -> bool:
    """Submit `jobs` through a window of 2 x `slots` futures; call `on_done` with each finished row.

    Returns True when every job ran, False when Ctrl-C stopped the sweep: runs in
    progress are let finish and kept (`on_stop` is told how many), runs not started
    are not.

    Raises:
        WorkerLost: a worker process died; the runs finished so far are kept.
    """
    jobs = iter(jobs)
    inflight: set[cf.Future] = set()
    window = 2 * slots
    try:
        while True:
            for job in jobs:
                inflight.add(pool.submit(run_job, job))
                if len(inflight) >= window:
                    break
            if not inflight:
                return True
            finished, inflight = cf.wait(inflight, return_when=cf.FIRST_COMPLETED)
            for future in finished:
                try:
                    on_done(future.result())
                except cf.BrokenExecutor as exc:
                    raise WorkerLost(
                        "a worker process died (killed, or out of memory); the finished runs are kept"
                    ) from exc
    except KeyboardInterrupt:
        if on_stop is not None:
            on_stop(sum(f.running() for f in inflight))
        for future in inflight:
            future.cancel()
        for future in cf.as_completed(inflight):
            if not future.cancelled():
                on_done(future.result())
        return False
