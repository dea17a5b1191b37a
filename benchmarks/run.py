"""Benchmarks of milieusim (speed is measured here, never asserted in tests).

Every timing is set beside a baseline measured in the same run, on the same
machine, because the machine is shared and noisy:

- geometry (geometry.py): precomputing a layout's fields against one bare
  scipy Dijkstra on the same graph;
- model (model.py): the default scenario against a floor model (bare Mesa
  CellAgents random-walking on the same grid, same agent count, same steps),
  then run time against beds (10, 20, 40, 80) and days (7, 14, 28, 56).

The last line printed is ``ratio milieusim/floor: X.XX`` for the default
scenario (default ward, 28 days, default step): milieusim's best run time over
the floor model's. Target: at most 1.0.

    python benchmarks/run.py              # full (about 5-10 min on 2 cores)
    python benchmarks/run.py --quick      # smoke check: 1 repeat, short scaling runs
    python benchmarks/run.py --profile 7  # cProfile of a 7-day default run only
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from geometry import bench_geometry  # noqa: E402
from model import bench_beds, bench_days, bench_default, bench_end_to_end, profile  # noqa: E402
from synthetic import synthetic_ward  # noqa: E402

DEFAULT_DAYS = 28  # the default scenario's days (Scenario().time.days)


def main() -> None:
    """Run the benchmarks."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=None, help="best of N (default 3; --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="fast smoke check: 1 repeat, short scaling runs")
    parser.add_argument("--profile", type=int, metavar="DAYS", help="only profile a default run of DAYS")
    parser.add_argument("--skip-geometry", action="store_true", help="model benchmark only")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return
    repeats = args.repeats or (1 if args.quick else 3)
    beds_days = 7 if args.quick else DEFAULT_DAYS
    days_list = [1, 2, 4, 7] if args.quick else [7, 14, 28, 56]
    t0 = time.perf_counter()
    if not args.skip_geometry:
        bench_geometry(repeats)
    with tempfile.TemporaryDirectory(prefix="milieusim-bench-") as tmp:
        layouts: dict[int, str] = {10: "corridor", 20: "corridor"}
        for beds in (40, 80):
            text, _ = synthetic_ward(beds)  # parse_layout validates it
            path = Path(tmp) / f"synthetic{beds}.toml"
            path.write_text(text, encoding="utf-8")
            layouts[beds] = str(path)
        done: dict = {}
        default = bench_default(repeats, DEFAULT_DAYS)
        done[("{}", DEFAULT_DAYS)] = default
        bench_beds(repeats, beds_days, layouts, done)
        bench_days(repeats, days_list, done)
    bench_end_to_end(DEFAULT_DAYS, default.mil_run)
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\nbenchmarks took {time.perf_counter() - t0:.0f} s; load average {load} on {os.cpu_count()} CPUs")
    print(f"ratio milieusim/floor: {default.ratio:.2f}")


if __name__ == "__main__":
    main()
