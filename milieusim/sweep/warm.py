"""Imported once by a sweep's forkserver, before it forks any worker: workers start warm.

A pool worker is forked from the forkserver. Having imported the model (numpy, pandas,
Mesa, numba) and run one day of the default ward here, the forkserver holds every
compiled kernel loaded and the default ward's geometry built, and each worker it forks
starts with them instead of spending seconds of its own on imports and on loading the
kernels from the disk cache. Runs are unchanged: a worker's run depends on its seed only.
"""

from __future__ import annotations

import contextlib

from milieusim.model import MilieuModel

# a failed warm-up only leaves workers cold: a broken model says so in the runs themselves
with contextlib.suppress(Exception):
    MilieuModel(rng=0).run(days=1)
