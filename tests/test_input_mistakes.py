"""Bad layout, scenario and experiment files: each command refuses them with one line naming the file
and the field (exit status 2, no traceback), before anything is built or written.

Each case runs the real command in a process of its own.
"""

import textwrap

import pytest
from cli_helpers import milieusim, refused
from conftest import TINY

from milieusim.space.limits import MAX_PLAN_SIDE

NO_FURNITURE = TINY[: TINY.index("[furniture.standard]")]
LOUNGE = """
[furniture.lounge]
plan = \"\"\"
############
#...#...#..#
#...#...#..#
##+###+##+##
#..........#
############
\"\"\"
"""


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def spec_using(folder, layout="home", factor="values = [0.2, 0.8]", name="spec.toml", extra=""):
    return write(
        folder,
        name,
        f"""
        [experiment]
        name = "s"
        days = 1
        {extra}
        [base]
        layout = "{layout}"
        [factors."culture.respect"]
        {factor}
        """,
    )


# -- layouts


@pytest.fixture
def no_beds(tmp_path):
    return write(tmp_path, "nobeds.toml", NO_FURNITURE)


def test_a_ward_without_furniture_has_no_beds_in_validate_and_run(tmp_path, no_beds):
    names = ["nobeds.toml", "[furniture]", "no beds", 'only a day hospital (setting = "day")']
    refused(milieusim("layout", "validate", no_beds), *names, prefix="")
    refused(milieusim("run", "--layout", no_beds, "--days", "1", "--out", tmp_path / "o"), *names)
    assert not (tmp_path / "o").exists()
    day = write(tmp_path, "day.toml", NO_FURNITURE.replace('name = "tiny"', 'name = "tiny"\nsetting = "day"'))
    assert milieusim("layout", "validate", day).returncode == 0  # a day hospital needs no beds


def test_a_ward_without_beds_is_refused_by_sweep_and_compare(tmp_path, no_beds):
    names = ["nobeds.toml", "[furniture]", "no beds"]
    spec = spec_using(tmp_path, layout="nobeds.toml")
    refused(milieusim("sweep", spec, "--out", tmp_path / "s"), *names)
    result = milieusim("compare", "corridor", no_beds, "--out", tmp_path / "c", "--days", "1")
    refused(result, *names)
    assert not (tmp_path / "s").exists() and not (tmp_path / "c").exists()


def test_no_beds_at_all(tmp_path):
    zero = write(tmp_path, "zero.toml", TINY.replace("beds = 2", "beds = 0"))
    result = milieusim("layout", "validate", zero)
    refused(result, "zero.toml", "[layout] beds", "0 is invalid", "[1, 500]", prefix="")


LAYOUT_CASES = {
    "floor over a wall": (
        TINY.replace("#B..#B..#CT#", ".B..#B..#CT#"),
        ["row 2, col 1 '.'", "shows floor where the rooms plan has wall '#'; copy '#'"],
    ),
    "floor over a door": (
        TINY.replace("##+###+##+##\n#..........#", "##.###+##+##\n#..........#"),
        ["row 4, col 3 '.'", "shows floor where the rooms plan has door '+'; copy '+'"],
    ),
    "a plan whose beds are elsewhere": (
        TINY + LOUNGE,
        ["[furniture.lounge]", "2 beds declared but the bedrooms hold only 0 beds"],
    ),
    "an unnamed variant": (
        TINY.replace("[furniture.standard]", '[furniture.""]'),
        ['[furniture.""]', "a furniture variant needs a name, e.g. [furniture.standard]"],
    ),
    "a chair facing a wall": (
        TINY.replace("#B..#B..#.^#", "#B..#B..#.>#"),
        ["row 3, col 11 '>'", "this chair faces straight into a wall: draw it as ^ > v <"],
    ),
    "a sofa in the open": (
        TINY.replace('#..........#\n############\n"""\n', '#....S.....#\n############\n"""\n', 1),
        ["row 5, col 6 'S'", "cannot tell which way this sofa faces: stand it against one wall"],
    ),
    "a TV in the open": (
        TINY.replace('#..........#\n############\n"""\n', '#....V.....#\n############\n"""\n', 1),
        ["row 5, col 6 'V'", "which way this tv faces: stand it against one wall", "its screen faces away"],
    ),
}


@pytest.mark.parametrize("case", LAYOUT_CASES)
def test_a_furniture_plan_mistake_names_the_cell(tmp_path, case):
    text, names = LAYOUT_CASES[case]
    assert text != TINY
    path = write(tmp_path, "ward.toml", text)
    refused(milieusim("layout", "validate", path), "ward.toml:", *names, prefix="")


def test_the_worked_example_of_the_docs_validates(tmp_path):
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "layouts.md").read_text()
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    path = write(tmp_path, "tiny.toml", example)
    result = milieusim("layout", "validate", path)
    assert result.returncode == 0, result.stderr


def test_a_plan_over_the_size_limit_is_refused_at_once(tmp_path):
    side = MAX_PLAN_SIDE + 1
    rows = ["#" * side] + ["#" + "." * (side - 2) + "#"] * (side - 2) + ["#" * side]
    big = '[layout]\nname = "big"\ncell_size_m = 0.5\nbeds = 1\n[rooms]\nplan = """\n' + "\n".join(rows)
    path = write(tmp_path, "big.toml", big + '\n"""\n')
    result = milieusim("layout", "validate", path, timeout=60)
    refused(result, "big.toml", f"{side} rows x {side} cols", prefix="")
    huge = tmp_path / "huge.toml"
    huge.write_text(big + ("\n" + "#" * 5000) * 1000 + '\n"""\n')  # 5 MB: not even read as TOML
    refused(milieusim("layout", "validate", huge, timeout=60), "huge.toml", "too big for a layout", prefix="")


# -- scenarios


SCENARIO_CASES = {
    "a preset that is not text": ("preset = 5\n", ["preset: 5 is not a preset's name", 'preset = "milieu"']),
    "an unknown preset": (
        'preset = "milieux"\n',
        ["preset: unknown preset 'milieux'", "did you mean 'milieu'"],
    ),
    "a flag for a number": ("[culture]\nrespect = true\n", ["[culture] respect: true is invalid", "number"]),
    "a time of day": (
        '[levels]\nreview_time = "25:99"\n',
        ["[levels] review_time: '25:99' is invalid", "HH:MM from 00:00 to 23:59"],
    ),
    "more beds than the plan": ("[ward]\nbeds = 150\n", ["[ward] beds", "'corridor' has 20 beds"]),
    "a furniture the plan lacks": (
        '[ward]\nfurniture = "fancy"\n',
        ["[ward] furniture", "no furniture variant 'fancy'", "sociopetal"],
    ),
}


@pytest.mark.parametrize("case", SCENARIO_CASES)
def test_a_scenario_mistake_names_the_file_and_field_in_run(tmp_path, case):
    text, names = SCENARIO_CASES[case]
    path = write(tmp_path, "mine.toml", text)
    line = refused(milieusim("run", "--scenario", path, "--days", "1", "--out", tmp_path / "o"), *names)
    assert line.startswith(f"error: {path}: ") and "{" not in line  # the file first, no dump of it
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("case", ["a preset that is not text", "more beds than the plan"])
def test_a_scenario_mistake_names_the_file_and_field_in_compare(tmp_path, case):
    text, names = SCENARIO_CASES[case]
    path = write(tmp_path, "mine.toml", text)
    result = milieusim("compare", "corridor", "cluster", "--scenario", path, "--out", tmp_path / "c")
    err = result.stderr
    assert result.returncode == 2 and "Traceback" not in err, err
    assert all(line.startswith(("error: ", str(path))) and str(path) in line for line in err.splitlines())
    assert all(name in err for name in names)
    assert not (tmp_path / "c").exists()


# -- experiment files


def test_a_range_with_a_tiny_step_is_refused_at_once_with_the_count(tmp_path):
    spec = spec_using(tmp_path, factor="range = [0, 1, 1e-8]")
    refused(
        milieusim("sweep", spec, "--out", tmp_path / "o", timeout=60),
        "spec.toml",
        "culture.respect",
        "makes 100000001 values",
    )
    assert not (tmp_path / "o").exists()


def test_a_range_with_nan_names_the_file_and_factor(tmp_path):
    spec = spec_using(tmp_path, factor="range = [0, nan, 0.1]")
    refused(milieusim("sweep", spec, "--out", tmp_path / "o"), "spec.toml", "culture.respect", "nan")


def test_a_design_of_many_runs_needs_yes(tmp_path):
    spec = spec_using(tmp_path, factor="range = [0, 1, 0.01]", extra="replications = 100")  # 10,100 runs
    result = milieusim("sweep", spec, "--out", tmp_path / "o")
    refused(result, "spec.toml", "10,100 runs, more than 10,000", "add --yes")
    assert not (tmp_path / "o").exists()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("")
    with_yes = milieusim("sweep", spec, "--out", busy, "--yes")  # past the count, up to the folder check
    refused(with_yes, str(busy), "folder is not empty", alone=False)
    huge = spec_using(tmp_path, factor="range = [0, 1, 0.001]", extra="replications = 10000", name="h.toml")
    refused(milieusim("sweep", huge, "--yes"), "h.toml", "10,010,000 runs, more than 1,000,000")
