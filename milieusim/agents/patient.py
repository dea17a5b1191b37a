"""A patient: their state (DESIGN §7), their day's choices within the timetable, and their record.

Decisions are taken only when an activity ends or the timetable interrupts
(event-driven); everything they decide calls a pure rule or a helper of the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from milieusim.agents.person import PATIENT, Person
from milieusim.params_tables import MAX_WINDOW_DAYS
from milieusim.rules import course
from milieusim.rules.levels import DayRecord
from milieusim.rules.schedule import expected
from milieusim.space.informal import personal_space

#: Free-time choices and their base weights. Assumption, shaped so a conventional ward
#: leaves patients socially disengaged most of the time (EVIDENCE: patient time).
FREE_CHOICES = (
    ("dayroom", 3.0),
    ("bedroom", 3.0),
    ("garden", 1.0),
    ("quiet", 0.7),
    ("corridor", 1.0),
    ("request", 0.4),
)


#: Goals a patient can choose (DESIGN §2.7): a paid job, a ward chore, or a personal goal when
#: neither is available; how fast each advances and where it is worked on. Assumption.
#: Timetabled sessions a patient may be expected at (rules/schedule.expected); meals are not sessions.
SESSIONS = frozenset({"meeting", "group", "work"})
GOAL_PACE = {"job": 1.5, "chore": 1.0, "personal": 0.5}
GOAL_PLACE = {"job": "therapy", "chore": "dining", "personal": "quiet"}


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
    encounters: dict = field(default_factory=dict)


class Patient(Person):
    """A patient on the ward (or attending the day hospital, or at home)."""

    role = PATIENT

    def __init__(
        self,
        model,
        severity: float,
        bed: tuple[int, int] | None,
        bedroom: int | None,
        power: float,
        threshold: float,
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
        self.bed, self.bedroom = bed, bedroom
        self.sensitivity = sensitivity
        self.base_threshold = threshold
        self.risk_until_step = -1
        self.log: list[DayRecord] = []
        self.today = Today()
        self.relative = None
        self.left_censored = False  # admitted before the run began
        self.recovery_k = 1.0  # this patient's recovery pace relative to the base rate
        r.power[self.slot] = power
        r.threshold[self.slot] = threshold
        self.sync()

    # -- state kept in the roster for the vectorised phases

    @property
    def orientation(self) -> float:
        """Orientation to time, place and person (0..1), following symptoms."""
        return course.orientation(self.severity)

    def sync(self):
        """Copy the state the per-step phases read into the roster."""
        r = self.model.roster
        r.level[self.slot] = self.level
        r.severity[self.slot] = self.severity
        r.sensitivity[self.slot] = self.sensitivity
        r.sociability[self.slot] = max(0.1, 1.0 - 0.8 * self.severity) * (0.6 + 0.4 * self.trust)
        drop = (
            self.model.scenario.conflict.containment_threshold_drop
            if self.model.steps < self.risk_until_step
            else 0
        )
        r.threshold[self.slot] = max(0.05, self.base_threshold - drop)

    def radii(self):
        """Personal-space radii now (Hall's zones, widened by agitation)."""
        return personal_space(self.agitation, self.sensitivity)

    # -- decisions

    def decide(self):
        """Choose what to do now; called when the last activity ends or the timetable interrupts."""
        m = self.model
        block = m.block
        end = m.block_end_step
        rng = m.streams["behaviour"]
        if self.activity == "work":
            self._credit_work()
        if block.place == "bedroom":  # sleep, washing: in one's own room
            self._to_bed(end, activity=block.activity)
            return
        t = self.today
        if (
            block.activity in SESSIONS
            and block.start not in t.sessions_seen
            and expected(self.level, block, t.groups)
        ):
            t.sessions_seen.add(block.start)  # a session counts once, whenever the patient decides
            t.expected += 1
            # Attending needs orientation; agitation keeps patients away (assumption).
            if rng.random() < self.orientation * (1.0 - 0.5 * self.agitation) + 0.1:
                t.attended += 1
                if block.activity == "group":
                    t.groups += 1
                m.send_to_zone(self, block.place, block.activity, end, sit=True)
                if block.activity == "work":
                    self.work_started = m.steps
                return
        if block.activity == "meal" and rng.random() < 0.85:
            m.send_to_zone(self, "dining", "meal", end, sit=True)
            return
        if (
            self.goal
            and self.level >= 2
            and block.activity in ("work", "free")
            and rng.random() < 0.3 + 0.5 * self.autonomy
        ):
            m.send_to_zone(self, GOAL_PLACE[self.goal], "work", min(end, m.until(45)), sit=True)
            self.work_started = m.steps
            return
        self._free_time(min(end, m.until(int(rng.integers(15, 61)))))

    def _credit_work(self):
        """Progress towards the patient's own goal for the work just done (DESIGN §2.7)."""
        m = self.model
        hours = (m.steps - self.work_started) * m.dt / 60.0
        self.today.goal_hours += hours
        pace = GOAL_PACE[self.goal]
        self.goal_progress += m.params.programme.goal_rate * pace * hours * (0.5 + self.autonomy)
        if self.goal_progress >= 1.0:  # a goal reached: the next one starts from scratch
            self.goals_done += 1
            self.goal_progress = 0.0
            self.change_autonomy(0.05)
            m.log_event("goal_reached", self, outcome=self.goal)

    def _free_time(self, until: int):
        m = self.model
        rng = m.streams["behaviour"]
        names, weights = zip(*FREE_CHOICES, strict=True)
        w = list(weights)
        social = (1.0 - self.severity) * (0.5 + self.trust)
        w[0] *= 0.5 + social
        w[1] *= 0.5 + self.severity  # withdrawn when ill
        w[2] *= 0.3 + self.autonomy if self.level >= 2 else 0.0  # garden from level 2
        w[5] *= 0.5 + self.autonomy
        choice = names[int(rng.choice(len(names), p=[x / sum(w) for x in w]))]
        if choice == "request":
            m.request(self, until)
        elif choice == "bedroom":
            self._to_bed(until, activity="rest")
        else:
            m.send_to_zone(self, choice, "free", until, sit=choice in ("dayroom", "quiet"))

    def _to_bed(self, until: int, activity: str = "sleep"):
        if self.bed is None:  # day hospital: home at night; home: own room
            self.model.send_to_zone(
                self, "bedroom" if self.model.has_zone("bedroom") else "dayroom", activity, until, sit=False
            )
            return
        self.go(self.bed, activity, until)

    # -- the day's end

    def end_day(self) -> DayRecord:
        """Close the day: update the illness course and record the day for the review."""
        m = self.model
        sc = m.scenario
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
        self.sync()
        return record

    def end_observation(self):
        """Special observation ends."""
        r = self.model.roster
        if not self.gone and self.model.steps >= r.observed_until[self.slot]:  # not renewed meanwhile
            r.observed[self.slot] = False

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
            self.sync()


def _bounded(x: float, delta: float) -> float:
    """`x` moved by `delta` in proportion to the room left: gains slow near 1, losses near 0."""
    return x + delta * ((1.0 - x) if delta > 0 else x)
