"""The run behind the live ward: the page's choices made into a model, stepped, and observed.

No solara here: what the page does with the model is plain Python, tested
without a browser.

- `Setup`: what the page's controls say (layout, preset, furniture, seed, culture sliders);
  `Setup.build` makes the model through `load_scenario` and `MilieuModel`.
- `SLIDERS`: the parameters the page offers as sliders, with their ranges from `params.py`.
- `parse_seed`: the seed box's text as a seed, or a clear error.
- `no_effect`: the sliders that change nothing under a scenario, and why.
- `LiveWard`: a run in progress; `advance` steps it and keeps a `Frame` (a snapshot for
  drawing), a per-step `history` for the live plots and the whole run's `feed`; `inspect`
  tells about one person, `change` changes the culture part-way, `csv` gives its tables.
- `FEED_FILTERS`, `filtered`: the feed by kind of event.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field, replace

import numpy as np

from milieusim.kinds import PATIENT, RELATIVE, STAFF, Activity, Setting
from milieusim.metrics import tables
from milieusim.model import MilieuModel
from milieusim.narrate import person, place, told, told_alone
from milieusim.params import Scenario
from milieusim.rules.conflict import CONFLICT_KINDS
from milieusim.rules.containment import CONTAINMENT_KINDS
from milieusim.rules.levels import LEVEL_NAMES, still_needed
from milieusim.scenario import load_scenario, preset_names
from milieusim.space.layout_file import builtin_layouts, cached_layout

#: The preset choice that means the neutral baseline (the parameters' defaults).
BASELINE = "default"
#: Largest seed: seeds are stored in int64 tables.
SEED_MAX = 2**63 - 1
#: The feed's filters: a name and the kinds of event it keeps (None: every kind).
FEED_FILTERS: dict[str, frozenset[str] | None] = {
    "everything": None,
    "incidents": frozenset(CONFLICT_KINDS),
    "containment": frozenset(CONTAINMENT_KINDS),
    "levels": frozenset({"promotion", "withdrawal", "demotion"}),
    "admissions, discharges": frozenset({"admission", "discharge"}),
    "visits": frozenset({"visit"}),
    "requests, goals": frozenset({"request", "goal_reached"}),
}
#: The feed shows this many lines at most, the newest (the events table has them all).
FEED_SHOWN = 400
#: Frames an incident stays marked on the plan.
FLASH_FRAMES = 3
#: A person's events shown when they are inspected.
PERSON_EVENTS = 6
#: The run's tables offered for download.
TABLES = ("daily", "events", "stays")
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
#: The community meeting, offered as a switch.
MEETING = "programme.community_meeting"
#: What each setting the page changes is called there, by its dotted key.
LABELS = {MEETING: "community meeting", **{s.key: s.label for s in SLIDERS}}


def no_effect(scenario: Scenario) -> dict[str, str]:
    """The sliders that change nothing under `scenario`, each with the reason in words.

    Read from the parameters the model's code checks: power balance weighs voices only at
    a community meeting; visits need visiting hours, a relative and a ward (at home the
    family lives there); family involvement acts only through visits.
    """
    out = {}
    blocks = {b.activity for b in scenario.time.timetable}
    if not scenario.programme.community_meeting or Activity.MEETING not in blocks:
        out["culture.power_balance"] = "no community meeting: nothing is put to a vote"
    fam = scenario.family
    setting = Setting(cached_layout(scenario.ward.layout).meta.setting)
    if setting == Setting.HOME:
        why = "at home the family lives with the patient: there are no visits"
    elif Activity.VISITING not in blocks:
        why = "the timetable has no visiting hours"
    elif fam.share_with_family == 0:
        why = "no patient has a relative"
    else:
        why = ""
    if why:
        out["family.visits_per_week"] = why
    if why or fam.visits_per_week == 0:
        out["family.involvement"] = why or "no visits: family sessions happen during visits"
    return out


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
    return {**{s.key: _value(sc, s.key) for s in SLIDERS}, MEETING: _value(sc, MEETING)}


def _value(scenario: Scenario, key: str) -> float | bool:
    group, name = key.split(".")
    value = getattr(getattr(scenario, group), name)
    return value if isinstance(value, bool) else float(value)


def _shown(value: float | bool) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else f"{value:g}"


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
        values: slider values (and the meeting switch) by dotted key; they override the preset.
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
        changes += [f"{key}={json.dumps(value)}" for key, value in self.values.items()]
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

    People are those present, as arrays over them: `ids` (agent ids), `rows`, `cols` (cells),
    `role` (`PATIENT`, `STAFF`, `RELATIVE`), `level` (0 for staff and relatives) and `agitation`.
    `flashes`: cells (row, col) of the incidents of the last `FLASH_FRAMES` frames.
    """

    step: int
    clock: str
    activity: str
    ids: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    role: np.ndarray
    level: np.ndarray
    agitation: np.ndarray
    pieces: tuple
    furniture_moves: int
    monitors: dict[str, str]
    events: int
    flashes: np.ndarray


@dataclass(frozen=True)
class FeedLine:
    """One event of the feed in words: when, what, its kind, the patient's and the other person's ids."""

    when: str
    what: str
    kind: str
    who: int
    other: int

    @property
    def incident(self) -> bool:
        """Whether the event is an incident (conflict)."""
        return self.kind in CONFLICT_KINDS


def filtered(feed: list[FeedLine], name: str) -> list[FeedLine]:
    """The lines of `feed` that filter `name` keeps, newest first.

    Raises:
        ValueError: an unknown filter, naming the valid ones.
    """
    if name not in FEED_FILTERS:
        raise ValueError(f"unknown feed filter {name!r}; valid: {', '.join(FEED_FILTERS)}")
    kinds = FEED_FILTERS[name]
    return [line for line in reversed(feed) if kinds is None or line.kind in kinds]


def per_100_bed_days(count: float, bed_days: float) -> str:
    """A count as a rate per 100 occupied bed-days, in words (a dash before a bed-day has passed)."""
    return f"{100 * count / bed_days:.1f}" if bed_days > 0 else "–"


@dataclass(frozen=True)
class Inspection:
    """What the page shows of one person: facts by name, what they still need, their recent events."""

    name: str
    facts: dict[str, str]
    needs: list[str]
    events: list[FeedLine]


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
        #: The whole run's events in words, oldest first.
        self.feed: list[FeedLine] = []
        #: Occupied bed-days so far: patients on the books, step by step.
        self.bed_days = 0.0
        self._incidents: list[tuple[int, int]] = []
        self._flashes: list[list[tuple[int, int]]] = []
        m = self.model
        #: What this run was set up with (and changed to since), as the page shows it.
        self.in_use = {
            "ward": f"{m.layout.name}, {m.arrangement.variant} furniture",
            "preset": setup.preset,
            "seed": str(m.seed),
            **{label: _shown(_value(m.params, key)) for key, label in LABELS.items()},
        }
        self._observe()
        self.frame = self._frame()

    def advance(self, steps: int = 1) -> Frame:
        """Run `steps` steps and return the new frame."""
        with self.lock:
            for _ in range(steps):
                self.model.step()
                self.bed_days += self.model.flow.census() * self.model.clock.dt / 1440
                self._observe()
            self.frame = self._frame()
        return self.frame

    def change(self, values: dict[str, float | bool]) -> list[str]:
        """Change the culture of the running ward to `values` (dotted keys) now; what changed, in words.

        Raises:
            ValueError: a key that cannot change part-way, or an invalid value (`MilieuModel.change`).
        """
        with self.lock:
            m = self.model
            now = {k: v for k, v in values.items() if v != _value(m.params, k)}
            if not now:
                return []
            m.change(now)
            self.setup = replace(self.setup, values={**self.setup.values, **now})
            said = []
            for key, value in now.items():
                self.in_use[LABELS[key]] = _shown(value)
                said.append(f"{LABELS[key]} set to {_shown(value)}")
            what = "the ward's culture changed: " + "; ".join(said)
            self.feed.append(FeedLine(self.frame.clock, what, "change", -1, -1))
            self.frame = replace(self.frame, events=len(self.feed))
            return said

    def inspect(self, uid: int) -> Inspection | None:
        """What the page shows of the person with agent id `uid` (None when they have gone)."""
        with self.lock:
            m = self.model
            agent = next((a for a in m.agents if a.unique_id == uid), None)
            if agent is None or getattr(agent, "gone", False):
                return None
            r = m.roster
            dest = tuple(int(v) for v in r.dest[agent.slot])
            facts = {
                "role": _role(agent),
                "now": str(agent.activity).replace("_", " ") if agent.present else "off the ward",
            }
            if agent.present:
                facts["where"] = place(m.layout, int(r.room[agent.slot])).split(" ", 1)[1]
                facts["heading for"] = place(m.layout, int(m.layout.room_of[dest])).split(" ", 1)[1]
            needs: list[str] = []
            if agent.role == PATIENT:
                facts["level"] = f"L{agent.level}: {LEVEL_NAMES[agent.level]}"
                facts["days at this level"] = str(agent.days_at_level)
                facts["agitation"] = f"{agent.agitation:.2f}"
                facts["trust in staff"] = f"{agent.trust:.2f}"
                facts["autonomy"] = f"{agent.autonomy:.2f}"
                facts["severity of symptoms"] = f"{agent.severity:.2f}"
                facts["days in care"] = str(m.clock.day - agent.admitted_day)
                needs = still_needed(agent.level, agent.days_at_level, agent.log, m.params.levels.rules)
            who = agent.patient.unique_id if agent.role == RELATIVE else uid
            mine = [line for line in reversed(self.feed) if line.who == who or line.other == uid]
            return Inspection(person(agent), facts, needs, mine[:PERSON_EVENTS])

    def people(self) -> dict[str, int]:
        """Everyone on the ward now, by name (patients first), to agent id."""
        with self.lock:
            r = self.model.roster
            present = [a for a in (r.agents[s] for s in np.flatnonzero(r.present)) if a is not None]
            present.sort(key=lambda a: (int(a.role != PATIENT), a.unique_id))
            return {person(a): a.unique_id for a in present}

    def csv(self, table: str) -> bytes:
        """One of the run's tables so far (`TABLES`) as CSV; the daily table has a row per finished day.

        Raises:
            ValueError: an unknown table, naming the valid ones.
        """
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; valid: {', '.join(TABLES)}")
        with self.lock:
            return tables(self.model)[TABLES.index(table)].to_csv(index=False).encode()

    def _observe(self):
        """One row of history: patients per level, incidents and containment so far, trust; the feed."""
        m = self.model
        people = None
        for e in m.recorder.events[self._counted :]:
            if e.kind in CONFLICT_KINDS:
                self.totals["conflict"] += 1
                self.totals["unseen"] += not e.seen
                if e.row >= 0:
                    self._incidents.append((e.row, e.col))
            elif e.kind in CONTAINMENT_KINDS:
                self.totals["containment"] += 1
            if told_alone(e):
                people = people or {a.unique_id: a for a in m.agents}
                self.feed.append(FeedLine(*told(m, e, people), e.kind, int(e.who), int(e.other)))
        self._counted = len(m.recorder.events)
        pts = m.flow.patients()
        levels = np.bincount([p.level for p in pts], minlength=5)
        self.history.append(
            {
                "day": m.steps * m.clock.dt / 1440,
                "census": len(pts),
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
        rate = {k: per_100_bed_days(last[k], self.bed_days) for k in ("conflict", "unseen", "containment")}
        monitors = {
            "patients": str(m.flow.census()),
            "at L1 / L2 / L3 / L4": " / ".join(str(last[f"level_{k}"]) for k in (1, 2, 3, 4)),
            "staff / relatives on the ward": f"{int(np.count_nonzero(role == STAFF))} / "
            f"{int(np.count_nonzero(role == RELATIVE))}",
            "occupied bed-days": f"{self.bed_days:.1f}",
            "incidents (per 100 bed-days)": f"{last['conflict']} ({rate['conflict']})",
            "unseen by staff": f"{last['unseen']} ({rate['unseen']})",
            "containment": f"{last['containment']} ({rate['containment']})",
            "mean trust / autonomy": f"{last['trust']:.2f} / {last['autonomy']:.2f}",
        }
        self._flashes = [*self._flashes[-(FLASH_FRAMES - 1) :], self._incidents]
        self._incidents = []
        flashes = [cell for frame in self._flashes for cell in frame]
        activity = m.clock.timetable.block_at(elapsed % 1440).activity
        return Frame(
            step=m.steps,
            clock=f"day {elapsed // 1440} {elapsed % 1440 // 60:02d}:{elapsed % 60:02d}",
            activity=ACTIVITY_WORDS.get(activity, activity),
            ids=np.array([r.agents[k].unique_id for k in here], dtype=np.int64),
            rows=r.pos[here, 0].copy(),
            cols=r.pos[here, 1].copy(),
            role=role,
            level=np.where(role == PATIENT, r.level[here], 0),
            agitation=r.agitation[here].copy(),
            pieces=tuple(m.arrangement.pieces),
            furniture_moves=m.arrangement.moves,
            monitors=monitors,
            events=len(self.feed),
            flashes=np.array(flashes, dtype=np.int64).reshape(-1, 2),
        )


def _role(agent) -> str:
    """A person's role in words: ``nurse (night shift)``, ``patient (detained)``, ``relative of ...``."""
    if agent.role == STAFF:
        return agent.kind if agent.shift in ("office", "outreach") else f"{agent.kind} ({agent.shift} shift)"
    if agent.role == RELATIVE:
        return person(agent)
    return "patient (detained)" if agent.detained else "patient (informal)"
