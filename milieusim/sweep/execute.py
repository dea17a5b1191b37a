"""Running a sweep's runs on one executor interface: in-process, a process pool, or a Dask cluster.

All three are `concurrent.futures.Executor`s: `SerialExecutor` runs each run
when it is submitted; the process pool keeps its worker processes for the
whole sweep (each runs many runs and keeps its own cache of ward geometry), forked
warm from a forkserver that has loaded the model and its kernels once (`warm.py`);
a Dask cluster is reached through ``Client.get_executor()``. Workers write
their run's tables themselves and return one small row, so the parent holds
only counters and at most a window of pending futures: its memory does not
grow with the number of runs. Results depend on the run's seed only, never
on the executor or on the order runs finish in.

Faults: a pool worker watches a pipe from the sweep's main process and stops
as soon as that process is gone (killed, even by SIGKILL), rather than running
on with no one to count its runs. An address that is not a Dask scheduler is
refused within the connection timeout. A cluster whose workers have all gone
says so through `Running.workers`, which the sweep reports while runs wait.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from milieusim.sweep.design import Task
from milieusim.sweep.errors import NotAScheduler, WorkerLost
from milieusim.sweep.factor import PRESET
from milieusim.sweep.store import write_spatial, write_table
from milieusim.validation import InputError, Problem

#: How long to wait for a Dask scheduler before giving up, in seconds.
CONNECT_TIMEOUT_S = 20.0
#: How often, in seconds, the sweep looks at its workers while no run finishes.
IDLE_CHECK_S = 10.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Running:
    """An executor for a sweep, how many runs it runs at once, and how many workers it has now.

    Attributes:
        pool: where runs are submitted.
        slots: runs it runs at once (the window of pending runs is twice this).
        workers: the number of workers able to take a run now; a Dask cluster's can fall
            to 0 mid-sweep (every worker died), a local pool's cannot without breaking it.
        where: what runs the runs, for messages: ``"2 local processes"``, a scheduler address.
    """

    pool: cf.Executor
    slots: int
    workers: Callable[[], int]
    where: str


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


def _start_worker(parent_alive) -> None:
    """In each pool worker: leave Ctrl-C to the parent, and stop when the parent is gone.

    Ctrl-C is the parent's to handle (it lets runs in progress finish). `parent_alive`
    is the read end of a pipe whose only write end the sweep's main process holds: the
    read ends (EOF) when that process ends, however it ends, and the worker then stops
    at once. A pipe works with every start method and platform, and, unlike comparing
    ``os.getppid()``, does not depend on who forked the worker (the forkserver does).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_stop_with_parent, args=(parent_alive,), daemon=True).start()


def _stop_with_parent(parent_alive) -> None:
    with contextlib.suppress(EOFError, OSError):
        parent_alive.recv_bytes()  # the parent never writes: this returns only at EOF
    log.warning("sweep worker %d: the sweep's main process is gone; stopping", os.getpid())
    logging.shutdown()
    os._exit(1)  # the run in progress is abandoned: its files stay temporary, the next session redoes it


@contextlib.contextmanager
def executor(workers: int | None = None, scheduler: str | None = None) -> Iterator[Running]:
    """The executor for a sweep, as `Running`.

    `scheduler` (``tcp://host:port``) uses that Dask cluster; otherwise
    `workers` processes (default: one per CPU), or this process when 0.

    Raises:
        NotAScheduler: `scheduler` does not answer as a Dask scheduler within the timeout.
    """
    if scheduler is not None:
        yield from _dask(scheduler)
        return
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers == 0:
        yield Running(SerialExecutor(), 1, lambda: 1, "this process")
        return
    context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["milieusim.sweep.warm"])  # workers start warm (`sweep/warm.py`)
    _start_forkserver_deaf_to_ctrl_c(context)
    parent_alive, alive = context.Pipe(duplex=False)  # this process keeps the only write end
    pool = cf.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(parent_alive,)
    )
    try:
        yield Running(pool, workers, lambda: workers, f"{workers} local worker processes")
    except KeyboardInterrupt:  # a second Ctrl-C: abandon the runs in progress (their files stay temporary)
        for process in list(pool._processes.values()):  # noqa: SLF001 - the pool has no public terminate
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        alive.close()
        parent_alive.close()


def _start_forkserver_deaf_to_ctrl_c(context) -> None:
    """Start the forkserver with Ctrl-C ignored, so that every worker it forks starts ignoring it.

    A worker ignores Ctrl-C from its initializer on; before that (while it imports) a
    Ctrl-C sent to the terminal's whole process group would kill it and break the pool.
    A process started with SIGINT ignored keeps ignoring it, and the forkserver hands its
    own setting to its children. Only the main thread may change a signal's handler.
    """
    in_main_thread = threading.current_thread() is threading.main_thread()
    if context.get_start_method() != "forkserver" or not in_main_thread:
        return
    from multiprocessing import forkserver

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def _dask(scheduler: str) -> Iterator[Running]:
    try:
        from distributed import Client
    except ImportError as exc:
        raise InputError(
            scheduler, [Problem("a Dask scheduler needs the dask extra: pip install 'milieusim[dask]'")]
        ) from exc
    check_scheduler(scheduler)
    with Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s") as client:
        slots = sum(client.nthreads().values()) or 1
        yield Running(client.get_executor(pure=False), slots, lambda: len(client.nthreads()), scheduler)


def check_scheduler(address: str, timeout_s: float | None = None) -> None:
    """Ask `address` who it is, as Dask's own ``identity`` call; return when a scheduler answers.

    Anything else listening there (a dashboard or other HTTP server, a Dask worker, a port
    that takes the connection and says nothing) would otherwise leave the client waiting
    for minutes, or reading an HTTP reply as the length of a message.

    Raises:
        NotAScheduler: no Dask scheduler answered within `timeout_s` (default `CONNECT_TIMEOUT_S`).
    """
    from distributed.comm import connect

    timeout_s = CONNECT_TIMEOUT_S if timeout_s is None else timeout_s

    async def identity() -> object:
        comm = await connect(address, timeout=timeout_s)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    # A thread of its own, with its own event loop: the caller may be inside one (Jupyter).
    with cf.ThreadPoolExecutor(1) as thread:
        answer = thread.submit(asyncio.run, asyncio.wait_for(identity(), timeout_s))
        try:
            info = answer.result()
        except TimeoutError:
            raise NotAScheduler(
                address,
                f"no Dask scheduler answered within {timeout_s:g} s (nothing listens there, or something "
                "else does, such as the dashboard; the scheduler's port is usually 8786)",
            ) from None
        except Exception as exc:  # noqa: BLE001 - whatever the reply broke, it was not a scheduler's
            raise NotAScheduler(
                address,
                f"not a Dask scheduler (its reply was not Dask's: {type(exc).__name__}); give the "
                "scheduler's address, usually port 8786",
            ) from exc
    kind = info.get("type") if isinstance(info, dict) else None
    if kind != "Scheduler":
        raise NotAScheduler(
            address,
            f"this is a Dask {kind or 'peer'}, not the scheduler; give the scheduler's address"
            + (f" ({info['scheduler']})" if isinstance(info, dict) and info.get("scheduler") else ""),
        )


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
    running: Running,
    jobs: Iterable[Job],
    on_done: Callable[[dict], None],
    on_stop: Callable[[int], None] | None = None,
    on_idle: Callable[[int], None] | None = None,
) -> bool:
    """Submit `jobs` through a window of 2 x slots futures; call `on_done` with each finished row.

    While no run finishes, `on_idle` is called every `IDLE_CHECK_S` seconds with the number
    of workers able to take a run now (0: every worker of the cluster is gone).

    Returns True when every job ran, False when Ctrl-C stopped the sweep: runs in
    progress are let finish and kept (`on_stop` is told how many), runs not started
    are not.

    Raises:
        WorkerLost: a worker process died; the runs finished so far are kept.
    """
    pool = running.pool
    jobs = iter(jobs)
    inflight: set[cf.Future] = set()
    window = 2 * running.slots
    try:
        while True:
            for job in jobs:
                inflight.add(pool.submit(run_job, job))
                if len(inflight) >= window:
                    break
            if not inflight:
                return True
            finished, inflight = cf.wait(inflight, timeout=IDLE_CHECK_S, return_when=cf.FIRST_COMPLETED)
            if not finished and on_idle is not None:
                on_idle(running.workers())
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
                # a run lost here stays undone; the next session redoes it
                with contextlib.suppress(cf.BrokenExecutor):
                    on_done(future.result())
        return False
