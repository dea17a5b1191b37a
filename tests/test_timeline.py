"""A scenario's timeline: changes at the start of a day of the run, validated up front."""

import pandas as pd
import pytest

from milieusim.metrics import results
from milieusim.model import MilieuModel
from milieusim.params import Scenario
from milieusim.scenario import load_scenario
from milieusim.validation import InputError

SAFEWARDS_AT_DAY_3 = """
name = "safewards_later"

[[timeline]]
day = 3
set = ["safewards.talk_down=1.0", "culture.respect=0.9"]
"""


def test_a_timeline_changes_the_parameters_at_the_start_of_its_day(tmp_path):
    path = tmp_path / "later.toml"
    path.write_text(SAFEWARDS_AT_DAY_3)
    sc = load_scenario(path)
    assert sc.at_day(2) == sc
    assert sc.at_day(3).safewards.talk_down == 1.0 and sc.at_day(3).culture.respect == 0.9
    m = MilieuModel(sc, rng=5)
    seen = {}
    for _ in range(5 * m.clock.steps_per_day):
        m.step()
        seen[m.clock.day] = (m.params.safewards.talk_down, m.params.culture.respect)
    assert seen[2] == (0.0, sc.culture.respect) and seen[3] == (1.0, 0.9) and seen[4] == (1.0, 0.9)


def test_before_its_day_a_timeline_changes_nothing():
    plain = Scenario()
    later = Scenario.model_validate({"timeline": [{"day": 3, "set": ["culture.respect=0.95"]}]})
    a = MilieuModel(plain, rng=9).run(3)
    b = MilieuModel(later, rng=9).run(3)
    for name in ("daily", "events"):
        pd.testing.assert_frame_equal(getattr(results(a), name), getattr(results(b), name))
    b.run(3)
    a.run(3)
    assert not results(a).events.equals(results(b).events)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('day = 2\nset = ["ward.beds=10"]', "ward.beds is set when a run starts and cannot change part-way"),
        (
            'day = 2\nset = ["culture.respct=0.5"]',
            "unknown parameter 'culture.respct'; did you mean 'culture.respect'",
        ),
        ('day = 2\nset = ["culture.respect=5"]', "less than or equal to 1"),
        ('day = 0\nset = ["culture.respect=0.5"]', "greater than or equal to 1"),
        ('day = 2\nset = ["culture.respect"]', "is not key=value"),
    ],
)
def test_a_bad_timeline_entry_is_a_clear_error_naming_the_file(tmp_path, entry, message):
    path = tmp_path / "bad.toml"
    path.write_text(f"[[timeline]]\n{entry}\n")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_timeline_days_must_rise(tmp_path):
    path = tmp_path / "order.toml"
    path.write_text(
        '[[timeline]]\nday = 5\nset = ["culture.respect=0.5"]\n'
        '[[timeline]]\nday = 3\nset = ["culture.respect=0.7"]\n'
    )
    with pytest.raises(InputError, match="timeline days must rise"):
        load_scenario(path)


def test_the_live_ward_changes_culture_through_the_same_check():
    m = MilieuModel(rng=1)
    m.change({"culture.respect": 0.2})
    assert m.params.culture.respect == 0.2
    with pytest.raises(ValueError, match="ward.layout is set when a run starts"):
        m.change({"ward.layout": "home"})
