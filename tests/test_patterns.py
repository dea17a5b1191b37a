"""Patterns the model was not calibrated to: the verdict rules exactly, and the directions at a small size."""

import math

import pytest

from milieusim.targets.patterns import EXPERIMENTS, Check, compare_pairs, run_experiments


def test_each_verdict_rule():
    within = Check("conflict", "within", low=0.76, high=0.94)
    assert within.judge(0.85, 0.6, 1.1) == "passed" and within.judge(0.97, 0.9, 1.0) == "not passed"
    below = Check("conflict", "below")
    assert below.judge(0.8, 0.7, 0.95) == "passed" and below.judge(0.8, 0.6, 1.02) == "not passed"
    above = Check("conflict", "above")
    assert above.judge(1.2, 1.05, 1.3) == "passed" and above.judge(1.2, 0.99, 1.3) == "not passed"
    about = Check("conflict", "about", tolerance=0.1)
    assert about.judge(1.05, 0.9, 1.2) == "passed"
    assert about.judge(1.15, 0.95, 1.3) == "not passed"  # interval holds 1, mean too far
    assert about.judge(1.05, 1.01, 1.1) == "not passed"  # interval excludes no change
    assert within.judge(math.nan, 0.1, 0.2) == "not measured"


def test_paired_ratios_are_averaged_on_the_log_scale_and_differences_plainly():
    mean, low, high, n = compare_pairs([1.0, 2.0, 4.0], [2.0, 4.0, 8.0], difference=False)
    assert (mean, low, high, n) == (pytest.approx(2.0), pytest.approx(2.0), pytest.approx(2.0), 3)
    mean, _, _, n = compare_pairs([1.0, 0.0, math.nan], [2.0, 3.0, 1.0], difference=False)
    assert n == 1 and mean == pytest.approx(2.0)  # a zero or missing value makes no ratio
    mean, low, high, n = compare_pairs([5.0, 6.0, math.nan], [4.0, 5.0, 1.0], difference=True)
    assert n == 2 and mean == pytest.approx(-1.0) and low == high == pytest.approx(-1.0)


def test_safewards_lowers_conflict_and_containment_on_eventful_shifts_over_seeds():
    # (milieu against custodial: tests/test_model.py, on the runs it makes anyway)
    chosen = [e for e in EXPERIMENTS if e.name == "Safewards trial"]
    rows = run_experiments([1, 2, 3], days=10, workers=0, experiments=chosen)
    effect = {r.check.measure: r for r in rows}
    assert effect["conflict_eventful"].mean < 1.0 and effect["containment_eventful"].mean < 1.0
    assert all(r.n == 3 for r in rows)


def test_validate_writes_both_parts_and_refuses_bad_sizes(tmp_path, capsys):
    from milieusim.cli import main

    out = tmp_path / "docs"
    assert (
        main(
            [
                "validate",
                "--out",
                str(out),
                "--seeds",
                "2",
                "--days",
                "2",
                "--pattern-seeds",
                "2",
                "--workers",
                "0",
            ]
        )
        == 0
    )
    text = (out / "validation.md").read_text()
    assert "## Part 1" in text and "## Part 2" in text and "commit" in text
    assert sum(line.startswith("| Safewards trial |") for line in text.splitlines()) == 2
    assert sum(line.startswith("| ") for line in text.splitlines()) == 2 + 12 + 9  # headers, targets, checks
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--out", str(out), "--seeds", "1"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--seeds" in err and "from 2 to 1000" in err and "Traceback" not in err
