"""Targets files: the built-in baseline, every kind of target, the met rule, and bad input."""

import numpy as np
import pandas as pd
import pytest

from milieusim.metrics import Results
from milieusim.targets import load_targets, outcome_problems, targets_from_dict, verdict
from milieusim.validation import InputError

BASE = {"quantity": "q", "source": "Someone et al. (2020)"}


def one(**fields):
    return targets_from_dict({"target": {"x": BASE | fields}}, "t.toml")[0]


def problem(data) -> str:
    with pytest.raises(InputError) as exc:
        targets_from_dict(data, "t.toml")
    return str(exc.value)


def test_the_builtin_baseline_holds_every_published_target_with_its_source():
    targets = load_targets("baseline")
    assert len(targets) == 12
    assert all(t.source and t.quantity for t in targets)
    by = {t.name: t for t in targets}
    assert (by["aggressive"].low[0], by["aggressive"].value[0], by["aggressive"].high[0]) == (1.4, 1.8, 2.2)
    assert by["aggressive"].scale[0] == pytest.approx(0.4)
    # the one the model does not represent (walking within a step) is reported, not fitted, and says why
    unfitted = {t.name for t in targets if t.weight == 0}
    assert unfitted == {"staff_walking"}
    assert all(by[n].note for n in unfitted)


def test_a_standard_error_stands_for_a_95_percent_band():
    t = one(summary="mean_trust", value=0.5, se=0.1)
    assert t.low[0] == pytest.approx(0.5 - 0.196, abs=1e-4) and t.high[0] == pytest.approx(0.696, abs=1e-4)
    assert t.z(0.7)[0] == pytest.approx(2.0)


def test_met_means_the_whole_interval_lies_in_the_band():
    assert verdict(1.5, 2.0, 1.4, 2.2) == "meets"
    assert verdict(1.18, 2.87, 1.4, 2.2) == "unclear"  # the mean is in the band, the interval is not
    assert verdict(0.5, 1.0, 1.4, 2.2) == "below"
    assert verdict(2.3, 2.5, 1.4, 2.2) == "above"
    assert verdict(np.nan, np.nan, 1.4, 2.2) == "unclear"


def fake_results():
    daily = pd.DataFrame({"day": [0, 1, 2], "trust": [0.2, 0.4, 0.6], "level_1": [5, 4, 3]})
    stays = pd.DataFrame({"length_of_stay": [10.0, 20.0, 60.0]})
    tod = np.zeros((24, 3))
    tod[10, 0], tod[14, 0] = 3, 1
    return Results(
        daily, pd.DataFrame(), stays, {"mean_trust": 0.4, "seed": 1, "days_to_level_4": None}, {}, tod
    )


def test_each_kind_of_target_measures_a_run():
    res = fake_results()
    assert one(summary="mean_trust", value=0.5, se=0.1).measure(res) == 0.4
    assert np.isnan(one(summary="days_to_level_4", value=5, se=1).measure(res))
    assert one(table="daily", column="trust", stat="last", value=0.5, se=0.1).measure(res) == 0.6
    assert one(table="stays", column="length_of_stay", stat="median", value=20, se=2).measure(res) == 20
    by_day = one(table="daily", column="level_1", stat="by_day", value=[5, 4, 3, 2], se=0.5)
    np.testing.assert_array_equal(by_day.measure(res), [5, 4, 3, np.nan])
    hours = one(table="time_of_day", column="incidents", value=[1 / 24] * 24, se=0.02)
    profile = hours.measure(res)
    assert profile[10] == 0.75 and profile.sum() == pytest.approx(1.0)


def test_names_are_checked_against_the_outcomes_and_a_run_with_the_nearest_valid_name():
    assert "[target.x] summary: unknown outcome 'mean_trusts'; did you mean 'mean_trust'?" in problem(
        {"target": {"x": BASE | {"summary": "mean_trusts", "value": 0.5, "se": 0.1}}}
    )
    targets = [one(table="daily", column="trst", value=1, se=1)]
    found = [p.format("t.toml") for p in outcome_problems(targets, fake_results())]
    assert found == ["t.toml: [target.x] column: no column 'trst' in daily; did you mean 'trust'?"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"summary": "mean_trust", "value": 2.0, "band": [2.2, 1.4]},
            "[target.x] band: low 2.2 is not below high 1.4",
        ),
        (
            {"summary": "mean_trust", "value": 3.0, "band": [1.4, 2.2]},
            "[target.x] value: 3.0 lies outside its band",
        ),
        ({"summary": "mean_trust", "value": 1.0, "se": 0}, "[target.x] se: 0 is invalid"),
        ({"summary": "mean_trust", "value": 1.0}, "[target.x] band: give either band"),
        ({"value": 1.0, "se": 1}, "[target.x] summary: give either summary"),
        ({"table": "daly", "column": "c", "value": 1.0, "se": 1}, "did you mean 'daily'?"),
        ({"table": "daily", "column": "c", "stat": "by_hour", "value": 1.0, "se": 1}, "[target.x] stat:"),
        (
            {"summary": "mean_trust", "value": 1.0, "se": 1, "wieght": 2},
            "unknown key 'wieght'; did you mean 'weight'?",
        ),
        ({"summary": "mean_trust", "value": 1.0, "se": 1, "weight": -1}, "[target.x] weight: -1 is invalid"),
        (
            {"table": "time_of_day", "column": "incidents", "value": [1.0] * 23, "se": 1},
            "a list of 24 numbers",
        ),
    ],
)
def test_bad_targets_name_the_target_and_field(fields, expected):
    assert expected in problem({"target": {"x": BASE | fields}})


def test_an_empty_file_or_no_fitted_target_is_an_error():
    assert "no targets" in problem({})
    assert "every weight is 0" in problem(
        {"target": {"x": BASE | {"summary": "mean_trust", "value": 1, "se": 1, "weight": 0}}}
    )
    assert "[target.x] source: required" in problem(
        {"target": {"x": {"quantity": "q", "summary": "mean_trust", "value": 1, "se": 1}}}
    )


def test_a_missing_file_names_the_builtin_targets(tmp_path):
    with pytest.raises(InputError, match="no such targets file; built-in targets: baseline"):
        load_targets(tmp_path / "nope.toml")
