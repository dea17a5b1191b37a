"""Calibration files: priors from the parameter ranges, checked; bad input from the command line."""

import pytest
from calibration_helpers import SETUP, write

from milieusim.calibration import load_setup, setup_from_dict
from milieusim.cli import main
from milieusim.validation import InputError


def problem(data) -> str:
    with pytest.raises(InputError) as exc:
        setup_from_dict(data, "cal.toml")
    return str(exc.value)


def test_priors_default_to_the_parameter_range_in_params():
    setup = setup_from_dict({"parameters": {"conflict.symptom_rate": {}, "culture.respect": {"min": 0.2}}})
    rate, respect = setup.parameters
    assert (rate.low, rate.high, rate.distribution) == (0, 50, "uniform")
    assert (respect.low, respect.high) == (0.2, 1.0)
    assert respect.frozen().std() == pytest.approx(0.8 / 12**0.5)
    assert setup.settings.days == 120 and setup.scenario.time.days == 28  # runs are told their length


def test_other_prior_shapes_stay_within_their_bounds():
    setup = setup_from_dict(
        {
            "parameters": {
                "culture.respect": {"distribution": "normal", "mean": 0.6, "sd": 0.1},
                "conflict.symptom_rate": {"min": 0.5, "max": 8, "distribution": "loguniform"},
                "culture.consistency": {"distribution": "triangular", "mode": 0.6},
            }
        }
    )
    for p in setup.parameters:
        dist = p.frozen()
        assert dist.cdf(p.low) == pytest.approx(0) and dist.cdf(p.high) == pytest.approx(1)


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        (
            {"culture.respect": {"max": 1.5}},
            "prior [0, 1.5] lies outside the range of culture.respect, [0, 1]",
        ),
        ({"culture.respekt": {}}, "unknown parameter; did you mean 'culture.respect'?"),
        ({"staffing.day_nurses": {}}, "not a continuous parameter (int)"),
        ({"culture.respect": {"min": 0.8, "max": 0.2}}, "min 0.8 is not below max 0.2"),
        ({"culture.respect": {"distribution": "normal"}}, "needs sd"),
        ({"culture.respect": {"mni": 0.1}}, "unknown key 'mni'; did you mean 'min'?"),
    ],
)
def test_bad_priors_name_the_parameter(parameters, expected):
    text = problem({"parameters": parameters})
    assert text.startswith("cal.toml: [parameters.") and expected in text


def test_no_parameters_or_a_bad_setting_is_an_error():
    assert "no parameters to fit" in problem({})
    assert "[calibration] population" in problem(
        {"calibration": {"population": 0}, "parameters": {"culture.respect": {}}}
    )


def test_cli_bad_input_is_one_line_and_exit_2_with_nothing_written(tmp_path, capsys):
    pytest.importorskip("pyabc")
    setup = write(tmp_path, "cal.toml", SETUP)
    good = 'quantity = "q"\nsource = "Someone (2020)"\nvalue = 0.5\n'
    cases = {
        "unknown outcome": (
            '[target.x]\nsummary = "staff_contact"\nse = 0.1\n' + good,
            setup,
            "t.toml: [target.x] summary: unknown outcome 'staff_contact'; did you mean",
        ),
        "band low > high": (
            '[target.x]\nsummary = "staff_contact_share"\nband = [0.6, 0.4]\n' + good,
            setup,
            "t.toml: [target.x] band: low 0.6 is not below high 0.4",
        ),
        "empty targets": ("", setup, "t.toml: [target]: no targets"),
        "prior outside range": (
            '[target.x]\nsummary = "staff_contact_share"\nse = 0.1\n' + good,
            write(tmp_path, "bad.toml", SETUP.replace("max = 0.9", "max = 1.9")),
            'bad.toml: [parameters."culture.needs_focus"]: prior [0.1, 1.9] lies outside',
        ),
    }
    for name, (targets, params, expected) in cases.items():
        t = write(tmp_path, "t.toml", targets)
        out = tmp_path / "out"
        assert (
            main(["calibrate", str(t), "--params", str(params), "--out", str(out), "--workers", "0"]) == 2
        ), name
        err = capsys.readouterr().err
        assert err.startswith("error: ") and expected in err and err.count("\n") == 1, (name, err)
        assert not out.exists(), name


def test_a_setup_file_reads_its_base_relative_to_itself(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "s.toml", 'preset = "milieu"\n[culture]\nrespect = 0.7\n')
    setup = load_setup(
        write(tmp_path, "cal.toml", SETUP.replace("[base]", '[base]\nscenario = "sub/s.toml"'))
    )
    assert setup.scenario.culture.respect == 0.7 and setup.scenario.ward.beds == 6
    assert "input files (sha256)" in setup.canonical()


def test_the_shipped_calibration_file_names_parameters_the_model_has():
    from pathlib import Path

    setup = load_setup(Path(__file__).resolve().parents[2] / "experiments" / "calibration" / "baseline.toml")
    assert {p.key for p in setup.parameters} >= {"conflict.conversion_odds", "conflict.symptom_rate"}
