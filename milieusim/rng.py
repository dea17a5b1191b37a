"""Seeds and named random streams (docs/ODD.md §4, Stochasticity).

Replicate seeds are spawned from one root seed with `numpy.random.SeedSequence`,
so a sweep is reproducible from a single number. Inside a run, each source of
chance (admissions, visits, behaviour, staff) draws from its own stream
derived from the run's seed: two scenarios that differ only in, say, the
layout see the same admissions and the same visits (common random numbers).

A stream is a `Stream`: numpy's generator with the same numbers, drawn faster one at a time.
"""

from __future__ import annotations

import zlib

import numpy as np

STREAMS = ("admissions", "visits", "behaviour", "staff", "review", "recording")


def spawn_seeds(root: int, n: int) -> list[int]:
    """`n` independent 63-bit seeds spawned from `root`, stable for a given root."""
    children = np.random.SeedSequence(root).spawn(n)
    return [int(child.generate_state(2, np.uint64)[0] >> np.uint64(1)) for child in children]


def named_streams(seed: int, names: tuple[str, ...] = STREAMS) -> dict[str, Stream]:
    """One stream per name, each a function of (`seed`, name) only.

    Adding a stream never changes the draws of the others.
    """
    return {
        name: Stream(
            np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode()),)))
        )
        for name in names
    }


#: Raw 64-bit outputs a stream takes from its bit generator at once.
POOL = 256
_MASK32 = 0xFFFFFFFF
_DOUBLE = 1.0 / 9007199254740992.0  # 2**-53: numpy's next_double from the top 53 bits
_INT64_MIN, _INT64_END = -(2**63), 2**63  # numpy's default int64: low >= min, high <= max + 1


class Stream:
    """A numpy PCG64 `Generator` whose scalar `integers` and `random` (and `random(n)`) cost less.

    A decision draws one number at a time, and numpy's per-call cost (about 3 us for
    `integers`, 1 us for `random`) was a seventh of a step. A stream takes the bit generator's
    raw 64-bit outputs `POOL` at a time and turns them into numbers with numpy's own
    arithmetic: `random()` is the top 53 bits of one output times 2**-53; `integers(low, high)`
    (a range below 2**32) is Lemire's bounded draw on 32-bit halves, the lower half first and
    the upper kept for the next, as PCG64's `next_uint32` does; `random(n)` takes what is left of
    the pool and numpy's own draws after it. So a run draws the same numbers
    as with the `Generator` itself (`tests/test_rng.py` checks long mixed sequences of calls).
    Every other method is the `Generator`'s own, called after the bit generator is put back
    where the numbers drawn so far leave it.
    """

    def __init__(self, generator: np.random.Generator):
        if type(generator.bit_generator) is not np.random.PCG64:
            raise TypeError(f"a Stream draws as PCG64 does; got {type(generator.bit_generator).__name__}")
        self.generator = generator
        self._pool: list[int] = []
        self._uniforms = np.empty(0)  # random() of each output, for draws of many
        self._next = 0
        state = generator.bit_generator.state
        self._has32, self._upper = bool(state["has_uint32"]), int(state["uinteger"])

    def _refill(self):
        """Take the bit generator's next `POOL` raw outputs (`_numpy` steps back over any left unused)."""
        raw = self.generator.bit_generator.random_raw(POOL)
        self._pool = raw.tolist()
        self._uniforms = (raw >> np.uint64(11)) * _DOUBLE
        self._next = 0

    def _drop_pool(self):
        """Forget the pool; call only where the bit generator stands at this stream's last draw."""
        self._pool, self._uniforms, self._next = [], self._uniforms[:0], 0

    def _raw(self) -> int:
        """The next raw 64-bit output (numpy's `next_uint64`)."""
        i = self._next
        if i == len(self._pool):
            self._refill()
            i = 0
        self._next = i + 1
        return self._pool[i]

    def _raw32(self) -> int:
        """The next 32-bit output (numpy's `next_uint32` for PCG64: halves of one 64-bit output)."""
        if self._has32:
            self._has32 = False
            return self._upper
        raw = self._raw()
        self._has32, self._upper = True, raw >> 32
        return raw & _MASK32

    def random(self, size=None, dtype=np.float64, out=None):
        """Uniform on [0, 1): a float, or an array of `size` (an int) floats; other forms go to numpy."""
        if dtype is not np.float64 or out is not None:
            return self._numpy("random", size, dtype, out)
        if size is None:
            return (self._raw() >> 11) * _DOUBLE
        if type(size) is not int or size < 0:
            return self._numpy("random", size)
        i, n = self._next, len(self._pool)
        if i + size <= n:  # within the pool
            self._next = i + size
            return self._uniforms[i : i + size].copy()
        # the rest of the pool, then numpy's own draws: with the pool used up, the bit generator
        # stands where this stream does (its kept 32-bit half is not used by `random`)
        head = self._uniforms[i:n]
        self._drop_pool()
        tail = self.generator.random(size - head.size)
        return np.concatenate([head, tail]) if head.size else tail

    def integers(self, low, high=None, size=None, dtype=np.int64, endpoint=False):
        """An integer in [low, high) as numpy draws it (a Python int); other forms go to numpy.

        Fast: Python-int bounds within int64 and a span below 2**32, one number, numpy's default
        dtype; anything else (arrays, other dtypes, `endpoint`, wide spans, errors) is numpy's.
        """
        if (
            size is not None
            or dtype is not np.int64
            or endpoint
            or type(low) is not int
            or type(high) is not int
            or not _INT64_MIN <= low < high <= _INT64_END
        ):
            return self._numpy("integers", low, high, size, dtype, endpoint)
        span = high - low - 1  # numpy's closed range
        if span == 0:
            return low  # nothing drawn, as numpy
        if span >= _MASK32:
            return self._numpy("integers", low, high)
        excl = span + 1
        m = self._raw32() * excl
        if m & _MASK32 < excl:
            threshold = (_MASK32 - span) % excl
            while m & _MASK32 < threshold:
                m = self._raw32() * excl
        return low + (m >> 32)

    def __getattr__(self, name):
        """Any other method of the `Generator` (normal, choice, ...), drawing where this stream is."""
        if name.startswith("_") or name == "generator":  # not set yet (while unpickling)
            raise AttributeError(name)
        attr = getattr(self.generator, name)
        if not callable(attr):
            raise AttributeError(f"Stream passes on the Generator's methods only, not {name!r}")
        return lambda *args, **kwargs: self._numpy(name, *args, **kwargs)

    def _numpy(self, name, *args, **kwargs):
        """Call the `Generator`'s own method from the position of this stream's last draw."""
        bits = self.generator.bit_generator
        if self._next < len(self._pool):  # the pool ran ahead of the draws: step back to the last one
            bits.advance(self._next - len(self._pool))  # PCG64 advances by any amount, back too
        state = bits.state
        state["has_uint32"], state["uinteger"] = int(self._has32), self._upper
        bits.state = state
        self._drop_pool()
        try:
            return getattr(self.generator, name)(*args, **kwargs)
        finally:
            state = bits.state
            self._has32, self._upper = bool(state["has_uint32"]), int(state["uinteger"])
