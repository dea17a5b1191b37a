"""Generated documentation is up to date, and the ODD's generated blocks follow the code."""

from pathlib import Path

import pytest

from milieusim import bibliography, docblocks, docblocks_conflict, paramdoc, statevars
from milieusim.agents.roster import Roster
from milieusim.paramdoc import parameters_markdown
from milieusim.rules import conflict, containment, course, flashpoints
from milieusim.space import informal, seating

DOCS = Path(__file__).resolve().parent.parent / "docs"
ODD = DOCS / "ODD.md"
COURSE = "§7.13 Course of illness, hygiene, autonomy"


def test_parameters_md_is_current():
    assert (DOCS / "parameters.md").read_text() == parameters_markdown(), (
        "docs/parameters.md is stale: run `make docs`"
    )


def test_every_parameter_is_documented_with_unit_or_source():
    text = parameters_markdown()
    assert "`culture.respect`" in text and "`conflict.conversion_odds`" in text
    assert "[@rcpsych2011]: occupancy at most 85%" in text
    assert docblocks.timetable_table() in text  # the same timetable table as the ODD's


def test_evidence_md_is_current():
    expected = bibliography.evidence_markdown(bibliography.load(DOCS / "references.bib"))
    assert (DOCS / "evidence.md").read_text() == expected, "docs/evidence.md is stale: run `make docs`"


def test_odd_generated_blocks_match_the_code():
    stale = docblocks.drifts(ODD.read_text())
    assert not stale, "docs/ODD.md no longer matches the code (run `make docs`):\n" + "\n".join(
        map(str, stale)
    )


def test_odd_carries_every_generated_block():
    names = [name for name, _, _ in docblocks.blocks(ODD.read_text())]
    assert sorted(names) == sorted(docblocks.BLOCKS)


@pytest.mark.parametrize(
    ("module", "constant", "value", "section", "block"),
    [
        (
            course,
            "ATTENDANCE_GAIN",
            0.9,
            "§7.13 Course of illness, hygiene, autonomy",
            "recovery-multipliers",
        ),
        (
            course,
            "CONTAINMENT_SETBACK",
            0.05,
            "§7.13 Course of illness, hygiene, autonomy",
            "recovery-multipliers",
        ),
        (seating, "CONVERSATION_RANGE_M", 2.0, "§7.6 Encounters", "seat-weights"),
        (informal, "BACK_FACTOR", 2.0, "§7.8 Agitation and flashpoints", "proxemic-zones"),
        (informal, "HALL_PERSONAL_M", 1.25, "§7.8 Agitation and flashpoints", "proxemic-zones"),
        (flashpoints, "AROUSAL_LOG_OR", 2.0, "§7.8 Agitation and flashpoints", "conversion-terms"),
        (flashpoints, "PRONENESS_POWER", 0.7, "§7.8 Agitation and flashpoints", "conversion-terms"),
        (
            conflict,
            "KIND_WEIGHTS_MILD",
            conflict.KIND_WEIGHTS_MILD * 2.5,
            "§7.10 Conflict and response",
            "kind-weights",
        ),
        (
            conflict,
            "EMPHASIS",
            {**conflict.EMPHASIS, "medication": {"medication_refusal": 6.0}},
            "§7.10 Conflict and response",
            "kind-weights",
        ),
        (
            containment,
            "RESPONSES",
            {**containment.RESPONSES, "threat": (("show_of_force", 1.0),)},
            "§7.10.2 Talk-down and containment",
            "responses",
        ),
        (
            containment,
            "CALMING",
            {**containment.CALMING, "seclusion": 0.4},
            "§7.10.2 Talk-down and containment",
            "containments",
        ),
        (
            Roster,
            "FIELDS",
            {**Roster.FIELDS, "room": (int, (), -2)},
            "§2 Entities, state variables and scales",
            "state-variables",
        ),
    ],
)
def test_changing_a_constant_names_the_odd_section_that_no_longer_matches(
    monkeypatch, module, constant, value, section, block
):
    monkeypatch.setattr(module, constant, value)
    stale = docblocks.drifts(ODD.read_text())
    assert [(d.name, d.section) for d in stale] == [(block, section)]
    assert str(stale[0]).startswith(f"{section} (line ")


def test_changing_a_sommer_weight_or_a_level_rule_names_its_section(monkeypatch):
    weights = dict(seating.SOMMER_WEIGHT)
    weights[seating.SeatRelation.OPPOSITE] = 0.25
    monkeypatch.setattr(seating, "SOMMER_WEIGHT", weights)
    rules = docblocks.params_tables.DEFAULT_LEVEL_RULES
    first = rules[0].model_copy(update={"min_days": 5})
    monkeypatch.setattr(docblocks.params_tables, "DEFAULT_LEVEL_RULES", (first, *rules[1:]))
    stale = {d.name: d.section for d in docblocks.drifts(ODD.read_text())}
    assert stale == {"seat-weights": "§7.6 Encounters", "level-rules": "§7.14 Levels"}


def test_changing_the_timetable_names_the_process_overview(monkeypatch):
    blocks = docblocks.params_tables.DEFAULT_TIMETABLE
    monkeypatch.setattr(docblocks.params_tables, "DEFAULT_TIMETABLE", blocks[:-1])
    stale = docblocks.drifts(ODD.read_text())
    assert [(d.name, d.section) for d in stale] == [("timetable", "§3 Process overview and scheduling")]


def test_render_rewrites_only_the_blocks_and_is_idempotent():
    text = "# 1. Intro\n\nkept\n<!-- generated: level-rules -->\nold table\n<!-- end -->\nkept too\n"
    once = docblocks.render(text)
    assert once.startswith("# 1. Intro\n\nkept\n<!-- generated: level-rules -->\n| rule |")
    assert once.endswith("<!-- end -->\nkept too\n")
    assert docblocks.render(once) == once
    assert docblocks.drifts(text)[0].section == "§1 Intro"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<!-- generated: nonsense -->\n<!-- end -->", "line 1: no generated block 'nonsense'"),
        ("a\n<!-- generated: timetable -->\nb", "line 2: block 'timetable' has no <!-- end -->"),
        ("<!-- end -->", "line 1: <!-- end --> with no block open"),
        (
            "<!-- generated: timetable -->\n<!-- generated: level-rules -->",
            "line 2: block opened inside the block of line 1",
        ),
    ],
)
def test_malformed_blocks_are_named_by_line(text, message):
    with pytest.raises(docblocks.DocBlockError, match=message):
        docblocks.blocks(text)


def test_a_block_missing_from_the_document_is_a_drift():
    missing = {d.name for d in docblocks.drifts("# Nothing generated here\n")}
    assert missing == set(docblocks.BLOCKS)


def test_every_state_variable_has_a_unit_and_range_and_every_entry_a_variable():
    assert statevars.undocumented() == [] and statevars.stale() == []


def test_a_new_state_variable_without_a_unit_is_named(monkeypatch):
    monkeypatch.setattr(Roster, "FIELDS", {**Roster.FIELDS, "mood": (float, (), 0.0)})
    assert statevars.undocumented() == ["person.mood"]
    monkeypatch.setattr(Roster, "FIELDS", {k: v for k, v in Roster.FIELDS.items() if k != "mood"})
    monkeypatch.setitem(statevars.STATE["staff"], "rank", statevars.Var("-", "-", "-"))
    assert statevars.stale() == ["staff.rank"]


def test_state_table_shows_what_an_agent_sets_at_init():
    rows = {
        line.split(" | ")[1]: line for line in statevars.state_table().splitlines() if line.startswith("| ")
    }
    assert "| `0.4` | 0-1 | [0, 1] |" in rows["`trust`"]  # Patient.__init__, not the roster's fill 0.0
    assert "`patient.slot (relative)`" in rows["`partner`"]  # set by Relative.__init__ on the roster


def test_every_containment_has_a_row():
    kinds = set(docblocks_conflict.WHAT_HAPPENS) | set(containment.OBSERVATION_KINDS)
    assert kinds == set(containment.CONTAINMENT_KINDS)


def test_validation_names_every_calibrated_parameter_and_only_those():
    calibrated = paramdoc.calibrated_parameters()
    marked = [line.split("`")[1] for line in parameters_markdown().splitlines() if "| calibrated" in line]
    assert calibrated == marked and "culture.needs_focus" in calibrated
    text = " ".join((DOCS / "validation.md").read_text().split())
    assert ", ".join(f"`{k}`" for k in calibrated) + ", and the conflict-kind weights" in text
