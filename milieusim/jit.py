"""Compiled kernels: one plain numeric function per rule, compiled by numba where it is installed.

`kernel` marks a function whose body numba can compile (numbers, numpy arrays and
ufuncs, loops; no Python objects). The same function is the rule's only source:
numba compiles it on first call (cached on disk per version of the package's code, so
later processes load it), and with
``NUMBA_DISABLE_JIT=1`` it runs as plain Python with the same results, draw for draw
(the tests run both). Random draws never happen inside a kernel: the caller draws from
the model's streams and passes the numbers in.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numba
from numba import njit

PACKAGE = Path(__file__).resolve().parent


def _source_key() -> str:
    """A digest of the package's source: compiled kernels are kept per version of the code."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "milieusim" / "numba" / _source_key()


# numba notices a change to a kernel's own file, not to a constant or kernel it takes from another
# module: kernels compiled from other code must never be reused, so each version of the code has
# its own cache. (Set here, before any kernel is made; NUMBA_CACHE_DIR, if set, wins.)
if not os.environ.get("NUMBA_CACHE_DIR"):
    numba.config.CACHE_DIR = str(_cache_dir())


def kernel(fn):
    """Compile `fn` with numba (nopython, cached on disk); `plain(fn)` is the uncompiled function."""
    return njit(cache=True, nogil=True)(fn)


def plain(fn):
    """The uncompiled Python function behind a kernel (itself when compilation is off)."""
    return getattr(fn, "py_func", fn)
