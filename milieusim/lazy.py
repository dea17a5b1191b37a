"""Lazy package exports: a package names what it offers, and a name's module loads when first used.

So ``milieusim --help`` and ``milieusim layout ...`` do not import the model, pandas or
scipy just because a package's ``__init__`` mentions them (PEP 562).
"""

from __future__ import annotations

import importlib


def lazy_exports(package: str, where: dict[str, str]):
    """A module ``__getattr__`` for `package` that imports ``where[name]`` (a module) on first use."""

    def __getattr__(name: str):
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(importlib.import_module(package), name, value)  # found directly from now on
        return value

    return __getattr__
