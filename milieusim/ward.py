"""The ward's operations, used by the phases of `MilieuModel`.

People in and out, the day's fixed events, encounters, conflict and response,
and getting people to places.

Each operation applies a pure rule from `rules/` and records what happened.
"""

from __future__ import annotations

import numpy as np

from milieusim.agents.family import Relative
from milieusim.agents.patient import Patient
from milieusim.agents.person import PATIENT
from milieusim.agents.staff import Staff
from milieusim.params_tables import minutes_of
from milieusim.rules import conflict as cf
from milieusim.rules import levels as lv
from milieusim.rules import power
from milieusim.rules.schedule import SHIFTS, on_shift
from milieusim.space.symbols import SOCIAL_ZONES, ZONE_BY_NAME, Zone

DAY_HOSPITAL_HOURS = (9 * 60, 16 * 60 + 30)
#: Minutes at which staff come and go: nursing shifts, and office hours of therapists and doctors.
CHANGE_MINUTES = frozenset({start for _, start, _ in SHIFTS} | {9 * 60, 17 * 60})
#: Where to stand by someone: two cells (1 m at 0.5 m cells) off first, then adjacent.
NEAR_OFFSETS = (
    (0, 2),
    (2, 0),
    (0, -2),
    (-2, 0),
    (2, 2),
    (-2, -2),
    (2, -2),
    (-2, 2),
    (0, 1),
    (1, 0),
    (0, -1),
    (-1, 0),
    (1, 1),
    (-1, -1),
    (1, -1),
    (-1, 1),
)
OUTREACH_MINUTE = 10 * 60
DISCHARGE_MINUTE, ADMISSION_MINUTE = 11 * 60, 14 * 60
HIGH_RISK_SEVERITY = 0.8  # admitted this ill: special observation from the start (assumption)


class WardOps:
    """Operations of the ward, mixed into `MilieuModel`."""

    # ------------------------------------------------------------ people

    def _init_people(self):
        from milieusim.agents.person import Roster

        self.roster = Roster()
        self.bed_holder: dict[tuple[int, int], Patient] = {}
        self.staff: list[Staff] = []
        self.stays: list[dict] = []
        self.events: list[tuple] = []
        sc = self.params.staffing
        if self.setting == "home":
            self.staff.append(Staff(self, "nurse", "outreach", "outreach nurse 1"))
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
        if self.setting == "day":  # a day hospital has no nights
            counts[("nurse", "night")] = counts[("assistant", "night")] = 0
        for (kind, shift), n in counts.items():
            for k in range(n):
                self.staff.append(Staff(self, kind, shift, f"{kind} {shift} {k + 1}"))

    def _start(self):
        """Fill the ward to its target at time 0 (patients mid-stay) and bring on the first shift."""
        flow = self.params.flow
        rng = self.streams["admissions"]
        if flow.start_full or self.setting == "home":
            for _ in range(self.target):
                p = self.admit(day=0)
                if p is None:
                    break
                # patients part-way through a stay: some days in, symptoms eased accordingly
                days_in = int(rng.integers(0, 30)) if self.setting != "home" else 0
                p.admitted_day = -days_in
                p.severity = float(
                    np.clip(p.severity - self.params.illness.recovery_per_day * days_in, 0.05, 1)
                )
                p.set_level(1 if p.severity > 0.55 else 2 if p.severity > 0.4 else 3, 0)
                p.level_reached_day = {p.level: 0}
                p.left_censored = True
                p.sync()
        if self.setting == "home":
            for p in self.patients():
                if p.relative is None:
                    p.relative = Relative(self, p)
                p.relative.arrive(self.layout.points["entrance"])

    def patients(self) -> list[Patient]:
        """Current patients (admitted, not discharged), in admission order."""
        return [a for a in self.agents_by_type.get(Patient, [])]

    def census(self) -> int:
        """Patients currently admitted."""
        return len(self.agents_by_type.get(Patient, []))

    def admit(self, day: int) -> Patient | None:
        """Admit one patient from the queue to a free bed; None when no bed is free."""
        rng = self.streams["admissions"]
        ill = self.params.illness
        bed, room = None, None
        if self.setting in ("inpatient", "home"):
            free = [(cell, rid) for cell, rid in self.beds if cell not in self.bed_holder]
            if not free:
                return None
            bed, room = free[0]
        severity = float(np.clip(rng.normal(ill.severity_mean, ill.severity_sd), 0.05, 1.0))
        thr = float(
            np.clip(
                rng.normal(self.params.conflict.threshold_mean, self.params.conflict.threshold_sd), 0.05, 0.98
            )
        )
        pw = float(power.patient_power(1, self.params.culture.power_inequality, rng)[0])
        sensitivity = float(rng.uniform(0.9, 1.3))  # Horowitz: some keep larger buffer zones
        prone = cf.proneness(rng, self.params.conflict.aggression_spread)
        p = Patient(self, severity, bed, room, pw, thr, sensitivity, day)
        p.proneness = prone
        spread = self.params.illness.recovery_spread
        p.recovery_k = cf.proneness(rng, spread)  # the same mean-1 lognormal draw, for recovery pace
        if bed is not None:
            self.bed_holder[bed] = p
        has_family = rng.random() < self.params.family.share_with_family
        goal = rng.random()
        prog = self.params.programme
        p.goal = "job" if goal < prog.jobs else "chore" if goal < prog.jobs + prog.chores else "personal"
        p.left_censored = False
        if has_family:
            p.relative = Relative(self, p)
        if self.setting != "day" or DAY_HOSPITAL_HOURS[0] <= self.minute < DAY_HOSPITAL_HOURS[1]:
            p.arrive(self.layout.points["entrance"])
        self.log_event("admission", p)
        if severity > HIGH_RISK_SEVERITY and p.present and self.steps > 0:
            self._contain(p, None, "special_observation", incident=None)
        return p

    def discharge(self, p: Patient, reason: str):
        """Discharge `p`: record the stay and free the bed."""
        self.recorder.stay(p, reason)
        self.log_event("discharge", p, outcome=reason)
        if p.bed is not None:
            self.bed_holder.pop(p.bed, None)
        if p.relative is not None:
            p.relative.remove()
        p.remove()

    # ------------------------------------------------------------ the day's fixed events

    def _start_day(self):
        """Midnight: plan today's visits."""
        fam = self.params.family
        if self.setting == "home" or fam.visits_per_week == 0:
            return
        visiting = [b for b in self.timetable.blocks if b.activity == "visiting"]
        if not visiting:
            return
        rng = self.streams["visits"]
        for p in self.patients():
            if p.relative is None or rng.random() >= min(1.0, fam.visits_per_week / 7.0):
                continue
            block = visiting[int(rng.integers(0, len(visiting)))]
            start, end = minutes_of(block.start), minutes_of(block.end)
            minute = start + self.dt * int(rng.integers(0, max(1, (end - start) // self.dt)))
            self.schedule_event(
                p.relative.arrive_for_visit, at=self.steps + (minute - self.minute) // self.dt
            )

    def ward_clock(self, minute: int):
        """Fixed events at given minutes: shifts, review, discharges, admissions, day places, outreach."""
        if minute in CHANGE_MINUTES or self.now == 0:
            self._shift_change(minute)
        if minute == self.review_minute:
            self.review()
        if minute == DISCHARGE_MINUTE and self.setting != "home":
            self._discharges()
        if minute == ADMISSION_MINUTE and self.setting != "home":
            for _ in range(self.params.flow.admissions_per_day):
                if self.census() >= self.target or self.admit(self.day) is None:
                    break
        if self.setting == "day":
            if minute == DAY_HOSPITAL_HOURS[0]:
                for p in self.patients():
                    if not p.present:
                        p.arrive(self.layout.points["entrance"])
            elif minute == DAY_HOSPITAL_HOURS[1]:
                for p in self.patients():
                    if p.present:
                        p.leave()
        if self.setting == "home" and minute == OUTREACH_MINUTE:
            self._outreach()

    def _shift_change(self, minute: int):
        weekday = self.day % 7
        changed = False
        for s in self.staff:
            if s.shift == "outreach":
                continue
            duty = on_shift(s.kind, minute, weekday, s.shift if s.shift != "office" else "early")
            if duty and not s.present:
                s.arrive(self.layout.points.get("staff_base", self.layout.points["entrance"]))
                s.handover_due = s.kind in ("nurse", "assistant")
                changed = True
            elif not duty and s.present:
                s.leave()
                s.model.roster.task[s.slot] = -1
        if minute in [start for _, start, _ in SHIFTS]:
            self._observation_per_shift()
        if changed and self.now > 0:  # new faces: a flashpoint from the staff team
            r = self.roster
            pts = r.present & (r.role == PATIENT)
            r.agitation[pts] = np.minimum(1.0, r.agitation[pts] + self.params.conflict.staff_change)

    def _observation_per_shift(self):
        """Special observation counts once per shift while it lasts, as shift reports record it."""
        for p in self.patients():
            if self.roster.observed[p.slot] and p.today.observation_started_step != self.steps:
                self.log_event("special_observation", p, outcome="containment", seen=True)

    def _outreach(self):
        nurse = self.staff[0]
        patients = [p for p in self.patients() if p.present]
        if not patients:
            return
        nurse.arrive(self.layout.points["entrance"])
        nurse.set_task("outreach")
        until = self.until(60)
        self.send_next_to(nurse, patients[0], "outreach", until)
        self.schedule_event(nurse.leave, at=until)

    def review(self):
        """The daily staff review of every patient's level (rules/levels.py)."""
        lvl = self.params.levels
        noise = lvl.review_noise * (1.0 - self.params.culture.consistency)
        rng = self.streams["review"]
        for p in self.patients():
            new, notes = lv.review(p.level, p.days_at_level, p.log, lvl.rules, noise, rng)
            if new != p.level:
                p.set_level(new, self.day)
                self.log_event("promotion", p, outcome=f"L{new}")

    def _discharges(self):
        flow = self.params.flow
        for p in self.patients():
            stay = self.day - p.admitted_day
            if p.level >= flow.discharge_level and p.days_at_level >= flow.discharge_after_days:
                self.discharge(p, "ready")
            elif stay >= flow.max_stay_days:
                self.discharge(p, "max_stay")

    def community_meeting(self):
        """The daily community meeting decides one matter with weighted voices (rules/power.py)."""
        if not self.params.programme.community_meeting:
            return
        r = self.roster
        attending = [p for p in self.patients() if p.present and p.activity == "meeting"]
        n_staff = sum(1 for s in self.staff if s.present and s.activity == "meeting")
        if not attending:
            return
        c = self.params.culture
        passed, heard, gini = power.meeting(
            [r.power[p.slot] for p in attending],
            max(n_staff, 1),
            c.power_balance,
            c.autonomy_support,
            self.streams["behaviour"],
        )
        for p, h in zip(attending, heard, strict=True):
            if h > 0:
                p.today.heard += float(h)
                p.change_trust(0.05 * min(1.0, h * len(attending)))
        self.recorder.meeting(gini, passed, len(attending))

    def _end_day(self):
        for p in self.patients():
            p.end_day()
        self.recorder.end_day(self.day)

    # ------------------------------------------------------------ places

    def send_to_zone(self, person, zone_name: str, activity: str, until: int, sit: bool):
        """Send `person` to a room of a zone type for `activity`: a free seat if `sit`, else a spot."""
        zone = ZONE_BY_NAME[zone_name]
        rooms = (
            self.layout.rooms_of(zone)
            or self.layout.rooms_of(Zone.DAYROOM)
            or self.layout.rooms_of(Zone.CORRIDOR)
        )
        rng = self.streams["behaviour"]
        here = self.roster.room[person.slot]
        room = next((rm for rm in rooms if rm.id == here), None) or rooms[int(rng.integers(0, len(rooms)))]
        self.release_seat(person.slot)
        if sit:
            free = [(cell, f) for cell, f in self.seats_in(room.id) if cell not in self.seat_holder]
            if free:
                cell, facing = free[int(rng.integers(0, len(free)))]
                self.seat_holder[cell] = person.slot
                self.slot_seat[person.slot] = cell
                person.go(cell, activity, until, int(facing))
                return
        spots = self.spots[room.id]
        spot = spots[int(rng.integers(0, len(spots)))]
        # stand somewhere around the spot (within a metre), walking by the spot's cached field
        dr, dc = (int(v) for v in rng.integers(-2, 3, size=2))
        cell = (spot[0] + dr, spot[1] + dc)
        if not (0 <= cell[0] < self.layout.shape[0] and 0 <= cell[1] < self.layout.shape[1]) or (
            self.layout.room_of[cell] != room.id
        ):
            cell = spot
        person.go(cell, activity, until, anchor=spot)

    def zone_with_free_seat(self, zones: tuple[str, ...]) -> str:
        """The first of `zones` present on the ward with a free seat (else the first present)."""
        present = [z for z in zones if self.has_zone(z)] or ["dayroom"]
        for name in present:
            for room in self.layout.rooms_of(ZONE_BY_NAME[name]):
                if any(cell not in self.seat_holder for cell, _ in self.seats_in(room.id)):
                    return name
        return present[0]

    def send_next_to(self, person, other, activity: str, until: int):
        """Send `person` to stand by `other` (one-to-one time, a visit, a response)."""
        self.release_seat(person.slot)
        target = tuple(int(v) for v in self.roster.dest[other.slot])
        anchor = tuple(int(v) for v in self.roster.anchor[other.slot])
        cell = target
        for dr, dc in NEAR_OFFSETS:  # about a metre away first: Hall's personal distance, far phase
            c = (target[0] + dr, target[1] + dc)
            if (
                0 <= c[0] < self.layout.shape[0]
                and 0 <= c[1] < self.layout.shape[1]
                and self.layout.floor[c]
                and self.layout.room_of[c] == self.layout.room_of[target]
            ):
                cell = c
                break
        person.go(cell, activity, until, anchor=anchor)

    def release_seat(self, slot: int):
        """Give up the seat `slot` holds, if any."""
        cell = self.slot_seat.pop(slot, None)
        if cell is not None:
            self.seat_holder.pop(cell, None)

    def most_in_need(self, rng):
        """The present patient staff would go to first: most agitated, least trusting (ties at random)."""
        pts = [p for p in self.patients() if p.present]
        if not pts:
            return None
        need = np.array([p.agitation + 0.5 * (1 - p.trust) for p in pts]) + 0.1 * rng.random(len(pts))
        return pts[int(np.argmax(need))]

    def busiest_social_zone(self) -> str:
        """The social zone with most patients now (dayroom when none)."""
        r = self.roster
        rooms = r.room[r.present & (r.role == PATIENT) & (r.room >= 0)]
        per_zone = np.bincount(self.zone_of_room[rooms], minlength=len(Zone) + 2)
        best, most = "dayroom", 0
        for zone in SOCIAL_ZONES:
            n = int(per_zone[zone])
            if n > most:
                best, most = zone.name.lower(), n
        return best

    def join_family_session(self, relative, until: int):
        """A therapist (or else a nurse) joins a visit for a family session."""
        free = [s for s in self.staff if s.present and s.activity in ("office", "observation")]
        free.sort(key=lambda s: s.kind != "therapist")
        if free:
            free[0].set_task("family")
            self.send_next_to(free[0], relative, "family", until)

    def request(self, p: Patient, until: int):
        """A patient asks staff for something (leave, a call, a change): granted or denied."""
        c = self.params.culture
        self.send_to_zone(
            p, "staff_base" if self.has_zone("staff_base") else "corridor", "request", until, sit=False
        )
        grant = c.autonomy_support * (0.6 + 0.1 * p.level)
        if self.streams["behaviour"].random() < grant:
            p.change_autonomy(0.02)
            p.change_trust(0.01)
            self.log_event("request", p, outcome="granted")
        else:
            p.agitation += cf.limit_setting_flashpoint(self.params.conflict.denied_request, c.respect)
            p.change_trust(-0.01)
            self.log_event("request", p, outcome="denied")

    def log_event(self, kind: str, who, other=None, outcome: str = "", seen: bool = True, cause=None):
        """Add a row to the events table; returns its index."""
        r = self.roster
        pos = tuple(r.pos[who.slot]) if who.present else (-1, -1)
        room = int(self.layout.room_of[pos]) if who.present else -1
        self.events.append(
            (
                self.now,
                self.day,
                self.minute,
                kind,
                who.unique_id,
                other.unique_id if other is not None else -1,
                room,
                pos[0],
                pos[1],
                outcome,
                seen,
                -1 if cause is None else cause,
            )
        )
        if kind in cf.CONFLICT_KINDS and who.present:
            self.recorder.incident_at(pos)
        return len(self.events) - 1
