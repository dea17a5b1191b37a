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
        help="ward layouts: list, validate, metrics, show",
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
    return parser


def cmd_layout_list(args) -> int:
    """`milieusim layout list`."""
    from milieusim.space.layout import builtin_layouts, load_layout

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
    from milieusim.space.layout import load_layout

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
    from milieusim.space.layout import load_layout

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


def cmd_layout_show(args) -> int:
    """`milieusim layout show NAME|FILE -o PNG`."""
    from milieusim.space.layout import load_layout
    from milieusim.viz.plan import save_plan

    layout = load_layout(args.layout)
    path = save_plan(layout, args.output, variant=args.variant, overlay=args.overlay)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
