"""Regenerate the generated documentation: docs/parameters.md, docs/evidence.md, docs/ODD.md's blocks."""

from pathlib import Path

from milieusim import bibliography, docblocks
from milieusim.paramdoc import parameters_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"

(DOCS / "parameters.md").write_text(parameters_markdown())
print(f"wrote {DOCS / 'parameters.md'}")
(DOCS / "evidence.md").write_text(bibliography.evidence_markdown(bibliography.load(DOCS / "references.bib")))
print(f"wrote {DOCS / 'evidence.md'}")
odd = DOCS / "ODD.md"
odd.write_text(docblocks.render(odd.read_text()))
print(f"rewrote the generated blocks of {odd}")
