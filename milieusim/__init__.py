"""milieusim: an agent-based simulation of the therapeutic milieu.

Public API: the ward's space (`load_layout`, `Layout`, `Arrangement`, `geometry_of`),
scenarios (`Scenario`, `load_scenario`), the model (`MilieuModel`) and `run`, which
returns a run's tables (`Results`).
"""

from milieusim.metrics import Results
from milieusim.model import MilieuModel
from milieusim.params import Scenario
from milieusim.runner import run
from milieusim.scenario import load_scenario
from milieusim.space import Arrangement, Layout, geometry_of, load_layout
from milieusim.validation import InputError

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
