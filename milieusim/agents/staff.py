"""A member of staff: a role, a shift, and the tasks of a ward's day.

Roles: nurse, healthcare assistant, therapist (or OT), doctor. Nurses and
assistants work early, late or night shifts and begin each with a handover
at the staff base; therapists and doctors keep office hours. Between fixed
duties staff choose between time with patients (one-to-one, observation) and
office work, in the proportion the ward's needs focus sets (milieu component 6;
nurse contact about 40% [@whittington2000]; `rules/choices.py`).
"""

from __future__ import annotations

from milieusim.agents.person import Person
from milieusim.kinds import TASK_CODE, WARD_STAFF, Activity, Role
from milieusim.rules import choices


class Staff(Person):
    """A member of staff."""

    role = Role.STAFF

    def __init__(self, model, kind: str, shift: str, name: str):
        super().__init__(model)
        self.kind = kind  # nurse, assistant, therapist, doctor
        self.shift = shift
        self.name = name
        self.handover_due = False
        self.patrol_until = 0
        self.patrol_zone = "dayroom"

    def put(self, cell: tuple[int, int]):
        """Stand at `cell` now, seeing what can be seen from there (`geometry.isovist_row`)."""
        super().put(cell)
        self.model.roster.sight[self.slot] = self.model.geometry.isovist_row(cell)

    def set_task(self, task: Activity):
        """Record what the staff member is doing (for time use)."""
        self.model.roster.task[self.slot] = TASK_CODE[task]
        self.activity = task

    def clear_task(self):
        """Off duty: no task."""
        self.model.roster.task[self.slot] = -1

    def decide(self):
        """Choose the next task; called when the last one ends or the timetable interrupts."""
        m = self.model
        clock = m.clock
        block = clock.block
        rng = m.streams["staff"]
        end = clock.block_end_step
        short = clock.until(int(rng.integers(*choices.STAFF_TASK_MINUTES)))
        if self.activity == Activity.OBSERVATION and m.steps < self.patrol_until:
            return self._patrol()
        if self.handover_due:
            self.handover_due = False
            return self._at("staff_base", Activity.HANDOVER, clock.until(choices.HANDOVER_MINUTES))
        if self.kind == "therapist" and block.activity == Activity.GROUP:
            return self._to_zone("therapy", Activity.GROUP, end)
        if self.kind in WARD_STAFF:
            if block.activity == Activity.MEETING:
                return self._to_zone("dayroom", Activity.MEETING, end)
            if block.activity == Activity.MEAL and rng.random() < choices.STAFF_MEAL_SHARE:
                return self._to_zone("dining", Activity.MEAL, end)
            if (
                block.activity == Activity.GROUP
                and self.kind == "nurse"
                and rng.random() < choices.NURSE_GROUP_SHARE
            ):
                return self._to_zone("therapy", Activity.GROUP, end)
        focus = m.params.culture.needs_focus
        u = rng.random()
        if block.activity == Activity.SLEEP and self.kind in WARD_STAFF:
            focus = 0.0  # nights: rounds and the base
        task = choices.staff_task(u, focus)
        if task == Activity.ONE_TO_ONE:
            patient = m.staffing.most_in_need(rng)
            if patient is not None:
                self.set_task(Activity.ONE_TO_ONE)
                return m.places.send_next_to(self, patient, Activity.ONE_TO_ONE, short)
            task = Activity.OBSERVATION  # nobody to sit with: walk the ward instead
        if task == Activity.OBSERVATION:
            self.patrol_zone = (
                m.places.busiest_social_zone() if block.activity != Activity.SLEEP else "corridor"
            )
            self.patrol_until = short
            return self._patrol()
        return self._at(
            "office" if self.kind in ("therapist", "doctor") else "staff_base", Activity.OFFICE, short
        )

    def _patrol(self):
        """Observation is walked: a round of the social spaces and corridor, a spot per step."""
        m = self.model
        zone = self.patrol_zone if m.streams["staff"].random() < choices.PATROL_OWN_ZONE else "corridor"
        self._to_zone(zone, Activity.OBSERVATION, m.clock.now + 1)

    def _to_zone(self, zone: str, task: Activity, until: int):
        self.set_task(task)
        self.model.places.send_to_zone(self, zone, task, until, sit=False)

    def _at(self, place: str, task: Activity, until: int):
        self.set_task(task)
        zone = place if self.model.places.has_zone(place) else "corridor"
        self.model.places.send_to_zone(self, zone, task, until, sit=False)
