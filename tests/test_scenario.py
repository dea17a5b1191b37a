"""Scenario files, presets and --set changes: merged in order, and every mistake named clearly."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milieusim import InputError
from milieusim.params import Scenario
from milieusim.scenario import load_scenario, parameter_keys, parse_changes, preset_names


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_defaults_and_presets_are_valid():
    assert Scenario().culture.respect == 0.6
    assert set(preset_names()) >= {"custodial", "transitional", "milieu"}
    custodial, milieu = load_scenario(preset="custodial"), load_scenario(preset="milieu")
    assert custodial.ward.furniture_style == "sociofugal" and milieu.ward.furniture_style == "sociopetal"
    assert custodial.culture.power_balance < milieu.culture.power_balance
    assert custodial.name == "custodial"


def test_a_furniture_style_uses_the_layouts_variant_of_that_name_when_it_has_one():
    from milieusim import Arrangement, load_layout

    corridor, home = load_layout("corridor"), load_layout("home")
    assert Arrangement(corridor, None, "sociofugal").variant == "sociofugal"
    assert Arrangement(home, None, "sociofugal").variant == home.default_furniture
    assert Arrangement(corridor, "sociopetal", "sociofugal").variant == "sociopetal"  # a variant wins
    with pytest.raises(ValueError, match="variants: standard"):
        Arrangement(home, "sociofugal")


def test_file_preset_and_set_apply_in_order(tmp_path):
    path = write(tmp_path, 'preset = "milieu"\n[culture]\nrespect = 0.5\n[time]\ndays = 10\n')
    sc = load_scenario(path, changes=["culture.respect=0.7", "ward.layout=cluster"])
    assert sc.culture.respect == 0.7  # --set beats the file
    assert sc.culture.autonomy_support == 0.8  # from the preset
    assert sc.time.days == 10 and sc.ward.layout == "cluster"


def test_unknown_keys_name_the_nearest(tmp_path):
    path = write(tmp_path, "[culture]\nrespekt = 0.5\n[famly]\nvisits_per_week = 1\n")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    text = str(info.value)
    assert "'respekt'; did you mean 'respect'?" in text
    assert "'famly'; did you mean 'family'?" in text


def test_out_of_range_names_field_value_and_range(tmp_path):
    path = write(tmp_path, "[culture]\nrespect = 1.5\n")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    (p,) = info.value.problems
    assert p.where == "[culture] respect" and "1.5" in p.message and "[0, 1]" in p.message


def test_set_errors():
    with pytest.raises(InputError, match="did you mean 'culture.respect'"):
        load_scenario(changes=["culture.respekt=0.5"])
    with pytest.raises(InputError, match="is not key=value"):
        load_scenario(changes=["culture.respect"])
    with pytest.raises(InputError) as info:
        load_scenario(changes=["staffing.day_nurses=-1"])
    assert "[staffing] day_nurses" in str(info.value) and "[0, 30]" in str(info.value)


def test_set_values_are_toml_or_bare_words():
    assert parse_changes(
        ["culture.respect=0.8", "programme.community_meeting=false", "ward.layout=cluster", "time.days=3"]
    ) == {
        "culture.respect": 0.8,
        "programme.community_meeting": False,
        "ward.layout": "cluster",
        "time.days": 3,
    }


def test_time_step_must_divide_the_hour():
    with pytest.raises(InputError, match="does not divide 60"):
        load_scenario(changes=["time.step_minutes=7"])
    with pytest.raises(InputError, match="not on a step of 15 min"):
        load_scenario(changes=["time.step_minutes=15", "levels.review_time='10:05'"])


def test_level_rules_can_be_replaced_from_a_file(tmp_path):
    path = write(
        tmp_path,
        """
[[levels.rules]]
from_level = 1
min_days = 1
criteria = [{measure = "orientation", op = ">=", value = 0.5, window_days = 1}]
""",
    )
    sc = load_scenario(path)
    assert len(sc.levels.rules) == 1 and sc.levels.rules[0].criteria[0].measure == "orientation"
    bad = write(
        tmp_path,
        '[[levels.rules]]\nfrom_level = 1\ncriteria = [{measure = "mood", op = ">=", value = 1}]\n',
        "bad.toml",
    )
    with pytest.raises(InputError, match="levels"):
        load_scenario(bad)


def test_a_scenario_file_finds_its_layout_file_next_to_itself(tmp_path, monkeypatch):
    from conftest import TINY

    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "my_ward.toml").write_text(TINY)
    path = write(folder, '[ward]\nlayout = "my_ward.toml"\n')
    monkeypatch.chdir(tmp_path)  # not the scenario's folder
    assert load_scenario(path).ward.layout == str(folder / "my_ward.toml")
    assert load_scenario(path, changes=["ward.layout=cluster"]).ward.layout == "cluster"
    with pytest.raises(InputError) as info:
        load_scenario(write(folder, '[ward]\nlayout = "their_ward.toml"\n', "other.toml"))
    assert f"other.toml: [ward] layout: no layout file {folder / 'their_ward.toml'} and no built-in" in str(
        info.value
    )


def test_unknown_preset_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="did you mean 'milieu'"):
        load_scenario(preset="milleu")
    with pytest.raises(InputError, match="no such scenario file"):
        load_scenario(tmp_path / "none.toml")


def test_every_parameter_key_can_be_set():
    keys = parameter_keys()
    assert "culture.respect" in keys and "conflict.hazard_per_hour" in keys and "name" in keys


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(parameter_keys()), st.text(max_size=12))
def test_fuzz_set_values_raise_only_input_errors(key, value):
    with contextlib.suppress(InputError):
        load_scenario(changes=[f"{key}={value}"])


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet='[]=."\nabcdefghijklmnopqrstuvwxyz_0123456789-', max_size=120))
def test_fuzz_scenario_files_raise_only_input_errors(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "s.toml"
    path.write_text(text)
    with contextlib.suppress(InputError):
        load_scenario(path)
