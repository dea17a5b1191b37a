"""Encounters: who talks to whom, and what an encounter does.

How likely two people in the same room are to fall into an encounter depends
on the distance between them (Hall's zones) and, for two seated people, on
how their seats face each other (Sommer: corner > side by side > opposite;
`space/seating.py`). What the encounter is (conversation, support, limit
setting, peer help, bullying, family time) and what it does to each person
follow from their states and the ward's culture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from milieusim.jit import kernel
from milieusim.space.informal import HALL_PERSONAL_M, HALL_SOCIAL_M

#: Encounters per hour between two people standing within personal distance.
#: Assumption, set so that a conventional ward leaves patients socially
#: disengaged most of the time (about 84% of observations [@radcliffe2007]).
ENCOUNTER_RATE_PER_HOUR = 1.1
#: Agitation below which staff do not set limits (assumption).
LIMIT_AGITATION = 0.3
ENCOUNTER_KINDS = (
    "conversation",
    "support",
    "limit_setting",
    "demand",
    "peer_help",
    "bullying",
    "family_time",
)


@kernel
def sociability(severity, trust):
    """Patients' readiness to talk (0.1..1; numbers or arrays): lost to symptoms, gained with trust.

    Assumption: the weights.
    """
    return np.maximum(0.1, 1.0 - 0.8 * severity) * (0.6 + 0.4 * trust)


@kernel
def proximity_weight(distance_m):
    """Relative encounter rate by distance: 1 within personal distance, falling to 0 at social's edge."""
    return np.minimum(np.maximum((HALL_SOCIAL_M - distance_m) / (HALL_SOCIAL_M - HALL_PERSONAL_M), 0.0), 1.0)


@kernel
def encounter_probability(weight, sociability, minutes):
    """Chance an encounter starts within `minutes` between two people with pair `weight`.

    `sociability` is the product of the two people's readiness to talk (0..1).
    """
    rate = ENCOUNTER_RATE_PER_HOUR * weight * sociability
    return 1.0 - np.exp(-rate * minutes / 60.0)


@dataclass(frozen=True)
class Effect:
    """Changes an encounter makes to the patient in it (the focal patient)."""

    kind: str
    trust: float = 0.0
    agitation: float = 0.0
    autonomy: float = 0.0
    peer_help: int = 0
    flashpoint: str | None = None


def staff_patient(
    agitation: float,
    needs_focus: float,
    respect: float,
    consistency: float,
    rule_strictness: float,
    demand_share: float,
    expectations: float,
    u: float,
    u2: float,
    u3: float,
) -> Effect:
    """A staff member and a patient meet.

    Limit setting answers disturbed behaviour: it comes only above
    `LIMIT_AGITATION`, and more often the more agitated the patient and the
    stricter the ward (rule strictness: consistency without attention to needs;
    milieu component 5, "rigid if the training ignores individual differences"), so
    that more time with calm patients does not by itself bring more of it (limit
    setting is the commonest trigger of aggression [@owen1998]). Else, in a share
    `demand_share` of encounters staff ask the patient to do something (get up,
    wash, come to the group): a demand, a flashpoint; more staff make more demands
    [dir: @bowers2012]. Clear mutual expectations (Safewards [@bowers2015]) make
    both rarer: `expectations` multiplies their chances. Otherwise it is support
    (one-to-one time, more often the more staff time goes to patients) or
    conversation. Inconsistent staff sometimes give a different answer than
    colleagues: a mixed message, which costs trust. Assumptions: the weights.
    """
    over = max(0.0, agitation - LIMIT_AGITATION) / (1.0 - LIMIT_AGITATION)
    p_limit = over * (0.3 + 0.7 * rule_strictness) * expectations
    if u < p_limit:
        trust = 0.02 * (respect - 0.5)
        return Effect("limit_setting", trust=trust, flashpoint="limit_setting")
    if u3 < demand_share * expectations:
        return Effect("demand", flashpoint="demand")
    mixed = u2 < 0.25 * (1.0 - consistency)
    trust = (0.02 + 0.02 * respect) - (0.04 if mixed else 0.0)
    if u < p_limit + (1.0 - p_limit) * needs_focus:
        return Effect("support", trust=trust + 0.01, agitation=-0.15 * (0.5 + respect))
    return Effect("conversation", trust=trust, agitation=-0.05)


def patient_patient(
    level_a: int, level_b: int, power_a: float, power_b: float, agitation_a: float, respect: float, u: float
) -> Effect:
    """Patient A meets patient B; the effect is on B.

    A helps B when A is at level 3 or 4 and B below 3 (milieu component 11: L4
    helps others through L1-L3). A bullies B more when A holds more power among
    patients, is agitated, and staff model little respect (milieu component 3:
    staff encourage patients to respect each other). Assumptions: the rates.
    """
    if level_a >= 3 and level_b < 3 and u < 0.5:
        return Effect("peer_help", trust=0.01, agitation=-0.1, autonomy=0.01, peer_help=1)
    p_bully = 0.15 * max(power_a - power_b, 0.0) * (0.3 + agitation_a) * (1.0 - respect)
    if u > 1.0 - p_bully:
        return Effect("bullying", agitation=0.0, flashpoint="bullying")
    return Effect("conversation", agitation=-0.05)


def family_time(tense: bool) -> Effect:
    """A relative's company: support, or a flashpoint when the visit is tense (bad news)."""
    if tense:
        return Effect("family_time", flashpoint="bad_news")
    return Effect("family_time", trust=0.0, agitation=-0.2)
