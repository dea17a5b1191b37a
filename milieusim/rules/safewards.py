"""The ten Safewards interventions, each acting on one link of the conflict model.

Bowers et al. (2015) tested ten interventions together on 31 wards; no trial
gives an effect per intervention. The model maps each to the one link of the
Safewards model (Bowers 2014) it is meant to act on, and gives every
intervention the same strength on its own link, `LINK_EFFECT` at full fidelity
(an assumption, the same for all ten, so that no intervention is tuned towards
the trial's result). A ward's fidelity (0..1) scales it: at fidelity f the
link's rate, chance or odds is multiplied by ``1 - LINK_EFFECT * f`` (or, for a
link the intervention strengthens, ``1 + LINK_EFFECT * f``).

| intervention | link | direction |
|---|---|---|
| clear mutual expectations | limit-setting and demand flashpoints arise | fewer |
| soft words | a limit, refusal or demand becomes conflict | less often |
| talk down | staff talk a conflict down | more often |
| positive words | arousal the handover's new faces bring | less |
| bad news mitigation | bad news becomes conflict | less often |
| know each other | a flashpoint from the staff team becomes conflict | less often |
| mutual help meeting | a flashpoint among patients becomes conflict | less often |
| calm down methods | coping offered before as-needed medication | medication avoided |
| reassurance | witnesses of an incident are upset by it (contagion) | fewer |
| discharge messages | self-harm and absconding (the hope others leave well) | less often |
"""

from __future__ import annotations

#: The ten interventions, in the order of Bowers et al. (2015).
INTERVENTIONS = (
    "clear_mutual_expectations",
    "soft_words",
    "talk_down",
    "positive_words",
    "bad_news_mitigation",
    "know_each_other",
    "mutual_help_meeting",
    "calm_down_methods",
    "reassurance",
    "discharge_messages",
)
#: Strength of each intervention on its own link at full fidelity. Assumption: no published effect
#: per intervention (Bowers 2014); one value for all ten.
LINK_EFFECT = 0.3


def weaken(fidelity: float) -> float:
    """Multiplier on the rate, chance or odds of a link an intervention at `fidelity` weakens."""
    return 1.0 - LINK_EFFECT * fidelity


def strengthen(fidelity: float) -> float:
    """Multiplier on the odds of a link an intervention at `fidelity` strengthens (talk down)."""
    return 1.0 + LINK_EFFECT * fidelity
