"""scripts/need-chromium, which `make test` runs first: each way of installing a missing chromium.

The machine's own tools are replaced by small fakes on PATH that log how they were called,
so each branch (root, sudo without a password, neither, no apt-get) is taken for real.
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "need-chromium"

FAKES = {
    "id": 'echo "$FAKE_UID"',
    # apt-get "installs" chromium by creating the browser file, and logs who ran it.
    "apt-get": 'echo "uid=$FAKE_UID apt-get $*" >> "$LOG"\n'
    'case "$*" in *install*) [ -n "$FAKE_APT_FAILS" ] && exit 100; '
    '[ -n "$FAKE_APT_NOOP" ] || { : > "$CHROMIUM"; /bin/chmod +x "$CHROMIUM"; };; esac',
    # sudo without a password works when FAKE_SUDO_OK is set, and runs its command as root.
    "sudo": 'if [ "$1" = -n ]; then [ -n "$FAKE_SUDO_OK" ] || exit 1; shift; fi\n'
    '[ "$*" = true ] && exit 0\n'
    'echo "sudo $*" >> "$LOG"; FAKE_UID=0 exec "$@"',
}


def run_script(tmp_path, uid=1000, tools=("id", "apt-get", "sudo"), **env):
    """Run need-chromium with only `tools` (faked) and sh on PATH; return (status, stderr, log)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "sh").symlink_to("/bin/sh")
    for name in tools:
        (bin_dir / name).write_text("#!/bin/sh\n" + FAKES[name] + "\n")
        (bin_dir / name).chmod(0o755)
    log = tmp_path / "log"
    env = {
        "PATH": str(bin_dir),
        "CHROMIUM": str(tmp_path / "chromium"),
        "LOG": str(log),
        "FAKE_UID": str(uid),
        **env,
    }
    proc = subprocess.run(["/bin/sh", str(SCRIPT)], env=env, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stderr, log.read_text() if log.exists() else ""


def test_nothing_happens_when_chromium_is_there(tmp_path):
    (tmp_path / "chromium").write_text("")
    (tmp_path / "chromium").chmod(0o755)
    assert run_script(tmp_path) == (0, "", "")


def test_root_installs_with_apt_get(tmp_path):
    status, err, log = run_script(tmp_path, uid=0)
    assert status == 0, err
    assert log.splitlines() == [
        "uid=0 apt-get update -qq",
        "uid=0 apt-get install -y -qq chromium",
    ]
    assert "installing Debian's chromium" in err
    assert os.access(tmp_path / "chromium", os.X_OK)


def test_a_user_installs_through_sudo_when_it_needs_no_password(tmp_path):
    status, err, log = run_script(tmp_path, FAKE_SUDO_OK="1")
    assert status == 0, err
    lines = log.splitlines()
    assert lines[0].startswith("sudo sh -c apt-get update")
    assert lines[1:] == ["uid=0 apt-get update -qq", "uid=0 apt-get install -y -qq chromium"]


def test_a_user_without_sudo_is_told_the_one_command(tmp_path):
    for tools in (("id", "apt-get", "sudo"), ("id", "apt-get")):  # sudo asks a password; no sudo
        folder = tmp_path / str(len(tools))
        folder.mkdir()
        status, err, log = run_script(folder, tools=tools)
        assert status == 1 and log == ""
        assert err.count("\n") == 1
        assert "chromium is missing and installing it needs root; run: sudo sh -c 'apt-get update" in err
        assert "apt-get install -y -qq chromium'" in err


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"FAKE_APT_FAILS": "1"}, "apt-get could not install chromium"),
        ({"FAKE_APT_NOOP": "1"}, "still missing; reinstall it: apt-get install --reinstall chromium"),
    ],
)
def test_a_failed_install_says_so(tmp_path, env, expected):
    status, err, _ = run_script(tmp_path, uid=0, **env)
    assert status == 1 and expected in err


def test_without_apt_get_it_says_what_is_missing(tmp_path):
    status, err, log = run_script(tmp_path, uid=0, tools=("id",))
    assert status == 1 and "not a Debian system (no apt-get)" in err and log == ""


def test_make_test_runs_it_before_pytest():
    plan = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "test"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert plan.index("scripts/need-chromium") < next(i for i, c in enumerate(plan) if "pytest" in c)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
