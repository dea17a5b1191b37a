"""A tiny calibration: one day on six beds at 15-minute steps, two parameters, one fitted target."""

import textwrap
from pathlib import Path

SETUP = textwrap.dedent("""
    [calibration]
    name = "tiny"
    days = 1
    seed = 7
    population = 16
    generations = 3
    min_epsilon = 1.0
    max_simulations = 400

    [base]
    set = { "ward.beds" = 6, "time.step_minutes" = 15 }

    [parameters."culture.needs_focus"]
    min = 0.1
    max = 0.9

    [parameters."family.visits_per_week"]
    min = 0.0
    max = 7.0
""")

#: The values the synthetic targets are made at (visits_per_week: the base scenario's).
TRUTH = {"culture.needs_focus": 0.6, "family.visits_per_week": 2.0}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path
