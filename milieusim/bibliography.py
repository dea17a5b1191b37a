"""The published sources the model rests on: docs/references.bib, citations by key, the evidence tables.

The bibliography is the one home of every source and of the figures the
project takes from each (an entry's `note`), grouped into evidence tables (its
`keywords`). Code and documents cite a source by key in the form
``[@hall1966]``, several as ``[@kinzel1970; @horowitz1964]``, a source that
gives only the direction of an effect as ``[dir: @owen1998]``. This module
reads the file, finds the keys a text cites, and writes docs/evidence.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: The evidence tables, in the order docs/evidence.md shows them: keyword, heading, what it holds.
TABLES = (
    ("mechanisms", "Mechanisms", "What the model's mechanisms rest on."),
    (
        "conflict",
        "Conflict and containment: what acts, and how much",
        "The evidence on what changes conflict and containment on a ward, and by how much.",
    ),
    (
        "calibration",
        "Calibration targets",
        "The figures the neutral baseline ward is calibrated against (docs/validation.md).",
    ),
    ("methods", "Methods and software", "How the model is described, analysed and measured."),
)
#: A citation: a bracketed group holding one or more @keys (pandoc's form); it may wrap a line.
CITATION = re.compile(r"\[[^\[\]]{0,200}?@[A-Za-z][^\[\]]{0,200}\]")
KEY = re.compile(r"(?<![\w.])@([A-Za-z][\w-]*)")
_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,")
_FIELD = re.compile(r"\s*(\w+)\s*=\s*")


class BibError(ValueError):
    """The bibliography file is malformed; the message names the line."""


@dataclass(frozen=True)
class Entry:
    """One source: its BibTeX type, key and fields (values with LaTeX escapes undone)."""

    kind: str
    key: str
    fields: dict[str, str]
    line: int
    authors: tuple[str, ...] = ()

    def get(self, name: str) -> str:
        """A field's value, or "" when the entry has none."""
        return self.fields.get(name, "")


def _text(value: str) -> str:
    """A field value as plain text: braces dropped, escapes undone, whitespace joined."""
    value = value.replace(r"\%", "%").replace(r"\&", "&").replace("--", "\u2013")
    return " ".join(value.replace("{", "").replace("}", "").split())


def _split_authors(raw: str) -> tuple[str, ...]:
    """Authors of a raw `author` value: split on "and" outside braces ({The King's Fund} stays whole)."""
    names, depth, start = [], 0, 0
    for i, ch in enumerate(raw):
        depth += (ch == "{") - (ch == "}")
        if depth == 0 and raw.startswith(" and ", i) or i == len(raw) - 1:
            end = i + 1 if i == len(raw) - 1 else i
            names.append(_text(raw[start:end]))
            start = i + 5
    return tuple(n for n in names if n)


def _braced(text: str, start: int, line_of) -> tuple[str, int]:
    """The content of the brace group opening at `start`, and the index after it."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i], i + 1
    raise BibError(f"line {line_of(start)}: unclosed brace")


def parse(text: str) -> dict[str, Entry]:
    """Every entry of a BibTeX text, by key. Text outside entries is comment, as in BibTeX.

    Raises:
        BibError: an entry or field that cannot be read, or a key used twice.
    """

    def line_of(i: int) -> int:
        return text.count("\n", 0, i) + 1

    entries: dict[str, Entry] = {}
    for m in _ENTRY.finditer(text):
        kind, key, pos = m.group(1).lower(), m.group(2), m.end()
        if key in entries:
            raise BibError(f"line {line_of(m.start())}: key {key!r} is used twice")
        fields: dict[str, str] = {}
        authors: tuple[str, ...] = ()
        while True:
            close = re.match(r"\s*\}", text[pos:])
            if close:
                break
            f = _FIELD.match(text, pos)
            if not f or f.end() >= len(text) or text[f.end()] != "{":
                where = pos + len(text[pos:]) - len(text[pos:].lstrip())
                raise BibError(f"line {line_of(where)}: expected `name = {{value}}` in entry {key!r}")
            value, pos = _braced(text, f.end(), line_of)
            fields[f.group(1).lower()] = _text(value)
            if f.group(1).lower() == "author":
                authors = _split_authors(" ".join(value.split()))
            comma = re.match(r"\s*,", text[pos:])
            if comma:
                pos += comma.end()
        entries[key] = Entry(kind, key, fields, line_of(m.start()), authors)
    return entries


def load(path: Path) -> dict[str, Entry]:
    """The entries of the bibliography file at `path`."""
    try:
        return parse(path.read_text(encoding="utf-8"))
    except BibError as e:
        raise BibError(f"{path}: {e}") from None


def citations(text: str) -> list[tuple[str, int]]:
    """Every key `text` cites, with its line number, in order."""
    found = []
    for m in CITATION.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        found.extend((key, line) for key in KEY.findall(m.group(0)))
    return found


def _surname(author: str) -> str:
    return author.split(",")[0].strip() if "," in author else author


def label(entry: Entry) -> str:
    """Author and year as a reader cites them, e.g. "Sommer & Ross (1958)", "Bowers et al. (2015)"."""
    names = [_surname(a) for a in entry.authors]
    who = f"{names[0]} et al." if len(names) > 2 or "others" in names else " & ".join(names)
    year = entry.get("year")
    return f"{who} ({year})" if year else who


def reference(entry: Entry) -> str:
    """The full reference in one line of Markdown."""
    parts = [label(entry) + "."]
    title = entry.get("title")
    parts.append(title if title.endswith(("?", "!", ".")) else f"{title}.")
    venue = entry.get("journal") or entry.get("publisher") or entry.get("institution")
    venue = venue or entry.get("howpublished")
    if entry.get("journal"):
        detail = entry.get("volume")
        if entry.get("number"):
            detail += f"({entry.get('number')})" if detail else f"no. {entry.get('number')}"
        if entry.get("pages"):
            detail += f":{entry.get('pages')}" if detail else entry.get("pages")
        venue = f"*{venue}*" + (f" {detail}" if detail else "")
    elif entry.get("type"):
        venue = f"{entry.get('type')} {entry.get('number')}".strip() + f", {venue}"
    if entry.get("address") and not entry.get("journal"):
        venue += f", {entry.get('address')}"
    parts.append(venue + ".")
    if entry.get("doi"):
        parts.append(f"<https://doi.org/{entry.get('doi')}>")
    elif entry.get("url"):
        parts.append(f"<{entry.get('url')}>")
    return " ".join(parts)


def evidence_markdown(entries: dict[str, Entry]) -> str:
    """The whole of docs/evidence.md: one table per evidence group, then the full references."""
    lines = [
        "# Evidence",
        "",
        "Generated from `docs/references.bib` by `make docs`; a test fails when this file is stale.",
        "The published figures the model's defaults, mechanisms and calibration rest on, one row per",
        "source. Code and documents cite a source by its key, as `[@hall1966]`; a number with no source is",
        'marked "assumption" where it is set. Read the results as scenario comparisons, not',
        "forecasts: the evidence base is modest.",
        "",
    ]
    for keyword, heading, blurb in TABLES:
        rows = [e for e in entries.values() if e.get("keywords") == keyword]
        lines += [f"## {heading}", "", blurb, "", "| key | source | topic | what the project takes from it |"]
        lines.append("|---|---|---|---|")
        lines += [
            f"| [`{e.key}`](#{e.key}) | {label(e)} | {e.get('topic')} | {e.get('note')} |" for e in rows
        ]
        lines.append("")
    lines += ["## References", ""]
    for e in sorted(entries.values(), key=lambda e: e.key):
        lines.append(f'- <a id="{e.key}"></a>`{e.key}`: {reference(e)}')
    return "\n".join(lines) + "\n"
