"""The `milieusim` command line.

Every user error ends in one clear message on stderr and exit status 2; the
library raises `InputError` (or `ValueError` for a bad option value) and this
module prints it. Runs that cannot finish (`milieusim.sweep.SweepError`) end in
status 1, a sweep stopped by Ctrl-C in 130, each with what to do next. Only the
command-line modules print and name options: this one (`run`, `levels`,
`presets`, `app`), `cli_layout` (`layout ...`), `cli_sweep` (`sweep`,
`analyze`, `compare`) and `cli_calibrate` (`calibrate`).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from milieusim import __version__, cli_args, cli_calibrate, cli_layout, cli_sweep
from milieusim.outcomes import fmt
from milieusim.sweep.errors import SweepError
from milieusim.validation import EXIT_USAGE


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `milieusim` console script."""
    # the commands write figures to files (the library leaves the backend alone); matplotlib is imported
    # only by commands that draw
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].use("Agg")
    else:
        os.environ["MPLBACKEND"] = "Agg"
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args) or 0
    except BrokenPipeError:  # the reader left (`milieusim layout list | head -1`): nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nor at exit's flush
        return EXIT_BROKEN_PIPE
    except (ValueError, OSError) as exc:  # InputError is a ValueError: a bad file, option or value
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SweepError as exc:  # runs that could not finish; the commands advise on the common cases
        print(f"error: {exc}", file=sys.stderr)
        return cli_sweep.EXIT_FAILED


#: Exit status when the reader of our output has gone, as for a process ended by SIGPIPE.
EXIT_BROKEN_PIPE = 128 + 13


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = cli_args.Parser(
        prog="milieusim",
        description="Agent-based simulation of the therapeutic milieu on a psychiatric ward.",
    )
    parser.add_argument("--version", action="version", version=f"milieusim {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    cli_layout.add_parsers(sub)

    p = sub.add_parser(
        "run",
        help="run the milieu model; write tables, summary and figures",
        description="Run the milieu model on a ward and write the tidy tables (CSV and "
        "Parquet), summary.json and figures to --out.",
    )
    p.add_argument("--layout", help="built-in layout name or layout file (default: corridor)")
    p.add_argument("--preset", help="a named scenario: see `milieusim presets`")
    p.add_argument("--scenario", type=Path, help="scenario file (TOML); see docs/parameters.md")
    p.add_argument("--days", type=cli_args.days, help="days to simulate (default: the scenario's, 28)")
    p.add_argument("--seed", type=cli_args.seed, default=0, help="random seed (default 0)")
    p.add_argument(
        "--set",
        dest="changes",
        action="append",
        default=[],
        type=cli_args.change,
        metavar="KEY=VALUE",
        help="change one parameter, e.g. --set culture.respect=0.8 (repeatable)",
    )
    p.add_argument(
        "--out", type=cli_args.folder, default=Path("out/run"), help="output folder (default out/run)"
    )
    p.add_argument("--no-figures", action="store_true", help="write tables only")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_run)
    cli_sweep.add_parsers(sub)
    cli_calibrate.add_parser(sub, cli_args.workers)

    p = sub.add_parser(
        "validate",
        help="the baseline ward against published figures: write validation.md",
        description="Run the baseline ward against its calibration targets, then the paired "
        "experiments on published effects it was not fitted to (the Safewards trial and others), "
        "and write validation.md into --out (docs/validation.md is this command's output).",
    )
    p.add_argument(
        "--out", type=cli_args.folder, default=Path("out/validation"), help="folder (default out/validation)"
    )
    p.add_argument(
        "--seeds", type=cli_args.whole(2, 1000, "a number of seeds"), default=20, help="seeds (default 20)"
    )
    p.add_argument("--days", type=cli_args.days, default=120, help="days per run (default 120)")
    p.add_argument(
        "--pattern-seeds",
        type=cli_args.whole(2, 1000, "a number of seeds"),
        default=10,
        help="seeds of the paired experiments, the first of --seeds (default 10)",
    )
    p.add_argument(
        "--workers", type=cli_args.workers, default=2, help="worker processes (default 2; 0: this one)"
    )
    p.set_defaults(func=cmd_validate)

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
    p.add_argument("--port", type=cli_args.port, default=8765, help="port (default 8765; 0: any free port)")
    p.add_argument("--layout", default="corridor", help="starting layout, name or file (default corridor)")
    p.add_argument("--preset", default="default", help="starting preset (default: the baseline)")
    p.add_argument("--furniture", default="", help="starting furniture variant (default: the preset's)")
    p.add_argument(
        "--seed",
        type=cli_args.app_seed,
        default="0",
        help="starting seed (default 0; empty: a new one each reset)",
    )
    p.set_defaults(func=cmd_app)
    return parser


def cmd_validate(args) -> int:
    """`milieusim validate`: write validation.md."""
    from milieusim.validation_report import write_validation

    path = write_validation(
        args.out, n_seeds=args.seeds, days=args.days, pattern_seeds=args.pattern_seeds, workers=args.workers
    )
    print(f"wrote {path}")
    return 0


def _scenario(args):
    """The scenario the options name: --scenario, --preset, then --days, --layout and --set.

    ``--days`` or ``--layout`` with a ``--set`` of the same parameter is refused, not settled silently.
    """
    from milieusim.scenario import load_scenario, parse_changes
    from milieusim.space.layout_file import layout_ref

    settings = parse_changes(getattr(args, "changes", []), "--set")
    changes = {}
    for option, key, given in (
        ("--days", "time.days", getattr(args, "days", None)),
        ("--layout", "ward.layout", getattr(args, "layout", None)),
    ):
        if given is None:
            continue
        if key in settings:  # two values for one parameter: say so rather than pick one
            raise ValueError(f"{option} {given} and --set {key}={settings[key]} both set {key}; give it once")
        changes[key] = layout_ref(given) if key == "ward.layout" else given
    changes |= settings
    return load_scenario(args.scenario, args.preset, changes, "--set")


def _check_ward(scenario, args) -> None:
    """The scenario's ward fits its layout; a misfit is named where it was set (file field, --set, preset)."""
    from milieusim.scenario import parse_changes, source_of
    from milieusim.space.layout_file import cached_layout
    from milieusim.space.ward_check import check_ward

    settings = parse_changes(getattr(args, "changes", []), "--set")
    check_ward(
        cached_layout(scenario.ward.layout),
        scenario.ward,
        lambda key: source_of(key, args.scenario, args.preset, settings),
    )


def cmd_run(args) -> int:
    """`milieusim run`: one run, its summary printed, its tables and figures written."""
    from milieusim.metrics import SUMMARY_ROWS, results, save
    from milieusim.model import MilieuModel

    scenario = _scenario(args)
    _check_ward(scenario, args)  # a bad ward fails here, before any output
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
    width = max(len(o.label) for o in SUMMARY_ROWS)
    for o in SUMMARY_ROWS:
        print(f"  {o.label:{width}s} {fmt(s[o.key], o):>8s}  {o.unit}")
    print(
        f"wrote {len(written)} files to {args.out}/ (summary.json, daily/events/stays .csv and .parquet"
        + ("" if args.no_figures else ", figures")
        + ")"
    )
    return 0


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
