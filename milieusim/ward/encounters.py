"""Encounters: who meets whom on the ward, and what a meeting does (rules/interaction.py).

Each step, pairs in the same room within social distance may fall into an
encounter, more likely the closer they are and, for two seated people, the
better their seats face each other (Sommer). What an encounter is depends on
who meets: two patients (conversation, peer help, bullying), a patient and
staff (conversation, support, limit setting), a patient and their relative.
Encounters also move furniture: staff tidy chairs into rows, autonomous
patients pull a chair round to a companion (Osmond 1957; Sommer & Ross 1958).
A patient's request to staff is answered here too.
"""

from __future__ import annotations

import functools

import numpy as np

from milieusim.kinds import PATIENT, RELATIVE, STAFF, Activity
from milieusim.rules import choices
from milieusim.rules import conflict as cf
from milieusim.rules import interaction as ia
from milieusim.space import rearrange
from milieusim.space.seating import seat_pair_weight
from milieusim.space.symbols import Facing


@functools.lru_cache(maxsize=1 << 16)
def _seat_weight(ar: int, ac: int, fa: int, br: int, bc: int, fb: int, cell_size_m: float) -> float:
    """Conversation weight of two seats, cached: seats are few and people sit in them again and again."""
    return seat_pair_weight((ar, ac), Facing(fa), (br, bc), Facing(fb), cell_size_m)


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
        idx = np.flatnonzero(r.present)
        room = r.room[idx]
        counts = np.bincount(room, minlength=m.places.n_rooms)
        shared = counts[room] > 1
        if not shared.any():  # nobody shares a room (the night, mostly): nothing to compute
            return
        idx, room = idx[shared], room[shared]
        i, j = np.nonzero(np.triu(room[:, None] == room[None, :], 1))
        if i.size == 0:
            return
        a, b = idx[i], idx[j]
        d = np.hypot(*(r.pos[a] - r.pos[b]).T) * cell_m
        near = d < ia.HALL_SOCIAL_M
        a, b, d = a[near], b[near], d[near]
        if a.size == 0:
            return
        self.near = (a, b)
        weight = ia.proximity_weight(d)
        seated = (
            (r.facing[a] >= 0)
            & (r.facing[b] >= 0)
            & (r.pos[a] == r.dest[a]).all(1)
            & (r.pos[b] == r.dest[b]).all(1)
        )
        if seated.any():
            k = np.flatnonzero(seated)
            for n, pa, fa, pb, fb in zip(
                k,
                r.pos[a[k]].tolist(),
                r.facing[a[k]].tolist(),
                r.pos[b[k]].tolist(),
                r.facing[b[k]].tolist(),
                strict=True,
            ):
                weight[n] = _seat_weight(pa[0], pa[1], fa, pb[0], pb[1], fb, cell_m)
        # staff and relatives seek people out: their readiness counts fully
        soc = np.where(r.role == PATIENT, ia.sociability(r.severity, r.trust), 1.0)
        p = ia.encounter_probability(weight, soc[a] * soc[b], m.clock.dt)
        hit = m.streams["behaviour"].random(p.size) < p
        for x, y in zip(a[hit], b[hit], strict=True):
            self.meet(r.agents[x], r.agents[y])

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
                p.agitation, c.needs_focus, c.respect, c.consistency, strict, rng.random(), rng.random()
            )
            self._apply(p, e, other=s)
            m.conflict.maybe_prn(p, s, rng)
            self._maybe_reline(s, rng)
        elif roles == {PATIENT, RELATIVE}:
            p, f = (x, y) if x.role == PATIENT else (y, x)
            if f.patient is p:
                self._apply(p, ia.family_time(f.tense), other=f)
                f.tense = False  # bad news lands once

    def _apply(self, p, e, other):
        sc = self.model.params.conflict
        p.change_trust(e.trust)
        p.change_autonomy(e.autonomy)
        p.agitation += e.agitation
        if e.flashpoint == "limit_setting":
            p.agitation += cf.limit_setting_flashpoint(sc.limit_setting, self.model.params.culture.respect)
        elif e.flashpoint == "bullying":
            p.agitation += sc.bullying
        elif e.flashpoint == "bad_news":
            p.agitation += sc.bad_news
        if e.peer_help:
            other.today.peer_help += 1
        self.model.recorder.encounter(e.kind, p, other)

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
            p.agitation += cf.limit_setting_flashpoint(m.params.conflict.denied_request, c.respect)
            p.change_trust(choices.REQUEST_DENIED_TRUST)
            m.recorder.log("request", p, outcome="denied")

    # ------------------------------------------------------------ furniture moved in encounters

    def _maybe_reline(self, s, rng):
        """Staff on observation re-line a chair of the room they are in along its walls.

        As custodial wards do (Osmond 1957; Sommer and Ross 1958).
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
