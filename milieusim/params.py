"""Every parameter of a scenario, validated, with units, ranges, defaults and sources.

A `Scenario` is the ward plus its culture: groups `ward`, `time`, `staffing`,
`culture`, `family`, `programme`, `levels`, `conflict`, `flow`, `illness`.
Each field names its unit and its source: a published source cited by key
(`[@rcpsych2011]`, docs/references.bib), "calibrated" or "assumption". Bad
values fail naming the field, the value and the allowed range; unknown keys
fail naming the nearest valid key (`validation.py`).
Scenario files and presets are TOML (`scenario.py` reads them).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from milieusim.params_base import ASSUMPTION, Group, P, parse_assignment
from milieusim.params_conflict import STAFF_SIGHT_RANGE_M, Conflict, Safewards
from milieusim.params_tables import DEFAULT_LEVEL_RULES, DEFAULT_TIMETABLE, HHMM, LevelRule, TimetableBlock
from milieusim.validation import nearest

__all__ = ["ASSUMPTION", "GROUPS", "STAFF_SIGHT_RANGE_M", "Group", "P", "Scenario"]


class Ward(Group):
    """The building and who is in it."""

    layout: str = P("corridor", doc="built-in layout name or layout file path")
    furniture: str | None = P(None, doc="furniture variant; default: the layout's (or furniture_style)")
    furniture_style: Literal["sociopetal", "sociofugal"] | None = P(
        None,
        doc="used when furniture is unset: the layout's variant of this name if it has one, "
        "else the layout's default (presets state a style, not a variant every layout has)",
    )
    beds: int | None = P(None, 1, 200, unit="beds", doc="patients; default: the layout's beds")
    occupancy_target: float = P(
        0.85,
        0.1,
        1.0,
        unit="share of beds",
        source="[@rcpsych2011]: occupancy at most 85%",
        doc="beds are refilled from the queue up to this share",
    )


class Time(Group):
    """The clock and the day's timetable."""

    step_minutes: int = P(5, 1, 60, unit="min", doc="minutes per model step; must divide 60")
    days: int = P(28, 1, 3650, unit="days", doc="length of a run")
    timetable: tuple[TimetableBlock, ...] = Field(
        DEFAULT_TIMETABLE, description="the ward's day: blocks of activity (rules/schedule.py)"
    )

    @field_validator("step_minutes")
    @classmethod
    def _divides_hour(cls, v: int) -> int:
        if 60 % v:
            raise ValueError(f"{v} does not divide 60; valid: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60")
        return v


class Staffing(Group):
    """Staff on each shift. Day shift about 1 nurse to 4-5 patients [@radcliffe2007]."""

    day_nurses: int = P(
        3,
        0,
        30,
        unit="staff",
        source="[@radcliffe2007]: about 1 nurse to 4-5 patients by day",
        doc="registered nurses, early shift 07:00-15:00",
    )
    day_assistants: int = P(
        2,
        0,
        30,
        unit="staff",
        source="[@radcliffe2007]: about 1 nurse to 4-5 patients by day",
        doc="healthcare assistants, early shift",
    )
    late_nurses: int = P(3, 0, 30, unit="staff", doc="nurses, late shift 15:00-23:00")
    late_assistants: int = P(1, 0, 30, unit="staff", doc="healthcare assistants, late shift")
    night_nurses: int = P(2, 0, 30, unit="staff", doc="nurses, night shift 23:00-07:00")
    night_assistants: int = P(1, 0, 30, unit="staff", doc="healthcare assistants, night shift")
    therapists: int = P(1, 0, 10, unit="staff", doc="therapists/OTs, weekdays 09:00-17:00")
    doctors: int = P(1, 0, 10, unit="staff", doc="doctors, weekdays 09:00-17:00")
    training: float = P(0.5, 0, 1, unit="0-1", doc="de-escalation training: raises talk-down success")


class Culture(Group):
    """The milieu's culture (docs/ODD.md, Appendix A). Each is 0..1 and acts on named transitions."""

    power_balance: float = P(
        0.3,
        0,
        1,
        unit="0-1",
        source="assumption; the lever of milieu component 1 (docs/ODD.md, Appendix A)",
        doc="patients' share of decision weight at the community meeting",
    )
    power_inequality: float = P(
        0.3,
        0,
        1,
        unit="Gini",
        source="assumption; milieu component 1 (docs/ODD.md, Appendix A)",
        doc="inequality (Gini) of voice among patients",
    )
    respect: float = P(
        0.6,
        0,
        1,
        unit="0-1",
        source="assumption; milieu component 3; soft words [dir: @bowers2015]",
        doc="staff respect: softens limit setting, curbs peer bullying, builds trust",
    )
    autonomy_support: float = P(
        0.5,
        0,
        1,
        unit="0-1",
        source="assumption; the lever of milieu component 2 (docs/ODD.md, Appendix A)",
        doc="staff readiness to grant requests (chance autonomy_support x (0.6 + 0.1 level)) and to back "
        "patients' proposals at the meeting; the level autonomy drifts towards",
    )
    consistency: float = P(
        0.6,
        0,
        1,
        unit="0-1",
        source="assumption; the lever of milieu component 5 (docs/ODD.md, Appendix A)",
        doc="staff give the same answers: less review noise, fewer mixed messages",
    )
    needs_focus: float = P(
        0.33,
        0,
        1,
        unit="share of free staff time",
        source="calibrated: staff contact about 40% of the day [@whittington2000]",
        doc="share of staff time between fixed duties spent one-to-one with patients rather than elsewhere",
    )
    chair_tidiness: float = P(
        0.5,
        0,
        1,
        unit="0-1",
        source="[dir: @osmond1957; @sommer1958]; the value an assumption",
        doc="staff inclination to re-line day-room chairs along walls",
    )


class Family(Group):
    """Family contact (milieu component 10, docs/ODD.md Appendix A)."""

    share_with_family: float = P(0.8, 0, 1, unit="share of patients", doc="patients with a visiting relative")
    visits_per_week: float = P(2.0, 0, 14, unit="visits/week", doc="visits of each relative")
    visit_minutes: int = P(60, 10, 240, unit="min", doc="length of a visit")
    involvement: float = P(
        0.3,
        0,
        1,
        unit="0-1",
        source="[dir: @pharoah2010]; the value an assumption",
        doc="chance a visit includes a family session with staff",
    )
    tension: float = P(
        0.15,
        0,
        1,
        unit="probability",
        source="[dir: @bowers2014]: visits can be flashpoints; the value an assumption",
        doc="chance a visit is tense or brings bad news (a flashpoint at the visit's first encounter)",
    )


class Programme(Group):
    """Therapy, meetings and work (milieu component 7, docs/ODD.md Appendix A)."""

    community_meeting: bool = P(True, doc="daily community meeting where decisions are made")
    chores: float = P(0.6, 0, 1, unit="share of patients", doc="chores available per patient")
    jobs: float = P(0.2, 0, 1, unit="share of patients", doc="paid jobs available per patient")
    goal_rate: float = P(0.08, 0, 1, unit="progress/hour", doc="goal progress per hour of chosen work")


class Levels(Group):
    """The four levels of responsibility and the daily review (milieu component 11, docs/ODD.md §7.14)."""

    rules: tuple[LevelRule, ...] = Field(DEFAULT_LEVEL_RULES, description="promotion rule table")
    review_time: str = P("10:00", doc="time of the daily staff review, HH:MM")

    @field_validator("review_time")
    @classmethod
    def _time_of_day(cls, v: str) -> str:
        if not HHMM.match(v) or v == "24:00":
            raise ValueError("not a time of day HH:MM from 00:00 to 23:59")
        return v

    review_noise: float = P(
        0.2, 0, 1, unit="0-1", doc="noise in staff judgement at consistency 0; scaled by 1 - consistency"
    )
    demotion: Literal["one_level", "to_level_1"] = P("one_level", doc="after destructive behaviour")


class Flow(Group):
    """Admissions and discharges (length of stay [@kingsfund; @hscic2014], occupancy [@rcpsych2011])."""

    discharge_level: int = P(4, 1, 4, unit="level", doc="level at which a patient can be discharged")
    discharge_after_days: int = P(3, 0, 60, unit="days", doc="days at that level before discharge")
    max_stay_days: int = P(90, 1, 3650, unit="days", doc="discharge at the latest after this stay")
    admissions_per_day: int = P(2, 0, 20, unit="patients/day", doc="most admissions in a day")
    start_full: bool = P(True, doc="the run starts at the occupancy target (patients mid-stay)")
    detained_share: float = P(
        0.5,
        0,
        1,
        unit="share of admissions",
        doc="patients detained under mental health law (the regulatory framework's flashpoints)",
    )


class Illness(Group):
    """The course of illness, in the absence of the milieu's effects."""

    severity_mean: float = P(0.7, 0.05, 0.95, unit="0-1", doc="mean symptom severity on admission")
    severity_sd: float = P(0.12, 0, 0.4, unit="0-1", doc="spread of severity on admission")
    recovery_per_day: float = P(
        0.013,
        0,
        0.5,
        unit="severity/day",
        source="calibrated: mean length of stay, England 32-39 days [@kingsfund]",
        doc="base daily fall in severity",
    )
    recovery_spread: float = P(
        1.4,
        0,
        2,
        unit="lognormal shape",
        source="calibrated: median (23 days [@hscic2014]) below mean length of stay [@kingsfund]",
        doc="how unevenly patients recover: each patient's rate is the base times a "
        "lognormal factor of mean 1",
    )
    noise: float = P(0.02, 0, 0.3, unit="severity/day", doc="day-to-day variation of severity")


#: Parameter groups, and single keys, that may change part-way through a run (the timeline, or the
#: live ward's sliders); the others shape what the run builds at its start (the ward, the clock,
#: the staff on the roster, the review time).
MID_RUN_GROUPS = frozenset({"culture", "safewards", "conflict", "family", "programme", "illness"})
MID_RUN_KEYS = frozenset(
    {
        "staffing.training",
        "levels.review_noise",
        "levels.demotion",
        "flow.discharge_level",
        "flow.discharge_after_days",
        "flow.max_stay_days",
        "flow.admissions_per_day",
        "flow.detained_share",
    }
)


def mid_run_problem(key: str) -> str | None:
    """Why parameter `key` (e.g. ``"ward.beds"``) cannot change part-way through a run, or None."""
    if key.split(".")[0] in MID_RUN_GROUPS or key in MID_RUN_KEYS:
        return None
    can = ", ".join([f"[{g}]" for g in sorted(MID_RUN_GROUPS)] + sorted(MID_RUN_KEYS))
    return f"{key} is set when a run starts and cannot change part-way; what can: {can}"


class TimelineChange(BaseModel):
    """Changes that take effect at the start of a day of the run, written as on the command line.

    E.g. ``day = 60`` with ``set = ["safewards.talk_down=0.8", "culture.respect=0.8"]``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    day: int = Field(ge=1, le=3650, description="day of the run (from 0) at whose start the changes apply")
    set: tuple[str, ...] = Field(min_length=1, description='"key=value" changes, e.g. "culture.respect=0.8"')

    @field_validator("set")
    @classmethod
    def _assignments(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        for item in items:
            key, _ = parse_assignment(item)
            if problem := mid_run_problem(key):
                raise ValueError(problem)
        return items

    def changes(self) -> dict[str, Any]:
        """The changes as ``{"culture.respect": 0.8}``."""
        return dict(parse_assignment(item) for item in self.set)


class Scenario(BaseModel):
    """A complete, validated scenario: everything a run needs except the seed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = P("default", doc="scenario name shown in outputs")
    ward: Ward = Ward()
    time: Time = Time()
    staffing: Staffing = Staffing()
    culture: Culture = Culture()
    family: Family = Family()
    programme: Programme = Programme()
    levels: Levels = Levels()
    conflict: Conflict = Conflict()
    safewards: Safewards = Safewards()
    flow: Flow = Flow()
    illness: Illness = Illness()
    timeline: tuple[TimelineChange, ...] = Field(
        (), description="changes part-way through a run, each at the start of a day (interrupted time series)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        steps = {b.start for b in self.time.timetable} | {self.levels.review_time}
        for hhmm in steps:
            minutes = int(hhmm[:2]) * 60 + int(hhmm[3:])
            if minutes % self.time.step_minutes:
                raise ValueError(f"time {hhmm} is not on a step of {self.time.step_minutes} min")
        days = [change.day for change in self.timeline]
        if days != sorted(set(days)):
            raise ValueError(f"timeline days must rise, one entry a day; got {days}")
        known = self.parameter_keys()
        for change in self.timeline:
            for key in change.changes():
                if key not in known:
                    raise ValueError(
                        f"timeline day {change.day}: unknown parameter {key!r}; {nearest(key, known)}"
                    )
        if self.timeline:  # every change is valid, in order (checked without the timeline itself)
            Scenario.model_validate(
                _changed(self.model_dump() | {"timeline": ()}, self._changes_to(days[-1]))
            )
        return self

    @classmethod
    def parameter_keys(cls) -> list[str]:
        """Every dotted parameter name, e.g. ``culture.respect``."""
        keys = []
        for group, info in cls.model_fields.items():
            ann = info.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                keys += [f"{group}.{name}" for name in ann.model_fields]
            else:
                keys.append(group)
        return keys

    def at_day(self, day: int) -> Scenario:
        """The scenario in force on `day`: every timeline change up to that day applied, in order."""
        changes = self._changes_to(day)
        return self.with_changes(changes) if changes else self

    def _changes_to(self, day: int) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for change in self.timeline:
            if change.day <= day:
                changes |= change.changes()
        return changes

    def with_changes(self, changes: dict[str, Any]) -> Scenario:
        """A copy with dotted-key changes, e.g. ``{"culture.respect": 0.8}``, validated again."""
        return Scenario.model_validate(_changed(self.model_dump(), changes))


def _changed(data: dict, changes: dict[str, Any]) -> dict:
    """`data` (a dumped scenario) with dotted-key `changes` set in place."""
    for key, value in changes.items():
        parts = key.split(".")
        node = data
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return data


GROUPS: tuple[type[Group], ...] = (
    Ward,
    Time,
    Staffing,
    Culture,
    Family,
    Programme,
    Levels,
    Conflict,
    Safewards,
    Flow,
    Illness,
)
