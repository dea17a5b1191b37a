"""The run behind the live ward: the page's choices made into a model, stepped, and observed.

No solara here: what the page does with the model is plain Python, tested
without a browser.

- `Setup`: what the page's controls say (layout, preset, furniture, seed, culture sliders);
  `Setup.build` makes the model through `load_scenario` and `MilieuModel`.
- `SLIDERS`: the parameters the page offers as sliders, with their ranges from `params.py`.
- `parse_seed`: the seed box's text as a seed, or a clear error.
- `LiveWard`: a run in progress; `advance` steps it and keeps a `Frame` (a snapshot for
  drawing) and a per-step `history` for the live plots.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field, replace

import numpy as np

from milieusim.kinds import PATIENT, RELATIVE, STAFF
from milieusim.model import MilieuModel
from milieusim.narrate import timeline
from milieusim.params import Scenario
from milieusim.rules.conflict import CONFLICT_KINDS, CONTAINMENT_KINDS
from milieusim.scenario import load_scenario, preset_names
from milieusim.space.layout_file import builtin_layouts, cached_layout

#: The preset choice that means the neutral baseline (the parameters' defaults).
BASELINE = "default"
#: Largest seed: seeds are stored in int64 tables.
SEED_MAX = 2**63 - 1
#: Events shown in the feed.
FEED_LENGTH = 12
#: What the timetable's activities are called on the page.
ACTIVITY_WORDS = {
    "sleep": "night",
    "hygiene": "washing and dressing",
    "meal": "meal",
    "meeting": "community meeting",
    "group": "group therapy",
    "work": "work and chores",
    "visiting": "visiting hours",
    "free": "free time",
}


@dataclass(frozen=True)
class Slider:
    """A parameter the page sets with a slider: its dotted key, label and allowed range."""

    key: str
    label: str
    lo: float
    hi: float
    step: float


def _slider(key: str, label: str, step: float) -> Slider:
    group, name = key.split(".")
    info = Scenario.model_fields[group].annotation.model_fields[name]
    bounds = {
        k: getattr(m, k) for m in info.metadata for k in ("ge", "le") if getattr(m, k, None) is not None
    }
    return Slider(key, label, float(bounds["ge"]), float(bounds["le"]), step)


#: The culture of the ward (the milieu's components, docs/ODD.md Appendix A), as the page's sliders;
#: ranges are the parameters' own.
SLIDERS: tuple[Slider, ...] = (
    _slider("culture.power_balance", "power balance (patients' voice)", 0.01),
    _slider("culture.respect", "respect", 0.01),
    _slider("culture.consistency", "consistency", 0.01),
    _slider("culture.autonomy_support", "autonomy support", 0.01),
    _slider("culture.needs_focus", "needs focus (staff time with patients)", 0.01),
    _slider("family.involvement", "family involvement", 0.01),
    _slider("family.visits_per_week", "family visits per week", 0.5),
    _slider("conflict.containment_propensity", "readiness to contain", 0.01),
)


def layout_names() -> list[str]:
    """The built-in layouts the page offers."""
    return sorted(builtin_layouts())


def preset_choices() -> list[str]:
    """The preset choices: the baseline, then the built-in presets."""
    return [BASELINE, *preset_names()]


def preset_values(preset: str) -> dict[str, float]:
    """The slider parameters' values under `preset` (`BASELINE`: the defaults).

    Raises:
        ValueError: an unknown preset, naming the valid ones.
    """
    if preset not in preset_choices():
        raise ValueError(f"unknown preset {preset!r}; valid: {', '.join(preset_choices())}")
    sc = load_scenario(preset=None if preset == BASELINE else preset)
    return {s.key: _value(sc, s.key) for s in SLIDERS}


def _value(scenario: Scenario, key: str) -> float:
    group, name = key.split(".")
    return float(getattr(getattr(scenario, group), name))


def parse_seed(text: str) -> int | None:
    """The seed typed into the page: a whole number, or None (blank) for a new seed at each reset.

    Raises:
        ValueError: naming the text and what is valid.
    """
    text = text.strip()
    if not text:
        return None
    valid = f"type a whole number from 0 to {SEED_MAX}, or leave it blank for a new seed at each reset"
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"seed {text!r} is not a whole number; {valid}")
    seed = int(text)
    if seed > SEED_MAX:
        raise ValueError(f"seed {text} is too large; {valid}")
    return seed


@dataclass(frozen=True)
class Setup:
    """What the page's controls say: everything a reset needs.

    Attributes:
        layout: a built-in layout name or a layout file.
        preset: a preset name, or `BASELINE`.
        furniture: a furniture variant of the layout; "" for the preset's (else the layout's).
        seed: the seed box's text (see `parse_seed`).
        values: slider values by dotted key; they override the preset.
    """

    layout: str = "corridor"
    preset: str = BASELINE
    furniture: str = ""
    seed: str = "0"
    values: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, layout: str = "corridor", preset: str = BASELINE, seed: str = "0") -> Setup:
        """A setup with the sliders at `preset`'s values."""
        return cls(layout, preset, "", seed, preset_values(preset))

    def with_preset(self, preset: str) -> Setup:
        """The same setup under another preset, the sliders moved to its values."""
        return replace(self, preset=preset, values=preset_values(preset))

    def scenario(self) -> Scenario:
        """The validated scenario: the preset, then the layout, furniture and sliders.

        Raises:
            InputError: an unknown preset or layout, or a value out of range.
        """
        changes = [f"ward.layout={json.dumps(self.layout)}"]
        if self.furniture:
            changes.append(f"ward.furniture={json.dumps(self.furniture)}")
        changes += [f"{key}={value!r}" for key, value in self.values.items()]
        return load_scenario(preset=None if self.preset == BASELINE else self.preset, changes=changes)

    def build(self) -> MilieuModel:
        """A new model of this setup.

        Raises:
            ValueError: a bad seed, or a scenario the ward cannot be built from (e.g. a
                furniture variant the layout does not have); `InputError` is one.
        """
        seed = parse_seed(self.seed)
        scenario = self.scenario()
        cached_layout(scenario.ward.layout)  # an unknown layout fails here, naming the valid ones
        return MilieuModel(scenario, rng=seed)


@dataclass(frozen=True, eq=False)  # frames are told apart by identity
class Frame:
    """What the page shows of the ward after a step: a snapshot, safe to read while the run goes on.

    People are those present, as arrays over them: `rows`, `cols` (cells), `role`
    (`PATIENT`, `STAFF`, `RELATIVE`), `level` (0 for staff and relatives) and `agitation`.
    """

    step: int
    clock: str
    activity: str
    rows: np.ndarray
    cols: np.ndarray
    role: np.ndarray
    level: np.ndarray
    agitation: np.ndarray
    pieces: tuple
    furniture_moves: int
    monitors: dict[str, str]
    feed: list[tuple[str, str]]


class LiveWard:
    """A run in progress: the model of a `Setup`, its per-step history and its latest `Frame`.

    `advance` holds a lock while it steps, so the page can draw from `frame` and
    `history` while a play loop runs in another thread.
    """

    def __init__(self, setup: Setup):
        self.setup = setup
        self.model = setup.build()
        self.lock = threading.Lock()
        self.history: list[dict[str, float]] = []
        self.totals = {"conflict": 0, "unseen": 0, "containment": 0}
        self._counted = 0
        m = self.model
        #: What this run was set up with, as the page shows it.
        self.in_use = {
            "ward": f"{m.layout.name}, {m.arrangement.variant} furniture",
            "preset": setup.preset,
            "seed": str(m.seed),
            **{s.label: f"{_value(m.params, s.key):g}" for s in SLIDERS},
        }
        self._observe()
        self.frame = self._frame()

    def advance(self, steps: int = 1) -> Frame:
        """Run `steps` steps and return the new frame."""
        with self.lock:
            for _ in range(steps):
                self.model.step()
                self._observe()
            self.frame = self._frame()
        return self.frame

    def _observe(self):
        """One row of history: patients per level, incidents and containment so far, trust."""
        m = self.model
        for e in m.recorder.events[self._counted :]:
            if e.kind in CONFLICT_KINDS:
                self.totals["conflict"] += 1
                self.totals["unseen"] += not e.seen
            elif e.kind in CONTAINMENT_KINDS:
                self.totals["containment"] += 1
        self._counted = len(m.recorder.events)
        pts = m.flow.patients()
        levels = np.bincount([p.level for p in pts], minlength=5)
        self.history.append(
            {
                "day": m.steps * m.clock.dt / 1440,
                **{f"level_{k}": int(levels[k]) for k in (1, 2, 3, 4)},
                **self.totals,
                "trust": float(np.mean([p.trust for p in pts])) if pts else np.nan,
                "autonomy": float(np.mean([p.autonomy for p in pts])) if pts else np.nan,
            }
        )

    def _frame(self) -> Frame:
        m, r = self.model, self.model.roster
        here = np.flatnonzero(r.present)
        role = r.role[here].copy()
        elapsed = m.steps * m.clock.dt
        last = self.history[-1]
        monitors = {
            "patients": str(m.flow.census()),
            "at L1 / L2 / L3 / L4": " / ".join(str(last[f"level_{k}"]) for k in (1, 2, 3, 4)),
            "staff on the ward": str(int(np.count_nonzero(role == STAFF))),
            "relatives on the ward": str(int(np.count_nonzero(role == RELATIVE))),
            "incidents so far": str(last["conflict"]),
            "of which unseen by staff": str(last["unseen"]),
            "containment so far": str(last["containment"]),
            "mean trust in staff": f"{last['trust']:.2f}",
            "mean autonomy": f"{last['autonomy']:.2f}",
        }
        activity = m.clock.timetable.block_at(elapsed % 1440).activity
        return Frame(
            step=m.steps,
            clock=f"day {elapsed // 1440} {elapsed % 1440 // 60:02d}:{elapsed % 60:02d}",
            activity=ACTIVITY_WORDS.get(activity, activity),
            rows=r.pos[here, 0].copy(),
            cols=r.pos[here, 1].copy(),
            role=role,
            level=np.where(role == PATIENT, r.level[here], 0),
            agitation=r.agitation[here].copy(),
            pieces=tuple(m.arrangement.pieces),
            furniture_moves=m.arrangement.moves,
            monitors=monitors,
            feed=timeline(m, FEED_LENGTH),
        )
