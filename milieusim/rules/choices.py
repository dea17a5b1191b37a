"""What patients and staff choose to do, as pure functions with named constants.

Patients choose within the timetable: whether to attend a session they are
expected at, whether to eat with the others, to work on their own goal, or how
to spend free time; they ask staff for things, which staff grant or refuse.
Staff choose between time with patients, walked observation and office work in
the proportion the ward's needs focus sets (milieu component 6, docs/ODD.md Appendix A). Every number here is
an assumption unless its comment names a source; the agents supply the draws.
"""

from __future__ import annotations

import bisect
import itertools

from milieusim.kinds import Activity

# ------------------------------------------------------------ patients

#: Chance a patient eats in the dining room at a mealtime (else free time). Assumption.
MEAL_ATTENDANCE = 0.85
#: Attending an expected session needs orientation; agitation keeps patients away. Assumption.
ATTEND_BASE, ATTEND_AGITATION_PENALTY = 0.1, 0.5
#: Chance a patient at level 2 or more with a goal works on it in free or work time:
#: GOAL_WORK_BASE + GOAL_WORK_AUTONOMY x autonomy (milieu component 7, patients work towards own goals).
GOAL_WORK_BASE, GOAL_WORK_AUTONOMY = 0.3, 0.5
#: Longest stretch of goal work before the patient decides again, minutes.
GOAL_WORK_MINUTES = 45
#: Goals a patient can choose (milieu component 7): a paid job, a ward chore, or a personal goal when
#: neither is available; how fast each advances and where it is worked on.
GOAL_PACE = {"job": 1.5, "chore": 1.0, "personal": 0.5}
GOAL_PLACE = {"job": "therapy", "chore": "dining", "personal": "quiet"}
#: Free-time choices and their base weights, shaped so a conventional ward leaves patients
#: socially disengaged most of the time (about 84% of observations [@radcliffe2007]).
FREE_CHOICES = (
    ("dayroom", 3.0),
    ("bedroom", 3.0),
    ("garden", 1.0),
    ("quiet", 0.7),
    ("corridor", 1.0),
    ("request", 0.4),
)
#: Free time lasts a whole number of minutes drawn from [low, high).
FREE_TIME_MINUTES = (15, 61)
#: Free-time places where a patient sits if a seat is free.
SEATED_FREE_TIME = frozenset({"dayroom", "quiet"})


def attend_chance(orientation: float, agitation: float) -> float:
    """Chance a patient expected at a session attends it."""
    return orientation * (1.0 - ATTEND_AGITATION_PENALTY * agitation) + ATTEND_BASE


def goal_work_chance(autonomy: float) -> float:
    """Chance a patient with a goal works on it rather than taking free time."""
    return GOAL_WORK_BASE + GOAL_WORK_AUTONOMY * autonomy


def goal_progress(goal_rate: float, goal: str, hours: float, autonomy: float) -> float:
    """Progress towards the patient's own goal from `hours` of work on it."""
    return goal_rate * GOAL_PACE[goal] * hours * (0.5 + autonomy)


def free_time_weights(severity: float, trust: float, autonomy: float, level: int) -> list[float]:
    """Weights of `FREE_CHOICES` for this patient.

    Well and trusting patients seek company in the dayroom; ill ones withdraw to
    their room; the garden is open from level 2, more so to autonomous patients,
    who also ask for more.
    """
    w = [weight for _, weight in FREE_CHOICES]
    social = (1.0 - severity) * (0.5 + trust)
    w[0] *= 0.5 + social
    w[1] *= 0.5 + severity
    w[2] *= 0.3 + autonomy if level >= 2 else 0.0
    w[5] *= 0.5 + autonomy
    return w


def pick(weights: list[float], u: float) -> int:
    """The index `u` (uniform) picks from `weights`: the draw of numpy's ``Generator.choice(p=...)``.

    The same arithmetic (cumulative shares, scaled by the last) and the same search, without
    numpy's per-call cost, so a run gives the same choices as one that calls ``choice``.
    """
    total = sum(weights)
    cdf = list(itertools.accumulate([x / total for x in weights]))
    last = cdf[-1]
    return bisect.bisect_right([c / last for c in cdf], u)


def goal_of(u: float, jobs: float, chores: float) -> str:
    """The goal a new patient takes up, from the jobs and chores available; `u` uniform."""
    return "job" if u < jobs else "chore" if u < jobs + chores else "personal"


# ------------------------------------------------------------ requests

#: What a granted request gives, and a refused one costs (besides its flashpoint).
REQUEST_GRANTED_AUTONOMY, REQUEST_GRANTED_TRUST, REQUEST_DENIED_TRUST = 0.02, 0.01, -0.01


def request_grant_chance(autonomy_support: float, level: int) -> float:
    """Chance staff grant a patient's request (leave, a call, a change).

    Grows with the ward's autonomy support and with the patient's level of responsibility.
    """
    return autonomy_support * (0.6 + 0.1 * level)


# ------------------------------------------------------------ staff

#: Share of nurses and assistants who eat with patients at a mealtime.
STAFF_MEAL_SHARE = 0.5
#: Share of nurses who join a group-therapy session.
NURSE_GROUP_SHARE = 0.3
#: Of free staff time not spent one-to-one, the share walked as observation (the rest is office work).
PATROL_SHARE = 0.4
#: A patrol step stays in the busiest social zone with this chance, else walks the corridor.
PATROL_OWN_ZONE = 0.5
#: A staff task lasts a whole number of minutes drawn from [low, high).
STAFF_TASK_MINUTES = (15, 41)
#: Lengths of a handover, a response to an incident and an outreach visit, minutes.
HANDOVER_MINUTES, RESPONSE_MINUTES, OUTREACH_MINUTES = 15, 15, 60
#: Staff go first to the most agitated and least trusting patient; ties are broken by noise.
NEED_TRUST_WEIGHT, NEED_NOISE = 0.5, 0.1


def staff_task(u: float, focus: float) -> Activity:
    """What a free member of staff does next: one-to-one, observation or office work.

    `focus` is the ward's needs focus (share of free time with patients); `u` uniform.
    """
    if u < focus:
        return Activity.ONE_TO_ONE
    if u < focus + (1.0 - focus) * PATROL_SHARE:
        return Activity.OBSERVATION
    return Activity.OFFICE


def need_for_staff(agitation, trust, noise):
    """How much a patient needs staff now (arrays or numbers); `noise` uniform draws."""
    return agitation + NEED_TRUST_WEIGHT * (1 - trust) + NEED_NOISE * noise


# ------------------------------------------------------------ furniture [@osmond1957; @sommer1958]

#: Chance per patient encounter that staff on observation re-line a chair, times chair tidiness.
RELINE_CHANCE = 0.2
#: Autonomy from which a patient pulls their chair round the corner from a companion.
GROUP_CHAIR_AUTONOMY = 0.6

# ------------------------------------------------------------ relatives at home

#: Where a relative spends time at home, and for how long (minutes, drawn from [low, high)).
HOME_ZONES = ("dayroom", "dining", "garden", "bedroom")
HOME_STAY_MINUTES = (30, 121)
