"""Tables for teaching: each patient followed day by day, and scenarios compared over seeds.

The notebooks (notebooks/) call these. They observe the model and add no rules:
`follow` runs a model a day at a time (the same run as `run`, step for step) and
reads each patient's day record after midnight; `waiting_on` says which level
criteria stand between a patient and promotion, as the next review would judge
them without noise; `replicate`, `paired_differences`, `mean_ci` and `difference_table` compare
scenarios over seeds with common random numbers; `seated_conversations` isolates
what a furniture arrangement alone does to conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from milieusim.metrics import Results, results
from milieusim.model import MilieuModel
from milieusim.params import Scenario
from milieusim.rules import levels as lv
from milieusim.rules.interaction import ENCOUNTER_RATE_PER_HOUR
from milieusim.runner import run
from milieusim.space.furniture import Arrangement, seat_pair_weight
from milieusim.space.symbols import Zone
from milieusim.stats import mean_ci as t_interval

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
    unmet criteria's measures joined by ``", "``, or ``""`` when every criterion is met.
    """
    rule = next((r for r in rules if r.from_level == patient.level), None)
    if rule is None:
        return "top level"
    if patient.days_at_level < rule.min_days:
        return "days at level"
    if any(len(patient.log) < c.window_days for c in rule.criteria):
        return "days recorded"
    return ", ".join(
        c.measure for c in rule.criteria if not lv.met(lv.measure(patient.log, c.measure, c.window_days), c)
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


def paired_differences(
    table: pd.DataFrame, reference: str, measures: list[str], by: str = "scenario"
) -> pd.DataFrame:
    """Each run's measures minus those of the `reference` scenario's run with the same seed.

    One row per run of the other scenarios (`by`, ``seed`` and the differences); feed it to
    `mean_ci` for the mean difference and its interval.
    """
    ref = table[table[by] == reference].set_index("seed")[measures]
    others = table[table[by] != reference]
    diff = others[measures].to_numpy(float) - ref.loc[others["seed"]].to_numpy(float)
    out = pd.DataFrame(diff, columns=measures)
    out.insert(0, "seed", others["seed"].to_numpy())
    out.insert(0, by, others[by].to_numpy())
    return out


def difference_table(
    table: pd.DataFrame, reference: str, measures: list[str], by: str = "scenario", labels: dict | None = None
) -> pd.DataFrame:
    """Mean paired difference from `reference` and its 95% interval, one row per scenario and measure.

    Columns: `by`, ``measure`` (its label from `labels` when given), ``difference``, ``95% interval``.
    """
    d = mean_ci(paired_differences(table, reference, measures, by), measures, by)
    return pd.DataFrame(
        {
            by: d[by],
            "measure": d["measure"].map(lambda m: (labels or {}).get(m, m)),
            "difference": d["mean"],
            "95% interval": [f"[{lo:.3g}, {hi:.3g}]" for lo, hi in zip(d["low"], d["high"], strict=True)],
        }
    )


def mean_ci(
    table: pd.DataFrame, measures: list[str], by: str = "scenario", level: float = 0.95
) -> pd.DataFrame:
    """Mean and t-interval of each measure over the runs of each group, in long form.

    Columns: `by`, ``measure``, ``mean``, ``low``, ``high``, ``n`` (runs with a value).
    With one run the interval is that run's value; groups keep their order of appearance.
    """
    rows = []
    for group, runs in table.groupby(by, sort=False):
        for m in measures:
            mean, low, high, n = t_interval(runs[m], level)
            if n == 1:
                low = high = mean
            rows.append({by: group, "measure": m, "mean": mean, "low": low, "high": high, "n": n})
    return pd.DataFrame(rows, columns=[by, "measure", "mean", "low", "high", "n"])


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
