"""The parameter field and the parameter group every scenario group is built from.

`P` declares a parameter with its default, allowed range, unit, meaning and
source: a published source cited by key (`[@bowers2014]`, docs/references.bib),
"calibrated" or "assumption"; `Group` is a frozen group that rejects unknown keys.
"""

from __future__ import annotations

import tomllib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

ASSUMPTION = "assumption"


def P(
    default: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    unit: str = "",
    source: str | None = None,
    doc: str,
) -> Any:
    """A parameter field: default, allowed range, unit, source and meaning.

    A number with no source given is marked an assumption; a choice (text, flag) has no source.
    """
    if source is None:
        source = ASSUMPTION if isinstance(default, int | float) and not isinstance(default, bool) else "-"
    return Field(default, ge=lo, le=hi, description=doc, json_schema_extra={"unit": unit, "source": source})


class Group(BaseModel):
    """A parameter group: frozen, unknown keys rejected, no true/false for a number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_flag_for_a_number(cls, value: Any, info) -> Any:
        # pydantic would read true as 1.0: a flag in place of a number is a mistake to name
        numeric = cls.model_fields[info.field_name].annotation in (int, float, int | None, float | None)
        if isinstance(value, bool) and numeric:
            raise ValueError("give a number, not true/false")
        return value


def parse_assignment(item: str) -> tuple[str, Any]:
    """``"culture.respect=0.8"`` as ``("culture.respect", 0.8)``: the value is TOML, or a bare word.

    Raises:
        ValueError: `item` is not ``key=value``.
    """
    key, sep, raw = item.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValueError(f"{item!r} is not key=value, e.g. culture.respect=0.8")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()  # a bare word: a string such as a layout name
    return key, value
