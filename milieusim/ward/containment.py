"""Containment: what staff do about a conflict they see, and what it does to the patient.

Staff first try to talk a conflict down; when that fails they contain it with a
method of the Patient-Staff Conflict Checklist chosen for the kind of conflict
(`rules/containment.py`): as-needed medication (given by a nurse), observation,
time out, a show of force, seclusion, restraint (followed at times by coerced
intramuscular medication), or transfer after repeated attacks (those staff saw and
did not talk down). As-needed medication is also offered to a very aroused patient in an encounter with a
nurse, unless calm-down methods help first. Containment calms, costs trust by how
coercive it is, sets back recovery, and raises the odds of conflict for some days
[@bowers2014].
"""

from __future__ import annotations

from milieusim.kinds import WARD_STAFF, Activity
from milieusim.rules import containment as ct
from milieusim.rules.choices import RESPONSE_MINUTES
from milieusim.rules.containment import OBSERVATION_KINDS
from milieusim.rules.safewards import LINK_EFFECT
from milieusim.space.symbols import Zone

#: Staff who join a show of force, besides the responder (assumption).
SHOW_OF_FORCE_STAFF = 2


class Containment:
    """Staff response to conflict and its containment."""

    def __init__(self, model):
        self.model = model

    def decide(self, p, kind: str, responder) -> tuple[str, list[str]]:
        """How staff who see `p`'s conflict of `kind` answer it: the outcome and the containment used.

        The outcome is "talked_down", "calm_down" (coping instead of as-needed medication),
        "let_pass" (a refusal accepted, a broken rule overlooked) or the first containment.
        """
        m = self.model
        sc, c, sw = m.params.conflict, m.params.culture, m.params.safewards
        rng = m.streams["behaviour"]
        talk = ct.talk_down_chance(
            kind, p.trust, c.respect, m.params.staffing.training, sc.containment_propensity, sw.talk_down
        )
        if rng.random() < talk:
            return "talked_down", []
        seclusion = sc.seclusion_allowed and m.places.has_zone("extra_care")
        first = ct.containment_for(kind, seclusion, rng.random())
        if first == "none":
            return "let_pass", []
        if first == "prn_medication" and rng.random() < LINK_EFFECT * sw.calm_down_methods:
            return "calm_down", []
        used = [first]
        if first == "restraint" and rng.random() < ct.RESTRAINT_IM_SHARE:
            used.append("coerced_im")
        if kind == "physical_aggression":
            p.attack_days.append(m.clock.day)
            recent = [d for d in p.attack_days if d > m.clock.day - ct.TRANSFER_WINDOW_DAYS]
            if ct.transfer_due(len(recent)):
                used.append("transfer")
        return first, used

    def maybe_prn(self, p, s, rng):
        """A nurse meeting a very aroused patient may offer as-needed medication (or calm-down methods)."""
        m = self.model
        if s.kind != "nurse" or p.agitation <= m.params.conflict.prn_arousal:
            return
        if rng.random() >= ct.PRN_OFFER * m.params.conflict.containment_propensity:
            return
        if rng.random() < LINK_EFFECT * m.params.safewards.calm_down_methods:
            p.agitation *= ct.CALMING["time_out"]  # coping helped: calmer, no medication
            m.recorder.count("calm_down")
            return
        self.contain(p, s, "prn_medication", incident=None)

    def contain(self, p, s, kind: str, incident):
        """Apply containment `kind` to `p` (by `s`, answering event `incident`) and log it."""
        m = self.model
        sc = m.params.conflict
        clock = m.clock
        if kind in OBSERVATION_KINDS:
            m.observation.set_level(p, kind, s, incident)
            return
        p.agitation *= ct.CALMING[kind]
        p.change_trust(-sc.containment_trust_loss * ct.COERCION[kind])
        if kind in ct.COERCIVE:
            p.today.contained = True
            m.roster.risk_until[p.slot] = m.steps + int(sc.containment_risk_days * clock.steps_per_day)
        if kind == "prn_medication" and (s is None or s.kind != "nurse"):
            s = next((x for x in m.staffing.staff if x.present and x.kind == "nurse"), s)
        m.recorder.log(kind, p, s, outcome="containment", cause=incident)
        if kind == "seclusion":
            room = m.layout.rooms_of(Zone.EXTRA_CARE)[0]
            p.go(room.cells[len(room.cells) // 2], Activity.SECLUSION, clock.until(ct.MINUTES["seclusion"]))
        elif kind == "restraint":
            p.go(p.here, Activity.RESTRAINT, clock.until(ct.MINUTES["restraint"]))
        elif kind == "time_out":
            until = clock.until(ct.MINUTES["time_out"])
            if p.bed is not None:
                p.go(p.bed, Activity.TIME_OUT, until)
            else:
                m.places.send_to_zone(p, "quiet", Activity.TIME_OUT, until, sit=False)
        elif kind == "show_of_force":
            self._gather(p, s)
        elif kind == "transfer":
            m.flow.discharge(p, "transfer")

    def _gather(self, p, s):
        """A show of force: more ward staff come and stand by the patient."""
        m = self.model
        others = [x for x in m.staffing.staff if x.present and x is not s and x.kind in WARD_STAFF]
        others = [x for x in others if x.activity != Activity.CONSTANT]
        others.sort(key=lambda x: int(abs(m.roster.pos[x.slot] - m.roster.pos[p.slot]).sum()))
        for x in others[:SHOW_OF_FORCE_STAFF]:
            x.set_task(Activity.RESPONSE)
            m.places.send_next_to(x, p, Activity.RESPONSE, m.clock.until(RESPONSE_MINUTES))
