"""Layout files: parsing, and one clear message per problem for every kind of bad file."""

import contextlib

import pytest
from conftest import TINY, make_layout
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from milieusim import InputError
from milieusim.space import Zone, builtin_layouts, load_layout, parse_layout
from milieusim.space.layout_file import layout_ref
from milieusim.space.symbols import FURNITURE_SYMBOLS, ZONE_SYMBOLS

ROOMS_OK = """
    ##########
    #bbbb#ddd#
    #bbbb#ddd#
    ##++##++##
    #e......s#
    ##########
"""
FURN_OK = """
    ##########
    #BB..#...#
    #....#...#
    ##++##++##
    #........#
    ##########
"""


def problems(text):
    with pytest.raises(InputError) as info:
        parse_layout(text, source="bad.toml")
    return info.value.problems, str(info.value)


def test_tiny_layout_rooms_points_and_furniture(tiny):
    assert tiny.shape == (6, 12)
    assert [r.name for r in tiny.rooms] == [
        "bedroom 1",
        "bedroom 2",
        "dayroom 1",
        "entrance 1",
        "corridor 1",
        "staff base 1",
    ]
    assert tiny.bedrooms[0].doors == ((3, 2),)
    assert tiny.points == {"staff_base": (4, 10), "entrance": (4, 1)}
    pieces = tiny.furniture["standard"].pieces
    kinds = [(p.kind, p.cells, p.facing.name if p.facing is not None else None) for p in pieces]
    assert kinds == [
        ("bed", ((1, 1), (2, 1)), None),
        ("bed", ((1, 5), (2, 5)), None),
        ("chair", ((1, 9),), "EAST"),
        ("table", ((1, 10),), None),
        ("chair", ((2, 10),), "NORTH"),
    ]
    assert tiny.bedroom_capacity() == {0: 1, 1: 1}
    assert not tiny.zones.flags.writeable


def test_bedrooms_are_numbered_in_reading_order():
    layout = parse_layout(
        make_layout(
            """
        #########
        #bb#bb#s#
        #++#++#+#
        #e......#
        #++#++###
        #bb#bb#~~
        #########
    """.replace("#########\n        #bb#bb#~~", "#########\n        #bb#bb###")
        )
    )
    firsts = [r.cells[0] for r in layout.bedrooms]
    assert firsts == sorted(firsts)
    assert [r.number for r in layout.bedrooms] == [1, 2, 3, 4]


@pytest.mark.parametrize("name", sorted(builtin_layouts()))
def test_builtin_layouts_load(name):
    layout = load_layout(name)
    assert layout.name == name
    assert layout.meta.description
    assert layout.floor.sum() > 100


def test_unknown_symbol_names_row_col_and_valid_symbols():
    probs, text = problems(make_layout(ROOMS_OK.replace("#e...", "#eZ..")))
    assert len(probs) == 1
    p = probs[0]
    assert (p.row, p.col, p.symbol) == (5, 3, "Z")
    assert "unknown symbol" in p.message and "'b'" in p.message
    assert text.startswith("bad.toml:")


def test_problem_names_the_file_line():
    text = make_layout(ROOMS_OK.replace("#e...", "#eZ.."))
    probs, _ = problems(text)
    assert text.splitlines()[probs[0].line - 1].strip().startswith("#eZ")


def test_ragged_rows():
    probs, _ = problems(make_layout(ROOMS_OK.replace("#bbbb#ddd#\n    #bbbb", "#bbbb#ddd#\n    #bbb")))
    assert len(probs) == 1 and probs[0].row == 3 and "same width" in probs[0].message


def test_plans_of_different_sizes():
    probs, _ = problems(make_layout(ROOMS_OK, FURN_OK.replace("    ##########\n", "", 1)))
    assert any("same size" in p.message for p in probs)


def test_plan_not_enclosed():
    probs, _ = problems(make_layout(ROOMS_OK.replace("#e......s#", "#e......s.")))
    assert any(p.row == 5 and p.col == 10 and "enclose" in p.message for p in probs)


def test_furniture_on_wall_and_in_doorway():
    furn = FURN_OK.replace("##++##++##", "##+C##++##").replace("#BB..#...#", "#BB..T...#")
    probs, _ = problems(make_layout(ROOMS_OK, furn))
    messages = {(p.row, p.col): p.message for p in probs}
    assert "table on a wall" in messages[(2, 6)]
    assert "chair on a door" in messages[(4, 4)]


def test_unreachable_zone():
    rooms = ROOMS_OK.replace("##++##++##", "######++##")
    probs, _ = problems(make_layout(rooms, FURN_OK.replace("##++##++##", "######++##")))
    assert any("bedroom 1 cannot be reached from the entrance" in p.message for p in probs)


def test_no_staff_base():
    probs, _ = problems(make_layout(ROOMS_OK.replace("s#", ".#")))
    assert any("no staff base" in p.message for p in probs)


def test_home_needs_no_staff_base():
    layout = parse_layout(make_layout(ROOMS_OK.replace("s#", ".#"), FURN_OK, setting="home"))
    assert "staff_base" not in layout.points


def test_bed_outside_bedroom():
    probs, _ = problems(
        make_layout(ROOMS_OK, FURN_OK.replace("#...#\n    #....#...#", "#.B.#\n    #....#...#"))
    )
    assert any("bed in the dayroom" in p.message for p in probs)


def test_fewer_bedrooms_than_beds():
    probs, _ = problems(make_layout(ROOMS_OK, FURN_OK, beds=3))
    assert any("3 beds declared but the plan has only 1 bedrooms" in p.message for p in probs)
    probs, _ = problems(make_layout(ROOMS_OK, FURN_OK.replace("BB", ".."), beds=1, setting="inpatient"))
    assert any("bedrooms hold only 0 beds" in p.message for p in probs)


def test_unknown_keys_suggest_the_nearest():
    probs, _ = problems(make_layout(ROOMS_OK, extra="cell_size = 0.5").replace("cell_size_m = 0.5\n", "", 1))
    assert any("unknown key 'cell_size'; did you mean 'cell_size_m'?" in p.message for p in probs)
    probs, _ = problems(make_layout(ROOMS_OK) + "\n[pionts]\nstaff_base = [5, 9]\n")
    assert any("'pionts'" in p.message and "did you mean 'points'" in p.message for p in probs)


def test_value_out_of_range_names_field_value_and_range():
    probs, _ = problems(make_layout(ROOMS_OK).replace("cell_size_m = 0.5", "cell_size_m = 5.0"))
    (p,) = probs
    assert p.where == "[layout] cell_size_m" and "5.0" in p.message and "[0.1, 2.0]" in p.message


def test_points_must_be_on_their_zone():
    probs, _ = problems(make_layout(ROOMS_OK) + "\n[points]\nstaff_base = [2, 2]\n")
    assert any("not on staff base" in p.message for p in probs)
    layout = parse_layout(make_layout(ROOMS_OK) + "\n[points]\nstaff_base = [5, 9]\n")
    assert layout.points["staff_base"] == (4, 8)


def test_facing_cannot_be_inferred():
    furn = FURN_OK.replace("#....#...#", "#....#.C.#")
    probs, _ = problems(make_layout(ROOMS_OK, furn))
    assert any("cannot tell which way this chair faces" in p.message for p in probs)


def test_not_toml_and_missing_file():
    probs, text = problems("[layout\nname=")
    assert "not valid TOML" in probs[0].message
    with pytest.raises(InputError, match="no layout file /nonexistent/ward.toml and no built-in layout"):
        load_layout("/nonexistent/ward.toml")


def test_a_layout_reference_is_a_file_next_to_who_names_it_else_a_built_in_name(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "mine.toml").write_text(TINY)
    (plans / "corridor").write_text(TINY)  # a file wins over the built-in name it shadows
    assert layout_ref("mine.toml", plans) == str(plans / "mine.toml")
    assert layout_ref("corridor", plans) == str(plans / "corridor")
    assert layout_ref("corridor", tmp_path) == "corridor"
    assert layout_ref(str(plans / "mine.toml"), tmp_path / "elsewhere") == str(plans / "mine.toml")
    monkeypatch.chdir(plans)
    assert layout_ref("mine.toml") == str(plans / "mine.toml")  # default: the current folder
    assert load_layout("mine.toml", plans).name == "tiny"
    with pytest.raises(InputError) as info:
        layout_ref("mine.toml", tmp_path)
    assert str(info.value) == (
        f"mine.toml: no layout file {tmp_path / 'mine.toml'} and no built-in layout of that name; "
        "built-in layouts: central_base, cluster, corridor, day_hospital, home"
    )


def test_many_problems_are_capped_but_counted():
    rooms = ROOMS_OK.replace("ddd", "ZZZ")
    probs, _ = problems(make_layout(rooms))
    assert len(probs) == 6  # each unknown symbol shown
    rooms = "\n".join(["#" * 30] + ["#" + "Z" * 28 + "#"] * 3 + ["#" * 30])
    probs, _ = problems(make_layout(rooms))
    assert probs[-1].message.startswith("... and 72 more like")


# -- fuzzing: the parser only ever raises its own error

ALPHABET = "".join(ZONE_SYMBOLS) + "".join(FURNITURE_SYMBOLS) + ' .\n"=[]xyz019'


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_fuzz_random_text(text):
    with contextlib.suppress(InputError):
        parse_layout(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(TINY) - 1), st.sampled_from(list(ALPHABET) + [""])),
        min_size=1,
        max_size=6,
    )
)
def test_fuzz_mutated_file(edits):
    text = list(TINY)
    for pos, ch in edits:
        text[pos % len(text)] = ch
    try:
        layout = parse_layout("".join(text))
    except InputError:
        return
    assert layout.floor.any()
    assert (layout.zones[layout.room_of >= 0] > Zone.DOOR).all()
