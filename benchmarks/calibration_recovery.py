"""Recovery check at full size: calibrate the baseline ward to targets the model made at known values.

Targets are made by `milieusim.calibration.recovery.synthetic_targets` from runs of the
corridor ward at chosen values of the parameters that the calibration then fits, with
uniform priors around them. A working method puts each true value inside its 95% posterior
interval; the table also says which parameters the targets identify (posterior sd under half
the prior's) and which they leave wide. Prints the recovery table, the number of
simulations, the wall time and the throughput (simulations per minute and per core), from
which docs/calibration.md estimates cluster times.

    python benchmarks/calibration_recovery.py                 # full size: hours on 2 cores
    python benchmarks/calibration_recovery.py --quick         # smoke check at a tiny size
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from milieusim.calibration import setup_from_dict
from milieusim.calibration.calibrate import calibrate
from milieusim.calibration.posterior import write_results
from milieusim.calibration.recovery import recovery_table, synthetic_targets

#: Known values (the defaults of params.py) and the priors around them.
TRUTH = {
    "conflict.conversion_odds": 0.6,
    "illness.recovery_per_day": 0.013,
    "culture.needs_focus": 0.33,
    "family.visits_per_week": 2.0,  # a parameter these targets barely see: it should stay wide
}
PRIORS = {
    "conflict.conversion_odds": {"min": 0.2, "max": 1.5},
    "illness.recovery_per_day": {"min": 0.006, "max": 0.02},
    "culture.needs_focus": {"min": 0.2, "max": 0.5},
    "family.visits_per_week": {"min": 0.0, "max": 7.0},
}
SUMMARIES = [
    "conflict_known_per_shift",
    "mean_length_of_stay_days",
    "staff_contact_share",
    "share_recorded_aggression_coerced",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="tiny ward and sizes: checks the script runs")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", type=Path, help="results folder (default: a temporary one)")
    args = ap.parse_args()
    settings = {"days": 90, "seed": 5, "population": 40, "generations": 4, "max_simulations": 1000}
    base = {"layout": "corridor"}
    runs = 10
    summaries = SUMMARIES
    if args.quick:  # two-day runs: no stay ends and few incidents, so only the time-use targets
        summaries = ["staff_contact_share", "patient_engaged_share"]
        settings |= {"days": 2, "population": 8, "generations": 2, "max_simulations": 100}
        base = {"layout": "corridor", "set": {"ward.beds": 6, "time.step_minutes": 15}}
        runs = 3
    setup = setup_from_dict(
        {"calibration": {"name": "recovery", **settings}, "base": base, "parameters": PRIORS}
    )
    t0 = time.perf_counter()
    targets, _ = synthetic_targets(setup, TRUTH, summaries, runs=runs, seed=99)
    made = time.perf_counter() - t0
    out = args.out or Path(tempfile.mkdtemp(prefix="recovery-"))
    t0 = time.perf_counter()
    res = calibrate(setup, targets, out, workers=args.workers)
    wall = time.perf_counter() - t0
    found = write_results(out, setup, targets)
    table = recovery_table(found["tables"]["posterior"], TRUTH)
    cols = ["parameter", "true", "mean", "low_95", "high_95", "sd_ratio", "reading", "recovered"]
    with pd.option_context("display.width", 160, "display.float_format", "{:.4g}".format):
        print(table[cols].to_string(index=False))
        print(found["tables"]["generations"].to_string(index=False))
    rate = res.simulations / (wall / 60)
    print(
        f"\n{table['recovered'].sum()} of {len(table)} true values inside their 95% posterior interval; "
        f"{res.simulations} simulations of {settings['days']} days in {wall:.0f} s "
        f"with {args.workers} workers "
        f"({rate:.2f} simulations/min, {rate / args.workers:.2f} per worker); targets made in {made:.0f} s; "
        f"stopped: {res.stopped}; results in {out}"
    )


if __name__ == "__main__":
    main()
