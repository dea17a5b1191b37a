"""Running one scenario with one seed: the model, then its tables."""

from __future__ import annotations

from collections.abc import Callable

from milieusim.metrics import Results, results
from milieusim.model import MilieuModel
from milieusim.params import Scenario


def run(
    scenario: Scenario | None = None,
    seed: int = 0,
    days: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Results:
    """Run `scenario` with `seed` for `days` (default: the scenario's) and return its tables."""
    model = MilieuModel(scenario, rng=seed)
    model.run(days, progress)
    return results(model)
