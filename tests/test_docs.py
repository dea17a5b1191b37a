"""Generated documentation is up to date."""

from pathlib import Path

from milieusim.paramdoc import parameters_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_parameters_md_is_current():
    assert (DOCS / "parameters.md").read_text() == parameters_markdown(), (
        "docs/parameters.md is stale: run `make docs`"
    )


def test_every_parameter_is_documented_with_unit_or_source():
    text = parameters_markdown()
    assert "`culture.respect`" in text and "`conflict.hazard_per_hour`" in text
    assert "EVIDENCE: occupancy" in text
