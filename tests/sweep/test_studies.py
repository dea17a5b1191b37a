"""The studies in experiments/ and the example in docs/experiments.md are valid specs."""

import re
from pathlib import Path

import pytest

from milieusim.sweep import load_spec, spec_from_dict
from milieusim.sweep.design import design_table

ROOT = Path(__file__).resolve().parents[2]
STUDIES = sorted((ROOT / "experiments").glob("*/spec.toml"))


def test_there_are_six_studies_each_with_a_readme():
    names = {p.parent.name for p in STUDIES}
    assert names == {"power_respect", "family", "culture_change", "furniture", "staffing", "sensitivity"}
    for p in STUDIES:
        readme = (p.parent / "README.md").read_text()
        assert "## Question" in readme and "## Scale it up" in readme


@pytest.mark.parametrize("path", STUDIES, ids=lambda p: p.parent.name)
def test_study_specs_validate_and_stay_small_by_default(path):
    spec, _ = load_spec(path)
    runs = len(design_table(spec)) * spec.experiment.replications
    assert runs * spec.experiment.days <= 2000  # run-days: a few minutes on 2 cores


def test_the_documented_example_is_valid():
    import tomllib

    text = (ROOT / "docs" / "experiments.md").read_text()
    block = re.search(r"```toml\n(.*?)```", text, re.S).group(1)
    spec, base = spec_from_dict(tomllib.loads(re.sub(r"^ {3}", "", block, flags=re.M)))
    assert spec.experiment.name == "respect" and base.name == "custodial"
    assert len(design_table(spec)) == 3
