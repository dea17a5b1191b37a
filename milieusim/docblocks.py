"""Numbers and tables of docs/ODD.md generated from the code, so that the description cannot drift.

A generated block in a Markdown document sits between two markers::

    <!-- generated: level-rules -->
    ...whatever `BLOCKS["level-rules"]()` returns...
    <!-- end -->

`render` rewrites every block from the code (`make docs`); `drifts` lists the
blocks whose text no longer matches, each named by the section it stands in,
so a test can say which part of the description a change in `rules/` or
`space/` made stale. The functions read the constants when called, not at
import, so the checks see the code as it is. `blocks` and `render` also serve
docs/TRACE.md, whose blocks are marked ``<!-- trace: NAME -->`` and made from
runs (`trace_report.write_trace`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from milieusim import docblocks_conflict, params_tables, statevars
from milieusim.rules import course
from milieusim.space import informal, seating

START = re.compile(r"^<!-- generated: ([\w-]+) -->$")
END = "<!-- end -->"
_HEADING = re.compile(r"^#+\s+(?:(\d+(?:\.\d+)*)\.?\s+)?(.*?)(?:\s+\(.*)?$")


class DocBlockError(ValueError):
    """A document's generated blocks are malformed; the message names the line."""


@dataclass(frozen=True)
class Drift:
    """A generated block whose text no longer matches the code."""

    name: str
    section: str
    line: int

    def __str__(self) -> str:
        return f"{self.section} (line {self.line}): block {self.name!r} no longer matches the code"


def timetable_table() -> str:
    """The default timetable (`params_tables.DEFAULT_TIMETABLE`); gaps are free time."""
    rows = ["| start | end | activity | place | expected from level |", "|---|---|---|---|---|"]
    for b in params_tables.DEFAULT_TIMETABLE:
        rows.append(f"| {b.start} | {b.end} | {b.activity} | {b.place} | {b.expected_from} |")
    return "\n".join(rows)


def level_rules_table() -> str:
    """The default promotion rules (`params_tables.DEFAULT_LEVEL_RULES`)."""
    rows = ["| rule | min days | criteria (window days) |", "|---|---|---|"]
    for r in params_tables.DEFAULT_LEVEL_RULES:
        crit = "; ".join(f"{c.measure} {c.op} {c.value:g} ({c.window_days})" for c in r.criteria)
        rows.append(f"| L{r.from_level} to L{r.to_level} | {r.min_days} | {crit} |")
    return "\n".join(rows)


def seat_weights_table() -> str:
    """Relative conversation rates of seat relations (`space/seating.py: SOMMER_WEIGHT`)."""
    rows = ["| seat relation | relative conversation rate |", "|---|---|"]
    for relation, weight in seating.SOMMER_WEIGHT.items():
        rows.append(f"| {relation.value.replace('_', ' ')} | {weight:.3g} |")
    rows.append("")
    rows.append(
        f"Seats farther apart than `CONVERSATION_RANGE_M` = {seating.CONVERSATION_RANGE_M:g} m "
        "(centre to centre) make no group [A]. Relative rates after Sommer, reported by [@hall1966]."
    )
    return "\n".join(rows)


def recovery_multipliers_table() -> str:
    """The milieu's multipliers of the daily recovery rate (`rules/course.py`)."""
    a, t = course.ATTENDANCE_GAIN, course.TRUST_GAIN
    f, c = course.FAMILY_SESSION_GAIN, course.CONTAINMENT_SETBACK
    rows = [
        "| constant | value | in the rule | source |",
        "|---|---|---|---|",
        f"| `ATTENDANCE_GAIN` | {a:g} | rate x (1 + {a:g} x att): full attendance x{1 + a:g} | "
        "[dir: @gunderson1978] |",
        f"| `TRUST_GAIN` | {t:g} | rate x ({t:g} x trust + 0.5): x{t + 0.5:g} at trust 1, x0.5 at trust 0 | "
        "[dir: @gunderson1978] |",
        f"| `FAMILY_SESSION_GAIN` | {f:g} | rate x {1 + f:g} on a day with a family session | "
        "[dir: @pharoah2010] |",
        f"| `CONTAINMENT_SETBACK` | {c:g} | severity + {c:g} on a day with containment | [A] |",
    ]
    return "\n".join(rows)


def proxemic_zones_table() -> str:
    """Hall's zones and how agitation and facing change them (`space/informal.py`)."""
    i, p, s = informal.HALL_INTIMATE_M, informal.HALL_PERSONAL_M, informal.HALL_SOCIAL_M
    w, b = informal.AGITATION_WIDENING, informal.BACK_FACTOR
    rows = [
        "| zone | from (m) | to (m) |",
        "|---|---|---|",
        f"| intimate | 0 | {i:g} |",
        f"| personal | {i:g} | {p:g} |",
        f"| social | {p:g} | {s:g} |",
        f"| public | {s:g} | - |",
        "",
        f"Zone edges [@hall1966] are times `sensitivity` and times (1 + {w:g} x agitation), so x{1 + w:g} "
        f"at full agitation [@kinzel1970]; behind a seated person they reach {b:g} times as far [A].",
    ]
    return "\n".join(rows)


#: Every generated block, by the name its markers carry.
BLOCKS: dict[str, Callable[[], str]] = {
    "timetable": timetable_table,
    "level-rules": level_rules_table,
    "seat-weights": seat_weights_table,
    "recovery-multipliers": recovery_multipliers_table,
    "proxemic-zones": proxemic_zones_table,
    "state-variables": statevars.state_table,
    "conversion-terms": docblocks_conflict.conversion_terms_table,
    "kind-weights": docblocks_conflict.kind_weights_table,
    "responses": docblocks_conflict.responses_table,
    "containments": docblocks_conflict.containments_table,
}


def _section(lines: list[str], index: int) -> str:
    """The heading a line stands under, as "§7.14 Levels" (or the heading's text)."""
    for line in reversed(lines[:index]):
        m = _HEADING.match(line)
        if m and line.startswith("#"):
            number, title = m.groups()
            return f"§{number} {title}" if number else title
    return "(before the first heading)"


def blocks(text: str, makers=None, start: re.Pattern = START) -> list[tuple[str, int, int]]:
    """Each generated block of `text`: name, index of its start marker, index of its end marker.

    `makers` (default `BLOCKS`) names the known blocks; `start` matches a start marker and
    captures the name (docs/TRACE.md marks its blocks ``<!-- trace: NAME -->``).

    Raises:
        DocBlockError: an unknown name, a block left open, or an end with no start.
    """
    makers = BLOCKS if makers is None else makers
    found, open_at = [], None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if m := start.match(line.strip()):
            if open_at is not None:
                raise DocBlockError(f"line {i + 1}: block opened inside the block of line {open_at + 1}")
            if m.group(1) not in makers:
                raise DocBlockError(
                    f"line {i + 1}: no generated block {m.group(1)!r}; known: {sorted(makers)}"
                )
            open_at, name = i, m.group(1)
        elif line.strip() == END:
            if open_at is None:
                raise DocBlockError(f"line {i + 1}: {END} with no block open")
            found.append((name, open_at, i))
            open_at = None
    if open_at is not None:
        raise DocBlockError(f"line {open_at + 1}: block {name!r} has no {END}")
    return found


def render(text: str, makers=None, start: re.Pattern = START) -> str:
    """`text` with every generated block rewritten from the code (`makers`, default `BLOCKS`)."""
    makers = BLOCKS if makers is None else makers
    lines = text.split("\n")
    for name, first, end in reversed(blocks(text, makers, start)):
        lines[first + 1 : end] = makers[name]().split("\n")
    return "\n".join(lines)


def drifts(text: str) -> list[Drift]:
    """The blocks of `text` that no longer match the code, and registered blocks it lacks."""
    lines = text.split("\n")
    found = blocks(text)
    stale = [
        Drift(name, _section(lines, start), start + 1)
        for name, start, end in found
        if "\n".join(lines[start + 1 : end]) != BLOCKS[name]()
    ]
    present = {name for name, _, _ in found}
    stale += [Drift(name, "(missing from the document)", 0) for name in BLOCKS if name not in present]
    return stale
