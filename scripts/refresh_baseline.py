"""Refresh the stored baseline summary that tests/test_baseline.py compares against.

Run only on purpose, after a change meant to alter the model's results; say why in the commit.
"""

import json
from pathlib import Path

from milieusim.runner import run

PATH = Path(__file__).resolve().parent.parent / "tests" / "baseline" / "summary.json"
SEED, DAYS = 0, 14

summary = run(seed=SEED, days=DAYS).summary
PATH.parent.mkdir(exist_ok=True)
PATH.write_text(json.dumps({"seed": SEED, "days": DAYS, "summary": summary}, indent=2, default=float) + "\n")
print(f"wrote {PATH}")
