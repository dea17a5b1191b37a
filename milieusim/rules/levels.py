"""The four levels of responsibility: measures, the daily review, demotion, and the rules in words.

A patient's days are summarised in `DayRecord`s; a level rule (params_tables)
lists criteria, each a measure over a look-back window against a threshold.
At the daily review, staff judge each continuous measure with noise that grows
as consistency falls (milieu component 5: less consistent staff, noisier review);
counts of incidents and of peer help are facts in the notes, judged exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from milieusim.params_tables import Criterion, LevelRule

COUNTS = frozenset({"destructive_incidents", "incidents", "peer_help"})

LEVEL_NAMES = {
    1: "may harm self, others or the ward; disoriented; not yet in group therapy",
    2: "not destructive; oriented; at least one therapy session a day; keeps up hygiene",
    3: "attends all scheduled sessions; takes charge of own goals",
    4: "actively helps other patients through levels 1-3",
}
MEASURE_WORDS = {
    "destructive_incidents": "destructive incidents (physical aggression, self-harm, property damage)",
    "incidents": "incidents of any kind",
    "orientation": "mean orientation (0-1)",
    "hygiene": "mean hygiene (0-1)",
    "groups_per_day": "group sessions attended per day",
    "attendance": "share of expected sessions attended",
    "autonomy": "mean autonomy (0-1)",
    "trust": "mean trust in staff (0-1)",
    "goal_progress": "own goals reached (half a goal counts 0.5)",
    "peer_help": "times helped another patient",
}


@dataclass(frozen=True)
class DayRecord:
    """What a patient's day came to, as recorded for the review."""

    orientation: float = 0.0
    hygiene: float = 0.0
    groups: int = 0
    expected: int = 0
    attended: int = 0
    incidents: int = 0
    destructive: int = 0
    peer_help: int = 0
    autonomy: float = 0.0
    trust: float = 0.0
    goal_progress: float = 0.0


def measure(log: Sequence[DayRecord], name: str, window: int) -> float:
    """Value of measure `name` over the last `window` days of `log` (NaN with no days)."""
    if name not in MEASURE_WORDS:
        raise ValueError(f"unknown measure {name!r}; valid: {', '.join(MEASURE_WORDS)}")
    days = list(log[-window:]) if window >= 1 else []
    if not days:
        return float("nan")
    if name == "destructive_incidents":
        return float(sum(d.destructive for d in days))
    if name == "incidents":
        return float(sum(d.incidents for d in days))
    if name == "peer_help":
        return float(sum(d.peer_help for d in days))
    if name == "groups_per_day":
        return sum(d.groups for d in days) / len(days)
    if name == "attendance":
        expected = sum(d.expected for d in days)
        return sum(d.attended for d in days) / expected if expected else 1.0
    if name == "goal_progress":
        return days[-1].goal_progress
    if name in ("orientation", "hygiene", "autonomy", "trust"):
        return sum(getattr(d, name) for d in days) / len(days)
    raise ValueError(f"unknown measure {name!r}; valid: {', '.join(MEASURE_WORDS)}")


def met(value: float, criterion: Criterion) -> bool:
    """Whether `value` satisfies `criterion`."""
    return value >= criterion.value if criterion.op == ">=" else value <= criterion.value


def judge(
    rule: LevelRule, log: Sequence[DayRecord], noise_sd: float, rng: np.random.Generator
) -> tuple[bool | None, list[str]]:
    """Whether every criterion of `rule` is met, as staff judge it, and a note on each.

    Continuous measures are judged with noise of `noise_sd`; counts exactly. None (not
    judged) when the log holds fewer days than a criterion looks back.
    """
    notes, ok = [], True
    for c in rule.criteria:
        if len(log) < c.window_days:
            return None, [f"only {len(log)} of {c.window_days} days recorded"]
        value = measure(log, c.measure, c.window_days)
        noisy = noise_sd > 0 and c.measure not in COUNTS
        judged = value + rng.normal(0.0, noise_sd) if noisy else value
        good = met(judged, c)
        ok &= good
        notes.append(
            f"{c.measure} {value:.2f} (judged {judged:.2f}) {c.op} {c.value:g}: "
            f"{'met' if good else 'not met'}"
        )
    return ok, notes


def review(
    level: int,
    days_at_level: int,
    log: Sequence[DayRecord],
    rules: Sequence[LevelRule],
    noise_sd: float,
    rng: np.random.Generator,
) -> tuple[int, list[str]]:
    """The staff's daily review: the new level and, for each criterion, how it was judged.

    Promotion needs every criterion of the rule for the current level, after its
    minimum days at the level, judged on full look-back windows only (a patient
    with fewer recorded days waits). A patient not promoted keeps the level only
    while they still meet the criteria that earned it: once they have spent the
    longest of that rule's windows at the level, a criterion the record shows
    failed withdraws the level, one down (level systems withdraw privileges as well
    as grant them). Withdrawal rests on the record itself, without the judgement
    noise of promotion: staff take a privilege back on the evidence.
    """
    rule = next((r for r in rules if r.from_level == level), None)
    notes: list[str] = []
    if rule is None:
        notes = ["no rule promotes from this level"]
    elif days_at_level < rule.min_days:
        notes = [f"{days_at_level} of {rule.min_days} days at level {level}"]
    else:
        ok, notes = judge(rule, log, noise_sd, rng)
        if ok:
            return rule.to_level, notes
    earned = next((r for r in rules if r.to_level == level), None)
    if earned is None or days_at_level < max(c.window_days for c in earned.criteria):
        return level, notes
    ok, kept = judge(earned, log, 0.0, rng)
    if ok is False:
        return level - 1, [*notes, "withdrawn: " + "; ".join(n for n in kept if n.endswith("not met"))]
    return level, notes


def still_needed(
    level: int, days_at_level: int, log: Sequence[DayRecord], rules: Sequence[LevelRule]
) -> list[str]:
    """What a patient still needs for the next level, in words, as the record stands (no judgement noise).

    Empty when the record meets the rule (the next review may promote, as staff judge it).
    """
    rule = next((r for r in rules if r.from_level == level), None)
    if rule is None:
        return [f"level {level} is the highest a rule reaches"]
    out = []
    if days_at_level < rule.min_days:
        out.append(f"{rule.min_days - days_at_level} more day(s) at level {level} (of {rule.min_days})")
    for c in rule.criteria:
        op = "at least" if c.op == ">=" else "at most"
        want = f"{MEASURE_WORDS[c.measure]}: {op} {c.value:g} over {c.window_days} day(s)"
        if len(log) < c.window_days:
            out.append(f"{want}; {len(log)} of {c.window_days} day(s) recorded")
            continue
        value = measure(log, c.measure, c.window_days)
        if not met(value, c):
            out.append(f"{want}; now {value:.2f}")
    return out


#: Severity above which a patient already on the ward when a run starts is at level 1, and above which
#: at level 2 (else 3): the levels their symptoms would allow (assumption).
INITIAL_LEVEL_SEVERITY = (0.55, 0.4)


def initial_level(severity: float) -> int:
    """The level of a patient part-way through a stay when a run starts, from their symptoms."""
    l1, l2 = INITIAL_LEVEL_SEVERITY
    return 1 if severity > l1 else 2 if severity > l2 else 3


def demote(level: int, policy: str) -> int:
    """The level after destructive behaviour: one down, or straight to level 1."""
    if policy == "to_level_1":
        return 1
    if policy == "one_level":
        return max(1, level - 1)
    raise ValueError(f"unknown demotion policy {policy!r}; valid: one_level, to_level_1")


def describe(rules: Sequence[LevelRule], demotion: str, review_time: str, noise: float) -> str:
    """The level rules in words, for `milieusim levels`."""
    lines = ["Levels of responsibility:"]
    lines += [f"  L{k}: {text}" for k, text in LEVEL_NAMES.items()]
    lines.append(f"\nDaily review at {review_time}; staff judgement noise {noise:g} x (1 - consistency).")
    for rule in rules:
        lines.append(
            f"\nL{rule.from_level} -> L{rule.to_level}, after at least {rule.min_days} days at "
            f"L{rule.from_level}, when all of:"
        )
        for c in rule.criteria:
            op = "at least" if c.op == ">=" else "at most"
            judged = "" if c.measure in COUNTS else " (as judged by staff)"
            span = "now" if c.window_days == 1 else f"over the last {c.window_days} days"
            lines.append(f"  - {MEASURE_WORDS[c.measure]} {span}: {op} {c.value:g}{judged}")
    demote(2, demotion)  # an unknown policy fails here, with the valid ones named
    words = "one level down" if demotion == "one_level" else "back to L1"
    lines.append(f"\nDemotion: after destructive behaviour, {words}.")
    return "\n".join(lines)
