"""A relative: visits in visiting hours, family time, now and then a family session or bad news.

Family intervention cuts relapse and readmission (Pharoah et al. 2010), and
visits can also be flashpoints (Bowers 2014); EVIDENCE.md "Family".
"""

from __future__ import annotations

from milieusim.agents.person import Person
from milieusim.kinds import CONFINED, Activity, Role, Setting
from milieusim.rules import choices


class Relative(Person):
    """A relative linked to one patient."""

    role = Role.RELATIVE

    def __init__(self, model, patient):
        super().__init__(model)
        self.patient = patient
        model.roster.partner[self.slot] = patient.slot
        self.tense = False
        self.visits = 0

    def arrive_for_visit(self):
        """Come in at the entrance and sit with the patient in the visitors' room (or dayroom)."""
        m = self.model
        if self.gone or not self.patient.present or self.present:
            return
        if self.patient.activity in CONFINED:  # no visit during containment
            return
        sc = m.params.family
        rng = m.streams["visits"]
        places = m.places
        self.tense = bool(rng.random() < sc.tension)
        session = bool(rng.random() < sc.involvement)
        until = m.clock.until(sc.visit_minutes)
        self.arrive(m.layout.points["entrance"])
        # the visitors' room while it has a free seat, then the dayroom or garden, as families spread out
        zone = places.zone_with_free_seat(("visitors", "dayroom", "garden"))
        places.send_to_zone(self, zone, Activity.VISIT, until, sit=True)
        places.send_next_to(self.patient, self, Activity.VISIT, until)
        self.visits += 1
        m.recorder.log("visit", self.patient, self, outcome="tense" if self.tense else "calm")
        if session:
            self.patient.today.family_session = True
            m.staffing.join_family_session(self, until)
        m.schedule_event(self.end_visit, at=until)

    def end_visit(self):
        """Leave the ward."""
        if self.present and self.model.setting != Setting.HOME:
            self.leave()

    def decide(self):
        """At home, a relative spends time in the living spaces; on a ward, the visit goes on."""
        m = self.model
        if m.setting == Setting.HOME:
            rng = m.streams["visits"]
            zone = choices.HOME_ZONES[int(rng.integers(0, len(choices.HOME_ZONES)))]
            m.places.send_to_zone(
                self,
                zone if m.places.has_zone(zone) else "dayroom",
                Activity.HOME,
                m.clock.until(int(rng.integers(*choices.HOME_STAY_MINUTES))),
                sit=True,
            )
        else:
            self.model.roster.busy_until[self.slot] = self.model.clock.now + 1
