"""Staff response to conflict: talk-down, or containment from the Patient-Staff Conflict Checklist.

Bowers et al. (2013): the checklist's containment methods are as-needed
medication, intermittent and constant (special) observation, time out, show of
force, seclusion, restraint, coerced intramuscular medication and transfer to a
more secure ward. Staff who see a conflict first try to talk it down; talk-down
works better with trained, respectful staff and a patient who trusts them (Safewards:
talk down, soft words), and is tried less by staff ready to contain. When it
fails, the containment follows from the kind of conflict (`RESPONSES`, an
assumption shaped on the checklist's use: medication and time out for verbal
conflict, restraint and seclusion for attacks, observation for self-harm and
absconding). Containment ends the incident but costs trust, by how coercive it is
(`COERCION`), and raises the odds of later conflict for a while (Bowers 2014).
"""

from __future__ import annotations

import numpy as np

from milieusim.rules.safewards import weaken

#: The checklist's containment methods, as the events and daily tables name them.
CONTAINMENT_KINDS = (
    "prn_medication",
    "intermittent_observation",
    "special_observation",
    "time_out",
    "show_of_force",
    "seclusion",
    "restraint",
    "coerced_im",
    "transfer",
)
#: Observation levels counted once per shift while they last, as shift reports record them.
OBSERVATION_KINDS = ("intermittent_observation", "special_observation")

#: When talk-down fails: the containment used, by conflict kind, with relative weights.
#: "none" means staff let it pass (a refusal accepted, a broken rule overlooked). Assumption.
RESPONSES: dict[str, tuple[tuple[str, float], ...]] = {
    "verbal_abuse": (("prn_medication", 0.5), ("time_out", 0.4), ("show_of_force", 0.1)),
    "threat": (("show_of_force", 0.4), ("prn_medication", 0.4), ("time_out", 0.2)),
    "medication_refusal": (("coerced_im", 0.3), ("none", 0.7)),
    "absconding_attempt": (
        ("intermittent_observation", 0.5),
        ("special_observation", 0.2),
        ("show_of_force", 0.2),
        ("restraint", 0.1),
    ),
    "rule_breaking": (("time_out", 0.3), ("prn_medication", 0.2), ("none", 0.5)),
    "property_damage": (("time_out", 0.3), ("seclusion", 0.3), ("prn_medication", 0.3), ("restraint", 0.1)),
    "physical_aggression": (("restraint", 0.6), ("seclusion", 0.3), ("show_of_force", 0.1)),
    "self_harm": (("special_observation", 0.8), ("restraint", 0.1), ("prn_medication", 0.1)),
}
#: What replaces seclusion where the ward does not seclude (no extra-care room, or policy).
NO_SECLUSION = {"physical_aggression": "restraint", "property_damage": "time_out"}
#: Share of restraints followed by coerced intramuscular medication. Assumption.
RESTRAINT_IM_SHARE = 0.5
#: Physical attacks within `TRANSFER_WINDOW_DAYS` that lead to transfer to a more secure ward. Assumption.
TRANSFER_AFTER, TRANSFER_WINDOW_DAYS = 3, 7

#: Trust lost through each containment, as a multiple of `conflict.containment_trust_loss`: the more
#: coercive, the more (assumption; the order follows how patients rate them, seclusion and
#: restraint worst).
COERCION = {
    "prn_medication": 0.5,
    "intermittent_observation": 0.2,
    "special_observation": 0.5,
    "time_out": 0.5,
    "show_of_force": 1.0,
    "seclusion": 1.5,
    "restraint": 1.5,
    "coerced_im": 2.0,
    "transfer": 1.0,
}
#: Share of arousal left after each containment (assumption).
CALMING = {
    "prn_medication": 0.2,
    "intermittent_observation": 1.0,
    "special_observation": 1.0,
    "time_out": 0.5,
    "show_of_force": 0.5,
    "seclusion": 0.2,
    "restraint": 0.3,
    "coerced_im": 0.1,
    "transfer": 1.0,
}
#: How long each containment lasts, minutes (assumption), where it lasts.
MINUTES = {
    "time_out": 30,
    "seclusion": 240,
    "restraint": 15,
    "intermittent_observation": 24 * 60,
    "special_observation": 24 * 60,
}
#: Share of arousal left after staff talk a conflict down, and the trust it earns (assumption).
TALK_DOWN_CALMING, TALK_DOWN_TRUST = 0.3, 0.02
#: Staff offer as-needed medication above this arousal in an encounter (calibrated: containment
#: per shift) with this chance times their readiness to contain (assumption).
PRN_AROUSAL, PRN_OFFER = 0.35, 0.8


def talk_down_chance(
    kind: str, trust: float, respect: float, training: float, propensity: float, fidelity: float = 0.0
) -> float:
    """Chance that staff who see a conflict (or its warning signs) end it by talking it down.

    Skill is 0.4 training + 0.3 respect + 0.3 trust; physical harm is hardest to talk
    down; staff ready to contain try less. The Safewards talk-down intervention at
    `fidelity` weakens the odds that it fails (`rules/safewards.py`). Assumption: the weights.
    """
    skill = 0.4 * training + 0.3 * respect + 0.3 * trust
    hard = 0.5 if kind in ("physical_aggression", "self_harm") else 1.0
    p = float(np.clip(skill * hard * (1.0 - 0.6 * propensity) + 0.15, 0.0, 1.0))
    if fidelity <= 0.0 or p >= 1.0:
        return p
    fail_odds = (1.0 - p) / p * weaken(fidelity)
    return 1.0 / (1.0 + fail_odds)


def containment_for(kind: str, seclusion_allowed: bool, u: float) -> str:
    """The containment used when talking down fails (or "none"); `u` a uniform draw."""
    options = RESPONSES[kind]
    total = sum(w for _, w in options)
    edge = 0.0
    choice = options[-1][0]
    for name, w in options:
        edge += w / total
        if u < edge:
            choice = name
            break
    if choice == "seclusion" and not seclusion_allowed:
        return NO_SECLUSION[kind]
    return choice


def transfer_due(recent_attacks: int) -> bool:
    """Whether repeated physical aggression leads to transfer to a more secure ward."""
    return recent_attacks >= TRANSFER_AFTER
