"""Scenario files, presets and ``--set key=value`` changes, merged and validated.

Precedence, lowest first: the defaults of `params.py`, a preset
(``presets/*.toml``), a scenario file, then ``--set`` changes. A scenario
file may name its preset with ``preset = "milieu"`` at the top.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from milieusim.params import Scenario
from milieusim.validation import InputError, Problem, nearest, problems_from_pydantic

PRESETS = resources.files("milieusim.presets")


def preset_names() -> list[str]:
    """Names of the built-in presets."""
    return sorted(p.name.removesuffix(".toml") for p in PRESETS.iterdir() if p.name.endswith(".toml"))


def preset_description(name: str) -> str:
    """The first comment line of a preset file."""
    text = (PRESETS / f"{name}.toml").read_text(encoding="utf-8")
    return text.splitlines()[0].lstrip("# ").strip()


def _read_toml(path: Path | Any, source: str) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(source, [Problem(f"cannot read: {exc}")]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, [Problem(f"not valid TOML: {exc}")]) from exc


def load_scenario(
    path: str | Path | None = None, preset: str | None = None, changes: list[str] | tuple[str, ...] = ()
) -> Scenario:
    """Build a validated scenario from a preset, a file and ``key=value`` changes.

    Raises:
        InputError: naming the file or option, the field, the value and what is valid.
    """
    data: dict = {}
    file_data: dict = {}
    source = "scenario"
    preset_place = (f"preset {preset!r}", "")  # where a bad preset is named: the option, or the file's field
    if path is not None:
        source = str(path)
        if not Path(path).exists():
            raise InputError(source, [Problem("no such scenario file")])
        file_data = _read_toml(Path(path), source)
        in_file = file_data.pop("preset", None)
        if preset is None and in_file is not None:  # a preset given apart from the file wins
            preset, preset_place = in_file, (source, "preset")
    if preset is not None:
        _check_preset(preset, *preset_place)
        data = _read_toml(PRESETS / f"{preset}.toml", f"preset {preset}")
        data.setdefault("name", preset)
    _validate_keys(file_data, Scenario, source)
    merged = _merge(data, file_data)
    if path is not None and "name" not in file_data:
        merged["name"] = Path(path).stem if preset is None else merged.get("name", Path(path).stem)
    scenario = _validated(merged, source)
    if changes:
        updates = parse_changes(changes)
        try:
            scenario = scenario.with_changes(updates)
        except ValidationError as exc:
            raise InputError("--set", problems_from_pydantic(exc, Scenario)) from exc
    return scenario


def _check_preset(preset: Any, source: str, where: str) -> None:
    """A preset is the name of a built-in one, as text."""
    names = preset_names()
    if isinstance(preset, str) and preset in names:
        return
    if isinstance(preset, str):
        hint = nearest(preset, names)
    else:
        hint = f'give a preset\'s name in quotes, e.g. preset = "milieu"; presets: {", ".join(names)}'
    what = "unknown preset" if not where else f"{preset!r} is not a preset"
    raise InputError(source, [Problem(f"{what}; {hint}", where=where)])


def source_of(key: str, path: str | Path | None, preset: str | None, changes: dict) -> tuple[str, str]:
    """Where the value of parameter `key` (dotted) comes from, as (source, field) for a message.

    The last of the precedence order that sets it: a change, the scenario file, the preset, the defaults.
    """
    group, _, name = key.partition(".")

    def sets(data: dict) -> bool:
        return isinstance(data.get(group), dict) and name in data[group]

    if key in changes:
        return "--set", key
    if path is not None and Path(path).is_file():
        data = _read_toml(Path(path), str(path))
        if sets(data):
            return str(path), f"[{group}] {name}"
        preset = preset or data.get("preset")
    known = isinstance(preset, str) and preset in preset_names()
    if known and sets(_read_toml(PRESETS / f"{preset}.toml", f"preset {preset}")):
        return f"preset {preset}", f"[{group}] {name}"
    return "defaults", key


def beds_problem(beds: int | None, layout) -> str | None:
    """Why `beds` (ward.beds) does not fit `layout`, or None: a ward has no more patients than beds drawn."""
    if beds is None or layout.meta.setting != "inpatient" or beds <= layout.meta.beds:
        return None
    return (
        f"ward.beds = {beds} but layout {layout.name!r} has {layout.meta.beds} beds; leave ward.beds "
        f"out to use the plan's own beds, or set it to at most {layout.meta.beds}"
    )


def parse_changes(items: list[str] | tuple[str, ...]) -> dict[str, Any]:
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
        hint = _key_problem(key)
        if hint:
            problems.append(Problem(hint, where=key))
            continue
        try:
            value = tomllib.loads(f"v = {raw.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw.strip()  # a bare word: a string such as a layout name
        out[key] = value
    if problems:
        raise InputError("--set", problems)
    return out


def parameter_keys() -> list[str]:
    """Every dotted parameter name, e.g. ``culture.respect``."""
    keys = []
    for group, info in Scenario.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            keys += [f"{group}.{name}" for name in ann.model_fields]
        else:
            keys.append(group)
    return keys


def _key_problem(key: str) -> str | None:
    keys = parameter_keys()
    if key in keys:
        return None
    group = key.partition(".")[0]
    in_group = [k for k in keys if k.startswith(f"{group}.")]
    if in_group:  # a known group: the nearest of its parameters
        return f"unknown parameter; {nearest(key, in_group)}"
    close = nearest(key, keys)
    if close.startswith("did you mean"):
        return f"unknown parameter; {close}"
    groups = sorted({k.partition(".")[0] for k in keys if "." in k})
    return f"unknown parameter; parameters are GROUP.NAME, groups: {', '.join(groups)} (docs/parameters.md)"


def _validate_keys(data: dict, model: type[BaseModel], source: str) -> None:
    problems = []
    for group, value in data.items():
        if group not in model.model_fields:
            problems.append(
                Problem(f"unknown section or key {group!r}; {nearest(group, model.model_fields)}")
            )
            continue
        ann = model.model_fields[group].annotation
        if isinstance(value, dict) and isinstance(ann, type) and issubclass(ann, BaseModel):
            problems += [
                Problem(f"unknown key {k!r}; {nearest(k, ann.model_fields)}", where=f"[{group}]")
                for k in value
                if k not in ann.model_fields
            ]
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
