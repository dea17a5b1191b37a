import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sweep_helpers import SMALL, die_on_run_3, write_spec

from milieusim.sweep import FolderInUse, SweepInterrupted, WorkerLost, load, load_spec, run_sweep
from milieusim.sweep.execute import run_job
from milieusim.sweep.store import done_runs
from milieusim.validation import InputError


def tables(out):
    sweep = load(out)
    runs = sweep.runs.drop(columns=["wall_s", "worker"])
    return runs, sweep.table("daily"), sweep.table("events"), sweep.table("stays")


def assert_same(a, b):
    for x, y in zip(tables(a), tables(b), strict=True):
        pd.testing.assert_frame_equal(x, y)


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serial")
    res = run_sweep(write_spec(folder), folder / "out", workers=0, progress=None)
    assert res.complete and res.done == res.planned == 8 and res.failed == 0
    return folder / "out"


def test_store_holds_the_planned_runs_with_their_seeds(serial):
    sweep = load(serial)
    assert sorted(sweep.runs["run"]) == list(range(8))
    assert (sweep.runs["status"] == "ok").all()
    assert sweep.runs.groupby("replicate")["seed"].nunique().eq(1).all()  # common random numbers
    daily = sweep.table("daily")
    assert len(daily) == 8 * 2 and set(daily["day"]) == {0, 1}
    assert {"culture.power_balance", "culture.respect", "point"} <= set(daily.columns)
    m = sweep.manifest
    assert m["status"] == "complete" and m["planned"] == 8 and m["done"] == 8
    assert {"milieusim", "python", "mesa", "numpy", "git_commit"} <= set(m["provenance"])
    assert len(m["spec_sha256"]) == 64


def test_process_pool_gives_identical_tables(serial, tmp_path):
    run_sweep(write_spec(tmp_path), tmp_path / "out", workers=2, progress=None)
    assert_same(serial, tmp_path / "out")


def test_dask_local_cluster_gives_identical_tables(serial, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run_sweep(write_spec(tmp_path), tmp_path / "out", scheduler=cluster.scheduler_address, progress=None)
    assert_same(serial, tmp_path / "out")


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch):
    import milieusim.runner

    real = milieusim.runner.run

    def flaky(scenario, seed, days):
        if scenario.culture.respect == 0.8 and scenario.culture.power_balance == 0.2:
            raise RuntimeError("a run that breaks")
        return real(scenario, seed=seed, days=days)

    monkeypatch.setattr(milieusim.runner, "run", flaky)
    res = run_sweep(write_spec(tmp_path), tmp_path / "out", workers=0, progress=None)
    assert res.complete and res.done == 8 and res.failed == 2
    runs = load(tmp_path / "out").runs
    failed = runs[runs["status"] == "failed"]
    assert set(failed["point"]) == {1}
    assert failed["error"].str.contains("RuntimeError: a run that breaks").all()
    assert failed["conflict_per_100_obd"].isna().all()
    assert set(done_runs(tmp_path / "out")) == set(range(8))


def test_a_non_empty_folder_is_refused_without_resume(serial, tmp_path):
    with pytest.raises(FolderInUse, match="folder is not empty; resume the sweep in it"):
        run_sweep(write_spec(tmp_path), serial, workers=0, progress=None)


def test_progress_is_reported_after_every_run_and_a_stop_is_an_error(tmp_path, monkeypatch):
    reports = []
    res = run_sweep(write_spec(tmp_path), tmp_path / "out", workers=0, progress=reports.append)
    assert [p.done for p in reports] == list(range(1, 9)) and [p.ran_now for p in reports] == list(
        range(1, 9)
    )
    assert {p.run["status"] for p in reports} == {"ok"} and sorted(p.run["run"] for p in reports) == list(
        range(8)
    )
    assert (res.done, res.planned, res.ran_now, res.complete) == (8, 8, 8, True)

    def stopped(running, jobs, on_done, on_stop, on_idle):  # as Ctrl-C does after the first run
        on_done(run_job(next(iter(jobs))))
        on_stop(0)
        return False

    monkeypatch.setattr("milieusim.sweep.sweep.run_all", stopped)
    reports.clear()
    with pytest.raises(SweepInterrupted) as info:
        run_sweep(write_spec(tmp_path), tmp_path / "again", workers=0, progress=reports.append)
    assert (info.value.outcome.done, info.value.outcome.planned) == (1, 8)
    assert [(p.done, p.stopping) for p in reports] == [(1, None), (1, 0)]
    assert json.loads((tmp_path / "again" / "manifest.json").read_text())["status"] == "interrupted"


def test_resuming_with_a_changed_spec_is_refused_saying_what_changed(serial, tmp_path):
    changed = write_spec(tmp_path, SMALL.replace("days = 2", "days = 3").replace("[0.2, 0.8]", "[0.2, 0.9]"))
    with pytest.raises(InputError) as info:
        run_sweep(changed, serial, workers=0, resume=True, progress=None)
    text = str(info.value)
    assert "experiment.days: was 2, now 3" in text
    assert "factors.culture.power_balance.values: was [0.2, 0.8], now [0.2, 0.9]" in text


def test_resuming_a_finished_sweep_runs_nothing(serial, tmp_path):
    res = run_sweep(write_spec(tmp_path), serial, workers=0, resume=True, progress=None)
    assert res.complete and res.ran_now == 0 and res.done == 8


KILL_SPEC = SMALL.replace("replications = 2", "replications = 6").replace("days = 2", "days = 3")


def test_sigkill_mid_sweep_then_resume_loses_nothing_and_repeats_nothing(tmp_path):
    spec = write_spec(tmp_path, KILL_SPEC)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "milieusim.cli", "sweep", str(spec), "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(done_runs(out)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, mid-run
    proc.wait()
    before = done_runs(out)
    assert 3 <= len(before) < 24, "the kill should land mid-sweep"
    kept = {r: (out / "runs" / f"run-{r:06d}.parquet").stat().st_mtime_ns for r in before}

    res = run_sweep(spec, out, workers=2, resume=True, progress=None)
    assert res.complete and res.done == 24 and res.ran_now == 24 - len(before)
    assert kept == {r: (out / "runs" / f"run-{r:06d}.parquet").stat().st_mtime_ns for r in before}
    assert not list(out.rglob("*.tmp"))
    runs, daily, events, stays = tables(out)
    assert sorted(runs["run"]) == list(range(24))
    assert daily.groupby("run").size().eq(3).all() and daily["run"].nunique() == 24
    assert not daily.duplicated(["run", "day"]).any()

    fresh = tmp_path / "fresh"
    run_sweep(spec, fresh, workers=0, progress=None)
    assert_same(fresh, out)
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert len(sessions) == 2


def test_ctrl_c_stops_cleanly_and_the_sweep_resumes(tmp_path):
    spec = write_spec(tmp_path, KILL_SPEC)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "milieusim.cli", "sweep", str(spec), "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while len(done_runs(out)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends Ctrl-C to the whole group
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "--resume" in stdout and "Traceback" not in stderr
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    res = run_sweep(spec, out, workers=0, resume=True, progress=None)
    assert res.complete and sorted(load(out).runs["run"]) == list(range(24))


def test_spec_file_runs_from_the_cli_and_analyze_prints_cis(tmp_path):
    from milieusim.cli import main

    spec = write_spec(tmp_path)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--workers", "0", "--quiet"]) == 0
    assert main(["analyze", str(tmp_path / "o"), "--out", str(tmp_path / "fig")]) == 0
    assert (tmp_path / "fig" / "points.csv").exists()
    assert {p.name for p in (tmp_path / "fig").glob("*.png")} == {
        "main_effects.png",
        "heatmap.png",
        "levels.png",
    }
    assert main(["analyze", str(tmp_path)]) == 2
    assert main(["sweep", str(tmp_path / "missing.toml")]) == 2
    np.testing.assert_equal(load_spec(spec)[0].experiment.days, 2)


def test_reordering_factors_is_a_change(serial, tmp_path):
    swapped = SMALL.replace('[factors."culture.power_balance"]\nvalues = [0.2, 0.8]\n\n', "") + (
        '\n[factors."culture.power_balance"]\nvalues = [0.2, 0.8]\n'
    )
    with pytest.raises(InputError, match="order changed"):
        run_sweep(write_spec(tmp_path, swapped), serial, workers=0, resume=True, progress=None)
    assert load(serial).factors == ["culture.power_balance", "culture.respect"]


def test_a_preset_factor_runs_each_preset_with_the_base_changes_on_top(tmp_path):
    from milieusim import load_scenario, run

    text = SMALL.replace('[factors."culture.respect"]\nrange = [0.4, 0.8, 0.4]\n', "")
    text = text.replace(
        '[factors."culture.power_balance"]\nvalues = [0.2, 0.8]',
        '[factors.preset]\nvalues = ["custodial", "milieu"]',
    )
    text = text.replace('layout = "home"', 'layout = "home"\nset = { "family.visits_per_week" = 5.0 }')
    text = text.replace("replications = 2", "replications = 1")
    res = run_sweep(write_spec(tmp_path, text), tmp_path / "out", workers=0, progress=None)
    assert res.complete
    runs = load(tmp_path / "out").runs.set_index("preset")
    for preset in ("custodial", "milieu"):
        sc = load_scenario(preset=preset, changes=["ward.layout=home", "family.visits_per_week=5.0"])
        expected = run(sc, seed=int(runs.loc[preset, "seed"]), days=2).summary
        assert runs.loc[preset, "scenario"] == preset
        assert runs.loc[preset, "mean_trust"] == expected["mean_trust"]
    with pytest.raises(InputError, match="custodal"):
        load_spec(write_spec(tmp_path, text.replace('"custodial"', '"custodal"'), "bad.toml"))


def test_the_executor_has_the_workers_asked_for():
    from milieusim.sweep.execute import SerialExecutor, executor

    with executor(workers=1) as running:
        assert running.slots == 1 and running.pool._max_workers == 1 and running.workers() == 1
    with executor(workers=0) as running:
        assert isinstance(running.pool, SerialExecutor) and running.slots == 1
    with executor() as running:
        assert running.slots == (os.cpu_count() or 1)


def test_workers_start_warm_from_a_forkserver_that_loaded_the_model():
    from milieusim.sweep.execute import executor

    loaded = "[m in __import__('sys').modules for m in ('milieusim.sweep.warm', 'milieusim.model', 'numba')]"
    with executor(workers=1) as running:
        # a fresh worker, before any run: the forkserver it was forked from imported and warmed them
        assert running.pool.submit(eval, loaded).result(timeout=120) == [True, True, True]


def test_a_worker_that_dies_stops_the_sweep_with_a_message_and_it_resumes(tmp_path, monkeypatch):
    import milieusim.sweep.execute as execute

    spec = write_spec(tmp_path)
    out = tmp_path / "out"

    real_run_all = execute.run_all

    def run_all_dying(running, jobs, on_done, on_stop, on_idle):
        class Dying:
            def submit(self, fn, job):
                return running.pool.submit(die_on_run_3, job)

        return real_run_all(replace(running, pool=Dying()), jobs, on_done, on_stop, on_idle)

    monkeypatch.setattr("milieusim.sweep.sweep.run_all", run_all_dying)
    with pytest.raises(WorkerLost, match="a worker process died .* the finished runs are kept"):
        run_sweep(spec, out, workers=1, progress=None)
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    monkeypatch.undo()
    res = run_sweep(spec, out, workers=0, resume=True, progress=None)
    assert res.complete and sorted(load(out).runs["run"]) == list(range(8))


def test_an_unreachable_scheduler_is_a_clear_error_and_writes_nothing(tmp_path, monkeypatch, capsys):
    from milieusim.cli import main

    monkeypatch.setattr("milieusim.sweep.execute.CONNECT_TIMEOUT_S", 2.0)
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--scheduler", "tcp://127.0.0.1:9", "--quiet"]) == 2
    assert "tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not out.exists()


def test_an_edited_layout_file_is_a_changed_spec(tmp_path):
    from conftest import TINY

    (tmp_path / "ward.toml").write_text(TINY)
    text = SMALL.replace('layout = "home"', 'layout = "ward.toml"').replace("days = 2", "days = 1")
    spec = write_spec(tmp_path, text)
    run_sweep(spec, tmp_path / "out", workers=0, progress=None)
    sessions = json.loads((tmp_path / "out" / "manifest.json").read_text())["sessions"]
    assert sessions[0]["provenance"]["milieusim"]
    (tmp_path / "ward.toml").write_text(TINY.replace("two bedrooms", "two small bedrooms"))
    with pytest.raises(InputError, match=r"input files \(sha256\)"):
        run_sweep(spec, tmp_path / "out", workers=0, resume=True, progress=None)
