"""A/B: the model's time per step at another revision against this working tree, side by side.

For judging a change to speed on a shared, noisy machine: the two versions run in
alternating fresh processes (A, B, A, B, ...), each process times the default scenario
in CPU time (best of a few runs, after an untimed run that warms the geometry and loads
or compiles the kernels), and the summary compares the best and the median process of
each side. The other revision is checked out in a temporary git worktree and removed
afterwards.

    python benchmarks/ab.py main               # this tree against main, 6 processes each
    python benchmarks/ab.py HEAD~3 --days 14   # a longer run per timing
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: What each process runs: prints microseconds per step (CPU time, best of `repeats`).
TIMING = """
import sys, time
from milieusim.model import MilieuModel
from milieusim.params import Scenario
days, repeats = int(sys.argv[1]), int(sys.argv[2])
MilieuModel(Scenario(), rng=1).run(days)  # untimed: geometry, kernels
best = float("inf")
for _ in range(repeats):
    model = MilieuModel(Scenario(), rng=1)
    start = time.process_time()
    model.run(days)
    best = min(best, time.process_time() - start)
print(best / (days * model.clock.steps_per_day) * 1e6)
"""


def time_step(tree: Path, days: int, repeats: int) -> float:
    """Microseconds per step of the default scenario, in a fresh process importing milieusim from `tree`."""
    out = subprocess.run(
        [sys.executable, "-c", TIMING, str(days), str(repeats)],
        cwd=tree,
        env=os.environ | {"PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("revision", help="the git revision to compare against (A); B is this working tree")
    ap.add_argument("--processes", type=int, default=6, help="processes per side (default 6)")
    ap.add_argument("--days", type=int, default=7, help="days per timed run (default 7)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per process (default 3)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="milieusim-ab-") as tmp:
        other = Path(tmp) / "a"
        add = ["git", "worktree", "add", "-q", "--detach", str(other), args.revision]
        checkout = subprocess.run(add, cwd=ROOT, capture_output=True, text=True, check=False)
        if checkout.returncode:
            sys.exit(
                f"ab.py: cannot check out {args.revision!r} (a git revision of {ROOT}): "
                f"{checkout.stderr.strip()}"
            )
        try:
            a, b = [], []
            for _ in range(args.processes):
                a.append(time_step(other, args.days, args.repeats))
                b.append(time_step(ROOT, args.days, args.repeats))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"us per step, default scenario, {args.days} days, {args.processes} processes a side:")
    print(f"  A {args.revision}: best {min(a):.0f}, median {ma:.0f}")
    print(f"  B this tree: best {min(b):.0f}, median {mb:.0f}")
    print(f"B/A: best {min(b) / min(a):.3f}, median {mb / ma:.3f}")


if __name__ == "__main__":
    main()
