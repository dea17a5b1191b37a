"""Checking a comparison before anything is written, and planning its runs as a sweep.

A plan is a layout (a built-in name or a file), or one furniture variant of a
layout written ``LAYOUT:VARIANT`` (``corridor:sociofugal``). Every layout is
loaded and checked against the scenario, and every problem of every plan is
reported at once. The runs are a sweep whose one factor is the layout, or the
furniture when the plans are variants of one layout, so each replicate has the
same seed on every plan (common random numbers).
An output folder that holds the same comparison is continued; one that holds
anything else is refused, untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from milieusim.params import Scenario
from milieusim.scenario import load_scenario, source_of
from milieusim.space.layout import Layout
from milieusim.space.layout_file import cached_layout, layout_ref
from milieusim.space.ward_check import check_ward
from milieusim.sweep import Spec
from milieusim.sweep.store import spec_changes
from milieusim.validation import InputError, Problem, problems_from_pydantic

FACTOR = "ward.layout"
FURNITURE = "ward.furniture"
SWEEP_DIR = "sweep"


@dataclass(frozen=True)
class Plan:
    """One layout in a comparison: what the runs load (`ref`), the name shown, the layout, its furniture."""

    ref: str
    label: str
    layout: Layout
    variant: str  # the furniture variant the runs use (the model's rule: Arrangement)
    value: str = ""  # the sweep factor's value of this plan (the layout's ref, or the variant)


@dataclass
class ComparisonPlan:
    """A checked comparison, ready to run: nothing has been written yet."""

    plans: list[Plan]
    spec: Spec
    base: Scenario
    out: Path
    resume: bool
    scenario_source: str
    factor: str = FACTOR  # what the plans differ in: ward.layout, or ward.furniture (variants of one layout)

    @property
    def sweep_dir(self) -> Path:
        """Where the runs are stored (a sweep results folder)."""
        return self.out / SWEEP_DIR


class LayoutErrors(InputError):
    """Problems in several layout files, each reported under its own file."""

    def __init__(self, errors: list[InputError]):
        self.errors = errors
        super().__init__("layouts", [p for e in errors for p in e.problems])

    def _text(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def plan_comparison(
    layouts: list[str],
    *,
    scenario_file: str | Path | None = None,
    preset: str | None = None,
    replications: int = 10,
    days: int | None = None,
    seed: int = 0,
    out: str | Path = "out/compare",
) -> ComparisonPlan:
    """Check the layouts, the scenario and the output folder; plan the runs. Writes nothing.

    Every layout is found (`layout_ref`: a file, else a built-in name), loaded and
    checked against the scenario's ward (`check_ward`: furniture variant, beds), and
    every problem of every layout is reported at once. ``LAYOUT:VARIANT`` names one
    furniture variant of a layout; plans that are variants of one layout compare the
    furniture (plain ``LAYOUT`` among them: the variant the scenario gives it).

    Raises:
        InputError: a bad layout, scenario, option or output folder, naming it and what is valid.
    """
    problems = []
    if len(layouts) < 2:
        problems.append(Problem(f"give at least two layouts to compare (got {len(layouts)})"))
    if replications < 2:
        problems.append(
            Problem(
                f"replications {replications}: confidence intervals need at least 2 (10 or more is better)"
            )
        )
    if days is not None and not 1 <= days <= 3650:
        problems.append(Problem(f"days {days}: give 1 to 3650"))
    if seed < 0:
        problems.append(Problem(f"seed {seed}: give 0 or more"))
    if problems:
        raise InputError("compare", problems)
    scenario = load_scenario(scenario_file, preset)
    plans, factor = _check_layouts(layouts, scenario, scenario_file, preset)
    base = {k: v for k, v in (("preset", preset), ("scenario", _abs(scenario_file))) if v is not None}
    if factor == FURNITURE:
        base["layout"] = plans[0].ref
    data = {
        "experiment": {
            "name": "compare",
            "description": "layout comparison",
            "design": "full_factorial",
            "replications": replications,
            "days": days or scenario.time.days,
            "seed": seed,
            "outputs": ["daily", "spatial"],
        },
        "base": base,
        "factors": {factor: {"values": [p.value for p in plans]}},
    }
    try:  # the layouts and the scenario are checked above: the spec only holds them
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise InputError("compare", problems_from_pydantic(exc, Spec)) from exc
    out = Path(out)
    source = f"file {scenario_file}" if scenario_file else f"preset {preset}" if preset else "the defaults"
    return ComparisonPlan(plans, spec, scenario, out, _resumable(out, spec), source, factor)


def _check_layouts(
    layouts: list[str], scenario: Scenario, scenario_file: str | Path | None = None, preset: str | None = None
) -> tuple[list[Plan], str]:
    """Every plan found, loaded and checked against the scenario's ward; every problem of every plan.

    Returns the plans and the factor they differ in (`FACTOR`, or `FURNITURE` for variants
    of one layout). A scenario value a plan cannot take is named where it was set (the
    scenario file's field, the preset).
    """
    errors, loaded, seen = [], [], {}

    def origin(key: str) -> tuple[str, str]:
        return source_of(key, scenario_file, preset, {})

    for given in layouts:
        try:
            ref, asked = _candidate(given)
            layout = cached_layout(ref)
            ward = scenario.ward if asked is None else scenario.ward.model_copy(update={"furniture": asked})
            if asked is not None and asked not in layout.furniture:
                raise InputError(
                    given,
                    [
                        Problem(
                            f"layout {layout.name!r} has no furniture variant {asked!r}; its variants: "
                            f"{', '.join(layout.furniture)} (written {given.rpartition(':')[0]}:VARIANT)"
                        )
                    ],
                )
            variant = check_ward(layout, ward, origin)
        except InputError as exc:
            errors.append(exc)
            continue
        key = (ref, variant)
        if key in seen:
            also = "" if seen[key] == given else f" (also as {seen[key]!r})"
            errors.append(InputError(given, [Problem(f"listed twice{also}; list each plan once")]))
            continue
        seen[key] = given
        loaded.append((given, ref, layout, variant, asked))
    if errors:
        raise errors[0] if len(errors) == 1 else LayoutErrors(errors)
    refs = list(dict.fromkeys(ref for _, ref, _, _, _ in loaded))
    named = any(asked is not None for *_, asked in loaded)
    if len(refs) == len(loaded) and not named:  # layouts, each with the furniture the scenario gives it
        names = [layout.name for _, _, layout, _, _ in loaded]
        return [
            Plan(ref, layout.name if names.count(layout.name) == 1 else given, layout, variant, ref)
            for given, ref, layout, variant, _ in loaded
        ], FACTOR
    if len(refs) > 1:  # a variant beside another layout: the runs could not keep it apart
        raise InputError(
            "compare",
            [
                Problem(
                    "compare either different layouts, or furniture variants of one layout "
                    f"(e.g. corridor:sociopetal corridor:sociofugal); got {' '.join(layouts)}"
                )
            ],
        )
    return [
        Plan(ref, f"{layout.name} ({variant})", layout, variant, variant)
        for _, ref, layout, variant, _ in loaded
    ], FURNITURE


def _candidate(given: str) -> tuple[str, str | None]:
    """A plan as given: (layout reference, the furniture variant it names or None).

    ``LAYOUT:VARIANT`` names a variant; a file or built-in name is taken whole first, so a
    path with a colon in it still names its file.

    Raises:
        InputError: no such layout, saying where it looked.
    """
    try:
        return layout_ref(given), None
    except InputError as whole:
        layout, sep, variant = given.rpartition(":")
        if not sep or not layout or not variant:
            raise
        try:
            return layout_ref(layout), variant
        except InputError:
            raise whole from None


def _abs(path: str | Path | None) -> str | None:
    return None if path is None else str(Path(path).resolve())


def _resumable(out: Path, spec: Spec) -> bool:
    """True when `out` holds this very comparison, unfinished or finished; False when it is new or empty.

    Raises:
        InputError: `out` holds something else; nothing is touched.
    """
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        return False
    spec_file = out / SWEEP_DIR / "spec.json"
    if not spec_file.is_file():
        raise InputError(
            str(out), [Problem("folder is not empty and holds no comparison; choose another output folder")]
        )
    changes = spec_changes(json.loads(spec_file.read_text()), spec.canonical())
    if changes:
        raise InputError(
            str(out),
            [
                Problem(
                    "holds a comparison of other plans or settings; choose another output folder, "
                    "or delete this one to start again"
                )
            ]
            + [Problem(c) for c in changes[:10]],
        )
    return True
