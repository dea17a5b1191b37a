"""Sweeps under faults, with real processes: a second session on a running sweep, the sweep's
main process killed, an address that is not a Dask scheduler, a Dask worker that dies."""

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cli_helpers import refused
from sweep_helpers import SMALL, write_spec

from milieusim.sweep import load
from milieusim.sweep.store import done_runs

CLI = [sys.executable, "-m", "milieusim.cli"]
LONG = SMALL.replace("replications = 2", "replications = 6").replace("days = 2", "days = 3")  # 24 runs


def start_sweep(spec, out, *args):
    """The sweep command in its own session (process group), as a shell starts it."""
    return subprocess.Popen(
        [*CLI, "sweep", str(spec), "--out", str(out), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(condition, seconds=120.0, what="condition"):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def kill_group(proc):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def session_processes(sid: int) -> dict[int, str]:
    """Live processes of session `sid` (Linux /proc): pid and command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":  # session id; zombies have ended
            found[int(entry.name)] = cmd
    return found


def test_a_second_session_on_a_running_sweep_is_refused_and_a_killed_one_leaves_no_lock(tmp_path):
    spec, out = write_spec(tmp_path, LONG), tmp_path / "out"
    first = start_sweep(spec, out, "--workers", "1")
    try:
        wait_for(lambda: len(done_runs(out)) >= 1, what="the first session's first run")
        os.killpg(first.pid, signal.SIGSTOP)  # paused, it holds the lock however slow the checks below are
        for extra in (["--resume"], []):
            second = subprocess.run(
                [*CLI, "sweep", str(spec), "--out", str(out), "--workers", "0", *extra],
                capture_output=True,
                text=True,
                timeout=120,
            )
            line = refused(second, str(out), "another sweep is writing to this folder", alone=False)
            assert f"process {first.pid} on " in line
        os.kill(first.pid, signal.SIGKILL)  # the lock is the kernel's: it dies with its process
        first.wait()
        os.killpg(first.pid, signal.SIGCONT)  # its worker goes on, and finds its parent gone
    finally:
        kill_group(first)
    wait_for(lambda: not session_processes(first.pid), 30, "the killed sweep's workers to stop")
    before = len(done_runs(out))
    resumed = subprocess.run(
        [*CLI, "sweep", str(spec), "--out", str(out), "--workers", "1", "--resume", "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"24/24 runs done (0 failed), {24 - before} in this session" in resumed.stdout
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert len(sessions) == 2 and sessions[1]["runs"] == 24 - before and "ended" in sessions[1]
    assert (out / "sweep.lock").read_text() == ""  # released: no holder named


def test_workers_stop_when_the_sweeps_main_process_is_killed(tmp_path):
    spec, out = write_spec(tmp_path, LONG), tmp_path / "out"
    proc = start_sweep(spec, out, "--workers", "2")
    try:
        wait_for(lambda: len(done_runs(out)) >= 2, what="two finished runs")
        others = {p: c for p, c in session_processes(proc.pid).items() if p != proc.pid}
        workers = {int(w.rsplit(":", 1)[1]) for w in load(out).runs["worker"]}
        assert workers <= set(others) and len(others) >= 3, others  # 2 workers, forkserver, tracker
        os.kill(proc.pid, signal.SIGKILL)  # the main process only, as `kill -9 PID` does
        proc.wait()
        start = time.monotonic()
        wait_for(lambda: not session_processes(proc.pid), 10, f"{others} to exit")
        stopped_after = time.monotonic() - start
    finally:
        kill_group(proc)
    assert stopped_after < 10
    assert "the sweep's main process is gone; stopping" in proc.stderr.read()
    assert len(done_runs(out)) < 24


class _Http(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<html>dashboard</html>")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_address():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Http)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_http_server_is_not_a_scheduler(tmp_path, http_address):
    from milieusim.sweep.execute import CONNECT_TIMEOUT_S

    spec, out = write_spec(tmp_path), tmp_path / "out"
    start = time.monotonic()
    result = subprocess.run(
        [*CLI, "sweep", str(spec), "--out", str(out), "--scheduler", http_address, "--quiet"],
        capture_output=True,
        text=True,
        timeout=CONNECT_TIMEOUT_S + 60,
    )
    took = time.monotonic() - start
    refused(result, http_address, "no Dask scheduler answered within 20 s", alone=False)
    assert took < CONNECT_TIMEOUT_S + 15  # the connection timeout, plus starting Python
    assert not out.exists()


@pytest.fixture
def dask_cluster(tmp_path):
    """A Dask scheduler on loopback only, and a way to start its workers (on loopback too)."""
    dask = str(Path(sys.executable).parent / "dask")
    info = tmp_path / "scheduler.json"
    procs = []

    def start(*args):
        proc = subprocess.Popen(
            [dask, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        procs.append(proc)
        return proc

    loopback = ["--host", "127.0.0.1", "--no-dashboard", "--dashboard-address", "127.0.0.1:0"]  # its HTTP too
    start("scheduler", *loopback, "--port", "0", "--scheduler-file", str(info))
    wait_for(lambda: info.exists() and info.stat().st_size > 0, 60, "the scheduler")
    address = json.loads(info.read_text())["address"]

    def worker():
        return start("worker", address, *loopback, "--nthreads", "1", "--no-nanny")

    try:
        yield address, worker
    finally:
        for proc in reversed(procs):
            kill_group(proc)


def _worker_address(scheduler: str) -> str:
    from distributed import Client

    with Client(scheduler, timeout="20s") as client:
        client.wait_for_workers(1, timeout=60)
        return next(iter(client.nthreads()))


def test_a_dask_worker_address_is_not_the_scheduler(tmp_path, dask_cluster):
    scheduler, start_worker = dask_cluster
    start_worker()
    worker = _worker_address(scheduler)
    spec, out = write_spec(tmp_path), tmp_path / "out"
    result = subprocess.run(
        [*CLI, "sweep", str(spec), "--out", str(out), "--scheduler", worker, "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    refused(result, worker, "this is a Dask Worker, not the scheduler", f"({scheduler})", alone=False)
    assert not out.exists()


def test_when_every_dask_worker_dies_the_sweep_says_so_and_goes_on_when_one_joins(tmp_path, dask_cluster):
    scheduler, start_worker = dask_cluster
    first = start_worker()
    _worker_address(scheduler)
    spec, out = write_spec(tmp_path, LONG), tmp_path / "out"
    proc = start_sweep(spec, out, "--scheduler", scheduler)
    try:
        wait_for(lambda: len(done_runs(out)) >= 2, what="two finished runs")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
        reader.start()
        wait_for(lambda: any("no worker is available" in line for line in lines), 60, "the message")
        message = next(line for line in lines if "no worker is available" in line)
        found = re.search(rf"no worker is available at {scheduler}: (\d+) run\(s\) waiting", message)
        waiting = int(found[1])  # a run its worker wrote but could not report is run again
        assert 24 - len(done_runs(out)) <= waiting < 24, message
        start_worker()
        assert proc.wait(timeout=600) == 0
        reader.join(10)
    finally:
        kill_group(proc)
    assert any("worker(s) available again" in line for line in lines)
    assert sorted(load(out).runs["run"]) == list(range(24))
