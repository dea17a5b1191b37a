"""The stored baseline: the default scenario's summary, refreshed only by scripts/refresh_baseline.py."""

import json
import math
from pathlib import Path

import pytest

from milieusim.runner import run

STORED = json.loads((Path(__file__).parent / "baseline" / "summary.json").read_text())


def test_default_run_matches_the_stored_baseline():
    now = run(seed=STORED["seed"], days=STORED["days"]).summary
    for key, expected in STORED["summary"].items():
        got = now[key]
        if isinstance(expected, float) and math.isnan(expected):
            assert math.isnan(got), key
        elif isinstance(expected, float):
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-12), (
                f"{key} changed: {expected} -> {got}; if intended, run `make baseline` and say why"
            )
        else:
            assert got == expected, key
