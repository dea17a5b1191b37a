"""Whether a scenario's ward fits a layout: its furniture variant exists and its beds are drawn.

One check, run before anything is written by `milieusim run`, sweeps (every
layout, furniture variant and number of beds a spec uses) and comparisons
(every plan), so each refuses the same wards with the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from milieusim.space.furniture import furniture_variant
from milieusim.space.layout import Layout
from milieusim.validation import InputError, Problem


def beds_problem(beds: int | None, layout: Layout) -> str | None:
    """Why `beds` (ward.beds) does not fit `layout`, or None: a ward has no more patients than beds drawn."""
    if beds is None or layout.meta.setting != "inpatient" or beds <= layout.meta.beds:
        return None
    return (
        f"ward.beds = {beds} but layout {layout.name!r} has {layout.meta.beds} beds; leave ward.beds "
        f"out to use the plan's own beds, or set it to at most {layout.meta.beds}"
    )


def ward_problems(
    layout: Layout, furniture: str | None = None, furniture_style: str | None = None, beds: int | None = None
) -> list[Problem]:
    """Every way a ward with this furniture (variant or style) and number of beds does not fit `layout`."""
    problems = []
    try:
        furniture_variant(layout, furniture, furniture_style)
    except ValueError as exc:
        problems.append(Problem(str(exc), where="ward.furniture"))
    if (why := beds_problem(beds, layout)) is not None:
        problems.append(Problem(why, where="ward.beds"))
    return problems


def check_ward(layout: Layout, ward, origin: Callable[[str], tuple[str, str]] | None = None) -> str:
    """The furniture variant a run of the scenario's `ward` (`params.Ward`) uses on `layout`.

    `origin(key)` says where the ward's value `key` (``"ward.beds"``) was set, as (source, field):
    a scenario file and its ``[ward] beds``, say. With it, a misfit is named there; without, under
    the layout's file.

    Raises:
        InputError: every way the ward does not fit the layout (with `origin`: the first).
    """
    problems = ward_problems(layout, ward.furniture, ward.furniture_style, ward.beds)
    if problems and origin is None:
        raise InputError(layout.source, problems)
    if problems:
        source, where = origin(problems[0].where)
        raise InputError(source, [replace(problems[0], where=where)])
    return furniture_variant(layout, ward.furniture, ward.furniture_style)
