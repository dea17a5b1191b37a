"""The live ward served by `milieusim app`, in a real browser (Chromium through Playwright)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from live_helpers import settled

from milieusim.app.live import SLIDERS


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
    page.set_default_timeout(90_000)  # a loaded machine renders slowly; the steps, not the speed, are tested
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
        page.set_viewport_size({"width": 1366, "height": 768})  # a laptop
        page.goto(url)
        clock = page.locator(".milieusim-clock")
        clock.wait_for(timeout=60_000)
        loaded = time.monotonic() - began
        assert clock.inner_text() == "step 0 · day 0 00:00 · night", f"loaded in {loaded:.1f} s"
        # on a laptop screen the controls, the last slider, the plan and the monitors show without scrolling
        for shown in (
            page.get_by_role("button", name="Reset", exact=True),
            page.get_by_role("slider").last,
            page.locator(".milieusim-plan"),
            page.locator(".milieusim-monitors"),
        ):
            box = shown.bounding_box()
            assert (
                box and box["y"] >= 0 and box["y"] + box["height"] <= 768 and box["x"] + box["width"] <= 1366
            )
        page.screenshot(path=str(artifacts / "live_ward_1366.png"))
        # the start: every patient in their own bed (two inspected are in different bedrooms)
        where, before = [], ""
        for k in (0, 1):
            page.locator(".v-select", has_text="inspect a person").click()
            page.get_by_role("option").filter(has_text="patient").nth(k).click()
            inspected = page.locator(".milieusim-inspected")
            inspected.get_by_text("for the next level").wait_for()
            page.wait_for_function(
                "b => document.querySelector('.milieusim-inspected').innerText != b", arg=before
            )
            before = inspected.inner_text()
            facts = dict(line.split("\t", 1) for line in inspected.inner_text().splitlines() if "\t" in line)
            assert facts["role"].startswith("patient") and facts["level"].startswith("L")
            where.append(facts["where"])
        assert where[0] != where[1] and all(w.startswith("bedroom") for w in where), where
        # the run's tables so far, as CSV
        with page.expect_download() as download:
            page.get_by_text("events.csv").click()
        with open(download.value.path()) as csv:
            assert csv.readline().startswith("step,day,minute,kind,who")
        plots = page.locator(".milieusim-plots")
        plots_before = plots.screenshot()

        page.get_by_role("button", name="Step", exact=True).click()
        page.get_by_text("step 1 · day 0 00:05").wait_for()
        page.get_by_role("button", name="Play", exact=True).click()
        page.wait_for_function(
            "() => parseInt(document.querySelector('.milieusim-clock').innerText.split(' ')[1]) >= 150",
            timeout=120_000,
        )
        page.get_by_role("button", name="Pause", exact=True).click()
        page.get_by_role("button", name="Play", exact=True).wait_for()
        played = settled(lambda: _step_of(page), lambda s: page.wait_for_timeout(s * 1000))
        assert played >= 150
        assert plots.screenshot() != plots_before
        page.wait_for_timeout(500)
        assert _step_of(page) == played  # paused: it stays
        page.set_viewport_size({"width": 1400, "height": 1250})
        page.screenshot(path=str(artifacts / "live_ward.png"))

        respect = page.locator(".v-slider [role=slider]").nth(
            [s.key for s in SLIDERS].index("culture.respect")
        )
        for k in range(5):  # the first change redraws the form (the notice and Apply now): focus again
            respect.focus()
            page.keyboard.press("ArrowRight")
            page.get_by_text(f"respect: {0.61 + k / 100:g}").wait_for()
        page.get_by_text("respect: 0.65").wait_for()
        page.get_by_text("Changes take effect when you press Reset, or now on the running ward").wait_for()
        assert page.get_by_role("button", name="Apply now").count() == 1
        page.get_by_role("button", name="Reset", exact=True).click()
        page.get_by_text("step 0 · day 0 00:00").wait_for()
        in_use = page.locator(".milieusim-in-use")
        in_use.locator("summary").click()
        assert "respect\t0.65" in in_use.inner_text()
        assert page.get_by_text("Changes take effect when you press Reset").count() == 0
        # the Info tab tells what the model is and what each slider does
        page.get_by_role("tab", name="Info").click()
        page.get_by_text("What is it?").wait_for()
        for s in SLIDERS:
            assert page.get_by_text(s.label, exact=False).count() > 0, s.label
        assert errors == [], errors
        assert elsewhere == [], elsewhere
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
