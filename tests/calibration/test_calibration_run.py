"""A whole calibration at a small size: recovery of known values, resume after a kill, the outputs."""

import json
import os
import signal
import subprocess
import sys
import time
import tomllib

import numpy as np
import pandas as pd
import pytest
from calibration_helpers import SETUP, TRUTH, write

pytest.importorskip("pyabc")

from milieusim.calibration import load_setup  # noqa: E402
from milieusim.calibration.calibrate import calibrate  # noqa: E402
from milieusim.calibration.posterior import write_results  # noqa: E402
from milieusim.calibration.recovery import recovery_table, synthetic_targets  # noqa: E402
from milieusim.calibration.sampler import read_records  # noqa: E402
from milieusim.cli import main  # noqa: E402
from milieusim.scenario import load_scenario  # noqa: E402


def _toml(data: dict) -> str:
    lines = []
    for name, fields in data["target"].items():
        lines.append(f"[target.{name}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in fields.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """An uninterrupted calibration to targets the model made at TRUTH, and its files."""
    folder = tmp_path_factory.mktemp("calibration")
    setup_file = write(folder, "setup.toml", SETUP)
    setup = load_setup(setup_file)
    targets, data = synthetic_targets(setup, TRUTH, ["staff_contact_share"], runs=4, seed=99)
    targets_file = write(folder, "targets.toml", _toml(data))
    out = folder / "whole"
    res = calibrate(setup, targets, out, workers=0)
    found = write_results(out, setup, targets)
    return {
        "setup": setup,
        "targets": targets,
        "files": (setup_file, targets_file),
        "out": out,
        "res": res,
        **found,
    }


def test_recovers_the_value_that_made_the_targets_and_leaves_the_unseen_one_wide(tiny):
    res = tiny["res"]
    assert res.complete and res.generations == 3
    table = recovery_table(tiny["tables"]["posterior"], TRUTH).set_index("parameter")
    assert table["recovered"].all(), table
    # staff contact share sees needs_focus and barely visits: one identified, the other left wide
    assert table.loc["culture.needs_focus", "sd_ratio"] < 0.5
    assert table.loc["family.visits_per_week", "sd_ratio"] > 0.6
    assert table.loc["culture.needs_focus", "reading"] == "identified"


def test_every_simulation_is_recorded_with_its_seed_values_and_distance(tiny):
    sims = read_records(tiny["out"])
    assert len(sims) >= tiny["res"].simulations  # the last batch may run past the population
    assert sims["seed"].is_unique
    for column in ("p:culture.needs_focus", "p:family.visits_per_week", "s:staff_contact_share", "distance"):
        assert sims[column].notna().all(), column
    gens = tiny["tables"]["generations"]
    assert list(gens["generation"]) == [0, 1, 2]
    assert gens["epsilon"].iloc[1] > gens["epsilon"].iloc[2]  # the threshold shrinks
    manifest = json.loads((tiny["out"] / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["root_seed"] == 7
    assert manifest["recorded"] == len(sims) and manifest["simulations"] == tiny["res"].simulations
    assert manifest["provenance"]["mesa"] and manifest["sessions"][0]["executor"] == "serial"


@pytest.fixture(scope="module")
def small(tiny, tmp_path_factory):
    """A smaller calibration to the same targets, run uninterrupted in this process."""
    folder = tmp_path_factory.mktemp("small")
    text = SETUP.replace("population = 16", "population = 6").replace("generations = 3", "generations = 2")
    setup_file, targets_file = write(folder, "small.toml", text), tiny["files"][1]
    cmd = ["calibrate", str(targets_file), "--params", str(setup_file), "--workers", "0", "--quiet"]
    assert main([*cmd, "--out", str(folder / "whole")]) == 0
    return {
        "cmd": cmd,
        "whole": folder / "whole",
        "setup": load_setup(setup_file),
        "targets": tiny["targets"],
    }


def assert_same_simulations(a_dir, b_dir):
    """The simulations each generation counted are equal (parameters, seeds, values, distances)."""
    a, b = read_records(a_dir), read_records(b_dir)
    columns = [c for c in a if c not in ("candidate", "wall_s", "worker")]
    counted = pd.read_csv(a_dir / "generations.csv")["simulations"]
    for g, n in enumerate(counted):
        pick = [x[x["generation"] == g].set_index("candidate").loc[range(n), columns] for x in (a, b)]
        pd.testing.assert_frame_equal(*pick)
    for name in (
        "posterior.csv",
        "predictive.csv",
        "generations.csv",
        "posterior_sample.csv",
        "calibrated.toml",
    ):
        assert (a_dir / name).read_text() == (b_dir / name).read_text(), name


def test_a_killed_calibration_resumes_to_the_same_result(small, tmp_path):
    """SIGKILL in the middle of the second generation, then --resume: equal to an uninterrupted run."""
    out = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "milieusim.cli", *small["cmd"], "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(list((out / "simulations").glob("g001-*.parquet"))) < 3:
        assert proc.poll() is None and time.monotonic() < deadline, (
            "the calibration ended before it was killed"
        )
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert main([*small["cmd"], "--out", str(out), "--resume"]) == 0
    assert_same_simulations(small["whole"], out)
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert len(sessions) == 2


def test_a_dask_cluster_gives_the_same_calibration(small, tmp_path):
    """Two threads of one in-process Dask worker: proposals drawn under each candidate's own seed."""
    from distributed import LocalCluster

    out = tmp_path / "dask"
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        calibrate(small["setup"], small["targets"], out, scheduler=cluster.scheduler_address)
    write_results(out, small["setup"], small["targets"])
    assert_same_simulations(small["whole"], out)
    assert json.loads((out / "manifest.json").read_text())["sessions"][0]["slots"] == 2


def test_the_calibrated_scenario_is_accepted_by_run_sweep_and_compare(tiny, tmp_path, capsys):
    scenario_file = tiny["out"] / "calibrated.toml"
    sc = load_scenario(scenario_file)
    mean = tiny["tables"]["posterior"].set_index("parameter")["mean"]
    assert sc.culture.needs_focus == pytest.approx(mean["culture.needs_focus"])
    assert sc.ward.beds == 6 and sc.time.step_minutes == 15
    assert tomllib.loads(scenario_file.read_text())["culture"]["needs_focus"] == sc.culture.needs_focus
    assert (
        main(
            [
                "run",
                "--scenario",
                str(scenario_file),
                "--days",
                "1",
                "--out",
                str(tmp_path / "r"),
                "--quiet",
                "--no-figures",
            ]
        )
        == 0
    )
    spec = write(
        tmp_path,
        "spec.toml",
        f"""
        [experiment]
        days = 1
        [base]
        scenario = "{scenario_file}"
        [factors."culture.respect"]
        values = [0.6]
    """,
    )
    assert main(["sweep", str(spec), "--out", str(tmp_path / "s"), "--workers", "0", "--quiet"]) == 0
    assert (
        main(
            [
                "compare",
                "corridor",
                "central_base",
                "--scenario",
                str(scenario_file),
                "--replications",
                "2",
                "--days",
                "1",
                "--workers",
                "0",
                "--out",
                str(tmp_path / "c"),
                "--quiet",
            ]
        )
        == 0
    )
    assert (tmp_path / "c" / "report.html").exists()
    capsys.readouterr()


def test_a_chosen_draw_is_written_instead_of_the_mean(tiny, tmp_path):
    found = write_results(tiny["out"], tiny["setup"], tiny["targets"], draw=3)
    sample = found["tables"]["posterior_sample"]
    assert found["scenario"].culture.needs_focus == sample.loc[3, "culture.needs_focus"]
    assert found["scenario"].name == "tiny_draw3"
    with pytest.raises(ValueError, match="draws 0 to"):
        write_results(tiny["out"], tiny["setup"], tiny["targets"], draw=len(sample))
    write_results(tiny["out"], tiny["setup"], tiny["targets"])  # the mean again, for the other tests
    assert np.isfinite(sample.drop(columns="draw").to_numpy()).all()
