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
from milieusim.sweep.design import design_table, tasks
from milieusim.sweep.errors import SweepInterrupted
from milieusim.sweep.execute import Job, executor, run_all
from milieusim.sweep.factor import PRESET
from milieusim.sweep.spec import Spec, load_spec
from milieusim.sweep.store import (
    count_failed,
    done_runs,
    now,
    prepare,
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
    """

    planned: int
    done: int
    failed: int
    ran_now: int
    seconds: float
    run: dict | None = None
    stopping: int | None = None


def run_sweep(
    spec: Spec | str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    base: Scenario | None = None,
    progress: Callable[[SweepProgress], None] | None = None,
) -> SweepOutcome:
    """Run every planned run of `spec` not yet in `out`; write tables there as runs finish.

    `spec` is a Spec (then `base` is its base scenario, or the spec's own) or a spec file.
    `workers` processes run the runs (default: one per CPU; 0: this process), or the
    Dask cluster at `scheduler`. `progress` is called after every run.

    Raises:
        InputError: a bad spec, a changed spec on resume, or no Dask installed for `scheduler`.
        FolderInUse: `out` holds files and `resume` is False.
        SweepInterrupted: Ctrl-C stopped the sweep; the runs in progress finished and are kept.
        WorkerLost: a worker process died; the finished runs are kept.
    """
    if not isinstance(spec, Spec):
        spec, base = load_spec(spec)
    base = base if base is not None else spec.scenario()
    out = Path(out)
    e = spec.experiment
    design = design_table(spec)
    planned = len(design) * e.replications
    bases = {None: base.model_dump(mode="json")}
    if PRESET in spec.factors:  # each preset is its own base, with the spec's layout and changes on top
        bases |= {p: spec.scenario(preset=p).model_dump(mode="json") for p in spec.factors[PRESET].levels()}
    with executor(workers, scheduler) as (
        pool,
        slots,
    ):  # an unreachable cluster fails before `out` is touched
        done = prepare(out, spec.canonical(), resume)
        write_atomic(out / "design.parquet", lambda tmp: design.to_parquet(tmp, index=False))
        todo = (t for t in tasks(spec, design) if t.run not in done)
        jobs = (Job(t, bases[t.changes.get(PRESET)], e.days, tuple(e.outputs), str(out)) for t in todo)
        manifest = _manifest(out, spec, planned)
        session = {"started": now(), "executor": scheduler or ("serial" if workers == 0 else "process pool")}
        session |= {"slots": slots, "provenance": manifest["provenance"]}
        manifest["sessions"].append(session)
        manifest["status"] = "running"
        write_manifest(out, manifest)

        count = {"done": len(done), "failed": 0, "now": 0}
        start = time.perf_counter()

        def report(run: dict | None = None, stopping: int | None = None) -> None:
            if progress is not None:
                seconds = time.perf_counter() - start
                progress(
                    SweepProgress(
                        planned, count["done"], count["failed"], count["now"], seconds, run, stopping
                    )
                )

        def on_done(row: dict) -> None:
            count["done"] += 1
            count["now"] += 1
            count["failed"] += row["status"] != "ok"
            report(row)

        finished_all = False
        try:
            finished_all = run_all(pool, slots, jobs, on_done, lambda n: report(stopping=n))
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
