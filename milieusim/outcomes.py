"""The outcomes of a run: the one registry of their names, labels, units, bounds and display.

Every table, printout and figure that shows an outcome reads it here: the
summary `milieusim run` prints, sweep analyses and their figures, the layout
comparison and its report, and the teaching notebooks. An outcome's key is its
column in `metrics.summarise` (and in a sweep's runs table).

Bounds are what the value can be (a rate is at least 0, a share lies in
[0, 1]); intervals respect them (`stats.mean_ci`). Shares are stored as 0-1
and shown in per cent (`Outcome.scale`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Kind = Literal["rate", "share", "score", "days", "amount"]

OBD = "per 100 occupied bed-days"
#: Where conflict comes from (rules/flashpoints.Origin): value, words, short label.
ORIGIN_WORDS = (
    ("staff_team", "the staff team (limits, refusals, demands, medication)", "staff team %"),
    ("patient_community", "other patients (bullying, an incident nearby)", "patients %"),
    ("patient_characteristics", "the patient's symptoms", "symptoms %"),
    ("regulatory_framework", "detention (the regulatory framework)", "detention %"),
    ("outside_hospital", "outside the hospital (bad news)", "outside %"),
    ("physical_environment", "the physical environment", "environment %"),
)


@dataclass(frozen=True)
class Outcome:
    """One outcome of a run.

    Attributes:
        key: its column in the summary (and in a sweep's runs table).
        label: what it is, in plain words (lower case; `title` capitalises it).
        short: a few characters for a narrow table's column header.
        unit: the unit it is shown in (shares: per cent of what).
        kind: ``rate`` (events per exposure), ``share`` (0-1, shown in per cent),
            ``score`` (a 0-1 scale that is not a share), ``days`` or ``amount``.
        bounds: the lowest and highest value it can take (None: no bound).
        missing: why a run may have no value (e.g. no one reached level 3).
    """

    key: str
    label: str
    short: str
    unit: str
    kind: Kind
    bounds: tuple[float | None, float | None] = (0.0, None)
    missing: str = "too few values"

    @property
    def scale(self) -> float:
        """What a stored value is multiplied by to show it in `unit` (100 for shares)."""
        return 100.0 if self.kind == "share" else 1.0

    @property
    def title(self) -> str:
        """The label with a capital first letter, as a heading."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def difference_unit(self) -> str:
        """The unit of a difference of two values (shares: percentage points)."""
        return "percentage points" if self.kind == "share" else self.unit


def _rate(key: str, label: str, short: str, unit: str = OBD) -> Outcome:
    return Outcome(key, label, short, unit, "rate")


def _share(key: str, label: str, short: str, of: str, missing: str = "too few values") -> Outcome:
    return Outcome(key, label, short, f"% of {of}", "share", (0.0, 1.0), missing)


def _days_to(level: int) -> Outcome:
    return Outcome(
        f"days_to_level_{level}",
        f"time from admission to level {level}",
        f"days to L{level}",
        "days",
        "days",
        missing=f"no one admitted reached level {level}",
    )


#: Every outcome of `metrics.summarise`, in the order the summary lists them.
REGISTRY: dict[str, Outcome] = {
    o.key: o
    for o in (
        _rate("conflict_per_100_obd", "conflict incidents (all kinds)", "conflict/100obd"),
        _rate("conflict_recorded_per_100_obd", "conflict incidents recorded on a form", "recorded/100obd"),
        _rate("aggressive_per_100_obd", "aggressive incidents", "aggressive/100obd"),
        _rate(
            "aggressive_recorded_per_100_obd", "aggressive incidents recorded on a form", "aggr. rec./100obd"
        ),
        _rate("physical_per_100_obd", "physical attacks", "physical/100obd"),
        _rate("physical_recorded_per_100_obd", "physical attacks recorded on a form", "phys. rec./100obd"),
        _rate("destructive_per_100_obd", "destructive incidents", "destructive/100obd"),
        _rate("containment_per_100_obd", "containment episodes", "containment/100obd"),
        _rate("conflict_per_shift", "conflict incidents", "conflict/shift", "per shift"),
        _rate("conflict_known_per_shift", "conflict incidents staff knew of", "known/shift", "per shift"),
        _rate("containment_per_shift", "containment episodes", "containment/shift", "per shift"),
        _rate(
            "conflict_per_eventful_shift",
            "conflict incidents staff knew of, on shifts with any",
            "known/eventful shift",
            "per shift with any",
        ),
        _rate(
            "containment_per_eventful_shift",
            "containment episodes, on shifts with any",
            "containment/eventful shift",
            "per shift with any",
        ),
        _share(
            "share_incidents_coerced",
            "seen incidents ending in containment",
            "coerced %",
            "seen incidents",
            "no incident was seen",
        ),
        _share(
            "share_recorded_aggression_coerced",
            "recorded aggressive incidents ending in containment",
            "aggr. coerced %",
            "recorded aggressive incidents",
            "no aggressive incident was recorded",
        ),
        _share(
            "share_incidents_unseen", "incidents no staff member saw", "unseen %", "incidents", "no incident"
        ),
        _share(
            "share_incidents_recorded",
            "incidents recorded on a form",
            "recorded %",
            "incidents",
            "no incident",
        ),
        _share(
            "share_patients_with_aggression",
            "patients with an aggressive incident",
            "aggressors %",
            "patients",
        ),
        _share(
            "share_patients_recorded_aggression",
            "patients with a recorded aggressive incident",
            "rec. aggressors %",
            "patients",
        ),
        *(
            _share(f"share_conflict_{o}", f"conflict from {words}", short, "incidents", "no incident")
            for o, words, short in ORIGIN_WORDS
        ),
        _share(
            "share_aggression_after_staff_interaction",
            "aggression that followed an interaction with staff",
            "after staff %",
            "aggressive incidents",
            "no aggression",
        ),
        _share(
            "share_aggression_after_restriction",
            "aggression that followed a restriction or a refused request",
            "after refusal %",
            "aggressive incidents",
            "no aggression",
        ),
        _share(
            "share_aggression_at_staff",
            "aggression aimed at staff",
            "at staff %",
            "aggressive incidents",
            "no aggression",
        ),
        _share(
            "share_conflict_from_crowding",
            "conflict attributable to crowding",
            "crowding %",
            "incidents",
            "no incident",
        ),
        *(
            _share(
                f"share_containment_{o}",
                f"containment answering conflict from {words}",
                f"contained: {short}",
                "containment episodes",
                "no containment",
            )
            for o, words, short in ORIGIN_WORDS
        ),
        _share(
            "share_containment_prn_for_arousal",
            "containment answering no incident: as-needed medication for arousal",
            "contained: arousal %",
            "containment episodes",
            "no containment",
        ),
        _share(
            "share_containment_observation_kept",
            "containment answering no incident: observation on admission or kept on at a new shift",
            "contained: obs. kept %",
            "containment episodes",
            "no containment",
        ),
        _rate("de_escalated_per_100_obd", "warning signs answered before conflict", "de-escalated/100obd"),
        Outcome(
            "minutes_unseen",
            "time since staff last saw a patient, mean",
            "unseen min",
            "minutes",
            "amount",
        ),
        _days_to(2),
        _days_to(3),
        _days_to(4),
        Outcome(
            "mean_length_of_stay_days",
            "length of stay (completed stays), mean",
            "stay (days)",
            "days",
            "days",
            missing="no stay ended",
        ),
        Outcome(
            "median_length_of_stay_days",
            "length of stay (completed stays), median",
            "median stay",
            "days",
            "days",
            missing="no stay ended",
        ),
        _rate(
            "encounters_per_patient_day", "encounters between people", "encounters/pt-day", "per patient-day"
        ),
        _share("patient_engaged_share", "patient time socially engaged", "engaged %", "patient time"),
        _share("patient_group_share", "patient time in groups", "in groups %", "patient time"),
        _share(
            "staff_contact_share", "staff time with patients (07:00-23:00)", "staff contact %", "staff time"
        ),
        _share(
            "staff_office_share", "staff time in the office (07:00-23:00)", "staff office %", "staff time"
        ),
        Outcome(
            "social_space_hours_per_patient_day",
            "time patients spend in social spaces",
            "social h/pt-day",
            "hours per patient-day",
            "amount",
        ),
        Outcome(
            "staff_walk_km_per_10h", "staff walking distance", "walk km/10h", "km per 10-hour shift", "amount"
        ),
        Outcome("mean_trust", "mean trust in staff", "trust", "on a 0-1 scale", "score", (0.0, 1.0)),
        Outcome("mean_autonomy", "mean autonomy", "autonomy", "on a 0-1 scale", "score", (0.0, 1.0)),
        Outcome(
            "mean_meeting_gini",
            "inequality of voice in the meeting (Gini)",
            "meeting Gini",
            "on a 0-1 scale",
            "score",
            (0.0, 1.0),
            "no meeting was held",
        ),
        _share("attendance", "expected sessions attended", "attended %", "sessions"),
        Outcome("occupied_bed_days", "occupied bed-days", "OBD", "bed-days", "amount"),
    )
}


def outcome(key: str) -> Outcome:
    """The registered outcome `key`.

    Raises:
        KeyError: `key` is not an outcome, naming the nearest.
    """
    try:
        return REGISTRY[key]
    except KeyError:
        from milieusim.validation import nearest

        raise KeyError(f"{key!r} is not an outcome; {nearest(key, REGISTRY)}") from None


def select(*keys: str) -> tuple[Outcome, ...]:
    """The outcomes `keys`, in that order (a consumer's choice of what to show)."""
    return tuple(outcome(k) for k in keys)


def label(key: str) -> str:
    """The label of outcome `key`, or `key` itself for a measure that is not registered."""
    return REGISTRY[key].label if key in REGISTRY else key


def describe(key: str, sep: str = " ") -> str:
    """Label and unit of outcome `key`, e.g. ``incidents no staff member saw (% of incidents)``.

    `sep` goes between them (a line break for a figure's title); a measure the registry
    does not know is described by its name.
    """
    o = REGISTRY.get(key)
    return key if o is None else f"{o.label}{sep}({o.unit})"


def scale(key: str) -> float:
    """What a stored value of `key` is multiplied by to show it in its unit (1 for unknown measures)."""
    return REGISTRY[key].scale if key in REGISTRY else 1.0


def bounds(key: str) -> tuple[float | None, float | None]:
    """The bounds of outcome `key`; (None, None) for a measure that is not registered."""
    return REGISTRY[key].bounds if key in REGISTRY else (None, None)


def difference_bounds(key: str) -> tuple[float | None, float | None]:
    """The bounds of a difference of two values of `key`: [low - high, high - low]."""
    lo, hi = bounds(key)
    if lo is None or hi is None:
        return (None, None)
    return (lo - hi, hi - lo)


def fmt(value: float, o: Outcome, scale: float | None = None, signed: bool = False) -> str:
    """A value as shown to people: in `o.unit` (shares in per cent), with decimals to suit `scale`.

    `scale` is the size of the values shown beside it (default: this value), so a
    row of numbers keeps one number of decimals. Missing values show as ``-``;
    minus signs are typographic.
    """
    if value is None or not math.isfinite(value):
        return "-"
    if value == 0:
        return "0"
    value = value * o.scale
    size = abs(value if scale is None else scale * o.scale)
    digits = 0 if size >= 100 else 1 if size >= 10 else 2 if size >= 1 else 3
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    if float(text) == 0:  # no "-0" or "+0.0" for a value that rounds to nothing
        text = text.lstrip("+-")
    return text.replace("-", "\u2212")
