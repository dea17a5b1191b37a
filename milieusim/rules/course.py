"""A patient's day-to-day course: symptoms, orientation, hygiene, autonomy.

Symptoms ease each day at a base rate that the milieu speeds or slows:
therapy attended (involvement, structure), trust in staff (support,
validation), a family session (family involvement) and, against it, a
containment that day (the milieu functions of [@gunderson1978]; the direction
of the family effect from [@pharoah2010]). The multipliers are assumptions,
written here in one place; docs/ODD.md §7.13 shows them, generated from here.
"""

from __future__ import annotations

import numpy as np

#: Recovery multipliers. Assumptions, each documented in docs/ODD.md.
ATTENDANCE_GAIN = 0.8  # full attendance: x1.8 against none
TRUST_GAIN = 1.0  # trust 1: x1.5 against trust 0.5, x0.5 at trust 0
FAMILY_SESSION_GAIN = 0.5  # a day with a family session: x1.5
CONTAINMENT_SETBACK = 0.03  # severity added by a day with containment


def next_severity(
    severity: float,
    recovery_per_day: float,
    attendance: float,
    trust: float,
    family_session: bool,
    contained: bool,
    noise: float,
    z: float,
) -> float:
    """Symptom severity after one day. `z` is a standard normal draw."""
    rate = recovery_per_day * (1.0 + ATTENDANCE_GAIN * attendance) * (TRUST_GAIN * trust + 0.5)
    rate *= 1.0 + (FAMILY_SESSION_GAIN if family_session else 0.0)
    s = severity - rate + (CONTAINMENT_SETBACK if contained else 0.0) + noise * z
    return float(np.clip(s, 0.0, 1.0))


def orientation(severity: float) -> float:
    """Orientation to time, place and person: lost with severe symptoms (milieu component 11, docs/ODD.md)."""
    return float(np.clip(1.15 - severity, 0.0, 1.0))


def next_hygiene(hygiene: float, severity: float, autonomy: float, prompted: float) -> float:
    """Hygiene moves a third of the way each day towards what symptoms and autonomy allow.

    `prompted` (0..1): staff prompting, which helps less the more patients do
    things themselves; assumption.
    """
    target = (1.0 - 0.8 * severity) * (0.6 + 0.4 * max(autonomy, prompted))
    return float(hygiene + (target - hygiene) / 3.0)


def next_autonomy(autonomy: float, support: float, heard: float, goal_hours: float, contained: bool) -> float:
    """Autonomy after a day: grows with the ward's support, being heard and working on own goals.

    It drifts towards the ward's autonomy support (patients learn what the ward
    allows), and is lost by containment. Assumptions: the rates.
    """
    a = autonomy + 0.05 * (support - autonomy) + 0.5 * heard + 0.01 * goal_hours
    if contained:
        a -= 0.1
    return float(np.clip(a, 0.0, 1.0))
