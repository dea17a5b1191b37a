"""A default ward a few steps in, and its present patients: what the ward component tests start from."""

from milieusim.model import MilieuModel
from milieusim.params import Scenario


def ward(changes=None, seed=4, steps=1):
    """A model of the default scenario with `changes`, after `steps` steps."""
    m = MilieuModel(Scenario().with_changes(changes or {}), rng=seed)
    for _ in range(steps):
        m.step()
    return m


def present_patients(m):
    """The patients on the ward now."""
    return [p for p in m.flow.patients() if p.present]


def present_patient(m, k=0):
    """The `k`-th patient on the ward now."""
    return present_patients(m)[k]
