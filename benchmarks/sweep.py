"""Benchmarks of the sweep runner (issue 4), each against a baseline measured in the same run.

- throughput: runs per minute with 1 and with 2 worker processes on the same sweep
  (target: 2 workers >= 1.8 x 1 worker), after a first sweep has started the forkserver
  (`milieusim/sweep/warm.py`; its start-up, once per process, is printed);
- overhead per run: a serial sweep's time per run against the same runs called directly
  with `milieusim.run` in this process (target: under 5% of a default run);
- parent memory: peak memory traced in the parent during a 100-run and a 1,000-run
  sweep of one-day runs (flat means the two are about the same);
- a Sobol study of 6 factors at N = 256 (3,584 runs of 28 days): the hours it would take here,
  on an 8-core laptop and on a 16-core Dask cluster, from the throughput measured above.

    python benchmarks/sweep.py            # about 6 min on 2 cores
    python benchmarks/sweep.py --quick    # smoke check
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from milieusim import run
from milieusim.sweep import run_sweep, spec_from_dict
from milieusim.sweep.design import design_table, tasks


def spec(n_points: int, days: int, layout: str = "corridor", reps: int = 1, outputs=("daily",)):
    data = {
        "experiment": {
            "name": "bench",
            "design": "latin_hypercube",
            "samples": n_points,
            "replications": reps,
            "days": days,
            "seed": 1,
            "outputs": list(outputs),
        },
        "base": {"layout": layout},
        "factors": {
            "culture.respect": {"min": 0.2, "max": 0.9},
            "culture.power_balance": {"min": 0.1, "max": 0.9},
        },
    }
    return spec_from_dict(data)


def timed_sweep(tmp: Path, name: str, s, base, workers: int) -> float:
    start = time.perf_counter()
    res = run_sweep(s, tmp / name, workers=workers, base=base, progress=None)
    assert res.complete and res.failed == 0
    return time.perf_counter() - start


def throughput(tmp: Path, runs: int, days: int) -> float:
    first, base = spec(2, 1)
    start = timed_sweep(tmp, "first", first, base, 2)
    print(
        f"first sweep of this process, 2 one-day runs: {start:.1f} s (starts the forkserver, which imports "
        "the model, loads the kernels and runs a day, once; its workers start warm)"
    )
    s, base = spec(runs, days)
    t1 = timed_sweep(tmp, "w1", s, base, 1)
    t2 = timed_sweep(tmp, "w2", s, base, 2)
    print(f"throughput ({runs} runs x {days} days, corridor ward):")
    print(f"  1 worker : {runs / t1 * 60:7.1f} runs/min ({t1:.1f} s)")
    print(f"  2 workers: {runs / t2 * 60:7.1f} runs/min ({t2:.1f} s)")
    print(f"  speed-up 2 vs 1 workers: {t1 / t2:.2f} (target >= 1.8)")
    return t1 / t2


def overhead(tmp: Path, runs: int, days: int) -> float:
    s, base = spec(runs, days)
    plan = list(tasks(s, design_table(s)))
    run(base.with_changes(plan[0].changes), seed=plan[0].seed, days=1)  # warm the geometry cache
    start = time.perf_counter()
    for t in plan:
        run(base.with_changes(t.changes), seed=t.seed, days=days)
    direct = (time.perf_counter() - start) / runs
    swept = timed_sweep(tmp, "serial", s, base, 0) / runs
    print(f"overhead per run ({runs} runs x {days} days, serial sweep vs direct calls, daily table kept):")
    print(
        f"  direct {direct:.3f} s/run, sweep {swept:.3f} s/run: overhead {swept - direct:+.3f} s "
        f"= {(swept - direct) / direct:+.1%} of a run (target < 5%)"
    )
    return swept * 28 / days  # seconds a 28-day run takes in a sweep


#: A Sobol study as researchers run it: 6 factors, N = 256 base samples, N (2k + 2) runs (Saltelli).
SOBOL_FACTORS, SOBOL_N = 6, 256


def sobol_estimate(run_28d: float, speedup_2: float) -> None:
    """What a Sobol study of 28-day runs would take, from this machine's measured throughput.

    Workers are assumed to keep the efficiency measured here with two (speed-up / 2); a laptop
    has 8 cores, the cluster 16 (Dask, one worker per core).
    """
    runs = SOBOL_N * (2 * SOBOL_FACTORS + 2)
    efficiency = min(1.0, speedup_2 / 2)
    print(
        f"a Sobol study: {SOBOL_FACTORS} factors, N = {SOBOL_N}: {runs:,} runs of 28 days, "
        f"{run_28d:.2f} s a run here, {efficiency:.0%} efficiency per added worker (measured with 2)"
    )
    for label, cores in (("this machine", 2), ("a laptop", 8), ("a Dask cluster", 16)):
        hours = runs * run_28d / (1 + (cores - 1) * efficiency) / 3600
        print(f"  {label:15s} {cores:3d} cores: {hours:6.2f} h")


def parent_memory(tmp: Path, sizes: tuple[int, ...]) -> None:
    print("parent memory (one-day runs on the home layout, 2 workers, daily table kept):")
    for n in sizes:
        s, base = spec(n, 1, layout="home")
        tracemalloc.start()
        t = timed_sweep(tmp, f"mem{n}", s, base, 2)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {n:5d} runs: peak traced {peak / 2**20:6.2f} MiB, max RSS so far {rss:6.1f} MiB, {t:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="milieusim-sweep-bench-") as tmp:
        tmp = Path(tmp)
        if args.quick:
            speedup = throughput(tmp, 4, 2)
            per_run = overhead(tmp, 3, 2)
            parent_memory(tmp, (20, 100))
        else:
            speedup = throughput(tmp, 24, 14)
            per_run = overhead(tmp, 8, 28)
            parent_memory(tmp, (100, 1000))
        sobol_estimate(per_run, speedup)


if __name__ == "__main__":
    main()
