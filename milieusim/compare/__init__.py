"""Comparing ward layouts for planners (docs/layouts.md): the same patients on every plan.

A planner has two or three candidate plans. The same scenario runs on each
with the same seeds (common random numbers): the same admissions, visits and
behaviour draws meet different buildings, so differences come from the plans.

- `plan`: `plan_comparison` checks every layout, the scenario and the output
  folder before anything is written, and plans the runs as a sweep whose one
  factor is the layout (run it with `milieusim.sweep.run_sweep`).
- `outcomes`: the outcomes compared, per-plan means with 95% intervals, the
  paired difference from the first plan with its interval and verdict (clear
  only when the interval excludes zero), and a plain-language reading.
- `summary`: `summarise_comparison` reads the finished runs into a
  `Comparison` (with planner metrics and mean heatmaps); `write_tables`
  stores its tables.
- `run`: `compare_layouts` does all of it in one call and returns the
  `Comparison` (the command line and notebooks use it).

`milieusim.viz.report` draws the HTML report from a `Comparison`.
"""

from milieusim.compare.outcomes import OUTCOMES, outcome_table, reading, verdict
from milieusim.compare.plan import ComparisonPlan, LayoutErrors, Plan, plan_comparison
from milieusim.compare.run import compare_layouts
from milieusim.compare.summary import HEATMAPS, Comparison, summarise_comparison, write_tables

__all__ = [
    "HEATMAPS",
    "OUTCOMES",
    "Comparison",
    "ComparisonPlan",
    "LayoutErrors",
    "Plan",
    "compare_layouts",
    "outcome_table",
    "plan_comparison",
    "reading",
    "summarise_comparison",
    "verdict",
    "write_tables",
]
