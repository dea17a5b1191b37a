"""Observation: how often staff see each patient, who notices warning signs, and what time unseen allows.

Staff know where patients are by seeing them: within their sight lines and sight
range (the building's isovists), and by walking to check on them. General
observation is a check every `GENERAL_CHECK_MINUTES`; intermittent observation
every 15, 30 or 60 minutes (`conflict.check_minutes`); special (constant)
observation keeps a member of staff within sight (NICE NG10's levels, as UK
wards use them). More intermittent observation goes with less self-harm
[dir: @bowers2008]: here time unobserved, privacy and an exit within reach make
self-harm and absconding the likelier forms of a conflict.

Warning signs: before aggression a patient shows cues when aroused; staff who can
see the patient notice them with the Brøset Violence Checklist's sensitivity
[@abderhalden2004] and step in before conflict.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from milieusim.jit import kernel


class Level(IntEnum):
    """Observation levels (the roster's `obs_level`)."""

    GENERAL = 0
    INTERMITTENT = 1
    CONSTANT = 2


#: Minutes between checks under general observation (assumption: hourly, as ward rounds are).
GENERAL_CHECK_MINUTES = 60
#: Arousal from which a patient shows warning signs (assumption).
CUE_AROUSAL = 0.3
#: Chance that staff who see a patient showing warning signs notice them: the Brøset Violence
#: Checklist's sensitivity, 64% [@abderhalden2004].
CUE_SENSITIVITY = 0.64
#: Self-harm becomes likelier the longer a patient has gone unseen: x(1 + minutes / scale), at most
#: x`UNOBSERVED_MAX` (assumption; direction from Bowers et al. 2008).
UNOBSERVED_SCALE_MINUTES, UNOBSERVED_MAX = 60.0, 3.0
#: In a private room (bedroom, bathroom) self-harm is this much likelier (assumption).
PRIVATE_SELF_HARM = 2.0
#: Within this walking distance of the ward's entrance or in the garden, absconding is this much
#: likelier (assumption).
EXIT_REACH_M, EXIT_ABSCONDING = 10.0, 2.0


@kernel
def check_interval_minutes(level, intermittent_minutes):
    """Minutes between staff checks at an observation level (constant: every step)."""
    if level == Level.CONSTANT:
        return 0
    return intermittent_minutes if level == Level.INTERMITTENT else GENERAL_CHECK_MINUTES


def unobserved_factor(minutes_unseen):
    """Multiplier of the self-harm weight for time since staff last saw the patient."""
    m = np.maximum(0.0, np.asarray(minutes_unseen, float))
    return np.minimum(UNOBSERVED_MAX, 1.0 + m / UNOBSERVED_SCALE_MINUTES)


def cues_noticed(arousal: float, seen: bool, u: float) -> bool:
    """Whether staff notice warning signs now: shown from `CUE_AROUSAL`, seen, and noticed (`u` uniform)."""
    return seen and arousal >= CUE_AROUSAL and u < CUE_SENSITIVITY
