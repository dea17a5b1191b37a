"""Flashpoints, conflict, staff response and containment, after the Safewards model.

The Safewards model [@bowers2014]: flashpoints arising
from the staff team, the physical environment, outside the hospital, the
patient community and the patient raise the chance of conflict; staff respond
by talking down or by containment; containment ends the incident but costs
trust and feeds later conflict. Here a flashpoint adds to a patient's
agitation, which decays between flashpoints; above a personal threshold
conflict arises at a rate; what staff see they answer; what they do not see
may escalate.

Pure functions over numbers and numpy arrays; the model supplies the random
generator.
"""

from __future__ import annotations

import numpy as np

CONFLICT_KINDS = (
    "verbal_abuse",
    "threat",
    "medication_refusal",
    "absconding_attempt",
    "rule_breaking",
    "property_damage",
    "physical_aggression",
    "self_harm",
)
#: Kinds that demote a patient's level (milieu component 11, docs/ODD.md Appendix A: L1 "may harm self,
#: others or the environment").
DESTRUCTIVE = frozenset({"physical_aggression", "self_harm", "property_damage"})
#: Kinds a ward reports as aggressive incidents (threats and attacks on people or property), the
#: count [@abderhalden2007] gives per 100 occupied bed-days; minor verbal abuse is conflict
#: in the Safewards sense but is rarely reported as an incident.
AGGRESSIVE = frozenset({"threat", "physical_aggression", "property_damage"})
AGGRESSIVE_MASK = np.array([k in AGGRESSIVE for k in CONFLICT_KINDS])
CONTAINMENT_KINDS = ("prn_medication", "special_observation", "seclusion", "restraint")
#: How long seclusion and restraint last, minutes, and special observation, hours (assumptions).
SECLUSION_MINUTES, RESTRAINT_MINUTES, OBSERVATION_HOURS = 240, 15, 24
#: Admitted this ill: special observation from the start (assumption).
HIGH_RISK_SEVERITY = 0.8
#: Share of agitation left after a conflict nobody saw, one talked down, and a containment (assumptions).
UNSEEN_CALMING, TALK_DOWN_CALMING, CONTAINMENT_CALMING = 0.5, 0.3, 0.2
#: Trust gained by a patient whom staff talked down (assumption).
TALK_DOWN_TRUST = 0.02
#: Staff offer as-needed medication above this agitation (calibrated: containment per shift) ...
PRN_AGITATION = 0.35
#: ... with this chance times their readiness to contain (assumption).
PRN_OFFER = 0.8

#: Relative frequency of conflict kinds for a mildly ill patient (severity 0) and a very ill
#: one (severity 1). Calibrated (docs/validation.md) so that the baseline ward reports about
#: 1.8 aggressive incidents and 0.6 physical attacks per 100 occupied bed-days among about four
#: conflicts per shift; the order (refusal, rule breaking and verbal abuse commonest, physical
#: harm rarest) follows Safewards [@bowers2014].
KIND_WEIGHTS_MILD = np.array([0.30, 0.00085, 0.25, 0.08, 0.34, 0.0006, 0.0016, 0.003])
KIND_WEIGHTS_SEVERE = np.array([0.30, 0.0022, 0.20, 0.08, 0.24, 0.0022, 0.0102, 0.012])
#: What an unseen conflict becomes when it escalates (what staff cannot see escalates; docs/ODD.md §7.10).
ESCALATES_TO = {
    "verbal_abuse": "threat",
    "threat": "physical_aggression",
    "medication_refusal": "verbal_abuse",
    "absconding_attempt": "absconding_attempt",
    "rule_breaking": "verbal_abuse",
    "property_damage": "physical_aggression",
    "physical_aggression": "physical_aggression",
    "self_harm": "self_harm",
}


def decay(agitation, minutes: float, half_life_minutes: float):
    """Agitation left after `minutes` without flashpoints."""
    return np.asarray(agitation) * 0.5 ** (minutes / half_life_minutes)


def threshold_now(threshold, at_risk, drop: float):
    """Conflict thresholds now: lowered by `drop` (to at least 0.05) while a containment's risk lasts."""
    t = np.asarray(threshold, float)
    return np.where(at_risk, np.maximum(0.05, t - drop), t)


def conflict_probability(agitation, threshold, hazard_per_hour: float, minutes: float):
    """Chance of conflict within `minutes`: zero below the threshold, rising to the full hazard at 1."""
    a, t = np.asarray(agitation, float), np.asarray(threshold, float)
    over = np.clip((a - t) / np.maximum(1.0 - t, 1e-9), 0.0, 1.0)
    return 1.0 - np.exp(-hazard_per_hour * over * minutes / 60.0)


def choose_kind(severity: float, level: int, u: float, proneness: float = 1.0) -> str:
    """The kind of a conflict, from severity, level and the patient's proneness to aggression.

    The weights move from mild to severe with symptom severity; level 1
    (may harm self or others) counts as severity at least 0.8. `proneness`
    multiplies the weights of the aggressive kinds: aggression on wards comes
    from a minority of patients (13-18% of patients with an incident [@abderhalden2007; @iozzino2015]).
    `u` is a uniform draw in [0, 1).
    """
    s = max(severity, 0.8) if level == 1 else severity
    w = (1 - s) * KIND_WEIGHTS_MILD + s * KIND_WEIGHTS_SEVERE
    w = np.where(AGGRESSIVE_MASK, w * proneness, w)
    cum = np.cumsum(w / w.sum())
    cum[-1] = 1.0  # rounding must not leave the last kind out of reach of u < 1
    return CONFLICT_KINDS[int(np.searchsorted(cum, u, side="right"))]


def proneness(rng: np.random.Generator, spread: float) -> float:
    """A patient's proneness to aggression: lognormal with mean 1 and shape `spread`.

    One normal draw whatever the spread, so that scenarios differing only in the
    spread see the same patients (common random numbers).
    """
    return float(np.exp(-(spread**2) / 2.0 + spread * rng.standard_normal()))


def talk_down_chance(kind: str, trust: float, respect: float, training: float, propensity: float) -> float:
    """Chance that staff who see a conflict end it by talking down rather than containment.

    Talk-down works better with trained, respectful staff and a patient who
    trusts them (Safewards talk down and soft words [@bowers2015]), and is tried less by staff
    ready to contain; physical harm is hardest to talk down. Assumption: the
    weights 0.4 training, 0.3 respect, 0.3 trust.
    """
    skill = 0.4 * training + 0.3 * respect + 0.3 * trust
    hard = 0.5 if kind in ("physical_aggression", "self_harm") else 1.0
    return float(np.clip(skill * hard * (1.0 - 0.6 * propensity) + 0.15, 0.0, 1.0))


def containment_for(kind: str, seclusion_allowed: bool, u: float) -> str:
    """The containment used when talking down is not enough; `u` a uniform draw."""
    if kind == "self_harm":
        return "special_observation"
    if kind == "absconding_attempt":
        return "special_observation" if u < 0.7 else "prn_medication"
    if kind in ("physical_aggression", "property_damage"):
        if seclusion_allowed and u < 0.35:
            return "seclusion"
        return "restraint" if u < 0.6 else "prn_medication"
    return "prn_medication"


def respond(
    kind: str,
    trust: float,
    respect: float,
    training: float,
    propensity: float,
    seclusion_allowed: bool,
    u1: float,
    u2: float,
) -> str | None:
    """Staff response to a conflict they see: None for talked down, else the containment used."""
    if u1 < talk_down_chance(kind, trust, respect, training, propensity):
        return None
    return containment_for(kind, seclusion_allowed, u2)


def limit_setting_flashpoint(base: float, respect: float) -> float:
    """Agitation added by limit setting: halved when done with full respect (soft words)."""
    return base * (1.0 - 0.5 * respect)
