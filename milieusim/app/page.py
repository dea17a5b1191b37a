"""The live ward page (Solara): a ward running in the browser, for a class to watch.

Laid out like a NetLogo interface, sized for a laptop screen (1366 x 768): on
the left, Reset (set up), Step (go once), Play/Pause (go) and the speed, then the
ward's setup (layout, preset, furniture, seed, community meeting) and sliders for
its culture, which take effect at the next Reset or, with "Apply now", on the
running ward; sliders that change nothing under the setup are disabled and say
why. In the middle the clock, the plan with its people and the live plots; on
the right the monitors, the person inspected, the run's events in words (the
newest, filtered by kind) and the run's tables as CSV. An Info tab, like NetLogo's,
says what the model is and what to try (`info.md`).

The page defines no model logic: `live.LiveWard` runs the model,
`drawing` draws it and `narrate` words it.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import replace
from pathlib import Path

import solara
import solara.lab

from milieusim.app.drawing import COLOUR_MODES, LivePlots, WardPicture
from milieusim.app.live import (
    BASELINE,
    FEED_FILTERS,
    FEED_SHOWN,
    MEETING,
    SLIDERS,
    TABLES,
    LiveWard,
    Setup,
    filtered,
    layout_names,
    no_effect,
    parse_seed,
    preset_choices,
)
from milieusim.space.layout_file import cached_layout

#: The Info tab's text.
INFO = Path(__file__).with_name("info.md").read_text(encoding="utf-8")  # read once, shown on every render
#: Styles that keep the page on a laptop screen: dense controls, a feed that scrolls.
CSS = """
.milieusim-controls .v-card__title { padding: 4px 8px; font-size: 1em; }
.milieusim-controls .v-input { margin-top: 0; padding-top: 0; }
.milieusim-controls .v-input__slot { margin-bottom: 0; min-height: 0; }
.milieusim-controls .v-text-field__details, .milieusim-controls .v-messages { min-height: 0; }
.milieusim-controls .v-slider { margin: 0; min-height: 0; }
.milieusim-controls .v-input--switch { margin: 0; }
.milieusim-slider-label { line-height: 1.1; margin: 0; }
.milieusim-controls .v-select { margin-top: 10px; }
.milieusim-off { color: #888; }
.milieusim-feed-box { max-height: 30vh; overflow-y: auto; font-size: 0.85em; }
.milieusim-feed tr.incident td { background: #fde2e4; }
.milieusim-side table td { padding: 0 0.6em 0 0; }
.v-window__container .v-card { margin-bottom: 4px; }
"""

#: The furniture choice that leaves furniture to the preset (or else the layout's default).
AS_PRESET = "as the preset says"
#: Ward time per frame while playing, in minutes.
SPEEDS = {"5 min": 5, "15 min": 15, "30 min": 30, "1 hour": 60, "3 hours": 180, "6 hours": 360, "1 day": 1440}
#: Shortest time between two frames while playing, seconds, and the least pause after one is drawn:
#: the page stays free for clicks.
FRAME_SECONDS, BREATHER_SECONDS = 0.15, 0.05
#: Longest wait for the page to draw a frame before the next is made, seconds.
DRAW_TIMEOUT = 10.0


def start(setup: Setup) -> tuple[LiveWard | None, str | None]:
    """A new run of `setup`, or None and the reason it cannot be built, in words."""
    try:
        return LiveWard(setup), None
    except ValueError as exc:  # InputError is a ValueError: a bad seed, preset, layout or value
        return None, f"The ward could not be set up: {exc}"


def _first(layout: str, preset: str, furniture: str, seed: str):
    setup = replace(Setup.of(layout, preset, seed), furniture=furniture)
    return setup, *start(setup)


def variants(layout: str) -> list[str]:
    """The furniture choices of a layout."""
    try:
        return [AS_PRESET, *cached_layout(layout).furniture]
    except ValueError:
        return [AS_PRESET]


@solara.component
def App(layout: str = "corridor", preset: str = BASELINE, furniture: str = "", seed: str = "0"):
    """The live ward, set up with `layout`, `preset`, `furniture` and `seed` until the page changes them."""
    setup, first, why = solara.use_memo(lambda: _first(layout, preset, furniture, seed), [])
    form, set_form = solara.use_state(setup)
    # the run and the frame shown of it, kept together so that a frame is never drawn on another run
    shown, set_shown = solara.use_state((first, first.frame) if first else None)
    error, set_error = solara.use_state(why)
    playing, set_playing = solara.use_state(False)
    colour_by, set_colour_by = solara.use_state(COLOUR_MODES[0])
    speed, set_speed = solara.use_state("1 hour")
    follow, set_follow = solara.use_state(None)  # the agent id of the person inspected
    live = shown[0] if shown else None
    steps_per_frame = solara.use_ref(1)
    drawn = solara.use_memo(threading.Event, [])  # set once the page has drawn the frame shown
    if live is not None:
        steps_per_frame.current = max(1, SPEEDS[speed] // live.model.clock.dt)

    def show(run: LiveWard, frame):
        """Show `frame` of `run`, unless a reset has replaced `run` meanwhile."""
        set_shown(lambda current: (run, frame) if current is None or current[0] is run else current)

    def reset():
        set_playing(False)
        new, why = start(form)
        set_error(why)
        if new is not None:
            set_shown((new, new.frame))
            set_follow(None)

    def apply_now():
        try:
            live.change(form.values)
        except ValueError as exc:
            set_error(f"The culture could not be changed: {exc}")
            return
        set_error(None)
        set_shown((live, live.frame))

    def step():
        show(live, live.advance(1))

    def play(cancel: threading.Event):
        if not playing or live is None:
            return
        while not cancel.is_set():
            began = time.monotonic()
            drawn.clear()
            show(live, live.advance(steps_per_frame.current))
            # one frame at a time: a new frame while the page still draws the last would keep it
            # drawing without end (and Solara stops such a render loop with an error)
            drawn.wait(DRAW_TIMEOUT)
            cancel.wait(max(BREATHER_SECONDS, FRAME_SECONDS - (time.monotonic() - began)))

    playing_run = solara.use_thread(play, dependencies=[playing, live], intrusive_cancel=False)

    solara.Title("milieusim: live ward")
    solara.Style(CSS)
    with solara.lab.Tabs():
        with solara.lab.Tab("Interface"), solara.Columns([2.1, 5.6, 3.1], gutters_dense=True):
            with solara.Column(gap="4px", classes=["milieusim-controls"]):
                Controls(
                    live.model.clock.dt if live else None,
                    playing,
                    reset,
                    step,
                    lambda: set_playing(not playing),
                    speed,
                    set_speed,
                )
                if error:
                    solara.Error(error, classes=["milieusim-error"], dense=True)
                if playing_run.error is not None:
                    solara.Error(f"The run stopped: {playing_run.error}", classes=["milieusim-error"])
                SetupForm(form, set_form, live, apply_now)
            with solara.Column(gap="2px"):
                if shown is not None:
                    WardView(*shown, colour_by, set_colour_by, follow, on_drawn=drawn.set)
            with solara.Column(gap="4px", classes=["milieusim-side"]):
                if shown is not None:
                    Monitors(*shown)
                    Inspector(*shown, follow, set_follow)
                    Feed(*shown)
        with solara.lab.Tab("Info"):
            solara.Markdown(INFO, style="max-width: 60em; padding: 0 1em")


@solara.component
def Controls(step_minutes: int | None, playing: bool, reset, step, toggle, speed: str, set_speed):
    """Reset, Step, Play/Pause and the speed; `step_minutes` is None while no ward is set up."""
    ready = step_minutes is not None
    with solara.Card(margin=0):
        with solara.Row(gap="4px"):
            solara.Button("Reset", on_click=reset, color="primary", small=True)
            solara.Button("Step", on_click=step, disabled=playing or not ready, small=True)
            solara.Button(
                "Pause" if playing else "Play",
                on_click=toggle,
                disabled=not ready,
                color="success",
                small=True,
            )
        solara.Select("speed: ward time per frame", values=list(SPEEDS), value=speed, on_value=set_speed)
        if ready:
            solara.Text(
                f"One step is {step_minutes} minutes of ward time.", style="font-size: 0.8em; color: #555"
            )


def _idle(form: Setup) -> dict:
    """The sliders with no effect in the scenario the form sets up, and why (`no_effect`)."""
    try:
        return no_effect(form.scenario())
    except ValueError:  # a bad seed or layout is told elsewhere
        return {}


@solara.component
def SetupForm(form: Setup, set_form, live: LiveWard | None, apply_now):
    """The ward's setup and culture; applied by the next Reset (the culture also by `apply_now`)."""

    def set_layout(name: str):
        set_form(lambda f: replace(f, layout=name, furniture=""))

    def set_value(key: str, value: float):
        set_form(lambda f: replace(f, values={**f.values, key: round(float(value), 4)}))

    try:
        parse_seed(form.seed)
        seed_error = False
    except ValueError as exc:
        seed_error = str(exc)
    idle = solara.use_memo(lambda: _idle(form), [form])  # not on every frame of a playing ward
    with solara.Card(margin=0):
        names = layout_names()
        names += [] if form.layout in names else [form.layout]  # a layout file given to `milieusim app`
        with solara.Row(gap="6px"):
            solara.Select("layout", values=names, value=form.layout, on_value=set_layout, dense=True)
            solara.Select(
                "preset",
                values=preset_choices(),
                value=form.preset,
                on_value=lambda p: set_form(lambda f: f.with_preset(p)),
                dense=True,
            )
        with solara.Row(gap="6px"):
            solara.Select(
                "furniture",
                values=variants(form.layout),
                value=form.furniture or AS_PRESET,
                on_value=lambda v: set_form(lambda f: replace(f, furniture="" if v == AS_PRESET else v)),
                dense=True,
            )
            solara.InputText(
                "seed (blank: new)",
                value=form.seed,
                on_value=lambda text: set_form(lambda f: replace(f, seed=text or "")),
                error=seed_error,
            )
        solara.Switch(
            label="daily community meeting",
            value=bool(form.values[MEETING]),
            on_value=lambda v: set_form(lambda f: replace(f, values={**f.values, MEETING: bool(v)})),
        )
        for s in SLIDERS:
            value = form.values[s.key]
            why = idle.get(s.key)
            label = f"{s.label}: {value:g}" + (f" (no effect: {why})" if why else "")
            solara.Text(
                label,
                style="font-size: 0.8em",
                classes=["milieusim-slider-label"] + (["milieusim-off"] if why else []),
            )
            solara.SliderFloat(
                "",
                value=value,
                min=s.lo,
                max=s.hi,
                step=s.step,
                on_value=lambda v, key=s.key: set_value(key, v),
                disabled=bool(why),
            )
    if live is None or form != live.setup:
        culture_only = live is not None and replace(form, values=live.setup.values) == live.setup
        with solara.Row(gap="4px", style="align-items: center"):
            solara.Info(
                "Changes take effect when you press Reset"
                + (", or now on the running ward with Apply now." if culture_only else "."),
                dense=True,
                classes=["milieusim-pending"],
                style="font-size: 0.8em",
            )
            if culture_only:
                solara.Button("Apply now", on_click=apply_now, small=True, color="primary")


@solara.component
def WardView(live: LiveWard, frame, colour_by: str, set_colour_by, follow, on_drawn=None):
    """The clock, the plan with its people (`follow` ringed) and the live plots.

    `on_drawn` is called once a frame has been drawn.
    """
    solara.use_effect(lambda: on_drawn and on_drawn(), [frame])
    picture = solara.use_memo(lambda: WardPicture(live.model.layout), [live])
    plan = solara.use_memo(lambda: picture.png(frame, colour_by, follow), [picture, frame, colour_by, follow])
    charts = solara.use_memo(LivePlots, [live])
    plots = solara.use_memo(lambda: charts.png(live.history[: frame.step + 1]), [charts, frame])
    with solara.Row(style="align-items: center; justify-content: space-between"):
        solara.Text(
            f"step {frame.step} · {frame.clock} · {frame.activity}",
            classes=["milieusim-clock"],
            style="font-size: 1.2em; font-weight: 600",
        )
        with solara.Row(style="align-items: center", gap="4px"):
            solara.Text("colour patients by", style="font-size: 0.85em")
            solara.ToggleButtonsSingle(value=colour_by, values=list(COLOUR_MODES), on_value=set_colour_by)
    solara.Image(plan, width="100%", classes=["milieusim-plan"])
    solara.Image(plots, width="100%", classes=["milieusim-plots"])


@solara.component
def Monitors(live: LiveWard, frame):
    """The monitors (counts, and rates per 100 occupied bed-days), and what the run is set up with."""
    with solara.Card(margin=0):
        solara.HTML(tag="table", unsafe_innerHTML=_rows(frame.monitors), classes=["milieusim-monitors"])
        solara.HTML(
            tag="details",
            unsafe_innerHTML=f"<summary>in use since the last reset</summary><table>{_rows(live.in_use)}"
            "</table>",
            classes=["milieusim-in-use"],
            style="font-size: 0.8em; color: #444",
        )


@solara.component
def Inspector(live: LiveWard, frame, follow, set_follow):
    """Choose a person: who they are, what they need for the next level, what they do, their events."""
    names = solara.use_memo(live.people, [live, frame])
    by_id = {uid: name for name, uid in names.items()}
    seen = solara.use_memo(lambda: None if follow is None else live.inspect(follow), [live, frame, follow])
    with solara.Card(margin=0):
        solara.Select(
            "inspect a person (ringed on the plan)",
            values=["nobody", *names],
            value=by_id.get(follow, "nobody"),
            on_value=lambda name: set_follow(names.get(name)),
            dense=True,
        )
        if follow is None:
            return
        if seen is None:
            solara.Text("They have left the ward.", classes=["milieusim-inspected"])
            return
        rows = _rows(seen.facts)
        if seen.needs:
            rows += _rows({"for the next level": "; ".join(seen.needs)})
        elif "level" in seen.facts:
            rows += _rows({"for the next level": "the record meets the rule: the review may promote"})
        rows += "".join(
            f"<tr><td>{html.escape(e.when)}</td><td>{html.escape(e.what)}</td></tr>" for e in seen.events
        )
        solara.HTML(
            tag="table", unsafe_innerHTML=rows, classes=["milieusim-inspected"], style="font-size: 0.8em"
        )


@solara.component
def Feed(live: LiveWard, frame):
    """The run's newest `FEED_SHOWN` events in words, incidents shaded, filtered by kind; the tables."""
    kind, set_kind = solara.use_state("everything")
    lines = solara.use_memo(lambda: filtered(live.feed, kind), [live, frame.events, kind])
    # built once per change of the lines, and at most FEED_SHOWN of them: a long run's feed stays quick
    items = solara.use_memo(
        lambda: "".join(
            f"<tr class='{'incident' if e.incident else ''}'><td style='color:#666;white-space:nowrap;"
            f"vertical-align:top'>{html.escape(e.when)}</td><td>{html.escape(e.what)}</td></tr>"
            for e in lines[:FEED_SHOWN]
        ),
        [lines],
    )
    count = f"{len(lines)} of {frame.events}"
    if len(lines) > FEED_SHOWN:
        count += f", the newest {FEED_SHOWN} shown (events.csv has all)"
    with solara.Card(margin=0):
        with solara.Row(style="align-items: center", gap="4px"):
            solara.Select("events", values=list(FEED_FILTERS), value=kind, on_value=set_kind, dense=True)
            solara.Text(count, style="font-size: 0.8em; color: #555")
        with solara.Div(classes=["milieusim-feed-box"]):
            solara.HTML(
                tag="table",
                unsafe_innerHTML=items or "<tr><td>nothing yet</td></tr>",
                classes=["milieusim-feed"],
            )
        with solara.Row(gap="2px", style="align-items: center; flex-wrap: wrap"):
            solara.Text("tables so far (CSV):", style="font-size: 0.8em; white-space: nowrap")
            for table in TABLES:  # small text buttons: the three fit beside the label on a laptop screen
                with solara.FileDownload(
                    lambda table=table: live.csv(table), filename=f"milieusim_{table}.csv"
                ):
                    solara.Button(
                        f"{table}.csv", icon_name="mdi-download", text=True, small=True, style="min-width: 0"
                    )


def _rows(values: dict[str, str]) -> str:
    """Table rows of names and values, as HTML."""
    return "".join(
        f"<tr><td style='padding-right:1em;color:#555'>{html.escape(k)}</td>"
        f"<td><b>{html.escape(v)}</b></td></tr>"
        for k, v in values.items()
    )


@solara.component
def Page():
    """The page `milieusim app` serves: the live ward with the command line's layout, preset and seed."""
    from milieusim.app.server import page_defaults

    App(**page_defaults())
