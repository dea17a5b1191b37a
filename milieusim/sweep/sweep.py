"""A whole sweep: plan the runs, skip those already done, run the rest, keep the manifest.

`run_sweep` reports its progress through a callback (`SweepProgress` after
every run) and ends in a `SweepOutcome`, or in one of the errors of
`errors.py`; it prints nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from milieusim.params import Scenario
from milieusim.sweep.design import check_size, design_table, tasks
from milieusim.sweep.errors import SweepInterrupted
from milieusim.sweep.execute import Job, executor, run_all
from milieusim.sweep.factor import PRESET
from milieusim.sweep.spec import Spec, load_spec
from milieusim.sweep.store import (
    count_failed,
    done_runs,
    now,
    opened,
    provenance,
    write_atomic,
    write_manifest,
)


@dataclass(frozen=True)
class SweepOutcome:
    """How a sweep (or this part of a resumed one) ended: runs planned, done (ok or failed), run now."""

    out: Path
    planned: int
    done: int
    failed: int
    ran_now: int
    seconds: float

    @property
    def complete(self) -> bool:
        """Every planned run is done (some may have failed)."""
        return self.done == self.planned


@dataclass(frozen=True)
class SweepProgress:
    """How far a sweep has got, as its `progress` callback is told after each run and when it stops.

    Attributes:
        planned: runs the sweep plans.
        done: runs done so far (ok or failed), earlier sessions included.
        failed: runs failed so far in this session.
        ran_now: runs done in this session.
        seconds: time since this session started.
        run: the row of the run just finished (``run``, ``status``, ``error``, ``wall_s``),
            or None when the sweep is stopping.
        stopping: when Ctrl-C stopped the sweep, how many runs in progress are let finish.
        workers: when no run has finished for a while, how many workers can take a run
            now (0: none, and the runs wait for one); else None.
        where: what runs the runs (a Dask scheduler's address, or local processes).
    """

    planned: int
    done: int
    failed: int
    ran_now: int
    seconds: float
    run: dict | None = None
    stopping: int | None = None
    workers: int | None = None
    where: str = ""


def run_sweep(
    spec: Spec | str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    base: Scenario | None = None,
    progress: Callable[[SweepProgress], None] | None = None,
    large: bool = False,
) -> SweepOutcome:
    """Run every planned run of `spec` not yet in `out`; write tables there as runs finish.

    `spec` is a Spec (then `base` is its base scenario, or the spec's own) or a spec file.
    `workers` processes run the runs (default: one per CPU; 0: this process), or the
    Dask cluster at `scheduler`. `progress` is called after every run, and while no run
    finishes, every `execute.IDLE_CHECK_S` seconds. A design of more than
    `design.MAX_RUNS` runs needs `large`.

    Raises:
        InputError: a bad spec, a changed spec on resume, or no Dask installed for `scheduler`.
        TooManyRuns: the design plans too many runs (checked before the design is made).
        NotAScheduler: `scheduler` does not answer as a Dask scheduler.
        FolderInUse: `out` holds files and `resume` is False.
        FolderLocked: another sweep is writing to `out`.
        SweepInterrupted: Ctrl-C stopped the sweep; the runs in progress finished and are kept.
        WorkerLost: a worker process died; the finished runs are kept.
    """
    if not isinstance(spec, Spec):
        spec, base = load_spec(spec)
    check_size(spec, large)
    base = base if base is not None else spec.scenario()
    out = Path(out)
    e = spec.experiment
    design = design_table(spec)
    planned = len(design) * e.replications
    bases = {None: base.model_dump(mode="json")}
    if PRESET in spec.factors:  # each preset is its own base, with the spec's layout and changes on top
        bases |= {p: spec.scenario(preset=p).model_dump(mode="json") for p in spec.factors[PRESET].levels()}
    # An unreachable cluster, or a folder another sweep is writing to, fails before `out` is touched.
    with executor(workers, scheduler) as running, opened(out, spec.canonical(), resume) as done:
        write_atomic(out / "design.parquet", lambda tmp: design.to_parquet(tmp, index=False))
        todo = (t for t in tasks(spec, design) if t.run not in done)
        jobs = (Job(t, bases[t.changes.get(PRESET)], e.days, tuple(e.outputs), str(out)) for t in todo)
        manifest = _manifest(out, spec, planned)
        session = {"started": now(), "executor": scheduler or ("serial" if workers == 0 else "process pool")}
        session |= {"slots": running.slots, "provenance": manifest["provenance"]}
        manifest["sessions"].append(session)
        manifest["status"] = "running"
        write_manifest(out, manifest)

        count = {"done": len(done), "failed": 0, "now": 0}
        start = time.perf_counter()

        def report(run: dict | None = None, stopping: int | None = None, workers: int | None = None) -> None:
            if progress is not None:
                seconds = time.perf_counter() - start
                progress(
                    SweepProgress(
                        planned,
                        count["done"],
                        count["failed"],
                        count["now"],
                        seconds,
                        run,
                        stopping,
                        workers,
                        running.where,
                    )
                )

        def on_done(row: dict) -> None:
            count["done"] += 1
            count["now"] += 1
            count["failed"] += row["status"] != "ok"
            report(row)

        finished_all = False
        try:
            finished_all = run_all(
                running, jobs, on_done, lambda n: report(stopping=n), lambda n: report(workers=n)
            )
        finally:  # whatever stopped the sweep, the manifest says how far it got
            seconds = time.perf_counter() - start
            finished = done_runs(out)
            failed = count_failed(out)
            complete = finished_all and len(finished) == planned
            session |= {"ended": now(), "runs": count["now"], "seconds": round(seconds, 3)}
            status = "complete" if complete else "interrupted"
            manifest |= {"status": status, "done": len(finished), "failed": failed, "ended": session["ended"]}
            write_manifest(out, manifest)
    outcome = SweepOutcome(out, planned, len(finished), failed, count["now"], seconds)
    if not complete:
        raise SweepInterrupted(outcome)
    return outcome


def _manifest(out: Path, spec: Spec, planned: int) -> dict:
    import json

    path = out / "manifest.json"
    if path.exists():
        manifest = json.loads(path.read_text())
    else:
        manifest = {
            "name": spec.experiment.name,
            "spec_sha256": spec.digest(),
            "design": spec.experiment.design,
            "factors": list(spec.factors),
            "replications": spec.experiment.replications,
            "days": spec.experiment.days,
            "root_seed": spec.experiment.seed,
            "planned": planned,
            "started": now(),
            "sessions": [],
        }
    manifest["provenance"] = provenance()
    return manifest
