"""Events in words: exact sentences for every kind, names of people and rooms, a model's feed."""

import pytest

from milieusim import MilieuModel, Scenario
from milieusim.kinds import PATIENT
from milieusim.metrics import results
from milieusim.narrate import (
    CONFLICT_WORDS,
    CONTAINED_WORDS,
    CONTAINMENT_WORDS,
    as_row,
    clock,
    describe,
    person,
    place,
    recent,
    sentence,
    timeline,
    told,
)
from milieusim.recording import Event
from milieusim.rules.conflict import CONFLICT_KINDS
from milieusim.rules.containment import CONTAINMENT_KINDS
from milieusim.space.layout_file import cached_layout
from milieusim.space.symbols import Zone


def test_clock():
    assert clock(0, 0, 0) == "day 0 00:00"
    assert clock(458, 1, 14 * 60 + 35) == "day 1 14:35"
    assert clock(-1, 0, 1435) == "start"  # events while the ward is set up (observation on admission)


def test_every_kind_of_conflict_and_containment_has_words():
    assert set(CONFLICT_WORDS) == set(CONFLICT_KINDS)
    assert set(CONTAINMENT_WORDS) == set(CONTAINED_WORDS) == set(CONTAINMENT_KINDS)


@pytest.mark.parametrize(
    ("kind", "outcome", "other", "expected"),
    [
        (
            "verbal_abuse",
            "talked_down",
            "nurse 2",
            "patient 7 (L1) was verbally abusive in the dayroom; nurse 2 talked them down",
        ),
        ("threat", "unseen", None, "patient 7 (L1) made a threat in the dayroom; no staff saw it"),
        (
            "medication_refusal",
            "prn_medication",
            "nurse 2",
            "patient 7 (L1) refused medication in the dayroom; nurse 2 responded with as-needed medication",
        ),
        (
            "absconding_attempt",
            "special_observation",
            "assistant 4",
            "patient 7 (L1) tried to leave the ward without permission in the dayroom; "
            "assistant 4 responded with special observation",
        ),
        (
            "rule_breaking",
            "talked_down",
            "doctor 9",
            "patient 7 (L1) broke a ward rule in the dayroom; doctor 9 talked them down",
        ),
        (
            "property_damage",
            "seclusion",
            "nurse 2",
            "patient 7 (L1) damaged property in the dayroom; nurse 2 responded with seclusion",
        ),
        (
            "physical_aggression",
            "restraint",
            "nurse 2",
            "patient 7 (L1) was physically aggressive in the dayroom; nurse 2 responded with restraint",
        ),
        ("self_harm", "unseen", None, "patient 7 (L1) harmed themselves in the dayroom; no staff saw it"),
    ],
)
def test_conflict_sentences(kind, outcome, other, expected):
    assert sentence(kind, "patient 7", other, "in the dayroom", outcome, level=1) == expected


@pytest.mark.parametrize(
    ("kind", "other", "expected"),
    [
        (
            "prn_medication",
            "nurse 3",
            "patient 7 (L2) was given as-needed medication by nurse 3 at the staff base",
        ),
        ("prn_medication", None, "patient 7 (L2) was given as-needed medication at the staff base"),
        (
            "special_observation",
            "nurse 3",
            "patient 7 (L2) was placed under special observation by nurse 3 at the staff base",
        ),
        ("special_observation", None, "patient 7 (L2) was under special observation at the staff base"),
        ("seclusion", "nurse 3", "patient 7 (L2) was secluded by nurse 3 at the staff base"),
        ("restraint", "nurse 3", "patient 7 (L2) was restrained by nurse 3 at the staff base"),
        ("time_out", "nurse 3", "patient 7 (L2) was asked to take time out by nurse 3 at the staff base"),
        (
            "coerced_im",
            "nurse 3",
            "patient 7 (L2) was given an injection against their will by nurse 3 at the staff base",
        ),
        (
            "intermittent_observation",
            None,
            "patient 7 (L2) was on intermittent observation at the staff base",
        ),
    ],
)
def test_containment_sentences(kind, other, expected):
    assert sentence(kind, "patient 7", other, "at the staff base", "containment", level=2) == expected


def test_a_conflict_is_told_with_the_flashpoint_it_followed_and_how_staff_answered():
    said = sentence("threat", "patient 7", "nurse 3", "in the dayroom", "let_pass", 2, "refused_request")
    assert (
        said == "patient 7 (L2) made a threat in the dayroom after a request was refused; nurse 3 let it pass"
    )
    assert sentence("self_harm", "patient 7", None, "in bedroom 3", "unseen", 1, "symptoms") == (
        "patient 7 (L1) harmed themselves in bedroom 3 troubled by their symptoms; no staff saw it"
    )


def test_containment_by_policy_says_so():
    said = sentence("intermittent_observation", "patient 7", None, None, "policy", 1)
    assert said == (
        "patient 7 (L1) was placed on intermittent observation, as the ward does for new or very ill patients"
    )


@pytest.mark.parametrize(
    ("kind", "outcome", "expected"),
    [
        ("admission", "", "patient 7 (L3) was admitted"),
        ("discharge", "ready", "patient 7 (L3) was discharged, ready to leave"),
        ("discharge", "max_stay", "patient 7 (L3) was discharged at the longest stay allowed"),
        ("discharge", "transfer", "patient 7 (L3) left for a more secure ward"),
        ("discharge", "elsewhere", "patient 7 (L3) was discharged (elsewhere)"),
        (
            "withdrawal",
            "L2",
            "patient 7 (L3) went back to level 2 at the daily review: criteria no longer met",
        ),
        ("promotion", "L4", "patient 7 (L3) moved up to level 4 at the daily review"),
        ("demotion", "L2", "patient 7 (L3) went back to level 2 after destructive behaviour"),
        ("visit", "calm", "patient 7 (L3) had a calm visit from their relative"),
        ("visit", "tense", "patient 7 (L3) had a tense visit from their relative"),
        ("request", "granted", "patient 7 (L3) asked staff for something; it was granted"),
        ("request", "denied", "patient 7 (L3) asked staff for something; it was refused"),
        ("goal_reached", "job", "patient 7 (L3) reached a goal in their paid job in the quiet room"),
        ("goal_reached", "chore", "patient 7 (L3) finished a ward chore in the quiet room"),
        ("goal_reached", "personal", "patient 7 (L3) reached a personal goal in the quiet room"),
        ("fire_drill", "all_out", "patient 7 (L3): fire drill (all out)"),
    ],
)
def test_other_sentences(kind, outcome, expected):
    """Places are told only where the patient is when it happens (not on their way to a visit)."""
    assert sentence(kind, "patient 7", None, "in the quiet room", outcome, level=3) == expected


def test_sentence_without_level_or_place():
    assert sentence("threat", "patient 7", "nurse 2", None, "talked_down") == (
        "patient 7 made a threat; nurse 2 talked them down"
    )


def test_places_of_a_ward():
    corridor = cached_layout("corridor")
    bedroom4 = next(r for r in corridor.rooms if r.zone == Zone.BEDROOM and r.number == 4)
    base = corridor.rooms_of(Zone.STAFF_BASE)[0]
    dayroom = corridor.rooms_of(Zone.DAYROOM)[0]
    assert place(corridor, bedroom4.id) == "in bedroom 4"
    assert place(corridor, base.id) == "at the staff base"
    assert place(corridor, dayroom.id) == "in the dayroom"
    assert place(corridor, -1) == "in a doorway"
    cluster = cached_layout("cluster")  # three households, a dayroom each
    second = cluster.rooms_of(Zone.DAYROOM)[1]
    assert place(cluster, second.id) == "in dayroom 2"


@pytest.fixture(scope="module")
def ward():
    return MilieuModel(Scenario(), rng=0)


def test_people_of_a_ward(ward):
    nurse = next(s for s in ward.staffing.staff if s.kind == "nurse")
    assert person(nurse) == f"nurse {nurse.unique_id}"
    p = ward.flow.patients()[0]
    assert person(p) == f"patient {p.unique_id}"
    assert person(p.relative) == f"relative of patient {p.unique_id}"


def _event(step, kind, who, other=-1, room=-1, cell=(-1, -1), outcome="", seen=True, cause=-1):
    minute = step * 5
    return Event(
        step,
        minute // 1440,
        minute % 1440,
        kind,
        who,
        other,
        room,
        *cell,
        outcome,
        seen,
        cause,
        "",
        "",
        "",
        True,
        1.0,
    )


def test_feed_of_a_ward(ward):
    """Told with names, levels and rooms; a containment answering an incident is told in the incident."""
    p = next(x for x in ward.flow.patients() if x.level == 1)
    nurse = next(s for s in ward.staffing.staff if s.kind == "nurse")
    dayroom = ward.layout.rooms_of(Zone.DAYROOM)[0]
    cell = dayroom.cells[0]
    events = [
        _event(100, "verbal_abuse", p.unique_id, nurse.unique_id, dayroom.id, cell, "prn_medication"),
        _event(100, "prn_medication", p.unique_id, nurse.unique_id, dayroom.id, cell, "containment", cause=0),
        _event(101, "prn_medication", p.unique_id, nurse.unique_id, dayroom.id, cell, "containment"),
        _event(300, "discharge", 9999, outcome="ready"),
    ]
    before = list(ward.recorder.events)
    ward.recorder.events[:] = events
    try:
        name, staff = f"patient {p.unique_id} (L1)", f"nurse {nurse.unique_id}"
        assert timeline(ward) == [
            ("day 1 01:00", "patient 9999 was discharged, ready to leave"),
            ("day 0 08:25", f"{name} was given as-needed medication by {staff} in the dayroom"),
            (
                "day 0 08:20",
                f"{name} was verbally abusive in the dayroom; {staff} responded with as-needed medication",
            ),
        ]
        assert recent(ward, 2) == [
            "day 1 01:00  patient 9999 was discharged, ready to leave",
            f"day 0 08:25  {name} was given as-needed medication by {staff} in the dayroom",
        ]
        assert describe(ward, events[1]) == (
            f"day 0 08:20  {name} was given as-needed medication by {staff} in the dayroom"
        )
    finally:
        ward.recorder.events[:] = before


def test_rows_of_the_events_table_read_like_the_model_s_events():
    model = MilieuModel(Scenario(), rng=2).run(days=1)
    table = results(model).events
    assert len(table) > 20 and len(model.recorder.events) == len(table)
    for event, (_, series), row in zip(
        model.recorder.events, table.iterrows(), table.itertuples(), strict=True
    ):
        assert as_row(series) == as_row(row) == as_row(event)
        assert told(model, row) == told(model, event)
    assert any(
        " (L" in describe(model, e) for e in model.recorder.events if e.who in _present_patients(model)
    )


def _present_patients(model):
    r = model.roster
    return {a.unique_id for a in model.agents if a.role == PATIENT and r.present[a.slot]}
