"""Sweeps: declared experiments, designs, executors and a resumable Parquet store (docs/experiments.md).

`load_spec` reads an experiment file, `run_sweep` runs it into a results
folder (resumable), `load` reads that folder back, and `analysis` turns it
into tables with confidence intervals, Sobol or Morris indices, and figures.
"""

from milieusim.sweep.analysis import Sweep, load
from milieusim.sweep.spec import Spec, load_spec, spec_from_dict
from milieusim.sweep.sweep import SweepOutcome, run_sweep

__all__ = ["Spec", "Sweep", "SweepOutcome", "load", "load_spec", "run_sweep", "spec_from_dict"]
