"""Tables for teaching: each patient followed day by day, and scenarios compared over seeds.

The notebooks (notebooks/) call these. They observe the model and add no rules:
`follow` runs a model a day at a time (the same run as `run`, step for step) and
reads each patient's day record after midnight; `waiting_on` says which level
criteria stand between a patient and promotion, as the next review would judge
them without noise; `replicate` runs scenarios over seeds with common random
numbers, and `difference_table` shows their paired differences to read (the
means, intervals and differences themselves are `paired.py`'s); `seated_conversations`
isolates what a furniture arrangement alone does to conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from milieusim.metrics import Results, results
from milieusim.model import MilieuModel
from milieusim.outcomes import REGISTRY, label, scale
from milieusim.paired import differences
from milieusim.params import Scenario
from milieusim.rules import levels as lv
from milieusim.rules.interaction import ENCOUNTER_RATE_PER_HOUR
from milieusim.runner import run
from milieusim.space.furniture import Arrangement
from milieusim.space.seating import seat_pair_weight
from milieusim.space.symbols import Zone

#: Columns of `Followed.patient_days`: the patient's state at the end of a day and that day's record.
PATIENT_DAY_COLUMNS = [
    "day",
    "patient",
    "admitted_day",
    "level",
    "days_at_level",
    "severity",
    *(f.name for f in fields(lv.DayRecord)),
    "waiting_on",
]


@dataclass
class Followed:
    """A run followed day by day: its tables, one row per patient per day, and the model at the end."""

    results: Results
    patient_days: pd.DataFrame
    model: MilieuModel


def waiting_on(patient, rules) -> str:
    """What keeps `patient` at their level at the next review, judged without noise.

    One of: ``"top level"`` (no rule promotes from it), ``"days at level"`` (the rule's
    minimum not yet served), ``"days recorded"`` (a look-back window not yet filled), the
    unmet criteria's measures (in words) joined by ``", "``, or ``""`` when every criterion is met.
    """
    rule = next((r for r in rules if r.from_level == patient.level), None)
    if rule is None:
        return "top level"
    if patient.days_at_level < rule.min_days:
        return "days at level"
    if any(len(patient.log) < c.window_days for c in rule.criteria):
        return "days recorded"
    return ", ".join(
        c.measure.replace("_", " ")
        for c in rule.criteria
        if not lv.met(lv.measure(patient.log, c.measure, c.window_days), c)
    )


def patient_day_rows(model: MilieuModel) -> list[dict]:
    """One row per current patient for the day just closed (call between days)."""
    rules = model.params.levels.rules
    return [
        {
            "day": model.clock.day,
            "patient": p.unique_id,
            "admitted_day": p.admitted_day,
            "level": p.level,
            "days_at_level": p.days_at_level,
            "severity": p.severity,
            **asdict(p.log[-1]),
            "waiting_on": waiting_on(p, rules),
        }
        for p in model.flow.patients()
        if p.log
    ]


def follow(scenario: Scenario | None = None, seed: int = 0, days: int | None = None) -> Followed:
    """Run `scenario` with `seed` a day at a time, keeping every patient's end-of-day state.

    The tables are those `run(scenario, seed, days)` returns.
    """
    model = MilieuModel(scenario, rng=seed)
    days = model.params.time.days if days is None else days
    rows: list[dict] = []
    for _ in range(days):
        model.run(1)
        rows += patient_day_rows(model)
    return Followed(results(model), pd.DataFrame(rows, columns=PATIENT_DAY_COLUMNS), model)


def replicate(
    scenarios: dict[str, Scenario],
    seeds: list[int],
    days: int,
    extra: Callable[[Results], dict] | None = None,
) -> pd.DataFrame:
    """The summary of every scenario with every seed: one row per run (`scenario`, `seed`, summary keys).

    Every scenario sees the same seeds, so differences between them are paired
    (common random numbers: the same patients are admitted in the same order).
    `extra(results)` may add measures of its own to each row.
    """
    rows = []
    for name, scenario in scenarios.items():
        for seed in seeds:
            res = run(scenario, seed, days)
            rows.append({**res.summary, **(extra(res) if extra else {}), "scenario": name, "seed": seed})
    return pd.DataFrame(rows)


def difference_table(
    table: pd.DataFrame,
    reference: str,
    measures: list[str],
    by: str = "scenario",
    labels: dict | None = None,
    bounds: dict | None = None,
) -> pd.DataFrame:
    """Mean paired difference from `reference` and its 95% interval, one row per scenario and measure.

    Pairs are runs with the same seed (`paired.differences`). Columns: `by`,
    ``measure`` (its label: from `labels`, else the outcome registry), ``difference``,
    ``unit`` (shares in percentage points) and ``95% interval`` (``-`` where there is
    none, e.g. with one seed). `bounds` gives the bounds of measures the registry does not know.
    """
    d = differences(table, by, reference, measures, bounds=bounds)
    k = d["outcome"].map(scale)
    return pd.DataFrame(
        {
            by: d[by],
            "measure": d["outcome"].map(lambda m: (labels or {}).get(m) or label(m)),
            "difference": d["mean"] * k,
            "unit": d["outcome"].map(lambda m: REGISTRY[m].difference_unit if m in REGISTRY else ""),
            "95% interval": [
                f"[{lo:.3g}, {hi:.3g}]" if np.isfinite(lo) else "-"
                for lo, hi in zip(d["ci_low"] * k, d["ci_high"] * k, strict=True)
            ],
        }
    )


def seated_conversations(
    layout,
    variant: str | None = None,
    zone: Zone = Zone.DAYROOM,
    people: int = 6,
    draws: int = 2000,
    seed: int = 0,
) -> float:
    """Encounters per hour the model expects among `people` seated at random in the rooms of `zone`.

    Each draw seats `people` on distinct seats of those rooms (furniture as in `variant`); two of
    them meet at the model's encounter rate times their seat pair's weight (Sommer's relation
    within reach; people in different rooms never meet), everyone's sociability taken as 1.
    The mean over draws is what the arrangement alone does, before anyone chooses where to sit.

    Raises:
        ValueError: the zone's rooms have fewer seats than `people`.
    """
    rooms = {room.id for room in layout.rooms_of(zone)}
    seats = [
        (cell, face)
        for cell, face, _ in Arrangement(layout, variant).seats()
        if layout.room_of[cell] in rooms
    ]
    if len(seats) < people:
        raise ValueError(f"{len(seats)} seats in the {zone.label} rooms, fewer than {people} people")
    weight = np.array(
        [
            [
                seat_pair_weight(a, fa, b, fb, layout.cell_size_m)
                if i != j and layout.room_of[a] == layout.room_of[b]
                else 0.0
                for j, (b, fb) in enumerate(seats)
            ]
            for i, (a, fa) in enumerate(seats)
        ]
    )
    rng = np.random.default_rng(seed)
    totals = [
        weight[np.ix_(pick, pick)].sum() / 2
        for pick in (rng.choice(len(seats), people, replace=False) for _ in range(draws))
    ]
    return float(ENCOUNTER_RATE_PER_HOUR * np.mean(totals))
