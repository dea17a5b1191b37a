"""A sweep's factor: the values of one parameter to run, or an interval with a distribution to sample."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from milieusim.params import Scenario

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


def as_parameter(key: str, value: Any) -> Any:
    """`value` as the parameter's type: a sampled 7.6 for a whole-number parameter becomes 8."""
    if key == PRESET:
        return value
    group, _, name = key.partition(".")
    info = Scenario.model_fields[group].annotation.model_fields.get(name) if name else None
    whole = info is not None and info.annotation in (int, int | None)
    return int(round(value)) if whole and isinstance(value, float) else value
