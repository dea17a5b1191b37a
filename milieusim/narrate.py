"""What happened on the ward, in words: one sentence per row of the events table.

The live ward's feed and the teaching notebooks read a run's events
(`model.recorder.events`, or the `events` table of `metrics.results`, columns
`recording.EVENT_COLUMNS`) as sentences such as ``patient 23 (L1) refused
medication in the dayroom; nurse 3 talked them down``.

- `sentence` words one event from plain values (who, the other person, the place);
- `clock` words when it happened;
- `person`, `place` name a model's people and rooms;
- `told`, `describe`, `timeline` and `recent` do all of it for a model's events.

The events table records who responded to a conflict, not at whom it was
aimed, so sentences say what the patient did and how staff answered.
"""

from __future__ import annotations

from collections.abc import Mapping

from milieusim.kinds import RELATIVE, STAFF
from milieusim.recording import EVENT_COLUMNS
from milieusim.rules.conflict import CONFLICT_KINDS
from milieusim.rules.containment import CONTAINMENT_KINDS
from milieusim.space.symbols import Zone

#: What a patient did, for each kind of conflict (Safewards' conflict behaviours).
CONFLICT_WORDS = {
    "verbal_abuse": "was verbally abusive",
    "threat": "made a threat",
    "medication_refusal": "refused medication",
    "absconding_attempt": "tried to leave the ward without permission",
    "rule_breaking": "broke a ward rule",
    "property_damage": "damaged property",
    "physical_aggression": "was physically aggressive",
    "self_harm": "harmed themselves",
}
#: Each containment method as a noun.
CONTAINMENT_WORDS = {
    "prn_medication": "as-needed medication",
    "intermittent_observation": "intermittent observation",
    "special_observation": "special observation",
    "time_out": "time out",
    "show_of_force": "a show of force",
    "seclusion": "seclusion",
    "restraint": "restraint",
    "coerced_im": "an injection against their will",
    "transfer": "transfer to a more secure ward",
}
#: What happened to a contained patient, by containment method.
CONTAINED_WORDS = {
    "prn_medication": "was given as-needed medication",
    "intermittent_observation": "was placed on intermittent observation",
    "special_observation": "was placed under special observation",
    "time_out": "was asked to take time out",
    "show_of_force": "was met by a show of force",
    "seclusion": "was secluded",
    "restraint": "was restrained",
    "coerced_im": "was given an injection against their will",
    "transfer": "was transferred to a more secure ward",
}
#: An observation level still on at a shift's start, as the shift report records it.
ONGOING_WORDS = {
    "intermittent_observation": "was on intermittent observation",
    "special_observation": "was under special observation",
}
#: The flashpoint a conflict followed, as a reason.
FLASHPOINT_WORDS = {
    "limit_setting": "after staff set a limit",
    "refused_request": "after a request was refused",
    "demand": "after staff asked them to do something",
    "medication": "at the medication round",
    "bullying": "after being bullied",
    "contagion": "upset by an incident nearby",
    "symptoms": "troubled by their symptoms",
    "detention": "held against their will",
    "bad_news": "after bad news",
}
#: How staff answered a conflict without containment.
ANSWER_WORDS = {
    "talked_down": "{staff} talked them down",
    "calm_down": "{staff} helped them calm down",
    "let_pass": "{staff} let it pass",
    "unseen": "no staff saw it",
}
DISCHARGE_WORDS = {
    "ready": "was discharged, ready to leave",
    "max_stay": "was discharged at the longest stay allowed",
    "transfer": "left for a more secure ward",
}
GOAL_WORDS = {
    "job": "reached a goal in their paid job",
    "chore": "finished a ward chore",
    "personal": "reached a personal goal",
}
#: Kinds whose recorded place is where it happened (for other kinds the patient is only setting off).
PLACED_KINDS = frozenset(CONFLICT_KINDS) | frozenset(CONTAINMENT_KINDS) | {"goal_reached"}
#: Rooms one is "at" rather than "in".
AT_ZONES = frozenset({Zone.STAFF_BASE, Zone.ENTRANCE})


def clock(step: int, day: int, minute: int) -> str:
    """When an event happened: ``"day 2 14:35"``; events of the ward's setting-up say ``"start"``."""
    if step < 0:
        return "start"
    return f"day {day} {minute // 60:02d}:{minute % 60:02d}"


def sentence(
    kind: str,
    who: str,
    other: str | None = None,
    where: str | None = None,
    outcome: str = "",
    level: int | None = None,
    flashpoint: str = "",
) -> str:
    """One event in words.

    Args:
        kind: the event's kind (a column of the events table).
        who: the patient, e.g. ``"patient 23"``.
        other: the other person (the staff member who responded, a visiting relative), if any.
        where: the place with its preposition, e.g. ``"in the dayroom"``; used for events that
            happen where the patient is (conflict, containment, goals).
        outcome: the event's outcome column.
        level: the patient's level, shown as ``(L1)`` after their name.
        flashpoint: for a conflict, the flashpoint it followed (the events table's column).
    """
    subject = f"{who} (L{level})" if level is not None else who
    place = f" {where}" if where and kind in PLACED_KINDS else ""
    if kind in CONFLICT_WORDS:
        why = f" {FLASHPOINT_WORDS[flashpoint]}" if flashpoint in FLASHPOINT_WORDS else ""
        return f"{subject} {CONFLICT_WORDS[kind]}{place}{why}; {_response(outcome, other)}"
    if kind in CONTAINED_WORDS:
        if outcome == "policy":
            return f"{subject} {CONTAINED_WORDS[kind]}, as the ward does for new or very ill patients"
        if other is None:
            return f"{subject} {ONGOING_WORDS.get(kind, CONTAINED_WORDS[kind])}{place}"
        return f"{subject} {CONTAINED_WORDS[kind]} by {other}{place}"
    if kind == "admission":
        return f"{subject} was admitted"
    if kind == "discharge":
        return f"{subject} {DISCHARGE_WORDS.get(outcome, f'was discharged ({outcome})')}"
    if kind == "promotion":
        return f"{subject} moved up to level {outcome.removeprefix('L')} at the daily review"
    if kind == "demotion":
        return f"{subject} went back to level {outcome.removeprefix('L')} after destructive behaviour"
    if kind == "withdrawal":
        level_now = outcome.removeprefix("L")
        return f"{subject} went back to level {level_now} at the daily review: criteria no longer met"
    if kind == "visit":
        mood = f"a {outcome} visit" if outcome else "a visit"
        return f"{subject} had {mood} from their relative"
    if kind == "request":
        answer = {"granted": "it was granted", "denied": "it was refused"}.get(outcome, outcome)
        return f"{subject} asked staff for something; {answer}"
    if kind == "goal_reached":
        return f"{subject} {GOAL_WORDS.get(outcome, 'reached a goal')}{place}"
    text = f"{subject}: {kind.replace('_', ' ')}"
    return f"{text} ({outcome.replace('_', ' ')})" if outcome else text


def _response(outcome: str, staff: str | None) -> str:
    staff = staff or "staff"
    if outcome in ANSWER_WORDS:
        return ANSWER_WORDS[outcome].format(staff=staff)
    if outcome in CONTAINMENT_WORDS:
        return f"{staff} responded with {CONTAINMENT_WORDS[outcome]}"
    return outcome.replace("_", " ")


# ------------------------------------------------------------ names of a model's people and rooms


def person(agent) -> str:
    """A person's name in sentences: ``patient 23``, ``nurse 3``, ``relative of patient 23``.

    Numbers are the agents' ids, as in the `who` and `other` columns of the events table.
    """
    if agent.role == STAFF:  # nurse, assistant, therapist, doctor
        return f"{agent.kind} {agent.unique_id}"
    if agent.role == RELATIVE:
        return f"relative of patient {agent.patient.unique_id}"
    return f"patient {agent.unique_id}"


def place(layout, room: int) -> str:
    """Where a cell of room `room` is, with its preposition: ``in bedroom 4``, ``at the staff base``.

    `room` is the events table's room column: a room's index, or -1 for a doorway.
    """
    if room < 0:
        return "in a doorway"
    r = layout.rooms[room]
    prep = "at" if r.zone in AT_ZONES else "in"
    if r.zone == Zone.BEDROOM or len(layout.rooms_of(r.zone)) > 1:
        return f"{prep} {r.zone.label} {r.number}"
    return f"{prep} the {r.zone.label}"


def as_row(event) -> dict:
    """An event as a dict keyed by `EVENT_COLUMNS`.

    `event` is a record of `model.recorder.events` (`recording.Event`), a row of the events table
    (a pandas Series or a namedtuple of ``itertuples()``), or a mapping.
    """
    if hasattr(event, "_fields"):
        return {c: getattr(event, c) for c in EVENT_COLUMNS}
    if isinstance(event, Mapping) or hasattr(event, "to_dict"):
        return {c: event[c] for c in EVENT_COLUMNS}
    return dict(zip(EVENT_COLUMNS, event, strict=True))


def told(model, event, people: Mapping | None = None) -> tuple[str, str]:
    """When one of `model`'s events happened, and what happened in words: ``("day 2 14:35", "patient ...")``.

    `event` is a record of `model.recorder.events` (`recording.Event`) or a row of the events table
    (see `as_row`). A patient still on the ward is shown with their level now; a discharged patient
    without one.
    `people` maps ids to agents (default: the model's agents now).
    """
    e = as_row(event)
    if people is None:
        people = {a.unique_id: a for a in model.agents}
    who = people.get(int(e["who"]))
    other = people.get(int(e["other"]))
    what = sentence(
        str(e["kind"]),
        person(who) if who is not None else f"patient {int(e['who'])}",
        person(other) if other is not None else None,
        place(model.layout, int(e["room"])) if int(e["row"]) >= 0 else None,
        str(e["outcome"]),
        who.level if who is not None else None,
        str(e["flashpoint"]),
    )
    return clock(int(e["step"]), int(e["day"]), int(e["minute"])), what


def describe(model, event) -> str:
    """One of `model`'s events in words, after its time: ``"day 2 14:35  patient 23 (L1) ..."``."""
    return "  ".join(told(model, event))


def timeline(model, n: int = 12) -> list[tuple[str, str]]:
    """The last `n` of `model`'s events as (when, what happened), newest first.

    A containment that answers an incident is told in the incident's own sentence
    ("nurse 3 responded with restraint"), so its row is left out.
    """
    people = {a.unique_id: a for a in model.agents}
    out = []
    for event in reversed(model.recorder.events):
        if len(out) == n:
            break
        if told_alone(event):
            out.append(told(model, event, people))
    return out


def told_alone(event) -> bool:
    """Whether an event gets its own sentence: not a containment told in its incident's sentence."""
    return not (event.kind in CONTAINED_WORDS and event.cause >= 0)


def recent(model, n: int = 12) -> list[str]:
    """The last `n` of `model`'s events in words, newest first (see `timeline`)."""
    return ["  ".join(pair) for pair in timeline(model, n)]
