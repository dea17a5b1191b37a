"""A patient: their state (docs/ODD.md §2), their day's choices within the timetable, and their record.

Decisions are taken only when an activity ends or the timetable interrupts
(event-driven); what they decide comes from `rules/choices.py`, and where they
go from the ward's places (`model.places`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from milieusim.agents.person import Person, roster_field
from milieusim.kinds import Activity, Role
from milieusim.params_tables import MAX_WINDOW_DAYS
from milieusim.rules import choices, course
from milieusim.rules.levels import DayRecord
from milieusim.rules.schedule import expected
from milieusim.space.informal import personal_space

#: Timetabled sessions a patient may be expected at (rules/schedule.expected); meals are not sessions.
SESSIONS = frozenset({Activity.MEETING, Activity.GROUP, Activity.WORK})


@dataclass
class Today:
    """Counters of the current day, turned into a `DayRecord` at midnight."""

    groups: int = 0
    expected: int = 0
    attended: int = 0
    incidents: int = 0
    destructive: int = 0
    peer_help: int = 0
    heard: float = 0.0
    goal_hours: float = 0.0
    family_session: bool = False
    contained: bool = False
    observation_started_step: int = -1
    sessions_seen: set = field(default_factory=set)


class Patient(Person):
    """A patient on the ward (or attending the day hospital, or at home)."""

    role = Role.PATIENT

    level = roster_field("level", "Level of responsibility, 1-4 (milieu component 11).", int)
    severity = roster_field("severity", "Symptom severity, 0-1.")
    trust = roster_field("trust", "Trust in staff, 0-1.")
    autonomy = roster_field("autonomy", "Autonomy: doing things oneself, 0-1.")
    sensitivity = roster_field("sensitivity", "Personal-space buffer relative to the usual, about 0.9-1.3.")
    detained = roster_field("detained", "Detained under mental health law.", bool)

    def __init__(
        self,
        model,
        severity: float,
        bed: tuple[int, int] | None,
        bedroom: int | None,
        power: float,
        detained: bool,
        sensitivity: float,
        day: int,
    ):
        super().__init__(model)
        r = model.roster
        self.severity = severity
        self.level = 1
        self.trust = 0.4
        self.autonomy = 0.3
        self.hygiene = 0.4
        self.goal = None
        self.goal_progress = 0.0
        self.goals_done = 0
        self.work_started = 0
        self.days_at_level = 0
        self.admitted_day = day
        self.days_per_level = {1: 0, 2: 0, 3: 0, 4: 0}
        self.level_reached_day = {1: day}
        self.incidents_total = 0
        self.aggressive_total = 0
        self.aggressive_recorded = 0
        self.attack_days: list[int] = []  # days of physical attacks (transfer after repeated ones)
        self.bed, self.bedroom = bed, bedroom
        self.sensitivity = sensitivity
        self.proneness = 1.0  # proneness to aggression relative to the usual (rules/conflict.proneness)
        self.log: list[DayRecord] = []
        self.today = Today()
        self.relative = None
        self.left_censored = False  # admitted before the run began
        self.recovery_k = 1.0  # this patient's recovery pace relative to the base rate
        r.power[self.slot] = power
        r.detained[self.slot] = detained

    @property
    def orientation(self) -> float:
        """Orientation to time, place and person (0..1), following symptoms."""
        return course.orientation(self.severity)

    def radii(self):
        """Personal-space radii now (Hall's zones, widened by agitation)."""
        return personal_space(self.agitation, self.sensitivity)

    # -- decisions

    def decide(self):
        """Choose what to do now; called when the last activity ends or the timetable interrupts."""
        m = self.model
        clock, places = m.clock, m.places
        block = clock.block
        end = clock.block_end_step
        rng = m.streams["behaviour"]
        if self.activity == Activity.WORK:
            self._credit_work()
        if block.place == "bedroom":  # sleep, washing: in one's own room
            self._to_bed(end, activity=Activity(block.activity))
            return
        t = self.today
        if (
            block.activity in SESSIONS
            and block.start not in t.sessions_seen
            and expected(self.level, block, t.groups)
        ):
            t.sessions_seen.add(block.start)  # a session counts once, whenever the patient decides
            t.expected += 1
            if rng.random() < choices.attend_chance(self.orientation, self.agitation):
                t.attended += 1
                if block.activity == Activity.GROUP:
                    t.groups += 1
                places.send_to_zone(self, block.place, Activity(block.activity), end, sit=True)
                if block.activity == Activity.WORK:
                    self.work_started = m.steps
                return
        if block.activity == Activity.MEAL and rng.random() < choices.MEAL_ATTENDANCE:
            places.send_to_zone(self, "dining", Activity.MEAL, end, sit=True)
            return
        if (
            self.goal
            and self.level >= 2
            and block.activity in (Activity.WORK, Activity.FREE)
            and rng.random() < choices.goal_work_chance(self.autonomy)
        ):
            until = min(end, clock.until(choices.GOAL_WORK_MINUTES))
            places.send_to_zone(self, choices.GOAL_PLACE[self.goal], Activity.WORK, until, sit=True)
            self.work_started = m.steps
            return
        self._free_time(min(end, clock.until(int(rng.integers(*choices.FREE_TIME_MINUTES)))))

    def _credit_work(self):
        """Progress towards the patient's own goal for the work just done (milieu component 7)."""
        m = self.model
        hours = (m.steps - self.work_started) * m.clock.dt / 60.0
        self.today.goal_hours += hours
        self.goal_progress += choices.goal_progress(
            m.params.programme.goal_rate, self.goal, hours, self.autonomy
        )
        if self.goal_progress >= 1.0:  # a goal reached: the next one starts from scratch
            self.goals_done += 1
            self.goal_progress = 0.0
            self.change_autonomy(0.05)
            m.recorder.log("goal_reached", self, outcome=self.goal)

    def _free_time(self, until: int):
        m = self.model
        w = choices.free_time_weights(self.severity, self.trust, self.autonomy, self.level)
        choice = choices.FREE_CHOICES[choices.pick(w, m.streams["behaviour"].random())][0]
        if choice == "request":
            m.encounters.request(self, until)
        elif choice == "bedroom":
            self._to_bed(until, activity=Activity.REST)
        else:
            m.places.send_to_zone(self, choice, Activity.FREE, until, sit=choice in choices.SEATED_FREE_TIME)

    def _to_bed(self, until: int, activity: Activity = Activity.SLEEP):
        places = self.model.places
        if self.bed is None:  # day hospital: home at night; home: own room
            zone = "bedroom" if places.has_zone("bedroom") else "dayroom"
            places.send_to_zone(self, zone, activity, until, sit=False)
            return
        self.go(self.bed, activity, until)

    # -- the day's end

    def end_day(self) -> DayRecord:
        """Close the day: update the illness course and record the day for the review."""
        m = self.model
        sc = m.params
        t = self.today
        attendance = t.attended / t.expected if t.expected else 1.0
        z = float(m.streams["behaviour"].standard_normal())
        self.severity = course.next_severity(
            self.severity,
            sc.illness.recovery_per_day * self.recovery_k,
            attendance,
            self.trust,
            t.family_session,
            t.contained,
            sc.illness.noise,
            z,
        )
        self.hygiene = course.next_hygiene(
            self.hygiene, self.severity, self.autonomy, prompted=sc.culture.needs_focus
        )
        self.autonomy = course.next_autonomy(
            self.autonomy, sc.culture.autonomy_support, t.heard, t.goal_hours, t.contained
        )
        record = DayRecord(
            orientation=self.orientation,
            hygiene=self.hygiene,
            groups=t.groups,
            expected=t.expected,
            attended=t.attended,
            incidents=t.incidents,
            destructive=t.destructive,
            peer_help=t.peer_help,
            autonomy=self.autonomy,
            trust=self.trust,
            goal_progress=self.goals_done + self.goal_progress,
        )
        self.log.append(record)
        del self.log[:-MAX_WINDOW_DAYS]  # the review looks back no further
        self.days_at_level += 1
        self.days_per_level[self.level] += 1
        self.today = Today()
        return record

    def change_trust(self, delta: float):
        """Trust moves by `delta`, with diminishing returns towards 0 and 1."""
        self.trust = _bounded(self.trust, delta)

    def change_autonomy(self, delta: float):
        """Autonomy moves by `delta`, with diminishing returns towards 0 and 1."""
        self.autonomy = _bounded(self.autonomy, delta)

    def set_level(self, level: int, day: int):
        """Move to `level` (promotion or demotion)."""
        if level != self.level:
            self.level = level
            self.days_at_level = 0
            self.level_reached_day.setdefault(level, day)


def _bounded(x: float, delta: float) -> float:
    """`x` moved by `delta` in proportion to the room left: gains slow near 1, losses near 0."""
    return x + delta * ((1.0 - x) if delta > 0 else x)
