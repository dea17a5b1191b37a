"""milieusim: an agent-based simulation of the therapeutic milieu.

Public API so far: the ward's space (`load_layout`, `Layout`, `Arrangement`,
`geometry_of`) and its planner metrics (`layout_metrics`).
"""

from milieusim.space import Arrangement, Layout, geometry_of, load_layout
from milieusim.validation import InputError

__version__ = "0.1.0"

__all__ = ["Arrangement", "InputError", "Layout", "__version__", "geometry_of", "load_layout"]
