"""The model analysis of docs/TRACE.md: step length, seeds for a stable mean, knock-outs, sensitivity.

Every analysis runs the baseline ward (the defaults of `params.py` on the `corridor`
ward) on seeds spawned from `ROOT_SEED`, so that runs of different arms with the
same seed meet the same admitted patients (common random numbers) and each arm's
effect is a paired ratio (`targets.patterns.compare_pairs`: the mean over seeds of
log(changed / reference), with its 95% interval, shown as a ratio).

- **Step length** runs the first `step_seeds` seeds at each step length.
- **Seeds** takes the baseline runs on `n_seeds` seeds and gives the half-width of
  the 95% interval of the mean as seeds are added, and the seeds a half-width of
  10% and 5% of the mean would need.
- **Knock-outs** switch one mechanism off through its parameters (`KNOCKOUTS`) on
  the first `knockout_seeds` seeds; one minus the ratio is the share of conflict
  or containment the mechanism produces on this ward.
- **Sensitivity** tables the Morris screening of `experiments/sensitivity` from its
  results folder, if it has been run (`make study NAME=sensitivity`).

`write_trace` rewrites the blocks between ``<!-- trace: NAME -->`` and ``<!-- end -->``
of docs/TRACE.md and leaves the rest of the document alone (`scripts/trace.py`, `make trace`).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import stats

from milieusim import docblocks, outcomes
from milieusim.rng import spawn_seeds
from milieusim.runner import run
from milieusim.scenario import load_scenario
from milieusim.stats import mean_ci
from milieusim.sweep import load
from milieusim.sweep.analysis import morris_indices
from milieusim.sweep.store import provenance
from milieusim.targets.patterns import compare_pairs, pooled

ROOT_SEED = 20260516
#: The outcomes every analysis reports (keys of `metrics.summarise`).
MEASURES = (
    "conflict_per_100_obd",
    "aggressive_per_100_obd",
    "containment_per_100_obd",
    "share_incidents_unseen",
    "encounters_per_patient_day",
    "patient_engaged_share",
    "staff_contact_share",
    "staff_walk_km_per_10h",
    "mean_trust",
)
#: The outcomes a knock-out is judged on.
KNOCKOUT_MEASURES = ("conflict_per_100_obd", "aggressive_per_100_obd", "containment_per_100_obd")
SHORT_STEPS = (3,)


@dataclass(frozen=True)
class Knockout:
    """One mechanism switched off through its parameters."""

    name: str
    changes: tuple[str, ...]
    note: str = ""


#: Each mechanism that a parameter can switch off, with the `--set` changes that do it.
KNOCKOUTS = (
    Knockout("crowding", ("conflict.crowding_odds_max=1",)),
    Knockout("personal-space intrusion", ("conflict.intrusion=0",)),
    Knockout("acute symptoms (patient characteristics)", ("conflict.symptom_rate=0",)),
    Knockout("detention (regulatory framework)", ("conflict.detention_rate=0",)),
    Knockout("bad news (outside hospital)", ("conflict.outside_news_rate=0", "family.tension=0")),
    Knockout("medication disputes (staff team)", ("conflict.medication_dispute=0",)),
    Knockout("demands (staff team)", ("conflict.demand_share=0",)),
    Knockout("contagion (patient community)", ("conflict.contagion_chance=0",)),
    Knockout("containment feeds conflict", ("conflict.containment_risk_odds=1",)),
    Knockout("unseen conflict escalates", ("conflict.unseen_escalation=0",)),
    Knockout(
        "as-needed medication without an incident",
        ("conflict.prn_arousal=1",),
        "arousal never exceeds 1, so no nurse offers it",
    ),
    Knockout(
        "staff readiness to contain",
        ("conflict.containment_propensity=0",),
        "talk-down more often; containment after a failed talk-down remains",
    ),
    Knockout("observation on admission", ("conflict.admission_observation_days=0",)),
    Knockout("family", ("family.share_with_family=0",), "no patient has a relative"),
)
#: Mechanisms no parameter switches off (what TRACE.md says of them).
NO_SWITCH = (
    "limit setting (staff team): starts above `LIMIT_AGITATION` in `rules/interaction.py`, a constant; "
    "`safewards.clear_mutual_expectations` = 1 takes 30% off it",
    "refused requests (staff team): grants are `culture.autonomy_support x (0.6 + 0.1 x level)`, "
    "below 1 for every level below 4 even at support 1",
    "bullying (patient community): `culture.power_inequality` = 0 gives every patient the same power "
    "and so no bullying, but also equal voice at the meeting; `culture.respect` = 1 ends it but acts on "
    "much else",
    "containment as a whole: after a failed talk-down the kind of conflict sets the containment "
    "(`rules/containment.py: RESPONSES`); only seclusion has a switch (`conflict.seclusion_allowed`)",
    "staff sight and checks: `conflict.sight_range_m` (at least 1 m) and `conflict.check_minutes` "
    "change them, nothing turns them off",
)


def _one(job: tuple[tuple[str, ...], int, int]) -> dict[str, float]:
    """The measures of one baseline run with `changes`, `seed` and `days`."""
    changes, seed, days = job
    summary = run(load_scenario(changes=list(changes)), seed=seed, days=days).summary
    return {m: float(summary[m]) if summary[m] is not None else math.nan for m in MEASURES}


@dataclass
class Analysis:
    """The runs of every arm, by arm: a list of measure dicts in seed order."""

    seeds: list[int]
    days: int
    arms: dict[tuple[str, ...], list[dict[str, float]]]
    seconds: float
    workers: int
    made: dict  # `sweep.store.provenance()` when the runs were made: versions and commit

    def values(self, changes: tuple[str, ...], measure: str, n: int | None = None) -> list[float]:
        """One measure of one arm, the first `n` seeds."""
        return [r[measure] for r in self.arms[changes][:n]]

    def save(self, path: Path) -> None:
        """Write the runs to a JSON file, so the tables can be written again without running."""
        arms = [{"changes": list(k), "runs": v} for k, v in self.arms.items()]
        data = {"seeds": self.seeds, "days": self.days, "seconds": self.seconds, "workers": self.workers}
        data["made"] = self.made
        path.write_text(json.dumps({**data, "arms": arms}))

    @classmethod
    def load(cls, path: Path) -> Analysis:
        """The runs `save` wrote."""
        data = json.loads(path.read_text())
        arms = {tuple(a["changes"]): a["runs"] for a in data.pop("arms")}
        return cls(arms=arms, **data)


def run_analysis(
    n_seeds: int = 8,
    step_seeds: int = 6,
    knockout_seeds: int = 5,
    days: int = 21,
    workers: int = 2,
    short_steps: Sequence[int] = SHORT_STEPS,
) -> Analysis:
    """Run the baseline, the step-length arms and the knock-outs."""
    seeds = spawn_seeds(ROOT_SEED, n_seeds)
    plan = [((), n_seeds)]
    plan += [((f"time.step_minutes={s}",), min(step_seeds, n_seeds)) for s in short_steps]
    plan += [(k.changes, min(knockout_seeds, n_seeds)) for k in KNOCKOUTS]
    for changes, _ in plan:
        load_scenario(changes=list(changes))  # a renamed parameter fails here, before any run
    jobs = [(changes, seed, days) for changes, n in plan for seed in seeds[:n]]
    made = provenance()
    t0 = time.perf_counter()
    measured = iter(pooled(_one, jobs, workers))
    arms = {changes: [next(measured) for _ in range(n)] for changes, n in plan}
    return Analysis(seeds, days, arms, time.perf_counter() - t0, workers, made)


def _fmt(key: str, value: float) -> str:
    """A value in its outcome's display unit (shares in per cent)."""
    return "-" if math.isnan(value) else f"{value * outcomes.scale(key):.3g}"


def _interval(key: str, values: Sequence[float]) -> str:
    mean, low, high, _ = mean_ci(values, bounds=outcomes.bounds(key))
    return f"{_fmt(key, mean)} [{_fmt(key, low)}, {_fmt(key, high)}]"


def _ratio(reference: Sequence[float], changed: Sequence[float]) -> str:
    return _ratio_of(compare_pairs(reference, changed, difference=False))


def _ratio_of(paired: tuple) -> str:
    """A paired ratio and its interval as `compare_pairs` gives them (mean, low, high, n)."""
    mean, low, high, n = paired
    return "-" if n < 2 else f"{mean:.3g} [{low:.3g}, {high:.3g}]"


def step_table(a: Analysis) -> str:
    """Key outcomes at each step length, same seeds, with the paired ratio to 5 minutes."""
    steps = [k for k in a.arms if k and k[0].startswith("time.step_minutes=")]
    n = len(a.arms[steps[0]]) if steps else 0
    head = ["outcome", "5 min"] + [f"{c[0].split('=')[1]} min" for c in steps]
    head += [f"ratio {c[0].split('=')[1]} / 5 min" for c in steps]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in MEASURES:
        ref = a.values((), m, n)
        cells = [outcomes.describe(m), _interval(m, ref)]
        cells += [_interval(m, a.values(c, m)) for c in steps]
        cells += [_ratio(ref, a.values(c, m)) for c in steps]
        rows.append("| " + " | ".join(cells) + " |")
    rows += ["", f"Means over the same {n} seeds, {a.days} days each, 95% intervals (shares in per cent)."]
    return "\n".join(rows)


def seeds_needed(values: Sequence[float], relative: float, conf: float = 0.95) -> int:
    """The seeds whose 95% interval of the mean would be +-`relative` of the mean, at these values' spread."""
    x = np.asarray([v for v in values if not math.isnan(v)], float)
    mean, sd = float(x.mean()), float(x.std(ddof=1))
    if sd == 0:
        return 2
    n = 2
    while n < 100_000 and stats.t.ppf(0.5 + conf / 2, n - 1) * sd / math.sqrt(n) > relative * abs(mean):
        n += 1
    return n


def seeds_table(a: Analysis) -> str:
    """Half-width of the 95% interval of the mean, in per cent of the mean, as seeds are added."""
    total = len(a.arms[()])
    counts = sorted({n for n in (2, 4, 6, 8, 12, 16, 24, 32) if n < total} | {total})
    head = ["outcome", "mean", *[f"n = {n}" for n in counts], "seeds for +-10%", "seeds for +-5%"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in MEASURES:
        values = a.values((), m)
        cells = [outcomes.describe(m), _fmt(m, float(np.nanmean(values)))]
        for n in counts:
            mean, low, high, _ = mean_ci(a.values((), m, n))
            cells.append(f"{50 * (high - low) / abs(mean):.0f}%" if mean else "-")
        cells += [str(seeds_needed(values, 0.10)), str(seeds_needed(values, 0.05))]
        rows.append("| " + " | ".join(cells) + " |")
    rows += [
        "",
        f"The first n of {total} seeds, {a.days} days each: half-width of the Student-t 95% interval of the "
        "mean over seeds, in per cent of the mean. The last two columns solve for the seeds whose interval "
        f"would reach +-10% and +-5% of the mean at the spread of all {total} runs.",
    ]
    return "\n".join(rows)


def knockout_table(a: Analysis) -> str:
    """Each knock-out: its changes, the paired ratio to the baseline, and the share it produces."""
    head = ["mechanism off", "`--set`", "n"]
    for m in KNOCKOUT_MEASURES:
        short = outcomes.outcome(m).short
        head += [f"{short} ratio [95% CI]", f"share from it ({short})"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for k in KNOCKOUTS:
        n = len(a.arms[k.changes])
        name = k.name + (f" ({k.note})" if k.note else "")
        cells = [name, " ".join(f"`{c}`" for c in k.changes), str(n)]
        for m in KNOCKOUT_MEASURES:
            ref, new = a.values((), m, n), a.values(k.changes, m)
            paired = compare_pairs(ref, new, difference=False)
            mean, used = paired[0], paired[3]
            cells += [_ratio_of(paired), "-" if used < 2 else f"{100 * (1 - mean):.0f}%"]
        rows.append("| " + " | ".join(cells) + " |")
    n = len(a.arms[KNOCKOUTS[0].changes])
    ref = ", ".join(
        f"{outcomes.outcome(m).short} {_interval(m, a.values((), m, n))}" for m in KNOCKOUT_MEASURES
    )
    rows += [
        "",
        f"Baseline on the same {n} seeds, {a.days} days each ({outcomes.OBD}): {ref}. The ratio is the "
        "mean over seeds of knocked-out over baseline, averaged on the log scale; the share is one minus "
        "it (negative: the mechanism prevents some). No parameter switches these off:",
        "",
        *[f"- {line}." for line in NO_SWITCH],
    ]
    return "\n".join(rows)


def sensitivity_table(results: Path, top: int = 6) -> str:
    """The Morris screening of `results`: mu* and sigma of each factor for the key outcomes, ranked."""
    if not (results / "manifest.json").is_file():
        return f"Not run: `{results}` holds no results. Run `make study NAME=sensitivity`."
    sweep = load(results)
    keys = [m for m in MEASURES if m in sweep.outcomes()]
    table = morris_indices(sweep, keys)
    table["scaled"] = table["mu_star"] / table.groupby("outcome")["mu_star"].transform("max")
    ranking = table.groupby("factor")["scaled"].mean().sort_values(ascending=False)
    shown = keys[:top]
    head = ["factor", "mean scaled mu*", *[f"{outcomes.outcome(m).short} mu* (sigma)" for m in shown]]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for factor in ranking.index:
        cells = [f"`{factor}`", f"{ranking[factor]:.2f}"]
        for m in shown:
            r = table[(table.outcome == m) & (table.factor == factor)].iloc[0]
            s = outcomes.scale(m)
            cells.append(f"{r.mu_star * s:.3g} ({r.sigma * s:.3g})")
        rows.append("| " + " | ".join(cells) + " |")
    e = sweep.spec["experiment"]
    rows += [
        "",
        f"Morris screening over 0..1 of each factor: {e['samples']} trajectories, {e['levels']} levels, "
        f"{len(sweep.ok)} runs of {e['days']} days, seed {e['seed']} (`experiments/sensitivity/spec.toml`). "
        "mu* is the mean absolute elementary effect: the change in the outcome per unit of the factor "
        "(its whole range 0..1), in the outcome's unit (shares in percentage points); sigma, the spread of "
        "the effects, shows interaction or non-linearity. Factors are ranked by mu* scaled by each "
        f"outcome's largest and averaged over {len(keys)} outcomes.",
    ]
    return "\n".join(rows)


#: A block's start marker in TRACE.md (its end is `docblocks.END`).
TRACE_START = re.compile(r"^<!-- trace: ([\w-]+) -->$")


def write_trace(path: Path, a: Analysis, sensitivity: Path) -> Path:
    """Rewrite the analysis blocks of TRACE.md at `path` from `a` and the sensitivity results.

    The document is checked (every block present, none left open) before any table is made.
    """
    text = path.read_text()
    made = a.made
    versions = ", ".join(f"{k} {made[k]}" for k in ("milieusim", "python", "mesa", "numpy"))
    makers = {  # every block TRACE.md must hold
        "made": lambda: (
            f"Made with {versions}, commit {made['git_commit'] or 'unknown'}; {len(a.seeds)} "
            f"seeds spawned from root seed {ROOT_SEED}; {a.seconds:.0f} s with {a.workers} worker processes."
        ),
        "sensitivity": lambda: sensitivity_table(sensitivity),
        "step-length": lambda: step_table(a),
        "seeds": lambda: seeds_table(a),
        "knockouts": lambda: knockout_table(a),
    }
    try:
        missing = set(makers) - {name for name, _, _ in docblocks.blocks(text, makers, TRACE_START)}
        if missing:
            raise docblocks.DocBlockError(f"no block {', '.join(sorted(missing))}")
        path.write_text(docblocks.render(text, makers, TRACE_START))
    except docblocks.DocBlockError as e:
        raise ValueError(f"{path}: {e}") from None
    return path
