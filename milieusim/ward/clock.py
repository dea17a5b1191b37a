"""The ward's clock: steps, minutes of the day, days, and the timetable block that is on."""

from __future__ import annotations

import math

from milieusim.rules.schedule import Timetable


class Clock:
    """Time on the ward, read from the model's step counter.

    Args:
        model: the model whose `steps` (Mesa's counter) the clock reads.
        timetable: the ward's day.
        step_minutes: minutes per step.
    """

    def __init__(self, model, timetable: Timetable, step_minutes: int):
        self.model = model
        self.timetable = timetable
        self.dt = step_minutes
        self.steps_per_day = 24 * 60 // step_minutes
        self.day = 0
        self.block = timetable.block_at(0)
        self.block_end_step = 0
        self.tick()

    def tick(self):
        """Read the step counter: the model calls this first in every step (Mesa counts the steps)."""
        #: Index of the current step, from 0 (-1 before the first step).
        self.now = self.model.steps - 1
        #: Minute of the day at the current step.
        self.minute = (self.now * self.dt) % 1440

    def until(self, minutes: float) -> int:
        """The step at which something lasting `minutes` from now ends (its owner decides again)."""
        return self.now + self.steps_of(minutes)

    def steps_of(self, minutes: float) -> int:
        """Whole steps covering `minutes` (at least one)."""
        return max(1, math.ceil(minutes / self.dt))

    def enter_block(self, minute: int) -> bool:
        """Make the block on at `minute` current; whether it is a new one (or the run's first step)."""
        block = self.timetable.block_at(minute)
        if block is self.block and self.now != 0:
            return False
        self.block = block
        self.block_end_step = self.now + (self.timetable.block_end(minute) - minute) // self.dt
        return True
