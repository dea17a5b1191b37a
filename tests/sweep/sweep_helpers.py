"""Small experiment files for the sweep tests."""

import textwrap
from pathlib import Path

SMALL = textwrap.dedent("""
    [experiment]
    name = "small"
    design = "full_factorial"
    replications = 2
    days = 2
    seed = 11
    outputs = ["daily", "events", "stays"]

    [base]
    preset = "transitional"
    layout = "home"

    [factors."culture.power_balance"]
    values = [0.2, 0.8]

    [factors."culture.respect"]
    range = [0.4, 0.8, 0.4]
""")


def write_spec(folder: Path, text: str = SMALL, name: str = "spec.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def die_on_run_3(job):
    """A worker process killed under run 3, as by the kernel's out-of-memory killer."""
    import os
    import signal

    from milieusim.sweep.execute import run_job

    if job.task.run == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return run_job(job)
