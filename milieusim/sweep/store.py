"""The results folder of a sweep: tidy Parquet tables, a manifest, safe to kill at any moment.

Layout of ``DIR``::

    manifest.json          provenance: versions, git commit, spec and its hash, times, counts
    sweep.lock             the lock a running sweep holds (an OS lock: it ends with its process)
    spec.json              the canonical spec (what a resumed sweep compares)
    design.parquet         one row per design point: factor values and unit coordinates
    runs/run-000042.parquet      one row per finished run (ok or failed): written last, it marks the run done
    daily/run-000042.parquet     one row per run and day
    events/, stays/              when the spec keeps them
    spatial/run-000042.npz       per-cell counts, when kept

Each file is written to a temporary name and renamed into place, and a run's
`runs` row is renamed last: a run is done exactly when its `runs` file
exists. A sweep killed at any moment (SIGKILL included) leaves at most
temporary files and tables of runs without a `runs` row; `prepare` clears
both before resuming, so no run is lost, none is counted twice, none is
half-written. One sweep at a time writes to a folder: `locked` holds an OS
file lock for the whole session, which the kernel releases when the process
ends, however it ends, so a killed sweep never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from milieusim.sweep.errors import FolderInUse, FolderLocked
from milieusim.validation import InputError, Problem

TABLES = ("runs", "daily", "events", "stays")
TMP = ".tmp"
LOCK = "sweep.lock"


def part(out: Path, table: str, run: int) -> Path:
    """The file of one run's rows of `table`."""
    suffix = "npz" if table == "spatial" else "parquet"
    return out / table / f"run-{run:06d}.{suffix}"


def write_atomic(path: Path, write) -> None:
    """Call `write(tmp_path)`, then rename the temporary file into `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}{TMP}")
    write(tmp)
    os.replace(tmp, path)


def write_table(out: Path, table: str, run: int, frame: pd.DataFrame) -> None:
    """One run's rows of a table, with a leading `run` column."""
    frame = frame.copy()
    frame.insert(0, "run", run)
    write_atomic(part(out, table, run), lambda tmp: frame.to_parquet(tmp, index=False))


def write_spatial(out: Path, run: int, arrays: dict) -> None:
    """One run's per-cell counts."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    write_atomic(part(out, "spatial", run), write)


def done_runs(out: Path) -> set[int]:
    """Runs whose `runs` row exists (finished, ok or failed)."""
    folder = out / "runs"
    if not folder.is_dir():
        return set()
    return {int(p.name[4:10]) for p in folder.glob("run-*.parquet")}


def count_failed(out: Path) -> int:
    """Finished runs whose status is not ok (reads one column of each run's row)."""
    files = (out / "runs").glob("run-*.parquet")
    return sum(pd.read_parquet(f, columns=["status"])["status"].iloc[0] != "ok" for f in files)


@contextlib.contextmanager
def opened(out: Path, canonical: dict, resume: bool) -> Iterator[set[int]]:
    """`out` locked for this session and made ready for the spec (`prepare`); yields the runs done.

    Raises:
        FolderLocked: another sweep is writing to the folder.
        FolderInUse: a fresh sweep's folder holds files.
        InputError: there is no sweep to resume, or the spec changed since it started.
    """
    if resume and not (out / "spec.json").exists():  # checked before the lock creates the folder
        raise _nothing_to_resume(out, "sweep")
    with locked(out):
        yield prepare(out, canonical, resume)


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the lock of results folder `out` (created if new) until the block ends.

    The lock is the operating system's (``flock``) on ``out/sweep.lock``: it is released
    when this process ends, even by SIGKILL, so it never goes stale. The file names the
    holder, for the message another session gets.

    Raises:
        FolderLocked: another process holds the lock (a sweep still writing to `out`).
    """
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK, "a+", encoding="utf-8") as fh:
        if not _try_lock(fh):
            fh.seek(0)
            try:
                holder = fh.read().strip() or "another process"
            except OSError:  # Windows forbids reading a locked byte
                holder = "another process"
            raise FolderLocked(out, holder)
        fh.seek(0)
        fh.truncate()
        fh.write(f"process {os.getpid()} on {socket.gethostname()}, since {now()}\n")
        fh.flush()
        try:
            yield
        finally:
            fh.truncate(0)  # the lock itself ends with the file's closing (or the process)


def _try_lock(fh) -> bool:
    """Take an exclusive lock on open file `fh` without waiting; False when another process holds it."""
    fh.seek(0)
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def prepare(
    out: Path, canonical: dict, resume: bool, what: str = "sweep", inputs: str = "the spec"
) -> set[int]:
    """Make `out` ready for the spec; return the runs already done.

    A fresh sweep needs an empty or new folder (its lock file aside). A resumed
    sweep needs the same spec; temporary files and tables of unfinished runs are
    removed. `what` and `inputs` name the kind of work and its input files in the
    messages (a calibration keeps its folder the same way).

    Raises:
        FolderInUse: a fresh sweep's folder holds files.
        InputError: there is no sweep to resume, or the spec changed since it started.
    """
    spec_file = out / "spec.json"
    if not resume:
        if out.exists() and any(p.name != LOCK for p in out.iterdir()):
            raise FolderInUse(
                str(out), [Problem(f"folder is not empty; resume the {what} in it, or choose another folder")]
            )
        out.mkdir(parents=True, exist_ok=True)
        spec_file.write_text(json.dumps(canonical, indent=2))  # factor order matters: kept
        return set()
    if not spec_file.exists():
        raise _nothing_to_resume(out, what)
    before = json.loads(spec_file.read_text())
    changes = spec_changes(before, canonical)
    if changes:
        raise InputError(
            str(out),
            [
                Problem(
                    f"{inputs} changed since the {what} started; resume with the same "
                    f"{inputs.removeprefix('the ')}, or run it elsewhere"
                )
            ]
            + [Problem(c) for c in changes],
        )
    done = done_runs(out)
    for f in out.glob(f"*{TMP}"):
        f.unlink()
    for folder in out.iterdir():
        if not folder.is_dir():
            continue
        for f in folder.iterdir():
            unfinished = folder.name != "runs" and f.name.startswith("run-") and int(f.name[4:10]) not in done
            if f.name.endswith(TMP) or unfinished:
                f.unlink()
    return done


def _nothing_to_resume(out: Path, what: str) -> InputError:
    return InputError(
        str(out), [Problem(f"no {what} to resume here (spec.json is missing); start it afresh instead")]
    )


def spec_changes(before, after, path: str = "") -> list[str]:
    """What differs between two canonical specs, one line per changed field."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        if set(before) == set(after) and list(before) != list(after):
            out.append(f"{path or 'spec'}: order changed from {list(before)} to {list(after)}")
        for key in sorted(set(before) | set(after), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in after:
                out.append(f"{where}: removed (was {before[key]!r})")
            elif key not in before:
                out.append(f"{where}: added ({after[key]!r})")
            else:
                out += spec_changes(before[key], after[key], where)
        return out
    return [] if before == after else [f"{path}: was {before!r}, now {after!r}"]


def provenance() -> dict:
    """Versions of milieusim, Python, Mesa, numpy, pandas, and the git commit when there is one."""
    import mesa

    import milieusim

    return {
        "milieusim": milieusim.__version__,
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "mesa": mesa.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "platform": platform.platform(),
        "argv": sys.argv,
    }


def _git_commit() -> str | None:
    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+changes" if dirty else "")


def now() -> str:
    """The current UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_manifest(out: Path, manifest: dict) -> None:
    """The manifest, replaced atomically."""
    write_atomic(
        out / "manifest.json", lambda tmp: tmp.write_text(json.dumps(manifest, indent=2, default=str))
    )


def read_table(out: Path, table: str) -> pd.DataFrame:
    """All runs' rows of `table` as one frame (empty when none was kept)."""
    folder = Path(out) / table
    files = sorted(folder.glob("run-*.parquet")) if folder.is_dir() else []
    if not files:
        return pd.DataFrame()
    frames = [pd.read_parquet(f) for f in files]
    return pd.concat([f for f in frames if len(f)] or frames, ignore_index=True)


def read_spatial(out: Path, run: int) -> dict[str, np.ndarray]:
    """One run's per-cell counts."""
    with np.load(part(Path(out), "spatial", run)) as data:
        return {k: data[k] for k in data.files}
