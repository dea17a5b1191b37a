"""What happens when people meet on the ward: encounters, conflict, staff response, containment.

Operations used by the encounter and conflict phases of `MilieuModel`; each
applies a pure rule (`rules/interaction.py`, `rules/conflict.py`) to the people
involved and records what happened.
"""

from __future__ import annotations

import numpy as np

from milieusim.agents.patient import Patient
from milieusim.agents.person import PATIENT, RELATIVE, STAFF
from milieusim.rules import conflict as cf
from milieusim.rules import interaction as ia
from milieusim.rules import levels as lv
from milieusim.space import rearrange
from milieusim.space.symbols import Facing, Zone

SECLUSION_MINUTES, RESTRAINT_MINUTES, OBSERVATION_HOURS = 240, 15, 24
PRN_AGITATION = 0.35  # staff offer as-needed medication above this agitation (calibrated)


class EncounterOps:
    """Encounters and conflict, mixed into `MilieuModel`."""

    # ------------------------------------------------------------ encounters

    def meet(self, x, y):
        """An encounter between two people (rules/interaction.py)."""
        roles = {x.role, y.role}
        c = self.params.culture
        rng = self.streams["behaviour"]
        if roles == {PATIENT}:
            for a, b in ((x, y), (y, x)):
                e = ia.patient_patient(
                    a.level,
                    b.level,
                    self.roster.power[a.slot],
                    self.roster.power[b.slot],
                    a.agitation,
                    c.respect,
                    rng.random(),
                )
                self._apply(b, e, other=a)
                if e.kind != "conversation":
                    break
            self._maybe_group_chairs(x, y)
        elif roles == {PATIENT, STAFF}:
            p, s = (x, y) if x.role == PATIENT else (y, x)
            strict = c.consistency * (1.0 - c.needs_focus)
            e = ia.staff_patient(
                p.agitation, c.needs_focus, c.respect, c.consistency, strict, rng.random(), rng.random()
            )
            self._apply(p, e, other=s)
            self._maybe_prn(p, s, rng)
            self._maybe_reline(s, rng)
        elif roles == {PATIENT, RELATIVE}:
            p, f = (x, y) if x.role == PATIENT else (y, x)
            if f.patient is p:
                self._apply(p, ia.family_time(f.tense), other=f)
                f.tense = False  # bad news lands once

    def _apply(self, p, e, other):
        sc = self.params.conflict
        p.change_trust(e.trust)
        p.change_autonomy(e.autonomy)
        p.agitation += e.agitation
        if e.flashpoint == "limit_setting":
            p.agitation += cf.limit_setting_flashpoint(sc.limit_setting, self.params.culture.respect)
        elif e.flashpoint == "bullying":
            p.agitation += sc.bullying
        elif e.flashpoint == "bad_news":
            p.agitation += sc.bad_news
        if e.peer_help:
            other.today.peer_help += 1
        self.recorder.encounter(e.kind, p, other)

    def _maybe_prn(self, p, s, rng):
        """Staff meeting a very agitated patient may give as-needed medication (containment)."""
        if p.agitation > PRN_AGITATION and rng.random() < 0.8 * self.params.conflict.containment_propensity:
            self._contain(p, s, "prn_medication", incident=None)

    def _maybe_reline(self, s, rng):
        """Staff on observation re-line a chair of the room they are in along its walls.

        As custodial wards do (Osmond 1957; Sommer and Ross 1958).
        """
        if s.activity != "observation" or rng.random() >= self.params.culture.chair_tidiness * 0.2:
            return
        room = int(self.roster.room[s.slot])
        chairs = [
            pc.id
            for pc in self.arrangement.pieces
            if pc.kind == "chair"
            and int(self.layout.room_of[pc.cells[0]]) == room
            and pc.cells[0] not in self.seat_holder
        ]
        if chairs and rearrange.reline_chair(self.arrangement, chairs[int(rng.integers(0, len(chairs)))]):
            self.furniture_moved()
            self.recorder.furniture("reline")

    def _maybe_group_chairs(self, a, b):
        """An autonomous patient pulls their chair round the corner from a companion (Sommer)."""
        r = self.roster
        if a.autonomy < 0.6 or a.slot not in self.slot_seat or b.slot not in self.slot_seat:
            return
        piece = int(self.arrangement.piece_at[self.slot_seat[a.slot]])
        if piece < 0 or self.arrangement.pieces[piece].kind != "chair":
            return
        partner = self.slot_seat[b.slot]
        if rearrange.group_chair(self.arrangement, piece, partner, Facing(int(r.facing[b.slot]))):
            self.release_seat(a.slot)
            moved = self.arrangement.pieces[piece]
            self.seat_holder[moved.cells[0]] = a.slot
            self.slot_seat[a.slot] = moved.cells[0]
            a._put(moved.cells[0])
            a.go(moved.cells[0], a.activity, int(r.busy_until[a.slot]), int(moved.facing))
            self.furniture_moved()
            self.recorder.furniture("group")

    # ------------------------------------------------------------ conflict

    def conflict(self, p: Patient):
        """A conflict by `p`: its kind, whether staff see it, and their response (rules/conflict.py)."""
        sc = self.params.conflict
        rng = self.streams["behaviour"]
        kind = cf.choose_kind(p.severity, p.level, rng.random(), p.proneness)
        responder = self.observer(p)
        if responder is None:
            if rng.random() < sc.unseen_escalation:
                kind = cf.ESCALATES_TO[kind]
            p.agitation *= 0.5
            self._incident(p, kind, seen=False, outcome="unseen", staff=None)
            return
        c = self.params.culture
        containment = cf.respond(
            kind,
            p.trust,
            c.respect,
            self.params.staffing.training,
            sc.containment_propensity,
            sc.seclusion_allowed and self.has_zone("extra_care"),
            rng.random(),
            rng.random(),
        )
        responder.set_task("response")
        if containment is None:
            p.agitation *= 0.3
            p.change_trust(0.02)
            self._incident(p, kind, seen=True, outcome="talked_down", staff=responder)
        else:
            incident = self._incident(p, kind, seen=True, outcome=containment, staff=responder)
            self._contain(p, responder, containment, incident)
        # after containment, so a responder goes where the patient now goes (e.g. the extra-care room)
        self.send_next_to(responder, p, "response", self.until(15))

    def _incident(self, p, kind, seen, outcome, staff):
        p.today.incidents += 1
        p.incidents_total += 1
        if kind in cf.AGGRESSIVE:
            p.aggressive_total += 1
        if kind in cf.DESTRUCTIVE:
            p.today.destructive += 1
            before = p.level
            p.set_level(lv.demote(p.level, self.params.levels.demotion), self.day)
            if p.level != before:
                self.log_event("demotion", p, outcome=f"L{p.level}")
        return self.log_event(kind, p, staff, outcome=outcome, seen=seen)

    def _contain(self, p, s, kind: str, incident):
        """Containment: ends the incident, costs trust and autonomy, raises later risk (Safewards)."""
        sc = self.params.conflict
        p.agitation *= 0.2
        p.change_trust(-sc.containment_trust_loss)
        p.today.contained = True
        p.risk_until_step = self.steps + int(sc.containment_risk_days * self.steps_per_day)
        p.sync()
        if kind == "seclusion":
            rooms = self.layout.rooms_of(Zone.EXTRA_CARE)
            p.go(
                rooms[0].cells[len(rooms[0].cells) // 2],
                "seclusion",
                self.until(SECLUSION_MINUTES),
            )
        elif kind == "restraint":
            p.go(p.here, "restraint", self.until(RESTRAINT_MINUTES))
        elif kind == "special_observation":
            self.roster.observed[p.slot] = True
            self.roster.observed_until[p.slot] = self.until(OBSERVATION_HOURS * 60)
            p.today.observation_started_step = self.steps
            self.schedule_event(p.end_observation, at=self.until(OBSERVATION_HOURS * 60))
        self.log_event(kind, p, s, outcome="containment", seen=True, cause=incident)

    def observer(self, p):
        """The nearest member of staff who can see `p` within sight range, or None."""
        r = self.roster
        staff = np.flatnonzero(r.present & (r.role == STAFF))
        if staff.size == 0:
            return None
        d = np.hypot(*(r.pos[staff] - r.pos[p.slot]).T) * self.layout.cell_size_m
        order = np.argsort(d, kind="stable")
        if r.observed[p.slot]:
            return r.agents[staff[order[0]]]
        for k in order:
            if d[k] > self.params.conflict.sight_range_m:
                break
            if self.geometry.line_of_sight(tuple(r.pos[staff[k]]), tuple(r.pos[p.slot])):
                return r.agents[staff[k]]
        return None
