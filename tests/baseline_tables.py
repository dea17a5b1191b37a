"""The runs whose full tables are stored in tests/baseline/tables (scripts/refresh_baseline.py)."""

from pathlib import Path

from milieusim.params import Scenario
from milieusim.runner import run

TABLES_DIR = Path(__file__).parent / "baseline" / "tables"
LAYOUTS = ("corridor", "central_base")
SEEDS = (1, 2, 3)
DAYS = 7


def stored_runs():
    """(layout, seed) of every stored run."""
    return [(layout, seed) for layout in LAYOUTS for seed in SEEDS]


def table_run(layout: str, seed: int):
    """The run whose tables are stored for (`layout`, `seed`)."""
    return run(Scenario().with_changes({"ward.layout": layout}), seed=seed, days=DAYS)
