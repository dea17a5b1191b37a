"""Regenerate the generated documentation (docs/parameters.md)."""

from pathlib import Path

from milieusim.paramdoc import parameters_markdown

path = Path(__file__).resolve().parent.parent / "docs" / "parameters.md"
path.write_text(parameters_markdown())
print(f"wrote {path}")
