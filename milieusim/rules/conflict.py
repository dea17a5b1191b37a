"""Conflict: its kinds, which kind a flashpoint becomes, whom it targets, escalation, recording.

The conflict behaviours of the Safewards model [@bowers2014]: verbal abuse,
threats, refusing medication, absconding attempts, breaking rules, property
damage, physical aggression and self-harm. Which a flashpoint becomes depends on
the patient (severity, level of responsibility, proneness to aggression), the
kind of flashpoint (a medication round ends in refusal more than a refused
request does), and where the patient is and how long staff have not seen them
(privacy and time unseen for self-harm, an exit within reach for absconding).

Pure functions over numbers; the model supplies the random draws.
"""

from __future__ import annotations

import numpy as np

from milieusim.jit import kernel

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
K = {kind: i for i, kind in enumerate(CONFLICT_KINDS)}
#: Kinds that demote a patient's level (milieu component 11, docs/ODD.md Appendix A: L1 "may harm self,
#: others or the environment").
DESTRUCTIVE = frozenset({"physical_aggression", "self_harm", "property_damage"})
#: Kinds a ward reports as aggressive incidents (threats and attacks on people or property), the
#: count [@abderhalden2007] gives per 100 occupied bed-days; minor verbal abuse is conflict
#: in the Safewards sense but is rarely reported as an incident.
AGGRESSIVE = frozenset({"threat", "physical_aggression", "property_damage"})
AGGRESSIVE_MASK = np.array([k in AGGRESSIVE for k in CONFLICT_KINDS])
#: Kinds aimed at a person (the target is recorded): verbal abuse, threats, attacks.
AT_A_PERSON = frozenset({"verbal_abuse", "threat", "physical_aggression"})
#: Kinds that upset patients who see them (contagion): aggression in any form and self-harm; a
#: refused tablet or a broken rule does not (assumption).
UPSETTING = AT_A_PERSON | {"property_damage", "self_harm"}

#: Relative frequency of conflict kinds for a mildly ill patient (severity 0) and a very ill
#: one (severity 1). Calibrated (docs/validation.md): the aggressive kinds' weights so that the
#: baseline ward records about 1.8 aggressive incidents and 0.6 physical attacks per 100 occupied
#: bed-days; the order (refusal, rule breaking and verbal abuse commonest, physical harm rarest)
#: follows Safewards [@bowers2014].
KIND_WEIGHTS_MILD = np.array([0.30, 0.0044, 0.25, 0.08, 0.34, 0.0031, 0.0024, 0.003])
KIND_WEIGHTS_SEVERE = np.array([0.30, 0.0114, 0.20, 0.08, 0.24, 0.0114, 0.015, 0.012])
#: What a flashpoint tends to become: weights multiplied for its kind (assumption): a medication
#: round ends in refusal, detention in absconding and broken rules, bad news in self-harm or leaving,
#: a bully or a nearby incident in abuse and threats.
EMPHASIS: dict[str, dict[str, float]] = {
    "medication": {"medication_refusal": 8.0},
    "detention": {"absconding_attempt": 6.0, "rule_breaking": 2.0},
    "bad_news": {"self_harm": 3.0, "absconding_attempt": 2.0},
    "bullying": {"verbal_abuse": 1.5, "threat": 2.0, "physical_aggression": 2.0},
    "contagion": {"verbal_abuse": 1.5, "threat": 1.5},
    "limit_setting": {"verbal_abuse": 1.5, "threat": 1.5},
    "refused_request": {"verbal_abuse": 1.5, "absconding_attempt": 1.5},
    "demand": {"verbal_abuse": 1.5, "rule_breaking": 1.5},
    "symptoms": {},
}
EMPHASIS_VECTORS = {fp: np.array([emph.get(k, 1.0) for k in CONFLICT_KINDS]) for fp, emph in EMPHASIS.items()}
#: What an unseen conflict becomes when it escalates (what staff cannot see escalates).
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
#: Share of arousal left after a conflict nobody saw (assumption).
UNSEEN_CALMING = 0.5
#: Admitted this ill: special observation from the start (assumption).
HIGH_RISK_SEVERITY = 0.8


@kernel
def decay(agitation, minutes, half_life_minutes):
    """Arousal left after `minutes` without flashpoints (a number or an array)."""
    return agitation * 0.5 ** (minutes / half_life_minutes)


def kind_weights(
    severity: float,
    level: int,
    flashpoint: str,
    proneness: float = 1.0,
    self_harm_factor: float = 1.0,
    absconding_factor: float = 1.0,
) -> np.ndarray:
    """Relative weights of the conflict kinds a flashpoint may become.

    The weights move from mild to severe with symptom severity; level 1 (may harm
    self or others) counts as severity at least 0.8. `proneness` multiplies the
    aggressive kinds: aggression on wards comes from a minority of patients
    (13-18% of patients with an incident [@abderhalden2007; @iozzino2015]). The flashpoint's emphasis,
    and factors for self-harm (privacy, time unseen) and absconding (an exit within
    reach), multiply their kinds.
    """
    s = max(severity, 0.8) if level == 1 else severity
    w = (1 - s) * KIND_WEIGHTS_MILD + s * KIND_WEIGHTS_SEVERE
    w = np.where(AGGRESSIVE_MASK, w * proneness, w) * EMPHASIS_VECTORS[flashpoint]
    w[K["self_harm"]] *= self_harm_factor
    w[K["absconding_attempt"]] *= absconding_factor
    return w


def choose_kind(weights: np.ndarray, u: float) -> str:
    """The kind drawn from `weights` with `u` uniform in [0, 1)."""
    cum = np.cumsum(weights)
    cum /= cum[-1]  # exactly 1 at the end (and for trailing zero weights), so every u < 1 finds a kind
    return CONFLICT_KINDS[int(np.searchsorted(cum, u, side="right"))]


def proneness(rng: np.random.Generator, spread: float) -> float:
    """A patient's proneness to aggression: lognormal with mean 1 and shape `spread`.

    One normal draw whatever the spread, so that scenarios differing only in the
    spread see the same patients (common random numbers).
    """
    return float(np.exp(-(spread**2) / 2.0 + spread * rng.standard_normal()))


def target_of(kind: str, source_role: str | None, nearest_role: str | None) -> str:
    """Whom a conflict is aimed at: "staff", "patient", "relative", "self", "property" or "" (nobody).

    Verbal abuse, threats and attacks are aimed at the person the flashpoint came from
    (the member of staff who set a limit, the peer who bullied), else at the nearest
    person; self-harm at oneself; property damage at property; refusing, absconding and
    breaking rules at nobody in particular.
    """
    if kind == "self_harm":
        return "self"
    if kind == "property_damage":
        return "property"
    if kind not in AT_A_PERSON:
        return ""
    return source_role or nearest_role or ""


def recorded_chance(seen: bool, share_seen: float, share_unseen: float) -> float:
    """Chance an incident is recorded on an incident form (about half are [@hvidhjelm2014])."""
    return share_seen if seen else share_unseen
