"""The command line: every command has --help, errors are one clear message, never a traceback."""

import json
import subprocess
import sys

import pytest
from conftest import TINY

from milieusim.cli import main
from milieusim.outcomes import OBD, fmt, outcome

COMMANDS = [
    [],
    ["layout"],
    ["layout", "list"],
    ["layout", "validate"],
    ["layout", "metrics"],
    ["layout", "show"],
]


@pytest.mark.parametrize("cmd", COMMANDS, ids=" ".join)
def test_help(cmd, capsys):
    with pytest.raises(SystemExit) as info:
        main([*cmd, "--help"])
    assert info.value.code == 0
    assert "usage: milieusim" in capsys.readouterr().out


def test_list_names_every_builtin(capsys):
    assert main(["layout", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("corridor", "central_base", "cluster", "day_hospital", "home"):
        assert name in out


def test_validate_good_and_bad(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text(TINY)
    bad = tmp_path / "bad.toml"
    bad.write_text(TINY.replace("#e........s#", "#e....Q...s#").replace("cell_size_m", "cell_sise_m"))
    assert main(["layout", "validate", str(good)]) == 0
    assert "good.toml: ok" in capsys.readouterr().out
    assert main(["layout", "validate", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml: 2 problems" in err
    assert "row 5, col 7 'Q': unknown symbol" in err
    assert "did you mean 'cell_size_m'?" in err


def test_metrics_json(tmp_path, capsys):
    f = tmp_path / "tiny.toml"
    f.write_text(TINY)
    assert main(["layout", "metrics", str(f), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tiny"]["beds"] == 2 and data["tiny"]["walk_bedroom_to_garden_m"] is None


def test_metrics_table_side_by_side(capsys):
    assert main(["layout", "metrics", "corridor", "central_base"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[-2:] == ["corridor", "central_base"]
    assert "bedroom privacy" in out


def test_show_writes_png(tmp_path):
    out = tmp_path / "plan.png"
    assert main(["layout", "show", "corridor", "-o", str(out), "--overlay", "visibility"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_inputs_exit_2_without_traceback(tmp_path):
    cases = [
        ["layout", "metrics", "no_such_ward"],
        ["layout", "show", "corridor", "-o", str(tmp_path / "x.png"), "--variant", "nope"],
        ["layout", "metrics", "corridor", "--variant", "nope"],
    ]
    for args in cases:
        proc = subprocess.run(
            [sys.executable, "-m", "milieusim.cli", *args], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 2, args
        assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """One day's run through the command line: its folder, what it printed, and its results."""
    import contextlib
    import io

    import milieusim.viz.run

    out = tmp_path_factory.mktemp("run") / "run"
    kept, printed = [], io.StringIO()
    real = milieusim.viz.run.save_run_figures

    def keep(res, *args, **kwargs):
        kept.append(res)
        return real(res, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(printed):
        mp.setattr(milieusim.viz.run, "save_run_figures", keep)
        assert main(["run", "--days", "1", "--seed", "3", "--out", str(out), "--quiet"]) == 0
    return out, printed.getvalue(), kept[0]


def test_run_writes_tables_summary_and_figures(ran):
    out, printed, _ = ran
    summary = json.loads((out / "summary.json").read_text())
    lines = {line.split("  ")[1]: line.split() for line in printed.splitlines() if line.startswith("  ")}
    conflict = fmt(summary["conflict_per_100_obd"], outcome("conflict_per_100_obd"))
    assert lines["conflict incidents (all kinds)"][-5:] == [conflict, *OBD.split()]
    unseen = lines["incidents no staff member saw"]
    assert unseen[-3:] == ["%", "of", "incidents"]  # a share, in per cent
    assert float(unseen[-4]) == pytest.approx(100 * summary["share_incidents_unseen"], abs=0.1)
    for name in (
        "daily.csv",
        "daily.parquet",
        "events.csv",
        "stays.parquet",
        "summary.json",
        "scenario.json",
        "run_overview.png",
        "heatmap_presence_patients.png",
        "heatmap_incidents.png",
    ):
        assert (out / name).exists(), name
    assert summary["seed"] == 3 and summary["days"] == 1


def test_run_figures_say_their_units(ran):
    import matplotlib.pyplot as plt

    from milieusim.space.layout_file import cached_layout
    from milieusim.viz.run import heatmap_figure, time_of_day

    _, _, res = ran
    fig, ax = plt.subplots()
    time_of_day(res, ax)
    ax2 = [a for a in fig.axes if a is not ax][0]
    assert ax.get_ylabel() == "incidents per 100 occupied bed-days"
    assert ax2.get_ylabel() == "encounters per patient-day"
    bars = sum(bar.get_height() for bar in ax.patches)
    assert bars == pytest.approx(res.summary["conflict_per_100_obd"])  # the hours add up to the day
    plt.close(fig)
    layout = cached_layout("corridor")
    fig = heatmap_figure(res, layout, "presence_patients", "Where patients spend their time", hours=True)
    ax, bar = fig.axes
    assert "mean of 1 day, seed 3" in ax.get_title()
    assert bar.get_ylabel() == "hours per m² of floor per day"
    assert "5 m" in [t.get_text() for t in ax.texts]  # the scale bar
    drawn = ax.images[-1].get_array()
    hours = res.spatial["presence_patients"].sum() * res.step_minutes / 60  # patient-hours in the day
    assert drawn.sum() * layout.cell_size_m**2 == pytest.approx(hours)
    plt.close(fig)


def test_run_rejects_bad_changes_and_layouts_before_writing(tmp_path):
    for args in (
        ["--set", "culture.respect=2"],
        ["--set", "culture.respekt=0.5"],
        ["--layout", "nowhere"],
        ["--preset", "milleu"],
    ):
        out = tmp_path / "never"
        proc = subprocess.run(
            [sys.executable, "-m", "milieusim.cli", "run", "--days", "1", "--out", str(out), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 2, args
        assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
        assert not out.exists()


def test_levels_and_presets(capsys):
    assert main(["levels", "--preset", "custodial"]) == 0
    out = capsys.readouterr().out
    assert "L3 -> L4" in out and "Demotion" in out
    assert main(["presets"]) == 0
    assert "milieu" in capsys.readouterr().out


def test_layout_copy_writes_an_editable_valid_file(tmp_path, capsys):
    from milieusim.cli import main

    dest = tmp_path / "plans" / "mine.toml"
    assert main(["layout", "copy", "central_base", str(dest)]) == 0
    assert "layout validate" in capsys.readouterr().out
    assert main(["layout", "validate", str(dest)]) == 0
    assert main(["layout", "copy", "central_base", str(dest)]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err
    assert main(["layout", "copy", "centrl_base", str(tmp_path / "x.toml")]) == 2
    assert "central_base" in capsys.readouterr().err
