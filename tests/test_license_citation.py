"""LICENSE and CITATION.cff agree with the package's metadata."""

import tomllib
from pathlib import Path

import yaml

import milieusim

ROOT = Path(__file__).resolve().parent.parent


def test_license_is_the_mit_license_the_package_declares():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    text = (ROOT / "LICENSE").read_text()
    assert declared == "MIT"
    assert text.startswith("MIT License\n\nCopyright (c) ")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_citation_names_this_version_and_license():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "software"
    assert {"message", "title", "authors", "abstract"} <= set(cff)
    assert str(cff["version"]) == project["version"] == milieusim.__version__
    assert cff["license"] == project["license"]
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    assert cff["references"][0]["doi"] == "10.21105/joss.07668"  # Mesa 3, which the model runs on
