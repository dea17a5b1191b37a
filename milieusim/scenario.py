"""Scenario files, presets and ``key=value`` changes, merged and validated.

Precedence, lowest first: the defaults of `params.py`, a preset
(``presets/*.toml``), a scenario file, then changes (the command line's
``--set``). A scenario file may name its preset with ``preset = "milieu"`` at
the top, and its layout file relative to itself.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from milieusim.params import Scenario
from milieusim.space.layout_file import layout_ref
from milieusim.validation import InputError, Problem, problems_from_pydantic, read_toml, unknown_keys

PRESETS = resources.files("milieusim.presets")


def preset_names() -> list[str]:
    """Names of the built-in presets."""
    return sorted(p.name.removesuffix(".toml") for p in PRESETS.iterdir() if p.name.endswith(".toml"))


def preset_description(name: str) -> str:
    """The first comment line of a preset file."""
    text = (PRESETS / f"{name}.toml").read_text(encoding="utf-8")
    return text.splitlines()[0].lstrip("# ").strip()


def load_scenario(
    path: str | Path | None = None,
    preset: str | None = None,
    changes: Mapping[str, Any] | Sequence[str] = (),
    changes_source: str = "changes",
) -> Scenario:
    """Build a validated scenario from a preset, a file and changes.

    `changes` are ``key=value`` texts (see `parse_changes`) or a mapping of dotted
    keys to values; `changes_source` names them in errors. A layout named in the
    file is looked up next to the file, one named in `changes` from the current
    folder (`space.layout_file.layout_ref`); the scenario holds where it was found.

    Raises:
        InputError: naming the file or the changes, the field, the value and what is valid.
    """
    data: dict = {}
    file_data: dict = {}
    source = "scenario"
    preset_place = ("scenario", "")  # where a bad preset is named: the scenario, or the file's field
    if path is not None:
        source = str(path)
        if not Path(path).exists():
            raise InputError(source, [Problem("no such scenario file")])
        file_data = read_toml(Path(path), source)
        in_file = file_data.pop("preset", None)
        if preset is None and in_file is not None:  # a preset given apart from the file wins
            preset, preset_place = in_file, (source, "preset")
    if preset is not None:
        _check_preset(preset, *preset_place)
        data = read_toml(PRESETS / f"{preset}.toml", f"preset {preset}")
        data.setdefault("name", preset)
    _validate_keys(file_data, Scenario, source)
    ward = file_data.get("ward")
    if isinstance(ward, dict) and isinstance(ward.get("layout"), str):
        file_data["ward"] = {
            **ward,
            "layout": _layout(ward["layout"], Path(path).parent, source, "[ward] layout"),
        }
    merged = _merge(data, file_data)
    if path is not None and "name" not in file_data:
        merged["name"] = Path(path).stem if preset is None else merged.get("name", Path(path).stem)
    scenario = _validated(merged, source)
    if isinstance(changes, Mapping):
        updates = dict(changes)
        if unknown := unknown_keys(updates, parameter_keys(), what="parameter"):
            raise InputError(changes_source, unknown)
    else:
        updates = parse_changes(changes, changes_source)
    if isinstance(updates.get("ward.layout"), str):
        updates["ward.layout"] = _layout(updates["ward.layout"], None, changes_source, "ward.layout")
    if updates:
        try:
            scenario = scenario.with_changes(updates)
        except ValidationError as exc:
            raise InputError(changes_source, problems_from_pydantic(exc, Scenario)) from exc
    return scenario


def _layout(ref: str, folder: Path | None, source: str, where: str) -> str:
    """`ref` as `layout_ref` resolves it from `folder`, its error placed under `source` and `where`."""
    try:
        return layout_ref(ref, folder)
    except InputError as exc:
        raise InputError(source, [Problem(f"{p.message}", where=where) for p in exc.problems]) from exc


def _check_preset(preset: Any, source: str, where: str) -> None:
    """A preset is the name of a built-in one, as text."""
    names = preset_names()
    if not isinstance(preset, str):
        raise InputError(
            source,
            [
                Problem(
                    f'{preset!r} is not a preset\'s name; give one in quotes, e.g. preset = "milieu"; '
                    f"presets: {', '.join(names)}",
                    where=where,
                )
            ],
        )
    if unknown := unknown_keys([preset], names, where=where, what="preset"):
        raise InputError(source, unknown)


def source_of(key: str, path: str | Path | None, preset: str | None, changes: Mapping) -> tuple[str, str]:
    """Where the value of parameter `key` (dotted) comes from, as (source, field) for a message.

    The last of the precedence order that sets it: a change, the scenario file, the preset, the defaults.
    """
    group, _, name = key.partition(".")

    def sets(data: dict) -> bool:
        return isinstance(data.get(group), dict) and name in data[group]

    if key in changes:
        return "--set", key
    if path is not None and Path(path).is_file():
        data = read_toml(Path(path))
        if sets(data):
            return str(path), f"[{group}] {name}"
        preset = preset or data.get("preset")
    known = isinstance(preset, str) and preset in preset_names()
    if known and sets(read_toml(PRESETS / f"{preset}.toml", f"preset {preset}")):
        return f"preset {preset}", f"[{group}] {name}"
    return "defaults", key


def parse_changes(items: Sequence[str], source: str = "changes") -> dict[str, Any]:
    """``["culture.respect=0.8", ...]`` as ``{"culture.respect": 0.8}``; values are TOML.

    Raises:
        InputError: a malformed item, or a key that is not a parameter (with the nearest).
    """
    out: dict[str, Any] = {}
    problems = []
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(Problem(f"{item!r} is not key=value, e.g. culture.respect=0.8"))
            continue
        if key not in parameter_keys():
            problems.append(_unknown_parameter(key))
            continue
        try:
            value = tomllib.loads(f"v = {raw.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw.strip()  # a bare word: a string such as a layout name
        out[key] = value
    if problems:
        raise InputError(source, problems)
    return out


def parameter_keys() -> list[str]:
    """Every dotted parameter name, e.g. ``culture.respect``."""
    return Scenario.parameter_keys()


def _unknown_parameter(key: str) -> Problem:
    """An unknown dotted name, with the nearest parameter of its group, or the groups there are."""
    keys = parameter_keys()
    group = key.partition(".")[0]
    in_group = [k for k in keys if k.startswith(f"{group}.")]
    (problem,) = unknown_keys([key], in_group or keys, what="parameter")
    if in_group or "did you mean" in problem.message:
        return problem
    groups = sorted({k.partition(".")[0] for k in keys if "." in k})
    return Problem(f"unknown parameter {key!r}; parameters are GROUP.NAME, groups: {', '.join(groups)}")


def _validate_keys(data: dict, model: type[BaseModel], source: str) -> None:
    problems = unknown_keys(data, model.model_fields, what="section or key")
    for group, value in data.items():
        ann = model.model_fields[group].annotation if group in model.model_fields else None
        if isinstance(value, dict) and isinstance(ann, type) and issubclass(ann, BaseModel):
            problems += unknown_keys(value, ann.model_fields, where=f"[{group}]")
    if problems:
        raise InputError(source, problems)


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _validated(data: dict, source: str) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, problems_from_pydantic(exc, Scenario)) from exc


def scenario_toml(scenario: Scenario, header: str = "") -> str:
    """A scenario file (TOML) for `scenario`: every value that differs from the defaults of params.py.

    `load_scenario` reads it back to an equal scenario; `header` becomes comment lines at the top.
    """
    data = scenario.model_dump(mode="json")
    defaults = Scenario().model_dump(mode="json")
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines.append(f"name = {_toml_value(data['name'])}")
    for group, values in data.items():
        if not isinstance(values, dict):
            continue
        changed = {k: v for k, v in values.items() if v != defaults[group][k] and v is not None}
        if changed:
            lines += ["", f"[{group}]"] + [f"{k} = {_toml_value(v)}" for k, v in changed.items()]
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    """One TOML value: a string, number, boolean, array or inline table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items() if v is not None) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
