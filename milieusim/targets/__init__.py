"""Calibration targets: a ward's observed figures, their uncertainty and where each comes from.

A targets file is TOML, one table per target::

    [target.aggressive]
    quantity = "aggressive incidents per 100 occupied bed-days"
    summary = "aggressive_per_100_obd"   # or: table = "daily", column = "trust", stat = "mean"
    value = 1.8
    band = [1.4, 2.2]                    # or: se = 0.2 (a standard error)
    source = "Abderhalden et al. (2007), Clin Pract Epidemiol Ment Health 3:30"
    weight = 1.0                         # 0: reported, not fitted

A target is a scalar (a summary key, or a statistic of a table column) or a
pattern: a column by day (``stat = "by_day"``, e.g. patients at level 1 over
the first weeks) or the share of the day's events in each hour
(``table = "time_of_day"``, ``stat = "by_hour"``). The built-in
`baseline.toml` holds the calibration targets of the neutral baseline ward.

A target is *met* when an interval of the model (a 95% confidence interval
of the mean over seeds, or a 95% posterior predictive interval) lies within
its band; a standard error stands for the band value ± 1.96 se. An interval
wholly below or above the band is a miss; one that crosses an edge is unclear.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from milieusim.outcomes import REGISTRY
from milieusim.validation import InputError, Problem, nearest, read_toml, unknown_keys

BUILTIN = resources.files("milieusim.targets")
#: The normal quantile that turns a standard error into a 95% band.
Z95 = 1.959964
SCALAR_STATS = ("mean", "median", "sum", "last")
TABLES = ("daily", "stays", "time_of_day")
#: The columns of the per-hour profile (`Results.time_of_day`), in its order.
HOUR_COLUMNS = ("incidents", "encounters", "presence")
FIELDS = (
    "quantity",
    "summary",
    "table",
    "column",
    "stat",
    "value",
    "band",
    "se",
    "source",
    "weight",
    "as_published",
    "note",
)


@dataclass(frozen=True)
class Target:
    """One observed quantity.

    Attributes:
        name: the target's key in the file.
        quantity: what it is, in words.
        summary: the summary key it is computed from, or None for a table target.
        table, column, stat: the table column and statistic, for a table target.
        value: the observed value (one per element for a pattern).
        low, high: the band (value ± 1.96 se for a standard error), per element.
        scale: the distance unit per element: the standard error, or half the band.
        source: author and year of the figure.
        weight: its weight in the distance (0: reported, not fitted).
        as_published: the figure as its source gives it, e.g. "about 1.8".
        note: why it is weighted as it is, or what the model counts.
    """

    name: str
    quantity: str
    summary: str | None
    table: str | None
    column: str | None
    stat: str
    value: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    scale: tuple[float, ...]
    source: str
    weight: float
    as_published: str
    note: str

    @property
    def pattern(self) -> bool:
        """True for a pattern (several values), False for a scalar."""
        return self.stat in ("by_day", "by_hour")

    @property
    def observed(self) -> float | np.ndarray:
        """The observed value: a float, or an array for a pattern."""
        return np.array(self.value) if self.pattern else self.value[0]

    def measure(self, res) -> float | np.ndarray:
        """The target's quantity in a run's `Results` (NaN where the run has no value)."""
        if self.summary is not None:
            v = res.summary.get(self.summary)
            return np.nan if v is None else float(v)
        if self.table == "time_of_day":
            counts = np.asarray(res.time_of_day)[:, HOUR_COLUMNS.index(self.column)]
            total = counts.sum()
            return counts / total if total else np.full(24, np.nan)
        x = getattr(res, self.table)[self.column].astype(float).to_numpy()
        if self.stat == "by_day":
            out = np.full(len(self.value), np.nan)
            out[: min(len(x), len(out))] = x[: len(out)]
            return out
        if not len(x):
            return np.nan
        return float({"mean": np.nanmean, "median": np.nanmedian, "sum": np.nansum}.get(self.stat, _last)(x))

    def z(self, simulated) -> np.ndarray:
        """Distance of `simulated` from the observed value, per element, in units of `scale`."""
        return (np.atleast_1d(np.asarray(simulated, dtype=float)) - np.array(self.value)) / np.array(
            self.scale
        )

    def source_of(self) -> str:
        """Where the target is computed from, in words."""
        if self.summary is not None:
            return f"summary {self.summary}"
        return f"{self.table}.{self.column} ({self.stat})"


def _last(x: np.ndarray) -> float:
    return x[-1]


def verdict(low: float, high: float, band_low: float, band_high: float) -> str:
    """``meets``, ``below``, ``above`` or ``unclear``: an interval of the model against a band.

    Meets when the whole interval lies within the band; below (above) when it lies wholly
    below (above); unclear when it crosses an edge (more seeds or draws would tell) or is unknown.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return "unclear"
    if high < band_low:
        return "below"
    if low > band_high:
        return "above"
    return "meets" if band_low <= low and high <= band_high else "unclear"


def builtin_names() -> list[str]:
    """Names of the built-in targets files."""
    return sorted(p.name.removesuffix(".toml") for p in BUILTIN.iterdir() if p.name.endswith(".toml"))


def load_targets(ref: str | Path) -> list[Target]:
    """Read and check a targets file: a path, or the name of a built-in file (``baseline``).

    Raises:
        InputError: naming the file, the target and the field, and what would be valid.
    """
    ref = str(ref)
    if ref in builtin_names() and not Path(ref).is_file():
        return targets_from_dict(read_toml(BUILTIN / f"{ref}.toml", f"targets {ref}"), f"targets {ref}")
    if not Path(ref).is_file():
        raise InputError(
            ref, [Problem(f"no such targets file; built-in targets: {', '.join(builtin_names())}")]
        )
    return targets_from_dict(read_toml(Path(ref), ref), ref)


def targets_from_dict(data: dict, source: str = "targets") -> list[Target]:
    """Check targets given as parsed TOML; see `load_targets`."""
    problems = unknown_keys(data, ("target",), "")
    tables = data.get("target", {})
    if not isinstance(tables, dict) or not tables:
        problems.append(Problem("no targets: add at least one [target.NAME] table", where="[target]"))
        raise InputError(source, problems)
    targets = []
    for name, fields in tables.items():
        where = f"[target.{name}]"
        if not isinstance(fields, dict):
            problems.append(Problem("must be a table of fields", where=where))
            continue
        found = _target(name, fields, where)
        if isinstance(found, Target):
            targets.append(found)
        else:
            problems += found
    if not problems and not any(t.weight > 0 for t in targets):
        problems.append(Problem("every weight is 0: at least one target must be fitted", where="weight"))
    if problems:
        raise InputError(source, problems)
    return targets


def _target(name: str, f: dict, where: str) -> Target | list[Problem]:
    """One target, or the problems with its fields."""
    problems = unknown_keys(f, FIELDS, where)

    def bad(field: str, message: str) -> None:
        problems.append(Problem(message, where=f"{where} {field}"))

    for field in ("quantity", "source"):
        if not isinstance(f.get(field), str) or not f[field].strip():
            bad(
                field,
                "required: " + ("what is observed, in words" if field == "quantity" else "author and year"),
            )
    summary, table, column = f.get("summary"), f.get("table"), f.get("column")
    stat = f.get("stat", "by_hour" if table == "time_of_day" else "mean")
    if (summary is None) == (table is None):
        bad("summary", 'give either summary = "<summary key>" or table and column')
    elif summary is not None and not isinstance(summary, str):
        bad("summary", f"{summary!r} is not a summary key name")
    elif summary is not None and summary not in REGISTRY:
        bad("summary", f"unknown outcome {summary!r}; {nearest(summary, REGISTRY)}")
    elif table is not None:
        if table not in TABLES:
            bad("table", f"unknown table {table!r}; {nearest(str(table), TABLES)}")
        elif not isinstance(column, str):
            bad("column", f"required with table = {table!r}: the column to compute from")
        elif table == "time_of_day" and column not in HOUR_COLUMNS:
            bad("column", f"unknown column {column!r} of time_of_day; {nearest(column, HOUR_COLUMNS)}")
        valid = (
            ("by_hour",)
            if table == "time_of_day"
            else (*SCALAR_STATS, "by_day")
            if table == "daily"
            else SCALAR_STATS
        )
        if stat not in valid:
            bad("stat", f"{stat!r} is not a statistic of {table}; valid: {', '.join(valid)}")
    if summary is not None and "stat" in f:
        bad("stat", "a summary target is one number: leave stat out")
    weight = f.get("weight", 1.0)
    if not _number(weight) or weight < 0:
        bad("weight", f"{weight!r} is invalid: a number, 0 or more")
    value, band, se = f.get("value"), f.get("band"), f.get("se")
    pattern = stat in ("by_day", "by_hour")
    n = 24 if stat == "by_hour" else len(value) if pattern and isinstance(value, list) else 1
    values = _numbers(value, n, pattern)
    if (band is None) == (se is None):
        bad("band", "give either band = [low, high] or se = <standard error>")
        return problems
    if se is not None:
        ses = _numbers(se, n, pattern and isinstance(se, list))
        if ses is None or any(s <= 0 for s in ses):
            bad("se", f"{se!r} is invalid: a standard error above 0" + (f" (one, or {n})" if pattern else ""))
            return problems
        if values is None:
            bad("value", f"{value!r} is invalid: " + (f"a list of {n} numbers" if pattern else "a number"))
            return problems
        low = tuple(v - Z95 * s for v, s in zip(values, ses, strict=True))
        high = tuple(v + Z95 * s for v, s in zip(values, ses, strict=True))
        scale = tuple(ses)
    else:
        pairs = [band] if not pattern else band if isinstance(band, list) and len(band) == n else None
        if pairs is None or not all(
            isinstance(p, list) and len(p) == 2 and all(map(_number, p)) for p in pairs
        ):
            bad("band", f"{band!r} is invalid: [low, high]" + (f", or {n} such pairs" if pattern else ""))
            return problems
        for lo, hi in pairs:
            if not lo < hi:
                bad("band", f"low {lo} is not below high {hi}: a band is [low, high] with low < high")
                return problems
        if value is None:
            values = tuple((lo + hi) / 2 for lo, hi in pairs)
        elif values is None:
            bad("value", f"{value!r} is invalid: " + (f"a list of {n} numbers" if pattern else "a number"))
            return problems
        for v, (lo, hi) in zip(values, pairs, strict=True):
            if not lo <= v <= hi:
                bad("value", f"{v} lies outside its band [{lo}, {hi}]")
                return problems
        low, high = tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
        scale = tuple((hi - lo) / 2 for lo, hi in pairs)
    if problems:
        return problems
    shown = f.get("as_published") or (f"{values[0]:g}" if not pattern else f"{n} values")
    return Target(
        name=name,
        quantity=f["quantity"].strip(),
        summary=summary,
        table=table,
        column=column,
        stat=stat if table is not None else "value",
        value=tuple(values),
        low=low,
        high=high,
        scale=scale,
        source=f["source"].strip(),
        weight=float(weight),
        as_published=str(shown),
        note=str(f.get("note", "")),
    )


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _numbers(x: Any, n: int, as_list: bool) -> tuple[float, ...] | None:
    """`x` as `n` floats: one number repeated, or a list of n; None when it is neither."""
    if as_list:
        if isinstance(x, list) and len(x) == n and all(map(_number, x)):
            return tuple(float(v) for v in x)
        return None
    return (float(x),) * n if _number(x) else None


def outcome_problems(targets: list[Target], res) -> list[Problem]:
    """Table targets naming a column that a run's table does not have.

    Summary keys are checked when the file is read, against the registry of outcomes
    (`milieusim.outcomes`); a table's columns are known from a run.
    """
    problems = []
    for t in targets:
        if t.table in ("daily", "stays"):
            columns = list(getattr(res, t.table).columns)
            if t.column not in columns:
                problems.append(
                    Problem(
                        f"no column {t.column!r} in {t.table}; {nearest(t.column, columns)}",
                        where=f"[target.{t.name}] column",
                    )
                )
    return problems
