"""A member of staff: a role, a shift, and the tasks of a ward's day.

Roles: nurse, healthcare assistant, therapist (or OT), doctor. Nurses and
assistants work early, late or night shifts and begin each with a handover
at the staff base; therapists and doctors keep office hours. Between fixed
duties staff choose between time with patients (one-to-one, observation) and
office work, in the proportion the ward's needs focus sets (DESIGN §2.6;
EVIDENCE: nurse time about 40% in contact with patients).
"""

from __future__ import annotations

from milieusim.agents.person import STAFF, Person

TASKS = (
    "handover",
    "observation",
    "one_to_one",
    "group",
    "meeting",
    "meal",
    "response",
    "family",
    "office",
    "outreach",
)
TASK = {name: i for i, name in enumerate(TASKS)}
#: Tasks in direct contact with patients (Whittington & McLaughlin's "contact").
CONTACT_TASKS = frozenset({"one_to_one", "group", "meeting", "meal", "response", "family", "outreach"})


class Staff(Person):
    """A member of staff."""

    role = STAFF

    def __init__(self, model, kind: str, shift: str, name: str):
        super().__init__(model)
        self.kind = kind  # nurse, assistant, therapist, doctor
        self.shift = shift
        self.name = name
        self.handover_due = False
        self.patrol_until = 0
        self.patrol_zone = "dayroom"

    def set_task(self, task: str):
        """Record what the staff member is doing (for time use)."""
        self.model.roster.task[self.slot] = TASK[task]
        self.activity = task

    def decide(self):
        """Choose the next task; called when the last one ends or the timetable interrupts."""
        m = self.model
        block = m.block
        rng = m.streams["staff"]
        end = m.block_end_step
        short = m.until(int(rng.integers(15, 41)))
        if self.activity == "observation" and m.steps < self.patrol_until:
            return self._patrol()
        if self.handover_due:
            self.handover_due = False
            return self._at("staff_base", "handover", m.until(15))
        if self.kind == "therapist" and block.activity == "group":
            return self._to_zone("therapy", "group", end)
        if self.kind in ("nurse", "assistant"):
            if block.activity == "meeting":
                return self._to_zone("dayroom", "meeting", end)
            if block.activity == "meal" and rng.random() < 0.5:
                return self._to_zone("dining", "meal", end)
            if block.activity == "group" and self.kind == "nurse" and rng.random() < 0.3:
                return self._to_zone("therapy", "group", end)
        focus = m.scenario.culture.needs_focus
        u = rng.random()
        if block.activity == "sleep" and self.kind in ("nurse", "assistant"):
            focus = 0.0  # nights: rounds and the base
        if u < focus:
            patient = m.most_in_need(rng)
            if patient is not None:
                self.set_task("one_to_one")
                return m.send_next_to(self, patient, "one_to_one", short)
        if u < focus + (1.0 - focus) * 0.4:
            self.patrol_zone = m.busiest_social_zone() if block.activity != "sleep" else "corridor"
            self.patrol_until = short
            return self._patrol()
        return self._at("office" if self.kind in ("therapist", "doctor") else "staff_base", "office", short)

    def _patrol(self):
        """Observation is walked: a round of the social spaces and corridor, a spot per step."""
        m = self.model
        zone = self.patrol_zone if m.streams["staff"].random() < 0.5 else "corridor"
        self._to_zone(zone, "observation", m.now + 1)

    def _to_zone(self, zone: str, task: str, until: int):
        self.set_task(task)
        self.model.send_to_zone(self, zone, task, until, sit=False)

    def _at(self, place: str, task: str, until: int):
        self.set_task(task)
        zone = place if self.model.has_zone(place) else "corridor"
        self.model.send_to_zone(self, zone, task, until, sit=False)
