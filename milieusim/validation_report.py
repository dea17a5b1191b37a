"""docs/validation.md: the baseline ward against its targets, then published effects it was not fitted to.

Part 1 runs the neutral baseline scenario (defaults of params.py, the corridor ward)
with `n_seeds` seeds spawned from one root seed, in a process pool, and tables each
target's band, source, model mean, 95% confidence interval and verdict (targets:
`milieusim/targets/baseline.toml`). Part 2 runs the paired experiments of
`milieusim/targets/patterns.py` on the first `pattern_seeds` of the same seeds and
judges each published effect. `milieusim validate` and `make validate` write it.
"""

from __future__ import annotations

import time
from pathlib import Path

from milieusim.paramdoc import calibrated_parameters
from milieusim.rng import spawn_seeds
from milieusim.runner import run
from milieusim.stats import mean_ci
from milieusim.sweep.store import provenance, write_atomic
from milieusim.targets import load_targets, verdict
from milieusim.targets.patterns import MEASURES, pooled, run_experiments

ROOT_SEED = 20261127
#: The calibration targets of the baseline ward: one home, read by validation and calibration alike.
TARGETS = load_targets("baseline")


def _one(seed_days: tuple[int, int]) -> dict[str, float]:
    """Each target's quantity in one baseline run."""
    seed, days = seed_days
    res = run(seed=seed, days=days)
    return {t.name: t.measure(res) for t in TARGETS}


def validation_report(n_seeds: int = 20, days: int = 120, pattern_seeds: int = 10, workers: int = 2) -> str:
    """Run both parts and return the text of docs/validation.md (Markdown)."""
    made = provenance()
    versions = ", ".join(f"{k} {made[k]}" for k in ("milieusim", "python", "mesa", "numpy", "pandas"))
    seeds = spawn_seeds(ROOT_SEED, n_seeds)
    pattern_seeds = min(pattern_seeds, n_seeds)
    t0 = time.perf_counter()
    measured = pooled(_one, [(s, days) for s in seeds], workers)
    wall = time.perf_counter() - t0
    t1 = time.perf_counter()
    patterns = run_experiments(seeds[:pattern_seeds], days, workers)
    wall_patterns = time.perf_counter() - t1
    pattern_rows = []
    for r in patterns:
        label = MEASURES[r.check.measure][0]
        unit = "difference" if r.check.difference else "ratio"
        pattern_rows.append(
            f"| {r.experiment.name} | {label} | {r.check.published} | {r.reference:.3g} | {r.changed:.3g} | "
            f"{unit} {r.mean:.3g} [{r.low:.3g}, {r.high:.3g}] | {r.verdict} |"
        )
    passed = sum(r.verdict == "passed" for r in patterns)
    misses = [
        f"- {r.experiment.name}, {MEASURES[r.check.measure][0]}: {r.check.if_missed}."
        for r in patterns
        if r.verdict != "passed" and r.check.if_missed
    ]
    experiments = "\n".join(
        f"- **{e.name}** ({e.source}): {e.change}" + (f"; {e.note}." if e.note else ".")
        for e in dict.fromkeys(r.experiment for r in patterns)
    )
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
    calibrated = ", ".join(f"`{k}`" for k in calibrated_parameters())
    text = f"""# Validation: the baseline ward against published figures

The neutral baseline scenario (the defaults of `milieusim/params.py` on the built-in
`corridor` ward, 85% occupancy) run for {days} days with {n_seeds} seeds spawned from
root seed {ROOT_SEED}; means with 95% t-intervals over seeds. The targets, their bands and
sources are the built-in targets file `milieusim/targets/baseline.toml` (the one home of these
figures: `milieusim calibrate baseline` fits to the same file); sources are cited by key
(docs/references.bib; docs/evidence.md gives what each reports). Length of stay counts the stays
that began and ended within the run; the share of patients with an aggressive incident counts
every patient on the ward during the run, with the incidents that fell within it. Regenerate with

    milieusim validate --out docs --seeds {n_seeds} --days {days} --pattern-seeds {pattern_seeds}

or `make validate`. Made with {versions}, commit {made["git_commit"] or "unknown"}.
({wall:.0f} s for part 1 and {wall_patterns:.0f} s for part 2 on this machine with
{workers} worker processes.)

## Part 1: the baseline ward against its calibration targets

| quantity | target | band | source | model mean | 95% CI | |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

A target is **met** when the whole 95% confidence interval of the model's mean lies within its
band; **below** or **above** when the whole interval lies outside it; **unclear** when the
interval crosses an edge of the band (more seeds would tell). The mean alone inside the band is
not enough. {met} of {len(rows)} quantities are met. Targets marked "not fitted" are those the
model does not represent (see below); calibration reports them but does not fit them.

Calibrated parameters (marked "calibrated" in docs/parameters.md): {calibrated}, and the
conflict-kind weights (rules/conflict.py).
[calibration.md](calibration.md) fits such parameters to these targets by ABC-SMC, with
their uncertainty (`milieusim calibrate baseline --params ...`).
The culture, layout and family mechanisms were not tuned to any comparison between
scenarios: such comparisons come out of the mechanisms.

## Part 2: patterns the model was not calibrated to

Each experiment runs a reference and a changed ward on the first {pattern_seeds} of the seeds
above, {days} days each, pair by pair (common random numbers: the same admissions, visits
and chances). The model's effect is the mean over seeds of each pair's ratio (changed over
reference, averaged on the log scale) or difference, with its 95% interval. Nothing in the model
was tuned to these effects. A check **passes** when the published interval holds the model's
mean ratio ("within"), when the model's whole interval lies on the published side of no change
("less", "faster"), or, for a published "unchanged" or "small", when the model's interval holds
no change and its mean lies within 10% of it. {passed} of {len(patterns)} checks pass.

{experiments}

| experiment | measure | published | reference | changed | model effect [95% CI] | |
|---|---|---|---|---|---|---|
{chr(10).join(pattern_rows)}

## Where the model misses, and why

- Staff walking: the model moves people between activities at 5-minute steps, so the many
  short trips of a nurse's shift (fetching, answering calls) within a step are not walked.
  Walking distance is comparable between layouts, not in absolute terms.
- Length of stay: only stays that begin and end within the run count, so runs shorter than
  about four months cut off the long stays and the mean falls below its band (a censoring of
  the measure, not of the model's stays).
- Patient time socially engaged: patients talk in encounters (a few minutes each) and in
  groups; the model has no casual conversation during meals, television or smoking breaks,
  where much of a ward's engagement is observed.
{chr(10).join(misses)}
"""
    return text


def write_validation(out: str | Path, **sizes) -> Path:
    """Write `validation.md` into folder `out` (created if new); `sizes` as `validation_report`'s."""
    path = Path(out) / "validation.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = validation_report(**sizes)
    write_atomic(path, lambda tmp: tmp.write_text(text))
    return path
