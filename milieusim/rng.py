"""Seeds and named random streams (docs/ODD.md §4, Stochasticity).

Replicate seeds are spawned from one root seed with `numpy.random.SeedSequence`,
so a sweep is reproducible from a single number. Inside a run, each source of
chance (admissions, visits, behaviour, staff) draws from its own stream
derived from the run's seed: two scenarios that differ only in, say, the
layout see the same admissions and the same visits (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np

STREAMS = ("admissions", "visits", "behaviour", "staff", "review")


def spawn_seeds(root: int, n: int) -> list[int]:
    """`n` independent 63-bit seeds spawned from `root`, stable for a given root."""
    children = np.random.SeedSequence(root).spawn(n)
    return [int(child.generate_state(2, np.uint64)[0] >> np.uint64(1)) for child in children]


def named_streams(seed: int, names: tuple[str, ...] = STREAMS) -> dict[str, np.random.Generator]:
    """One generator per name, each a function of (`seed`, name) only.

    Adding a stream never changes the draws of the others.
    """
    return {
        name: np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode()),)))
        for name in names
    }
