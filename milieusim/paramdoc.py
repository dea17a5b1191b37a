"""docs/parameters.md, generated from the parameter models so that it cannot drift from the code."""

from __future__ import annotations

from pydantic import BaseModel

from milieusim.params import GROUPS, Scenario
from milieusim.validation import field_range

HEADER = """# Parameters

Generated from `milieusim/params.py` by `make docs`; a test fails when this file is stale.
Every parameter can be set in a scenario file (`[group]` then `name = value`) or on the
command line (`--set group.name=value`). Sources name a row of EVIDENCE.md; "assumption"
marks a number without one; "calibrated" numbers were fitted to the baseline ward's targets
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
    lines.append("| start | end | activity | place | expected from level |")
    lines.append("|---|---|---|---|---|")
    for b in Scenario().time.timetable:
        lines.append(f"| {b.start} | {b.end} | {b.activity} | {b.place} | {b.expected_from} |")
    lines.append("\nLevel rules: `milieusim levels` prints them in words.\n")
    return "\n".join(lines)
