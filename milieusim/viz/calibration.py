"""Figures of a calibration: the posterior as a pair plot; each target against its posterior predictive."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from milieusim.calibration.posterior import Posterior, weighted_quantile

POSTERIOR = "#264653"
PRIOR = "#e9c46a"
OBSERVED = "#e76f51"


def pair_figure(post: Posterior, parameters, path: Path) -> Path:
    """Posterior of each parameter (diagonal: weighted histogram over its prior) and of each pair.

    Axes span the priors, so a parameter the targets leave wide fills its axis.
    """
    k = len(parameters)
    size = max(2.3 * k, 3.6)
    fig, axes = plt.subplots(k, k, figsize=(size, size), squeeze=False)
    w = post.particles["w"].to_numpy()
    for i, pi in enumerate(parameters):
        for j, pj in enumerate(parameters):
            ax = axes[i, j]
            if j > i:
                ax.axis("off")
                continue
            xi = post.particles[pi.key].to_numpy()
            if i == j:
                grid = np.linspace(pi.low, pi.high, 200)
                ax.hist(
                    xi, bins=20, range=(pi.low, pi.high), weights=w, density=True, color=POSTERIOR, alpha=0.8
                )
                ax.plot(grid, pi.frozen().pdf(grid), color=PRIOR, lw=2, label="prior")
                ax.set_yticks([])
            else:
                xj = post.particles[pj.key].to_numpy()
                ax.scatter(xj, xi, s=8 + 400 * w, color=POSTERIOR, alpha=0.6, edgecolors="none")
                ax.set_ylim(pi.low, pi.high)
            ax.set_xlim(pj.low, pj.high)
            if i == k - 1:
                ax.set_xlabel(pj.key, fontsize=8)
            if j == 0 and i > 0:
                ax.set_ylabel(pi.key, fontsize=8)
            ax.tick_params(labelsize=7)
    axes[0, 0].legend(fontsize=7, frameon=False)
    fig.suptitle("posterior (last generation, weighted); axes span the priors", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def predictive_figure(post: Posterior, targets, path: Path) -> Path:
    """Each target: the observed value and band against the posterior predictive distribution."""
    n = len(targets)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.6 * rows), squeeze=False)
    w = post.particles["w"].to_numpy()
    for ax, t in zip(axes.flat, targets, strict=False):
        sims = np.array([np.atleast_1d(np.asarray(s[t.name], float)) for s in post.simulated])
        if t.pattern:
            x = np.arange(len(t.value))
            qs = [[weighted_quantile(sims[:, e], w, q) for e in x] for q in (0.025, 0.5, 0.975)]
            ax.fill_between(x, t.low, t.high, color=OBSERVED, alpha=0.2, label="target band")
            ax.plot(x, t.value, color=OBSERVED, label="observed")
            ax.fill_between(x, qs[0], qs[2], color=POSTERIOR, alpha=0.3, label="predictive 95%")
            ax.plot(x, qs[1], color=POSTERIOR, label="predictive median")
            ax.set_xlabel("hour" if t.stat == "by_hour" else "day", fontsize=8)
        else:
            x = sims[:, 0]
            x = x[np.isfinite(x)]
            ax.axvspan(t.low[0], t.high[0], color=OBSERVED, alpha=0.2, label="target band")
            ax.axvline(t.value[0], color=OBSERVED, label="observed")
            if len(x):
                ax.hist(
                    x,
                    bins=20,
                    weights=w[np.isfinite(sims[:, 0])],
                    color=POSTERIOR,
                    alpha=0.8,
                    label="posterior predictive",
                )
            ax.set_yticks([])
        title = t.quantity if len(t.quantity) <= 44 else t.quantity[:42] + "..."
        ax.set_title(title + ("" if t.weight > 0 else " (not fitted)"), fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=6, frameon=False)
    fig.suptitle("targets against the posterior predictive (last generation)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
