"""Citations: every key cited has an entry in docs/references.bib, every entry is cited, and the
repository stands alone (it cites published sources, not notes outside it)."""

import os
import re
from pathlib import Path

import pytest

from milieusim import bibliography
from milieusim.params import GROUPS, Scenario

ROOT = Path(__file__).resolve().parent.parent
BIB = ROOT / "docs" / "references.bib"
#: Where citations are looked for: the package, documents, notebooks, studies, scripts, README.
CITING = ("milieusim", "docs", "notebooks", "experiments", "scripts", "benchmarks", "README.md")
#: Generated from the bibliography itself, so it cites every entry and proves nothing.
NOT_CITING = {BIB, ROOT / "docs" / "evidence.md"}
SKIP_DIRS = {".git", ".venv", "out", "results", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}
#: The two planning notes the project was built from are not in the repository; nothing may cite them.
NOTES = re.compile(r"\b(?:EVIDE" + r"NCE|DESI" + r"GN)\b")
#: Modules whose text still refers to those notes, with how many lines do; the counts may only fall,
#: and this list must follow them (a file leaves it at 0).
PENDING = {
    "milieusim/model.py": 1,
    "milieusim/agents/family.py": 1,
    "milieusim/agents/patient.py": 3,
    "milieusim/agents/staff.py": 2,
    "milieusim/rules/flashpoints.py": 1,
    "milieusim/ward/conflict.py": 1,
    "milieusim/ward/flow.py": 1,
    "milieusim/ward/places.py": 1,
}


@pytest.fixture(scope="module")
def entries():
    return bibliography.load(BIB)


def _files(roots=None):
    """Text files of the repository (under `roots` when given), build and run outputs left out."""
    tops = [ROOT / r for r in roots] if roots else [ROOT]
    paths = []
    for top in tops:
        if top.is_file():
            paths.append(top)
            continue
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info"))
            paths += [Path(folder) / n for n in sorted(names)]
    for p in paths:
        try:
            text = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if "\x00" not in text:
            yield p, text


def _cited():
    """(file, line, key) for every citation in the citing files."""
    return [
        (p.relative_to(ROOT), line, key)
        for p, text in _files(CITING)
        if p not in NOT_CITING
        for key, line in bibliography.citations(text)
    ]


def test_every_entry_is_complete(entries):
    assert len(entries) >= 40
    tables = {keyword for keyword, _, _ in bibliography.TABLES}
    for e in entries.values():
        where = f"docs/references.bib line {e.line} ({e.key})"
        assert e.authors and e.get("title"), f"{where}: author and title are required"
        assert e.get("year") or e.get("url"), f"{where}: a year (or, for a web page, its url) is required"
        if e.kind == "article":
            assert e.get("journal"), f"{where}: an article needs its journal"
        if e.kind == "book":
            assert e.get("publisher"), f"{where}: a book needs its publisher"
        assert e.get("keywords") in tables, f"{where}: keywords must be one of {sorted(tables)}"
        assert e.get("topic") and e.get("note"), f"{where}: the evidence row (topic, note) is required"
        assert not e.get("doi") or re.fullmatch(r"10\.\d{4,}/\S+", e.get("doi")), f"{where}: malformed doi"


def test_every_cited_key_has_an_entry(entries):
    missing = [f"{path}:{line}: [@{key}]" for path, line, key in _cited() if key not in entries]
    assert not missing, "citation keys with no entry in docs/references.bib:\n" + "\n".join(missing)


def test_every_entry_is_cited(entries):
    cited = {key for _, _, key in _cited()}
    uncited = sorted(set(entries) - cited)
    assert not uncited, f"entries of docs/references.bib nobody cites: {uncited}"


def test_the_code_docs_and_parameters_cite_by_key():
    cited_in = {str(path).split("/")[0] for path, _, _ in _cited()}
    assert {"milieusim", "docs", "experiments"} <= cited_in  # scripts/validate.py reads the targets file
    files = {str(path) for path, _, _ in _cited()}
    assert {"milieusim/params.py", "docs/ODD.md", "docs/validation.md", "docs/parameters.md"} <= files
    assert "milieusim/targets/baseline.toml" in files


def test_no_file_refers_to_notes_outside_the_repository():
    found: dict[str, int] = {}
    for p, text in _files():
        if p == Path(__file__).resolve():
            continue
        n = sum(1 for line in text.splitlines() if NOTES.search(line))
        if n:
            found[str(p.relative_to(ROOT))] = n
    assert found == PENDING, (
        "cite a published source by key (docs/references.bib) or a section of docs/ODD.md instead; "
        f"files and lines that still refer to the notes: {found}"
    )


def test_every_numeric_parameter_names_a_source_or_says_it_has_none():
    for name, info in Scenario.model_fields.items():
        if info.annotation not in GROUPS:
            continue
        for field, f in info.annotation.model_fields.items():
            if not isinstance(f.default, int | float) or isinstance(f.default, bool):
                continue
            source = (f.json_schema_extra or {}).get("source", "")
            ok = source.startswith(("assumption", "calibrated")) or bibliography.citations(source)
            assert ok, f"{name}.{field}: source {source!r} is neither a citation, calibrated nor assumption"


def test_milieu_components_referred_to_exist():
    odd = (ROOT / "docs" / "ODD.md").read_text()
    appendix = odd[odd.index("## Appendix A") :]
    numbered = re.findall(r"^(\d+)\. \*\*", appendix, flags=re.MULTILINE)
    assert numbered == [str(i) for i in range(1, 13)]
    for p, text in _files(CITING):
        for n in re.findall(r"milieu components? (\d+)", text):
            assert 1 <= int(n) <= 12, f"{p.relative_to(ROOT)}: there is no milieu component {n}"


# -- the reader itself


def test_citations_are_found_in_their_forms():
    text = "a [@hall1966] b\nc [@kinzel1970; @horowitz1964], [dir:\n@owen1998] and [A], x@y.z [@Typo2000]"
    assert bibliography.citations(text) == [
        ("hall1966", 1),
        ("kinzel1970", 2),
        ("horowitz1964", 2),
        ("owen1998", 2),
        ("Typo2000", 3),
    ]
    assert bibliography.citations("decorators @property and emails a@b.c cite nothing") == []


def test_labels_and_references_read_as_citations(entries):
    assert bibliography.label(entries["sommer1958"]) == "Sommer & Ross (1958)"
    assert bibliography.label(entries["bowers2015"]) == "Bowers et al. (2015)"
    assert bibliography.label(entries["hscic2014"]) == "Health and Social Care Information Centre (2014)"
    ref = bibliography.reference(entries["horowitz1964"])
    assert ref == (
        "Horowitz et al. (1964). Body-buffer zone: exploration of personal space. "
        "*Archives of General Psychiatry* 11(6):651\u2013656. <https://doi.org/10.1001/archpsyc.1964.01720300081010>"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@article{a,\n title = {x},\n}\n@book{a, title = {y}}", "line 4: key 'a' is used twice"),
        ("@article{a,\n title = x}", "line 2: expected `name = {value}` in entry 'a'"),
        ("@article{a,\n title = {x}", "unclosed brace|expected"),
    ],
)
def test_a_malformed_bibliography_names_the_line(text, message):
    with pytest.raises(bibliography.BibError, match=message):
        bibliography.parse(text)


def test_fields_lose_their_latex():
    e = bibliography.parse(
        r"@misc{k, author = {{The King's Fund} and Doe, J.}, note = {50\% and {ODD} 1--2}}"
    )["k"]
    assert e.authors == ("The King's Fund", "Doe, J.")
    assert e.get("note") == "50% and ODD 1\u20132"
