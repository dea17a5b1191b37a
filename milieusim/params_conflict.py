"""Parameters of conflict and containment (the Safewards model) and of the ten Safewards interventions.

`Conflict`: how flashpoints arise and how much arousal they bring, how likely
one becomes conflict and what changes that (crowding, a recent containment),
how staff see, respond and record. `Safewards`: the fidelity (0..1) with which
the ward practises each of the ten interventions of [@bowers2015], each
acting on one link (`rules/safewards.py`). Rules that read them: `rules/flashpoints.py`,
`rules/conflict.py`, `rules/containment.py`, `rules/observation.py`.
"""

from __future__ import annotations

from milieusim.params_base import Group, P

#: How far staff notice trouble they can see, metres. Assumption: beyond Hall's public
#: distance (7.6 m) facial expression is lost but gross movement is still read; 15 m.
STAFF_SIGHT_RANGE_M = 15.0


class Conflict(Group):
    """Flashpoints, conflict and containment: the Safewards model [@bowers2014]."""

    # -- how often flashpoints arise
    symptom_rate: float = P(
        1.5,
        0,
        50,
        unit="flashpoints/day at severity 1",
        source="calibrated: conflict per shift [@dickens2020]",
        doc="flashpoints from acute symptoms (voices, fear, irritability), in proportion to severity",
    )
    detention_rate: float = P(
        0.3,
        0,
        10,
        unit="flashpoints/day",
        doc="flashpoints from the regulatory framework for a detained patient (held against their will)",
    )
    outside_news_rate: float = P(
        0.05, 0, 5, unit="flashpoints/day", doc="bad news from outside (a call, a letter) besides visits"
    )
    medication_dispute: float = P(
        0.3,
        0,
        1,
        unit="probability",
        doc="chance a medication round brings a flashpoint, times (1 - trust)",
    )
    demand_share: float = P(
        0.2,
        0,
        1,
        unit="share of staff encounters",
        source="[dir: @bowers2012]: staffing acts through what staff do; the value an assumption",
        doc="share of staff-patient encounters in which staff ask the patient to do something (a demand)",
    )
    contagion_chance: float = P(
        0.2,
        0,
        1,
        unit="probability",
        source="[dir: @bowers2014]; the value an assumption",
        doc="chance a patient who sees an incident in their room is upset by it (a flashpoint)",
    )
    # -- arousal
    flashpoint_arousal: float = P(0.15, 0, 1, unit="arousal", doc="arousal a flashpoint adds")
    half_life_minutes: float = P(40, 5, 600, unit="min", doc="arousal halves in this time, undisturbed")
    arousal_symptoms: float = P(
        0.0012,
        0,
        0.02,
        unit="arousal/min",
        doc="background arousal added per minute by symptoms (times severity)",
    )
    intrusion: float = P(
        0.004,
        0,
        0.1,
        unit="arousal/min",
        source="[dir: @kinzel1970; @hall1966]; the value an assumption",
        doc="arousal per minute of full personal-space intrusion by an unwelcome person (another "
        "patient, a stranger, staff in proportion to distrust; never one's own visitor)",
    )
    staff_change: float = P(0.03, 0, 0.5, unit="arousal", doc="arousal the new faces of a shift change bring")
    # -- conversion
    conversion_odds: float = P(
        0.6,
        0.001,
        10,
        unit="odds",
        source="calibrated: conflict per shift [@dickens2020]",
        doc="odds that a flashpoint becomes conflict, at arousal 0 and severity, trust and respect 0.5",
    )
    crowding_odds_max: float = P(
        2.0,
        1,
        10,
        unit="odds ratio",
        source="[dir: @virtanen2011; @ulrich2018]; the value an assumption",
        doc="odds ratio of conversion in a room far over its comfortable number of patients (saturating)",
    )
    crowding_scale: float = P(
        0.5,
        0.05,
        5,
        unit="share over comfortable",
        doc="share over the comfortable number at which crowding has 63% of its full effect",
    )
    containment_risk_odds: float = P(
        2.0,
        1,
        10,
        unit="odds ratio",
        source="[dir: @bowers2014]: containment feeds conflict; the value an assumption",
        doc="odds ratio of conversion for a patient contained in the last containment_risk_days",
    )
    containment_risk_days: float = P(
        3,
        0,
        30,
        unit="days",
        source="[dir: @bowers2014]: containment feeds conflict; the days an assumption",
        doc="days a containment raises the patient's odds of conflict",
    )
    aggression_spread: float = P(
        2.3,
        0,
        3,
        unit="lognormal shape",
        source="calibrated: patients with an incident [@abderhalden2007; @iozzino2015]",
        doc="how unevenly proneness to aggression is spread",
    )
    # -- seeing and responding
    sight_range_m: float = P(
        STAFF_SIGHT_RANGE_M,
        1,
        100,
        unit="m",
        doc="how far staff notice trouble they can see (also the planner metric)",
    )
    check_minutes: int = P(
        15,
        5,
        60,
        unit="min",
        source="[dir: @bowers2008]: more intermittent observation, less self-harm; the value an assumption",
        doc="minutes between checks of a patient on intermittent observation",
    )
    admission_observation_days: float = P(
        2,
        0,
        14,
        unit="days",
        doc="days a new patient spends on intermittent observation by policy",
    )
    prn_arousal: float = P(
        0.15,
        0,
        1,
        unit="arousal",
        source="calibrated: containment per shift [@dickens2020]",
        doc="arousal from which a nurse meeting a patient offers as-needed medication",
    )
    containment_propensity: float = P(
        0.7,
        0,
        1,
        unit="0-1",
        source="calibrated: about half of aggressive incidents end in coercion [@abderhalden2007]",
        doc="staff readiness to contain, not talk down",
    )
    seclusion_allowed: bool = P(True, doc="whether the ward secludes (needs an extra-care room)")
    unseen_escalation: float = P(0.15, 0, 1, unit="probability", doc="chance unseen conflict escalates")
    containment_trust_loss: float = P(
        0.08, 0, 1, unit="trust", doc="trust lost by a contained patient, times how coercive it was"
    )
    # -- recording
    recorded_share: float = P(
        0.51,
        0,
        1,
        unit="probability",
        source="[@hvidhjelm2014]: the standard form caught 51% of episodes",
        doc="chance an incident staff saw is recorded on an incident form",
    )
    recorded_share_unseen: float = P(
        0.25, 0, 1, unit="probability", doc="chance an incident staff did not see is recorded later"
    )


def _fidelity(intervention: str, link: str):
    return P(
        0.0,
        0,
        1,
        unit="fidelity",
        source="[@bowers2015]; the link [dir: @bowers2014]; its strength an assumption (rules/safewards.py)",
        doc=f"{intervention}: {link}",
    )


class Safewards(Group):
    """The ten Safewards interventions [@bowers2015], each a fidelity 0-1 acting on one link."""

    clear_mutual_expectations: float = _fidelity(
        "clear mutual expectations", "fewer limit-setting and demand flashpoints"
    )
    soft_words: float = _fidelity("soft words", "a limit, refusal or demand less often becomes conflict")
    talk_down: float = _fidelity("talk down", "talk-down fails less often")
    positive_words: float = _fidelity("positive words", "less arousal from a shift change")
    bad_news_mitigation: float = _fidelity("bad news mitigation", "bad news less often becomes conflict")
    know_each_other: float = _fidelity(
        "know each other", "a flashpoint from the staff team less often becomes conflict"
    )
    mutual_help_meeting: float = _fidelity(
        "mutual help meeting", "a flashpoint among patients less often becomes conflict"
    )
    calm_down_methods: float = _fidelity(
        "calm down methods", "coping offered first: as-needed medication avoided"
    )
    reassurance: float = _fidelity("reassurance", "fewer patients upset by an incident they saw")
    discharge_messages: float = _fidelity(
        "discharge messages", "self-harm and absconding less likely forms of conflict"
    )
