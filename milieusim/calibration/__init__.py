"""Calibration: fit the model to a ward's own figures by ABC-SMC, with honest uncertainty.

- `setup`: the calibration file (parameters and priors, the base ward, the budget).
- `simulate`: one simulation (`WardModel`) and its distance from the targets.
- `sampler`: the reproducible, resumable sampler; every simulation is recorded.
- `calibrate`: a whole calibration into a results folder, with its manifest.
- `posterior`: the posterior, what the targets identify, the predictive check, the calibrated scenario.

The targets themselves live in `milieusim.targets`. Running needs the ``calibrate``
extra (pyabc); reading a setup does not.
"""

from milieusim.calibration.setup import Parameter, Setup, load_setup, setup_from_dict

__all__ = ["Parameter", "Setup", "load_setup", "setup_from_dict"]
