"""`milieusim sweep`, `analyze` and `compare`: many runs, their analysis, and layout comparisons."""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from pathlib import Path

from milieusim import cli_args
from milieusim.validation import InputError


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
    p.add_argument("layouts", nargs="+", metavar="LAYOUT", help="built-in layout name or layout file")
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


def cmd_sweep(args) -> int:
    """`milieusim sweep`: run an experiment file into a results folder."""
    from milieusim.sweep import load_spec, run_sweep
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
    try:
        res = run_sweep(
            spec,
            out,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            base=base,
            progress=None if args.quiet else sys.stderr,
            large=args.yes,
        )
    except RuntimeError as exc:
        raise ValueError(str(exc)) from exc
    print(
        f"{res.done}/{res.planned} runs done ({res.failed} failed), {res.ran_now} in this session "
        f"in {res.seconds:.1f} s; results in {out}/"
    )
    if not res.complete:
        print(f"stopped before the end: continue with  milieusim sweep {args.spec} --out {out} --resume")
        return 130
    if res.failed:
        print(f"failed runs keep their traceback in the runs table: milieusim analyze {out}")
    return 0


def cmd_analyze(args) -> int:
    """`milieusim analyze`: tables (and figures) of a sweep."""
    import pandas as pd

    from milieusim.sweep.analysis import analyze, load

    tables = analyze(args.results, args.out, args.outcomes)
    sweep = load(args.results)
    m = sweep.manifest
    print(
        f"{m['name']}: {m['design']}, {len(sweep.ok)} finished run(s) of {m['planned']} planned "
        f"({int((sweep.runs['status'] != 'ok').sum())} failed), status {m.get('status')}"
    )
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.max_rows", 500):
        points = tables["points"]
        if len(points):
            cells = points.assign(
                cell=[
                    _mean_ci_text(m, lo, hi)
                    for m, lo, hi in zip(points["mean"], points["ci_low"], points["ci_high"], strict=True)
                ]
            )
            wide = cells.pivot(index=["point", *sweep.factors], columns="outcome", values="cell")
            wide = wide[list(dict.fromkeys(points["outcome"]))]
            wide.columns = [_SHORT.get(c, c) for c in wide.columns]
            print(f"\nper design point: mean [95% CI] over replications (n = {points['n'].max()})")
            print(wide.reset_index().to_string(index=False))
        contrasts = tables.get("contrasts")
        if contrasts is not None and len(contrasts):
            cells = contrasts.assign(
                cell=[
                    _mean_ci_text(m, lo, hi)
                    for m, lo, hi in zip(
                        contrasts["mean"], contrasts["ci_low"], contrasts["ci_high"], strict=True
                    )
                ],
                vs=[
                    f"{lv} - {ref}"
                    for lv, ref in zip(contrasts["level"], contrasts["reference"], strict=True)
                ],
            )
            wide = cells.pivot(index=["factor", "vs"], columns="outcome", values="cell")
            wide = wide.reindex(pd.MultiIndex.from_frame(cells[["factor", "vs"]].drop_duplicates()))
            wide = wide[list(dict.fromkeys(contrasts["outcome"]))]
            wide.columns = [_SHORT.get(c, c) for c in wide.columns]
            print("\npaired differences (same seeds, other factors alike): mean [95% CI]")
            print(wide.reset_index().to_string(index=False))
        for name in ("sobol", "morris"):
            if name in tables and len(tables[name]):
                print(f"\n{name} indices:")
                print(tables[name].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
            skipped = tables[name].attrs.get("skipped") if name in tables else None
            if skipped:
                print(f"(no {name} indices for {', '.join(skipped)}: no value at some design points)")
    if args.out:
        print(f"\nwrote {len(tables.get('figures', []))} figures and the CSV tables to {args.out}/")
    return 0


def cmd_compare(args) -> int:
    """`milieusim compare LAYOUT...`: run every layout on the same seeds; write the report."""
    from milieusim.compare import plan_comparison, summarise_comparison, write_tables
    from milieusim.sweep import run_sweep
    from milieusim.viz.report import write_report

    plan = plan_comparison(
        args.layouts,
        scenario_file=args.scenario,
        preset=args.preset,
        replications=args.replications,
        days=args.days,
        seed=args.seed,
        out=args.out,
    )
    e = plan.spec.experiment
    print(
        f"comparing {', '.join(p.label for p in plan.plans)}: {e.replications} runs of {e.days} days each"
        + (" (continuing)" if plan.resume else "")
        + f" -> {plan.out}/",
        file=sys.stderr,
    )
    try:
        res = run_sweep(
            plan.spec,
            plan.sweep_dir,
            workers=args.workers,
            resume=plan.resume,
            base=plan.base,
            progress=None if args.quiet else sys.stderr,
        )
    except RuntimeError as exc:  # a worker died: the finished runs are kept
        raise ValueError(f"{exc}; run the same command again to continue") from exc
    if not res.complete:
        print("stopped before the end: run the same command again to continue", file=sys.stderr)
        return 130
    if res.failed:
        print(
            f"error: {res.failed} run(s) failed, so no report was written; the tracebacks are in "
            f"{plan.sweep_dir}/runs (milieusim analyze {plan.sweep_dir})",
            file=sys.stderr,
        )
        return 1
    comparison = summarise_comparison(plan)
    written = write_tables(comparison)
    report = write_report(comparison)
    for lead, _ in comparison.reading:
        print(lead)
    print(f"wrote {report} and {len(written)} tables and files to {plan.out}/ in {res.seconds:.0f} s of runs")
    return 0


_SHORT = {
    "conflict_per_100_obd": "conflict/100obd",
    "containment_per_100_obd": "containment/100obd",
    "share_incidents_unseen": "unseen",
    "mean_trust": "trust",
    "mean_autonomy": "autonomy",
    "encounters_per_patient_day": "encounters/pt-day",
    "patient_engaged_share": "engaged",
    "days_to_level_3": "days to L3",
    "mean_length_of_stay_days": "stay (days)",
}


def _mean_ci_text(mean: float, lo: float, hi: float) -> str:
    if not math.isfinite(mean):
        return "-"
    return f"{mean:.3g}" if not math.isfinite(lo) else f"{mean:.3g} [{lo:.3g}, {hi:.3g}]"
