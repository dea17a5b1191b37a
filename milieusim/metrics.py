"""What a run yields (docs/ODD.md §7.17): tidy tables, a summary in the literature's units, spatial counts.

`recording.Recorder` collects during the run; `results` turns what it holds
into pandas tables: `daily` (one row per day), `events` (one row per event),
`stays` (one row per patient stay) and `summary` (scalars per 100 occupied
bed-days and per shift, the units of the published targets), plus per-cell
counts of presence, encounters and incidents for heatmaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from milieusim.outcomes import select
from milieusim.recording import EVENT_COLUMNS, STAY_COLUMNS
from milieusim.rules.conflict import AGGRESSIVE, AT_A_PERSON, CONFLICT_KINDS, DESTRUCTIVE
from milieusim.rules.containment import CONTAINMENT_KINDS
from milieusim.rules.flashpoints import FLASHPOINTS, Origin
from milieusim.rules.schedule import SHIFTS
from milieusim.space.symbols import SOCIAL_ZONES

#: The summary's main values, as `milieusim run` prints them (and notebooks show them); see `outcomes.py`.
SUMMARY_ROWS = select(
    "conflict_per_100_obd",
    "aggressive_per_100_obd",
    "physical_per_100_obd",
    "containment_per_100_obd",
    "conflict_per_shift",
    "containment_per_shift",
    "share_incidents_coerced",
    "share_incidents_unseen",
    "share_patients_with_aggression",
    "days_to_level_2",
    "days_to_level_3",
    "days_to_level_4",
    "mean_length_of_stay_days",
    "encounters_per_patient_day",
    "patient_engaged_share",
    "staff_contact_share",
    "staff_walk_km_per_10h",
    "mean_trust",
    "mean_autonomy",
)


@dataclass
class Results:
    """The tables of one run, and its spatial counts."""

    daily: pd.DataFrame
    events: pd.DataFrame
    stays: pd.DataFrame
    summary: dict
    spatial: dict = field(default_factory=dict)
    time_of_day: np.ndarray | None = None
    step_minutes: float = 5.0  # the run's time step: a presence count is this many minutes


#: Per-cell counts of a run (`Results.spatial`): key, what a map of it shows, and whether a count
#: is a step of presence (shown in hours) rather than an event.
SPATIAL_LAYERS = (
    ("presence_patients", "Where patients spend their time", True),
    ("presence_staff", "Where staff spend their time", True),
    ("encounters", "Where people meet (encounters)", False),
    ("incidents", "Where incidents happen", False),
)
#: The unit of a layer per cell once divided by floor and days (`per_m2_per_day`): (events, presence).
SPATIAL_UNITS = ("per m² of floor per day", "hours per m² of floor per day")


def per_m2_per_day(counts: np.ndarray, cell_size_m: float, days: float, step_minutes: float, hours: bool):
    """Per-cell counts over a run as a rate per m² of floor per day (presence steps as hours)."""
    scale = (step_minutes / 60.0 if hours else 1.0) / (days * cell_size_m**2)
    return np.asarray(counts, dtype=float) * scale


def results(model) -> Results:
    """Tables and summary of a finished run (current patients' stays are closed as 'in_care')."""
    rec = model.recorder
    daily, events, stays = tables(model)
    spatial = {
        "presence_patients": rec.presence["patients"],
        "presence_staff": rec.presence["staff"],
        "encounters": rec.encounters_at,
        "incidents": rec.incidents_at,
    }
    summary = summarise(model, daily, events, stays)
    return Results(daily, events, stays, summary, spatial, rec.time_of_day, model.clock.dt)


def tables(model) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The daily, events and stays tables of a run so far (current patients' stays as 'in_care')."""
    rec = model.recorder
    in_care = [rec.stay_row(p, "in_care") for p in model.flow.patients()]  # not kept: the run may go on
    daily = pd.DataFrame(rec.daily)
    events = pd.DataFrame(rec.events, columns=EVENT_COLUMNS).astype({"seen": bool, "recorded": bool})
    return daily, events, pd.DataFrame(rec.stays + in_care, columns=STAY_COLUMNS)


#: The minutes of the day the nursing shifts start (early, late, night).
SHIFT_STARTS = tuple(start for _, start, _ in SHIFTS)


def per_eventful_shift(events: pd.DataFrame) -> float:
    """Events per shift, over the shifts with at least one: the count part of the Safewards trial's measure.

    A night shift belongs to the day it began on (its hours after midnight to the day before).
    """
    if events.empty:
        return np.nan
    minute, day = events["minute"].to_numpy(), events["day"].to_numpy()
    index = np.searchsorted(SHIFT_STARTS, minute, side="right") - 1  # -1: after midnight, before 07:00
    shift = np.where(index < 0, (day - 1) * 3 + 2, day * 3 + index)
    return float(len(events) / len(np.unique(shift)))


def summarise(model, daily: pd.DataFrame, events: pd.DataFrame, stays: pd.DataFrame) -> dict:
    """Scalars in the literature's units: per 100 occupied bed-days, per shift, days, shares.

    Besides the run's identity (seed, scenario, layout, furniture, days), every key
    is an outcome of the registry (`outcomes.REGISTRY`), which names and bounds it.
    """
    obd = float(daily["census"].sum())
    shifts = len(daily) * 3
    per100 = 100.0 / obd if obd else np.nan
    conflicts = events[events["kind"].isin(CONFLICT_KINDS)]
    seen = conflicts[conflicts["seen"]]
    coerced = seen["outcome"].isin(CONTAINMENT_KINDS).sum()
    recorded = conflicts[conflicts["recorded"]]
    aggressive_recorded = recorded[recorded["kind"].isin(AGGRESSIVE)]
    # aggression in any form (verbal, threats, attacks on people or property), as incident studies count it
    aggression = conflicts[conflicts["kind"].isin(AT_A_PERSON | {"property_damage"})]
    after = aggression["flashpoint"].map({k: f for k, f in FLASHPOINTS.items()})
    admitted = stays[~stays["left_censored"].astype(bool)]
    done = admitted[admitted["reason"] != "in_care"]
    s = {
        "seed": model.seed,
        "scenario": model.params.name,
        "layout": model.layout.name,
        "furniture": model.arrangement.variant,
        "days": int(len(daily)),
        "occupied_bed_days": obd,
        "conflict_per_100_obd": len(conflicts) * per100,
        "conflict_recorded_per_100_obd": len(recorded) * per100,
        "aggressive_per_100_obd": int(conflicts["kind"].isin(AGGRESSIVE).sum()) * per100,
        "aggressive_recorded_per_100_obd": len(aggressive_recorded) * per100,
        "physical_per_100_obd": int((conflicts["kind"] == "physical_aggression").sum()) * per100,
        "physical_recorded_per_100_obd": int((recorded["kind"] == "physical_aggression").sum()) * per100,
        "destructive_per_100_obd": int(conflicts["kind"].isin(DESTRUCTIVE).sum()) * per100,
        "containment_per_100_obd": float(daily["containment"].sum()) * per100,
        "conflict_per_shift": len(conflicts) / shifts if shifts else np.nan,
        "conflict_known_per_shift": len(seen) / shifts if shifts else np.nan,
        "containment_per_shift": float(daily["containment"].sum()) / shifts if shifts else np.nan,
        "conflict_per_eventful_shift": per_eventful_shift(seen),
        "containment_per_eventful_shift": per_eventful_shift(events[events["kind"].isin(CONTAINMENT_KINDS)]),
        "share_incidents_coerced": float(coerced / len(seen)) if len(seen) else np.nan,
        "share_recorded_aggression_coerced": float(
            aggressive_recorded["outcome"].isin(CONTAINMENT_KINDS).mean()
        )
        if len(aggressive_recorded)
        else np.nan,
        "share_incidents_unseen": float((~conflicts["seen"]).mean()) if len(conflicts) else np.nan,
        "share_incidents_recorded": float(conflicts["recorded"].mean()) if len(conflicts) else np.nan,
        "share_patients_with_aggression": float((stays["aggressive_incidents"] > 0).mean())
        if len(stays)
        else np.nan,
        "share_patients_recorded_aggression": float((stays["aggressive_recorded"] > 0).mean())
        if len(stays)
        else np.nan,
        **{
            f"share_conflict_{o}": float((conflicts["origin"] == o).mean()) if len(conflicts) else np.nan
            for o in Origin
        },
        "share_aggression_after_staff_interaction": float(after.map(lambda f: f.staff_patient).mean())
        if len(aggression)
        else np.nan,
        "share_aggression_after_restriction": float(after.map(lambda f: f.restriction).mean())
        if len(aggression)
        else np.nan,
        "share_aggression_at_staff": float((aggression["target"] == "staff").mean())
        if len(aggression)
        else np.nan,
        "share_conflict_from_crowding": float((1.0 - 1.0 / conflicts["crowding"]).mean())
        if len(conflicts)
        else np.nan,
        **containment_answers(events),
        "de_escalated_per_100_obd": float(daily["de_escalated"].sum()) * per100,
        "minutes_unseen": float(daily["minutes_unseen"].mean()),
        "mean_length_of_stay_days": float(done["length_of_stay"].mean()) if len(done) else np.nan,
        "median_length_of_stay_days": float(done["length_of_stay"].median()) if len(done) else np.nan,
        "encounters_per_patient_day": float(daily[[c for c in daily if c.startswith("enc_")]].sum().sum())
        / obd
        if obd
        else np.nan,
        "staff_contact_share": float(daily["staff_contact_share"].mean()),
        "staff_office_share": float(daily["staff_office_share"].mean()),
        "patient_engaged_share": float(daily["patient_engaged_share"].mean()),
        "patient_group_share": float(daily["patient_group_share"].mean()),
        "social_space_hours_per_patient_day": social_space_hours(model) / obd if obd else np.nan,
        "staff_walk_km_per_10h": float(daily["staff_walk_m"].sum() / daily["staff_hours"].sum() * 10 / 1000)
        if daily["staff_hours"].sum()
        else np.nan,
        "mean_trust": float(daily["trust"].mean()),
        "mean_autonomy": float(daily["autonomy"].mean()),
        "mean_meeting_gini": float(daily["meeting_gini"].mean()),
        "attendance": float(daily["attendance"].mean()),
    }
    for k in (2, 3, 4):
        col = f"day_reached_level_{k}"
        reached = admitted[admitted[col].notna()] if len(admitted) else admitted
        s[f"days_to_level_{k}"] = (
            float((reached[col] - reached["admitted_day"]).mean()) if len(reached) else np.nan
        )
    return s


#: The summary keys of containment that answered no incident (`containment_answers`).
CONTAINMENT_WITHOUT_INCIDENT = ("share_containment_prn_for_arousal", "share_containment_observation_kept")


def containment_answers(events: pd.DataFrame) -> dict[str, float]:
    """Shares of containment episodes by what they answered: a conflict from each origin, or no incident.

    Keys ``share_containment_<origin>`` (the origin of the incident answered) and, for episodes
    that answered no incident, ``share_containment_prn_for_arousal`` (as-needed medication offered
    to a very aroused patient) and ``share_containment_observation_kept`` (observation set by
    policy on admission, or counted again at a new shift while it lasts); they sum to 1.
    """
    contained = events[events["kind"].isin(CONTAINMENT_KINDS)]
    keys = [*(f"share_containment_{o}" for o in Origin), *CONTAINMENT_WITHOUT_INCIDENT]
    if contained.empty:
        return dict.fromkeys(keys, np.nan)
    cause = contained["cause"].to_numpy()
    answered = cause >= 0
    origin = np.where(answered, events["origin"].to_numpy()[np.where(answered, cause, 0)], "")
    out = {f"share_containment_{o}": float(np.mean(origin == o)) for o in Origin}
    prn = ~answered & (contained["kind"] == "prn_medication").to_numpy()
    out["share_containment_prn_for_arousal"] = float(prn.mean())
    out["share_containment_observation_kept"] = float((~answered & ~prn).mean())
    return out  # in the order of `keys`


def social_space_hours(model) -> float:
    """Patient-hours spent in the social spaces so far.

    Social spaces are SOCIAL_ZONES (dayroom, dining, therapy, quiet room, garden,
    visitors' room); the hours come from the per-cell presence counts of the days recorded.
    """
    presence = model.recorder.presence["patients"]
    return float(presence[model.layout.mask(*SOCIAL_ZONES)].sum()) * model.clock.dt / 60.0


def save(res: Results, out, scenario=None) -> list:
    """Write the tables (CSV and Parquet), `summary.json`, the scenario and spatial counts into `out`."""
    import json
    from pathlib import Path

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("daily", "events", "stays"):
        table = getattr(res, name)
        table.to_csv(out / f"{name}.csv", index=False)
        table.to_parquet(out / f"{name}.parquet", index=False)
        written += [out / f"{name}.csv", out / f"{name}.parquet"]
    clean = {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in res.summary.items()}
    (out / "summary.json").write_text(json.dumps(clean, indent=2, default=_plain))
    written.append(out / "summary.json")
    if scenario is not None:
        (out / "scenario.json").write_text(scenario.model_dump_json(indent=2))
        written.append(out / "scenario.json")
    np.savez_compressed(out / "spatial.npz", **res.spatial)
    written.append(out / "spatial.npz")
    return written


def _plain(value):
    """Numpy scalars as plain Python numbers for JSON."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
