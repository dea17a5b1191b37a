"""Power: the daily community meeting and the distribution of voice.

Power is shared when each person decides for themselves and is heard in group
decisions (milieu component 1, docs/ODD.md Appendix A). Patients' voices are weighted: their total share of
the meeting is the power balance, spread among them with an inequality (Gini)
the scenario sets, because some patients hold more power than others. A
patient whose side carries the decision has been heard, which raises trust and
autonomy in proportion to their voice.
"""

from __future__ import annotations

import numpy as np
from scipy.special import erfinv


def gini(weights) -> float:
    """Gini coefficient of non-negative weights (0 equal .. towards 1 one holds all)."""
    w = np.sort(np.asarray(weights, float))
    n = w.size
    if n == 0 or w.sum() == 0:
        return 0.0
    cum = np.cumsum(w)
    return float((n + 1 - 2 * (cum / cum[-1]).sum()) / n)


def patient_power(n: int, inequality: float, rng: np.random.Generator) -> np.ndarray:
    """Relative power of `n` patients, lognormal with Gini `inequality`, mean 1.

    A lognormal with shape sigma has Gini erf(sigma / 2), so sigma = 2 erfinv(G).
    """
    if not 0.0 <= inequality < 1.0:
        raise ValueError(f"inequality {inequality!r} must be within [0, 1)")
    sigma = 2.0 * float(erfinv(inequality))
    # always the same draws, whatever sigma: scenarios differing only in inequality see the same patients
    return np.exp(-(sigma**2) / 2.0 + sigma * rng.standard_normal(n))


def meeting_weights(patient_power_values, n_staff: int, balance: float) -> tuple[np.ndarray, np.ndarray]:
    """Decision weights at a meeting: patients share `balance`, staff share the rest equally."""
    p = np.asarray(patient_power_values, float)
    pw = balance * p / p.sum() if p.size and p.sum() > 0 else np.zeros(p.size)
    staff_share = (1.0 - balance) if p.size else 1.0
    sw = np.full(n_staff, staff_share / n_staff) if n_staff else np.zeros(0)
    if not n_staff and p.size:
        pw = p / p.sum()
    return pw, sw


def meeting(
    patient_power_values, n_staff: int, balance: float, staff_support: float, rng: np.random.Generator
) -> tuple[bool, np.ndarray, float]:
    """One decision at the community meeting, on a proposal raised by a patient.

    Each patient backs the proposal with chance 0.7 (assumption), each staff
    member with chance `staff_support` (the ward's autonomy support). It
    passes with more than half the weight.

    Returns:
        passed, heard (each patient's weight if their side won, else 0), and the
        Gini coefficient of decision weight among everyone present.
    """
    pw, sw = meeting_weights(patient_power_values, n_staff, balance)
    p_yes = rng.random(pw.size) < 0.7
    s_yes = rng.random(sw.size) < staff_support
    support = pw[p_yes].sum() + sw[s_yes].sum()
    passed = bool(support > 0.5)
    heard = np.where(p_yes == passed, pw, 0.0)
    return passed, heard, gini(np.concatenate([pw, sw]))


#: Trust gained by a patient whose side carried the meeting's decision, at full weight (assumption).
HEARD_TRUST = 0.05


def heard_trust_gain(weight: float, attending: int) -> float:
    """Trust a patient gains from being heard with decision `weight` among `attending` patients.

    Scaled to the patient's weight against an equal share, capped at `HEARD_TRUST`.
    """
    return HEARD_TRUST * min(1.0, weight * attending)
