"""The live ward page (Solara): a ward running in the browser, for a class to watch.

Laid out like a NetLogo interface: on the left, Reset (set up), Step (go once),
Play/Pause (go) and the speed, then the ward's setup (layout, preset, furniture,
seed) and sliders for its culture, which take effect at the next Reset; on
the right, the clock, the plan with its people, live plots, monitors and a
feed of recent events in words.

The page defines no model logic: `live.LiveWard` runs the model,
`drawing` draws it and `narrate` words it.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import replace

import solara

from milieusim.app.drawing import COLOUR_MODES, LivePlots, WardPicture
from milieusim.app.live import (
    BASELINE,
    SLIDERS,
    LiveWard,
    Setup,
    layout_names,
    parse_seed,
    preset_choices,
)
from milieusim.space.layout_file import cached_layout

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
    with solara.Columns([1, 3], style="padding: 8px 12px"):
        with solara.Column():
            solara.Text("milieusim · live ward", style="font-size: 1.4em; font-weight: 600")
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
                solara.Error(error, classes=["milieusim-error"])
            if playing_run.error is not None:
                solara.Error(f"The run stopped: {playing_run.error}", classes=["milieusim-error"])
            SetupForm(form, set_form, pending=live is None or form != live.setup)
        with solara.Column():
            if shown is not None:
                WardView(*shown, colour_by, set_colour_by, on_drawn=drawn.set)


@solara.component
def Controls(step_minutes: int | None, playing: bool, reset, step, toggle, speed: str, set_speed):
    """Reset, Step, Play/Pause and the speed; `step_minutes` is None while no ward is set up."""
    ready = step_minutes is not None
    with solara.Card("Run", margin=0):
        with solara.Row():
            solara.Button("Reset", on_click=reset, color="primary", icon_name="mdi-restore")
            solara.Button("Step", on_click=step, disabled=playing or not ready, icon_name="mdi-step-forward")
            solara.Button(
                "Pause" if playing else "Play",
                on_click=toggle,
                disabled=not ready,
                color="success",
                icon_name="mdi-pause" if playing else "mdi-play",
            )
        solara.Select("speed: ward time per frame", values=list(SPEEDS), value=speed, on_value=set_speed)
        if ready:
            solara.Text(
                f"One step is {step_minutes} minutes of ward time.", style="font-size: 0.85em; color: #555"
            )


@solara.component
def SetupForm(form: Setup, set_form, pending: bool):
    """The ward's setup and culture; applied by the next Reset."""

    def set_layout(name: str):
        set_form(lambda f: replace(f, layout=name, furniture=""))

    def set_value(key: str, value: float):
        set_form(lambda f: replace(f, values={**f.values, key: round(float(value), 4)}))

    try:
        parse_seed(form.seed)
        seed_error = False
    except ValueError as exc:
        seed_error = str(exc)
    with solara.Card("Ward", margin=0):
        names = layout_names()
        names += [] if form.layout in names else [form.layout]  # a layout file given to `milieusim app`
        solara.Select("layout", values=names, value=form.layout, on_value=set_layout)
        solara.Select(
            "preset",
            values=preset_choices(),
            value=form.preset,
            on_value=lambda p: set_form(lambda f: f.with_preset(p)),
        )
        solara.Select(
            "furniture",
            values=variants(form.layout),
            value=form.furniture or AS_PRESET,
            on_value=lambda v: set_form(lambda f: replace(f, furniture="" if v == AS_PRESET else v)),
        )
        solara.InputText(
            "seed (blank: a new one at each reset)",
            value=form.seed,
            on_value=lambda text: set_form(lambda f: replace(f, seed=text or "")),
            error=seed_error,
        )
    with solara.Card("Culture", margin=0):
        for s in SLIDERS:
            value = form.values[s.key]
            solara.Text(f"{s.label}: {value:g}", style="font-size: 0.9em", classes=["milieusim-slider-label"])
            solara.SliderFloat(
                "",
                value=value,
                min=s.lo,
                max=s.hi,
                step=s.step,
                on_value=lambda v, key=s.key: set_value(key, v),
            )
    if pending:
        solara.Info("Changes take effect when you press Reset.", dense=True, classes=["milieusim-pending"])


@solara.component
def WardView(live: LiveWard, frame, colour_by: str, set_colour_by, on_drawn=None):
    """The clock, the plan with its people, the live plots, the monitors and the feed.

    `on_drawn` is called once a frame has been drawn.
    """
    solara.use_effect(lambda: on_drawn and on_drawn(), [frame])
    picture = solara.use_memo(lambda: WardPicture(live.model.layout), [live])
    plan = solara.use_memo(lambda: picture.png(frame, colour_by), [picture, frame, colour_by])
    charts = solara.use_memo(LivePlots, [live])
    plots = solara.use_memo(lambda: charts.png(live.history[: frame.step + 1]), [charts, frame])
    with solara.Row(style="align-items: center; justify-content: space-between"):
        solara.Text(
            f"step {frame.step} · {frame.clock} · {frame.activity}",
            classes=["milieusim-clock"],
            style="font-size: 1.4em; font-weight: 600",
        )
        with solara.Row(style="align-items: center"):
            solara.Text("colour patients by")
            solara.ToggleButtonsSingle(value=colour_by, values=list(COLOUR_MODES), on_value=set_colour_by)
    solara.Image(plan, width="100%", classes=["milieusim-plan"])
    solara.Image(plots, width="100%", classes=["milieusim-plots"])
    with solara.Columns([1, 2]):
        with solara.Card("Monitors", margin=0):
            solara.HTML(tag="table", unsafe_innerHTML=_rows(frame.monitors), classes=["milieusim-monitors"])
            solara.Text("In use since the last reset", style="font-weight: 600; margin-top: 0.8em")
            solara.HTML(
                tag="table",
                unsafe_innerHTML=_rows(live.in_use),
                classes=["milieusim-in-use"],
                style="font-size: 0.9em",
            )
        with solara.Card("What just happened", margin=0):
            items = "".join(
                f"<tr><td style='padding-right:0.8em;color:#666;white-space:nowrap;vertical-align:top'>"
                f"{html.escape(when)}</td><td>{html.escape(what)}</td></tr>"
                for when, what in frame.feed
            )
            solara.HTML(
                tag="table",
                unsafe_innerHTML=items or "<tr><td>nothing yet</td></tr>",
                classes=["milieusim-feed"],
                style="font-size: 0.9em",
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
