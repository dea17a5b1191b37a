"""Staffing: who is on duty, shift changes and handover, outreach, and whom staff go to.

Nurses and assistants work early, late and night shifts (`rules/schedule.py`),
therapists and doctors keep weekday office hours; at home one outreach nurse
visits each morning. A shift change brings new faces, a flashpoint from the
staff team (Safewards).
"""

from __future__ import annotations

import numpy as np

from milieusim.agents.staff import Staff
from milieusim.kinds import PATIENT, WARD_STAFF, Activity, Setting
from milieusim.rules import choices
from milieusim.rules.safewards import weaken
from milieusim.rules.schedule import SHIFTS, on_shift

#: Minutes at which staff come and go: nursing shifts, and office hours of therapists and doctors.
CHANGE_MINUTES = frozenset({start for _, start, _ in SHIFTS} | {9 * 60, 17 * 60})
SHIFT_STARTS = frozenset(start for _, start, _ in SHIFTS)
#: The outreach nurse's daily visit at home, minute of the day.
OUTREACH_MINUTE = 10 * 60
#: Medication rounds, minutes of the day (assumption: morning, midday, evening, night).
MEDICATION_MINUTES = frozenset({8 * 60, 12 * 60 + 30, 18 * 60, 22 * 60})


class Staffing:
    """The staff of the ward and their duty."""

    def __init__(self, model):
        self.model = model
        self.staff: list[Staff] = []
        sc = model.params.staffing
        if model.setting == Setting.HOME:
            self.staff.append(Staff(model, "nurse", "outreach", "outreach nurse 1"))
            return
        counts = {
            ("nurse", "early"): sc.day_nurses,
            ("assistant", "early"): sc.day_assistants,
            ("nurse", "late"): sc.late_nurses,
            ("assistant", "late"): sc.late_assistants,
            ("nurse", "night"): sc.night_nurses,
            ("assistant", "night"): sc.night_assistants,
            ("therapist", "office"): sc.therapists,
            ("doctor", "office"): sc.doctors,
        }
        if model.setting == Setting.DAY:  # a day hospital has no nights
            counts[("nurse", "night")] = counts[("assistant", "night")] = 0
        for (kind, shift), n in counts.items():
            for k in range(n):
                self.staff.append(Staff(model, kind, shift, f"{kind} {shift} {k + 1}"))

    def start(self):
        """A run starts at midnight: the shift on duty then is already on the ward, its handover done."""
        for s in self.staff:
            if s.shift != "outreach" and self._on_duty(s, 0):
                self._arrive(s)

    def _arrive(self, s: Staff):
        """`s` comes on duty at the staff base (at the entrance on a plan without one)."""
        points = self.model.layout.points
        s.arrive(points.get("staff_base", points["entrance"]))

    def _on_duty(self, s: Staff, minute: int) -> bool:
        """Whether `s` is on duty at `minute` of today."""
        return on_shift(s.kind, minute, self.model.clock.day % 7, s.shift if s.shift != "office" else "early")

    def change_shift(self, minute: int):
        """Staff whose duty starts arrive (ward staff for a handover); those whose duty ends leave."""
        m = self.model
        changed = False
        for s in self.staff:
            if s.shift == "outreach":
                continue
            duty = self._on_duty(s, minute)
            if duty and not s.present:
                self._arrive(s)
                s.handover_due = s.kind in WARD_STAFF
                changed = True
            elif not duty and s.present:
                s.leave()
                s.clear_task()
        if minute in SHIFT_STARTS:
            m.observation.per_shift()
        if changed and m.clock.now > 0:  # new faces bring arousal; positive words at handover less
            r = m.roster
            pts = r.present & (r.role == PATIENT)
            bump = m.params.conflict.staff_change * weaken(m.params.safewards.positive_words)
            r.agitation[pts] = np.minimum(1.0, r.agitation[pts] + bump)

    def medication_round(self):
        """A nurse gives out medication: each patient may dispute it (a flashpoint), the less they trust.

        An aroused patient may be offered as-needed medication too.
        """
        m = self.model
        nurse = next((s for s in self.staff if s.present and s.kind == "nurse"), None)
        if nurse is None:
            return
        rng = m.streams["behaviour"]
        chance = m.params.conflict.medication_dispute
        for p in m.flow.patients():
            if not p.present:
                continue
            if rng.random() < chance * (1.0 - p.trust):
                m.conflict.flashpoint(p, "medication", source=nurse)
            if p.present:
                m.containment.maybe_prn(p, nurse, rng)

    def nearest_staff(self, p):
        """The member of staff on duty nearest to `p` (None if none)."""
        r = self.model.roster
        on = [s for s in self.staff if s.present]
        if not on:
            return None
        return min(on, key=lambda s: float(np.hypot(*(r.pos[s.slot] - r.pos[p.slot]))))

    def outreach(self):
        """At home: the outreach nurse visits the patient for an hour."""
        m = self.model
        nurse = self.staff[0]
        patients = [p for p in m.flow.patients() if p.present]
        if not patients:
            return
        nurse.arrive(m.layout.points["entrance"])
        nurse.set_task(Activity.OUTREACH)
        until = m.clock.until(choices.OUTREACH_MINUTES)
        m.places.send_next_to(nurse, patients[0], Activity.OUTREACH, until)
        m.schedule_event(nurse.leave, at=until)

    def most_in_need(self, rng):
        """The present patient staff would go to first: most agitated, least trusting (ties at random)."""
        r = self.model.roster
        present = r.present
        pts = [p for p in self.model.flow.patients() if present[p.slot]]  # admitted: not gone
        if not pts:
            return None
        slots = [p.slot for p in pts]
        need = choices.need_for_staff(r.agitation[slots], r.trust[slots], rng.random(len(pts)))
        return pts[int(np.argmax(need))]

    def join_family_session(self, relative, until: int):
        """A therapist (or else a nurse) joins a visit for a family session."""
        free = [s for s in self.staff if s.present and s.activity in (Activity.OFFICE, Activity.OBSERVATION)]
        free.sort(key=lambda s: s.kind != "therapist")
        if free:
            free[0].set_task(Activity.FAMILY)
            self.model.places.send_next_to(free[0], relative, Activity.FAMILY, until)
