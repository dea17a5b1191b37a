"""The state variables of docs/ODD.md §2, with units and ranges, read from the code that holds them.

Every person's roster array (`agents/roster.py: Roster.FIELDS`) and every attribute
an agent's ``__init__`` sets (`agents/person.py`, `patient.py`, `staff.py`,
`family.py`) is a state variable. `STATE` gives each its unit, range and meaning;
the type and initial value come from the code (the roster's fill, or the
expression the agent's ``__init__`` assigns), so the table changes when the code
does. `undocumented` names the state variables `STATE` lacks and `stale` the
entries the code no longer has, so a test fails on either.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass

from milieusim.agents import family, patient, person, staff
from milieusim.agents.roster import Roster


@dataclass(frozen=True)
class Var:
    """What the code cannot say about a state variable."""

    unit: str
    range: str
    meaning: str


STEP = "step"
#: Unit, range and meaning of each state variable, by owner ("person" = everyone) and name.
STATE: dict[str, dict[str, Var]] = {
    "person": {
        "pos": Var("cell (row, col)", "inside the plan", "where the person stands"),
        "dest": Var("cell (row, col)", "inside the plan", "where the person is going"),
        "anchor": Var(
            "cell (row, col)",
            "inside the plan",
            "seat, spot, bed or point whose walking field leads to `dest`",
        ),
        "route": Var(
            "route index", ">= 0", "the anchor's walk: a row of the geometry's cached fields (`walk_index`)"
        ),
        "sight": Var("isovist index", ">= 0", "staff: what can be seen from their cell (`isovist_row`)"),
        "room": Var("room index", "-1 (no room) or a room of the layout", "room the person is in"),
        "present": Var("-", "true/false", "on the ward (or at home, for the home setting)"),
        "role": Var("`kinds.Role` code", "patient, staff, relative", "who the person is"),
        "facing": Var("direction code", "-1 (standing) or a seat's facing", "facing of the seat sat on"),
        "busy_until": Var(STEP, ">= 0", "step at which the person decides again"),
        "task": Var("`kinds.TASKS` code", "-1 or a task", "staff task, for time use"),
        "last_contact": Var(STEP, "any", "step of the last encounter"),
        "social": Var("-", "true/false", "in an activity social in itself (group, meeting, visit)"),
        "grouped": Var("-", "true/false", "in a group session or the community meeting"),
        "protected": Var("-", "true/false", "in an activity a timetable block does not interrupt"),
        "partner": Var(
            "slot", "-1 or a patient's slot", "a relative's patient, whose closeness is no intrusion"
        ),
        "slot": Var("index", ">= 0", "the person's row in the roster"),
        "activity": Var("`kinds.Activity`", "one of its values", "what the person is doing"),
        "walked": Var("m", ">= 0", "distance walked since arrival (`walked_m`)"),
        "gone": Var("-", "true/false", "removed for good (discharged, or a discharged patient's relative)"),
    },
    "patient": {
        "agitation": Var("arousal", "[0, 1]", "arousal that carries flashpoints over time (§7.8)"),
        "severity": Var("0-1", "[0, 1]", "symptom severity (§7.13)"),
        "sensitivity": Var(
            "multiplier", "[0.9, 1.3] at admission", "personal-space edge relative to Hall's (§7.8)"
        ),
        "risk_until": Var(
            STEP, "-1 or a step", "until when a coercive containment raises the odds of conflict"
        ),
        "detained": Var("-", "true/false", "detained under mental health law"),
        "level": Var("level", "1-4 (0 for others)", "level of responsibility (§7.14)"),
        "trust": Var("0-1", "[0, 1]", "trust in staff"),
        "autonomy": Var("0-1", "[0, 1]", "doing things oneself"),
        "power": Var(
            "weight", "> 0, lognormal of mean 1", "voice at the community meeting; gap drives bullying"
        ),
        "obs_level": Var(
            "`rules/observation.Level`", "0 general, 1 intermittent, 2 constant", "observation level"
        ),
        "obs_since": Var(STEP, "-1 or a step", "step the current observation level began"),
        "obs_until": Var(STEP, ">= 0", "step it returns to general observation"),
        "observer": Var("slot", "-1 or a member of staff's slot", "constant observer"),
        "last_seen": Var(STEP, "any", "step staff last saw the patient"),
        "last_check": Var(STEP, "any", "step of the last check by staff"),
        "upset_at": Var(STEP, "any", "step last upset by an incident seen (contagion refractory)"),
        "hygiene": Var("0-1", "[0, 1]", "self-care (§7.13)"),
        "goal": Var("-", "job, chore, personal or none", "the patient's goal (§7.9)"),
        "goal_progress": Var("0-1", "[0, 1)", "progress towards the goal; resets at 1"),
        "goals_done": Var("count", ">= 0", "goals reached"),
        "work_started": Var(STEP, ">= 0", "step goal work or the work session began"),
        "days_at_level": Var("days", ">= 0", "days at the current level"),
        "admitted_day": Var("day", "<= day of the run (negative: admitted before it)", "day of admission"),
        "days_per_level": Var("days", ">= 0 per level", "days spent at each level"),
        "level_reached_day": Var("day", "per level reached", "day each level was first reached"),
        "incidents_total": Var("count", ">= 0", "conflict incidents in the stay"),
        "aggressive_total": Var("count", ">= 0", "aggressive incidents in the stay"),
        "aggressive_recorded": Var("count", ">= 0", "aggressive incidents recorded on a form"),
        "attack_days": Var("days", "list of days", "days of physical attacks (transfer after repeated ones)"),
        "bed": Var("cell (row, col)", "a bed or none", "the patient's bed"),
        "bedroom": Var("room index", "a bedroom or none", "the room of the bed"),
        "proneness": Var("multiplier", "> 0, lognormal of mean 1", "proneness to aggression (§7.10)"),
        "log": Var("`DayRecord`s", "at most `MAX_WINDOW_DAYS` = 60", "the days the level review reads"),
        "today": Var("counters", ">= 0", "the day's sessions, incidents, heard, goal hours, flags"),
        "relative": Var("`Relative`", "one or none", "the patient's relative"),
        "left_censored": Var("-", "true/false", "admitted before the run began"),
        "recovery_k": Var(
            "multiplier", "> 0, lognormal of mean 1", "recovery pace relative to the base rate"
        ),
    },
    "staff": {
        "kind": Var("-", "nurse, assistant, therapist, doctor", "profession"),
        "shift": Var("-", "early, late, night, office, outreach", "when on duty"),
        "name": Var("-", "text", "label in the live ward"),
        "handover_due": Var("-", "true/false", "holds a handover on arrival"),
        "patrol_until": Var(STEP, ">= 0", "end of the current patrol"),
        "patrol_zone": Var("zone name", "a social zone or corridor", "where the patrol walks"),
    },
    "relative": {
        "patient": Var("`Patient`", "one", "whose relative"),
        "tense": Var("-", "true/false", "the current visit is tense (bad news)"),
        "visits": Var("count", ">= 0", "visits made"),
    },
}
#: The class whose ``__init__`` sets each owner's attributes.
CLASSES = {
    "person": person.Person,
    "patient": patient.Patient,
    "staff": staff.Staff,
    "relative": family.Relative,
}
#: Roster arrays that only patients use (the rest are everyone's).
PATIENT_ARRAYS = frozenset(STATE["patient"]) & frozenset(Roster.FIELDS)


def init_values(cls: type) -> dict[str, str]:
    """Each attribute or roster array the ``__init__`` of `cls` sets, with the expression it assigns."""
    tree = ast.parse(inspect.getsource(cls.__init__).strip())
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names = target.elts if isinstance(target, ast.Tuple) else [target]
                values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value] * len(names)
                for name, value in zip(names, values, strict=True):
                    if isinstance(name, ast.Subscript) and isinstance(name.value, ast.Attribute):
                        name = name.value  # a roster array: r.power[self.slot] = power
                        if name.attr not in Roster.FIELDS:
                            continue
                    elif not (isinstance(name, ast.Attribute) and ast.unparse(name.value) == "self"):
                        continue
                    found.setdefault(name.attr, ast.unparse(value))
    return found


def _owners() -> dict[str, dict[str, str]]:
    """Each owner's state variables in the code, with their initial value."""
    owners: dict[str, dict[str, str]] = {owner: {} for owner in STATE}
    for name, (_, shape, fill) in Roster.FIELDS.items():
        owner = "patient" if name in PATIENT_ARRAYS else "person"
        owners[owner][name] = f"{fill}" if not shape else f"({fill}, {fill})"
    for owner, cls in CLASSES.items():
        for name, value in init_values(cls).items():
            held = next((o for o in ("person", "patient") if name in owners[o]), owner)
            owners[held][name] = value if held == owner else f"{value} ({owner})"
    return owners


def undocumented() -> list[str]:
    """State variables in the code that `STATE` does not describe, as ``owner.name``."""
    return [f"{o}.{n}" for o, names in _owners().items() for n in names if n not in STATE[o]]


def stale() -> list[str]:
    """Entries of `STATE` the code no longer has, as ``owner.name``."""
    owners = _owners()
    return [f"{o}.{n}" for o, names in STATE.items() for n in names if n not in owners[o]]


def state_table() -> str:
    """The state variables of every entity: initial value (from the code), unit, range and meaning."""
    rows = ["| entity | variable | initial (code) | unit | range | meaning |", "|---|---|---|---|---|---|"]
    owners = _owners()
    for owner, names in STATE.items():
        for name, var in names.items():
            initial = owners[owner].get(name, "?").replace("|", "\\|")
            rows.append(f"| {owner} | `{name}` | `{initial}` | {var.unit} | {var.range} | {var.meaning} |")
    rows += [
        "",
        "Initial values are the roster's fill for a new slot or what the agent's `__init__` assigns; names "
        "such as `severity`, `power`, `sensitivity`, `day` are the admission draws of §5. Steps are of "
        "`time.step_minutes`; days count from the run's day 0.",
    ]
    return "\n".join(rows)
