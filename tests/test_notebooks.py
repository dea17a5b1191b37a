"""The teaching notebooks: stored without outputs, with a parameters cell, each run end to end small.

A notebook runs in a fresh Jupyter kernel (nbclient) with a cell inserted after its
`parameters` cell that makes the runs small; any error in any cell fails the test.
"""

import ast
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
#: Small sizes for each notebook (names its parameters cell must define).
SMALL = {
    "01_quick_start": {"DAYS": 3},
    "02_levels": {"DAYS": 8, "N_SEEDS": 2, "EXPERIMENT_DAYS": 4},
    "03_power_and_respect": {
        "N_SEEDS": 2,
        "DAYS": 3,
        "PART_SEEDS": 2,
        "PART_DAYS": 2,
        "WIDGET_SEEDS": 2,
        "WIDGET_DAYS": 2,
    },
    "04_space": {"N_SEEDS": 2, "DAYS": 3, "DRIFT_DAYS": 3},
    "05_family_and_community": {
        "DAYS": 3,
        "FAMILY_SEEDS": 2,
        "FAMILY_DAYS": 4,
        "SETTING_SEEDS": 2,
        "SETTING_DAYS": 3,
    },
}
#: Figures each notebook draws at any size.
FIGURES = {
    "01_quick_start": 4,
    "02_levels": 5,
    "03_power_and_respect": 3,
    "04_space": 9,
    "05_family_and_community": 6,
}


def read(name: str):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def parameters_cell(nb) -> int:
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"expected one cell tagged 'parameters', found {len(tagged)}"
    return tagged[0]


def test_the_five_notebooks_and_no_others():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(SMALL)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_stored_without_outputs_with_parameters_and_things_to_try(name):
    nb = read(name)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code), "outputs stored: clear them"
    source = nb.cells[parameters_cell(nb)].source
    assigned = {t.id for node in ast.parse(source).body if isinstance(node, ast.Assign) for t in node.targets}
    assert set(SMALL[name]) <= assigned, f"parameters cell lacks {set(SMALL[name]) - assigned}"
    assert any(c.cell_type == "markdown" and "## Things to try" in c.source for c in nb.cells)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_runs_end_to_end_at_a_small_size(name):
    nb = read(name)
    small = "\n".join(f"{k} = {v!r}" for k, v in SMALL[name].items())
    nb.cells.insert(
        parameters_cell(nb) + 1, nbformat.v4.new_code_cell(f"# small sizes for the test suite\n{small}")
    )
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    images = sum(
        1 for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})
    )
    assert images >= FIGURES[name], f"{images} figures drawn, expected {FIGURES[name]}"


#: How the notebooks may name a marker (matplotlib's code) and a colour (a reference shade).
SHAPE_WORDS = {"o": {"dot", "circle"}, "s": {"square"}, "^": {"triangle"}, "D": {"diamond"}, "*": {"star"}}
COLOUR_WORDS = {
    "white": "#ffffff",
    "black": "#000000",
    "dark blue": "#1d3557",
    "blue": "#3a86ff",
    "green": "#2a9d8f",
    "red": "#d62828",
    "mauve": "#b5838d",
    "pink": "#f7a1c4",
    "purple": "#6a4c93",
    "yellow": "#fcbf49",
}
ROLE_NAMES = {"patient": "patient", "staff": "staff", "relative": "relative"}
DESCRIBED = re.compile(
    r"\b(patients?|staff|relatives?)\b(?: are| as)?\s+((?:[a-z]+ ){0,2}?)"
    r"(dots?|circles?|squares?|triangles?|diamonds?|stars?)\b"
)


def nearest_colour(hex_colour: str) -> str:
    rgb = np.array(to_rgb(hex_colour))
    return min(COLOUR_WORDS, key=lambda w: np.abs(np.array(to_rgb(COLOUR_WORDS[w])) - rgb).sum())


def test_marker_and_colour_words_match_how_people_are_drawn():
    """A notebook that says how a role is drawn says what `viz.run.ROLE_STYLE` draws."""
    from milieusim.viz.run import ROLE_STYLE

    style = {label: (marker, colour) for marker, label, colour in ROLE_STYLE.values()}
    found = 0
    for name in SMALL:
        for cell in read(name).cells:
            if cell.cell_type != "markdown":
                continue
            for role, colour_words, shape in DESCRIBED.findall(" ".join(cell.source.split())):
                marker, colour = style[ROLE_NAMES[role.rstrip("s") if role != "staff" else role]]
                where = f"{name}: {role} {colour_words}{shape}"
                assert shape.rstrip("s") in SHAPE_WORDS[marker], f"{where}: drawn as {marker!r}"
                said = colour_words.strip()
                if said and role.rstrip("s") != "patient":  # a patient's colour is its level's
                    assert said == nearest_colour(colour), f"{where}: drawn in {nearest_colour(colour)}"
                found += 1
    assert found >= 3  # the notebooks do describe the markers


def test_a_button_the_text_names_is_the_button_drawn():
    for name in SMALL:
        nb = read(name)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                for button in re.findall(r"press \*\*(.+?)\*\*", cell.source):
                    assert f'manual_name="{button}"' in code, f"{name}: no button labelled {button!r}"
