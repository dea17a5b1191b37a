"""What can stop a sweep, as errors a caller can tell apart (the command line turns them into advice).

A sweep's results folder stays consistent whichever of these ends it: the
finished runs are kept, and the same sweep resumed runs only what is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from milieusim.validation import InputError, Problem

if TYPE_CHECKING:
    from milieusim.sweep.sweep import SweepOutcome


class SweepError(RuntimeError):
    """A sweep did not run to its end (its finished runs are kept)."""


class SweepInterrupted(SweepError):
    """The sweep was asked to stop (Ctrl-C) and stopped after the runs in progress.

    Attributes:
        outcome: how far it got.
    """

    def __init__(self, outcome: SweepOutcome):
        self.outcome = outcome
        super().__init__(f"stopped with {outcome.done} of {outcome.planned} runs done; they are kept")


class WorkerLost(SweepError):
    """A worker process died (killed, or out of memory); the sweep stopped, its finished runs are kept."""


class RunsFailed(SweepError):
    """Runs of the sweep are missing or raised, so what needs all of them (a comparison) cannot be made.

    Attributes:
        failed: how many runs are missing or failed.
        planned: how many were planned.
        out: the results folder, whose runs table holds each failed run's traceback.
    """

    def __init__(self, failed: int, planned: int, out: Path):
        self.failed, self.planned, self.out = failed, planned, Path(out)
        super().__init__(
            f"{failed} of {planned} runs are missing or failed; the runs table of {out}/ holds the tracebacks"
        )


class FolderInUse(InputError):
    """The results folder holds files already, and the sweep was not asked to resume."""


class NotAScheduler(InputError):
    """The address given for a Dask cluster does not answer as a Dask scheduler within the timeout."""

    def __init__(self, address: str, why: str):
        self.address = address
        super().__init__(address, [Problem(why)])


class FolderLocked(InputError):
    """Another sweep, still running, holds the results folder's lock.

    Attributes:
        holder: the holder as its lock file names it (process, machine, since when).
    """

    def __init__(self, out: Path, holder: str):
        self.holder = holder
        super().__init__(
            str(out),
            [Problem(f"another sweep is writing to this folder ({holder}); wait for it to end, or stop it")],
        )
