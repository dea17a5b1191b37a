"""Flow: who is admitted, to which bed, and when they leave.

Beds are refilled from a queue up to the occupancy target at the afternoon's
admission time; patients ready for discharge leave in the late morning. A day
hospital's patients come by day and go home at night; at home there is one
patient, living with their family. Length of stay [@kingsfund; @hscic2014] and
occupancy [@rcpsych2011] are calibration targets.
"""

from __future__ import annotations

import numpy as np

from milieusim.agents.family import Relative
from milieusim.agents.patient import Patient
from milieusim.kinds import Setting
from milieusim.rules import choices, power
from milieusim.rules import conflict as cf
from milieusim.rules.levels import initial_level
from milieusim.space.informal import BUFFER_SENSITIVITY

#: Day-hospital opening hours, minutes of the day.
DAY_HOSPITAL_HOURS = (9 * 60, 16 * 60 + 30)
DISCHARGE_MINUTE, ADMISSION_MINUTE = 11 * 60, 14 * 60
#: Patients on the ward when a run starts are up to this many days into their stay (assumption).
START_DAYS_IN = 30


class Flow:
    """Admissions, discharges and the census."""

    def __init__(self, model):
        self.model = model
        sc = model.params
        self.capacity = sc.ward.beds or model.layout.meta.beds
        self.target = (
            1 if model.setting == Setting.HOME else max(1, round(self.capacity * sc.ward.occupancy_target))
        )
        self.bed_holder: dict[tuple[int, int], Patient] = {}

    def patients(self) -> list[Patient]:
        """Current patients (admitted, not discharged), in admission order."""
        return list(self.model.agents_by_type.get(Patient, []))

    def census(self) -> int:
        """Patients currently admitted."""
        return len(self.model.agents_by_type.get(Patient, []))

    def fill(self):
        """The ward as a run finds it at midnight: full, with patients part-way through a stay, in bed.

        A day hospital is closed at midnight (its patients come at opening); at home the
        patient is in bed and the family in the house's other beds. The shift on duty is on
        the ward (`Staffing.start`).
        """
        m = self.model
        rng = m.streams["admissions"]
        m.staffing.start()
        if m.params.flow.start_full or m.setting == Setting.HOME:
            for _ in range(self.target):
                p = self.admit(day=0)
                if p is None:
                    break
                # some days in, symptoms eased accordingly
                days_in = int(rng.integers(0, START_DAYS_IN)) if m.setting != Setting.HOME else 0
                p.admitted_day = -days_in
                p.severity = float(np.clip(p.severity - m.params.illness.recovery_per_day * days_in, 0.05, 1))
                p.set_level(initial_level(p.severity), 0)
                p.level_reached_day = {p.level: 0}
                p.left_censored = True
                if p.present and p.bed is not None:
                    p.arrive(p.bed)
                policy_minutes = (m.params.conflict.admission_observation_days - days_in) * 1440
                if policy_minutes > 0:
                    self.observe_on_admission(p, policy_minutes)
        if m.setting == Setting.HOME:
            spare = [cell for cell, _ in m.places.beds if cell not in self.bed_holder]
            for p in self.patients():
                if p.relative is None:
                    p.relative = Relative(m, p)
                p.relative.arrive(spare.pop(0) if spare else m.layout.points["entrance"])

    def admit(self, day: int) -> Patient | None:
        """Admit one patient from the queue to a free bed; None when no bed is free.

        Logged as an admission once the run has begun; the patients `fill` puts on the ward
        before it are not admissions of the run (their stays are `left_censored`).
        """
        m = self.model
        rng = m.streams["admissions"]
        sc = m.params
        ill = sc.illness
        bed, room = None, None
        if m.setting in (Setting.INPATIENT, Setting.HOME):
            free = [(cell, rid) for cell, rid in m.places.beds if cell not in self.bed_holder]
            if not free:
                return None
            bed, room = free[0]
        severity = float(np.clip(rng.normal(ill.severity_mean, ill.severity_sd), 0.05, 1.0))
        detained = bool(rng.random() < sc.flow.detained_share)
        pw = float(power.patient_power(1, sc.culture.power_inequality, rng)[0])
        sensitivity = float(rng.uniform(*BUFFER_SENSITIVITY))
        prone = cf.proneness(rng, sc.conflict.aggression_spread)
        p = Patient(m, severity, bed, room, pw, detained, sensitivity, day)
        p.proneness = prone
        p.recovery_k = cf.proneness(rng, ill.recovery_spread)  # the same mean-1 lognormal draw
        if bed is not None:
            self.bed_holder[bed] = p
        has_family = rng.random() < sc.family.share_with_family
        prog = sc.programme
        p.goal = choices.goal_of(rng.random(), prog.jobs, prog.chores)
        p.left_censored = False
        if has_family:
            p.relative = Relative(m, p)
        if m.setting != Setting.DAY or DAY_HOSPITAL_HOURS[0] <= m.clock.minute < DAY_HOSPITAL_HOURS[1]:
            p.arrive(m.layout.points["entrance"])
        if m.steps > 0:  # not one of the patients on the ward when the run begins (`fill`)
            m.recorder.log("admission", p)
            self.observe_on_admission(p, sc.conflict.admission_observation_days * 1440)
        return p

    def observe_on_admission(self, p, minutes: float):
        """Policy: a new patient on intermittent observation for `minutes`, constant if very ill (a day)."""
        m = self.model
        if not p.present:
            return
        if p.severity > cf.HIGH_RISK_SEVERITY:
            m.observation.set_level(p, "special_observation", policy=True)
        if minutes > 0:
            m.observation.set_level(p, "intermittent_observation", policy=True, minutes=minutes)

    def discharge(self, p: Patient, reason: str):
        """Discharge `p`: record the stay and free the bed."""
        m = self.model
        m.recorder.stay(p, reason)
        m.recorder.log("discharge", p, outcome=reason)
        if p.bed is not None:
            self.bed_holder.pop(p.bed, None)
        if p.relative is not None:
            p.relative.remove()
        m.observation.release(p)
        p.remove()

    def discharges(self):
        """The day's discharges: patients ready (level and days at it), or at the longest stay."""
        m = self.model
        flow = m.params.flow
        for p in self.patients():
            stay = m.clock.day - p.admitted_day
            if p.level >= flow.discharge_level and p.days_at_level >= flow.discharge_after_days:
                self.discharge(p, "ready")
            elif stay >= flow.max_stay_days:
                self.discharge(p, "max_stay")

    def admissions(self):
        """The day's admissions, up to the occupancy target and the day's most."""
        for _ in range(self.model.params.flow.admissions_per_day):
            if self.census() >= self.target or self.admit(self.model.clock.day) is None:
                break

    def day_places(self, minute: int):
        """A day hospital opens and closes: its patients arrive and go home."""
        m = self.model
        if minute == DAY_HOSPITAL_HOURS[0]:
            for p in self.patients():
                if not p.present:
                    p.arrive(m.layout.points["entrance"])
        elif minute == DAY_HOSPITAL_HOURS[1]:
            for p in self.patients():
                if p.present:
                    p.leave()
