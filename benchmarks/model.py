"""Model benchmark: milieusim against a floor model, timed side by side in the same run.

The floor model is the cheapest Mesa model on the same ward: bare `CellAgent`s
that each step move to a random Moore neighbour when it is floor, stepped by
``agents.shuffle_do("step")`` on an ``OrthogonalMooreGrid`` of the same layout whose
property layer ``floor`` holds the plan's walkable cells.
Speed is only ever a ratio against it, measured in the same process, because
the machine is shared and noisy: never an absolute timing, never asserted.

How each scenario is measured:

1. Memory, untimed, in a fresh child process (so caches are cold, as in a
   real first run, and tracing does not touch the timings): ``tracemalloc``
   peak of the allocations made by model construction plus the run (Python
   objects and numpy arrays; imports excluded), and the child's ``ru_maxrss``
   (whole process: interpreter, libraries and tracemalloc's own bookkeeping).
2. Agent count, untimed, in this process: one full run of the same scenario
   and seed that counts the people present after every step
   (``roster.present.sum()``: patients, staff on shift, visiting relatives).
   It also warms the per-layout geometry cache, as in a sweep where runs
   share it. The same seed gives the same run, so this is the timed runs'
   count (checked: the agents at the end must match).
3. The floor model gets that mean number of agents present per step, rounded,
   and the same number of steps (days x steps_per_day).
4. milieusim and the floor alternate (ABBA order); each keeps its best init
   time (construction) and best run time over the repeats. Both are CPU time
   of this process (`time.process_time`), so the machine's other processes do
   not count; contention for caches and a virtual machine's host still do, which
   is why each side keeps its best and the ratio is also given median to median.
   End to end (`milieusim run` in a fresh process) is wall time: what a user waits.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from mesa import Model
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid

from milieusim.model import MilieuModel
from milieusim.params import Scenario
from milieusim.space.layout_file import cached_layout

SEED = 1
MIB = 2**20


# ---------------------------------------------------------------- the floor model


class Walker(CellAgent):
    """A bare agent: one random step to a neighbouring floor cell."""

    def step(self):
        cell = self.cell.neighborhood.select_random_cell()
        if cell.floor:
            self.cell = cell


class FloorModel(Model):
    """`n` walkers on the grid of `layout`, placed on random floor cells."""

    def __init__(self, layout, n: int, *, rng: int):
        super().__init__(rng=rng)
        self.grid = OrthogonalMooreGrid(layout.shape, torus=False, capacity=None, random=self.random)
        self.grid.create_property_layer("floor", default_value=False, dtype=bool)
        self.grid.floor.data[...] = layout.floor
        floor = [cell for cell in self.grid.all_cells if cell.floor]
        for _ in range(n):
            Walker(self).cell = self.random.choice(floor)

    def step(self):
        self.agents.shuffle_do("step")

    def run(self, steps: int):
        for _ in range(steps):
            self.step()
        return self


class CountingModel(MilieuModel):
    """MilieuModel that also sums the people present after every step (untimed passes only)."""

    present_sum = 0
    present_max = 0

    def step(self):
        super().step()
        n = int(self.roster.present.sum())
        self.present_sum += n
        self.present_max = max(self.present_max, n)


# ---------------------------------------------------------------- one scenario


@dataclass
class Case:
    """A scenario to time: ward changes, days, and a label."""

    label: str
    changes: dict
    days: int

    def scenario(self) -> Scenario:
        return Scenario().with_changes(self.changes) if self.changes else Scenario()


@dataclass
class Result:
    """Best-of-N timings and the untimed pass's memory and counts."""

    case: Case
    steps: int
    mean_present: float
    max_present: int
    agents_total: int
    floor_agents: int
    mil_init: float
    mil_run: float
    floor_init: float
    floor_run: float
    mil_peak: float  # MiB, tracemalloc, init + run
    mil_rss: float  # MiB, child's ru_maxrss
    floor_peak: float
    floor_rss: float
    mil_runs: list[float]  # every repeat's run time, in order
    floor_runs: list[float]

    @property
    def ratio(self) -> float:
        return self.mil_run / self.floor_run

    @property
    def us_per_agent_step(self) -> float:
        return self.mil_run / (self.mean_present * self.steps) * 1e6

    @property
    def floor_us_per_agent_step(self) -> float:
        return self.floor_run / (self.floor_agents * self.steps) * 1e6


def memory_child(spec: dict) -> dict:
    """Run one model in a fresh process under tracemalloc; return its peak memory and counts."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"memory pass failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _child(spec: dict) -> None:
    import resource
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    if spec["kind"] == "milieusim":
        scenario = Scenario().with_changes(spec["changes"]) if spec["changes"] else Scenario()
        model = CountingModel(scenario, rng=spec["seed"])
        model.run(spec["days"])
        steps = spec["days"] * model.clock.steps_per_day
        extra = {
            "steps": steps,
            "mean_present": model.present_sum / steps,
            "max_present": model.present_max,
            "agents_total": len(model.agents),
        }
    else:
        layout = cached_layout(spec["layout"])
        FloorModel(layout, spec["n"], rng=spec["seed"]).run(spec["steps"])
        extra = {}
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    print(json.dumps({"peak": peak / MIB, "rss": rss / MIB, **extra}))


def _timed(make, run):
    gc.collect()
    t0 = time.process_time()
    model = make()
    t1 = time.process_time()
    run(model)
    t2 = time.process_time()
    return t1 - t0, t2 - t1, model


def measure(case: Case, repeats: int) -> Result:
    """Memory pass in a child, a counted warm-up run, then milieusim and floor alternating, best of N."""
    scenario = case.scenario()
    mem = memory_child({"kind": "milieusim", "changes": case.changes, "days": case.days, "seed": SEED})
    # warm-up (geometry fields of this layout) that also counts the people present at every step
    counted = CountingModel(scenario, rng=SEED).run(case.days)
    steps = case.days * counted.clock.steps_per_day
    count = {
        "mean_present": counted.present_sum / steps,
        "max_present": counted.present_max,
        "agents_total": len(counted.agents),
    }
    if any(mem[k] != v for k, v in count.items()):  # e.g. milieusim/ edited while this runs
        other = {k: mem[k] for k in count}
        print(f"note: {case.label}: the memory pass (a fresh process) ran differently: {other} vs {count}")
    n_floor = max(1, round(count["mean_present"]))
    fmem = memory_child(
        {"kind": "floor", "layout": scenario.ward.layout, "n": n_floor, "steps": steps, "seed": SEED}
    )
    layout = cached_layout(scenario.ward.layout)

    def mil():
        return _timed(lambda: MilieuModel(scenario, rng=SEED), lambda m: m.run(case.days))

    def flo():
        return _timed(lambda: FloorModel(layout, n_floor, rng=SEED), lambda m: m.run(steps))

    best = {"mil": [float("inf")] * 2, "floor": [float("inf")] * 2}
    runs: dict[str, list[float]] = {"mil": [], "floor": []}
    for k in range(repeats):
        order = (("mil", mil), ("floor", flo)) if k % 2 == 0 else (("floor", flo), ("mil", mil))
        for name, fn in order:
            init, run, model = fn()
            best[name] = [min(best[name][0], init), min(best[name][1], run)]
            runs[name].append(run)
            if name == "mil" and len(model.agents) != count["agents_total"]:  # same seed, same run?
                print(
                    f"warning: {case.label}: {len(model.agents)} agents at the end of a timed run, "
                    f"{count['agents_total']} in the counted run; the floor's agent count may be off"
                )
    return Result(
        case,
        steps,
        count["mean_present"],
        count["max_present"],
        count["agents_total"],
        n_floor,
        *best["mil"],
        *best["floor"],
        mem["peak"],
        mem["rss"],
        fmem["peak"],
        fmem["rss"],
        runs["mil"],
        runs["floor"],
    )


# ---------------------------------------------------------------- the sections


def bench_default(repeats: int, days: int = 28) -> Result:
    """The default scenario (default ward, `days`, default step) against its floor."""
    r = measure(Case("default", {}, days), repeats)
    sc = r.case.scenario()
    print(
        f"\ndefault scenario: {sc.ward.layout} ward, {r.case.days} days of {sc.time.step_minutes}-min steps "
        f"= {r.steps} steps, seed {SEED}, best of {repeats}; CPU seconds"
    )
    print(
        f"{'model':10s} {'agents':>7s} {'init s':>8s} {'run s':>8s} {'us/agent-step':>14s} "
        f"{'peak MiB':>9s} {'maxrss MiB':>11s}"
    )
    print(
        f"{'milieusim':10s} {r.mean_present:7.1f} {r.mil_init:8.3f} {r.mil_run:8.3f} "
        f"{r.us_per_agent_step:14.1f} {r.mil_peak:9.1f} {r.mil_rss:11.0f}"
    )
    print(
        f"{'floor':10s} {r.floor_agents:7d} {r.floor_init:8.3f} {r.floor_run:8.3f} "
        f"{r.floor_us_per_agent_step:14.1f} {r.floor_peak:9.1f} {r.floor_rss:11.0f}"
    )
    print(
        f"milieusim agents: {r.mean_present:.1f} present per step on average (max {r.max_present}), "
        f"{r.agents_total} agents at the end incl. staff off shift; floor: that mean, rounded"
    )
    print(
        "run s of each repeat (milieusim / floor, adjacent): "
        + ", ".join(f"{m:.3f}/{f:.3f}" for m, f in zip(r.mil_runs, r.floor_runs, strict=True))
    )
    print(
        f"run ratio (best/best) {r.ratio:.2f}, median/median "
        f"{statistics.median(r.mil_runs) / statistics.median(r.floor_runs):.2f}, "
        f"init ratio {r.mil_init / r.floor_init:.1f}, "
        f"(init+run) ratio {(r.mil_init + r.mil_run) / (r.floor_init + r.floor_run):.2f}"
    )
    return r


def bench_end_to_end(days: int, model_run: float) -> None:
    """`milieusim run --days D` as a user runs it (a fresh process), with and without figures.

    Set beside `model_run`, the model's best run time in this process (warm geometry).
    """
    exe = Path(sys.executable).with_name("milieusim")
    times = {}
    with tempfile.TemporaryDirectory(prefix="milieusim-bench-run-") as tmp:
        for label, extra in (("with figures", []), ("--no-figures", ["--no-figures"])):
            cmd = [str(exe), "run", "--days", str(days), "--seed", str(SEED), "--out", tmp, *extra]
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times[label] = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run([str(exe), "--help"], check=True, capture_output=True)
        times["--help"] = time.perf_counter() - t0
    print(f"\nend to end: `milieusim run --days {days}` in a fresh process, wall seconds")
    for label, sec in times.items():
        print(f"  {label:14s} {sec:7.2f}")
    print(f"  {'model alone':14s} {model_run:7.2f}   (run only, CPU, best of the default's repeats)")


def _scaling_header(first: str) -> None:
    print(
        f"{first:>5s} {'steps':>6s} {'agents':>7s} {'init s':>7s} {'run s':>8s} {'floor s':>8s} "
        f"{'ratio':>6s} {'run x':>6s} {'us/ag-step':>10s} {'peak MiB':>9s}"
    )


def _scaling_row(first, r: Result, base: Result) -> None:
    print(
        f"{first:>5} {r.steps:6d} {r.mean_present:7.1f} {r.mil_init:7.3f} {r.mil_run:8.3f} "
        f"{r.floor_run:8.3f} {r.ratio:6.2f} {r.mil_run / base.mil_run:6.2f} "
        f"{r.us_per_agent_step:10.1f} {r.mil_peak:9.1f}"
    )


def bench_beds(repeats: int, days: int, layouts: dict[int, str], done: dict) -> list[Result]:
    """Run time against beds, each against its own floor with the same agent count."""
    print(
        f"\nscaling with beds: {days} days, best of {repeats}; 10 and 20 beds on the built-in "
        "corridor ward, 40 and 80 on a synthetic corridor ward (benchmarks/synthetic.py); "
        "'run x': run time / run time at 20 beds"
    )
    results = []
    for beds, layout in layouts.items():
        changes = {} if (beds == 20 and layout == "corridor") else {"ward.layout": layout, "ward.beds": beds}
        key = (json.dumps(changes, sort_keys=True), days)
        r = done.get(key) or measure(Case(f"{beds} beds", changes, days), repeats)
        done[key] = r
        results.append(r)
    base = next(r for r, beds in zip(results, layouts, strict=True) if beds == 20)
    _scaling_header("beds")
    for beds, r in zip(layouts, results, strict=True):
        _scaling_row(beds, r, base)
    return results


def bench_days(repeats: int, days_list: list[int], done: dict) -> list[Result]:
    """Run time against days on the default ward."""
    print(
        f"\nscaling with days: default ward, best of {repeats}; "
        f"'run x': run time / run time at {days_list[0]} days"
    )
    results = []
    for days in days_list:
        key = (json.dumps({}), days)
        r = done.get(key) or measure(Case(f"{days} days", {}, days), repeats)
        done[key] = r
        results.append(r)
    _scaling_header("days")
    for days, r in zip(days_list, results, strict=True):
        _scaling_row(days, r, results[0])
    return results


#: The step's phases as (owner attribute or "" for the model itself, method), in step order.
PHASES = (
    ("", "_clock"),
    ("", "_decide"),
    ("places", "move"),
    ("encounters", "step"),
    ("observation", "step"),
    ("conflict", "step"),
    ("recorder", "per_step"),
)


def phase_times(days: int) -> tuple[dict[str, float], float, int, float]:
    """Seconds in each phase of a warm default run of `days` (perf_counter round each, no profiler).

    Returns the phase times, the whole run's time, the steps and the mean people present.
    """
    model = MilieuModel(Scenario(), rng=SEED)
    names = [f"{owner}.{method}" if owner else method for owner, method in PHASES]
    spent = dict.fromkeys(names, 0.0)
    present = [0]

    def wrap(name, fn):
        def timed_phase():
            t0 = time.perf_counter()
            fn()
            spent[name] += time.perf_counter() - t0
            if name == names[-1]:  # the last phase: count the people present, outside the timing
                present[0] += int(model.roster.present.sum())

        return timed_phase

    for name, (owner, method) in zip(names, PHASES, strict=True):
        target = getattr(model, owner) if owner else model
        setattr(target, method, wrap(name, getattr(target, method)))
    t0 = time.perf_counter()
    model.run(days)
    total = time.perf_counter() - t0
    steps = days * model.clock.steps_per_day
    return spent, total, steps, present[0] / steps


def profile(days: int = 7, top: int = 10) -> None:
    """Where a default run's time goes: phases against the floor's step, then cProfile's top functions."""
    import cProfile
    import pstats

    MilieuModel(Scenario(), rng=SEED).run(1)  # warm-up: geometry fields
    spent, total, steps, present = phase_times(days)
    n = max(1, round(present))
    floor_step = float("inf")
    for _ in range(3):  # best of 3, each on a fresh grid as in the benchmark
        floor = FloorModel(cached_layout(Scenario().ward.layout), n, rng=SEED)
        t0 = time.perf_counter()
        floor.run(steps)
        floor_step = min(floor_step, (time.perf_counter() - t0) / steps)
    print(f"\nphases of a default run: {days} days = {steps} steps, {present:.1f} people present on average")
    print(f"{'phase':24s} {'us/step':>8s} {'share':>6s} {'x floor step':>13s}")
    rows = [*spent.items(), ("Mesa step + loop", total - sum(spent.values()))]
    for name, sec in rows:
        print(f"{name:24s} {sec / steps * 1e6:8.1f} {sec / total:6.1%} {sec / steps / floor_step:13.2f}")
    print(f"{'milieusim step':24s} {total / steps * 1e6:8.1f} {1:6.0%} {total / steps / floor_step:13.2f}")
    print(f"{f'floor step ({n} agents)':24s} {floor_step * 1e6:8.1f}   (best of 3)")

    model = MilieuModel(Scenario(), rng=SEED)
    prof = cProfile.Profile()
    prof.enable()
    model.run(days)
    prof.disable()
    print(f"\ncProfile of model.run({days}) (construction excluded, warm geometry), top {top} by tottime")
    pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(top)


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--child":
    _child(json.loads(sys.argv[2]))
