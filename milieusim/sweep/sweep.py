"""A whole sweep: plan the runs, skip those already done, run the rest, keep the manifest."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from milieusim.params import Scenario
from milieusim.sweep.design import check_size, design_table, tasks
from milieusim.sweep.execute import Job, executor, run_all
from milieusim.sweep.spec import PRESET, Spec, load_spec
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
    """How a sweep (or this part of a resumed one) ended."""

    out: Path
    planned: int
    done: int
    failed: int
    ran_now: int
    complete: bool
    seconds: float


class Progress:
    """Runs done, failed, rate and ETA on one line of `stream` (redrawn on a terminal)."""

    def __init__(
        self,
        total: int,
        already: int,
        stream: TextIO | None = sys.stderr,
        every_s: float = 5.0,
        where: str = "",
    ):
        self.total, self.done, self.failed, self.now = total, already, 0, 0
        self.stream, self.every_s, self.where = stream, every_s, where
        self.start = self.last = time.monotonic()
        self.tty = bool(stream) and stream.isatty()
        self.stalled = False

    def update(self, row: dict) -> None:
        """Count one finished run."""
        self.done += 1
        self.now += 1
        self.failed += row["status"] != "ok"
        if row["status"] != "ok" and self.stream:
            last = row["error"].strip().splitlines()[-1] if row["error"].strip() else "failed"
            self._write(f"run {row['run']} failed: {last}", newline=True)
        t = time.monotonic()
        if self.tty or t - self.last >= self.every_s or self.done == self.total:
            self.last = t
            self._write(self.line(), newline=not self.tty or self.done == self.total)

    def idle(self, workers: int) -> None:
        """No run finished for a while: say so when no worker is left to run them, and when one is back."""
        waiting = self.total - self.done
        if workers == 0 and not self.stalled:
            self.stalled = True
            self._write(
                f"no worker is available at {self.where}: {waiting} run(s) waiting; they go on when "
                f"a worker joins (e.g. dask worker {self.where}), or stop the sweep with Ctrl-C",
                newline=True,
            )
        elif workers and self.stalled:
            self.stalled = False
            self._write(f"{workers} worker(s) available again: {waiting} run(s) to go", newline=True)

    def line(self) -> str:
        """``runs 120/400 (30%) · 2 failed · 14.1 runs/min · ETA 0:19:51``."""
        minutes = (time.monotonic() - self.start) / 60
        rate = self.now / minutes if minutes > 0 else 0.0
        left = self.total - self.done
        eta = time.strftime("%H:%M:%S", time.gmtime(left / rate * 60)) if rate and left else "-"
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * 20)
        return (
            f"[{bar:<20}] runs {self.done}/{self.total} ({share:.0%}) · {self.failed} failed · "
            f"{rate:.1f} runs/min · ETA {eta}"
        )

    def _write(self, text: str, newline: bool) -> None:
        if not self.stream:
            return
        prefix = "\r\033[K" if self.tty else ""
        self.stream.write(prefix + text + ("\n" if newline else ""))
        self.stream.flush()


def run_sweep(
    spec: Spec | str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    base: Scenario | None = None,
    progress: TextIO | None = sys.stderr,
    large: bool = False,
) -> SweepOutcome:
    """Run every planned run of `spec` not yet in `out`; write tables there as runs finish.

    `spec` is a Spec (then `base` is its base scenario, or the spec's own) or a spec file.
    A design of more than `MAX_RUNS` runs needs `large`.

    Raises:
        InputError: a bad spec, a non-empty `out` without `resume`, or a changed spec on resume.
        TooManyRuns: the design plans too many runs (checked before the design is made).
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

        bar = Progress(planned, len(done), progress, where=running.where)
        start = time.perf_counter()
        complete = False
        try:
            complete = run_all(running, jobs, bar.update, bar.idle)
        finally:  # whatever stopped the sweep, the manifest says how far it got
            seconds = time.perf_counter() - start
            finished = done_runs(out)
            failed = count_failed(out)
            complete = complete and len(finished) == planned
            session |= {"ended": now(), "runs": bar.now, "seconds": round(seconds, 3)}
            status = "complete" if complete else "interrupted"
            manifest |= {"status": status, "done": len(finished), "failed": failed, "ended": session["ended"]}
            write_manifest(out, manifest)
    return SweepOutcome(out, planned, len(finished), failed, bar.now, complete, seconds)


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
