"""Refresh the stored baseline that the tests compare against.

Two parts, both refreshed together and only on purpose, after a change meant to alter the model's
results (say why in the commit):

- `tests/baseline/summary.json`: the default scenario's summary (tests/test_baseline.py);
- `tests/baseline/tables/`: full daily, events and stays tables for three seeds on two layouts
  (tests/test_tables_unchanged.py), so a restructuring can show that nothing else moved.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from baseline_tables import TABLES_DIR, stored_runs, table_run  # noqa: E402

from milieusim.runner import run  # noqa: E402

PATH = ROOT / "tests" / "baseline" / "summary.json"
SEED, DAYS = 0, 14

summary = run(seed=SEED, days=DAYS).summary
PATH.parent.mkdir(exist_ok=True)
PATH.write_text(json.dumps({"seed": SEED, "days": DAYS, "summary": summary}, indent=2, default=float) + "\n")
print(f"wrote {PATH}")

for layout, seed in stored_runs():
    folder = TABLES_DIR / f"{layout}_seed{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    res = table_run(layout, seed)
    for name in ("daily", "events", "stays"):
        getattr(res, name).to_parquet(folder / f"{name}.parquet", index=False)
    print(f"wrote {folder}")
