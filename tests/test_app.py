"""The live ward: a run from the page's choices, its pictures, the Solara page, and the page in a browser."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from milieusim.app.drawing import AGITATION_CMAP, LivePlots, WardPicture, colours
from milieusim.app.live import SEED_MAX, SLIDERS, LiveWard, Setup, parse_seed, preset_choices, preset_values
from milieusim.kinds import PATIENT, STAFF
from milieusim.rules.conflict import CONFLICT_KINDS
from milieusim.viz.run import LEVEL_COLOURS

PNG = b"\x89PNG\r\n\x1a\n"

# ------------------------------------------------------------ the run behind the page


def test_seed_box():
    assert parse_seed(" 42 ") == 42
    assert parse_seed(str(SEED_MAX)) == SEED_MAX
    assert parse_seed("") is None and parse_seed("  ") is None  # a new seed at each reset
    for bad in ("abc", "-3", "1.5", "1e3", "٣"):
        with pytest.raises(
            ValueError, match=f"seed '{bad}' is not a whole number; type a whole number from 0"
        ):
            parse_seed(bad)
    with pytest.raises(ValueError, match=f"seed {SEED_MAX + 1} is too large"):
        parse_seed(str(SEED_MAX + 1))


def test_sliders_are_the_culture_with_the_parameters_ranges():
    assert {s.key: (s.lo, s.hi) for s in SLIDERS} == {
        "culture.power_balance": (0.0, 1.0),
        "culture.respect": (0.0, 1.0),
        "culture.consistency": (0.0, 1.0),
        "culture.autonomy_support": (0.0, 1.0),
        "culture.needs_focus": (0.0, 1.0),
        "family.involvement": (0.0, 1.0),
        "family.visits_per_week": (0.0, 14.0),
        "conflict.containment_propensity": (0.0, 1.0),
    }


def test_every_preset_value_lies_on_its_slider():
    """A value between a slider's steps would be moved by the slider itself, unasked."""
    for preset in preset_choices():
        for s in SLIDERS:
            value = preset_values(preset)[s.key]
            assert s.lo <= value <= s.hi
            assert abs(value / s.step - round(value / s.step)) < 1e-9, (preset, s.key, value)


def test_setup_takes_the_preset_then_the_sliders():
    setup = Setup.of(preset="custodial")
    assert setup.values["culture.respect"] == 0.3
    setup = replace(setup, values={**setup.values, "culture.respect": 0.85})
    sc = setup.scenario()
    assert sc.culture.respect == 0.85 and sc.culture.power_balance == 0.05  # the slider, then the preset
    assert sc.ward.furniture_style == "sociofugal" and sc.name == "custodial"
    assert setup.with_preset("milieu").values["culture.respect"] == 0.9
    with pytest.raises(ValueError, match="unknown preset 'nope'; valid: default, custodial, milieu"):
        Setup.of(preset="nope")


def test_same_seed_same_run_and_a_blank_seed_is_recorded():
    a, b = LiveWard(Setup.of(seed="5")), LiveWard(Setup.of(seed="5"))
    a.advance(60)
    b.advance(30)
    b.advance(30)
    assert a.history == b.history and a.model.recorder.events == b.model.recorder.events
    fresh = LiveWard(Setup.of(seed=""))
    assert fresh.in_use["seed"] == str(fresh.model.seed)


def test_a_preset_runs_on_any_layout_and_a_missing_variant_is_a_clear_error():
    ward = LiveWard(Setup.of("cluster", "milieu"))  # the preset's furniture style, else the layout's own
    assert ward.in_use["ward"] == "cluster, standard furniture" and ward.in_use["respect"] == "0.9"
    with pytest.raises(
        ValueError, match="layout 'cluster' has no furniture variant 'sociopetal'; variants: standard"
    ):
        LiveWard(replace(Setup.of("cluster", "milieu"), furniture="sociopetal"))


def test_history_and_frame_follow_the_run():
    ward = LiveWard(Setup.of(seed="1"))
    assert len(ward.history) == 1 and ward.frame.step == 0 and ward.frame.clock == "day 0 00:00"
    frame = ward.advance(288 + 12)
    m = ward.model
    assert frame is ward.frame and frame.step == m.steps == 300 and len(ward.history) == 301
    assert frame.clock == "day 1 01:00" and frame.activity == "night"
    conflicts = [e for e in m.recorder.events if e.kind in CONFLICT_KINDS]
    last = ward.history[-1]
    assert last["conflict"] == len(conflicts) > 0 and last["unseen"] == sum(not e[10] for e in conflicts)
    assert sum(last[f"level_{k}"] for k in (1, 2, 3, 4)) == m.flow.census() == int(frame.monitors["patients"])
    r = m.roster
    assert len(frame.rows) == len(frame.role) == int(r.present.sum())
    assert np.array_equal(
        np.sort(frame.level[frame.role == PATIENT]), np.sort(r.level[r.present & (r.role == PATIENT)])
    )
    assert frame.monitors["staff on the ward"] == str(int((r.present & (r.role == STAFF)).sum()))
    assert 0 < len(frame.feed) <= 12


# ------------------------------------------------------------ pictures


def test_people_are_coloured_by_level_or_agitation():
    ward = LiveWard(Setup.of(seed="1"))
    ward.advance(150)
    f = ward.frame
    by_level, by_agitation = colours(f, "level"), colours(f, "agitation")
    pts = np.flatnonzero(f.role == PATIENT)
    staff = np.flatnonzero(f.role == STAFF)
    assert pts.size and staff.size
    for i in pts:
        assert tuple(by_level[i]) == to_rgba(LEVEL_COLOURS[f.level[i] - 1])
        assert np.allclose(by_agitation[i], AGITATION_CMAP(f.agitation[i]))
    assert all(tuple(by_level[i]) == tuple(by_agitation[i]) == to_rgba("#1d3557") for i in staff)
    with pytest.raises(ValueError, match="colour_by 'mood'; valid: level, agitation"):
        colours(f, "mood")


def test_pictures_follow_the_ward():
    ward = LiveWard(Setup.of(seed="1"))
    picture, plots = WardPicture(ward.model.layout), LivePlots()
    before, chart = picture.png(ward.frame), plots.png(ward.history)
    assert before.startswith(PNG) and chart.startswith(PNG)
    assert picture.png(ward.frame) == before  # the same frame draws the same picture
    assert picture.png(ward.frame, "agitation") != before
    ward.advance(120)  # people get up and move
    assert picture.png(ward.frame) != before and plots.png(ward.history) != chart


# ------------------------------------------------------------ the page (rendered without a browser)


def _settled(read, sleep, timeout: float = 15.0) -> int:
    """What `read` gives once it has stopped changing (after Pause, like NetLogo's go, a frame under
    way still finishes)."""
    last, deadline = read(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        sleep(0.4)
        now = read()
        if now == last:
            return now
        last = now
    raise AssertionError(f"still changing after Pause: {last}")


class Rendered:
    """The page rendered by solara, with the handles a test needs."""

    def __init__(self, **kwargs):
        import ipyvuetify as v
        import solara

        from milieusim.app import App

        self.v = v
        self.box, self.rc = solara.render(App(**kwargs), handle_error=False)

    def button(self, label):
        return next(w for w in self.rc.find(self.v.Btn).widgets if label in w.children)

    def clock(self) -> str:
        return self.rc.find(self.v.Html, class_="milieusim-clock").widget.children[0]

    def select(self, label):
        return next(w for w in self.rc.find(self.v.Select).widgets if w.label == label)

    def html(self, cls) -> str:
        import solara.widgets

        (widget,) = [w for w in self.rc.find(solara.widgets.HTML).widgets if w.attributes.get("class") == cls]
        return widget.unsafe_innerHTML

    def seed(self):
        return next(w for w in self.rc.find(self.v.TextField).widgets if w.label.startswith("seed"))

    def type_seed(self, text: str):
        box = self.seed()
        box.v_model = text
        box.fire_event("keyup.enter", None)  # the box takes its text on Enter (or leaving it)

    def alerts(self) -> list[str]:
        return [" ".join(map(str, w.children)) for w in self.rc.find(self.v.Alert).widgets]

    def plan(self) -> bytes:
        import ipywidgets

        (widget,) = [w for w in self.rc.find(ipywidgets.Image).widgets if "milieusim-plan" in w._dom_classes]
        return bytes(widget.value)


def test_page_shows_the_ward_and_steps_it():
    page = Rendered(seed="1")
    assert page.clock() == "step 0 · day 0 00:00 · night"
    for label in ("Reset", "Step", "Play"):
        assert not page.button(label).disabled
    assert [w.label for w in page.rc.find(page.v.Select).widgets] == [
        "speed: ward time per frame",
        "layout",
        "preset",
        "furniture",
    ]
    assert len(page.rc.find(page.v.Slider).widgets) == len(SLIDERS)
    assert "patient" in page.html("milieusim-feed") and "staff on the ward" in page.html("milieusim-monitors")
    plan = page.plan()
    assert plan.startswith(PNG)
    for _ in range(3):
        page.button("Step").click()
    assert page.clock() == "step 3 · day 0 00:15 · night"
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
    step = _settled(lambda: int(page.clock().split()[1]), time.sleep)  # a frame under way still finishes
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
    in_use = page.html("milieusim-in-use")
    assert "<td style='padding-right:1em;color:#555'>respect</td><td><b>0.85</b>" in in_use
    assert "<b>custodial</b>" in in_use and "<b>corridor, sociofugal furniture</b>" in in_use
    assert page.alerts() == []


def test_a_layout_file_is_offered_beside_the_built_in_ones(tmp_path):
    from milieusim.space.layout_file import builtin_layouts

    ward = tmp_path / "my_ward.toml"
    ward.write_text(builtin_layouts()["home"].read_text())
    page = Rendered(layout=str(ward))
    assert page.select("layout").items[-1] == page.select("layout").v_model == str(ward)
    assert page.clock() == "step 0 · day 0 00:00 · night"


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
    assert "<b>cluster, standard furniture</b>" in page.html("milieusim-in-use")


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


# ------------------------------------------------------------ the command and the page in a browser


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "milleu"], "error: unknown preset 'milleu'; valid: default, custodial, milieu"),
        (
            ["--layout", "nowhere"],
            "error: nowhere: no such layout file or built-in name; built-in layouts: central_base",
        ),
        (["--seed", "-3"], "error: argument --seed: '-3': give a whole-number seed"),
        (
            ["--layout", "cluster", "--furniture", "sociopetal"],
            "error: layout 'cluster' has no furniture variant 'sociopetal'",
        ),
        (["--port", "70000"], "error: argument --port: '70000': give a port number from 0 to 65535"),
    ],
)
def test_app_command_rejects_a_bad_start(args, message, capsys):
    from milieusim.cli import main

    try:
        status = main(["app", *args])
    except SystemExit as exc:  # an option's value is refused as it is parsed
        status = exc.code
    assert status == 2
    assert capsys.readouterr().err.startswith(message)


def test_app_command_names_what_to_install(monkeypatch, capsys):
    import importlib.util

    from milieusim.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "solara" else real(name, *a)
    )
    assert main(["app"]) == 2
    assert capsys.readouterr().err.startswith(
        "error: the live ward needs solara: install milieusim with its app extra"
    )


def test_app_command_rejects_a_taken_port(capsys):
    from milieusim.cli import main

    with socket.create_server(("localhost", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["app", "--port", str(port)]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot serve on localhost:{port}: ")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_served(url: str, server: subprocess.Popen, timeout: float = 60.0) -> float:
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if server.poll() is not None:
            raise AssertionError(f"the app server exited with {server.returncode}: {server.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - began
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the app server did not answer at {url} within {timeout} s")


def _step_of(page) -> int:
    return int(page.locator(".milieusim-clock").inner_text().split()[1])


def test_live_ward_in_a_browser(browser_page, artifacts):
    """Served by `milieusim app`, the page loads offline, steps, plays, and resets with a new culture."""
    page, errors = browser_page
    port = _free_port()
    url = f"http://localhost:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "milieusim.cli", "app", "--port", str(port), "--seed", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        _wait_until_served(url, server)
        elsewhere = []  # every script, style and font comes from the app's own server
        page.on(
            "request",
            lambda r: None if r.url.startswith((url, "data:", "blob:")) else elsewhere.append(r.url),
        )
        began = time.monotonic()
        page.goto(url)
        clock = page.locator(".milieusim-clock")
        clock.wait_for(timeout=60_000)
        loaded = time.monotonic() - began
        assert clock.inner_text() == "step 0 · day 0 00:00 · night", f"loaded in {loaded:.1f} s"
        plots = page.locator(".milieusim-plots")
        plots_before = plots.screenshot()

        page.get_by_role("button", name="Step", exact=True).click()
        page.get_by_text("step 1 · day 0 00:05").wait_for()
        page.get_by_role("button", name="Play", exact=True).click()
        page.wait_for_function(
            "() => parseInt(document.querySelector('.milieusim-clock').innerText.split(' ')[1]) >= 150",
            timeout=30_000,
        )
        page.get_by_role("button", name="Pause", exact=True).click()
        page.get_by_role("button", name="Play", exact=True).wait_for()
        played = _settled(lambda: _step_of(page), lambda s: page.wait_for_timeout(s * 1000))
        assert played >= 150
        assert plots.screenshot() != plots_before
        page.wait_for_timeout(500)
        assert _step_of(page) == played  # paused: it stays
        page.set_viewport_size({"width": 1400, "height": 1250})
        page.screenshot(path=str(artifacts / "live_ward.png"))

        respect = page.get_by_role("slider").nth([s.key for s in SLIDERS].index("culture.respect"))
        respect.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.get_by_text("respect: 0.65").wait_for()
        page.get_by_text("Changes take effect when you press Reset.").wait_for()
        page.get_by_role("button", name="Reset", exact=True).click()
        page.get_by_text("step 0 · day 0 00:00").wait_for()
        in_use = page.locator(".milieusim-in-use")
        assert "respect\t0.65" in in_use.inner_text()
        assert page.get_by_text("Changes take effect when you press Reset.").count() == 0
        assert errors == [], errors
        assert elsewhere == [], elsewhere
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
