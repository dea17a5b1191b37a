"""Regenerate docs/validation.md (milieusim/validation_report.py, as `milieusim validate --out docs`).

.venv/bin/python scripts/validate.py [--seeds 20] [--days 120] [--pattern-seeds 10] [--workers 2]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from milieusim.validation_report import write_validation


def main():
    """Run both parts and write docs/validation.md."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--days", type=int, default=120)
    ap.add_argument("--pattern-seeds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    docs = Path(__file__).resolve().parent.parent / "docs"
    path = write_validation(
        docs, n_seeds=args.seeds, days=args.days, pattern_seeds=args.pattern_seeds, workers=args.workers
    )
    print(path.read_text())


if __name__ == "__main__":
    main()
