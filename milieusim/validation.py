"""Turning invalid input into messages a person can act on.

Every file milieusim reads (layouts, scenarios, sweep specs) is checked by a
pydantic model or by hand; both routes end here, as `Problem`s collected into
one `InputError` that names the file, the place and what would be valid.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import BaseModel, ValidationError

#: The command line's exit status for invalid input (a bad file, option or value).
EXIT_USAGE = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and where.

    Attributes:
        message: what is wrong and what would be valid.
        where: the section or field, e.g. ``"[layout] cell_size_m"`` or ``"rooms plan"``.
        line: 1-based line in the file, when known.
        row: 1-based row of a plan, when the problem is at a cell.
        col: 1-based column of a plan, when the problem is at a cell.
        symbol: the character at that cell.
    """

    message: str
    where: str = ""
    line: int | None = None
    row: int | None = None
    col: int | None = None
    symbol: str | None = None

    def format(self, source: str) -> str:
        """One line: ``file:line: where, row R, col C 'x': message``."""
        head = source + (f":{self.line}" if self.line is not None else "")
        parts = [p for p in (self.where,) if p]
        if self.row is not None:
            parts.append(f"row {self.row}, col {self.col}")
        place = ", ".join(parts)
        if self.symbol is not None:
            place += f" {self.symbol!r}"
        return f"{head}: {place}: {self.message}" if place else f"{head}: {self.message}"


class InputError(ValueError):
    """An input file or value is invalid; `problems` lists every problem found."""

    def __init__(self, source: str, problems: Iterable[Problem]):
        self.source = source
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        lines = [p.format(self.source) for p in self.problems]
        if n == 1:
            return lines[0]
        return f"{self.source}: {n} problems\n" + "\n".join("  " + line for line in lines)


def nearest(name: str, valid: Iterable[str]) -> str:
    """A hint naming the closest valid name, or listing the valid names."""
    valid = sorted(valid)
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
    if close:
        return f"did you mean {close[0]!r}?"
    return "valid: " + ", ".join(valid)


def unknown_keys(data: Iterable, valid: Iterable[str], where: str = "", what: str = "key") -> list[Problem]:
    """Problems for keys of `data` not in `valid`, each naming `what` it is and the nearest valid one.

    E.g. ``unknown section 'bsae'; did you mean 'base'?`` with ``what="section"``.
    """
    valid = list(valid)
    return [
        Problem(f"unknown {what} {key!r}; {nearest(str(key), valid)}", where=where)
        for key in data
        if key not in valid
    ]


def read_toml(path: Path | Traversable, source: str | None = None) -> dict:
    """The TOML file at `path` as a dict (`source` names it in errors; default: the path).

    Raises:
        InputError: the file cannot be read or is not valid TOML.
    """
    source = str(path) if source is None else source
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(source, [Problem(f"cannot read: {exc}")]) from exc
    return parse_toml(text, source)


def parse_toml(text: str, source: str) -> dict:
    """TOML text as a dict.

    Raises:
        InputError: not valid TOML, naming `source` and the parser's line and column.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, [Problem(f"not valid TOML: {exc}")]) from exc


def problems_from_pydantic(exc: ValidationError, model: type[BaseModel], where: str = "") -> list[Problem]:
    """Translate a pydantic error into Problems that name the field, value and valid range.

    With `where` (e.g. ``"[layout]"``) places read ``[layout] cell_size_m``; without,
    the first level of the location is the section: ``[culture] respect``.
    """
    problems = []
    for err in exc.errors():
        loc = [str(part) for part in err["loc"]]
        owner, info = _owner_and_field(model, loc)
        place = _place(loc, where)
        if err["type"] == "extra_forbidden":
            fields = owner.model_fields if owner is not None else {}
            parent = _place(loc[:-1], where) if where or len(loc) != 2 else f"[{loc[0]}]"  # the section
            problems += unknown_keys(loc[-1:], fields, where=parent)
            continue
        if err["type"] == "missing":
            problems.append(Problem("required but missing", where=place))
            continue
        allowed = field_range(info) if info is not None else ""
        reason = err["msg"].removeprefix("Value error, ")  # our own validators' words, as they are
        if not loc:  # a check across fields: the input is the whole file, not worth repeating
            problems.append(Problem(reason, where=where))
            continue
        shown = str(err["input"]).lower() if isinstance(err["input"], bool) else repr(err["input"])
        text = f"{shown} is invalid: {reason}"
        if allowed:
            text += f" (allowed: {allowed})"
        problems.append(Problem(text, where=place))
    return problems


def _place(loc: list[str], where: str) -> str:
    """A pydantic location as a place: ``[layout] cell_size_m`` (under `where`), or ``[culture] respect``."""
    if where:
        return f"{where} {'.'.join(loc)}".strip()
    return f"[{loc[0]}] {'.'.join(loc[1:])}".strip() if len(loc) > 1 else ".".join(loc)


def _owner_and_field(model: type[BaseModel], loc: list[str]):
    """The model that owns the last named field of `loc`, and that field's info."""
    owner, info = model, None
    for part in loc:
        fields = getattr(owner, "model_fields", None)
        if not fields or part not in fields:
            break
        info = fields[part]
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            owner = ann
    return owner, info


def field_range(info) -> str:
    """The allowed range of a pydantic field as text, from its constraints."""
    lo = hi = None
    lo_open = hi_open = False
    for meta in info.metadata:
        for attr, is_lo, is_open in (
            ("ge", True, False),
            ("gt", True, True),
            ("le", False, False),
            ("lt", False, True),
        ):
            value = getattr(meta, attr, None)
            if value is None:
                continue
            if is_lo:
                lo, lo_open = value, is_open
            else:
                hi, hi_open = value, is_open
    if lo is None and hi is None:
        return ""
    left = "(" if lo_open else "["
    right = ")" if hi_open else "]"
    return f"{left}{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}{right}"
