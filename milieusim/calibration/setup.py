"""The calibration file: which parameters to fit, their priors, the ward they belong to, and the budget.

A calibration file is TOML::

    [calibration]
    name = "baseline"
    days = 120              # simulated days per run
    replications = 1        # runs per simulation (each its own seed), averaged
    seed = 20261127         # root seed: every simulation's seeds are spawned from it
    population = 40         # accepted particles per generation
    generations = 6         # at most
    min_epsilon = 1.0       # stop once accepted runs lie this close to the targets (RMS of z)
    max_simulations = 2000  # stop after this many simulations
    quantile = 0.5          # each generation's threshold: this quantile of the last one's distances

    [base]                  # the ward, exactly as a sweep's [base]
    layout = "corridor"

    [parameters."conflict.conversion_odds"]  # prior: uniform over the range in params.py,
    min = 0.3                                # or narrower; also loguniform, normal, triangular
    max = 0.7

Only the parameters named here are fitted; every other parameter keeps the base
scenario's value. Priors must lie within the parameter's range in `params.py`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from milieusim.params import Scenario
from milieusim.scenario import parameter_keys
from milieusim.sweep.spec import Base, Spec, with_base
from milieusim.validation import InputError, Problem, nearest, problems_from_pydantic, read_toml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Settings(_Strict):
    """How long each run is, how many, and when the calibration stops."""

    name: str = Field("calibration", description="a name for the calibration")
    days: int = Field(120, ge=1, le=3650, description="simulated days per run")
    replications: int = Field(1, ge=1, le=1000, description="runs per simulation, averaged")
    seed: int = Field(0, ge=0, description="root seed of every simulation's seeds")
    population: int = Field(40, ge=2, le=100_000, description="accepted particles per generation")
    generations: int = Field(6, ge=1, le=100, description="most generations")
    min_epsilon: float = Field(1.0, ge=0, description="stop when the threshold reaches this distance")
    max_simulations: int = Field(2000, ge=1, description="stop after this many simulations")
    quantile: float = Field(0.5, gt=0, lt=1, description="threshold: this quantile of the last distances")


class Prior(_Strict):
    """A parameter's prior: its range in params.py unless narrowed, uniform unless stated."""

    min: float | None = Field(None, description="lower bound (default: the parameter's minimum)")
    max: float | None = Field(None, description="upper bound (default: the parameter's maximum)")
    distribution: Literal["uniform", "loguniform", "normal", "triangular"] = "uniform"
    mean: float | None = Field(None, description="normal: mean (default: the middle)")
    sd: float | None = Field(None, gt=0, description="normal: standard deviation")
    mode: float | None = Field(None, description="triangular: the most likely value")


@dataclass(frozen=True)
class Parameter:
    """A fitted parameter with its prior, checked against its range in params.py."""

    key: str
    low: float
    high: float
    distribution: str
    mean: float | None = None
    sd: float | None = None
    mode: float | None = None

    def scipy_args(self) -> tuple[str, tuple, dict]:
        """The prior as a scipy.stats name, shape arguments and keywords."""
        lo, hi = self.low, self.high
        if self.distribution == "loguniform":
            return "loguniform", (lo, hi), {}
        if self.distribution == "normal":
            mean = (lo + hi) / 2 if self.mean is None else self.mean
            return (
                "truncnorm",
                ((lo - mean) / self.sd, (hi - mean) / self.sd),
                {"loc": mean, "scale": self.sd},
            )
        if self.distribution == "triangular":
            return "triang", ((self.mode - lo) / (hi - lo),), {"loc": lo, "scale": hi - lo}
        return "uniform", (), {"loc": lo, "scale": hi - lo}

    def frozen(self):
        """The prior as a frozen scipy.stats distribution."""
        from scipy import stats

        name, args, kwargs = self.scipy_args()
        return getattr(stats, name)(*args, **kwargs)


@dataclass(frozen=True)
class Setup:
    """A checked calibration file: settings, the base scenario and the fitted parameters."""

    settings: Settings
    base: Base
    scenario: Scenario
    parameters: tuple[Parameter, ...]
    source: str

    def canonical(self) -> dict:
        """The setup as plain data, with the SHA-256 of the files it reads (what --resume compares)."""
        data = {
            "calibration": self.settings.model_dump(mode="json"),
            "base": self.base.model_dump(mode="json"),
            "parameters": {p.key: asdict(p) for p in self.parameters},
        }
        files = Spec(base=self.base).files()
        if files:
            data["input files (sha256)"] = {
                f: hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files
            }
        return data

    def digest(self) -> str:
        """SHA-256 of the canonical setup."""
        return hashlib.sha256(json.dumps(self.canonical()).encode()).hexdigest()


def load_setup(path: str | Path) -> Setup:
    """Read and check a calibration file.

    Raises:
        InputError: naming the file, the section or field, the value and what is valid.
    """
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError(source, [Problem("no such calibration file")])
    return setup_from_dict(read_toml(path, source), source, path.parent)


def setup_from_dict(data: dict, source: str = "calibration", root: Path | None = None) -> Setup:
    """Check a calibration file given as parsed TOML; paths are relative to `root`."""
    root = Path.cwd() if root is None else root
    sections = ("calibration", "base", "parameters")
    problems = [Problem(f"unknown section {k!r}; {nearest(k, sections)}") for k in data if k not in sections]
    settings = _part(Settings, data.get("calibration", {}), "[calibration]", problems)
    base = _part(Base, data.get("base", {}), "[base]", problems)
    raw = data.get("parameters", {})
    if not isinstance(raw, dict) or not raw:
        problems.append(
            Problem('no parameters to fit: add [parameters."group.name"] tables', where="[parameters]")
        )
        raw = {}
    priors = {key: _part(Prior, value, f'[parameters."{key}"]', problems) for key, value in raw.items()}
    if problems:
        raise InputError(source, problems)
    spec, scenario = with_base(Spec(base=base), root, source)  # files named relative to this file
    base = spec.base
    parameters = []
    for key, prior in priors.items():
        found = _parameter(key, prior, scenario)
        if isinstance(found, Parameter):
            parameters.append(found)
        else:
            problems.append(Problem(found, where=f'[parameters."{key}"]'))
    if problems:
        raise InputError(source, problems)
    return Setup(settings, base, scenario, tuple(parameters), source)


def _part(model, data, where: str, problems: list[Problem]):
    """`data` validated as `model`, or its problems appended (and the model's defaults returned)."""
    if not isinstance(data, dict):
        problems.append(Problem("must be a table", where=where))
        return model()
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems += problems_from_pydantic(exc, model, where)
        return model()


def parameter_range(key: str) -> tuple[type, float | None, float | None]:
    """A parameter's type and allowed range (None where unbounded), from its field in params.py."""
    group, _, name = key.partition(".")
    info = Scenario.model_fields[group].annotation.model_fields[name]
    lo = hi = None
    for meta in info.metadata:
        lo = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else lo
        hi = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else hi
    return info.annotation, lo, hi


def _parameter(key: str, prior: Prior, scenario: Scenario) -> Parameter | str:
    """The fitted parameter, or why its name or prior is invalid."""
    keys = parameter_keys()
    if key not in keys or "." not in key:
        return f"unknown parameter; {nearest(key, keys)}"
    kind, lo, hi = parameter_range(key)
    if kind is not float:
        kind_name = getattr(kind, "__name__", str(kind))
        return f"{key} is not a continuous parameter ({kind_name}): only decimal numbers are calibrated"
    low = lo if prior.min is None else prior.min
    high = hi if prior.max is None else prior.max
    if low is None or high is None:
        return f"{key} has no bounded range in params.py: give min and max"
    if lo is not None and low < lo or hi is not None and high > hi:
        return f"prior [{low}, {high}] lies outside the range of {key}, [{lo}, {hi}] (params.py)"
    if not low < high:
        return f"min {low} is not below max {high}"
    if prior.distribution == "loguniform" and low <= 0:
        return "distribution = 'loguniform' needs min > 0"
    if prior.distribution == "normal" and prior.sd is None:
        return "distribution = 'normal' needs sd (and optionally mean)"
    if prior.distribution == "triangular" and not (prior.mode is not None and low <= prior.mode <= high):
        return f"distribution = 'triangular' needs mode between {low} and {high}"
    return Parameter(key, float(low), float(high), prior.distribution, prior.mean, prior.sd, prior.mode)
