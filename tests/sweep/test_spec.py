import pytest
from sweep_helpers import SMALL, write_spec

from milieusim.sweep import load_spec
from milieusim.validation import InputError


def test_small_spec_loads(tmp_path):
    spec, base = load_spec(write_spec(tmp_path))
    assert spec.experiment.replications == 2
    assert spec.factors["culture.respect"].levels() == [0.4, 0.8]
    assert base.ward.layout == "home"
    assert base.name == "transitional"


def error_of(tmp_path, text):
    with pytest.raises(InputError) as info:
        load_spec(write_spec(tmp_path, text))
    return str(info.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('design = "full_factorial"', 'design = "fractional"'), "design"),
        (("replications = 2", "replications = 0"), "replications"),
        (('[factors."culture.respect"]', '[factors."culture.respekt"]'), "culture.respect"),
        (("values = [0.2, 0.8]", "values = [0.2, 1.8]"), "1.8"),
        (("range = [0.4, 0.8, 0.4]", "range = [0.8, 0.4, 0.4]"), "start <= stop"),
        (("range = [0.4, 0.8, 0.4]", "min = 0.4"), "both min and max"),
        (('preset = "transitional"', 'preset = "transitionl"'), "transitional"),
        (('layout = "home"', 'layout = "hom"'), "home"),
        (("[base]", "[bsae]"), "base"),
        (('outputs = ["daily", "events", "stays"]', 'outputs = ["daily", "heatmaps"]'), "outputs"),
        (("seed = 11", "seed = 11\nsamples = 4\nnonsense = 1"), "nonsense"),
    ],
)
def test_bad_specs_name_the_field_and_what_is_valid(tmp_path, change, expected):
    old, new = change
    assert old in SMALL
    message = error_of(tmp_path, SMALL.replace(old, new))
    assert "spec.toml" in message
    assert expected in message


def test_design_needs(tmp_path):
    text = SMALL.replace("range = [0.4, 0.8, 0.4]", "min = 0.4\nmax = 0.8")
    assert "full_factorial needs values or range" in error_of(tmp_path, text)
    sobol = text.replace('"full_factorial"', '"sobol"')
    assert "samples" in error_of(tmp_path, sobol)
    assert "power of 2 (e.g. 8)" in error_of(tmp_path, sobol.replace("seed = 11", "seed = 11\nsamples = 6"))
    assert "normal' needs sd" in error_of(
        tmp_path, text.replace("max = 0.8", 'max = 0.8\ndistribution = "normal"')
    )


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(InputError, match="no such experiment file"):
        load_spec(tmp_path / "nope.toml")
    assert "not valid TOML" in error_of(tmp_path, "[experiment\n")


def test_integer_parameters_are_rounded(tmp_path):
    from milieusim.sweep.design import design_table, tasks

    text = SMALL.replace('[factors."culture.respect"]\nrange = [0.4, 0.8, 0.4]', "")
    text = text.replace('design = "full_factorial"', 'design = "latin_hypercube"\nsamples = 5')
    text = text.replace("values = [0.2, 0.8]", "min = 0.2\nmax = 0.8")
    text += '\n[factors."staffing.late_nurses"]\nmin = 1\nmax = 5\n'
    spec, _ = load_spec(write_spec(tmp_path, text))
    nurses = [t.changes["staffing.late_nurses"] for t in tasks(spec, design_table(spec))]
    assert all(isinstance(n, int) and 1 <= n <= 5 for n in nurses)


def test_beds_must_fit_every_layout(tmp_path):
    text = SMALL.replace('layout = "home"', 'layout = "corridor"')
    text += '\n[factors."ward.beds"]\nvalues = [10, 25]\n'
    assert "ward.beds = 25 but layout 'corridor' has 20 beds" in error_of(tmp_path, text)


def test_files_are_found_next_to_the_file_that_names_them(tmp_path, monkeypatch):
    from conftest import TINY

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ward.toml").write_text(TINY)
    (tmp_path / "sub" / "scenario.toml").write_text('[ward]\nlayout = "ward.toml"\n')
    text = SMALL.replace('layout = "home"', 'scenario = "sub/scenario.toml"')
    monkeypatch.chdir(tmp_path / "sub")  # not the spec's folder
    spec, base = load_spec(write_spec(tmp_path, text))
    assert base.ward.layout == str(tmp_path / "sub" / "ward.toml")
    assert spec.base.scenario == str(tmp_path / "sub" / "scenario.toml")
    assert str(tmp_path / "sub" / "ward.toml") in spec.canonical()["input files (sha256)"]
    factor = '\n[factors."ward.layout"]\nvalues = ["sub/ward.toml", "home", "nowhere.toml"]\n'
    message = error_of(tmp_path, SMALL + factor)
    assert f"no layout file {tmp_path / 'nowhere.toml'} and no built-in layout" in message
