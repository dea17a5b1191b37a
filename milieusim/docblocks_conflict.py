"""The conflict tables of docs/ODD.md (§7.8, §7.10, §7.10.2), generated from `rules/` (see `docblocks`).

Each function reads the constants when called, so a changed weight, odds ratio
or containment makes its block stale and the drift test names the section.
"""

from __future__ import annotations

import math

from milieusim.params_conflict import Conflict
from milieusim.rules import choices, conflict, containment, flashpoints

_WORDS = {"self harm": "self-harm", "coerced im": "coerced IM", "prn medication": "as-needed medication"}


def _words(name: str) -> str:
    text = name.replace("_", " ")
    return _WORDS.get(text, text)


def _row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def kind_weights_table() -> str:
    """Conflict-kind weights (mild, severe) and each flashpoint's emphasis (`rules/conflict.py`)."""
    kinds = conflict.CONFLICT_KINDS
    rows = [_row(["", *(_words(k) for k in kinds)]), "|" + "---|" * (len(kinds) + 1)]
    rows.append(_row(["`W_mild`", *(f"{w:.3g}" for w in conflict.KIND_WEIGHTS_MILD)]))
    rows.append(_row(["`W_severe`", *(f"{w:.3g}" for w in conflict.KIND_WEIGHTS_SEVERE)]))
    for fp, emphasis in conflict.EMPHASIS.items():
        rows.append(_row([_words(fp), *(f"{emphasis[k]:g}" if k in emphasis else "" for k in kinds)]))
    return "\n".join(rows)


def _log_or(value: float) -> str:
    return f"ln {math.exp(value):.3g}"


def conversion_terms_table() -> str:
    """The terms of the conversion probability (`rules/flashpoints.py`) and their values."""
    odds = Conflict.model_fields["conversion_odds"].default
    f = flashpoints
    rows = [
        "| term | value | source |",
        "|---|---|---|",
        "| `conflict.conversion_odds` (odds at arousal 0, severity, trust, respect 0.5, no crowding) | "
        f"{odds:g} | [C: @dickens2020] |",
        f"| `AROUSAL_LOG_OR` | {_log_or(f.AROUSAL_LOG_OR)} (arousal 1 against 0: odds "
        f"x{math.exp(f.AROUSAL_LOG_OR):.3g}) | [dir: @bowers2014]; value [A] |",
        f"| `SEVERITY_LOG_OR` | {_log_or(f.SEVERITY_LOG_OR)} (x{math.exp(f.SEVERITY_LOG_OR):.3g} over "
        "severity 0..1) | [dir: @bowers2014]; value [A] |",
        f"| `TRUST_LOG_OR` (flashpoints from the staff team) | {_log_or(f.TRUST_LOG_OR)} | [A] |",
        "| `RESPECT_LOG_OR` (soft words; flashpoints from the staff team) | "
        f"{_log_or(f.RESPECT_LOG_OR)} | [A] |",
        f"| `PRONENESS_POWER` | {f.PRONENESS_POWER:g} | [A] |",
        "| `M` = crowding x Safewards x recent containment | see below | |",
    ]
    return "\n".join(rows)


def responses_table() -> str:
    """The first containment drawn for each kind of seen conflict (`rules/containment.py: RESPONSES`)."""
    rows = ["| conflict kind | first containment (weight) |", "|---|---|"]
    for kind, options in containment.RESPONSES.items():
        rows.append(_row([_words(kind), ", ".join(f"{_words(c)} {w:g}" for c, w in options)]))
    return "\n".join(rows)


#: What each containment does besides calming and coercion (the code that does it: `ward/containment.py`).
WHAT_HAPPENS = {
    "prn_medication": "-",
    "time_out": "at own bed, else standing in the quiet room",
    "show_of_force": "up to `SHOW_OF_FORCE_STAFF` 2 more present nurses or assistants (not on constant "
    "observation), nearest first, stand beside the patient (task `response`)",
    "seclusion": "to the middle cell of the first extra-care room",
    "restraint": "in place",
    "coerced_im": "-",
    "transfer": "discharged, reason `transfer` (§7.15)",
}


def containments_table() -> str:
    """Calming, coercion and length of each containment (`rules/containment.py`)."""
    rows = [
        "| containment | calming (arousal kept) | coercion | lasts | what happens |",
        "|---|---|---|---|---|",
    ]
    for kind, what in WHAT_HAPPENS.items():
        minutes = containment.MINUTES.get(kind, choices.RESPONSE_MINUTES if kind == "show_of_force" else None)
        lasts = f"{minutes} min" if minutes else "-"
        calming, coercion = containment.CALMING[kind], containment.COERCION[kind]
        rows.append(f"| `{kind}` | {calming:g} | {coercion:g} | {lasts} | {what} |")
    obs = containment.OBSERVATION_KINDS
    coercion = ", ".join(f"{containment.COERCION[k]:g}" for k in obs)
    hours = {containment.MINUTES[k] / 60 for k in obs}
    calming = {containment.CALMING[k] for k in obs}
    rows.append(
        f"| {', '.join(f'`{k}`' for k in obs)} | {'/'.join(f'{c:g}' for c in sorted(calming))} | "
        f"({coercion}; not applied) | {'/'.join(f'{h:g}' for h in sorted(hours))} h | §7.10.1 |"
    )
    return "\n".join(rows)
