"""milieusim: an agent-based simulation of the therapeutic milieu.

Public API: the ward's space (`load_layout`, `Layout`, `Arrangement`, `geometry_of`),
scenarios (`Scenario`, `load_scenario`), the model (`MilieuModel`) and `run`, which
returns a run's tables (`Results`).
"""

from milieusim.lazy import lazy_exports

__getattr__ = lazy_exports(
    __name__,
    {
        "Results": "milieusim.metrics",
        "MilieuModel": "milieusim.model",
        "Scenario": "milieusim.params",
        "run": "milieusim.runner",
        "load_scenario": "milieusim.scenario",
        "Arrangement": "milieusim.space",
        "Layout": "milieusim.space",
        "geometry_of": "milieusim.space",
        "load_layout": "milieusim.space",
        "InputError": "milieusim.validation",
    },
)

__version__ = "0.1.0"

__all__ = [
    "Arrangement",
    "InputError",
    "Layout",
    "MilieuModel",
    "Results",
    "Scenario",
    "__version__",
    "geometry_of",
    "load_layout",
    "load_scenario",
    "run",
]
