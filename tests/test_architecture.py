"""The import graph of milieusim: no cycle, and nothing imports upward through its layers.

Every import counts, at the top of a module or inside a function (a lazy import
is still a dependency), except those only for type checkers. The package's
`__init__`, the public façade, may import from every layer and is left out.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "milieusim"

#: The layers, bottom to top: a module imports only from its own layer or those below. Core code
#: (everything below `viz`) draws nothing. `scenario` reads scenario files, which name layouts, so
#: it sits on `space`; the documentation generators read every layer of the core.
LAYERS = [
    (
        "base",
        [
            "validation",
            "rng",
            "stats",
            "params",
            "params_base",
            "params_conflict",
            "params_tables",
            "presets",
            "kinds",
            "bibliography",
            "jit",
            "lazy",
        ],
    ),
    ("space", ["space"]),
    ("scenario files", ["scenario"]),
    ("rules", ["rules"]),
    ("agents", ["agents"]),
    ("ward components", ["ward", "recording"]),
    ("model", ["model"]),
    ("outcomes and metrics", ["outcomes", "metrics", "paired", "runner", "narrate", "teaching", "targets"]),
    ("documentation", ["paramdoc", "docblocks", "docblocks_conflict", "statevars"]),
    ("sweep", ["sweep"]),
    ("calibration", ["calibration"]),
    ("validation report", ["validation_report", "trace_report"]),
    ("compare", ["compare"]),
    ("viz", ["viz"]),
    ("app and cli", ["app", "cli", "cli_args", "cli_layout", "cli_sweep", "cli_calibrate"]),
]
DRAWING = ("matplotlib", "solara", "ipywidgets", "ipyvuetify")
FIRST_DRAWING_LAYER = "viz"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(source: str, package: str, known: set[str]) -> set[str]:
    """What a module of `package` with this `source` imports (``from x import y`` is ``x.y`` when that is
    a module of `known`, else ``x``); relative imports resolved."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + [base]
                ).strip(".")
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    edges = {}
    for name, path in mods.items():
        targets = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for imported in imports_of(path.read_text(encoding="utf-8"), package, known):
            while imported and imported not in known and imported.startswith("milieusim."):
                imported = imported.rpartition(".")[0]  # a name from a module: the module
            targets.add(imported)
        edges[name] = targets - {name}
    return edges


def layer_of(module: str) -> int:
    rest = module.removeprefix("milieusim.")
    for i, (_, prefixes) in enumerate(LAYERS):
        if any(rest == p or rest.startswith(p + ".") for p in prefixes):
            return i
    raise AssertionError(f"{module} has no layer: add it to LAYERS")


def own(module: str) -> bool:
    return module.startswith("milieusim.")


def test_every_module_has_a_layer():
    for module in modules():
        if module != "milieusim":
            layer_of(module)


def test_nothing_imports_upward():
    upward = [
        f"{src} ({LAYERS[layer_of(src)][0]}) imports {dst} ({LAYERS[layer_of(dst)][0]})"
        for src, targets in graph().items()
        if src != "milieusim"
        for dst in targets
        if own(dst) and layer_of(dst) > layer_of(src)
    ]
    assert upward == []


def test_core_never_imports_drawing_libraries():
    viz = next(i for i, (name, _) in enumerate(LAYERS) if name == FIRST_DRAWING_LAYER)
    drawing = [
        f"{src} imports {dst}"
        for src, targets in graph().items()
        if src != "milieusim" and layer_of(src) < viz
        for dst in targets
        if dst.split(".")[0] in DRAWING
    ]
    assert drawing == []


def test_the_import_graph_has_no_cycle():
    edges = {src: {d for d in targets if own(d) and d != "milieusim"} for src, targets in graph().items()}
    edges.pop("milieusim")
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            pytest.fail("import cycle: " + " -> ".join(cycle))


def test_the_checks_see_lazy_and_relative_imports():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from milieusim.viz import plan\n"
        "from . import design\nfrom .store import write_table\n"
        "def f():\n    from milieusim.sweep.analysis import load\n    import matplotlib.pyplot\n"
    )
    known = {"milieusim.sweep.analysis", "milieusim.sweep.design", "milieusim.sweep.store"}
    assert imports_of(source, "milieusim.sweep", known) == {
        "typing",
        "milieusim.sweep.design",
        "milieusim.sweep.store",
        "milieusim.sweep.analysis",
        "matplotlib.pyplot",
    }
