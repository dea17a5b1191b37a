"""The model analysis of docs/TRACE.md: its knock-outs are real switches, its tables say what the runs say."""

import re
from pathlib import Path

import pytest

from milieusim import trace_report as tr
from milieusim.params import Scenario
from milieusim.scenario import load_scenario

TRACE = Path(__file__).resolve().parent.parent / "docs" / "TRACE.md"


def _default(key: str):
    group, field = key.split(".")
    return getattr(getattr(Scenario(), group), field)


@pytest.mark.parametrize("knockout", tr.KNOCKOUTS, ids=lambda k: k.name)
def test_every_knockout_is_a_valid_change_of_a_default(knockout):
    scenario = load_scenario(changes=list(knockout.changes))
    for change in knockout.changes:
        key = change.split("=")[0]
        group, field = key.split(".")
        assert getattr(getattr(scenario, group), field) != _default(key), f"{change} changes nothing"


def test_seeds_needed_solves_the_student_t_half_width():
    # sd = sqrt(2): t(9) x 1.414 / sqrt(10) = 1.01 > 1, t(10) x 1.414 / sqrt(11) = 0.95 <= 1 (10% of 10)
    assert tr.seeds_needed([9.0, 11.0], 0.10) == 11
    assert tr.seeds_needed([9.0, 11.0], 0.05) > 11
    assert tr.seeds_needed([5.0, 5.0], 0.10) == 2


def _analysis(scale_knockout: float = 0.5) -> tr.Analysis:
    base = [{m: 0.1 + 0.01 * i for m in tr.MEASURES} for i in range(4)]  # shares too lie in [0, 1]
    arms = {(): base, ("time.step_minutes=3",): [{m: 2 * v for m, v in r.items()} for r in base[:3]]}
    for k in tr.KNOCKOUTS:
        arms[k.changes] = [{m: scale_knockout * v for m, v in r.items()} for r in base[:3]]
    made = {"milieusim": "0.1.0", "python": "3", "mesa": "3", "numpy": "2", "git_commit": "abc1234"}
    return tr.Analysis(seeds=[1, 2, 3, 4], days=2, arms=arms, seconds=1.0, workers=0, made=made)


def test_knockout_table_gives_the_paired_ratio_and_the_share():
    table = tr.knockout_table(_analysis(0.5))
    row = next(line for line in table.splitlines() if line.startswith("| crowding |"))
    assert "| 0.5 [0.5, 0.5] | 50% |" in row
    assert "`conflict.crowding_odds_max=1`" in row and "| 3 |" in row


def test_step_and_seed_tables():
    a = _analysis()
    step = tr.step_table(a)
    assert "ratio 3 / 5 min" in step and "| 2 [2, 2] |" in step  # every pair doubled
    seeds = tr.seeds_table(a)
    assert "| n = 2 | n = 4 |" in seeds and "Means" not in seeds


def test_write_trace_fills_every_block_of_trace_md_and_keeps_the_text(tmp_path):
    path = tmp_path / "TRACE.md"
    path.write_text(TRACE.read_text())
    tr.write_trace(path, _analysis(), tmp_path / "no-study")
    blocks = lambda text: re.sub(r"<!-- trace: [\w-]+ -->\n.*?<!-- end -->", "", text, flags=re.S)  # noqa: E731
    assert blocks(path.read_text()) == blocks(TRACE.read_text())
    assert "holds no results" in path.read_text() and "| crowding |" in path.read_text()
    assert "commit abc1234;" in path.read_text()  # the commit the runs were made at, not the current one


def test_saved_runs_read_back_the_same(tmp_path):
    a = _analysis()
    a.save(tmp_path / "runs.json")
    assert tr.Analysis.load(tmp_path / "runs.json") == a


def test_a_trace_document_missing_a_block_is_refused(tmp_path):
    path = tmp_path / "TRACE.md"
    path.write_text("# nothing\n")
    with pytest.raises(ValueError, match="TRACE.md: no block knockouts, made, seeds"):
        tr.write_trace(path, _analysis(), tmp_path)
    # a block left open is named by its line, and the document is left as it was
    text = TRACE.read_text()
    first = text.index("<!-- end -->")
    broken = text[:first] + text[first + len("<!-- end -->") :]
    path.write_text(broken)
    with pytest.raises(ValueError, match=r"TRACE.md: line \d+: block opened inside the block of line"):
        tr.write_trace(path, _analysis(), tmp_path)
    assert path.read_text() == broken
