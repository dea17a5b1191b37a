"""`milieusim sweep`, `analyze` and `compare`: many runs, their analysis, and layout comparisons."""

from __future__ import annotations

import math
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from milieusim import cli_args
from milieusim.validation import InputError

if TYPE_CHECKING:
    from milieusim.sweep import SweepProgress

#: Exit status when the user stopped a command (as a shell reports Ctrl-C), and when runs failed.
EXIT_INTERRUPTED, EXIT_FAILED = 130, 1


def add_parsers(sub) -> None:
    """The `sweep`, `analyze` and `compare` commands."""
    p = sub.add_parser(
        "sweep",
        help="run an experiment file: many runs over factors, resumable, into Parquet tables",
        description="Run every run an experiment file plans (see docs/experiments.md) and write "
        "the runs, daily, events and stays tables to --out as runs finish. A stopped sweep "
        "(Ctrl-C, or killed) continues with --resume.",
    )
    p.add_argument("spec", type=Path, help="experiment file (TOML)")
    p.add_argument("--out", type=cli_args.folder, help="results folder (default results/<experiment name>)")
    p.add_argument(
        "--workers", type=cli_args.workers, help="worker processes (default: one per CPU; 0: in this process)"
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--resume", action="store_true", help="continue a stopped sweep in --out")
    p.add_argument(
        "--yes", action="store_true", help="run a design of more than 10,000 runs (docs/experiments.md)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser(
        "analyze",
        help="summarise a sweep: means with 95%% CIs, Sobol or Morris indices, figures",
        description="Summarise a sweep's results folder: per design point means with 95% "
        "confidence intervals, main effects, Sobol or Morris indices when the design is one "
        "of those, and (with --out) CSV tables and figures.",
    )
    p.add_argument("results", type=Path, help="a sweep's results folder")
    p.add_argument("--out", type=cli_args.folder, help="folder for figures and CSV tables")
    p.add_argument(
        "--outcome",
        dest="outcomes",
        action="append",
        metavar="NAME",
        help="an outcome to analyse (repeatable; default: conflict, containment, trust, ...)",
    )
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "compare",
        help="compare ward layouts: the same patients on each plan, one HTML report",
        description="Run the same scenario with the same seeds on each layout (common random "
        "numbers) and write DIR/report.html (self-contained: plans, planner metrics, outcomes "
        "with 95% confidence intervals and paired differences, heatmaps) and the tables "
        "(CSV and Parquet). Rerunning the same command continues a stopped comparison.",
    )
    p.add_argument(
        "layouts",
        nargs="+",
        metavar="LAYOUT",
        help="built-in layout name or layout file; LAYOUT:VARIANT for one of its furniture variants "
        "(compare variants of one layout: corridor:sociopetal corridor:sociofugal)",
    )
    p.add_argument("--scenario", type=Path, help="scenario file (TOML); see docs/parameters.md")
    p.add_argument("--preset", help="a named scenario: see `milieusim presets`")
    p.add_argument(
        "--replications", type=cli_args.replications, default=10, help="runs per layout (default 10)"
    )
    p.add_argument("--days", type=cli_args.days, help="days per run (default: the scenario's, 28)")
    p.add_argument("--seed", type=cli_args.seed, default=0, help="root seed of the replicates (default 0)")
    p.add_argument(
        "--workers", type=cli_args.workers, help="worker processes (default: one per CPU; 0: in this process)"
    )
    p.add_argument(
        "--out", type=cli_args.folder, default=Path("out/compare"), help="output folder (default out/compare)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_compare)


class ProgressLine:
    """A sweep's progress on one line of stderr: runs done, failed, rate, ETA (redrawn on a terminal)."""

    def __init__(self, every_s: float = 5.0):
        self.stream, self.every_s = sys.stderr, every_s
        self.tty = self.stream.isatty()
        self.last = -every_s
        self.stalled = False  # said that no worker is left

    def __call__(self, p: SweepProgress) -> None:
        """Show one report of `run_sweep`."""
        if p.workers is not None or (self.stalled and p.run is not None):
            self._idle(p)
        if p.workers is not None:
            return
        if p.stopping is not None:
            self._write(
                f"stopping: letting {p.stopping} run(s) in progress finish (Ctrl-C again to abandon them)",
                True,
            )
            return
        if p.run is not None and p.run["status"] != "ok":
            error = p.run["error"].strip()
            self._write(f"run {p.run['run']} failed: {error.splitlines()[-1] if error else 'failed'}", True)
        if self.tty or p.seconds - self.last >= self.every_s or p.done == p.planned:
            self.last = p.seconds
            self._write(self.line(p), newline=not self.tty or p.done == p.planned)

    def _idle(self, p: SweepProgress) -> None:
        """No run finished for a while: say so when no worker is left to run them, and when one is back."""
        waiting = p.planned - p.done
        if p.workers == 0 and not self.stalled:
            self.stalled = True
            self._write(
                f"no worker is available at {p.where}: {waiting} run(s) waiting; they go on when a "
                f"worker joins (e.g. dask worker {p.where}), or stop the sweep with Ctrl-C",
                True,
            )
        elif p.workers != 0 and self.stalled:  # a worker is back, or a run finished
            self.stalled = False
            self._write(f"worker(s) available again: {waiting} run(s) to go", True)

    @staticmethod
    def line(p: SweepProgress) -> str:
        """``[####      ] runs 120/400 (30%) · 2 failed · 14.1 runs/min · ETA 0:19:51``."""
        rate = p.ran_now / (p.seconds / 60) if p.seconds > 0 else 0.0
        left = p.planned - p.done
        eta = time.strftime("%H:%M:%S", time.gmtime(left / rate * 60)) if rate and left else "-"
        share = p.done / p.planned if p.planned else 1.0
        bar = "#" * int(share * 20)
        return (
            f"[{bar:<20}] runs {p.done}/{p.planned} ({share:.0%}) · {p.failed} failed · "
            f"{rate:.1f} runs/min · ETA {eta}"
        )

    def _write(self, text: str, newline: bool) -> None:
        prefix = "\r\033[K" if self.tty else ""
        self.stream.write(prefix + text + ("\n" if newline else ""))
        self.stream.flush()


def cmd_sweep(args) -> int:
    """`milieusim sweep`: run an experiment file into a results folder."""
    from milieusim.sweep import FolderInUse, SweepInterrupted, WorkerLost, load_spec, run_sweep
    from milieusim.sweep.design import MAX_RUNS, TooManyRuns, check_size

    spec, base = load_spec(args.spec)
    try:
        check_size(spec, args.yes, str(args.spec))  # before anything is made
    except TooManyRuns as exc:
        (problem,) = exc.problems
        hint = "; to run them all, add --yes" if exc.limit == MAX_RUNS else ""
        raise InputError(exc.source, [replace(problem, message=problem.message + hint)]) from None
    out = args.out or Path("results") / spec.experiment.name
    e = spec.experiment
    print(
        f"{e.name}: {e.design}, {len(spec.factors)} factor(s), {e.replications} replication(s), "
        f"{e.days} days per run -> {out}/",
        file=sys.stderr,
    )
    again = f"milieusim sweep {args.spec} --out {out} --resume"
    try:
        res = run_sweep(
            spec,
            out,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            base=base,
            progress=None if args.quiet else ProgressLine(),
            large=args.yes,
        )
    except FolderInUse as exc:  # one line: the problem, then how to continue
        (problem,) = exc.problems
        raise InputError(exc.source, [replace(problem, message=f"{problem.message}: {again}")]) from exc
    except SweepInterrupted as exc:
        _print_outcome(exc.outcome)
        print(f"stopped before the end: continue with  {again}")
        return EXIT_INTERRUPTED
    except WorkerLost as exc:
        print(f"error: {exc}: continue with  {again}", file=sys.stderr)
        return EXIT_FAILED
    _print_outcome(res)
    if res.failed:
        print(f"failed runs keep their traceback in the runs table: milieusim analyze {out}")
    return 0


def _print_outcome(res) -> None:
    print(
        f"{res.done}/{res.planned} runs done ({res.failed} failed), {res.ran_now} in this session "
        f"in {res.seconds:.1f} s; results in {res.out}/"
    )


def cmd_analyze(args) -> int:
    """`milieusim analyze`: the analysis's tables printed; with --out, as CSV, with the figures."""
    from milieusim.sweep.analysis import analyze, load, write_tables

    sweep = load(args.results)
    try:
        tables = analyze(sweep, args.outcomes)
    except InputError as exc:
        if exc.source != "outcomes":
            raise
        raise InputError("--outcome", exc.problems) from exc
    m = sweep.manifest
    print(
        f"{m['name']}: {m['design']}, {len(sweep.ok)} finished run(s) of {m['planned']} planned "
        f"({int((sweep.runs['status'] != 'ok').sum())} failed), status {m.get('status')}"
    )
    points = tables["points"]
    if len(points):
        print(f"\nper design point: mean [95% CI] over replications (n = {points['n'].max()})")
        print(_wide(points, ["point", *sweep.factors]))
    contrasts = tables.get("contrasts")
    if contrasts is not None and len(contrasts):
        vs = [f"{lv} - {ref}" for lv, ref in zip(contrasts["level"], contrasts["reference"], strict=True)]
        print("\npaired differences (same seeds, other factors alike): mean [95% CI]")
        print(_wide(contrasts.assign(vs=vs), ["factor", "vs"]))
    for name in ("sobol", "morris"):
        if name in tables and len(tables[name]):
            print(f"\n{name} indices:")
            print(tables[name].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        skipped = tables[name].attrs.get("skipped") if name in tables else None
        if skipped:
            print(f"(no {name} indices for {', '.join(skipped)}: no value at some design points)")
    if args.out:
        from milieusim.viz.sweep import figures

        written = write_tables(tables, args.out)
        drawn = figures(sweep, tables, args.out, args.outcomes)
        print(f"\nwrote {len(drawn)} figures and {len(written)} CSV tables to {args.out}/")
    return 0


def _wide(table, index: list[str]) -> str:
    """A long table of means and intervals as text: one column per outcome (its short name), in order."""
    import pandas as pd

    from milieusim.outcomes import REGISTRY, scale

    def cell(row) -> str:
        k = scale(row["outcome"])
        return _mean_ci_text(row["mean"] * k, row["ci_low"] * k, row["ci_high"] * k)

    cells = table.assign(cell=table.apply(cell, axis=1))
    wide = cells.pivot(index=index, columns="outcome", values="cell")
    order = cells[index].drop_duplicates()  # rows in the table's order, not sorted
    wide = wide.reindex(pd.MultiIndex.from_frame(order) if len(index) > 1 else pd.Index(order[index[0]]))
    wide = wide[list(dict.fromkeys(table["outcome"]))]
    wide.columns = [REGISTRY[c].short if c in REGISTRY else c for c in wide.columns]
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.max_rows", 500):
        return wide.reset_index().to_string(index=False)


def cmd_compare(args) -> int:
    """`milieusim compare LAYOUT...`: run every layout on the same seeds; write the tables and the report."""
    from milieusim.compare import compare_layouts
    from milieusim.sweep import RunsFailed, SweepInterrupted, WorkerLost
    from milieusim.viz.report import write_report

    def announce(plan) -> None:
        e = plan.spec.experiment
        print(
            f"comparing {', '.join(p.label for p in plan.plans)}: {e.replications} runs of {e.days} days "
            f"each{' (continuing)' if plan.resume else ''} -> {plan.out}/",
            file=sys.stderr,
        )

    try:
        comparison = compare_layouts(
            args.layouts,
            scenario_file=args.scenario,
            preset=args.preset,
            replications=args.replications,
            days=args.days,
            seed=args.seed,
            out=args.out,
            workers=args.workers,
            progress=None if args.quiet else ProgressLine(),
            on_plan=announce,
        )
    except SweepInterrupted:
        print("stopped before the end: run the same command again to continue", file=sys.stderr)
        return EXIT_INTERRUPTED
    except WorkerLost as exc:
        print(f"error: {exc}: run the same command again to continue", file=sys.stderr)
        return EXIT_FAILED
    except RunsFailed as exc:
        print(
            f"error: {exc.failed} run(s) failed, so no report was written; the tracebacks are in "
            f"{exc.out}/runs (milieusim analyze {exc.out})",
            file=sys.stderr,
        )
        return EXIT_FAILED
    report = write_report(comparison)
    for lead, _ in comparison.reading:
        print(lead)
    seconds = sum(s.get("seconds", 0.0) for s in comparison.sweep.manifest.get("sessions", []))
    print(f"wrote {report} and the tables to {comparison.plan.out}/ after {seconds:.0f} s of runs")
    return 0


def _mean_ci_text(mean: float, lo: float, hi: float) -> str:
    if not math.isfinite(mean):
        return "-"
    return f"{mean:.3g}" if not math.isfinite(lo) else f"{mean:.3g} [{lo:.3g}, {hi:.3g}]"
