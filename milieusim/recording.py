"""Collecting what happens during a run: typed event records, counters and per-cell arrays.

`metrics.py` turns what is collected here into the run's tables after the run.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import NamedTuple

import numpy as np

from milieusim.jit import kernel
from milieusim.kinds import CONTACT_TASKS, PATIENT, STAFF, TASK_CODE, TASKS, Activity
from milieusim.rules.conflict import AGGRESSIVE, CONFLICT_KINDS
from milieusim.rules.containment import CONTAINMENT_KINDS
from milieusim.rules.flashpoints import Origin
from milieusim.rules.interaction import ENCOUNTER_KINDS
from milieusim.space.seating import sociopetality
from milieusim.space.symbols import Zone

DAY_START, DAY_END = 7 * 60, 23 * 60
STAY_COLUMNS = [
    "patient",
    "admitted_day",
    "end_day",
    "length_of_stay",
    "reason",
    "left_censored",
    *(f"days_at_level_{k}" for k in (1, 2, 3, 4)),
    *(f"day_reached_level_{k}" for k in (2, 3, 4)),
    "incidents",
    "aggressive_incidents",
    "aggressive_recorded",
    "detained",
    "final_level",
    "goal",
]
#: A patient counts as socially engaged in a social activity (person.SOCIAL_ACTIVITIES) or within
#: this many minutes of an encounter (Radcliffe & Smith's "socially disengaged" otherwise).
CONTACT_WINDOW_MIN = 15


class Event(NamedTuple):
    """One row of the events table: what happened, to whom, with whom, where and when.

    Attributes:
        step, day, minute: when (step index, day of the run, minute of the day).
        kind: what happened (a conflict kind, a containment kind, "admission", "visit", ...).
        who: the patient's id; other: the other person's id (staff who responded, the
            relative who visited), -1 if none.
        room, row, col: where `who` was (-1 when away from the ward).
        outcome: how it ended ("talked_down", a containment, "granted", ...), or "".
        seen: whether staff saw it.
        cause: the index of the event this one answers (a containment's incident), or -1.
        origin: for a conflict, the domain its flashpoint came from (rules/flashpoints.Origin).
        flashpoint: for a conflict, the flashpoint it came from ("limit_setting", "symptoms", ...).
        target: for a conflict, whom it was aimed at ("staff", "patient", "self", "property", ...).
        recorded: for a conflict, whether it was recorded on an incident form (a draw: about half
            are); containment is always recorded.
        crowding: for a conflict, the odds multiplier crowding gave its flashpoint (1: none).
    """

    step: int
    day: int
    minute: int
    kind: str
    who: int
    other: int
    room: int
    row: int
    col: int
    outcome: str
    seen: bool
    cause: int
    origin: str
    flashpoint: str
    target: str
    recorded: bool
    crowding: float


EVENT_COLUMNS = list(Event._fields)


@kernel
def count_step(
    present,
    role,
    pos,
    task,
    last_seen,
    last_contact,
    social,
    grouped,
    now,
    contact_since,
    day_time,
    patients_at,
    staff_at,
    task_steps,
):
    """One step's presence and time use, counted in place and returned.

    Adds to the cell counts `patients_at` and `staff_at` and, by day, to the staff task counts
    `task_steps`; returns patients and staff present, the patients' summed steps unseen, patients
    engaged (an encounter since `contact_since`, or a social activity) and in groups.
    """
    patients = staff = unseen = engaged = in_groups = 0
    for k in range(present.size):
        if not present[k]:
            continue
        if role[k] == PATIENT:
            patients += 1
            patients_at[pos[k, 0], pos[k, 1]] += 1
            unseen += now - last_seen[k]
            engaged += last_contact[k] >= contact_since or social[k]
            in_groups += grouped[k]
        elif role[k] == STAFF:
            staff += 1
            staff_at[pos[k, 0], pos[k, 1]] += 1
            if day_time and task[k] >= 0:
                task_steps[task[k]] += 1
    return patients, staff, unseen, engaged, in_groups


class Recorder:
    """Counters and arrays filled during a run."""

    def __init__(self, model):
        self.m = model
        self.events: list[Event] = []
        shape = model.layout.shape
        self.presence = {"patients": np.zeros(shape, np.int64), "staff": np.zeros(shape, np.int64)}
        self.encounters_at = np.zeros(shape, np.int64)
        self.incidents_at = np.zeros(shape, np.int64)
        self.daily: list[dict] = []
        self.stays: list[dict] = []
        self.time_of_day = np.zeros((24, 3))  # per hour: incidents, encounters, patient presence
        self._reset_day()

    def _reset_day(self):
        self.enc = Counter()
        self.moves = Counter()
        self.flashpoints = Counter()
        self.counts = Counter()
        self.unseen_minutes = 0.0
        self.task_steps = np.zeros(len(TASKS), np.int64)
        self.patient_steps = self.engaged_steps = self.group_steps = self.staff_steps = 0
        self.meetings: list[tuple[float, bool, int]] = []
        self.first_event = len(self.events)
        self.walk_start = {s.slot: s.walked_m for s in self.m.staffing.staff}

    # -- during the run

    def log(
        self,
        kind: str,
        who,
        other=None,
        outcome: str = "",
        seen: bool = True,
        cause=None,
        origin: str = "",
        flashpoint: str = "",
        target: str = "",
        recorded: bool | None = None,
        crowding: float = 1.0,
    ) -> int:
        """Add an event about `who` (with `other`) where `who` stands now; returns its index."""
        m = self.m
        clock = m.clock
        present = who.present
        pos = tuple(m.roster.pos[who.slot]) if present else (-1, -1)
        room = int(m.layout.room_of[pos]) if present else -1
        self.events.append(
            Event(
                clock.now,
                clock.day,
                clock.minute,
                kind,
                who.unique_id,
                other.unique_id if other is not None else -1,
                room,
                pos[0],
                pos[1],
                outcome,
                seen,
                -1 if cause is None else cause,
                str(origin),
                flashpoint,
                target,
                kind in CONTAINMENT_KINDS if recorded is None else bool(recorded),
                float(crowding),
            )
        )
        if kind in CONFLICT_KINDS and present:
            self.incident_at(pos)
        return len(self.events) - 1

    def per_step(self):
        """Presence and time use at the end of a step (`count_step`)."""
        m = self.m
        r, clock = m.roster, m.clock
        patients, staff, unseen, engaged, grouped = count_step(
            r.present,
            r.role,
            r.pos,
            r.task,
            r.last_seen,
            r.last_contact,
            r.social,
            r.grouped,
            clock.now,
            clock.now - math.ceil(CONTACT_WINDOW_MIN / clock.dt),
            DAY_START <= clock.minute < DAY_END,  # time use of day and late shifts, as studies observe it
            self.presence["patients"],
            self.presence["staff"],
            self.task_steps,
        )
        self.staff_steps += staff
        self.patient_steps += patients
        if patients:
            self.unseen_minutes += float(unseen) * clock.dt
        self.time_of_day[clock.minute // 60, 2] += patients
        self.engaged_steps += engaged
        self.group_steps += grouped

    def encounter(self, kind: str, p, other):
        """An encounter of `kind` between patient `p` and `other`."""
        m = self.m
        self.enc[kind] += 1
        m.roster.last_contact[[p.slot, other.slot]] = m.clock.now
        self.encounters_at[tuple(m.roster.pos[p.slot])] += 1
        self.time_of_day[m.clock.minute // 60, 1] += 1

    def flashpoint(self, origin: Origin):
        """A flashpoint from `origin` (whether or not it becomes conflict)."""
        self.flashpoints[origin] += 1

    def count(self, what: str):
        """Count one of `COUNTED` today (e.g. a conflict staff stepped in before: "de_escalated")."""
        self.counts[what] += 1

    def incident_at(self, pos):
        """A conflict at cell `pos`."""
        self.incidents_at[pos] += 1
        self.time_of_day[self.m.clock.minute // 60, 0] += 1

    def meeting(self, gini: float, passed: bool, n: int):
        """Today's community meeting."""
        self.meetings.append((gini, passed, n))

    def furniture(self, kind: str):
        """A piece of furniture moved (``reline`` or ``group``)."""
        self.moves[kind] += 1

    def end_day(self, day: int):
        """Close the day's row."""
        m = self.m
        pts = m.flow.patients()
        ev = self.events[self.first_event :]
        kinds = Counter(e.kind for e in ev)
        conflicts = [e for e in ev if e.kind in CONFLICT_KINDS]
        unseen = sum(1 for e in conflicts if not e.seen)
        records = [p.log[-1] for p in pts if p.log]
        expected = sum(d.expected for d in records)
        staff_steps = max(1, int(self.task_steps.sum()))
        walked = sum(s.walked_m - self.walk_start.get(s.slot, 0.0) for s in m.staffing.staff)
        dayrooms = {r.id for r in m.layout.rooms_of(Zone.DAYROOM)}
        row = {
            "day": day,
            "census": len(pts),
            "occupancy": len(pts) / m.flow.capacity if m.flow.capacity else np.nan,
            **{f"level_{k}": sum(p.level == k for p in pts) for k in (1, 2, 3, 4)},
            "flashpoints": sum(self.flashpoints.values()),
            **{f"flashpoints_{o}": self.flashpoints[o] for o in Origin},
            "conflict": len(conflicts),
            "conflict_recorded": sum(1 for e in conflicts if e.recorded),
            "aggressive": sum(kinds[k] for k in AGGRESSIVE),
            "aggressive_recorded": sum(1 for e in conflicts if e.recorded and e.kind in AGGRESSIVE),
            "unseen": unseen,
            **{k: kinds[k] for k in CONFLICT_KINDS},
            **{f"conflict_{o}": sum(1 for e in conflicts if e.origin == o) for o in Origin},
            "de_escalated": self.counts["de_escalated"],
            "containment": sum(kinds[k] for k in CONTAINMENT_KINDS),
            **{k: kinds[k] for k in CONTAINMENT_KINDS},
            "calm_down": self.counts["calm_down"],
            **{f"enc_{k}": self.enc[k] for k in ENCOUNTER_KINDS},
            "admissions": kinds["admission"],
            "discharges": kinds["discharge"],
            "promotions": kinds["promotion"],
            "visits": kinds["visit"],
            "requests_denied": sum(1 for e in ev if e.kind == "request" and e.outcome == "denied"),
            "attendance": sum(d.attended for d in records) / expected if expected else np.nan,
            "trust": float(np.mean([p.trust for p in pts])) if pts else np.nan,
            "autonomy": float(np.mean([p.autonomy for p in pts])) if pts else np.nan,
            "severity": float(np.mean([p.severity for p in pts])) if pts else np.nan,
            "meeting_gini": self.meetings[-1][0] if self.meetings else np.nan,
            "staff_contact_share": sum(self.task_steps[TASK_CODE[t]] for t in CONTACT_TASKS) / staff_steps,
            "staff_office_share": (
                self.task_steps[TASK_CODE[Activity.OFFICE]] + self.task_steps[TASK_CODE[Activity.HANDOVER]]
            )
            / staff_steps,
            "staff_walk_m": walked,
            "staff_hours": self.staff_steps * m.clock.dt / 60.0,
            "patient_engaged_share": self.engaged_steps / self.patient_steps
            if self.patient_steps
            else np.nan,
            "patient_group_share": self.group_steps / self.patient_steps if self.patient_steps else np.nan,
            "minutes_unseen": self.unseen_minutes / self.patient_steps if self.patient_steps else np.nan,
            "chairs_relined": self.moves["reline"],
            "chairs_grouped": self.moves["group"],
            "dayroom_sociopetality": sociopetality(m.arrangement, m.layout, dayrooms) if dayrooms else np.nan,
        }
        self.daily.append(row)
        self._reset_day()

    def stay(self, p, reason: str):
        """Record a patient's stay at discharge."""
        self.stays.append(self.stay_row(p, reason))

    def stay_row(self, p, reason: str) -> dict:
        """One row for a patient's stay, ending now."""
        m = self.m
        reached = {k: p.level_reached_day.get(k) for k in (2, 3, 4)}
        return {
            "patient": p.unique_id,
            "admitted_day": p.admitted_day,
            "end_day": m.clock.day,
            "length_of_stay": m.clock.day - p.admitted_day,
            "reason": reason,
            "left_censored": p.left_censored,
            **{f"days_at_level_{k}": v for k, v in p.days_per_level.items()},
            **{f"day_reached_level_{k}": v for k, v in reached.items()},
            "incidents": p.incidents_total,
            "aggressive_incidents": p.aggressive_total,
            "aggressive_recorded": p.aggressive_recorded,
            "detained": p.detained,
            "final_level": p.level,
            "goal": p.goal,
        }
