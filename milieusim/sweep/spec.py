"""Experiment files: what a sweep varies, how it samples, how often it repeats (docs/experiments.md).

A spec is TOML, like a BehaviorSpace experiment::

    [experiment]
    name = "power_respect"
    design = "full_factorial"        # latin_hypercube | sobol | morris
    replications = 5
    days = 56
    seed = 20261127
    outputs = ["daily"]              # also "events", "stays", "spatial"; runs are always kept

    [base]                           # the scenario every run starts from
    preset = "custodial"
    layout = "corridor"
    set = { "programme.community_meeting" = true }

    [factors."culture.power_balance"]
    values = [0.1, 0.5, 0.9]         # or range = [start, stop, step]; or min/max for sampled designs

`load_spec` validates everything before a run starts, including that every
factor value is a valid parameter value and that every ward fits its layout,
and names the field and what is valid when not. Files the spec names (a
scenario, layouts) are relative to the spec; once loaded, a spec holds them as
absolute paths. `Spec.canonical()` is what a resumed sweep compares.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from milieusim.params import Scenario
from milieusim.scenario import load_scenario, parameter_keys
from milieusim.space.layout_file import cached_layout, layout_ref
from milieusim.space.ward_check import ward_problems
from milieusim.sweep.factor import PRESET, Factor
from milieusim.validation import InputError, Problem, problems_from_pydantic, read_toml, unknown_keys

LAYOUT = "ward.layout"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Base(_Strict):
    """The scenario every run starts from."""

    preset: str | None = Field(None, description="a built-in preset")
    scenario: str | None = Field(None, description="a scenario file, relative to the spec")
    layout: str | None = Field(None, description="built-in layout name or layout file (relative to the spec)")
    furniture: str | None = Field(None, description="furniture variant")
    set: dict[str, Any] = Field(
        default_factory=dict, description='dotted changes, e.g. "culture.respect" = 0.8'
    )


class Experiment(_Strict):
    """How the sweep samples and repeats."""

    name: str = Field("sweep", description="a name for the sweep")
    description: str = ""
    design: Literal["full_factorial", "latin_hypercube", "sobol", "morris"] = "full_factorial"
    replications: int = Field(1, ge=1, le=10_000, description="runs per design point, each with its own seed")
    days: int = Field(28, ge=1, le=3650, description="simulated days per run")
    seed: int = Field(0, ge=0, description="root seed: every run's seed is spawned from it")
    samples: int | None = Field(
        None, ge=1, description="latin_hypercube: points; sobol: base N (a power of 2); morris: trajectories"
    )
    levels: int = Field(4, ge=2, le=20, description="morris: grid levels")
    outputs: list[Literal["daily", "events", "stays", "spatial"]] = Field(
        default_factory=lambda: ["daily"], description="tables kept per run besides the runs table"
    )


class Spec(_Strict):
    """A whole experiment: `experiment`, `base` and `factors`."""

    experiment: Experiment = Field(default_factory=Experiment)
    base: Base = Field(default_factory=Base)
    factors: dict[str, Factor] = Field(default_factory=dict)

    def scenario(self, preset: str | None = None) -> Scenario:
        """The base scenario, validated; with `preset`, that preset in place of the base's.

        Raises:
            InputError: under ``[base]``, what is wrong with it.
        """
        base = self.base
        changes = {LAYOUT: base.layout} if base.layout is not None else {}
        changes |= {"ward.furniture": base.furniture} if base.furniture is not None else {}
        changes |= base.set
        return load_scenario(base.scenario, preset or base.preset, changes, "[base]")

    def canonical(self) -> dict:
        """The spec as plain data, with the SHA-256 of every file it reads, for hashing and for resume.

        An edited scenario or layout file is then a changed spec, like an edited value.
        """
        data = self.model_dump(mode="json", exclude_defaults=False)
        if self.files():  # (specs that read no file keep the form they had before this key)
            data["input files (sha256)"] = {
                f: hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in self.files()
            }
        return data

    def files(self) -> list[str]:
        """The scenario and layout files the sweep reads (built-in layouts are part of the version)."""
        layouts = [self.scenario().ward.layout]
        factor = self.factors.get(LAYOUT)
        if factor is not None and not factor.continuous:
            layouts += [str(v) for v in factor.levels()]
        files = [self.base.scenario, *layouts]
        return list(dict.fromkeys(f for f in files if f and Path(f).is_absolute() and Path(f).is_file()))

    def digest(self) -> str:
        """SHA-256 of the canonical spec."""
        return hashlib.sha256(json.dumps(self.canonical()).encode()).hexdigest()  # factor order counts


def load_spec(path: str | Path) -> tuple[Spec, Scenario]:
    """Read and validate a spec file; return it with its base scenario.

    Raises:
        InputError: naming the file, the section or field, the value and what is valid.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), [Problem("no such experiment file")])
    return spec_from_dict(read_toml(path), str(path), path.parent)


def spec_from_dict(data: dict, source: str = "spec", root: Path | None = None) -> tuple[Spec, Scenario]:
    """Validate a spec given as a dict (as parsed from TOML); the files it names are relative to `root`.

    Raises:
        InputError: under `source`, every problem found.
    """
    root = Path.cwd() if root is None else Path(root)
    problems = unknown_keys(data, Spec.model_fields, what="section")
    if problems:
        raise InputError(source, problems)
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, problems_from_pydantic(exc, Spec)) from exc
    spec, scenario = with_base(spec, root, source)
    problems = _design_problems(spec) + _factor_problems(spec, scenario)
    if problems:
        raise InputError(source, problems)
    problems = _ward_problems(spec, scenario)
    if problems:
        raise InputError(source, problems)
    return spec, scenario


def with_base(spec: Spec, root: Path, source: str) -> tuple[Spec, Scenario]:
    """`spec` with the files it names found from `root`, and its base scenario.

    Raises:
        InputError: for `source`, a file not found or what is wrong with ``[base]``.
    """
    spec, problems = _with_files_found(spec, root)
    if problems:
        raise InputError(source, problems)
    try:
        return spec, spec.scenario()
    except InputError as exc:
        raise InputError(
            source, [Problem(p.format(exc.source), where="[base]") for p in exc.problems]
        ) from exc


def _with_files_found(spec: Spec, root: Path) -> tuple[Spec, list[Problem]]:
    """The spec with every file it names found from `root` (absolute paths), and what was not found."""
    problems: list[Problem] = []

    def layout(ref: Any, where: str) -> Any:
        try:
            return layout_ref(str(ref), root)
        except InputError as exc:
            problems.extend(Problem(p.message, where=where) for p in exc.problems)
            return ref

    base = spec.base
    update: dict[str, Any] = {}
    if base.scenario is not None:
        update["scenario"] = str((root / Path(base.scenario).expanduser()).resolve())
    if base.layout is not None:
        update["layout"] = layout(base.layout, "[base] layout")
    if isinstance(base.set.get(LAYOUT), str):
        update["set"] = {**base.set, LAYOUT: layout(base.set[LAYOUT], f"[base] set {LAYOUT}")}
    factors = dict(spec.factors)
    factor = factors.get(LAYOUT)
    if factor is not None and not factor.continuous:
        where = f"[factors.{LAYOUT!r}]"
        factors[LAYOUT] = factor.model_copy(update={"values": [layout(v, where) for v in factor.levels()]})
    found = spec.model_copy(update={"base": base.model_copy(update=update), "factors": factors})
    return found, problems


def _design_problems(spec: Spec) -> list[Problem]:
    e = spec.experiment
    where = "[experiment]"
    problems = []
    if not spec.factors:
        if e.design != "full_factorial":
            problems.append(Problem(f"design {e.design!r} needs at least one factor", where=where))
        return problems
    if e.design == "full_factorial":
        problems += [
            Problem("full_factorial needs values or range, not min/max", where=f"[factors.{k!r}]")
            for k, f in spec.factors.items()
            if f.continuous
        ]
    elif e.samples is None:
        what = {"latin_hypercube": "points", "sobol": "base N (a power of 2)", "morris": "trajectories"}
        problems.append(Problem(f"design {e.design!r} needs samples = <{what[e.design]}>", where=where))
    elif e.design == "sobol" and e.samples & (e.samples - 1):
        problems.append(
            Problem(
                f"sobol needs samples a power of 2 (e.g. {1 << e.samples.bit_length()}), not {e.samples}",
                where=where,
            )
        )
    if e.design in ("sobol", "morris") and len(spec.factors) < 2:
        problems.append(Problem(f"design {e.design!r} needs at least two factors", where=where))
    return problems


def _factor_problems(spec: Spec, scenario: Scenario) -> list[Problem]:
    """Unknown parameter names, and values (or bounds) the parameter does not accept."""
    keys = parameter_keys()
    problems = []
    for key, factor in spec.factors.items():
        where = f"[factors.{key!r}]"
        if key == PRESET:
            problems += _preset_problems(spec, factor, where)
            continue
        if key not in keys:
            problems += unknown_keys([key], keys, where=where, what="parameter")
            continue
        if key == LAYOUT and factor.continuous:
            problems.append(Problem("a layout factor lists its layouts: values = [...]", where=where))
            continue
        probes = [factor.min, factor.max] if factor.continuous else factor.levels()
        for value in probes:
            try:
                _with(scenario, {key: value}, where)
            except InputError as exc:
                problems += [Problem(f"value {value!r}: {p.message}", where=where) for p in exc.problems]
    return problems


def _ward_problems(spec: Spec, scenario: Scenario) -> list[Problem]:
    """Every layout the sweep uses loads, and fits every furniture variant and number of beds it runs with."""

    def values(key: str, default: Any) -> list[Any]:
        factor = spec.factors.get(key)
        return factor.levels() if factor is not None and not factor.continuous else [default]

    problems = []
    for ref in values(LAYOUT, scenario.ward.layout):
        where = f"[factors.{LAYOUT!r}]" if LAYOUT in spec.factors else "[base] layout"
        try:
            layout = cached_layout(ref)
        except InputError as exc:
            problems += [Problem(p.format(exc.source), where=where) for p in exc.problems]
            continue
        for furniture in values("ward.furniture", scenario.ward.furniture):
            for beds in values("ward.beds", scenario.ward.beds):
                problems += ward_problems(layout, furniture, scenario.ward.furniture_style, beds)
    return list(dict.fromkeys(problems))


def _preset_problems(spec: Spec, factor: Factor, where: str) -> list[Problem]:
    if factor.continuous:
        return [Problem('a preset factor lists its presets: values = ["custodial", "milieu"]', where=where)]
    problems = []
    for name in factor.levels():
        try:
            spec.scenario(preset=str(name))
        except InputError as exc:
            problems += [Problem(f"{name!r}: {p.message}", where=where) for p in exc.problems]
    return problems


def _with(scenario: Scenario, changes: dict, where: str) -> Scenario:
    if not changes:
        return scenario
    unknown = unknown_keys(changes, parameter_keys(), what="parameter")
    if unknown:
        raise InputError(where, unknown)
    try:
        return scenario.with_changes(changes)
    except ValidationError as exc:
        raise InputError(where, problems_from_pydantic(exc, Scenario)) from exc
