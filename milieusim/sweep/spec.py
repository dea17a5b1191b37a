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
factor value is a valid parameter value, and names the field and what is
valid when not. `Spec.canonical()` is what `--resume` compares.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from milieusim.params import Scenario
from milieusim.scenario import load_scenario, parameter_keys
from milieusim.validation import InputError, Problem, nearest, problems_from_pydantic

DESIGNS = ("full_factorial", "latin_hypercube", "sobol", "morris")
OUTPUTS = ("daily", "events", "stays", "spatial")
DISTRIBUTIONS = ("uniform", "normal", "triangular", "loguniform")
#: A factor over whole presets (culture change from one to another), beside the parameters.
PRESET = "preset"
#: The most values one factor may have (a `range` with a tiny step is refused before it is expanded).
MAX_LEVELS = 10_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Factor(_Strict):
    """One parameter the sweep varies.

    Either discrete `values` (or a `range` that expands to them), or a
    continuous `min`..`max` with a `distribution` for the sampled designs.
    """

    values: list[Any] | None = Field(None, description="the values to run (any design)")
    range: list[float] | None = Field(None, description="[start, stop, step], stop included")
    min: float | None = Field(None, description="lower bound of a continuous factor")
    max: float | None = Field(None, description="upper bound of a continuous factor")
    distribution: Literal["uniform", "normal", "triangular", "loguniform"] = "uniform"
    mean: float | None = Field(None, description="normal: mean (default: the middle of min..max)")
    sd: float | None = Field(None, gt=0, description="normal: standard deviation")
    mode: float | None = Field(None, description="triangular: the most likely value")

    @model_validator(mode="after")
    def _one_form(self) -> Factor:
        forms = [
            self.values is not None,
            self.range is not None,
            self.min is not None or self.max is not None,
        ]
        if sum(forms) != 1:
            raise ValueError(
                "give exactly one of: values = [...], range = [start, stop, step], or min and max"
            )
        if self.values is not None and not self.values:
            raise ValueError("values is empty; list at least one value")
        bounds = (self.min, self.max, self.mean, self.sd, self.mode)
        if not all(math.isfinite(v) for v in [*(self.range or ()), *bounds] if v is not None):
            raise ValueError("nan and inf are not values: give finite numbers")
        r = self.range
        if r is not None and (len(r) != 3 or r[2] <= 0 or r[1] < r[0]):
            raise ValueError("range is [start, stop, step] with start <= stop and step > 0")
        if r is not None and self.count() > MAX_LEVELS:  # refused before the values are made
            raise ValueError(
                f"range {r} makes {self.count()} values, more than {MAX_LEVELS}; give a bigger step"
            )
        if self.min is not None or self.max is not None:
            if self.min is None or self.max is None or not self.min < self.max:
                raise ValueError("a continuous factor needs both min and max, with min < max")
            if self.distribution == "normal" and self.sd is None:
                raise ValueError("distribution = 'normal' needs sd (and optionally mean)")
            if self.distribution == "triangular" and not (
                self.mode is not None and self.min <= self.mode <= self.max
            ):
                raise ValueError("distribution = 'triangular' needs mode between min and max")
            if self.distribution == "loguniform" and self.min <= 0:
                raise ValueError("distribution = 'loguniform' needs min > 0")
        return self

    @property
    def continuous(self) -> bool:
        """True when the factor is a min..max interval rather than a list of values."""
        return self.min is not None

    def count(self) -> int:
        """How many discrete values the factor has, without expanding a range."""
        if self.values is not None:
            return len(self.values)
        if self.range is not None:
            start, stop, step = self.range
            return int(math.floor((stop - start) / step + 1e-9)) + 1
        raise ValueError("a continuous factor has no list of values")

    def levels(self) -> list[Any]:
        """The discrete values (values, or the expanded range)."""
        if self.values is not None:
            return list(self.values)
        start, _, step = self.range or (0, 0, 0)
        return [round(start + i * step, 10) for i in range(self.count())]

    def from_unit(self, u: np.ndarray) -> list[Any]:
        """Values for points `u` in [0, 1]: inverse distribution, or equal bins over the values."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0 - 1e-12)
        if not self.continuous:
            levels = self.levels()
            return [levels[int(i)] for i in np.floor(u * len(levels))]
        from scipy import stats

        lo, hi = self.min, self.max
        if self.distribution == "uniform":
            x = lo + u * (hi - lo)
        elif self.distribution == "loguniform":
            x = np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo)))
        elif self.distribution == "triangular":
            x = stats.triang.ppf(u, (self.mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
        else:  # normal, truncated to [min, max]
            mean = (lo + hi) / 2 if self.mean is None else self.mean
            a, b = (lo - mean) / self.sd, (hi - mean) / self.sd
            x = stats.truncnorm.ppf(u, a, b, loc=mean, scale=self.sd)
        return [float(v) for v in x]


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
        """The base scenario, validated; with `preset`, that preset in place of the base's."""
        base = self.base if preset is None else self.base.model_copy(update={"preset": preset})
        return base_scenario(base, Path.cwd())

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
        layouts = [self.base.layout]
        factor = self.factors.get("ward.layout")
        if factor is not None and not factor.continuous:
            layouts += [str(v) for v in factor.levels()]
        files = [self.base.scenario, *layouts]
        return list(dict.fromkeys(f for f in files if f and Path(f).is_file()))

    def digest(self) -> str:
        """SHA-256 of the canonical spec."""
        return hashlib.sha256(json.dumps(self.canonical()).encode()).hexdigest()  # factor order counts


def base_scenario(base: Base, root: Path) -> Scenario:
    """The scenario of `[base]`: preset, file, layout, furniture and changes, in that order."""
    path = _resolve(base.scenario, root) if base.scenario else None
    scenario = load_scenario(path, base.preset)
    changes: dict[str, Any] = {}
    if base.layout is not None:
        changes["ward.layout"] = _layout_ref(base.layout, root)
    if base.furniture is not None:
        changes["ward.furniture"] = base.furniture
    changes.update(base.set)
    return _with(scenario, changes, "[base]")


def load_spec(path: str | Path) -> tuple[Spec, Scenario]:
    """Read and validate a spec file; return it with its base scenario.

    Raises:
        InputError: naming the file, the section or field, the value and what is valid.
    """
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError(source, [Problem("no such experiment file")])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(source, [Problem(f"cannot read: {exc}")]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, [Problem(f"not valid TOML: {exc}")]) from exc
    return spec_from_dict(data, source, path.parent)


def spec_from_dict(data: dict, source: str = "spec", root: Path | None = None) -> tuple[Spec, Scenario]:
    """Validate a spec given as a dict (as parsed from TOML); paths are relative to `root`."""
    root = Path.cwd() if root is None else root
    problems = [
        Problem(f"unknown section {k!r}; {nearest(k, Spec.model_fields)}")
        for k in data
        if k not in Spec.model_fields
    ]
    if problems:
        raise InputError(source, problems)
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, problems_from_pydantic(exc, Spec)) from exc
    base = spec.base
    paths = {"scenario": str(_resolve(base.scenario, root)) if base.scenario else None}
    paths["layout"] = _layout_ref(base.layout, root) if base.layout else None
    spec = spec.model_copy(update={"base": base.model_copy(update=paths)})  # paths absolute from here
    try:
        scenario = spec.scenario()
    except InputError as exc:
        raise InputError(
            source, [Problem(p.format(exc.source), where="[base]") for p in exc.problems]
        ) from exc
    problems = _design_problems(spec) + _factor_problems(spec, scenario, root)
    if problems:
        raise InputError(source, problems)
    if any(k == "ward.layout" for k in spec.factors):
        spec = _with_resolved_layouts(spec, root)
    problems = _ward_problems(spec, scenario)
    if problems:
        raise InputError(source, problems)
    return spec, scenario


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


def _factor_problems(spec: Spec, scenario: Scenario, root: Path) -> list[Problem]:
    """Unknown parameter names, and values (or bounds) the parameter does not accept."""
    keys = parameter_keys()
    problems = []
    for key, factor in spec.factors.items():
        where = f"[factors.{key!r}]"
        if key == PRESET:
            problems += _preset_problems(spec, factor, where)
            continue
        if key not in keys:
            problems.append(Problem(f"unknown parameter; {nearest(key, keys)}", where=where))
            continue
        probes = [factor.min, factor.max] if factor.continuous else factor.levels()
        for value in probes:
            if key == "ward.layout":
                value = _layout_ref(str(value), root)
            try:
                _with(scenario, {key: value}, where)
            except InputError as exc:
                problems += [Problem(f"value {value!r}: {p.message}", where=where) for p in exc.problems]
    return problems


def _ward_problems(spec: Spec, scenario: Scenario) -> list[Problem]:
    """Every layout the sweep uses loads, and has every furniture variant it is run with."""
    from milieusim.scenario import beds_problem
    from milieusim.space.furniture import Arrangement
    from milieusim.space.layout_file import cached_layout

    def values(key: str, default: Any) -> list[Any]:
        factor = spec.factors.get(key)
        return factor.levels() if factor is not None and not factor.continuous else [default]

    problems = []
    for layout_ref in values("ward.layout", scenario.ward.layout):
        where = "[factors.'ward.layout']" if "ward.layout" in spec.factors else "[base] layout"
        try:
            layout = cached_layout(layout_ref)
        except InputError as exc:
            problems += [Problem(p.format(exc.source), where=where) for p in exc.problems]
            continue
        for variant in values("ward.furniture", scenario.ward.furniture):
            try:
                Arrangement(layout, variant)
            except ValueError as exc:
                problems.append(Problem(str(exc), where="ward.furniture"))
        beds = values("ward.beds", scenario.ward.beds)
        problems += [Problem(p, where="ward.beds") for b in beds if (p := beds_problem(b, layout))]
    return problems


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
    bad = [k for k in changes if k not in parameter_keys()]
    if bad:
        raise InputError(
            where, [Problem(f"unknown parameter {k!r}; {nearest(k, parameter_keys())}") for k in bad]
        )
    try:
        return scenario.with_changes(changes)
    except ValidationError as exc:
        raise InputError(where, problems_from_pydantic(exc, Scenario)) from exc


def as_parameter(key: str, value: Any) -> Any:
    """`value` as the parameter's type: a sampled 7.6 for a whole-number parameter becomes 8."""
    if key == PRESET:
        return value
    group, _, name = key.partition(".")
    info = Scenario.model_fields[group].annotation.model_fields.get(name) if name else None
    whole = info is not None and info.annotation in (int, int | None)
    return int(round(value)) if whole and isinstance(value, float) else value


def _resolve(path: str, root: Path) -> Path:
    p = Path(path)
    return p if p.is_absolute() else (root / p).resolve()


def _layout_ref(layout: str, root: Path) -> str:
    """A built-in layout name as it is; a layout file as an absolute path (workers may run elsewhere)."""
    looks_like_file = layout.endswith(".toml") or "/" in layout
    return str(_resolve(layout, root)) if looks_like_file else layout


def _with_resolved_layouts(spec: Spec, root: Path) -> Spec:
    factor = spec.factors["ward.layout"]
    resolved = factor.model_copy(update={"values": [_layout_ref(str(v), root) for v in factor.levels()]})
    return spec.model_copy(update={"factors": {**spec.factors, "ward.layout": resolved}})
