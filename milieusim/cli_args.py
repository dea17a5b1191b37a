"""The command line's argument parser and option types: a mistake is one line naming the option.

Each type checks one option's value when it is parsed, so ``--days -1`` is refused
as ``--days`` (not later, as the scenario field it sets), and a mistake ends in one
line and exit status 2, without argparse's usage block.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from milieusim.validation import EXIT_USAGE

#: The longest run, in days (the scenario's own bound on ``time.days``).
MAX_DAYS = 3650
#: The largest seed numpy's generators take.
MAX_SEED = 2**63 - 1


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: the command, the option, what is valid."""

    def error(self, message: str):
        """Print ``error: argument --days: ... (see milieusim run --help)`` as every error is; exit 2."""
        self.exit(EXIT_USAGE, f"error: {message} (see {self.prog} --help)\n")


def whole(low: int, high: int | None = None, what: str = "a whole number", why: str = ""):
    """A type for a whole number from `low` to `high` (no upper bound when None); `why` explains the range."""
    span = f"from {low} to {high}" if high is not None else f"{low} or more"
    why = f" ({why})" if why else ""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text!r}: give {what} {span}{why}")
        return value

    parse.__name__ = what  # argparse names the type in some messages
    return parse


days = whole(1, MAX_DAYS, "a whole number of days")
seed = whole(0, MAX_SEED, "a whole-number seed")
replications = whole(2, 10_000, "a whole number of runs", "confidence intervals need 2; 10 or more is better")
port = whole(0, 65535, "a port number", "0: any free port")


workers = whole(0, None, "a whole number of worker processes", "0: in this process")


def app_seed(text: str) -> str:
    """The live ward's starting seed: a whole number, or blank for a new seed at each reset."""
    return str(seed(text)) if text.strip() else ""


def folder(text: str) -> Path:
    """An output folder: new, or an existing folder (not a file)."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a file; give a folder (new or existing)")
    return path


def png_file(text: str) -> Path:
    """A PNG file to write: a name ending in .png, not a folder."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder; give a file in it, e.g. {path / 'plan.png'}")
    if path.suffix.lower() != ".png":
        raise argparse.ArgumentTypeError(f"{text!r}: give a file name ending in .png, e.g. {path.stem}.png")
    return path


def change(text: str) -> str:
    """`--set KEY=VALUE`: the form only; the key and value are checked against the parameters."""
    key, sep, _ = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE, e.g. culture.respect=0.8")
    return text
