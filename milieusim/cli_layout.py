"""`milieusim layout ...`: the planner's commands on layout files (list, copy, validate, metrics, show)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from milieusim import cli_args
from milieusim.validation import EXIT_USAGE, InputError


def add_parsers(sub) -> None:
    """The `layout` command and its actions."""
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
    p.add_argument("-o", "--output", required=True, type=cli_args.png_file, help="PNG file to write")
    p.add_argument("--variant", help="furniture variant (default: the layout's default)")
    p.add_argument(
        "--overlay", choices=["visibility"], help="shade what the staff base sees (grey: hidden from it)"
    )
    p.set_defaults(func=cmd_layout_show)


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
        print(f"{label:{width}s}" + "".join(f"{fmt_number(table[n][key]):>{colw}s}" for n in names))
    return 0


def fmt_number(value) -> str:
    """A metric or summary value for a table: two decimals below 10, one above; '-' when missing."""
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
    from milieusim.validation import Problem, unknown_keys

    builtins = builtin_layouts()
    if args.layout not in builtins:
        raise InputError("layout copy", unknown_keys([args.layout], builtins, what="built-in layout"))
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
