"""The `milieusim` command line.

Every user error ends in one clear message on stderr and exit status 2; the
library raises `InputError` (or `ValueError` for a bad option value) and this
module prints it. Only this module prints.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from milieusim import __version__
from milieusim.validation import InputError

EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `milieusim` console script."""
    import matplotlib

    matplotlib.use("Agg")  # the commands write figures to files; the library leaves the backend alone
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args) or 0
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    return EXIT_USAGE


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="milieusim",
        description="Agent-based simulation of the therapeutic milieu on a psychiatric ward.",
    )
    parser.add_argument("--version", action="version", version=f"milieusim {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    layout = sub.add_parser(
        "layout",
        help="ward layouts: list, copy, validate, metrics, show",
        description="Ward layouts: the planner's language (docs/layouts.md).",
    )
    lsub = layout.add_subparsers(title="layout commands", metavar="ACTION")
    layout.set_defaults(func=lambda a: (layout.print_help(), EXIT_USAGE)[1])

    p = lsub.add_parser(
        "list",
        help="name and describe the built-in layouts",
        description="Name and describe the built-in layouts.",
    )
    p.set_defaults(func=cmd_layout_list)

    p = lsub.add_parser(
        "validate",
        help="check layout files; one message per problem",
        description="Check layout files. Prints one line per problem, naming the "
        "file, line, row, column and symbol, and what would be valid.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_layout_validate)

    p = lsub.add_parser(
        "metrics",
        help="planner metrics of layouts, side by side",
        description="Planner metrics (docs/layouts.md#metrics) of one or more "
        "layouts, given by built-in name or file.",
    )
    p.add_argument("layouts", nargs="+", metavar="NAME|FILE")
    p.add_argument("--variant", help="furniture variant (default: each layout's default)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_layout_metrics)

    p = lsub.add_parser(
        "copy",
        help="copy a built-in layout to a file, to edit as your own plan",
        description="Copy a built-in layout's file to DEST, to edit as your own plan "
        "(docs/layouts.md). An existing DEST is left alone.",
    )
    p.add_argument("layout", metavar="NAME", help="a built-in layout (milieusim layout list)")
    p.add_argument("dest", type=Path, metavar="DEST", help="file to write, e.g. plans/my_ward.toml")
    p.set_defaults(func=cmd_layout_copy)

    p = lsub.add_parser(
        "show",
        help="draw a layout to a PNG",
        description="Draw a layout: zones, walls, doors, furniture with its facing, "
        "points, legend and scale bar.",
    )
    p.add_argument("layout", metavar="NAME|FILE")
    p.add_argument("-o", "--output", required=True, type=Path, help="PNG file to write")
    p.add_argument("--variant", help="furniture variant (default: the layout's default)")
    p.add_argument(
        "--overlay", choices=["visibility"], help="shade what the staff base sees (grey: hidden from it)"
    )
    p.set_defaults(func=cmd_layout_show)

    p = sub.add_parser(
        "run",
        help="run the milieu model; write tables, summary and figures",
        description="Run the milieu model on a ward and write the tidy tables (CSV and "
        "Parquet), summary.json and figures to --out.",
    )
    p.add_argument("--layout", help="built-in layout name or layout file (default: corridor)")
    p.add_argument("--preset", help="a named scenario: see `milieusim presets`")
    p.add_argument("--scenario", type=Path, help="scenario file (TOML); see docs/parameters.md")
    p.add_argument("--days", type=int, help="days to simulate (default: the scenario's, 28)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--set",
        dest="changes",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change one parameter, e.g. --set culture.respect=0.8 (repeatable)",
    )
    p.add_argument("--out", type=Path, default=Path("out/run"), help="output folder (default out/run)")
    p.add_argument("--no-figures", action="store_true", help="write tables only")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "sweep",
        help="run an experiment file: many runs over factors, resumable, into Parquet tables",
        description="Run every run an experiment file plans (see docs/experiments.md) and write "
        "the runs, daily, events and stays tables to --out as runs finish. A stopped sweep "
        "(Ctrl-C, or killed) continues with --resume.",
    )
    p.add_argument("spec", type=Path, help="experiment file (TOML)")
    p.add_argument("--out", type=Path, help="results folder (default results/<experiment name>)")
    p.add_argument(
        "--workers", type=_workers, help="worker processes (default: one per CPU; 0: in this process)"
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--resume", action="store_true", help="continue a stopped sweep in --out")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser(
        "analyze",
        help="summarise a sweep: means with 95%% CIs, Sobol or Morris indices, figures",
        description="Summarise a sweep's results folder: per design point means with 95%% "
        "confidence intervals, main effects, Sobol or Morris indices when the design is one "
        "of those, and (with --out) CSV tables and figures.",
    )
    p.add_argument("results", type=Path, help="a sweep's results folder")
    p.add_argument("--out", type=Path, help="folder for figures and CSV tables")
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
        "with 95%% confidence intervals and paired differences, heatmaps) and the tables "
        "(CSV and Parquet). Rerunning the same command continues a stopped comparison.",
    )
    p.add_argument("layouts", nargs="+", metavar="LAYOUT", help="built-in layout name or layout file")
    p.add_argument("--scenario", type=Path, help="scenario file (TOML); see docs/parameters.md")
    p.add_argument("--preset", help="a named scenario: see `milieusim presets`")
    p.add_argument("--replications", type=int, default=10, help="runs per layout (default 10)")
    p.add_argument("--days", type=int, help="days per run (default: the scenario's, 28)")
    p.add_argument("--seed", type=int, default=0, help="root seed of the replicates (default 0)")
    p.add_argument(
        "--workers", type=_workers, help="worker processes (default: one per CPU; 0: in this process)"
    )
    p.add_argument(
        "--out", type=Path, default=Path("out/compare"), help="output folder (default out/compare)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "levels",
        help="print the level rules in words",
        description="Print the active level-of-responsibility rules in words.",
    )
    p.add_argument("--preset", help="a named scenario")
    p.add_argument("--scenario", type=Path, help="scenario file (TOML)")
    p.set_defaults(func=cmd_levels)

    p = sub.add_parser(
        "presets",
        help="name and describe the built-in scenarios",
        description="Name and describe the built-in scenarios.",
    )
    p.set_defaults(func=cmd_presets)

    p = sub.add_parser(
        "app",
        help="the live ward in the browser, for teaching",
        description="Serve the live ward: the model running in a browser page with controls, "
        "sliders, plots and a feed of events. Open the address it prints; Ctrl+C stops it.",
    )
    p.add_argument("--host", default="localhost", help="address to serve on (default localhost)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: any free port)")
    p.add_argument("--layout", default="corridor", help="starting layout, name or file (default corridor)")
    p.add_argument("--preset", default="default", help="starting preset (default: the baseline)")
    p.add_argument("--furniture", default="", help="starting furniture variant (default: the preset's)")
    p.add_argument("--seed", default="0", help="starting seed (default 0; empty: a new one each reset)")
    p.set_defaults(func=cmd_app)
    return parser


def cmd_layout_list(args) -> int:
    """`milieusim layout list`."""
    from milieusim.space.layout_file import builtin_layouts, load_layout

    for name in sorted(builtin_layouts()):
        layout = load_layout(name)
        variants = ", ".join(layout.furniture)
        print(
            f"{name:14s} {layout.meta.setting:9s} {layout.meta.beds:3d} beds  "
            f"{layout.meta.description}  [furniture: {variants}]"
        )
    return 0


def cmd_layout_validate(args) -> int:
    """`milieusim layout validate FILE...`: exit 2 when any file is invalid."""
    from milieusim.space.layout_file import load_layout

    failed = 0
    for file in args.files:
        try:
            layout = load_layout(file)
        except InputError as exc:
            failed += 1
            print(exc, file=sys.stderr)
            continue
        print(
            f"{file}: ok ({layout.name}: {layout.shape[0]} x {layout.shape[1]} cells, "
            f"{len(layout.bedrooms)} bedrooms, {layout.meta.beds} beds, "
            f"furniture {', '.join(layout.furniture)})"
        )
    return EXIT_USAGE if failed else 0


def cmd_layout_metrics(args) -> int:
    """`milieusim layout metrics NAME|FILE... [--json]`."""
    from milieusim.space.analysis import METRICS, layout_metrics
    from milieusim.space.layout_file import load_layout

    layouts = [load_layout(name) for name in args.layouts]
    table = {}
    for layout in layouts:
        variant = args.variant
        if variant is not None and variant not in layout.furniture:
            raise ValueError(
                f"layout {layout.name!r} has no furniture variant {variant!r}; "
                f"variants: {', '.join(layout.furniture)}"
            )
        table[layout.name] = layout_metrics(layout, variant)
    if args.json:
        clean = {n: {k: _clean(v) for k, v in m.items()} for n, m in table.items()}
        print(json.dumps(clean, indent=2))
        return 0
    names = list(table)
    width = max(len(info.label) + len(info.unit) + 3 for info in METRICS.values())
    colw = max(12, *(len(n) + 2 for n in names))
    print(f"{'metric':{width}s}" + "".join(f"{n:>{colw}s}" for n in names))
    for key, info in METRICS.items():
        if key == "social_space_sizes_m2":
            continue
        label = info.label + (f" ({info.unit})" if info.unit else "")
        print(f"{label:{width}s}" + "".join(f"{_fmt(table[n][key]):>{colw}s}" for n in names))
    return 0


def _fmt(value) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def _clean(value):
    """NaN and inf become JSON null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def cmd_layout_copy(args) -> int:
    """`milieusim layout copy`: a built-in layout's file, copied for editing."""
    from milieusim.space.layout_file import builtin_layouts
    from milieusim.validation import Problem, nearest

    builtins = builtin_layouts()
    if args.layout not in builtins:
        raise InputError(args.layout, [Problem(f"not a built-in layout; {nearest(args.layout, builtins)}")])
    if args.dest.exists():
        raise InputError(str(args.dest), [Problem("already exists; choose another file name")])
    args.dest.parent.mkdir(parents=True, exist_ok=True)
    args.dest.write_text(builtins[args.layout].read_text(encoding="utf-8"), encoding="utf-8")
    print(f"wrote {args.dest}: edit it, then  milieusim layout validate {args.dest}")
    return 0


def cmd_layout_show(args) -> int:
    """`milieusim layout show NAME|FILE -o PNG`."""
    from milieusim.space.layout_file import load_layout
    from milieusim.viz.plan import save_plan

    layout = load_layout(args.layout)
    path = save_plan(layout, args.output, variant=args.variant, overlay=args.overlay)
    print(f"wrote {path}")
    return 0


SUMMARY_ROWS = (
    ("conflict_per_100_obd", "conflict per 100 occupied bed-days"),
    ("aggressive_per_100_obd", "aggressive incidents per 100 OBD"),
    ("physical_per_100_obd", "physical attacks per 100 OBD"),
    ("containment_per_100_obd", "containment per 100 OBD"),
    ("conflict_per_shift", "conflict per shift"),
    ("containment_per_shift", "containment per shift"),
    ("share_incidents_coerced", "seen incidents ending in containment"),
    ("share_incidents_unseen", "incidents staff did not see"),
    ("share_patients_with_aggression", "patients with an aggressive incident"),
    ("days_to_level_2", "days from admission to L2"),
    ("days_to_level_3", "days from admission to L3"),
    ("days_to_level_4", "days from admission to L4"),
    ("mean_length_of_stay_days", "length of stay, mean (days)"),
    ("encounters_per_patient_day", "encounters per patient-day"),
    ("patient_engaged_share", "patient time socially engaged"),
    ("staff_contact_share", "staff time with patients (07-23h)"),
    ("staff_walk_km_per_10h", "staff walking per 10-hour shift (km)"),
    ("mean_trust", "mean trust in staff"),
    ("mean_autonomy", "mean autonomy"),
)


def _scenario(args):
    from milieusim.scenario import load_scenario

    changes = list(getattr(args, "changes", []))
    if getattr(args, "layout", None):
        changes.insert(0, f"ward.layout={args.layout!r}".replace("'", '"'))
    if getattr(args, "days", None) is not None:
        changes.insert(0, f"time.days={args.days}")
    return load_scenario(args.scenario, args.preset, changes)


def cmd_run(args) -> int:
    """`milieusim run`: one run, its summary printed, its tables and figures written."""
    from milieusim.metrics import results, save
    from milieusim.model import MilieuModel
    from milieusim.space.layout_file import cached_layout

    scenario = _scenario(args)
    cached_layout(scenario.ward.layout)  # a bad layout fails here, before any output
    days = scenario.time.days
    progress = None
    if not args.quiet:
        tty = sys.stderr.isatty()

        def progress(day):
            if tty:
                print(f"\rday {day}/{days}", end="", file=sys.stderr, flush=True)
            elif day % 7 == 0 and day:
                print(f"day {day}/{days}", file=sys.stderr, flush=True)

    model = MilieuModel(scenario, rng=args.seed)
    model.run(days, progress)
    if not args.quiet and sys.stderr.isatty():
        print(file=sys.stderr)
    res = results(model)
    written = save(res, args.out, scenario)
    if not args.no_figures:
        from milieusim.viz.run import save_run_figures

        written += save_run_figures(res, model.layout, args.out, model.arrangement.pieces)
    s = res.summary
    print(
        f"{scenario.name}: {s['layout']} ({s['furniture']}), {days} days, seed {args.seed}, "
        f"{s['occupied_bed_days']:.0f} occupied bed-days"
    )
    for key, label in SUMMARY_ROWS:
        print(f"  {label:42s} {_fmt(s[key]):>8s}")
    print(
        f"wrote {len(written)} files to {args.out}/ (summary.json, daily/events/stays .csv and .parquet"
        + ("" if args.no_figures else ", figures")
        + ")"
    )
    return 0


def _workers(text: str) -> int:
    """`--workers`: a whole number, 0 or more."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number, 0 (this process) or more")
    return int(text)


def cmd_sweep(args) -> int:
    """`milieusim sweep`: run an experiment file into a results folder."""
    from milieusim.sweep import load_spec, run_sweep

    spec, base = load_spec(args.spec)
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


def cmd_levels(args) -> int:
    """`milieusim levels`: the active level rules in words."""
    from milieusim.rules.levels import describe

    sc = _scenario(args)
    print(describe(sc.levels.rules, sc.levels.demotion, sc.levels.review_time, sc.levels.review_noise))
    return 0


def cmd_presets(args) -> int:
    """`milieusim presets`: the built-in scenarios."""
    from milieusim.scenario import preset_description, preset_names

    for name in preset_names():
        print(f"{name:14s} {preset_description(name)}")
    return 0


def cmd_app(args) -> int:
    """`milieusim app`: serve the live ward until interrupted."""
    from dataclasses import replace

    from milieusim.app.live import Setup
    from milieusim.app.server import check_installed, serve, usable_port

    check_installed()
    setup = replace(Setup.of(args.layout, args.preset, args.seed), furniture=args.furniture)
    setup.build()  # a bad start fails here, with a message, rather than in the page
    port = usable_port(args.host, args.port)
    print(f"milieusim live ward: open http://{args.host}:{port} in a browser (Ctrl+C stops it)", flush=True)
    serve(args.host, port, setup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
