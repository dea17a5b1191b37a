"""Layout files: where a layout reference points, the built-in layouts, and loading (docs/layouts.md).

A layout is named in many places: a scenario file's ``[ward] layout``, a sweep
spec, a comparison's list of plans, the command line. Each names either a
layout file, relative to the file that names it (the current folder for the
command line), or else a built-in layout; `layout_ref` is the one place that
decides which, and says where it looked when it is neither.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from milieusim.space.layout import Layout
from milieusim.space.layout_parser import parse_layout
from milieusim.space.limits import check_file_size
from milieusim.validation import InputError, Problem

BUILTIN = resources.files("milieusim.space") / "layouts"


def builtin_layouts() -> dict[str, Path]:
    """Built-in layout files by name."""
    return {p.name.removesuffix(".toml"): Path(str(p)) for p in BUILTIN.iterdir() if p.name.endswith(".toml")}


def layout_ref(ref: str | Path, relative_to: str | Path | None = None) -> str:
    """What a layout reference names: a layout file's absolute path, or a built-in layout's name.

    `ref` is looked up first as a file, relative to the folder `relative_to`
    (the folder of the file that names it; default: the current folder), then
    as a built-in name. The absolute path lets runs load the file from anywhere
    (sweep workers may run in another folder).

    Raises:
        InputError: neither a file there nor a built-in name, saying where it looked.
    """
    path = Path(ref).expanduser()
    folder = Path.cwd() if relative_to is None else Path(relative_to)
    candidate = path if path.is_absolute() else folder / path
    if candidate.is_file():
        return str(candidate.resolve())
    builtins = builtin_layouts()
    if str(ref) in builtins:
        return str(ref)
    raise InputError(
        str(ref),
        [
            Problem(
                f"no layout file {candidate} and no built-in layout of that name; "
                f"built-in layouts: {', '.join(sorted(builtins))}"
            )
        ],
    )


def load_layout(ref: str | Path, relative_to: str | Path | None = None) -> Layout:
    """Load a layout file or a built-in layout (`ref` as `layout_ref` reads it).

    Raises:
        InputError: the layout is not found, or its file is unreadable or invalid; one problem per line.
    """
    found = layout_ref(ref, relative_to)
    builtins = builtin_layouts()
    path = builtins[found] if found in builtins else Path(found)
    try:
        check_file_size(path.stat().st_size, str(path))  # before reading a file of any size
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), [Problem(f"cannot read: {exc}")]) from exc
    return parse_layout(text, source=str(path))


def cached_layout(ref: str | Path) -> Layout:
    """`load_layout`, cached per process by reference and the file's modification time.

    Runs of a sweep share one `Layout` object and so one cached geometry.
    """
    path = Path(ref)
    stamp = path.stat().st_mtime_ns if path.is_file() else None
    return _cached(str(ref), stamp)


@functools.lru_cache(maxsize=32)
def _cached(ref: str, stamp: int | None) -> Layout:
    return load_layout(ref)
