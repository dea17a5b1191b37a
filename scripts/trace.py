"""Regenerate the model analysis of docs/TRACE.md (milieusim/trace_report.py).

Step length, seeds, knock-outs, and the sensitivity screening's table from
experiments/sensitivity/results (run `make study NAME=sensitivity` first):

    .venv/bin/python scripts/trace.py [--seeds 8] [--step-seeds 6] [--knockout-seeds 5] [--days 21]
        [--workers 2] [--runs FILE]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from milieusim.trace_report import Analysis, run_analysis, write_trace

ROOT = Path(__file__).resolve().parent.parent


def main():
    """Run the analysis and rewrite its blocks in docs/TRACE.md."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=8, help="baseline seeds (the seed-count table)")
    ap.add_argument("--step-seeds", type=int, default=6, help="seeds per step length")
    ap.add_argument("--knockout-seeds", type=int, default=5, help="seeds per knock-out")
    ap.add_argument("--days", type=int, default=21)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "TRACE.md")
    ap.add_argument("--runs", type=Path, help="JSON of the runs: read if it exists (no runs), else written")
    args = ap.parse_args()
    if args.runs and args.runs.is_file():
        analysis = Analysis.load(args.runs)
    else:
        analysis = run_analysis(args.seeds, args.step_seeds, args.knockout_seeds, args.days, args.workers)
        if args.runs:
            analysis.save(args.runs)
    path = write_trace(args.out, analysis, ROOT / "experiments" / "sensitivity" / "results")
    print(f"rewrote the analysis blocks of {path} ({analysis.seconds:.0f} s)")


if __name__ == "__main__":
    main()
