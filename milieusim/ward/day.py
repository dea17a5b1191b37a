"""The ward's day: its fixed events at fixed minutes, the review, the meeting, visits, day start and end.

At midnight today's visits are planned; through the day shifts change, the staff
review every patient's level (rules/levels.py), patients are discharged and
admitted, a day hospital opens and closes, an outreach nurse visits a home; when
the community meeting's block ends, its decision is taken with weighted voices
(rules/power.py); a new timetable block interrupts whatever is not protected.
"""

from __future__ import annotations

import numpy as np

from milieusim.kinds import PATIENT, STAFF, Activity, Setting
from milieusim.params_tables import minutes_of
from milieusim.rules import levels as lv
from milieusim.rules import power
from milieusim.ward.flow import ADMISSION_MINUTE, DISCHARGE_MINUTE
from milieusim.ward.staffing import CHANGE_MINUTES, MEDICATION_MINUTES, OUTREACH_MINUTE


class DayRoutine:
    """The day's fixed events."""

    def __init__(self, model):
        self.model = model
        self.review_minute = minutes_of(model.params.levels.review_time)

    def start_day(self):
        """Midnight: today's timeline changes take effect; today's visits are planned."""
        m = self.model
        for change in m.params.timeline:
            if change.day == m.clock.day:
                m.change(change.changes())
        fam = m.params.family
        if m.setting == Setting.HOME or fam.visits_per_week == 0:
            return
        visiting = [b for b in m.clock.timetable.blocks if b.activity == Activity.VISITING]
        if not visiting:
            return
        rng = m.streams["visits"]
        dt, now_minute = m.clock.dt, m.clock.minute
        for p in m.flow.patients():
            if p.relative is None or rng.random() >= min(1.0, fam.visits_per_week / 7.0):
                continue
            block = visiting[int(rng.integers(0, len(visiting)))]
            start, end = minutes_of(block.start), minutes_of(block.end)
            minute = start + dt * int(rng.integers(0, max(1, (end - start) // dt)))
            m.schedule_event(p.relative.arrive_for_visit, at=m.steps + (minute - now_minute) // dt)

    def at_minute(self, minute: int):
        """Fixed events at given minutes: shifts, review, discharges, admissions, day places, outreach."""
        m = self.model
        if minute in CHANGE_MINUTES:
            m.staffing.change_shift(minute)
        if minute == self.review_minute:
            self.review()
        if minute in MEDICATION_MINUTES:
            m.staffing.medication_round()
        if minute == DISCHARGE_MINUTE and m.setting != Setting.HOME:
            m.flow.discharges()
        if minute == ADMISSION_MINUTE and m.setting != Setting.HOME:
            m.flow.admissions()
        if m.setting == Setting.DAY:
            m.flow.day_places(minute)
        if m.setting == Setting.HOME and minute == OUTREACH_MINUTE:
            m.staffing.outreach()

    def new_block(self, ended):
        """A timetable block has begun: close the one that `ended`, interrupt patients and staff."""
        if ended.activity == Activity.MEETING:
            self.community_meeting()
        m = self.model
        r = m.roster
        mask = r.present & ((r.role == PATIENT) | (r.role == STAFF)) & ~r.protected
        r.busy_until[mask] = np.minimum(r.busy_until[mask], m.clock.now)

    def review(self):
        """The daily staff review of every patient's level (rules/levels.py)."""
        m = self.model
        lvl = m.params.levels
        noise = lvl.review_noise * (1.0 - m.params.culture.consistency)
        rng = m.streams["review"]
        for p in m.flow.patients():
            new, _ = lv.review(p.level, p.days_at_level, p.log, lvl.rules, noise, rng)
            if new != p.level:
                kind = "promotion" if new > p.level else "withdrawal"
                p.set_level(new, m.clock.day)
                m.recorder.log(kind, p, outcome=f"L{new}")

    def community_meeting(self):
        """The daily community meeting decides one matter with weighted voices (rules/power.py)."""
        m = self.model
        if not m.params.programme.community_meeting:
            return
        r = m.roster
        attending = [p for p in m.flow.patients() if p.present and p.activity == Activity.MEETING]
        n_staff = sum(1 for s in m.staffing.staff if s.present and s.activity == Activity.MEETING)
        if not attending:
            return
        c = m.params.culture
        passed, heard, gini = power.meeting(
            [r.power[p.slot] for p in attending],
            max(n_staff, 1),
            c.power_balance,
            c.autonomy_support,
            m.streams["behaviour"],
        )
        for p, h in zip(attending, heard, strict=True):
            if h > 0:
                p.today.heard += float(h)
                p.change_trust(power.heard_trust_gain(float(h), len(attending)))
        m.recorder.meeting(gini, passed, len(attending))

    def end_day(self):
        """Midnight: every patient's day closes (illness course, the day's record), then the day's row."""
        m = self.model
        for p in m.flow.patients():
            p.end_day()
        m.recorder.end_day(m.clock.day)
