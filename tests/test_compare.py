"""Layout comparison: same seeds on every plan, honest paired differences, a report that opens offline."""

import math
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from milieusim.cli import main
from milieusim.compare import OUTCOMES, compare_layouts, outcome_table, plan_comparison, reading, verdict
from milieusim.compare.outcomes import origin_reading, origin_table
from milieusim.outcomes import ORIGIN_WORDS
from milieusim.rng import spawn_seeds
from milieusim.runner import run
from milieusim.scenario import load_scenario
from milieusim.sweep import RunsFailed
from milieusim.validation import InputError

ROOMS = """
######################
#bbbb#bbbb#dddddddddd#
#bbbb#bbbb#dddddddddd#
#bbbb#bbbb#dddddddddd#
###+####+#######+#####
{corridor}
###+####+#######+#####
#bbbb#bbbb#mmmmmmmmmm#
#bbbb#bbbb#mmmmmmmmmm#
#bbbb#bbbb#mmmmmmmmmm#
######################
"""
FURNITURE = """
######################
#B...#B...#..........#
#B...#B...#..CTC.....#
#....#....#..........#
###+####+#######+#####
#....................#
#....................#
###+####+#######+#####
#B...#B...#..........#
#B...#B...#..CTTC....#
#....#....#..........#
######################
"""


def small_ward(name: str, corridor: str, beds: int) -> str:
    """A four-room ward; `corridor` is its two corridor rows, where the staff base and entrance stand."""
    return (
        f'[layout]\nname = "{name}"\ndescription = "four rooms, staff base {name}"\ncell_size_m = 0.5\n'
        f'beds = {beds}\n\n[rooms]\nplan = """{ROOMS.format(corridor=corridor)}"""\n\n'
        f'[furniture.standard]\nplan = """{FURNITURE}"""\n'
    )


WEST = small_ward("west", "#ss.................e#\n#ss.................e#", beds=4)
MIDDLE = small_ward("middle", "#e........ss.........#\n#.........ss.........#", beds=3)  # one bed fewer
REPS, DAYS = 3, 2


def compare_args(a, b, out, *extra):
    return ["compare", str(a), str(b), "--replications", str(REPS), "--days", str(DAYS), "--workers", "0",
            "--out", str(out), "--quiet", *extra]  # fmt: skip


@pytest.fixture(scope="module")
def wards(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wards")
    (folder / "west.toml").write_text(WEST)
    (folder / "middle.toml").write_text(MIDDLE)
    return folder / "west.toml", folder / "middle.toml"


@pytest.fixture(scope="module")
def compared(wards, tmp_path_factory):
    """One comparison of the two small wards through the command line (3 runs of 2 days each)."""
    out = tmp_path_factory.mktemp("compare") / "out"
    assert main(compare_args(*wards, out)) == 0
    return out


def test_comparison_writes_report_and_tables(compared, wards):
    import hashlib

    for name in ("report.html", "scenario.json"):
        assert (compared / name).is_file(), name
    html = (compared / "report.html").read_text()
    for ward in wards:  # the provenance names the very files compared
        assert f"{ward.name} {hashlib.sha256(ward.read_bytes()).hexdigest()[:16]}" in html
    assert "Why conflict and containment differ: where they start" in html
    for name in ("outcomes", "conflict_origins", "containment_origins", "runs", "planner_metrics", "daily"):
        assert (compared / f"{name}.csv").is_file() and (compared / f"{name}.parquet").is_file(), name
    outcomes = pd.read_parquet(compared / "outcomes.parquet")
    assert set(outcomes["outcome"]) == {o.key for o in OUTCOMES}
    assert list(outcomes["plan"].unique()) == ["west", "middle"]
    first = outcomes[outcomes["plan"] == "west"]
    assert first["diff_mean"].isna().all()  # the first plan is the reference
    later = outcomes[outcomes["plan"] == "middle"]
    assert set(later["verdict"]) <= {"clear", "within noise", "not enough data"}
    conflict = later.set_index("outcome").loc["conflict_per_100_obd"]
    assert conflict["diff_n"] == REPS
    assert conflict["diff_ci_low"] <= conflict["diff_mean"] <= conflict["diff_ci_high"]
    metrics = pd.read_csv(compared / "planner_metrics.csv")
    assert metrics.set_index("plan").loc["middle", "beds"] == 3


def test_every_replicate_has_one_seed_on_every_plan(compared):
    runs = pd.read_parquet(compared / "runs.parquet")
    assert len(runs) == 2 * REPS
    seeds = runs.pivot(index="replicate", columns="plan", values="seed")
    assert (seeds["west"] == seeds["middle"]).all()
    assert seeds["west"].tolist() == spawn_seeds(0, REPS)
    assert runs["seed"].nunique() == REPS


def test_a_run_of_the_comparison_is_the_run_of_its_layout_and_seed(compared, wards):
    runs = pd.read_parquet(compared / "runs.parquet")
    row = runs[(runs["plan"] == "middle") & (runs["replicate"] == 1)].iloc[0]
    scenario = load_scenario(changes=[f'ward.layout="{wards[1]}"'])
    alone = run(scenario, seed=int(row["seed"]), days=DAYS).summary
    for o in OUTCOMES:
        assert (math.isnan(alone[o.key]) and math.isnan(row[o.key])) or alone[o.key] == row[o.key], o.key
    differences = pd.read_parquet(compared / "outcomes.parquet").set_index(["outcome", "plan"])
    paired = runs.pivot(index="replicate", columns="plan", values="encounters_per_patient_day")
    mean_diff = (paired["middle"] - paired["west"]).mean()
    assert differences.loc[("encounters_per_patient_day", "middle"), "diff_mean"] == pytest.approx(mean_diff)


def test_report_opens_in_chromium_with_images_tables_and_no_errors(compared, browser_page, artifacts):
    page, errors = browser_page
    page.goto((compared / "report.html").resolve().as_uri())
    page.wait_for_load_state("load")
    images = page.evaluate(
        "Array.from(document.images).map(i => "
        "[i.complete, i.naturalWidth, i.src.startsWith('data:image/png;base64,')])"
    )
    assert len(images) == 5  # the plans and four heatmaps
    assert all(done and width > 0 and embedded for done, width, embedded in images)
    assert page.locator("table.metrics").count() == 1 and page.locator("table.outcomes").count() == 1
    origins = page.locator("table.origins.conflict").inner_text()
    assert "the patient's symptoms" in origins and "crowding" in origins
    contained = page.locator("table.origins.containment").inner_text()
    assert "containment that answers" in contained and "no incident: as-needed medication" in contained
    outcomes = page.locator("table.outcomes").inner_text()
    assert "Conflict incidents" in outcomes and "middle minus west" in outcomes
    assert "Time patients spend in social spaces" in outcomes
    assert "bedroom privacy" in page.locator("table.metrics").inner_text()
    text = page.locator("body").inner_text()
    assert "not forecasts" in text and "different numbers of beds" in text
    assert str(spawn_seeds(0, REPS)[0]) in page.locator("#provenance").inner_text()
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0  # nothing fetched: offline
    page.screenshot(path=str(artifacts / "compare_report.png"), full_page=True)
    assert errors == []


def test_same_command_again_continues_and_other_settings_are_refused(compared, wards, tmp_path, capsys):
    out = tmp_path / "again"
    shutil.copytree(compared, out)
    runs_before = {p.name: p.stat().st_mtime_ns for p in (out / "sweep" / "runs").iterdir()}
    assert main(compare_args(*wards, out)) == 0  # nothing left to run: the report is written again
    assert {p.name: p.stat().st_mtime_ns for p in (out / "sweep" / "runs").iterdir()} == runs_before
    capsys.readouterr()
    before = sorted(p.name for p in out.rglob("*"))
    assert main(compare_args(*wards, out, "--seed", "5")) == 2
    err = capsys.readouterr().err
    assert "holds a comparison of other plans or settings" in err and "experiment.seed: was 0, now 5" in err
    assert sorted(p.name for p in out.rglob("*")) == before


def test_compare_layouts_returns_the_comparison_the_command_wrote(compared, wards, tmp_path):
    out = tmp_path / "again"
    shutil.copytree(compared, out)
    plans, reports = [], []
    comparison = compare_layouts(
        [str(w) for w in wards],
        replications=REPS,
        days=DAYS,
        workers=0,
        out=out,
        on_plan=plans.append,
        progress=reports.append,
    )
    assert plans[0].resume and reports == []  # every run was done: nothing runs again
    pd.testing.assert_frame_equal(comparison.outcomes, pd.read_parquet(compared / "outcomes.parquet"))
    assert [lead for lead, _ in comparison.reading][0].startswith("middle against west: ")


def test_failed_runs_give_no_report_and_a_clear_error(wards, tmp_path, monkeypatch, capsys):
    import milieusim.runner

    def broken(scenario, seed, days):
        raise RuntimeError("a run that breaks")

    monkeypatch.setattr(milieusim.runner, "run", broken)
    with pytest.raises(RunsFailed) as info:
        compare_layouts([str(w) for w in wards], replications=2, days=1, workers=0, out=tmp_path / "lib")
    assert (info.value.failed, info.value.planned) == (4, 4)
    assert main(compare_args(*wards, tmp_path / "cli")) == 1
    err = capsys.readouterr().err
    assert "error: 6 run(s) failed, so no report was written" in err and "Traceback" not in err
    assert not (tmp_path / "cli" / "report.html").exists()


def test_bad_layout_in_the_list_is_named_and_nothing_is_written(wards, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(WEST.replace("#ss.......", "#ss....Q..").replace("cell_size_m", "cell_sise_m"))
    out = tmp_path / "never"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "milieusim.cli",
            *compare_args(wards[0], bad, out)[:3],
            "nowhere",
            str(wards[0]),
            *compare_args(wards[0], bad, out)[3:],
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert "bad.toml: 3 problems" in proc.stderr and "'Q': unknown symbol" in proc.stderr
    assert "did you mean 'cell_size_m'?" in proc.stderr
    assert "nowhere: no layout file " in proc.stderr
    assert "and no built-in layout of that name; built-in layouts: central_base" in proc.stderr
    assert "west.toml: listed twice; list each plan once" in proc.stderr
    assert not out.exists()


def test_scenario_a_layout_cannot_carry_is_refused(wards, tmp_path):
    scenario = tmp_path / "rows.toml"
    scenario.write_text('[ward]\nfurniture = "sociofugal"\n')
    with pytest.raises(  # named where the value was set: the scenario file's field
        InputError, match=r"rows.toml: \[ward\] furniture: layout 'west' has no furniture"
    ):
        plan_comparison(["corridor", str(wards[0])], scenario_file=scenario, out=tmp_path / "x")
    scenario.write_text("[ward]\nbeds = 4\n")
    with pytest.raises(InputError, match="ward.beds = 4 but layout .middle. has 3 beds"):
        plan_comparison([str(wards[0]), str(wards[1])], scenario_file=scenario, out=tmp_path / "x")
    with pytest.raises(InputError, match="at least two layouts"):
        plan_comparison(["corridor"], out=tmp_path / "x")
    with pytest.raises(InputError, match="need at least 2"):
        plan_comparison(["corridor", "cluster"], replications=1, out=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def runs_frame(a: list[float], b: list[float], key: str = "conflict_per_100_obd") -> pd.DataFrame:
    rows = [
        {"plan": p, "replicate": r, **{o.key: np.nan for o in OUTCOMES}}
        for p in ("A", "B")
        for r in range(len(a))
    ]
    frame = pd.DataFrame(rows)
    frame.loc[frame["plan"] == "A", key] = a
    frame.loc[frame["plan"] == "B", key] = b
    return frame


def test_paired_difference_is_per_replicate_and_clear_only_when_its_interval_excludes_zero():
    # B is A plus 1 in every replicate: a noisy outcome with an exact paired difference
    table = outcome_table(runs_frame([10.0, 20.0, 30.0, 15.0], [11.0, 21.0, 31.0, 16.0]), ["A", "B"])
    b = table[(table["plan"] == "B") & (table["outcome"] == "conflict_per_100_obd")].iloc[0]
    assert b["diff_mean"] == pytest.approx(1.0) and b["diff_ci_low"] == pytest.approx(1.0)
    assert b["verdict"] == "clear"
    a = table[(table["plan"] == "A") & (table["outcome"] == "conflict_per_100_obd")].iloc[0]
    assert a["ci_low"] < 10.0  # the unpaired interval of A alone is wide
    # differences of both signs: within noise
    table = outcome_table(runs_frame([10.0, 20.0, 30.0], [12.0, 18.0, 31.0]), ["A", "B"])
    assert (
        table.set_index(["outcome", "plan"]).loc[("conflict_per_100_obd", "B"), "verdict"] == "within noise"
    )
    assert verdict(-1.0, 2.0, 5) == "within noise" and verdict(0.5, 2.0, 5) == "clear"
    assert verdict(-3.0, -1.0, 5) == "clear" and verdict(np.nan, np.nan, 1) == "not enough data"


def test_missing_values_are_left_out_of_pairs_and_named_in_the_reading():
    key = "days_to_level_3"
    frame = runs_frame([5.0, np.nan, 7.0], [6.0, 8.0, np.nan], key)  # one complete pair only
    table = outcome_table(frame, ["A", "B"])
    row = table.set_index(["outcome", "plan"]).loc[(key, "B")]
    assert row["diff_n"] == 1 and row["verdict"] == "not enough data" and row["n"] == 2
    [(lead, items)] = reading(table, ["A", "B"], 3)
    assert lead.startswith("B against A: 0 of 9 outcomes differ clearly")
    assert any(
        "time from admission to level 3: a value in 2 of 3 runs on A and 2 on B; "
        "in the others no one admitted reached level 3" in i
        for i in items
    )


def test_conflict_is_broken_down_by_origin_and_the_reading_names_the_origin_that_differs():
    # conflict 10 per 100 OBD on A, half from symptoms; on B 14, the extra 4 all from the staff team
    rows = []
    for plan, conflict, staff in (("A", 10.0, 0.2), ("B", 14.0, 6.0 / 14.0)):
        for rep in range(3):
            shares = {f"share_conflict_{o}": 0.0 for o, _, _ in ORIGIN_WORDS}
            shares |= {
                "share_conflict_staff_team": staff,
                "share_conflict_patient_characteristics": 5.0 / conflict,
                "share_conflict_patient_community": 1.0 - staff - 5.0 / conflict,
            }
            # containment 20 on both: on B, 5 more answer the staff team's conflict and 6 fewer are
            # as-needed medication with no incident
            contained = {f"share_containment_{o}": 0.0 for o, _, _ in ORIGIN_WORDS}
            contained |= {
                "share_containment_staff_team": 0.25 if plan == "A" else 0.5,
                "share_containment_prn_for_arousal": 0.75 if plan == "A" else 0.45,
                "share_containment_observation_kept": 0.0 if plan == "A" else 0.05,
            }
            rows.append(
                {"plan": plan, "replicate": rep, "conflict_per_100_obd": conflict, **shares, **contained}
                | {"share_conflict_from_crowding": 0.1, "containment_per_100_obd": 20.0}
            )
    origins = origin_table(pd.DataFrame(rows), ["A", "B"])
    assert set(origins["measure"]) == {"conflict", "containment"}
    c = origins[origins["measure"] == "containment"].set_index(["outcome", "plan"])
    assert c.loc[("from_staff_team", "B"), "diff_mean"] == pytest.approx(5.0)
    assert c.loc[("prn_for_arousal", "B"), "diff_mean"] == pytest.approx(-6.0)
    text = origin_reading(origins, "A", "B", "containment")
    assert text.startswith("Why: containment that answered no incident (as-needed medication")
    assert "15 on A against 9 on B" in text and "crowding" not in text
    t = origins[origins["measure"] == "conflict"].set_index(["outcome", "plan"])
    assert t.loc[("from_staff_team", "A"), "mean"] == pytest.approx(2.0)
    assert t.loc[("from_staff_team", "B"), "diff_mean"] == pytest.approx(4.0)
    assert t.loc[("from_patient_characteristics", "B"), "diff_mean"] == pytest.approx(0.0)
    assert t.loc[("from_crowding", "B"), "mean"] == pytest.approx(1.4)
    text = origin_reading(origins, "A", "B")
    assert text.startswith("Why: conflict that starts with the staff team")
    assert "2 on A against 6 on B" in text and "100% of the difference" in text


def test_help_names_the_options(capsys):
    with pytest.raises(SystemExit) as info:
        main(["compare", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--scenario", "--preset", "--replications", "--days", "--workers", "--out"):
        assert option in out


def test_the_walkthrough_edit_gives_a_valid_ward_with_two_dining_rooms():
    """docs/layouts.md: central_base with the quiet room's cells made dining room cells."""
    from milieusim.space.layout_file import builtin_layouts, parse_layout
    from milieusim.space.symbols import Zone

    text = builtin_layouts()["central_base"].read_text()
    start = text.index("[rooms]")
    end = text.index('"""', text.index('plan = """', start) + 10)
    edited = text[:start] + text[start:end].replace("q", "m") + text[end:]
    edited = edited.replace('name = "central_base"', 'name = "hub_two_dining"')
    ward = parse_layout(edited, source="hub_two_dining.toml")
    assert ward.name == "hub_two_dining"
    assert len(ward.rooms_of(Zone.DINING)) == 2 and not ward.rooms_of(Zone.QUIET)


def test_each_plan_gets_the_furniture_the_model_gives_it(wards, tmp_path):
    # the custodial preset asks for sociofugal furniture where a layout has it (corridor), else the default
    plan = plan_comparison(["corridor", str(wards[0])], preset="custodial", out=tmp_path / "x")
    assert [p.variant for p in plan.plans] == ["sociofugal", "standard"]
    assert not plan.resume and not (tmp_path / "x").exists()


def test_heatmaps_show_bed_time_over_the_furniture_on_grey_rooms(compared, wards):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb
    from matplotlib.image import AxesImage

    from milieusim.compare import summarise_comparison
    from milieusim.viz.plan import GREY_ROOM, draw_plan, heat_layer, zone_image

    comparison = summarise_comparison(
        plan_comparison([str(w) for w in wards], replications=REPS, days=DAYS, out=compared)
    )
    p = comparison.plan.plans[0]
    pieces = p.layout.furniture[p.variant].pieces
    presence = comparison.heat[p.label]["presence_patients"]
    beds = [tuple(np.array(piece.cells).T) for piece in pieces if piece.kind == "bed"]
    in_bed = sum(presence[cells].sum() for cells in beds)
    assert in_bed > 0.3 * presence.sum()  # patients spend the nights in bed
    drawn = heat_layer(p.layout, pieces, presence)
    slept_in = [cells for cells in beds if presence[cells].sum() > 0]
    assert slept_in and all(np.isfinite(drawn[cells]).all() for cells in slept_in)  # the whole bed coloured
    assert np.nansum(drawn) == pytest.approx(presence.sum())  # spread, not added
    fig, ax = plt.subplots()
    draw_plan(ax, p.layout, pieces, overlay=presence, labels=False)
    heat = [im for im in ax.images if isinstance(im, AxesImage)][-1]
    filled = [patch for patch in ax.patches if patch.get_facecolor()[3] > 0]
    assert filled == [] or heat.get_zorder() > max(patch.get_zorder() for patch in filled)
    plt.close(fig)
    base = p.layout.points["staff_base"]
    assert tuple(zone_image(p.layout, grey=True)[base]) == to_rgb(GREY_ROOM)  # no red under the heat


def test_furniture_variants_of_one_layout_are_candidates(tmp_path):
    plan = plan_comparison(["corridor", "corridor:sociofugal"], out=tmp_path / "x")
    assert plan.factor == "ward.furniture" and plan.spec.base.layout == "corridor"
    assert [(p.label, p.variant) for p in plan.plans] == [
        ("corridor (sociopetal)", "sociopetal"),
        ("corridor (sociofugal)", "sociofugal"),
    ]
    assert plan.spec.factors["ward.furniture"].levels() == ["sociopetal", "sociofugal"]
    with pytest.raises(InputError, match=r"corridor:rows: layout 'corridor' has no furniture variant 'rows'; "
                       r"its variants: sociopetal, sociofugal"):  # fmt: skip
        plan_comparison(["corridor", "corridor:rows"], out=tmp_path / "x")
    with pytest.raises(InputError, match="listed twice .also as 'corridor'."):
        plan_comparison(["corridor", "corridor:sociopetal"], out=tmp_path / "x")
    with pytest.raises(InputError, match="compare either different layouts, or furniture variants of one"):
        plan_comparison(["corridor:sociofugal", "cluster"], out=tmp_path / "x")
    with pytest.raises(InputError, match="nowhere:x: no layout file"):
        plan_comparison(["nowhere:x", "cluster"], out=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_the_reading_says_how_the_furniture_differs():
    from milieusim.compare.outcomes import Furniture, furniture_reading

    rows = Furniture("corridor", "sociofugal", "chairs in rows", 0.51)
    groups = Furniture("corridor", "sociopetal", "chairs in groups", 0.63)
    hub = Furniture("central_base", "standard", "as built", 0.66)
    text = furniture_reading("A", "B", {"A": groups, "B": rows})
    assert text.startswith("Only the furniture differs: A has sociopetal furniture (chairs in groups), B ")
    assert "0.63 against 0.51" in text and "every difference here comes from the furniture" in text
    assert "rather than the building" in furniture_reading("A", "B", {"A": groups, "B": hub})
    assert (
        furniture_reading("A", "B", {"A": hub, "B": Furniture("cluster", "standard", "as built", 0.7)})
        is None
    )


def test_room_names_fit_their_rooms_at_the_report_size_and_plans_stack_when_wide():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from milieusim.space.layout_file import cached_layout
    from milieusim.space.symbols import Zone
    from milieusim.viz.plan import LABEL_MIN_PT, draw_plan, plan_rows
    from milieusim.viz.report import PLAN_WIDTH_IN

    assert plan_rows([(60.5, 22.5), (40.0, 29.5)]) == [[0], [1]]  # two wide wards: one below the other
    assert plan_rows([(13.0, 16.5), (13.0, 16.5)]) == [[0, 1]]  # two small homes side by side
    layout = cached_layout("central_base")  # a crowded top row: seven rooms side by side
    rows, cols = layout.shape
    width = PLAN_WIDTH_IN * 40.0 / 60.5  # below the corridor ward, at its scale
    fig = plt.figure(figsize=(width, width * rows / cols))
    ax = fig.add_axes((0, 0, 1, 1))
    draw_plan(ax, layout)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labelled = {text.get_gid(): text for text in ax.texts}
    assert {f"room-{r.id}" for r in layout.rooms_of(Zone.DAYROOM, Zone.DINING, Zone.THERAPY)} <= set(labelled)
    boxes = []
    for room in layout.rooms:
        text = labelled.get(f"room-{room.id}")
        if text is None:
            continue
        assert text.get_fontsize() >= LABEL_MIN_PT
        box = text.get_window_extent(renderer)
        (r0, c0), (r1, c1) = np.min(room.cells, axis=0), np.max(room.cells, axis=0)
        (x0, _), (x1, _) = ax.transData.transform([(c0 - 0.5, r1 + 0.5), (c1 + 0.5, r0 - 0.5)])
        assert x0 <= box.x0 and box.x1 <= x1, text.get_text()  # within its room's width
        boxes.append(box)
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1 :]), ax.texts[i].get_text()
    plt.close(fig)
