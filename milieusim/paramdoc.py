"""docs/parameters.md, generated from the parameter models so that it cannot drift from the code."""

from __future__ import annotations

from pydantic import BaseModel

from milieusim.docblocks import timetable_table
from milieusim.params import GROUPS, Scenario
from milieusim.validation import field_range

HEADER = """# Parameters

Generated from `milieusim/params.py` by `make docs`; a test fails when this file is stale.
Every parameter can be set in a scenario file (`[group]` then `name = value`) or on the
command line (`--set group.name=value`). A source cites a published source by key, as `[@rcpsych2011]`
(docs/references.bib; docs/evidence.md lists what each gives), `[dir: @owen1998]` where the source
gives the direction of the effect and the magnitude is assumed; "assumption" marks a number
without a source; "calibrated" numbers were fitted to the baseline ward's targets
(docs/validation.md).
"""


def _default(value) -> str:
    if isinstance(value, tuple):
        return f"{len(value)} entries (see below)"
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "(from layout)"
    return (
        str(value).lower()
        if isinstance(value, bool)
        else f"{value:g}"
        if isinstance(value, float)
        else str(value)
    )


def calibrated_parameters() -> list[str]:
    """The parameters whose source says they were calibrated, as ``group.field``, in document order."""
    found = []
    for name, info in Scenario.model_fields.items():
        if info.annotation in GROUPS:
            for field, f in info.annotation.model_fields.items():
                if (f.json_schema_extra or {}).get("source", "").startswith("calibrated"):
                    found.append(f"{name}.{field}")
    return found


def parameters_markdown() -> str:
    """The whole of docs/parameters.md."""
    lines = [HEADER]
    for name, info in Scenario.model_fields.items():
        group = info.annotation
        if not (isinstance(group, type) and issubclass(group, BaseModel)) or group not in GROUPS:
            continue
        lines.append(f"## `{name}`: {group.__doc__.strip().splitlines()[0]}\n")
        lines.append("| parameter | unit | range | default | source | meaning |")
        lines.append("|---|---|---|---|---|---|")
        for field, f in group.model_fields.items():
            extra = f.json_schema_extra or {}
            rng = field_range(f) or "-"
            lines.append(
                f"| `{name}.{field}` | {extra.get('unit', '') or '-'} | {rng} | {_default(f.default)} "
                f"| {extra.get('source', '-')} | {f.description or ''} |"
            )
        lines.append("")
    lines.append("## Tables\n")
    lines.append("`time.timetable` and `levels.rules` are tables (`[[time.timetable]]`, `[[levels.rules]]`);")
    lines.append("a scenario that gives one replaces the whole default. The defaults:\n")
    lines.append(timetable_table())
    lines.append("\nLevel rules: `milieusim levels` prints them in words.\n")
    return "\n".join(lines)
