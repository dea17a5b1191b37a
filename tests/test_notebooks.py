"""The teaching notebooks: stored without outputs, with a parameters cell, each run end to end small.

A notebook runs in a fresh Jupyter kernel (nbclient) with a cell inserted after its
`parameters` cell that makes the runs small; any error in any cell fails the test.
"""

import ast
from pathlib import Path

import nbformat
import pytest
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
