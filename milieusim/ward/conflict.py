"""Conflict: arousal, flashpoints, whether they become conflict, and who sees it (Safewards).

Each step patients' arousal settles (it halves every `conflict.half_life_minutes`)
and gathers from symptoms and unwelcome closeness; staff see whom their sight
lines reach; flashpoints that arise at a rate are drawn (symptoms, detention,
news from outside). Flashpoints that arise in encounters (limit setting, a
refused request, a demand, bullying), at the medication round, in a visit or
from a nearby incident come here through `flashpoint`. A flashpoint becomes
conflict with the probability of `rules/flashpoints.py`; staff who see the
patient's warning signs may step in first. A conflict is recorded with its
origin and target; `model.containment` answers what staff see; what nobody sees
may escalate; patients who witness it may be upset in turn (contagion).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from milieusim.jit import kernel
from milieusim.kinds import PATIENT, RELATIVE, STAFF, Activity, Role
from milieusim.rules import conflict as cf
from milieusim.rules import containment as ct
from milieusim.rules import flashpoints as fp
from milieusim.rules import levels as lv
from milieusim.rules import observation as ob
from milieusim.rules import safewards as sw
from milieusim.rules.choices import RESPONSE_MINUTES
from milieusim.space.informal import (
    AGITATION_WIDENING,
    BACK_FACTOR,
    HALL_PERSONAL_M,
    HALL_SOCIAL_M,
    intrusion_depth,
)
from milieusim.space.symbols import Facing, Zone

FACING_VEC = np.array([f.vector for f in Facing] + [(0, 0)], dtype=float)  # index -1: no heading
ROLE_WORDS = {Role.PATIENT: "patient", Role.STAFF: "staff", Role.RELATIVE: "relative"}
#: A patient upset by an incident they saw is not upset again by another for this long, minutes: one
#: incident sets off others, but a ward does not go on kicking off without end (assumption).
CONTAGION_REFRACTORY_MINUTES = 30
#: Flashpoints that arise at a rate are this much rarer while the ward sleeps (assumption).
NIGHT_RATE = 0.2
#: Rooms where a patient is alone with their thoughts: self-harm is likelier there (rules/observation).
PRIVATE_ZONES = frozenset({Zone.BEDROOM, Zone.BATHROOM})


@kernel
def _closeness_to(out, x, y, role, trust, partner, sensitivity, agitation, pos, facing, cell_m):
    """Adds to `out[x]` how deeply `y` intrudes on patient `x`, weighted by how unwelcome `y` is."""
    if role[x] != PATIENT:
        return
    if role[y] == STAFF:
        weight = 1.0 - trust[x]
    elif role[y] == RELATIVE and partner[y] == x:
        weight = 0.0
    else:
        weight = 1.0
    personal = HALL_PERSONAL_M * sensitivity[x] * (1.0 + AGITATION_WIDENING * agitation[x])
    heading = FACING_VEC[facing[x]]
    depth = intrusion_depth(
        float(pos[y, 0] - pos[x, 0]) * cell_m,
        float(pos[y, 1] - pos[x, 1]) * cell_m,
        heading[0],
        heading[1],
        personal,
        BACK_FACTOR,
    )
    out[x] += weight * depth


@kernel
def unwelcome_closeness(a, b, role, trust, partner, sensitivity, agitation, pos, facing, cell_m):
    """Each patient's summed intrusion by the pairs (a, b) near them, over every slot (0 for others)."""
    out = np.zeros(role.size)
    for k in range(a.size):
        _closeness_to(out, a[k], b[k], role, trust, partner, sensitivity, agitation, pos, facing, cell_m)
    for k in range(a.size):
        _closeness_to(out, b[k], a[k], role, trust, partner, sensitivity, agitation, pos, facing, cell_m)
    return out


@kernel
def settle_and_gather(
    agitation,
    pts,
    severity,
    detained,
    closeness,
    minutes,
    half_life,
    symptoms,
    intrusion,
    awake,
    symptom_rate,
    detention_rate,
    outside_rate,
):
    """Patients' arousal settles and gathers over `minutes` (in place); returns their flashpoint chances.

    The chance is that of a spontaneous flashpoint within `minutes` (`rules/flashpoints.spontaneous_rate`).
    Arousal per minute gathers from symptoms and unwelcome closeness, so results do not hang on the
    step length.
    """
    chance = np.empty(pts.size)
    for k in range(pts.size):
        x = pts[k]
        a = cf.decay(agitation[x], minutes, half_life)
        a += minutes * (symptoms * severity[x] + intrusion * closeness[k])
        agitation[x] = min(max(a, 0.0), 1.0)
        r = fp.spontaneous_rate(severity[x], detained[x], awake, symptom_rate, detention_rate, outside_rate)
        chance[k] = 1.0 - np.exp(-(r[0] + r[1] + r[2]) * minutes)
    return chance


class Conflict:
    """The conflict phase, flashpoints and incidents."""

    def __init__(self, model):
        self.model = model
        layout = model.layout
        cell_m2 = layout.cell_size_m**2
        self.comfortable = np.array(
            [fp.comfortable_patients(len(room.cells) * cell_m2, room.zone) for room in layout.rooms]
        )
        self.private_room = np.array([room.zone in PRIVATE_ZONES for room in layout.rooms])
        entrance = model.geometry.field(("point", "entrance"))
        self.near_exit = (entrance <= ob.EXIT_REACH_M) | (layout.zones == Zone.GARDEN)
        self._queue: deque = deque()

    # ------------------------------------------------------------ the conflict phase

    def step(self):
        """Arousal settles and gathers; flashpoints that arise at a rate are drawn."""
        m = self.model
        r = m.roster
        sc = m.params.conflict
        dt = m.clock.dt
        pts = (r.present & (r.role == PATIENT)).nonzero()[0]
        if pts.size == 0:
            return
        awake = NIGHT_RATE if m.clock.block.activity == Activity.SLEEP else 1.0
        chance = settle_and_gather(
            r.agitation,
            pts,
            r.severity,
            r.detained,
            self._unwelcome_closeness(pts),
            dt,
            sc.half_life_minutes,
            sc.arousal_symptoms,
            sc.intrusion,
            awake,
            sc.symptom_rate,
            sc.detention_rate,
            sc.outside_news_rate,
        )
        rng = m.streams["behaviour"]
        hit = rng.random(pts.size) < chance
        for k in hit.nonzero()[0]:
            slot = pts[k]
            rates = fp.spontaneous_rate(
                r.severity[slot],
                r.detained[slot],
                awake,
                sc.symptom_rate,
                sc.detention_rate,
                sc.outside_news_rate,
            )
            total = rates[0] + rates[1] + rates[2]
            pick = int(np.searchsorted(np.cumsum(rates), rng.random() * total, side="right"))
            self.flashpoint(r.agents[slot], fp.SPONTANEOUS[min(pick, len(fp.SPONTANEOUS) - 1)])

    def _unwelcome_closeness(self, pts: np.ndarray) -> np.ndarray:
        """Personal-space intrusion into each patient's zone by people whose closeness is unwelcome.

        Another patient intrudes fully, as does a stranger (someone else's relative); staff in
        proportion to the patient's distrust; one's own visitor not at all (Hall; Kinzel).
        Uses the pairs within social distance found by the encounter phase this step.
        """
        m = self.model
        r = m.roster
        near = m.encounters.near
        if near is None:
            return np.zeros(pts.size)
        felt = unwelcome_closeness(
            *near,
            r.role,
            r.trust,
            r.partner,
            r.sensitivity,
            r.agitation,
            r.pos,
            r.facing,
            m.layout.cell_size_m,
        )
        return felt[pts]

    # ------------------------------------------------------------ flashpoints

    def flashpoint(self, p, kind: str, source=None):
        """A flashpoint of `kind` for patient `p` (from `source`, a person, if any); it may become conflict.

        Flashpoints raised while one is handled (contagion from an incident) wait their turn.
        """
        self._queue.append((p, kind, source))
        if len(self._queue) > 1:
            return
        while self._queue:
            self._handle(*self._queue[0])
            self._queue.popleft()

    def crowding(self, p) -> float:
        """The crowding multiplier of conversion odds in `p`'s room now (patients only count)."""
        m = self.model
        r = m.roster
        room = r.room[p.slot]
        if room < 0:
            return 1.0
        n = int(np.count_nonzero(r.present & (r.role == PATIENT) & (r.room == room)))
        sc = m.params.conflict
        return float(fp.crowding_odds(n, self.comfortable[room], sc.crowding_odds_max, sc.crowding_scale))

    def _handle(self, p, kind: str, source):
        m = self.model
        if p.gone or not p.present:
            return
        sc, c = m.params.conflict, m.params.culture
        flash = fp.FLASHPOINTS[kind]
        m.recorder.flashpoint(flash.origin)
        p.agitation += sc.flashpoint_arousal
        crowd = self.crowding(p)
        odds = crowd * sw.conversion_multiplier(kind, flash.origin, m.params.safewards)
        if m.steps < m.roster.risk_until[p.slot]:
            odds *= sc.containment_risk_odds
        staff_origin = flash.origin == fp.Origin.STAFF_TEAM
        chance = fp.conversion_probability(
            sc.conversion_odds, p.agitation, p.severity, p.trust, c.respect, staff_origin, odds, p.proneness
        )
        rng = m.streams["behaviour"]
        if rng.random() >= chance:
            return
        conflict_kind = cf.choose_kind(self._kind_weights(p, kind), rng.random())
        # staff in the interaction that set it off know of it; otherwise whoever sees the patient
        on_duty = source is not None and source.role == STAFF and source.present
        observer = source if on_duty else m.observation.observer(p)
        if observer is not None and ob.cues_noticed(p.agitation, True, rng.random()):
            talk = ct.talk_down_chance(
                conflict_kind,
                p.trust,
                c.respect,
                m.params.staffing.training,
                sc.containment_propensity,
                m.params.safewards.talk_down,
            )
            if rng.random() < talk:  # warning signs seen and answered: no conflict
                p.agitation *= ct.TALK_DOWN_CALMING
                m.recorder.count("de_escalated")
                return
        self.conflict(p, conflict_kind, kind, source, observer, crowd)

    def _kind_weights(self, p, flashpoint: str) -> np.ndarray:
        m = self.model
        r = m.roster
        hope = sw.weaken(m.params.safewards.discharge_messages)
        room = r.room[p.slot]
        private = ob.PRIVATE_SELF_HARM if room >= 0 and self.private_room[room] else 1.0
        self_harm = float(ob.unobserved_factor(m.observation.minutes_unseen(p))) * private * hope
        absconding = (ob.EXIT_ABSCONDING if self.near_exit[p.here] else 1.0) * hope
        return cf.kind_weights(p.severity, p.level, flashpoint, p.proneness, self_harm, absconding)

    # ------------------------------------------------------------ one conflict

    def conflict(self, p, kind: str, flashpoint: str, source, observer, crowding: float):
        """A conflict of `kind` by `p` from `flashpoint`: recorded, answered if seen, witnessed by others."""
        m = self.model
        sc = m.params.conflict
        rng = m.streams["behaviour"]
        origin = fp.FLASHPOINTS[flashpoint].origin
        details = {"origin": origin, "flashpoint": flashpoint, "crowding": crowding}
        if observer is None:
            if rng.random() < sc.unseen_escalation:
                kind = cf.ESCALATES_TO[kind]
            p.agitation *= cf.UNSEEN_CALMING
            details["target"] = self._target(p, kind, source)
            self._incident(p, kind, seen=False, outcome="unseen", staff=None, **details)
        else:
            details["target"] = self._target(
                p, kind, source or (observer if origin == "staff_team" else None)
            )
            outcome, used = m.containment.decide(p, kind, observer)
            observer.set_task(Activity.RESPONSE)
            incident = self._incident(p, kind, seen=True, outcome=outcome, staff=observer, **details)
            if outcome in ("talked_down", "calm_down"):
                p.agitation *= ct.TALK_DOWN_CALMING
                p.change_trust(ct.TALK_DOWN_TRUST)
            for containment in used:
                if not p.gone:
                    m.containment.contain(p, observer, containment, incident)
            if not p.gone:  # after containment, so a responder goes where the patient now goes
                m.places.send_next_to(observer, p, Activity.RESPONSE, m.clock.until(RESPONSE_MINUTES))
        if kind in cf.UPSETTING:
            self._witnesses(p)

    def _target(self, p, kind: str, source) -> str:
        """Whom the conflict is aimed at (rules/conflict.target_of)."""
        if kind not in cf.AT_A_PERSON and kind not in ("self_harm", "property_damage"):
            return ""
        source_role = ROLE_WORDS[source.role] if source is not None and not source.gone else None
        nearest = None
        if kind in cf.AT_A_PERSON and source_role is None:
            nearest = self._nearest_role(p)
        return cf.target_of(kind, source_role, nearest)

    def _nearest_role(self, p) -> str | None:
        m = self.model
        r = m.roster
        others = (r.present & (r.room == r.room[p.slot])).nonzero()[0]
        others = others[others != p.slot]
        if others.size == 0:
            return None
        d = np.hypot(*(r.pos[others] - r.pos[p.slot]).T) * m.layout.cell_size_m
        k = int(np.argmin(d))
        return ROLE_WORDS[Role(int(r.role[others[k]]))] if d[k] < HALL_SOCIAL_M else None

    def _incident(self, p, kind, seen, outcome, staff, **details) -> int:
        m = self.model
        recorded = m.streams["recording"].random() < cf.recorded_chance(
            seen, m.params.conflict.recorded_share, m.params.conflict.recorded_share_unseen
        )
        p.today.incidents += 1
        p.incidents_total += 1
        if kind in cf.AGGRESSIVE:
            p.aggressive_total += 1
            p.aggressive_recorded += int(recorded)
        if kind in cf.DESTRUCTIVE:
            p.today.destructive += 1
            before = p.level
            p.set_level(lv.demote(p.level, m.params.levels.demotion), m.clock.day)
            if p.level != before:
                m.recorder.log("demotion", p, outcome=f"L{p.level}")
        return m.recorder.log(kind, p, staff, outcome=outcome, seen=seen, recorded=recorded, **details)

    def _witnesses(self, p):
        """Patients in the same room who see an incident may be upset by it (contagion; reassurance less)."""
        m = self.model
        r = m.roster
        if p.gone or r.room[p.slot] < 0:
            return
        chance = m.params.conflict.contagion_chance * sw.weaken(m.params.safewards.reassurance)
        if chance <= 0:
            return
        others = (r.present & (r.role == PATIENT) & (r.room == r.room[p.slot])).nonzero()[0]
        others = others[others != p.slot]
        if others.size == 0:
            return
        iso = m.geometry.isovist(p.here)
        rng = m.streams["behaviour"]
        calm_again = m.steps - m.clock.steps_of(CONTAGION_REFRACTORY_MINUTES)
        for slot in others[iso[r.pos[others, 0], r.pos[others, 1]]]:
            if r.upset_at[slot] > calm_again:
                continue
            if rng.random() < chance:
                r.upset_at[slot] = m.steps
                self.flashpoint(r.agents[slot], "contagion", source=p)
