"""Compiled kernels: one plain numeric function per rule, compiled by numba where it is installed.

`kernel` marks a function whose body numba can compile (numbers, numpy arrays and
ufuncs, loops; no Python objects). The same function is the rule's only source:
numba compiles it on first call (cached on disk, so later processes load it), and with
``NUMBA_DISABLE_JIT=1`` it runs as plain Python with the same results, draw for draw
(the tests run both). Random draws never happen inside a kernel: the caller draws from
the model's streams and passes the numbers in.
"""

from __future__ import annotations

from numba import njit


def kernel(fn):
    """Compile `fn` with numba (nopython, cached on disk); `plain(fn)` is the uncompiled function."""
    return njit(cache=True, nogil=True)(fn)


def plain(fn):
    """The uncompiled Python function behind a kernel (itself when compilation is off)."""
    return getattr(fn, "py_func", fn)
