"""Regenerate docs/validation.md: the baseline ward against its calibration targets (docs/evidence.md).

Runs the neutral baseline scenario (defaults of params.py, the corridor ward) for
`--days` with `--seeds` seeds spawned from one root seed, in a process pool, and
writes the table of target, band, source, model mean, 95% confidence interval and verdict.
The targets are the built-in targets file, milieusim/targets/baseline.toml.

    .venv/bin/python scripts/validate.py [--seeds 20] [--days 120] [--workers 2]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from milieusim.rng import spawn_seeds
from milieusim.runner import run
from milieusim.stats import mean_ci
from milieusim.targets import load_targets, verdict

ROOT_SEED = 20261127
#: The calibration targets of the baseline ward: one home, read by validation and calibration alike.
TARGETS = load_targets("baseline")


def one(seed_days):
    """Each target's quantity in one baseline run."""
    seed, days = seed_days
    res = run(seed=seed, days=days)
    return {t.name: t.measure(res) for t in TARGETS}


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
        measured = list(pool.map(one, [(s, args.days) for s in seeds]))
    wall = time.perf_counter() - t0
    rows = []
    for t in TARGETS:
        mean, low, high, _ = mean_ci([m[t.name] for m in measured])
        judged = verdict(low, high, t.low[0], t.high[0])
        fitted = "" if t.weight > 0 else " (not fitted)"
        band = f"[{t.low[0]:.3g}, {t.high[0]:.3g}]"
        rows.append(
            f"| {t.quantity} | {t.as_published} | {band} | {t.source} | {mean:.3g} | "
            f"[{low:.3g}, {high:.3g}] | {judged}{fitted} |"
        )
    met = sum(" meets" in r.rsplit("|", 2)[1] for r in rows)
    text = f"""# Validation: the baseline ward against published figures

The neutral baseline scenario (the defaults of `milieusim/params.py` on the built-in
`corridor` ward, 85% occupancy) run for {args.days} days with {args.seeds} seeds spawned from
root seed {ROOT_SEED}; means with 95% t-intervals over seeds. The targets, their bands and
sources are the built-in targets file `milieusim/targets/baseline.toml` (the one home of these
figures: `milieusim calibrate baseline` fits to the same file); sources are cited by key
(docs/references.bib; docs/evidence.md gives what each reports). Length of stay counts the stays
that began and ended within the run; the share of patients with an aggressive incident counts
every patient on the ward during the run, with the incidents that fell within it. Regenerate with

    .venv/bin/python scripts/validate.py --seeds {args.seeds} --days {args.days}

({wall:.0f} s on this machine with {args.workers} workers.)

| quantity | target | band | source | model mean | 95% CI | |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

A target is **met** when the whole 95% confidence interval of the model's mean lies within its
band; **below** or **above** when the whole interval lies outside it; **unclear** when the
interval crosses an edge of the band (more seeds would tell). The mean alone inside the band is
not enough. {met} of {len(rows)} quantities are met. Targets marked "not fitted" are those the
model does not represent (see below); calibration reports them but does not fit them.

Calibrated parameters (marked "calibrated" in docs/parameters.md): the conflict threshold
and hazard, the spread of proneness to aggression and the conflict-kind weights
(rules/conflict.py), the base recovery rate, the as-needed-medication threshold (rules/conflict.py).
[calibration.md](calibration.md) fits such parameters to these targets by ABC-SMC, with
their uncertainty (`milieusim calibrate baseline --params ...`).
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
