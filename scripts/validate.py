"""Regenerate docs/validation.md: the baseline ward against its calibration targets (docs/evidence.md).

Runs the neutral baseline scenario (defaults of params.py, the corridor ward) for
`--days` with `--seeds` seeds spawned from one root seed, in a process pool, and
writes the table of target, source, model mean and 95% confidence interval.

    .venv/bin/python scripts/validate.py [--seeds 20] [--days 120] [--workers 2]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from milieusim.rng import spawn_seeds
from milieusim.runner import run
from milieusim.stats import mean_ci

ROOT_SEED = 20261127
# (summary key, what, target text, low, high, source); low/high bound the target band
TARGETS = [
    (
        "aggressive_per_100_obd",
        "aggressive incidents per 100 occupied bed-days",
        "about 1.8",
        1.4,
        2.2,
        "[@abderhalden2007]",
    ),
    (
        "physical_per_100_obd",
        "physical attacks per 100 occupied bed-days",
        "about 0.6",
        0.4,
        0.8,
        "[@abderhalden2007]",
    ),
    (
        "share_incidents_coerced",
        "seen incidents followed by coercion",
        "about half",
        0.4,
        0.6,
        "[@abderhalden2007]",
    ),
    (
        "share_patients_with_aggression",
        "patients with an aggressive incident during a stay",
        "13-18%",
        0.13,
        0.18,
        "[@abderhalden2007; @iozzino2015]",
    ),
    (
        "conflict_per_shift",
        "conflict events per shift (all kinds)",
        "about 4",
        3.0,
        5.0,
        "[@dickens2020]",
    ),
    (
        "containment_per_shift",
        "containment events per shift (all kinds)",
        "6-7",
        6.0,
        7.0,
        "[@dickens2020]",
    ),
    ("mean_length_of_stay_days", "length of stay, mean (days)", "32-39 (England)", 32, 39, "[@kingsfund]"),
    (
        "median_length_of_stay_days",
        "length of stay, median (days)",
        "about 23 (England)",
        19,
        27,
        "[@hscic2014]",
    ),
    (
        "staff_contact_share",
        "staff time in contact with patients (07-23h)",
        "about 40%",
        0.35,
        0.45,
        "[@whittington2000]",
    ),
    (
        "patient_engaged_share",
        "patient time socially engaged",
        "about 16% (84% disengaged)",
        0.11,
        0.21,
        "[@radcliffe2007]",
    ),
    (
        "patient_group_share",
        "patient time in organised groups",
        "about 4%",
        0.02,
        0.06,
        "[@radcliffe2007]",
    ),
    (
        "staff_walk_km_per_10h",
        "staff walking per 10-hour shift (km)",
        "3.9-5.5 (2.4-3.4 miles)",
        3.9,
        5.5,
        "[@pati]",
    ),
]


def one(seed_days):
    """Summary of one baseline run."""
    seed, days = seed_days
    return run(seed=seed, days=days).summary


def main():
    """Run the seeds and write docs/validation.md."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--days", type=int, default=120)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "validation.md"
    )
    args = ap.parse_args()
    seeds = spawn_seeds(ROOT_SEED, args.seeds)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        summaries = list(pool.map(one, [(s, args.days) for s in seeds]))
    wall = time.perf_counter() - t0
    rows = []
    for key, what, target, lo, hi, source in TARGETS:
        mean, low, high, _ = mean_ci([np.nan if s[key] is None else s[key] for s in summaries])
        verdict = "meets" if lo <= mean <= hi else ("below" if mean < lo else "above")
        rows.append(f"| {what} | {target} | {source} | {mean:.3g} | [{low:.3g}, {high:.3g}] | {verdict} |")
    met = sum(r.endswith("meets |") for r in rows)
    text = f"""# Validation: the baseline ward against published figures

The neutral baseline scenario (the defaults of `milieusim/params.py` on the built-in
`corridor` ward, 85% occupancy) run for {args.days} days with {args.seeds} seeds spawned from
root seed {ROOT_SEED}; means with 95% t-intervals over seeds. Sources are cited by key
(docs/references.bib; docs/evidence.md gives what each reports). Length of stay counts the stays
that began and ended within the run; the share of patients with an aggressive incident counts
every patient on the ward during the run, with the incidents that fell within it. Regenerate with

    .venv/bin/python scripts/validate.py --seeds {args.seeds} --days {args.days}

({wall:.0f} s on this machine with {args.workers} workers.)

| quantity | target | source | model mean | 95% CI | |
|---|---|---|---|---|---|
{chr(10).join(rows)}

{met} of {len(rows)} quantities fall within their target band.

Calibrated parameters (marked "calibrated" in docs/parameters.md): the conflict threshold
and hazard, the spread of proneness to aggression and the conflict-kind weights
(rules/conflict.py), the base recovery rate, the as-needed-medication threshold (rules/conflict.py).
The culture, layout and family mechanisms were not tuned to any comparison between
scenarios: such comparisons come out of the mechanisms.

## Where the model misses, and why

- Containment per shift: the model counts as-needed medication, special observation (once
  per shift while it lasts, as shift reports do), seclusion and restraint. Safewards' 6-7
  also counts time out, coerced intramuscular medication and other forms the model does
  not represent.
- Staff walking: the model moves people between activities at 5-minute steps, so the many
  short trips of a nurse's shift (fetching, answering calls) within a step are not walked.
  Walking distance is comparable between layouts, not in absolute terms.
"""
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
