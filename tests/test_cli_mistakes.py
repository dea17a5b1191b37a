"""Every command-line mistake: exit status 2, one line naming the option and what is valid, no traceback.

Each case runs the real command in a process of its own.
"""

import subprocess
import sys

import pytest
from cli_helpers import milieusim, refused

OPTION_CASES = [
    (["run", "--days", "-1"], ["argument --days", "'-1'", "from 1 to 3650"]),
    (["run", "--seed", "-5"], ["argument --seed", "'-5'", "from 0 to"]),
    (["run", "--set", "nonsense"], ["argument --set", "'nonsense' is not KEY=VALUE"]),
    (
        ["run", "--set", "culture.respekt=0.5"],
        ["--set: unknown parameter 'culture.respekt'", "did you mean 'culture.respect'"],
    ),
    (["run", "--set", "foo.bar=1"], ["--set: unknown parameter 'foo.bar'", "groups: conflict, culture"]),
    (["run", "--set", "culture.respect=2"], ["--set: [culture] respect", "allowed: [0, 1]"]),
    (["run", "--out", "afile"], ["argument --out", "'afile' is a file; give a folder"]),
    (["run", "--days", "1", "--set", "time.days=5"], ["--days 1 and --set time.days=5", "give it once"]),
    (["run", "--layout", "home", "--set", "ward.layout=corridor"], ["--layout home and --set ward.layout"]),
    (["compare", "corridor", "home", "--replications", "1"], ["argument --replications", "from 2"]),
    (["compare", "corridor", "home", "--out", "afile"], ["argument --out", "'afile' is a file"]),
    (["sweep", "spec.toml", "--workers", "-1"], ["argument --workers", "'-1'", "0 or more"]),
    (
        ["layout", "show", "corridor", "-o", "adir"],
        ["argument -o/--output", "'adir' is a folder", "adir/plan.png"],
    ),
    (["layout", "show", "corridor", "-o", "plan"], ["argument -o/--output", "ending in .png", "plan.png"]),
    (["app", "--port", "70000"], ["argument --port", "from 0 to 65535"]),
    (["runn"], ["argument COMMAND: invalid choice: 'runn'"]),
]


@pytest.mark.parametrize(("args", "names"), OPTION_CASES, ids=[" ".join(a) for a, _ in OPTION_CASES])
def test_an_option_mistake_is_one_line_naming_the_option(tmp_path, args, names):
    (tmp_path / "afile").write_text("")
    (tmp_path / "adir").mkdir()
    refused(milieusim(*args, cwd=tmp_path), *names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "afile"]  # nothing written


@pytest.mark.parametrize("command", ["compare", "analyze"])
def test_help_shows_percent_signs_once(command):
    result = milieusim(command, "--help")
    assert result.returncode == 0 and "95% confidence" in result.stdout and "%%" not in result.stdout


def test_a_reader_that_stops_early_is_no_error():
    pipe = subprocess.Popen(
        [sys.executable, "-m", "milieusim.cli", "layout", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    pipe.stdout.read(1)  # like `| head -c 1`: read, then leave
    pipe.stdout.close()
    err = pipe.stderr.read().decode()
    assert pipe.wait(timeout=60) == 141 and err == ""
