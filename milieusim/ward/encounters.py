"""Encounters: who meets whom on the ward, and what a meeting does (rules/interaction.py).

Each step, pairs in the same room within social distance may fall into an
encounter, more likely the closer they are and, for two seated people, the
better their seats face each other (Sommer). What an encounter is depends on
who meets: two patients (conversation, peer help, bullying), a patient and
staff (conversation, support, limit setting), a patient and their relative.
Encounters also move furniture: staff tidy chairs into rows, autonomous
patients pull a chair round to a companion ([@osmond1957; @sommer1958]).
A patient's request to staff is answered here too.
"""

from __future__ import annotations

import numpy as np

from milieusim.jit import kernel
from milieusim.kinds import PATIENT, RELATIVE, STAFF, Activity
from milieusim.rules import choices
from milieusim.rules import interaction as ia
from milieusim.rules.safewards import weaken
from milieusim.space import rearrange
from milieusim.space.seating import SOMMER_WEIGHTS, pair_weight
from milieusim.space.symbols import Facing


@kernel
def near_pairs(present, room, pos, dest, facing, cell_m):
    """Pairs (a, b) of present people in the same room within social distance, a before b in `present`.

    Returns the slots a and b, their distance in metres, and whether both sit in their seats.
    """
    n = present.size
    cap = n * (n - 1) // 2
    a, b = np.empty(cap, np.int64), np.empty(cap, np.int64)
    dist, seated = np.empty(cap), np.empty(cap, np.bool_)
    k = 0
    for i in range(n):
        x = present[i]
        for j in range(i + 1, n):
            y = present[j]
            if room[x] != room[y]:
                continue
            d = np.hypot(float(pos[x, 0] - pos[y, 0]), float(pos[x, 1] - pos[y, 1])) * cell_m
            if d < ia.HALL_SOCIAL_M:
                a[k], b[k], dist[k] = x, y, d
                seated[k] = (
                    facing[x] >= 0
                    and facing[y] >= 0
                    and pos[x, 0] == dest[x, 0]
                    and pos[x, 1] == dest[x, 1]
                    and pos[y, 0] == dest[y, 0]
                    and pos[y, 1] == dest[y, 1]
                )
                k += 1
    return a[:k], b[:k], dist[:k], seated[:k]


@kernel
def encounter_chances(a, b, dist, seated, pos, facing, role, severity, trust, minutes, cell_m, sommer):
    """Each pair's chance of an encounter this step: how their seats face or how near they are, and readiness.

    Two seated people converse by how their seats face each other (`sommer` weights);
    others by their distance. Staff and relatives seek people out: their readiness counts fully.
    """
    p = np.empty(a.size)
    for k in range(a.size):
        x, y = a[k], b[k]
        if seated[k]:
            w = pair_weight(
                pos[y, 0] - pos[x, 0], pos[y, 1] - pos[x, 1], facing[x], facing[y], cell_m, sommer
            )
        else:
            w = ia.proximity_weight(dist[k])
        soc_a = ia.sociability(severity[x], trust[x]) if role[x] == PATIENT else 1.0
        soc_b = ia.sociability(severity[y], trust[y]) if role[y] == PATIENT else 1.0
        p[k] = ia.encounter_probability(w, soc_a * soc_b, minutes)
    return p


class Encounters:
    """The encounter phase and what encounters do."""

    def __init__(self, model):
        self.model = model
        #: Pairs (a, b) of slots within social distance this step, for the conflict phase.
        self.near: tuple[np.ndarray, np.ndarray] | None = None

    # ------------------------------------------------------------ the encounter phase

    def step(self):
        """Pairs in the same room within social distance may meet; the pairs are kept for intrusion."""
        m = self.model
        r = m.roster
        cell_m = m.layout.cell_size_m
        self.near = None
        a, b, d, seated = near_pairs(r.present.nonzero()[0], r.room, r.pos, r.dest, r.facing, cell_m)
        if a.size == 0:
            return
        self.near = (a, b)
        p = encounter_chances(
            a, b, d, seated, r.pos, r.facing, r.role, r.severity, r.trust, m.clock.dt, cell_m, SOMMER_WEIGHTS
        )
        hit = m.streams["behaviour"].random(p.size) < p
        for x, y in zip(a[hit].tolist(), b[hit].tolist(), strict=True):
            px, py = r.agents[x], r.agents[y]
            if px is not None and py is not None:  # not gone since the pairs were found (a transfer)
                self.meet(px, py)

    # ------------------------------------------------------------ one encounter

    def meet(self, x, y):
        """An encounter between two people (rules/interaction.py)."""
        m = self.model
        roles = {x.role, y.role}
        c = m.params.culture
        rng = m.streams["behaviour"]
        if roles == {PATIENT}:
            for a, b in ((x, y), (y, x)):
                e = ia.patient_patient(
                    a.level,
                    b.level,
                    m.roster.power[a.slot],
                    m.roster.power[b.slot],
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
                p.agitation,
                c.needs_focus,
                c.respect,
                c.consistency,
                strict,
                m.params.conflict.demand_share,
                weaken(m.params.safewards.clear_mutual_expectations),
                rng.random(),
                rng.random(),
                rng.random(),
            )
            self._apply(p, e, other=s)
            m.containment.maybe_prn(p, s, rng)
            self._maybe_reline(s, rng)
        elif roles == {PATIENT, RELATIVE}:
            p, f = (x, y) if x.role == PATIENT else (y, x)
            if f.patient is p:
                self._apply(p, ia.family_time(f.tense), other=f)
                f.tense = False  # bad news lands once

    def _apply(self, p, e, other):
        p.change_trust(e.trust)
        p.change_autonomy(e.autonomy)
        p.agitation += e.agitation
        if e.peer_help:
            other.today.peer_help += 1
        self.model.recorder.encounter(e.kind, p, other)
        if e.flashpoint is not None:  # the staff member who set a limit, the bully; bad news has no source
            self.model.conflict.flashpoint(
                p, e.flashpoint, source=None if e.flashpoint == "bad_news" else other
            )

    def request(self, p, until: int):
        """A patient asks staff for something (leave, a call, a change): granted or denied."""
        m = self.model
        c = m.params.culture
        zone = "staff_base" if m.places.has_zone("staff_base") else "corridor"
        m.places.send_to_zone(p, zone, Activity.REQUEST, until, sit=False)
        if m.streams["behaviour"].random() < choices.request_grant_chance(c.autonomy_support, p.level):
            p.change_autonomy(choices.REQUEST_GRANTED_AUTONOMY)
            p.change_trust(choices.REQUEST_GRANTED_TRUST)
            m.recorder.log("request", p, outcome="granted")
        else:
            p.change_trust(choices.REQUEST_DENIED_TRUST)
            m.recorder.log("request", p, outcome="denied")
            m.conflict.flashpoint(p, "refused_request", source=m.staffing.nearest_staff(p))

    # ------------------------------------------------------------ furniture moved in encounters

    def _maybe_reline(self, s, rng):
        """Staff on observation re-line a chair of the room they are in along its walls.

        As custodial wards do ([@osmond1957; @sommer1958]).
        """
        m = self.model
        if s.activity != Activity.OBSERVATION or rng.random() >= m.params.culture.chair_tidiness * (
            choices.RELINE_CHANCE
        ):
            return
        room = int(m.roster.room[s.slot])
        places = m.places
        chairs = [
            pc.id
            for pc in m.arrangement.pieces
            if pc.kind == "chair"
            and int(m.layout.room_of[pc.cells[0]]) == room
            and places.holder_of(pc.cells[0]) is None
        ]
        if chairs and rearrange.reline_chair(m.arrangement, chairs[int(rng.integers(0, len(chairs)))]):
            places.furniture_moved()
            m.recorder.furniture("reline")

    def _maybe_group_chairs(self, a, b):
        """An autonomous patient pulls their chair round the corner from a companion (Sommer)."""
        m = self.model
        places = m.places
        seat_a, seat_b = places.seat_of(a.slot), places.seat_of(b.slot)
        if a.autonomy < choices.GROUP_CHAIR_AUTONOMY or seat_a is None or seat_b is None:
            return
        piece = int(m.arrangement.piece_at[seat_a])
        if piece < 0 or m.arrangement.pieces[piece].kind != "chair":
            return
        if rearrange.group_chair(m.arrangement, piece, seat_b, Facing(int(m.roster.facing[b.slot]))):
            moved = m.arrangement.pieces[piece]
            places.take_seat(a.slot, moved.cells[0])
            a.put(moved.cells[0])
            a.go(moved.cells[0], a.activity, int(m.roster.busy_until[a.slot]), int(moved.facing))
            places.furniture_moved()
            m.recorder.furniture("group")
