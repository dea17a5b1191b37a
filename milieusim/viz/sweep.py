"""Figures of a sweep: main effects, a two-factor heatmap, level trajectories by factor, sensitivity."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from milieusim.outcomes import describe, scale
from milieusim.sweep.analysis import Sweep, factor_levels, ordered_levels
from milieusim.viz.run import LEVEL_COLOURS


def main_effects_figure(effects: pd.DataFrame, path: Path) -> Path:
    """Outcomes (rows) against each factor (columns): mean and 95% CI over the other factors."""
    factors = list(dict.fromkeys(effects["factor"]))
    outcomes = list(dict.fromkeys(effects["outcome"]))[:6]
    width = max(3.2 * len(factors) + 1, 6.5)
    fig, axes = plt.subplots(
        len(outcomes), len(factors), figsize=(width, 2.4 * len(outcomes) + 0.8), squeeze=False
    )
    for i, outcome in enumerate(outcomes):
        for j, factor in enumerate(factors):
            ax = axes[i, j]
            t = effects[(effects["factor"] == factor) & (effects["outcome"] == outcome)]
            x = t["level"] if pd.api.types.is_numeric_dtype(t["level"]) else np.arange(len(t))
            k = scale(outcome)
            ax.errorbar(
                x,
                t["mean"] * k,
                yerr=[(t["mean"] - t["ci_low"]) * k, (t["ci_high"] - t["mean"]) * k],
                marker="o",
                capsize=3,
                color="#264653",
            )
            if not pd.api.types.is_numeric_dtype(t["level"]):
                ax.set_xticks(x, [str(v) for v in t["level"]], rotation=20, fontsize=8)
            if i == len(outcomes) - 1:
                ax.set_xlabel(factor)
            if j == 0:
                ax.set_ylabel(describe(outcome, "\n"), fontsize=8)
            ax.grid(alpha=0.3)
    fig.suptitle("main effects\nmean and 95% CI over replications and the other factors", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def heatmap_figure(runs: pd.DataFrame, fx: str, fy: str, outcomes: list[str], path: Path, levels) -> Path:
    """Mean of each outcome over a grid of two factors (`levels(f)` gives each run's level)."""
    outcomes = outcomes[:3]
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4.6 * len(outcomes), 4), squeeze=False)
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        grid = runs[outcome].groupby([levels(fy), levels(fx)], observed=True).mean().unstack()
        grid = grid * scale(outcome)
        im = ax.imshow(grid.to_numpy(dtype=float), origin="lower", cmap="viridis", aspect="auto")
        ax.set_xticks(
            range(grid.shape[1]), [f"{v:g}" if isinstance(v, float) else str(v) for v in grid.columns]
        )
        ax.set_yticks(
            range(grid.shape[0]), [f"{v:g}" if isinstance(v, float) else str(v) for v in grid.index]
        )
        ax.set_xlabel(fx)
        ax.set_ylabel(fy)
        ax.set_title(describe(outcome, "\n"), fontsize=9)
        for (r, c), v in np.ndenumerate(grid.to_numpy(dtype=float)):
            if np.isfinite(v):
                ax.text(c, r, f"{v:.2g}", ha="center", va="center", color="white", fontsize=8)
        fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def levels_figure(daily: pd.DataFrame, factor: str, levels: pd.Series, path: Path) -> Path:
    """Share of patients at each level, day by day, one line per level of `factor` (mean over runs)."""
    d = daily.assign(_level=levels.reindex(daily["run"]).to_numpy())
    census = d["census"].where(d["census"] > 0)
    fig, axes = plt.subplots(1, 4, figsize=(15, 3.4), sharey=True)
    values = ordered_levels(levels)
    cmap = plt.get_cmap("viridis", max(len(values), 2))
    for k, ax in enumerate(axes, start=1):
        share = d[f"level_{k}"] / census
        for i, v in enumerate(values):
            mine = d["_level"] == v
            line = share[mine].groupby(d.loc[mine, "day"]).mean()
            ax.plot(
                line.index, line.to_numpy(), color=cmap(i), label=f"{v:g}" if isinstance(v, float) else str(v)
            )
        ax.set_title(f"L{k}", color=LEVEL_COLOURS[k - 1], fontweight="bold")
        ax.set_xlabel("day")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("share of patients")
    axes[-1].legend(title=factor, fontsize=8)
    fig.suptitle(f"levels of responsibility over time, by {factor}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def indices_figure(table: pd.DataFrame, kind: str, path: Path) -> Path:
    """Sobol S1/ST or Morris mu* per factor, one panel per outcome, with confidence intervals."""
    outcomes = list(dict.fromkeys(table["outcome"]))[:6]
    fig, axes = plt.subplots(
        1, len(outcomes), figsize=(3.6 * len(outcomes), 3.4), squeeze=False, sharey=False
    )
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        t = table[table["outcome"] == outcome]
        y = np.arange(len(t))
        if kind == "sobol":
            ax.barh(y - 0.2, t["S1"], 0.4, xerr=t["S1_conf"], label="S1", color="#2a9d8f")
            ax.barh(y + 0.2, t["ST"], 0.4, xerr=t["ST_conf"], label="ST", color="#e76f51")
            ax.set_xlabel("index")
        else:
            ax.barh(y, t["mu_star"], 0.6, xerr=t["mu_star_conf"], color="#2a9d8f", label="mu*")
            ax.plot(t["sigma"], y, "k|", markersize=14, label="sigma")
            ax.set_xlabel("elementary effect (outcome units)")
        ax.set_yticks(y, [f.split(".")[-1] for f in t["factor"]], fontsize=8)
        ax.set_title(describe(outcome, "\n"), fontsize=9)
        ax.grid(alpha=0.3, axis="x")
    axes[0, 0].legend(fontsize=8)
    fig.suptitle("Sobol indices (95% CI)" if kind == "sobol" else "Morris screening: mu* (95% CI) and sigma")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def figures(sweep: Sweep, tables: dict, out: str | Path, outcomes: list[str] | None = None) -> list[Path]:
    """The standard figures of a sweep's analysis (`sweep.analysis.analyze`), written into `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if sweep.factors:
        written.append(main_effects_figure(tables["main_effects"], out / "main_effects.png"))
    if len(sweep.factors) >= 2:
        fx, fy = sweep.factors[:2]
        written.append(
            heatmap_figure(
                sweep.ok,
                fx,
                fy,
                sweep.outcomes(outcomes),
                out / "heatmap.png",
                lambda f: factor_levels(sweep, f),
            )
        )
    daily = sweep.table("daily")
    if sweep.factors and len(daily):
        levels = factor_levels(sweep, sweep.factors[0])
        levels.index = sweep.ok["run"].to_numpy()
        written.append(levels_figure(daily, sweep.factors[0], levels, out / "levels.png"))
    for kind in ("sobol", "morris"):
        if kind in tables and len(tables[kind]):
            written.append(indices_figure(tables[kind], kind, out / f"{kind}.png"))
    return written
