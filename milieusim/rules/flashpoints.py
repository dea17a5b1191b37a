"""Flashpoints and whether they become conflict: the first two links of the Safewards model.

[@bowers2014]: features of six originating domains give rise to flashpoints,
social and psychological situations that signal or precede conflict; a
flashpoint becomes conflict with a probability that staff modifiers and patient
modifiers change. Here a flashpoint is an event with a kind and an origin
(`FLASHPOINTS`); it raises the patient's arousal (by `conflict.flashpoint_arousal`), and then
becomes conflict with probability `conversion_probability`, a logistic model
whose terms are the modifiers, each a named log odds ratio:

- the patient: arousal now (flashpoints add up while arousal has not settled),
  symptom severity (risk is highest in the acute phase), trust in staff (for a
  flashpoint from the staff team), a recent containment (containment feeds
  conflict);
- the staff: respect (soft words) for flashpoints from the staff team, and the
  Safewards interventions on their links (`rules/safewards.py`);
- the building: crowding, a saturating multiplier of the odds counted as
  patients against the comfortable number for the room's use (`crowding_odds`).
  Staff and relatives do not count towards crowding.

The physical environment is one of Bowers' six domains; in the model it gives
no flashpoints of its own and acts through crowding, sight lines (who sees
warning signs and conflict), privacy and exits (`rules/observation.py`).
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import NamedTuple

import numpy as np

from milieusim.jit import kernel
from milieusim.space.symbols import Zone


class Origin(StrEnum):
    """Bowers' (2014) originating domains, as the events table names them."""

    STAFF_TEAM = "staff_team"
    PATIENT_COMMUNITY = "patient_community"
    PATIENT_CHARACTERISTICS = "patient_characteristics"
    REGULATORY_FRAMEWORK = "regulatory_framework"
    OUTSIDE_HOSPITAL = "outside_hospital"
    PHYSICAL_ENVIRONMENT = "physical_environment"  # acts through modifiers only (module docstring)


class Flashpoint(NamedTuple):
    """A kind of flashpoint: its domain, and whether it is an interaction with staff."""

    origin: Origin
    staff_patient: bool  # follows a staff-patient interaction [@papadopoulos2012a]
    restriction: bool  # a restriction or refused request [@papadopoulos2012a]


#: The flashpoints the model generates, by kind.
FLASHPOINTS: dict[str, Flashpoint] = {
    "limit_setting": Flashpoint(Origin.STAFF_TEAM, True, True),  # staff set a limit on behaviour
    "refused_request": Flashpoint(Origin.STAFF_TEAM, True, True),  # a request (leave, a call) refused
    "demand": Flashpoint(Origin.STAFF_TEAM, True, False),  # staff ask the patient to do something
    "medication": Flashpoint(Origin.STAFF_TEAM, True, False),  # the medication round
    "bullying": Flashpoint(Origin.PATIENT_COMMUNITY, False, False),  # a peer with more power
    "contagion": Flashpoint(Origin.PATIENT_COMMUNITY, False, False),  # witnessing an incident
    "symptoms": Flashpoint(Origin.PATIENT_CHARACTERISTICS, False, False),  # voices, fear, irritability
    "detention": Flashpoint(Origin.REGULATORY_FRAMEWORK, False, True),  # detained behind a locked door
    "bad_news": Flashpoint(Origin.OUTSIDE_HOSPITAL, False, False),  # a tense visit, news from home
}
#: Flashpoints that arise at a rate rather than in an encounter (drawn every step).
SPONTANEOUS = ("symptoms", "detention", "bad_news")

# ------------------------------------------------------------ modifiers (log odds ratios)

#: Log odds ratio of conversion per unit of arousal (0..1). Assumption: arousal 1 against 0
#: multiplies the odds by 10; flashpoints coming close together escalate [@bowers2014].
AROUSAL_LOG_OR = math.log(10.0)
#: Per unit of severity, centred at 0.5: the acute phase converts more [@bowers2014].
#: Assumption: x4 over 0..1.
SEVERITY_LOG_OR = math.log(4.0)
#: Per unit of trust in staff, centred at 0.5, for flashpoints from the staff team. Assumption: x4 over 0..1.
TRUST_LOG_OR = math.log(4.0)
#: Power of a patient's proneness to aggression (rules/conflict.proneness, mean 1) that multiplies
#: the odds of conversion: conflict comes from a minority of patients. Assumption.
PRONENESS_POWER = 0.5
#: Per unit of staff respect, centred at 0.5, for flashpoints from the staff team (soft words).
#: Assumption: x2 over 0..1.
RESPECT_LOG_OR = math.log(2.0)

#: Comfortable floor area per patient by the room's use, m2. Assumption (a dining room at mealtime
#: seats people closer than a day room; a garden is for space); low social density goes with less
#: aggression [@ulrich2018].
COMFORT_M2 = {
    Zone.BEDROOM: 6.0,
    Zone.BATHROOM: 3.0,
    Zone.CORRIDOR: 5.0,
    Zone.DAYROOM: 4.0,
    Zone.DINING: 2.0,
    Zone.THERAPY: 3.0,
    Zone.QUIET: 4.0,
    Zone.GARDEN: 10.0,
    Zone.VISITORS: 3.0,
}
COMFORT_M2_OTHER = 4.0  # staff base, office, entrance, extra-care room


def comfortable_patients(area_m2: float, zone: Zone) -> float:
    """How many patients a room holds comfortably (at least 1)."""
    return max(1.0, area_m2 / COMFORT_M2.get(zone, COMFORT_M2_OTHER))


def crowding_odds(patients, comfortable, or_max: float, scale: float):
    """Multiplier of conversion odds from crowding: 1 up to the comfortable number, then saturating.

    ``1 + (or_max - 1) * (1 - exp(-x / scale))`` with ``x = patients / comfortable - 1`` (the share
    over the comfortable number), so a room twice as full as is comfortable, with `scale` 0.5,
    gets 86% of the way from 1 to `or_max`.
    """
    x = np.maximum(0.0, np.asarray(patients, float) / np.asarray(comfortable, float) - 1.0)
    return 1.0 + (or_max - 1.0) * (1.0 - np.exp(-x / scale))


def conversion_probability(
    base_odds: float,
    arousal: float,
    severity: float,
    trust: float,
    respect: float,
    staff_origin: bool,
    odds_multiplier: float = 1.0,
    proneness: float = 1.0,
) -> float:
    """Chance a flashpoint becomes conflict.

    Args:
        base_odds: odds of conversion at arousal 0, severity, trust and respect 0.5, no crowding.
        arousal, severity, trust, respect: the patient's state and the staff's respect (0..1).
        staff_origin: whether the flashpoint comes from the staff team (trust and respect act then).
        odds_multiplier: every other modifier as one product of odds ratios: crowding, a
            recent containment, Safewards interventions on this link.
        proneness: the patient's proneness to aggression (mean 1); the odds rise with its
            `PRONENESS_POWER`.
    """
    log_odds = math.log(base_odds) + AROUSAL_LOG_OR * arousal + SEVERITY_LOG_OR * (severity - 0.5)
    if staff_origin:
        log_odds -= TRUST_LOG_OR * (trust - 0.5) + RESPECT_LOG_OR * (respect - 0.5)
    log_odds += math.log(odds_multiplier) + PRONENESS_POWER * math.log(proneness)
    return 1.0 / (1.0 + math.exp(-log_odds))


@kernel
def spontaneous_rate(severity, detained, awake, per_day_symptoms, per_day_detention, per_day_outside):
    """Rates per minute of the spontaneous flashpoints (`SPONTANEOUS`) of one patient, as a tuple.

    Symptom flashpoints come in proportion to severity; detention flashpoints only to detained
    patients; news from outside to anyone. Asleep patients (`awake` 0) have none.
    """
    per_minute = awake * (1.0 / 1440.0)
    return (
        per_day_symptoms * severity * per_minute,
        per_day_detention * (1.0 if detained else 0.0) * per_minute,
        per_day_outside * per_minute,
    )
