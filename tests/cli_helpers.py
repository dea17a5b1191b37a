"""Running the real `milieusim` command and checking how it refuses a mistake."""

import subprocess
import sys


def milieusim(*args, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    """`python -m milieusim.cli ARGS` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "milieusim.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def refused(result: subprocess.CompletedProcess, *names: str, alone: bool = True, prefix="error: ") -> str:
    """Check a refusal: exit status 2, no traceback, one error line naming each of `names`; return it.

    `alone`: the error is all of stderr (a sweep first says what it is about to run).
    `prefix`: how the line starts (`layout validate` reports each file's problems as they are).
    """
    err = result.stderr
    assert result.returncode == 2, f"exit {result.returncode}\n{result.stdout}\n{err}"
    assert "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.startswith(prefix)]
    assert len(errors) == 1, err
    if alone:
        assert err == errors[0] + "\n", err
    for name in names:
        assert name in errors[0], f"{name!r} not in: {errors[0]}"
    return errors[0]
