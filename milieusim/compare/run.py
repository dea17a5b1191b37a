"""A whole layout comparison in one call, for notebooks and the command line alike.

`compare_layouts` checks the plans and the scenario, runs the same seeds on
every plan on the sweep runner (resuming a stopped comparison in the same
folder), reads the runs back and stores the comparison's tables. The HTML
report is drawn from what it returns by `milieusim.viz.report.write_report`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from milieusim.compare.plan import ComparisonPlan, plan_comparison
from milieusim.compare.summary import Comparison, summarise_comparison, write_tables
from milieusim.sweep import RunsFailed, SweepProgress, run_sweep


def compare_layouts(
    layouts: list[str],
    *,
    scenario_file: str | Path | None = None,
    preset: str | None = None,
    replications: int = 10,
    days: int | None = None,
    seed: int = 0,
    out: str | Path = "out/compare",
    workers: int | None = None,
    progress: Callable[[SweepProgress], None] | None = None,
    on_plan: Callable[[ComparisonPlan], None] | None = None,
) -> Comparison:
    """Compare `layouts` (built-in names or layout files) under one scenario with common random numbers.

    Every plan runs `replications` times for `days` (default: the scenario's) with
    the same seeds, spawned from `seed`, in `workers` processes (0: this one). The
    runs and the comparison's tables go to `out`; the same call on a stopped
    comparison's folder runs only what is missing. `on_plan` is told the checked
    plan before any run starts, `progress` after each run.

    Example:
        >>> comparison = compare_layouts(["corridor", "cluster"], replications=5, days=14)
        >>> comparison.outcomes  # one row per outcome and plan: means, paired differences, verdicts

    Raises:
        InputError: a bad layout, scenario, value or output folder; nothing is written.
        SweepInterrupted: Ctrl-C stopped the runs; the finished ones are kept for the next call.
        WorkerLost: a worker process died; the finished runs are kept.
        RunsFailed: some runs raised; no comparison is made (their tracebacks are in `out`/sweep).
    """
    plan = plan_comparison(
        layouts,
        scenario_file=scenario_file,
        preset=preset,
        replications=replications,
        days=days,
        seed=seed,
        out=out,
    )
    if on_plan is not None:
        on_plan(plan)
    outcome = run_sweep(
        plan.spec, plan.sweep_dir, workers=workers, resume=plan.resume, base=plan.base, progress=progress
    )
    if outcome.failed:
        raise RunsFailed(outcome.failed, outcome.planned, plan.sweep_dir)
    comparison = summarise_comparison(plan)
    write_tables(comparison)
    return comparison
