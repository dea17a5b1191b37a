"""Conflict: agitation, conflict, who sees it, and the staff response (rules/conflict.py).

Each step patients' agitation decays and gathers from symptoms, crowding and
personal-space intrusion; above a patient's threshold conflict arises at a
rate. Staff who can see it talk it down or contain it; what nobody sees may
escalate. Containment ends the incident but costs trust and raises later risk
(Safewards, Bowers 2014).
"""

from __future__ import annotations

import numpy as np

from milieusim.kinds import PATIENT, STAFF, Activity
from milieusim.rules import conflict as cf
from milieusim.rules import levels as lv
from milieusim.rules.choices import RESPONSE_MINUTES
from milieusim.space.informal import HALL_PERSONAL_M, intrusion
from milieusim.space.symbols import Facing, Zone

#: Floor area per person before a room feels crowded, m2 (assumption; EVIDENCE: design, social density).
COMFORT_M2_PER_PERSON = 3.0
FACING_VEC = np.array([f.vector for f in Facing] + [(0, 0)], dtype=float)  # index -1: no heading


class Conflict:
    """The conflict phase, incidents and containment."""

    def __init__(self, model):
        self.model = model
        cell_m2 = model.layout.cell_size_m**2
        self.room_comfort = np.array(
            [max(1, int(len(room.cells) * cell_m2 / COMFORT_M2_PER_PERSON)) for room in model.layout.rooms]
        )

    # ------------------------------------------------------------ the conflict phase

    def step(self):
        """Agitation decays and gathers; above their threshold patients may start a conflict."""
        m = self.model
        r = m.roster
        sc = m.params.conflict
        dt = m.clock.dt
        pts = np.flatnonzero(r.present & (r.role == PATIENT))
        if pts.size == 0:
            return
        a = cf.decay(r.agitation[pts], dt, sc.half_life_minutes)
        # per-minute rates over the step, so results do not hang on the step length
        a += dt * sc.arousal_symptoms * r.severity[pts]
        a += dt * (sc.crowding * self._crowding(pts) + sc.intrusion * self._intrusion(pts))
        r.agitation[pts] = np.clip(a, 0.0, 1.0)
        threshold = cf.threshold_now(
            r.threshold[pts], m.steps < r.risk_until[pts], sc.containment_threshold_drop
        )
        p = cf.conflict_probability(r.agitation[pts], threshold, sc.hazard_per_hour, dt)
        hit = m.streams["behaviour"].random(pts.size) < p
        for slot in pts[hit]:
            self.conflict(r.agents[slot])

    def _crowding(self, pts: np.ndarray) -> np.ndarray:
        """People over each patient's room's comfortable number."""
        r = self.model.roster
        present_rooms = r.room[r.present & (r.room >= 0)]
        counts = np.bincount(present_rooms, minlength=len(self.room_comfort))
        return np.maximum(0, counts[r.room[pts]] - self.room_comfort[r.room[pts]])

    def _intrusion(self, pts: np.ndarray) -> np.ndarray:
        """Sum of personal-space intrusion into each patient's zone by people near them (Hall, Kinzel).

        Uses the pairs within social distance found by the encounter phase this step.
        """
        m = self.model
        r = m.roster
        near = m.encounters.near
        if near is None:
            return np.zeros(pts.size)
        a, b = near
        src, other = np.concatenate([a, b]), np.concatenate([b, a])
        keep = (r.role[src] == PATIENT) & (
            r.partner[other] != src
        )  # a visiting relative's closeness is welcome
        src, other = src[keep], other[keep]
        if src.size == 0:
            return np.zeros(pts.size)
        personal = HALL_PERSONAL_M * r.sensitivity[src] * (1.0 + r.agitation[src])
        depth = intrusion(r.pos[src], FACING_VEC[r.facing[src]], personal, r.pos[other], m.layout.cell_size_m)
        return np.bincount(src, weights=depth, minlength=r.capacity)[pts]

    # ------------------------------------------------------------ one conflict

    def conflict(self, p):
        """A conflict by `p`: its kind, whether staff see it, and their response (rules/conflict.py)."""
        m = self.model
        sc = m.params.conflict
        rng = m.streams["behaviour"]
        kind = cf.choose_kind(p.severity, p.level, rng.random(), p.proneness)
        responder = self.observer(p)
        if responder is None:
            if rng.random() < sc.unseen_escalation:
                kind = cf.ESCALATES_TO[kind]
            p.agitation *= cf.UNSEEN_CALMING
            self._incident(p, kind, seen=False, outcome="unseen", staff=None)
            return
        c = m.params.culture
        containment = cf.respond(
            kind,
            p.trust,
            c.respect,
            m.params.staffing.training,
            sc.containment_propensity,
            sc.seclusion_allowed and m.places.has_zone("extra_care"),
            rng.random(),
            rng.random(),
        )
        responder.set_task(Activity.RESPONSE)
        if containment is None:
            p.agitation *= cf.TALK_DOWN_CALMING
            p.change_trust(cf.TALK_DOWN_TRUST)
            self._incident(p, kind, seen=True, outcome="talked_down", staff=responder)
        else:
            incident = self._incident(p, kind, seen=True, outcome=containment, staff=responder)
            self.contain(p, responder, containment, incident)
        # after containment, so a responder goes where the patient now goes (e.g. the extra-care room)
        m.places.send_next_to(responder, p, Activity.RESPONSE, m.clock.until(RESPONSE_MINUTES))

    def _incident(self, p, kind, seen, outcome, staff):
        m = self.model
        p.today.incidents += 1
        p.incidents_total += 1
        if kind in cf.AGGRESSIVE:
            p.aggressive_total += 1
        if kind in cf.DESTRUCTIVE:
            p.today.destructive += 1
            before = p.level
            p.set_level(lv.demote(p.level, m.params.levels.demotion), m.clock.day)
            if p.level != before:
                m.recorder.log("demotion", p, outcome=f"L{p.level}")
        return m.recorder.log(kind, p, staff, outcome=outcome, seen=seen)

    def maybe_prn(self, p, s, rng):
        """Staff meeting a very agitated patient may give as-needed medication (containment)."""
        if p.agitation > cf.PRN_AGITATION and rng.random() < cf.PRN_OFFER * (
            self.model.params.conflict.containment_propensity
        ):
            self.contain(p, s, "prn_medication", incident=None)

    def contain(self, p, s, kind: str, incident):
        """Containment: ends the incident, costs trust and autonomy, raises later risk (Safewards)."""
        m = self.model
        sc = m.params.conflict
        clock = m.clock
        p.agitation *= cf.CONTAINMENT_CALMING
        p.change_trust(-sc.containment_trust_loss)
        p.today.contained = True
        m.roster.risk_until[p.slot] = m.steps + int(sc.containment_risk_days * clock.steps_per_day)
        if kind == "seclusion":
            rooms = m.layout.rooms_of(Zone.EXTRA_CARE)
            p.go(
                rooms[0].cells[len(rooms[0].cells) // 2],
                Activity.SECLUSION,
                clock.until(cf.SECLUSION_MINUTES),
            )
        elif kind == "restraint":
            p.go(p.here, Activity.RESTRAINT, clock.until(cf.RESTRAINT_MINUTES))
        elif kind == "special_observation":
            ends = clock.until(cf.OBSERVATION_HOURS * 60)
            m.roster.observed[p.slot] = True
            m.roster.observed_until[p.slot] = ends
            p.today.observation_started_step = m.steps
            m.schedule_event(p.end_observation, at=ends)
        m.recorder.log(kind, p, s, outcome="containment", seen=True, cause=incident)

    def observation_per_shift(self):
        """Special observation counts once per shift while it lasts, as shift reports record it."""
        m = self.model
        for p in m.flow.patients():
            if m.roster.observed[p.slot] and p.today.observation_started_step != m.steps:
                m.recorder.log("special_observation", p, outcome="containment", seen=True)

    def observer(self, p):
        """The nearest member of staff who can see `p` within sight range, or None."""
        m = self.model
        r = m.roster
        staff = np.flatnonzero(r.present & (r.role == STAFF))
        if staff.size == 0:
            return None
        d = np.hypot(*(r.pos[staff] - r.pos[p.slot]).T) * m.layout.cell_size_m
        order = np.argsort(d, kind="stable")
        if r.observed[p.slot]:
            return r.agents[staff[order[0]]]
        for k in order:
            if d[k] > m.params.conflict.sight_range_m:
                break
            if m.geometry.line_of_sight(tuple(r.pos[staff[k]]), tuple(r.pos[p.slot])):
                return r.agents[staff[k]]
        return None
