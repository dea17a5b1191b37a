"""The outcome registry: every summary value has one entry, and is shown in its unit."""

import math

import pytest

from milieusim import outcomes
from milieusim.compare import OUTCOMES as COMPARED
from milieusim.metrics import SUMMARY_ROWS
from milieusim.outcomes import REGISTRY, describe, fmt, outcome
from milieusim.runner import run
from milieusim.sweep.analysis import OUTCOMES as ANALYSED

IDENTITY = {"seed", "scenario", "layout", "furniture", "days"}


@pytest.fixture(scope="module")
def summary():
    return run(seed=4, days=2).summary


def test_every_summary_value_is_a_registered_outcome_and_nothing_else(summary):
    assert set(summary) - IDENTITY == set(REGISTRY)


def test_every_value_lies_within_its_bounds(summary):
    for key, o in REGISTRY.items():
        value = summary[key]
        if math.isnan(value):
            continue
        lo, hi = o.bounds
        assert (lo is None or value >= lo) and (hi is None or value <= hi), key


def test_consumers_choose_from_the_registry():
    for chosen in (SUMMARY_ROWS, COMPARED, ANALYSED):
        assert all(REGISTRY[o.key] is o for o in chosen)
    labels = [o.label for o in REGISTRY.values()]
    shorts = [o.short for o in REGISTRY.values()]
    assert len(set(shorts)) == len(shorts)  # column headers tell outcomes apart
    assert len(set(zip(labels, (o.unit for o in REGISTRY.values()), strict=True))) == len(labels)


def test_shares_show_in_per_cent_and_rates_as_they_are():
    unseen, conflict = outcome("share_incidents_unseen"), outcome("conflict_per_100_obd")
    assert (unseen.scale, unseen.bounds, unseen.difference_unit) == (100.0, (0.0, 1.0), "percentage points")
    assert (
        fmt(0.456, unseen) == "45.6" and fmt(12.345, conflict) == "12.3" and fmt(0.1234, conflict) == "0.123"
    )
    assert (
        fmt(-0.5, conflict, signed=True) == "\u22120.500" and fmt(0.0001, conflict, 10, signed=True) == "0.0"
    )
    assert fmt(float("nan"), conflict) == "-" and fmt(0.0, conflict) == "0"
    assert describe("share_incidents_unseen") == "incidents no staff member saw (% of incidents)"
    assert describe("my_measure") == "my_measure"  # not registered: its own name
    assert outcomes.label("my_measure") == "my_measure" and outcomes.bounds("my_measure") == (None, None)
    assert outcomes.difference_bounds("mean_trust") == (-1.0, 1.0)
    assert outcomes.difference_bounds("conflict_per_100_obd") == (None, None)
    with pytest.raises(KeyError, match="did you mean 'mean_trust'"):
        outcome("mean_trst")
