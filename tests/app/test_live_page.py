"""The live ward page, rendered by Solara without a browser: what it shows, read as data."""

import time

from live_helpers import Rendered, settled, table_rows

from milieusim.app.live import SLIDERS, LiveWard, Setup

PNG = b"\x89PNG\r\n\x1a\n"


def test_page_shows_the_ward_and_steps_it():
    page = Rendered(seed="1")
    assert page.clock() == "step 0 · day 0 00:00 · night"
    for label in ("Reset", "Step", "Play"):
        assert not page.button(label).disabled
    assert sorted(w.label for w in page.rc.find(page.v.Select).widgets) == sorted(
        [
            "speed: ward time per frame",
            "layout",
            "preset",
            "furniture",
            "inspect a person (ringed on the plan)",
            "events",
        ]
    )
    assert len(page.rc.find(page.v.Slider).widgets) == len(SLIDERS)
    same = LiveWard(Setup.of(seed="1"))  # the same setup and seed: the same run as the page's
    assert page.table("milieusim-monitors") == same.frame.monitors
    assert table_rows(page.html("milieusim-feed")) == [[e.when, e.what] for e in reversed(same.feed)]
    assert page.table("milieusim-in-use") == same.in_use
    plan = page.plan()
    assert plan.startswith(PNG)
    for _ in range(3):
        page.button("Step").click()
    assert page.clock() == "step 3 · day 0 00:15 · night"
    assert page.table("milieusim-monitors") == same.advance(3).monitors
    page.rc.find(page.v.BtnToggle).widget.v_model = 1  # colour by agitation
    assert page.plan() != plan


def test_page_plays_and_pauses():
    page = Rendered(seed="1")
    page.select("speed: ward time per frame").v_model = "15 min"
    page.button("Play").click()
    assert page.button("Step").disabled
    deadline = time.monotonic() + 20
    while page.clock().startswith("step 0 ") and time.monotonic() < deadline:
        time.sleep(0.05)
    page.button("Pause").click()
    step = settled(lambda: int(page.clock().split()[1]), time.sleep)  # a frame under way still finishes
    assert step > 0 and step % 3 == 0  # 15 minutes a frame: three steps at a time
    time.sleep(0.5)
    assert int(page.clock().split()[1]) == step and not page.button("Step").disabled


def test_reset_applies_the_setup_and_the_sliders():
    page = Rendered(seed="1")
    page.button("Step").click()
    page.select("preset").v_model = "custodial"  # the sliders move to the preset's values
    assert "respect: 0.3" in [
        w.children[0] for w in page.rc.find(page.v.Html, class_="milieusim-slider-label").widgets
    ]
    respect = [s.key for s in SLIDERS].index("culture.respect")
    page.rc.find(page.v.Slider).widgets[respect].v_model = 0.85
    assert any("take effect when you press Reset" in a for a in page.alerts())
    assert page.clock().startswith("step 1 ")  # nothing changes before Reset
    page.button("Reset").click()
    assert page.clock() == "step 0 · day 0 00:00 · night"
    in_use = page.table("milieusim-in-use")
    assert (in_use["respect"], in_use["power balance (patients' voice)"]) == (
        "0.85",
        "0.05",
    )  # slider, preset
    assert (in_use["preset"], in_use["ward"]) == ("custodial", "corridor, sociofugal furniture")
    assert page.alerts() == []


def test_a_layout_file_is_offered_beside_the_built_in_ones(tmp_path):
    from milieusim.space.layout_file import builtin_layouts

    ward = tmp_path / "my_ward.toml"
    ward.write_text(builtin_layouts()["home"].read_text())
    page = Rendered(layout=str(ward))
    assert page.select("layout").items[-1] == page.select("layout").v_model == str(ward)
    assert page.clock() == "step 0 · day 0 00:00 · night"
    assert page.table("milieusim-in-use")["ward"] == "home, standard furniture"


def test_bad_seed_and_bad_combination_are_told_not_raised():
    page = Rendered(seed="1")
    page.button("Step").click()
    page.type_seed("seven")
    assert page.seed().error and "seed 'seven' is not a whole number" in page.seed().messages[0]
    page.button("Reset").click()
    assert any(
        a.startswith("The ward could not be set up: seed 'seven' is not a whole number")
        for a in page.alerts()
    )
    assert page.clock().startswith("step 1 ")  # the ward runs on
    page.button("Step").click()
    assert page.clock().startswith("step 2 ")
    page.type_seed("3")
    assert not page.seed().error
    page.select("layout").v_model = "cluster"
    page.select("preset").v_model = "milieu"  # a sociopetal style: the cluster ward has its own chairs
    assert page.select("furniture").items == ["as the preset says", "standard"]
    page.button("Reset").click()
    assert page.clock() == "step 0 · day 0 00:00 · night" and page.alerts() == []
    assert page.table("milieusim-in-use")["ward"] == "cluster, standard furniture"


def test_the_page_shows_in_a_notebook():
    """`from milieusim.app import App; App()` in a notebook cell gives the page as a widget."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from milieusim.app import App\nApp(seed='3')")]
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


def test_a_long_feed_shows_its_newest_lines(monkeypatch):
    import milieusim.app.page

    monkeypatch.setattr(milieusim.app.page, "FEED_SHOWN", 1)
    page = Rendered(seed="1")
    for _ in range(2):
        page.button("Step").click()
    same = LiveWard(Setup.of(seed="1"))
    same.advance(2)
    assert len(same.feed) > 1
    rows = table_rows(page.html("milieusim-feed"))
    assert rows == [[e.when, e.what] for e in reversed(same.feed)][:1]
    texts = [w.children[0] for w in page.rc.find(page.v.Html).widgets if w.children and w.tag == "span"]
    assert f"{len(same.feed)} of {len(same.feed)}, the newest 1 shown (events.csv has all)" in texts
