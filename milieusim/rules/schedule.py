"""The ward's day: which block of the timetable is on, who is expected, and which staff are on shift.

Pure functions over the timetable of the scenario (`params_tables.py`). The
model asks at each step which block is on; a patient's expected sessions
follow from their level (milieu component 11): level 1 is not expected at groups,
level 2 at one group a day, levels 3 and 4 at every session.
"""

from __future__ import annotations

from dataclasses import dataclass

from milieusim.params_tables import TimetableBlock, minutes_of

MINUTES_PER_DAY = 24 * 60
FREE = TimetableBlock(start="00:00", end="24:00", activity="free", place="dayroom", expected_from=5)

#: Shifts: name, start minute, end minute (the night shift wraps midnight).
SHIFTS: tuple[tuple[str, int, int], ...] = (
    ("early", 7 * 60, 15 * 60),
    ("late", 15 * 60, 23 * 60),
    ("night", 23 * 60, 7 * 60),
)
#: Therapists and doctors work weekdays in office hours.
OFFICE_HOURS = (9 * 60, 17 * 60)


@dataclass(frozen=True)
class Timetable:
    """A timetable compiled to one block per minute of the day, for lookups at any step."""

    blocks: tuple[TimetableBlock, ...]

    def __post_init__(self):
        by_minute: list[TimetableBlock] = [FREE] * MINUTES_PER_DAY
        for block in self.blocks:
            for m in range(minutes_of(block.start), minutes_of(block.end)):
                if by_minute[m] is not FREE:
                    raise ValueError(
                        f"timetable blocks overlap at {_hhmm(m)}: {by_minute[m].activity} "
                        f"and {block.activity}"
                    )
                by_minute[m] = block
        object.__setattr__(self, "_by_minute", tuple(by_minute))

    def block_at(self, minute_of_day: int) -> TimetableBlock:
        """The block on at a minute of the day (free time between blocks)."""
        return self._by_minute[minute_of_day % MINUTES_PER_DAY]

    def block_end(self, minute_of_day: int) -> int:
        """Minute of the day at which the block on at `minute_of_day` ends (free time: next block)."""
        block = self.block_at(minute_of_day)
        m = minute_of_day % MINUTES_PER_DAY
        while m < MINUTES_PER_DAY and self._by_minute[m] is block:
            m += 1
        return m

    def starts(self) -> list[tuple[int, TimetableBlock]]:
        """(minute, block) for every scheduled block, in time order."""
        return sorted(((minutes_of(b.start), b) for b in self.blocks), key=lambda x: x[0])

    def groups_per_day(self) -> int:
        """How many group-therapy blocks the day holds."""
        return sum(b.activity == "group" for b in self.blocks)


def expected(level: int, block: TimetableBlock, groups_attended_today: int) -> bool:
    """Whether a patient at `level` is expected at `block`.

    Level 2 is expected at group therapy only until they have attended one that day.
    """
    if block.activity == "group" and level == 2 and block.expected_from <= 3:
        return groups_attended_today == 0
    return level >= block.expected_from


def on_shift(role: str, minute_of_day: int, weekday: int, shift: str) -> bool:
    """Whether a staff member of `role` working `shift` is on duty.

    Args:
        role: nurse, assistant, therapist or doctor.
        minute_of_day: 0..1439.
        weekday: 0 = Monday .. 6 = Sunday.
        shift: early, late or night (ignored for therapists and doctors, who keep office hours).
    """
    if role in ("therapist", "doctor"):
        return weekday < 5 and OFFICE_HOURS[0] <= minute_of_day < OFFICE_HOURS[1]
    if shift not in {s[0] for s in SHIFTS}:
        raise ValueError(f"unknown shift {shift!r}; valid: {', '.join(s[0] for s in SHIFTS)}")
    return shift_of(minute_of_day) == shift


def shift_of(minute_of_day: int) -> str:
    """The nursing shift on at a minute of the day."""
    for name, start, end in SHIFTS:
        if (start <= minute_of_day < end) if start < end else (minute_of_day >= start or minute_of_day < end):
            return name
    raise AssertionError("shifts cover the day")


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
