"""Teaching tables and figures: the same run as `run`, patient rows that add up to the daily table."""

import math
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import make_layout

from milieusim.kinds import PATIENT
from milieusim.model import MilieuModel
from milieusim.paired import group_means, run_differences
from milieusim.params_tables import DEFAULT_LEVEL_RULES
from milieusim.rules.interaction import ENCOUNTER_RATE_PER_HOUR
from milieusim.rules.levels import DayRecord
from milieusim.runner import run
from milieusim.scenario import load_scenario
from milieusim.space import load_layout, parse_layout
from milieusim.teaching import (
    PATIENT_DAY_COLUMNS,
    difference_table,
    follow,
    replicate,
    seated_conversations,
    waiting_on,
)
from milieusim.viz.teaching import compare_bars, journey, ward_now


@pytest.fixture(scope="module")
def followed():
    return follow(load_scenario(preset="milieu"), seed=5, days=6)


def test_follow_is_the_same_run_as_run(followed):
    plain = run(load_scenario(preset="milieu"), seed=5, days=6)
    for name in ("daily", "events", "stays"):
        pd.testing.assert_frame_equal(getattr(followed.results, name), getattr(plain, name))
    assert followed.results.summary == plain.summary


def test_patient_days_add_up_to_the_daily_table(followed):
    pdays, daily = followed.patient_days, followed.results.daily
    assert list(pdays.columns) == PATIENT_DAY_COLUMNS
    assert sorted(pdays["day"].unique()) == list(daily["day"])
    per_day = pdays.groupby("day")
    assert (per_day.size().to_numpy() == daily["census"].to_numpy()).all()
    for k in (1, 2, 3, 4):
        counted = per_day["level"].apply(lambda s, k=k: int((s == k).sum())).to_numpy()
        assert (counted == daily[f"level_{k}"].to_numpy()).all()
    assert pdays["incidents"].sum() == daily["conflict"].sum()
    # a patient's last row is the model's patient as the run ends
    for p in followed.model.flow.patients():
        last = pdays[pdays["patient"] == p.unique_id].iloc[-1]
        assert (last["level"], last["trust"]) == (p.level, pytest.approx(p.trust))


def _patient(level, days_at_level, days, **record):
    return SimpleNamespace(level=level, days_at_level=days_at_level, log=[DayRecord(**record)] * days)


def test_waiting_on_names_what_the_next_review_would_miss():
    rules = DEFAULT_LEVEL_RULES
    assert waiting_on(_patient(4, 10, 10), rules) == "top level"
    assert waiting_on(_patient(1, 1, 5, orientation=1, hygiene=1), rules) == "days at level"
    assert waiting_on(_patient(1, 2, 2, orientation=1, hygiene=1), rules) == "days recorded"
    assert waiting_on(_patient(1, 3, 3, orientation=1, hygiene=1), rules) == ""
    assert waiting_on(_patient(1, 3, 3, orientation=0.2, hygiene=0.1), rules) == "orientation, hygiene"
    calm = {"groups": 1, "autonomy": 0.5}
    assert waiting_on(_patient(2, 3, 3, **calm), rules) == ""
    assert (
        waiting_on(_patient(2, 3, 3, **calm, incidents=1), rules) == ""
    )  # a minor incident does not hold back
    assert waiting_on(_patient(2, 3, 3, **calm, incidents=1, destructive=1), rules) == "destructive incidents"


def test_replicate_pairs_every_scenario_with_every_seed():
    scenarios = {"custodial": load_scenario(preset="custodial"), "milieu": load_scenario(preset="milieu")}
    table = replicate(scenarios, [1, 2], days=1, extra=lambda res: {"rows": len(res.daily)})
    assert list(zip(table["scenario"], table["seed"], strict=True)) == [
        ("custodial", 1),
        ("custodial", 2),
        ("milieu", 1),
        ("milieu", 2),
    ]
    assert table.iloc[3]["mean_trust"] == run(scenarios["milieu"], 2, 1).summary["mean_trust"]
    assert (table["rows"] == 1).all()


def test_paired_differences_subtract_the_reference_run_of_the_same_seed():
    table = pd.DataFrame(
        {
            "scenario": ["ref", "ref", "a", "a", "b"],
            "seed": [1, 2, 2, 1, 1],
            "x": [10.0, 20.0, 25.0, 11.0, 7.0],
        }
    )
    diff = run_differences(table, "scenario", "ref", ["x"])
    assert diff.to_dict("list") == {"scenario": ["a", "a", "b"], "seed": [2, 1, 1], "x": [5.0, 1.0, -3.0]}
    shown = difference_table(table, "ref", ["x"], labels={"x": "the x"})
    half = 12.706204736174705 * math.sqrt(8) / math.sqrt(2)  # t(0.975, 1) x sd of (5, 1) / sqrt(2)
    assert shown.to_dict("list") == {
        "scenario": ["a", "b"],
        "measure": ["the x", "the x"],
        "difference": [3.0, -3.0],
        "unit": ["", ""],
        "95% interval": [f"[{3 - half:.3g}, {3 + half:.3g}]", "-"],  # one pair: no interval
    }


def test_a_difference_table_shows_outcomes_in_their_units():
    table = pd.DataFrame(
        {
            "scenario": ["ref"] * 3 + ["a"] * 3,
            "seed": [1, 2, 3] * 2,
            "share_incidents_unseen": [0.5, 0.4, 0.6, 0.3, 0.3, 0.45],
        }
    )
    (row,) = difference_table(table, "ref", ["share_incidents_unseen"]).to_dict("records")
    assert row["measure"] == "incidents no staff member saw" and row["unit"] == "percentage points"
    assert row["difference"] == pytest.approx(-15.0)


def test_group_means_are_t_intervals_within_the_outcome_bounds():
    table = pd.DataFrame({"scenario": ["a", "a", "a", "b", "b"], "x": [1.0, 2.0, 3.0, 5.0, np.nan]})
    ci = group_means(table, "scenario", ["x"]).set_index("scenario")
    half = 4.302652729911275 / math.sqrt(3)  # t(0.975, 2) x sd 1 / sqrt(3)
    assert ci.loc["a", "mean"] == 2.0
    assert ci.loc["a", "ci_low"] == pytest.approx(2.0 - half)
    assert ci.loc["a", "ci_high"] == pytest.approx(2.0 + half)
    assert (ci.loc["b", "mean"], ci.loc["b", "n"]) == (5.0, 1) and np.isnan(ci.loc["b", "ci_low"])
    rates = pd.DataFrame({"scenario": ["a"] * 3, "conflict_per_100_obd": [0.0, 0.0, 3.0]})
    (row,) = group_means(rates, "scenario", ["conflict_per_100_obd"]).to_dict("records")
    assert 0 < row["ci_low"] < row["mean"] == 1.0 < row["ci_high"]  # a t-interval would go below 0


CORNER_PAIR = make_layout(
    """
    #########
    #ddddddd#
    #ddddddd#
    #ddddddd#
    ##+######
    #e.....s#
    #########
    """,
    """
    #########
    #..v....#
    #.>T....#
    #......<#
    ##+######
    #.......#
    #########
    """,
)


def test_seated_conversations_is_the_rate_times_the_seat_weights():
    layout = parse_layout(CORNER_PAIR, source="corner.toml")
    # two chairs round the corner of a table (weight 1); a third far off facing a wall (weight 0)
    assert seated_conversations(layout, people=2, draws=3000, seed=1) == pytest.approx(
        ENCOUNTER_RATE_PER_HOUR * 1 / 3, rel=0.05
    )
    assert seated_conversations(layout, people=3, draws=10) == pytest.approx(ENCOUNTER_RATE_PER_HOUR)
    with pytest.raises(ValueError, match="3 seats"):
        seated_conversations(layout, people=4)


def test_chairs_round_tables_double_seated_conversation_in_the_corridor_dayroom():
    corridor = load_layout("corridor")
    rows = seated_conversations(corridor, "sociofugal", people=6, draws=500)
    groups = seated_conversations(corridor, "sociopetal", people=6, draws=500)
    assert groups > 1.8 * rows > 0


def test_ward_now_draws_everyone_present():
    m = MilieuModel(rng=2)
    for _ in range(m.clock.steps_per_day // 2):
        m.step()
    fig, ax = plt.subplots()
    ward_now(ax, m)
    drawn = sum(
        len(c.get_offsets()) for c in ax.collections if c.get_label().startswith(("patient", "staff", "rel"))
    )
    assert drawn == int(m.roster.present.sum())
    patients = sum(len(c.get_offsets()) for c in ax.collections if c.get_label().startswith("patient"))
    assert patients == int((m.roster.present & (m.roster.role == PATIENT)).sum())
    assert ax.get_title() == "corridor: day 0, 11:55 (work)"  # the 144th step starts at 11:55
    plt.close(fig)


def test_journey_and_bars(followed):
    fig, axes = plt.subplots(1, 2)
    pid = int(followed.patient_days["patient"].iloc[0])
    journey(axes[0], followed.patient_days, followed.results.events, pid)
    assert str(pid) in axes[0].get_title()
    with pytest.raises(ValueError, match="no recorded days"):
        journey(axes[0], followed.patient_days, followed.results.events, -5)
    ci = pd.DataFrame(
        {
            "scenario": ["a", "b"],
            "outcome": ["mean_trust"] * 2,
            "mean": [0.5, 0.7],
            "ci_low": [0.4, 0.6],
            "ci_high": [0.6, 0.8],
        }
    )
    runs = pd.DataFrame({"scenario": ["a", "a", "b"], "mean_trust": [0.45, 0.55, 0.7]})
    compare_bars(axes[1:], ci, ["mean_trust"], runs=runs)
    assert [p.get_height() for p in axes[1].patches] == [0.5, 0.7]
    dots = [line for line in axes[1].lines if line.get_marker() == "o"]
    assert [list(d.get_ydata()) for d in dots] == [[0.45, 0.55], [0.7]]
    assert axes[1].get_title() == "mean trust in staff\n(on a 0-1 scale)"
    plt.close(fig)
