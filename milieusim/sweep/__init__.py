"""Sweeps: declared experiments, designs, executors and a resumable Parquet store (docs/experiments.md).

Components:
- `spec`, `factor`: experiment files and the factors they vary, validated before anything runs.
- `design`: the design points (full factorial, Latin hypercube, Sobol, Morris) and each run's seed.
- `execute`: one executor interface (this process, a process pool, a Dask cluster) and a run's job.
- `store`: the results folder: tidy Parquet tables, manifest, safe to kill at any moment.
- `sweep`: `run_sweep` runs a spec into a results folder (resumable), reporting through a callback.
- `errors`: what can stop a sweep (`SweepInterrupted`, `WorkerLost`, `RunsFailed`, `FolderInUse`,
  `FolderLocked`, `NotAScheduler`).
- `analysis`: `load` reads a results folder back; tables with confidence intervals, paired
  contrasts, Sobol or Morris indices (`milieusim.viz.sweep` draws them).
"""

from milieusim.lazy import lazy_exports

_ERRORS = ("FolderInUse", "FolderLocked", "NotAScheduler", "RunsFailed", "SweepError", "SweepInterrupted")
__getattr__ = lazy_exports(
    __name__,
    {
        "Sweep": "milieusim.sweep.analysis",
        "load": "milieusim.sweep.analysis",
        **dict.fromkeys((*_ERRORS, "WorkerLost"), "milieusim.sweep.errors"),
        "Spec": "milieusim.sweep.spec",
        "load_spec": "milieusim.sweep.spec",
        "spec_from_dict": "milieusim.sweep.spec",
        "SweepOutcome": "milieusim.sweep.sweep",
        "SweepProgress": "milieusim.sweep.sweep",
        "run_sweep": "milieusim.sweep.sweep",
    },
)

__all__ = [
    "FolderInUse",
    "FolderLocked",
    "NotAScheduler",
    "RunsFailed",
    "Spec",
    "Sweep",
    "SweepError",
    "SweepInterrupted",
    "SweepOutcome",
    "SweepProgress",
    "WorkerLost",
    "load",
    "load_spec",
    "run_sweep",
    "spec_from_dict",
]
