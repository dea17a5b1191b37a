"""The planner's report: one self-contained HTML file comparing ward layouts.

`write_report` turns a `milieusim.compare.Comparison` into ``report.html``:
the plans side by side at one scale with a legend, the planner metrics
(privacy beside visibility), the outcomes with 95% confidence intervals and
paired differences, heatmaps on each plan on one colour scale, a
plain-language reading, the caveats and the provenance. Images are embedded
as PNG data, so the file opens offline and prints as it shows.
"""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Normalize
from matplotlib.ticker import FuncFormatter, NullFormatter

from milieusim.compare import HEATMAPS, OUTCOMES, Comparison
from milieusim.compare.outcomes import BREAKDOWNS
from milieusim.metrics import SPATIAL_UNITS
from milieusim.outcomes import fmt
from milieusim.space.analysis import METRICS
from milieusim.sweep.store import write_atomic
from milieusim.viz.plan import (
    CHAR_EM,
    count_norm,
    draw_plan,
    heat_layer,
    legend_handles,
    plan_grid,
    scale_bar,
)

#: Planner metrics shown in per cent.
SHARE_METRICS = {
    "corridor_share",
    "floor_visible_from_base",
    "bedroom_doors_visible_from_base",
    "bedroom_doors_observable_from_base",
    "bedroom_privacy",
}
#: Metric order in the report: privacy right after what the staff base sees, the price of it.
METRIC_ORDER = [k for k in METRICS if k != "bedroom_privacy"]
METRIC_ORDER.insert(METRIC_ORDER.index("bedroom_doors_observable_from_base") + 1, "bedroom_privacy")
SETTINGS = {"inpatient": "inpatient ward", "day": "day hospital", "home": "home"}
PLAN_WIDTH_IN = 10.5  # drawing width of the plans, inches: about the report's page width at 110 dpi
TITLE_PT, TITLE_LINES = 8.5, 4  # plan titles: font size, and lines (name, description, furniture)


# ---------------------------------------------------------------- figures


def _layouts(comparison: Comparison) -> list:
    return [p.layout for p in comparison.plan.plans]


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def plans_figure(comparison: Comparison) -> bytes:
    """The plans at one scale, with room names, scale bars, each plan's furniture and one legend."""
    fig, axes = plan_grid(_layouts(comparison), PLAN_WIDTH_IN, title_in=TITLE_LINES * TITLE_PT * 1.3 / 72)
    handles = {}
    for ax, p in zip(axes, comparison.plan.plans, strict=True):
        lay = p.layout
        draw_plan(ax, lay, lay.furniture[p.variant].pieces)
        scale_bar(ax, lay)
        chars = int(ax.get_position().width * fig.get_figwidth() * 72 / (CHAR_EM * TITLE_PT))
        lines = [
            *textwrap.wrap(lay.meta.description, chars),
            *textwrap.wrap(f"furniture: {p.variant} ({lay.furniture[p.variant].description})", chars),
        ]
        if len(lines) > TITLE_LINES - 1:
            lines = [*lines[: TITLE_LINES - 2], textwrap.shorten(" ".join(lines[TITLE_LINES - 2 :]), chars)]
        pad = len(lines) * TITLE_PT * 1.25 + 6  # the title stands above its description, in points
        ax.set_title(p.label, fontsize=TITLE_PT + 1, fontweight="bold", loc="left", pad=pad)
        ax.annotate(
            "\n".join(lines),
            (0, 1),
            xycoords="axes fraction",
            xytext=(0, 4),
            textcoords="offset points",
            fontsize=TITLE_PT,
            va="bottom",
        )
        handles |= {h.get_label(): h for h in legend_handles(lay)}
    fig.legend(
        handles=list(handles.values()),
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=min(6, len(handles)),
        fontsize=9,
        frameon=False,
    )
    return _png(fig)


def heatmap_figure(comparison: Comparison, key: str, title: str, unit: str) -> bytes:
    """One layer (presence, encounters, incidents) on every plan, on one colour scale, over grey rooms."""
    bar_share = 0.1  # of the plans' width, beside them for the colour bar
    fig, axes = plan_grid(_layouts(comparison), PLAN_WIDTH_IN, extra_right=bar_share, title_in=0.3)
    layers = {
        p.label: heat_layer(p.layout, p.layout.furniture[p.variant].pieces, comparison.heat[p.label][key])
        for p in comparison.plan.plans
    }
    top = max((np.nanmax(v) for v in layers.values() if np.isfinite(v).any()), default=1.0)
    norm = count_norm(*layers.values()) or Normalize(0.0, top)
    image = None
    for ax, p in zip(axes, comparison.plan.plans, strict=True):
        lay = p.layout
        pieces = lay.furniture[p.variant].pieces
        image = draw_plan(ax, lay, pieces, overlay=layers[p.label], labels=False, norm=norm, colorbar=False)
        scale_bar(ax, lay)
        ax.set_title(p.label, fontsize=TITLE_PT + 1, loc="left")
    cax = fig.add_axes((1 / (1 + bar_share) + 0.01, 0.2, 0.015, 0.6))  # just right of the plans
    bar = fig.colorbar(image, cax=cax)
    bar.set_label(unit, fontsize=9)
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    bar.ax.yaxis.set_minor_formatter(NullFormatter())
    bar.ax.tick_params(labelsize=8)
    fig.suptitle(title, fontsize=TITLE_PT + 2, y=1.0, va="bottom")
    return _png(fig)


# ---------------------------------------------------------------- html


def _e(text) -> str:
    return html.escape(str(text))


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}">'


def _metric_value(key: str, value) -> str:
    if isinstance(value, list):
        return ", ".join(f"{v:.0f}" for v in value) or "-"
    if isinstance(value, float) and not math.isfinite(value):
        return "-"
    if key in SHARE_METRICS:
        return f"{value:.0%}"
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}" if abs(value) < 100 else f"{value:.0f}"


def metrics_table(comparison: Comparison) -> str:
    """The planner metrics, one column per plan, with what each means."""
    plans = comparison.plan.plans
    head = "".join(f"<th>{_e(p.label)}</th>" for p in plans)
    rows = [
        "<tr><td>setting</td>"
        + "".join(f"<td>{SETTINGS[p.layout.meta.setting]}</td>" for p in plans)
        + "<td>inpatient ward, day hospital or home</td></tr>",
        "<tr><td>furniture</td>"
        + "".join(f"<td>{_e(p.variant)}</td>" for p in plans)
        + "<td>the furniture arrangement used in the runs</td></tr>",
    ]
    for key in METRIC_ORDER:
        info = METRICS[key]
        unit = "%" if key in SHARE_METRICS else info.unit.replace("m2", "m²")
        label = info.label + (f" ({unit})" if unit else "")
        cls = ' class="privacy"' if key == "bedroom_privacy" else ""
        cells = "".join(f"<td>{_metric_value(key, comparison.metrics.loc[key, p.label])}</td>" for p in plans)
        rows.append(f"<tr{cls}><td>{_e(label)}</td>{cells}<td>{_e(info.help)}</td></tr>")
    return (
        f'<table class="metrics"><thead><tr><th>metric</th>{head}<th>what it means</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _interval(low: float, high: float, outcome, scale) -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return "no interval"
    return f"{fmt(low, outcome, scale)} to {fmt(high, outcome, scale)}"


def outcomes_table(comparison: Comparison) -> str:
    """Outcomes per plan with 95% CIs, and each later plan's paired difference from the first."""
    labels = [p.label for p in comparison.plan.plans]
    reps = comparison.plan.spec.experiment.replications
    t = comparison.outcomes.set_index(["outcome", "plan"])
    head = "".join(f"<th>{_e(lab)}</th>" for lab in labels) + "".join(
        f'<th colspan="2">{_e(lab)} minus {_e(labels[0])}</th>' for lab in labels[1:]
    )
    rows = []
    for o in OUTCOMES:
        scale = max((abs(t.loc[(o.key, lab), "mean"]) for lab in labels), default=0.0)
        scale = scale if math.isfinite(scale) else None
        cells = []
        for lab in labels:
            r = t.loc[(o.key, lab)]
            few = f'<br><span class="n">{int(r["n"])} of {reps} runs</span>' if r["n"] < reps else ""
            ci = _interval(r["ci_low"], r["ci_high"], o, scale)
            cells.append(f'<td><b>{fmt(r["mean"], o, scale)}</b><br><span class="ci">{ci}</span>{few}</td>')
        for lab in labels[1:]:
            r = t.loc[(o.key, lab)]
            ci = _interval(r["diff_ci_low"], r["diff_ci_high"], o, scale)
            verdict, diff = r["verdict"], fmt(r["diff_mean"], o, scale, signed=True)
            cells.append(
                f'<td><b>{diff}</b><br><span class="ci">{ci}</span></td>'
                f'<td class="verdict {verdict.replace(" ", "-")}">{_e(verdict)}</td>'
            )
        unit = o.unit.replace("% of", "per cent of")
        rows.append(
            f'<tr><td>{_e(o.title)}<br><span class="unit">{_e(unit)}</span></td>{"".join(cells)}</tr>'
        )
    return (
        f'<table class="outcomes"><thead><tr><th>outcome</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def origins_table(comparison: Comparison, measure: str) -> str:
    """`measure` (conflict, containment) per 100 occupied bed-days by origin, per plan, paired differences."""
    labels = [p.label for p in comparison.plan.plans]
    t = comparison.origins[comparison.origins["measure"] == measure].set_index(["outcome", "plan"])
    _, sources, heading = BREAKDOWNS[measure]
    head = "".join(f"<th>{_e(lab)}</th>" for lab in labels) + "".join(
        f"<th>{_e(lab)} minus {_e(labels[0])}</th>" for lab in labels[1:]
    )
    rows = []
    for column, _, words, _ in sources:
        cells = [f"<td><b>{t.loc[(column, lab), 'mean']:.3g}</b></td>" for lab in labels]
        for lab in labels[1:]:
            r = t.loc[(column, lab)]
            cells.append(
                f"<td><b>{r['diff_mean']:+.3g}</b><br>"
                f'<span class="ci">{r["diff_ci_low"]:+.3g} to {r["diff_ci_high"]:+.3g}</span></td>'
            )
        rows.append(f"<tr><td>{_e(words)}</td>{''.join(cells)}</tr>")
    return (
        f'<table class="origins {measure}"><thead><tr><th>{_e(heading)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _differences_note(comparison: Comparison) -> str:
    plans = comparison.plan.plans
    notes = []
    beds = {p.label: p.layout.meta.beds for p in plans}
    settings = {p.label: SETTINGS[p.layout.meta.setting] for p in plans}
    if comparison.plan.base.ward.beds is None and len(set(beds.values())) > 1:
        notes.append(
            "The plans have different numbers of beds ("
            + ", ".join(f"{k}: {v}" for k, v in beds.items())
            + "); each runs with its own beds. Rates per 100 occupied bed-days and per patient-day "
            "compare wards of different sizes; the staffing is the scenario's on every plan."
        )
    if len(set(settings.values())) > 1:
        notes.append(
            "The plans are different settings ("
            + ", ".join(f"{k}: {v}" for k, v in settings.items())
            + "): patients' days differ by setting as well as by building."
        )
    return "".join(f'<p class="note">{_e(n)}</p>' for n in notes)


def _provenance(comparison: Comparison) -> str:
    plan, sweep = comparison.plan, comparison.sweep
    e = plan.spec.experiment
    prov = sweep.manifest.get("provenance", {})
    seeds = comparison.runs.drop_duplicates("replicate").sort_values("replicate")["seed"].tolist()
    seconds = sum(s.get("seconds", 0.0) for s in sweep.manifest.get("sessions", []))
    rows = [
        (
            "milieusim"
            + (" (latest of the sessions)" if len(sweep.manifest.get("sessions", [])) > 1 else ""),
            f"{prov.get('milieusim', '?')} (commit {prov.get('git_commit') or 'unknown'})",
        ),
        ("software", f"Python {prov.get('python', '?')}, Mesa {prov.get('mesa', '?')}"),
        ("scenario", f"{plan.base.name} ({plan.scenario_source}); full parameters in scenario.json"),
        (
            "plans",
            "; ".join(f"{p.label}: {p.ref if Path(p.ref).is_absolute() else 'built-in'}" for p in plan.plans),
        ),
        (
            "file fingerprints (SHA-256)",
            ", ".join(
                f"{Path(f).name} {digest[:16]}"
                for f, digest in sweep.spec.get("input files (sha256)", {}).items()  # as spec.json holds them
            )
            or "built-in plans and scenario only",
        ),
        ("runs", f"{e.replications} replications x {len(plan.plans)} plans, {e.days} days each"),
        ("root seed", str(e.seed)),
        ("replicate seeds (the same on every plan)", ", ".join(map(str, seeds))),
        ("computing time", f"{seconds:.0f} s ({len(sweep.manifest.get('sessions', []))} session(s))"),
        ("run", f"{sweep.manifest.get('started', '?')} to {sweep.manifest.get('ended', '?')} (UTC)"),
        ("command", " ".join(prov.get("argv", [])) or "-"),
    ]
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<table class="kv">{body}</table>'


CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;margin:0;
background:#fafafa}
main{max-width:1200px;margin:0 auto;padding:24px 32px;background:#fff}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#555;margin:0 0 12px}
img{max-width:100%;height:auto;display:block;margin:8px auto}
figure{margin:8px 0 18px;break-inside:avoid}figcaption{color:#555;font-size:13px}
table{border-collapse:collapse;margin:8px 0;font-size:13.5px;break-inside:avoid}
th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}
thead th{background:#f1f1f1}
table.outcomes td:not(:first-child),table.origins td:not(:first-child),
table.metrics td:not(:first-child):not(:last-child){text-align:right}
table.metrics td:last-child{color:#555;font-size:12.5px}
tr.privacy{background:#fff8e6}
.ci,.unit,.n{color:#666;font-size:12px}.n{font-style:italic}
.verdict{font-size:12.5px;white-space:nowrap}.verdict.clear{font-weight:bold;color:#0b5394}
.verdict.within-noise{color:#777}.verdict.not-enough-data{color:#a15c00;font-style:italic}
.caveat{background:#f4f6fb;border-left:4px solid #6b7fb3;padding:8px 12px}
.note{background:#fff8e6;border-left:4px solid #e0a800;padding:6px 12px}
table.kv th{background:#f7f7f7;width:28%}
@media print{body{background:#fff;font-size:11pt}main{padding:0;max-width:none}
h2{break-after:avoid}section{break-inside:auto}}
"""


def report_html(comparison: Comparison) -> str:
    """The whole report as one HTML string (images embedded)."""
    plan = comparison.plan
    labels = [p.label for p in plan.plans]
    e = plan.spec.experiment
    runs = f"{e.replications} runs of {e.days} days on each plan"
    reading = "".join(
        f"<p><b>{_e(lead)}</b></p><ul>{''.join(f'<li>{_e(s)}</li>' for s in items)}</ul>"
        for lead, items in comparison.reading
    )
    heat = "".join(
        f"<figure>{_img(heatmap_figure(comparison, key, title, SPATIAL_UNITS[h]), title)}"
        f"<figcaption>{_e(title)}: {SPATIAL_UNITS[h]}, mean of {e.replications} runs; one colour scale on "
        "every plan; grey floor: none in any run. The heat lies over the furniture (outlined); what "
        "falls on a bed is spread over the whole bed, as a patient lies on all of it. Hollow star: staff "
        "base; circles: entrance and extra-care room.</figcaption></figure>"
        for key, title, h in HEATMAPS
    )
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ward layout comparison: {_e(", ".join(labels))}</title>
<link rel="icon" href="data:,">
<style>{CSS}</style></head>
<body><main>
<header><h1>Ward layout comparison: {_e(" and ".join(labels))}</h1>
<p class="sub">Scenario {_e(plan.base.name)}, {runs}; the same simulated patients, staff and visitors
on every plan. Made {made} with milieusim.</p></header>

<section id="reading"><h2>In short</h2>
{reading}
<p class="caveat">These are scenario comparisons, not forecasts. The same simulated people, with the same
chances (common random numbers), lived on each plan, so a difference comes from the plans as the model
represents them. The model rests on a modest evidence base: trust the direction and rough size of a clear
difference more than its exact value. "Clear" means the 95% confidence interval of the paired difference
excludes zero; with {len(OUTCOMES)} outcomes, about one in twenty differences that look clear can arise by
chance, so check one that matters with more runs.</p></section>

<section id="plans"><h2>The plans</h2>
<figure>{_img(plans_figure(comparison), "the plans side by side")}
<figcaption>All plans drawn at the same scale (scale bar: 5 m), with the furniture used in the runs.
Star: staff base; circles: entrance and extra-care room.</figcaption></figure></section>

<section id="metrics"><h2>What each plan offers (planner metrics)</h2>
<p>Measured on the plan itself, before anyone moves in. Visibility is a trade-off, not a score: the more the
staff base sees, the less private the bedrooms (highlighted row).</p>
{metrics_table(comparison)}</section>

<section id="outcomes"><h2>How daily life differs (simulated outcomes)</h2>
<p>Each cell: the mean over {e.replications} runs and, below it, its 95% confidence interval. Differences
are paired: each run of a plan is set against the run of {_e(labels[0])} with the same seed. Shares are in
per cent and their differences in percentage points. A dash: no value (for example, no patient reached
level 3 within {e.days} days).</p>
{outcomes_table(comparison)}{_differences_note(comparison)}
<h3>Why conflict and containment differ: where they start</h3>
<p>Conflict per 100 occupied bed-days by the domain its flashpoint came from (the Safewards model's
originating domains), mean over runs; the differences are paired, with their 95% interval. The last row is
the part of all conflict owed to crowding, which raises the chance that a flashpoint from any origin
becomes conflict: a difference in it is a difference of density in the rooms people share.</p>
{origins_table(comparison, "conflict")}
<p>Containment per 100 occupied bed-days by what it answered: a conflict, by the domain the conflict started
from, or no incident at all (as-needed medication offered to a very aroused patient; observation set on
admission, or kept on and counted again at each new shift, as shift reports count it).</p>
{origins_table(comparison, "containment")}
<p class="note">Staff walking distance compares plans but is lower than measured on real wards: the model
does not walk the many short trips a nurse makes within five minutes.</p></section>

<section id="heatmaps"><h2>Where things happen</h2>{heat}</section>

<section id="provenance"><h2>Provenance</h2>
<p>The tables behind this report are in the same folder (outcomes, conflict_origins, containment_origins,
runs, planner_metrics, daily: CSV and Parquet); every run's own tables are under sweep/.</p>
{_provenance(comparison)}</section>
</main></body></html>
"""


def write_report(comparison: Comparison, path: str | Path | None = None) -> Path:
    """Write the report (default: ``report.html`` in the comparison's folder), whole or not at all."""
    path = Path(path) if path is not None else comparison.plan.out / "report.html"
    text = report_html(comparison)
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path
