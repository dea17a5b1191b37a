"""Shared fixtures: small hand-made plans with known answers."""

import textwrap
from pathlib import Path

import pytest

from milieusim.space import parse_layout

TINY = textwrap.dedent('''
    [layout]
    name = "tiny"
    description = "two bedrooms, a dayroom and a staff base"
    cell_size_m = 0.5
    beds = 2

    [rooms]
    plan = """
    ############
    #bbb#bbb#dd#
    #bbb#bbb#dd#
    ##+###+##+##
    #e........s#
    ############
    """

    [furniture.standard]
    plan = """
    ############
    #B..#B..#CT#
    #B..#B..#.^#
    ##+###+##+##
    #..........#
    ############
    """
''')


def make_layout(
    rooms: str, furniture: str | None = None, beds: int = 1, setting: str | None = None, extra: str = ""
) -> str:
    """Text of a layout file around the given plans.

    The setting, unless given, is inpatient when the furniture plan draws a bed, else a day
    hospital (the one setting that may have no beds).
    """
    setting = setting or ("inpatient" if furniture is not None and "B" in furniture else "day")
    text = (
        f'[layout]\nname = "t"\ncell_size_m = 0.5\nbeds = {beds}\nsetting = "{setting}"\n{extra}\n'
        f'[rooms]\nplan = """\n{textwrap.dedent(rooms).strip()}\n"""\n'
    )
    if furniture is not None:
        text += f'[furniture.standard]\nplan = """\n{textwrap.dedent(furniture).strip()}\n"""\n'
    return text


@pytest.fixture
def tiny():
    return parse_layout(TINY, source="tiny.toml")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent.parent / "out" / "test-artifacts"


@pytest.fixture
def browser_page():
    """A page in headless Debian Chromium driven by Playwright, and the console errors it logs.

    `make test` installs Chromium (scripts/need-chromium); a machine without it fails here with
    the fix, not a skip.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/need-chromium (or apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            yield page, errors
        finally:
            browser.close()


@pytest.fixture
def artifacts() -> Path:
    """Folder for files a test keeps for people to look at (screenshots); ignored by git."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
