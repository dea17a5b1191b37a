"""The two tables among the parameters: the ward's timetable and the level rule table.

Both are plain validated data with defaults that follow the milieu's four
levels of responsibility (milieu component 11, docs/ODD.md Appendix A); a
scenario file can replace either whole. docs/ODD.md shows both, generated from
here. The rules that
read them live in `rules/schedule.py` and `rules/levels.py`.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Activity = Literal["sleep", "hygiene", "meal", "meeting", "group", "work", "visiting", "free"]
Measure = Literal[
    "destructive_incidents",
    "incidents",
    "orientation",
    "hygiene",
    "groups_per_day",
    "attendance",
    "autonomy",
    "trust",
    "goal_progress",
    "peer_help",
]
ZoneName = Literal[
    "bedroom", "bathroom", "dayroom", "dining", "therapy", "quiet", "garden", "visitors", "corridor"
]
MAX_WINDOW_DAYS = 60  # longest look-back of a level criterion
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


def minutes_of(hhmm: str) -> int:
    """Minutes after midnight of ``"HH:MM"``."""
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


class TimetableBlock(BaseModel):
    """A block of the ward's day, e.g. group therapy 10:00-11:00 in the therapy room.

    Attributes:
        start, end: ``"HH:MM"``; end after start (``"24:00"`` allowed).
        activity: what the block is for.
        place: the zone where it happens.
        expected_from: the lowest level expected to attend (5: nobody is expected).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: str
    end: str
    activity: Activity
    place: ZoneName
    expected_from: int = Field(1, ge=1, le=5)

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        if not HHMM.match(v):
            raise ValueError(f"{v!r} is not a time HH:MM between 00:00 and 24:00")
        return v

    @model_validator(mode="after")
    def _ordered(self) -> TimetableBlock:
        if minutes_of(self.end) <= minutes_of(self.start):
            raise ValueError(f"block ends ({self.end}) before it starts ({self.start})")
        return self


def _b(start, end, activity, place, expected_from=1) -> TimetableBlock:
    return TimetableBlock(start=start, end=end, activity=activity, place=place, expected_from=expected_from)


#: The default day of an acute ward. Gaps are free time. Level 1 patients are
#: not expected at groups (milieu component 11: they cannot join group therapy); level 2
#: attend at least one group a day; level 3 and 4 attend all.
DEFAULT_TIMETABLE: tuple[TimetableBlock, ...] = (
    _b("00:00", "07:00", "sleep", "bedroom"),
    _b("07:00", "08:00", "hygiene", "bedroom"),
    _b("08:00", "08:45", "meal", "dining"),
    _b("09:00", "09:30", "meeting", "dayroom", 2),
    _b("10:30", "11:30", "group", "therapy", 2),
    _b("11:30", "12:15", "work", "dayroom", 3),
    _b("12:15", "13:00", "meal", "dining"),
    _b("14:00", "15:00", "group", "therapy", 3),
    _b("15:00", "16:30", "visiting", "visitors"),
    _b("17:30", "18:15", "meal", "dining"),
    _b("19:00", "20:00", "visiting", "visitors"),
    _b("22:30", "24:00", "sleep", "bedroom"),
)


class Criterion(BaseModel):
    """One condition of a level rule: a measure over a look-back window against a threshold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    measure: Measure
    op: Literal[">=", "<="]
    value: float
    window_days: int = Field(3, ge=1, le=MAX_WINDOW_DAYS)


class LevelRule(BaseModel):
    """Promotion from one level to the next, decided at the daily staff review."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    from_level: int = Field(ge=1, le=3)
    min_days: int = Field(2, ge=0, le=60, description="days at the level before promotion")
    criteria: tuple[Criterion, ...]

    @property
    def to_level(self) -> int:
        """The level this rule promotes to."""
        return self.from_level + 1


def _c(measure, op, value, window_days=3) -> Criterion:
    return Criterion(measure=measure, op=op, value=value, window_days=window_days)


#: Default promotion rules (milieu component 11). Demotion follows destructive behaviour.
DEFAULT_LEVEL_RULES: tuple[LevelRule, ...] = (
    LevelRule(
        from_level=1,
        min_days=2,
        criteria=(
            _c("destructive_incidents", "<=", 0, 3),
            _c("orientation", ">=", 0.6, 2),
            _c("hygiene", ">=", 0.4, 2),
        ),
    ),
    LevelRule(
        from_level=2,
        min_days=3,
        criteria=(
            _c("groups_per_day", ">=", 1, 3),
            _c("incidents", "<=", 0, 3),
            _c("autonomy", ">=", 0.4, 1),
        ),
    ),
    LevelRule(
        from_level=3,
        min_days=4,
        criteria=(
            _c("attendance", ">=", 0.85, 4),
            _c("goal_progress", ">=", 0.5, 1),
            _c("peer_help", ">=", 1, 5),
            _c("trust", ">=", 0.5, 1),
            _c("incidents", "<=", 0, 4),
        ),
    ),
)
